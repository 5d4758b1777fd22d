"""The reader's pages: home, about, company and tag pages, the guide page (guide_page.py
owns it) and the step-by-step walkthrough; robots.txt. Readers' answers are in
feedback_views.py."""

from django.conf import settings
from django.core.paginator import EmptyPage, Paginator
from django.db.models import Count, Sum
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse, translate_url
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe
from django.views.decorators.vary import vary_on_headers

from guides_site.contacts.presentation import window_start as channel_window_start
from guides_site.questions.forms import QuestionForm

from . import directory, guide_page, page_cache, seo
from .forms import StepAnswerForm
from .guide_page import get_guide, guide_translations, render_vote, visitor_vote
from .models import Company, Guide, Step, Tag
from .outline import Outline
from .visitors import give_visitor_id, visitor_id


def _in_page_language(guides):
    """Lists never mix languages: a reader of the French pages sees the French guides."""
    return guides.in_language(get_language()).order_by("title")


def _language_links(request):
    """Where the language switcher sends the reader: the same page in each language."""
    return [(code, translate_url(request.path, code)) for code, _name in settings.LANGUAGES]


# The home page's lists of most viewed and most helpful guides may lag a minute behind.
HOME_CACHE_SECONDS = 60


@require_safe
def home(request):
    # Any change to a company or a guide bumps a company's cache_version.
    generation = Company.objects.aggregate(versions=Sum("cache_version"), count=Count("pk"))

    def render_home(csrf_token):
        guides = Guide.objects.published().in_language(get_language()).select_related("company")
        return render_to_string(
            "guides/home.html",
            {
                # An A–Z index, not every company: 10,000 tiles would be the whole page.
                "letters": directory.initials(get_language()),
                "most_viewed": guides.order_by("-view_count", "title")[:6],
                "most_helpful": guides.filter(votes_total__gt=0).order_by(
                    "-helpful_score", "title"
                )[:6],
                "language_links": _language_links(request),
                "breadcrumbs": seo.breadcrumbs(),
                "csrf_token": csrf_token,
            },
            request,
        )

    return HttpResponse(
        page_cache.cached_page(
            request,
            ["home", generation["versions"], generation["count"]],
            render_home,
            release=guide_page.RELEASE,
            seconds=HOME_CACHE_SECONDS,
        )
    )


@require_safe
def about(request):
    return render(
        request,
        "guides/about.html",
        {
            "language_links": _language_links(request),
            "breadcrumbs": seo.breadcrumbs((_("About"), request.path)),
        },
    )


@require_safe
def company(request, company):
    company = get_object_or_404(Company.objects.prefetch_related("translations"), slug=company)
    # The page carries its channels' opening intervals for the weeks from this one on.
    contact_window = channel_window_start()
    page_number = request.GET.get("page", "1")
    if not page_number.isdigit():
        raise Http404("No such page of guides.")

    def render_company(csrf_token):
        # A long list of guides comes in pages; a page past the last is a 404, found here,
        # when the page is built, so that a kept page costs no count.
        paginator = Paginator(
            _in_page_language(company.guides.published()), COMPANY_GUIDES_PER_PAGE
        )
        try:
            guides_page = paginator.page(page_number)
        except EmptyPage as error:
            raise Http404("No such page of guides.") from error
        return render_to_string(
            "guides/company.html",
            {
                "company": company,
                "contact_window": contact_window,
                "guides": guides_page.object_list,
                "guides_page": guides_page,
                "language_links": _language_links(request),
                "breadcrumbs": seo.breadcrumbs((company.name_in(), company.get_absolute_url())),
                "csrf_token": csrf_token,
            },
            request,
        )

    return HttpResponse(
        page_cache.cached_page(
            request,
            ["company", company.pk, company.cache_version, f"{contact_window:%Y%m%d}", page_number],
            render_company,
            release=guide_page.RELEASE,
        )
    )


COMPANY_GUIDES_PER_PAGE = 50


@require_safe
def tag(request, slug):
    tag = get_object_or_404(Tag, slug=slug)
    guides = _in_page_language(tag.guides.published().select_related("company"))
    if not guides:
        raise Http404("No published guide has this tag.")
    return render(
        request,
        "guides/tag.html",
        {
            "tag": tag,
            "guides": guides,
            "language_links": _language_links(request),
            "breadcrumbs": seo.breadcrumbs((tag.name, request.path)),
        },
    )


