"""The guide page, rendered once per version and cached whole.

Rendering a long guide through the template engine costs far more than the database work
of a page view. So the page is rendered once per version of its content (the guide's and
its company's cache_version, bumped whenever anything it shows changes; see signals.py),
with slots where each response differs: the reader's vote box (itself cached per answer and
count), the view count and the CSRF token. Filling the slots is plain string replacement.
The versions come from the guide row that every view reads anyway, so every app server and
worker sees a change at once.

The page a reader without cookies gets is also kept whole, headers included, by address
(FirstVisitPage), and served (guide_page.kept_response, from middleware.GuidePageMiddleware)
only while the guide still has the versions and vote counts it was made with, which for a new
reader is read from the guide's row alone (kept_guide_state).
"""

import functools
import hashlib
import re
import sqlite3
import sys
import threading
import time
from collections import OrderedDict
from typing import NamedTuple

from django.conf import settings
from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, connections
from django.template.loader import render_to_string
from django.utils.crypto import salted_hmac
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from ..operations.models import database_identity
from .models import Company, Guide, Vote
from .tokens import csrf_token

CACHE_SECONDS = 60 * 60 * 24
# The slots are derived from the secret key, so that no author, editor or reader can write
# one into a page: a slot in a guide's text would be filled with each reader's CSRF token.
_SLOT_SECRET = salted_hmac("guides.page_cache.slots", "slots", algorithm="sha256").hexdigest()
CSRF_SLOT = f"csrfslot{_SLOT_SECRET[:56]}"
_SLOTS_ID = hashlib.sha256(_SLOT_SECRET.encode()).hexdigest()[:8]
VOTE_SLOT = mark_safe(f"<!--slot:vote:{_SLOT_SECRET}-->")  # noqa: S308 (no outside input)
VIEWS_SLOT = mark_safe(f"<!--slot:views:{_SLOT_SECRET}-->")  # noqa: S308 (no outside input)
_CSRF_SLOT_BYTES = CSRF_SLOT.encode()
_VIEWS_SLOT_BYTES = VIEWS_SLOT.encode()
_SLOTS = re.compile(b"(%s|%s)" % (re.escape(_CSRF_SLOT_BYTES), re.escape(_VIEWS_SLOT_BYTES)))


class GuideState(NamedTuple):
    """What a guide page's cached parts are keyed by, read from the database on every view."""

    pk: int
    cache_version: int
    company_cache_version: int
    votes_yes: int
    votes_total: int
    view_count: int

    @property
    def versions_and_votes(self):
        """All that the page shows of this state but the view count."""
        return (
            self.pk,
            self.cache_version,
            self.company_cache_version,
            self.votes_yes,
            self.votes_total,
        )


class LocalCopies:
    """This process's copies of cached entries that never change, least recently used first
    out, bounded by their size in bytes.

    Everything the page cache stores under a version key is immutable: a change bumps the
    version, and so the key. So a copy kept in the process is as right as the shared cache's,
    and costs neither a round trip to Redis nor unpickling a 100 KB page. Entries that may
    lag (the home page's lists) carry a deadline.
    """

    def __init__(self, max_bytes):
        self.max_bytes = max_bytes
        self.size = 0
        self._entries = OrderedDict()  # key: (value, size, deadline or None)
        self._lock = threading.Lock()

    def get(self, key):
        with self._lock:
            entry = self._entries.get(key)
            if entry is None:
                return None
            value, size, deadline = entry
            if deadline is not None and time.monotonic() > deadline:
                del self._entries[key]
                self.size -= size
                return None
            self._entries.move_to_end(key)
            return value

    def set(self, key, value, seconds=None):
        size = _size(value)
        if size > self.max_bytes:
            return
        deadline = time.monotonic() + seconds if seconds is not None else None
        with self._lock:
            old = self._entries.pop(key, None)
            if old is not None:
                self.size -= old[1]
            self._entries[key] = (value, size, deadline)
            self.size += size
            while self.size > self.max_bytes:
                _key, (_value, old_size, _deadline) = self._entries.popitem(last=False)
                self.size -= old_size

    def clear(self):
        with self._lock:
            self._entries.clear()
            self.size = 0


