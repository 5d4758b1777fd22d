"""The guide page, the busiest page of the site: the one module that reads a guide's state,
builds or reuses its cached page (page_cache) and fills its slots.

The guide view calls response(); GuidePageMiddleware calls kept_response() for readers with
no cookie but the CSRF cookie and their visitor id, ahead of the rest of the middleware, and
keep() to keep the page the whole stack gave a reader without cookies.
"""

import functools
import hashlib
import re

from django.conf import settings
from django.contrib.humanize.templatetags.humanize import intcomma
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.cache import get_conditional_response, patch_cache_control, quote_etag
from django.utils.translation import get_language, ngettext

from guides_site.questions.forms import QuestionForm

from . import page_cache, seo, view_counts
from .forms import FeedbackForm
from .models import Guide, Vote
from .outline import Outline
from .release import release_id
from .visitors import COOKIE_NAME as VISITOR_COOKIE
from .visitors import give_visitor_id, visitor_id

RELEASE = release_id()
_BOT_RE = re.compile(r"bot|crawl|spider|slurp|preview|facebookexternalhit|headless", re.I)
RELATED_GUIDES = 5
# Small numbers say little and look odd ("Viewed 2 times", "0% of 3 readers"): the view
# count shows from this many views, the share of readers helped from this many votes.
SHOW_VIEWS_FROM = 100
SHOW_SHARE_FROM = 5


def get_guide(company, slug):
    """The published guide in the page's language, or 404."""
    return get_object_or_404(
        Guide.objects.published().select_related("company"),
        company__slug=company,
        slug=slug,
        language=get_language(),
    )


def visitor_vote(guide_id, visitor):
    if not visitor:
        return None
    return Vote.objects.filter(guide_id=guide_id, visitor=visitor).order_by().first()


# --- what the page shows ---------------------------------------------------------------------


def guide_page_context(request, guide):
    """What the guide page shows to every reader. Querysets stay lazy: only a render
    evaluates them, and the page is rendered once per version of the guide (page_cache)."""
    translations = guide_translations(guide)
    return {
        "guide": guide,
        "company": guide.company,
        "outline": Outline(guide),
        "tags": guide.tags.all(),
        "contacts": guide.company.contacts.all(),
        "related": guide.company.guides.published()
        .in_language(guide.language)
        .exclude(pk=guide.pk)
        .order_by("-view_count", "title")[:RELATED_GUIDES],
        "answered_questions": guide.questions.published().order_by("-answered_at"),
        "translations": translations,
        "language_links": sorted(translations.items()),
        "question_form": QuestionForm(),
        "breadcrumbs": seo.breadcrumbs(
            (guide.company.name, guide.company.get_absolute_url()),
            (guide.title, guide.get_absolute_url()),
        ),
    }


def full_guide_page_context(request, guide, vote, **vote_extra):
    """Everything the guide page shows, this reader's vote box (with vote_extra in its
    context) and the view count included, for the few responses rendered whole instead of
    from the cached page."""
    return {
        **guide_page_context(request, guide),
        "views_text": _views_text(guide.view_count + view_counts.pending_views(guide.pk)),
        "vote_html": render_vote(request, guide, vote, **vote_extra),
    }


def render_vote(request, guide, vote, **extra):
    context = {"guide": guide, **_vote_context(guide, vote), **extra}
    return render_to_string("guides/_vote.html", context, request)


def _vote_context(guide, vote):
    return {
        "vote": vote,
        "votes_yes": guide.votes_yes,
        "votes_total": guide.votes_total,
        "votes_percent": guide.helpful_percent,
        "show_share": guide.votes_total >= SHOW_SHARE_FROM,
        "feedback_form": FeedbackForm(),
    }


def guide_translations(guide):
    """{language: url} of the guide and its published translations."""

    def find():
        found = {guide.language: guide.get_absolute_url()}
        if guide.translation_key:
            for other in (
                Guide.objects.published()
                .select_related("company")
                .filter(translation_key=guide.translation_key)
                .exclude(language=guide.language)
            ):
                found[other.language] = other.get_absolute_url()
        return found

    return page_cache.kept(
        ["translations", guide.pk, guide.cache_version, guide.company.cache_version],
        find,
        release=RELEASE,
    )


def _views_text(views):
    if views < SHOW_VIEWS_FROM:
        return ""
    return ngettext("Viewed %(views)s time", "Viewed %(views)s times", views) % {
        "views": intcomma(views)
    }


def _count_view(request, state):
    """Count this view unless a bot asks; the number of views to show."""
    if _BOT_RE.search(request.META.get("HTTP_USER_AGENT", "")):
        return state.view_count + view_counts.pending_views(state.pk)
    return state.view_count + view_counts.count_view(state.pk)