@require_safe
def guide(request, company, guide):
    response = guide_page.response(request, company, guide)
    if response is None:
        # The address may exist in another language: send the reader to it.
        other = (
            Guide.objects.published()
            .select_related("company")
            .filter(company__slug=company, slug=guide)
            .first()
        )
        if other is None:
            raise Http404("No such guide.")
        return redirect(other)
    return response


@require_safe
@vary_on_headers("HX-Request")
def walkthrough(request, company, guide, position):
    guide = get_guide(company, guide)
    step = get_object_or_404(guide.steps, position=position)
    context = walkthrough_context(request, guide, step, visitor_id(request))
    if request.htmx and not request.htmx.history_restore_request:
        response = render(request, "guides/_walkthrough.html", context)
    else:
        response = render(request, "guides/walkthrough.html", context)
    return give_visitor_id(request, response)


def walkthrough_context(request, guide, step, visitor):
    outline = Outline(guide, guide.steps.only("pk", "guide_id", "position", "section_id"))
    position = step.position
    group = outline.group_of(position)
    route_end = position == group.last_position
    next_group = outline.group_after(group)
    heading = _("Step %(number)s of %(total)s") % {
        "number": outline.number_of(position),
        "total": group.last_number,
    }
    if group.section:
        heading = f"{heading} · {group.title}"
    crumbs = [
        (guide.company.name, guide.company.get_absolute_url()),
        (guide.title, guide.get_absolute_url()),
    ]
    if group.section:
        crumbs.append((group.title, step_url(guide, group.first_position)))
    crumbs.append(
        (_("Step %(number)s") % {"number": outline.number_of(position)}, step_url(guide, position))
    )
    context = {
        "guide": guide,
        "company": guide.company,
        "step": step,
        "outline": outline,
        "group": group,
        "step_heading": heading,
        "progress_value": group.index_of(position),
        "progress_max": len(group.steps),
        "route_end": route_end,
        "sectioned": outline.sectioned,
        "next_route": next_group if route_end else None,
        "next_route_url": step_url(guide, next_group.first_position)
        if route_end and next_group
        else None,
        "previous_url": step_url(guide, position - 1) if position > 1 else None,
        "next_url": None if route_end else step_url(guide, position + 1),
        "answer": step.feedback.filter(visitor=visitor).first() if visitor else None,
        "contacts": guide.company.contacts.all(),
        # A reader stuck on this step can ask about it here, the step already named.
        "question_form": QuestionForm(initial={"text": _step_question_start(outline, group, step)}),
        "asking_from_step": position,
        "step_answer_form": StepAnswerForm(),
        "language_links": _walkthrough_language_links(guide, position),
        "breadcrumbs": seo.breadcrumbs(*crumbs),
    }
    if route_end:
        context["vote_html"] = render_vote(request, guide, visitor_vote(guide.pk, visitor))
    return context


def _step_question_start(outline, group, step):
    number = outline.number_of(step.position)
    if group.section:
        return _("Step %(number)s (%(route)s): ") % {"number": number, "route": group.title}
    return _("Step %(number)s: ") % {"number": number}


def step_url(guide, position):
    return reverse("walkthrough", args=[guide.company.slug, guide.slug, position])


def _walkthrough_language_links(guide, position):
    """The same step in each translation that has it; else the translation's guide page."""
    translations = guide_translations(guide)
    having_step = set()
    if len(translations) > 1:
        having_step = set(
            Step.objects.filter(
                guide__translation_key=guide.translation_key,
                guide__status=Guide.Status.PUBLISHED,
                guide__language__in=list(translations),
                position=position,
            ).values_list("guide__language", flat=True)
        )
    links = {}
    for code, url in translations.items():
        if code == guide.language or code in having_step:
            links[code] = f"{url}step/{position}/"
        else:
            links[code] = url
    return sorted(links.items())


@require_safe
def robots_txt(request):
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        f"Sitemap: {seo.absolute_url(reverse('sitemap'))}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain")
