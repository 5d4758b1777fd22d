"""The A–Z index of companies: a page per letter, paginated, so that no page lists every
company (10,000 of them at full size)."""

from django.conf import settings
from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.db.models import Count, Q
from django.db.models.functions import Substr, Upper
from django.http import Http404
from django.shortcuts import render
from django.urls import translate_url
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from . import seo
from .models import Company, Guide

COMPANIES_PER_PAGE = 60
OTHER = "0-9"  # names that start with a digit or a sign


def _with_guides(language):
    published = Q(guides__status=Guide.Status.PUBLISHED, guides__language=language)
    return Company.objects.annotate(guide_count=Count("guides", filter=published)).filter(
        guide_count__gt=0
    )


def initials(language):
    """The letters under which companies with guides in this language are listed."""
    found = set(
        _with_guides(language)
        .annotate(initial=Upper(Substr("name", 1, 1)))
        .values_list("initial", flat=True)
    )
    letters = sorted(i for i in found if "A" <= i <= "Z")
    return letters + ([OTHER] if any(not ("A" <= i <= "Z") for i in found) else [])


@require_safe
def companies(request, letter):
    language = get_language()
    letter = letter.upper() if letter != OTHER else OTHER
    if letter == OTHER:
        listed = _with_guides(language).exclude(
            Q(*[Q(name__istartswith=c) for c in "ABCDEFGHIJKLMNOPQRSTUVWXYZ"], _connector=Q.OR)
        )
    elif len(letter) == 1 and "A" <= letter <= "Z":
        listed = _with_guides(language).filter(name__istartswith=letter)
    else:
        raise Http404("Not a letter of the index.")
    paginator = Paginator(listed.order_by("name", "pk"), COMPANIES_PER_PAGE)
    try:
        page = paginator.page(request.GET.get("page", 1))
    except (EmptyPage, PageNotAnInteger) as error:
        raise Http404("No such page of companies.") from error
    return render(
        request,
        "guides/companies.html",
        {
            "letter": letter,
            "letters": initials(language),
            "page": page,
            "language_links": [
                (code, translate_url(request.get_full_path(), code))
                for code, _name in settings.LANGUAGES
            ],
            "breadcrumbs": seo.breadcrumbs(
                (_("Companies: %(letter)s") % {"letter": letter}, request.path)
            ),
        },
    )