def _etag(request, state, vote):
    """Changes whenever the page this browser would get changes (the view count aside)."""
    parts = [
        RELEASE,
        get_language(),
        *state.versions_and_votes,
        vote and (vote.helpful, vote.feedback_sent, vote.reason),
        request.COOKIES.get(settings.CSRF_COOKIE_NAME),
        request.COOKIES.get("messages"),
    ]
    return quote_etag(hashlib.sha256(repr(parts).encode()).hexdigest()[:32])


# --- the page, through the whole middleware stack ------------------------------------------


def response(request, company, slug):
    """The guide page for this request, or None if no published guide in the page's language
    has this address. One small query, then the cached page: the guide itself is only loaded
    when a part of its page has to be rendered."""
    state, vote = page_cache.guide_state(company, slug, get_language(), visitor_id(request))
    if state is None:
        return None
    views = _count_view(request, state)
    etag = _etag(request, state, vote)
    answer = get_conditional_response(request, etag=etag)
    if answer is None:
        load_guide = functools.cache(lambda: get_guide(company, slug))
        if request.COOKIES.get("messages"):  # a confirmation to show: render this one fully
            answer = render(
                request, "guides/guide.html", full_guide_page_context(request, load_guide(), vote)
            )
        else:
            page = _page(
                request,
                state,
                vote,
                render_vote=lambda token: render_vote(
                    request, load_guide(), vote, csrf_token=token
                ),
                build_context=lambda: guide_page_context(request, load_guide()),
            )
            answer = HttpResponse(
                page_cache.fill_guide_page(request, page, views_text=_views_text(views))
            )
            if vote is None:  # what any reader without cookies gets: see keep()
                answer.first_visit_page = {
                    "company": company,
                    "guide": slug,
                    "language": get_language(),
                    "state": state,
                    "page": page,
                }
        answer["ETag"] = etag
    # Browsers keep the page but ask every time whether it changed.
    patch_cache_control(answer, private=True, no_cache=True)
    return give_visitor_id(request, answer)


def _page(request, state, vote, *, render_vote=None, build_context=None):
    """The page of this version with this reader's vote box, slots left for the view count
    and the CSRF token; without the render functions, None unless both parts are cached."""
    vote_html = page_cache.vote_box(request, state, vote, release=RELEASE, render=render_vote)
    shell = page_cache.guide_shell(request, state, release=RELEASE, build_context=build_context)
    if vote_html is None or shell is None:
        return None
    return page_cache.with_vote_box(shell, vote_html)


# --- the page, ahead of the middleware -----------------------------------------------------


def may_be_kept(request):
    """A plain GET (not from htmx, not conditional) from a reader with no cookie but the CSRF
    cookie and their visitor id: the page they get differs from a new reader's only in the
    vote box, the view count, the CSRF token and the cookies. Any other cookie (an editor's
    session, a confirmation to show, a chosen language) takes the whole stack."""
    return (
        request.method == "GET"
        and not request.META.get("QUERY_STRING")
        and "HTTP_HX_REQUEST" not in request.META
        and "HTTP_IF_NONE_MATCH" not in request.META
        and "HTTP_IF_MODIFIED_SINCE" not in request.META
        and request.COOKIES.keys() <= {settings.CSRF_COOKIE_NAME, VISITOR_COOKIE}
    )


def kept_response(request):
    """The guide page at this address from the page kept there (page_cache.FirstVisitPage)
    and the cached parts of the guide's current version, or None if any of them is missing
    or the guide has changed or has new votes since. The caller has read the reader's CSRF
    cookie (CsrfViewMiddleware.process_request) and sets or renews it after."""
    kept = page_cache.first_visit_page(request, release=RELEASE)
    if kept is None:
        return None
    with translation.override(kept.language):
        visitor = visitor_id(request)
        if visitor is None:  # a new reader, most readers: the guide's row alone
            state, vote = page_cache.kept_guide_state(kept), None
        else:
            state, vote = page_cache.guide_state(kept.company, kept.guide, kept.language, visitor)
        if state is None:
            return None
        if vote is None:
            if not kept.shows(state):
                return None
            views = _count_view(request, state)
            body = page_cache.fill_first_visit_page(
                request, kept.parts, views_text=_views_text(views)
            )
        else:
            page = _page(request, state, vote)
            if page is None:
                return None
            views = _count_view(request, state)
            body = page_cache.fill_guide_page(request, page, views_text=_views_text(views))
            body = body.encode()
        # The kept headers are those of every reader's page (security policies, language,
        # caching), and its ETag that of a reader without cookies in this state.
        headers = {**kept.headers, "Content-Length": len(body)}
        if request.COOKIES:
            headers["ETag"] = _etag(request, state, vote)
    return give_visitor_id(request, HttpResponse(body, headers=headers))


def keep(request, response):
    """Keep the page the whole stack gave a reader without cookies, with its headers."""
    page = getattr(response, "first_visit_page", None)
    if page and response.status_code == 200 and not request.COOKIES:
        page_cache.keep_first_visit_page(request, response, **page, release=RELEASE)
