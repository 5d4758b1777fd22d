import hashlib

from django.conf import settings
from django.core.cache import caches
from django.db import connection
from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import translate_url
from django.utils.http import urlencode
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe
from django.views.decorators.vary import vary_on_headers

from guides_site.guides import page_cache
from guides_site.guides.models import Guide
from guides_site.guides.release import release_id

from . import answers, index, text
from . import results as search_results

# The form's id: htmx names it in HX-Trigger when the reader submits (Enter), and the field's
# id while they type; only a submitted search that finds nothing is counted as a miss.
FORM_ID = "search-form"
RELEASE = release_id()


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
    kept = _kept_search_page(request, raw, language, page, typing)
    if kept["total"] and page > kept["pages"]:
        raise Http404("No such page of results.")
    if raw.strip() and not kept["total"] and not typing:
        search_results.record_miss(raw, language)
    return HttpResponse(page_cache.with_csrf_token(request, kept["html"]))


# A kept search page is served while the index has the generation it was made with and the
# guides it shows are all still published (this is also what keeps out one unpublished by a
# bulk update, which the index does not hear of); what changes without either, the order by
# readership and the share found helpful, may lag this long.
SEARCH_PAGE_SECONDS = 300
# Kept apart from the guide pages' copies, within a bound of their own: readers' searches,
# and the words being typed, are many and each kept once, and must not push out the guide
# pages most readers come for.
search_copies = page_cache.LocalCopies(settings.SEARCH_COPIES_MAX_BYTES)


def _kept_search_page(request, raw, language, page, typing):
    """The search page (or, for htmx, its results fragment) with a slot for the reader's CSRF
    token, and what the view needs to know of it: rendered once per query, then kept."""
    htmx = bool(request.htmx)

    def render_page(csrf_token):
        generation = index.generation()
        found = search_results.find(raw, language, page=page, prefix=typing)
        results = {"total": found.total, "pages": found.pages}
        context = {
            "results": found,
            "q": raw,
            "previous_query": urlencode({"q": raw, "page": page - 1}),
            "next_query": urlencode({"q": raw, "page": page + 1}),
            "language_links": [
                (
                    code,
                    translate_url(request.path, code)
                    + (f"?{urlencode({'q': raw})}" if raw else ""),
                )
                for code, _name in settings.LANGUAGES
            ],
            "form_id": FORM_ID,
            "csrf_token": csrf_token,
        }
        template = "search/_results.html" if htmx else "search/search.html"
        return {
            **results,
            "generation": generation,
            "ids": [guide.pk for guide in found.guides],
            "html": render_to_string(template, context, request),
        }

    return page_cache.kept_page(
        [
            "search",
            hashlib.sha256(raw.encode()).hexdigest(),
            language,
            page,
            typing,
            htmx,
        ],
        render_page,
        release=RELEASE,
        seconds=SEARCH_PAGE_SECONDS,
        still_right=_still_right,
        copies=search_copies,
        shared=caches["search"],
    )


def _still_right(kept):
    """Whether the index has not changed since the page was made, and every guide it shows is
    still published: one query."""
    ids = kept["ids"]
    marks = ", ".join(["%s"] * len(ids))
    published = (
        f"SELECT count(*) FROM {Guide._meta.db_table} WHERE status = %s AND id IN ({marks})"  # noqa: S608 (no outside text)
        if ids
        else "SELECT 0"
    )
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT ({index.GENERATION_SQL}), ({published})",  # noqa: S608 (no outside text)
            [Guide.Status.PUBLISHED.value, *ids] if ids else [],
        )
        generation, shown = cursor.fetchone()
    return (generation or 0) == kept["generation"] and shown == len(ids)


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