def _size(value):
    """About how many bytes a cached value holds in memory."""
    if isinstance(value, FirstVisitPage):
        headers = sum(len(name) + len(text) for name, text in value.headers.items())
        return sum(map(sys.getsizeof, value.parts)) + headers + 1024
    if isinstance(value, dict):
        return sys.getsizeof(value) + sum(map(sys.getsizeof, value.values()))
    return sys.getsizeof(value)


local_copies = LocalCopies(settings.PAGE_COPIES_MAX_BYTES)


def _get(key, local_seconds=None, copies=local_copies, shared=cache):
    """A cached entry: this process's copy, else the shared cache's (then kept here, for
    local_seconds if the entry may lag)."""
    value = copies.get(key)
    if value is None:
        value = shared.get(key)
        if value is not None:
            copies.set(key, value, local_seconds)
    return value


def _set(key, value, seconds, *, local_seconds=None, copies=local_copies, shared=cache):
    shared.set(key, value, seconds)
    copies.set(key, value, local_seconds)


class ReaderVote(NamedTuple):
    """What the page shows of a reader's own vote."""

    helpful: bool
    feedback_sent: bool
    reason: str


# The published guide at an address, and the reader's vote on it: Guide.objects.published(),
# the address and the reader's Vote row, written as SQL because the ORM takes about fifteen
# times as long to build this query as the database takes to run it (0.3 ms against 0.02 ms
# on SQLite), on the busiest page of the site. One query, so one round trip, for every reader.
_GUIDE_STATE_SQL = f"""
    SELECT guide.id, guide.cache_version, company.cache_version,
           guide.votes_yes, guide.votes_total, guide.view_count,
           vote.helpful, vote.feedback_sent, vote.reason
    FROM {Guide._meta.db_table} guide
    JOIN {Company._meta.db_table} company ON company.id = guide.company_id
    LEFT JOIN {Vote._meta.db_table} vote ON vote.guide_id = guide.id AND vote.visitor = %s
    WHERE company.slug = %s AND guide.slug = %s AND guide.language = %s AND guide.status = %s
"""  # noqa: S608 (table names come from the models, values are parameters)


# The guide of a page kept for new readers (FirstVisitPage), by its primary key: one table,
# where the address takes three, and a round trip to PostgreSQL about half as long
# (bench/README.md). Its row says all the page depends on: the guide's version is raised with
# its company's (signals.bump_companies), so by any change to the guide, its company, their
# address or anything else the page shows, and its status says whether it is still published.
_KEPT_GUIDE_STATE_SQL = f"""
    SELECT cache_version, votes_yes, votes_total, view_count
    FROM {Guide._meta.db_table} WHERE id = %s AND status = %s
"""  # noqa: S608 (the table name comes from the model, values are parameters)
_PUBLISHED = Guide.Status.PUBLISHED.value


@functools.cache
def _state_cursor_class(vendor):
    """The cursor class for the state queries on this database, or None for Django's own."""
    if vendor == "postgresql":
        import psycopg  # installed with the postgres extra only

        class PreparedCursor(psycopg.Cursor):
            def execute(self, query, params=None, **options):
                return super().execute(query, params, **{"prepare": True, **options})

        return PreparedCursor
    if vendor == "sqlite":
        from django.db.backends.sqlite3.base import SQLiteCursorWrapper

        qmark = {sql: sql.replace("%s", "?") for sql in (_GUIDE_STATE_SQL, _KEPT_GUIDE_STATE_SQL)}

        class QmarkCursor(SQLiteCursorWrapper):
            def execute(self, query, params=None):
                if query in qmark:
                    return sqlite3.Cursor.execute(self, qmark[query], params)
                return super().execute(query, params)

        return QmarkCursor
    return None


