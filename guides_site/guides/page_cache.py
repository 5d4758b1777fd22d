"""The guide page, rendered once per version and cached whole.

Rendering a long guide through the template engine costs far more than the database work
of a page view. So the page is rendered once per version of its content (the guide's and
its company's cache_version, bumped whenever anything it shows changes; see signals.py),
with slots where each response differs: the reader's vote box (itself cached per answer and
count), the view count and the CSRF token. Filling the slots is plain string replacement.
The versions come from the guide row that every view reads anyway, so every app server and
worker sees a change at once.
"""

from typing import NamedTuple

from django.core.cache import cache
from django.db import connection
from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from .models import Company, Guide

CACHE_SECONDS = 60 * 60 * 24
CSRF_SLOT = "csrfslot0000000000000000000000000000000000000000000000000000000"
VOTE_SLOT = mark_safe("<!--slot:vote-->")  # noqa: S308 (a constant)
VIEWS_SLOT = mark_safe("<!--slot:views-->")  # noqa: S308 (a constant)


class GuideState(NamedTuple):
    """What a guide page's cached parts are keyed by, read from the database on every view."""

    pk: int
    cache_version: int
    company_cache_version: int
    votes_yes: int
    votes_total: int
    view_count: int


# The published guide at an address: Guide.objects.published() and the address, written as
# SQL because the ORM takes about fifteen times as long to build this query as the database
# takes to run it (0.3 ms against 0.02 ms on SQLite), on the busiest page of the site.
_GUIDE_STATE_SQL = f"""
    SELECT guide.id, guide.cache_version, company.cache_version,
           guide.votes_yes, guide.votes_total, guide.view_count
    FROM {Guide._meta.db_table} guide
    JOIN {Company._meta.db_table} company ON company.id = guide.company_id
    WHERE company.slug = %s AND guide.slug = %s AND guide.language = %s AND guide.status = %s
"""  # noqa: S608 (table names come from the models, values are parameters)


def guide_state(company_slug, slug, language):
    """The state of the published guide at this address, or None."""
    with connection.cursor() as cursor:
        cursor.execute(
            _GUIDE_STATE_SQL, [company_slug, slug, language, Guide.Status.PUBLISHED.value]
        )
        row = cursor.fetchone()
    return GuideState(*row) if row else None


def _key(request, release, *parts):
    return ":".join(
        str(part)
        for part in (
            release,
            request.scheme,
            request.get_host(),
            get_language(),
            *parts,
        )
    )


def cached_page(request, key_parts, render, *, release, seconds=CACHE_SECONDS):
    """A page that is the same for every reader, rendered once by render(csrf_token) and
    cached; the reader's CSRF token is filled in."""
    key = _key(request, release, "page", *key_parts)
    html = cache.get(key)
    if html is None:
        html = render(CSRF_SLOT)
        cache.set(key, html, seconds)
    return html.replace(CSRF_SLOT, get_token(request))


def vote_box(request, state, vote, *, render, release):
    """The vote box of the page: the same for every reader with the same answer, until the
    counts change. render(csrf_token) renders it."""
    answer = f"{vote.helpful:d}{vote.feedback_sent:d}" if vote else "none"
    key = _key(
        request,
        release,
        "vote-box",
        state.pk,
        state.cache_version,
        state.company_cache_version,
        state.votes_yes,
        state.votes_total,
        answer,
    )
    html = cache.get(key)
    if html is None:
        html = render(CSRF_SLOT)
        cache.set(key, html, CACHE_SECONDS)
    return html


def render_guide_page(request, state, *, vote_html, views_text, build_context, release):
    """The page for this request, from the cached shell of the guide's current version.

    build_context() gives the full template context; it is only called to render a shell.
    """
    key = _key(
        request, release, "guide-page", state.pk, state.cache_version, state.company_cache_version
    )
    shell = cache.get(key)
    if shell is None:
        shell_context = {
            **build_context(),
            "vote_html": VOTE_SLOT,
            "views_text": VIEWS_SLOT,
            "csrf_token": CSRF_SLOT,
        }
        shell = render_to_string("guides/guide.html", shell_context, request)
        cache.set(key, shell, CACHE_SECONDS)
    return (
        shell.replace(VOTE_SLOT, vote_html)
        .replace(VIEWS_SLOT, conditional_escape(views_text))
        .replace(CSRF_SLOT, get_token(request))
    )
