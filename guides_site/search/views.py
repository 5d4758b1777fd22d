import hashlib

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.http import Http404, HttpResponseBadRequest
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import translate_url
from django.utils.http import urlencode
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe
from django.views.decorators.vary import vary_on_headers

from guides_site.guides.models import Guide

from . import answers, index, text
from . import results as search_results

# The form's id: htmx names it in HX-Trigger when the reader submits (Enter), and the field's
# id while they type; only a submitted search that finds nothing is counted as a miss.
FORM_ID = "search-form"


def _refusal(request, message):
    return HttpResponseBadRequest(
        render_to_string("search/refused.html", {"message": message}, request)
    )


@require_safe
@vary_on_headers("HX-Request")
def search(request):
    raw = request.GET.get("q", "")
    if "\x00" in raw:
        return _refusal(request, _("A search cannot contain that character."))
    if len(raw) > text.MAX_QUERY_CHARS:
        return _refusal(
            request,
            _("A search is at most %(count)d characters: try the few words that matter most.")
            % {"count": text.MAX_QUERY_CHARS},
        )
    try:
        page = int(request.GET.get("page", "1"))
    except ValueError:
        page = 0
    if page < 1:
        return _refusal(request, _("That page of results does not exist."))
    language = get_language()
    typing = bool(request.htmx) and request.htmx.trigger != FORM_ID
    listed = _listed(request, raw, language, page, typing)
    if listed["total"] and page > listed["pages"]:
        raise Http404("No such page of results.")
    if raw.strip() and not listed["total"] and not typing:
        search_results.record_miss(raw, language)
    context = {
        "results": listed,
        "q": raw,
        "language_links": [
            (code, translate_url(request.path, code) + (f"?{urlencode({'q': raw})}" if raw else ""))
            for code, _name in settings.LANGUAGES
        ],
        "form_id": FORM_ID,
    }
    if request.htmx:
        return render(request, "search/_results.html", context)
    return render(request, "search/search.html", context)


def _listed(request, raw, language, page, typing):
    """The results, rendered, and kept a minute for the next reader who searches the same:
    kept results are used only while every guide in them is still published."""
    generation = cache.get_or_set(index.GENERATION_KEY, 1, None)
    key = (
        "search-page:"
        + hashlib.sha256(
            repr((connection.vendor, generation, raw, language, page, typing)).encode()
        ).hexdigest()
    )
    kept = cache.get(key)
    if kept and (
        not kept["ids"]
        or Guide.objects.published().filter(pk__in=kept["ids"]).count() == len(kept["ids"])
    ):
        return kept
    found = search_results.find(raw, language, page=page, prefix=typing)
    html = render_to_string(
        "search/_list.html",
        {
            "results": found,
            "q": raw,
            "previous_query": urlencode({"q": raw, "page": page - 1}),
            "next_query": urlencode({"q": raw, "page": page + 1}),
        },
        request,
    )
    kept = {
        "total": found.total,
        "capped": found.capped,
        "page": found.page,
        "pages": found.pages,
        "ids": [guide.pk for guide in found.guides],
        "html": mark_safe(html),  # noqa: S308 rendered by our template, escaped there
    }
    cache.set(key, kept, index.RESULTS_CACHE_SECONDS)
    return kept


# A question is at most this long (questions/forms.py); what is longer is no question.
ANSWERS_MAX_CHARS = 1000


@require_safe
def instant_answers(request):
    """The guides and published answers that may answer a question being typed, as the
    fragment shown under the question box (search/static/search/instant-answers.js)."""
    raw = request.GET.get("q", "")
    if "\x00" in raw or len(raw) > ANSWERS_MAX_CHARS:
        return HttpResponseBadRequest("Not a question this site could take.")
    guide_id = request.GET.get("guide", "")
    guide = guide_id.isdigit() and Guide.objects.published().filter(pk=guide_id).first()
    if not guide:
        raise Http404("No such guide.")
    guides, questions = answers.instant_answers(raw, guide)
    return render(
        request, "search/_answers.html", {"answer_guides": guides, "answer_questions": questions}
    )