def _state_cursor(db):
    """A cursor for the state queries, one of which every page view runs.

    On PostgreSQL, one that runs them as prepared statements. Django's cursors bind parameters
    in Python and are never prepared (settings.py lets psycopg prepare what it is asked to;
    connection poolers in transaction mode keep prepared statements since PgBouncer 1.21).
    For the address query, planning took five times as long as running it (0.11 ms against
    0.02 ms), and binding in Python a third of the client's time: prepared once per
    connection, it costs neither. On SQLite, one that has the queries with SQLite's own
    placeholders, written once, instead of rewriting them with a regular expression at every
    page view (a fifth of the address query's time in Python). Either way, wrapped as Django
    wraps its own cursors, so errors, query logging and execute wrappers stay the same.
    """
    cursor_class = _state_cursor_class(db.vendor)
    if cursor_class is None:
        return db.cursor()
    db.ensure_connection()
    return db._prepare_cursor(cursor_class(db.connection))


def _state_row(sql, params):
    """The row a state query finds, or None."""
    with _state_cursor(connections[DEFAULT_DB_ALIAS]) as cursor:
        cursor.execute(sql, params)
        return cursor.fetchone()


def guide_state(company_slug, slug, language, visitor=None):
    """(the state of the published guide at this address, the visitor's vote on it or None),
    or (None, None) if there is no such guide."""
    row = _state_row(_GUIDE_STATE_SQL, [visitor, company_slug, slug, language, _PUBLISHED])
    if row is None:
        return None, None
    vote = ReaderVote(bool(row[6]), bool(row[7]), row[8]) if row[6] is not None else None
    return GuideState(*row[:6]), vote


def kept_guide_state(kept):
    """The current state of the guide that the kept page `kept` (a FirstVisitPage) shows, read
    from its row alone, or None if it is no longer published. Its company's version is the
    kept one: when it changes, so does the guide's own."""
    row = _state_row(_KEPT_GUIDE_STATE_SQL, [kept.state.pk, _PUBLISHED])
    if row is None:
        return None
    cache_version, votes_yes, votes_total, view_count = row
    return kept.state._replace(
        cache_version=cache_version,
        votes_yes=votes_yes,
        votes_total=votes_total,
        view_count=view_count,
    )


def _key(release, *parts):
    # Pages hold no address taken from the request (seo.absolute_url), so neither the Host
    # header nor the scheme, which any client can vary, is part of the key. The database's
    # identity is: a restore rewinds the versions, and gives the database a new identity. So
    # are the slots' names, which come from the secret key: servers with another key could
    # not fill them.
    return ":".join(
        str(part) for part in (release, _SLOTS_ID, database_identity(), get_language(), *parts)
    )


def cached_page(request, key_parts, render, *, release, seconds=CACHE_SECONDS):
    """A page that is the same for every reader, rendered once by render(csrf_token) and
    cached; the reader's CSRF token is filled in."""
    return with_csrf_token(request, kept_page(key_parts, render, release=release, seconds=seconds))


def kept_page(
    key_parts,
    render,
    *,
    release,
    seconds=CACHE_SECONDS,
    still_right=None,
    copies=local_copies,
    shared=cache,
):
    """What render(csrf_token) gives (a page, or a dict holding one and what the view needs to
    know of it), rendered once and cached, with a slot for the CSRF token: with_csrf_token().
    still_right(value), if given, says whether a kept value may still be served; copies and
    shared, the LocalCopies that keep it in this process and the cache shared by all."""
    key = _key(release, "page", *key_parts)
    # A page kept for less than a day (the home page's lists) may lag: its copy here too.
    local_seconds = None if seconds >= CACHE_SECONDS else seconds
    value = _get(key, local_seconds, copies, shared)
    if value is None or (still_right and not still_right(value)):
        value = render(CSRF_SLOT)
        _set(key, value, seconds, local_seconds=local_seconds, copies=copies, shared=shared)
    return value


def with_csrf_token(request, html):
    return html.replace(CSRF_SLOT, csrf_token(request))


def vote_box(request, state, vote, *, release, render=None):
    """The vote box of the page: the same for every reader with the same answer, until the
    counts change. render(csrf_token) renders it; without render, None if it isn't cached."""
    answer = f"{vote.helpful:d}{vote.feedback_sent:d}" if vote else "none"
    key = _key(
        release,
        "vote-box",
        *state.versions_and_votes,
        answer,
    )
    html = _get(key)
    if html is None and render:
        html = render(CSRF_SLOT)
        _set(key, html, CACHE_SECONDS)
    return html


def guide_shell(request, state, *, release, build_context=None):
    """The guide page of the guide's current version, with slots for what differs between
    readers. build_context() gives the template context to render it; without it, None if it
    isn't cached."""
    key = _key(release, "guide-page", state.pk, state.cache_version, state.company_cache_version)
    shell = _get(key)
    if shell is None and build_context:
        shell_context = {
            **build_context(),
            "vote_html": VOTE_SLOT,
            "views_text": VIEWS_SLOT,
            "csrf_token": CSRF_SLOT,
        }
        shell = render_to_string("guides/guide.html", shell_context, request)
        _set(key, shell, CACHE_SECONDS)
    return shell


def with_vote_box(shell, vote_html):
    return shell.replace(VOTE_SLOT, vote_html)


def fill_guide_page(request, page, *, views_text):
    """The page for this request: the page with its vote box, then the view count and the
    reader's CSRF token."""
    return page.replace(VIEWS_SLOT, conditional_escape(views_text)).replace(
        CSRF_SLOT, csrf_token(request)
    )


class FirstVisitPage(NamedTuple):
    """A guide page as the whole middleware stack gave it to a reader without cookies."""

    company: str
    guide: str
    language: str
    state: GuideState
    # Its headers but for the reader's own cookies and the length (the ETag depends on the
    # votes), and the page as bytes split at its slots (text, slot, text, …, text), so that
    # filling them costs no encoding and no search of a long page.
    headers: dict
    parts: tuple

    def shows(self, state):
        """Whether this is the page of the guide in this state, the view count aside."""
        return self.state.versions_and_votes == state.versions_and_votes


def _first_visit_key(request, release):
    # By address: the page kept there was given by the guide view. Hashed, as an address may
    # hold any character.
    address = hashlib.sha256(request.path.encode()).hexdigest()
    return f"{release}:{_SLOTS_ID}:{database_identity()}:first-visit:{address}"


def keep_first_visit_page(request, response, *, company, guide, language, state, page, release):
    headers = {k: v for k, v in response.items() if k.lower() != "content-length"}
    parts = tuple(_SLOTS.split(page.encode()))
    kept = FirstVisitPage(company, guide, language, state, headers, parts)
    # Kept by address, not by version: guide_page.kept_response serves it only while the guide
    # still has the versions and votes it was made with, so a copy here is as safe.
    _set(_first_visit_key(request, release), kept, CACHE_SECONDS)


def first_visit_page(request, *, release):
    """The FirstVisitPage kept for this address, or None."""
    return _get(_first_visit_key(request, release))


def kept(key_parts, compute, *, release):
    """compute(), cached under a key that changes whenever what it depends on does."""
    key = _key(release, *key_parts)
    value = _get(key)
    if value is None:
        value = compute()
        _set(key, value, CACHE_SECONDS)
    return value


def fill_first_visit_page(request, parts, *, views_text):
    fills = {
        _VIEWS_SLOT_BYTES: conditional_escape(views_text).encode(),
        _CSRF_SLOT_BYTES: csrf_token(request).encode(),
    }
    return b"".join(fills[part] if index % 2 else part for index, part in enumerate(parts))
