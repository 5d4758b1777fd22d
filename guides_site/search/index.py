"""The search index: one interface, two engines (SQLite FTS5 and PostgreSQL full-text search).

Why not modelsearch (Wagtail's search, extracted): its SQLite backend indexes with FTS5's
default tokenizer, without stemming for any language, and its PostgreSQL backend takes one
text search configuration for the whole index, while each of our guides is in its own language
and needs that language's stemmer, with accents folded and French elisions cut. So this is a
thin layer over both engines, with the same normalisation on both sides (text.py).

Every guide is indexed, drafts too; a search joins the guide table and keeps only published
guides in the reader's language, so an index a moment behind can never show a draft, and a
deleted guide is gone with its row.
"""

import hashlib
import re
from dataclasses import dataclass
from html import unescape as unescape_entities

from django.core.cache import cache
from django.db import connection, transaction
from django.db.models import F

from . import text

# Within the words of a query, those that are no word of any guide but close to a company's
# name are taken as that company ("amazn return"): the least share of trigrams in common.
COMPANY_SIMILARITY = 0.4
BATCH = 500
# A search orders at most this many guides of each of its parts (sqlite.py, postgres.py), found
# in index order before anything is ranked, so that its cost stops growing with the guides
# that match; a query that matches more is shown as "at least 1,000 guides found" and pages
# through the first 1,000 in ranked order.
CANDIDATES = 1000
# PostgreSQL ranks a guide found by its steps on its whole document, read from TOAST: this
# many at most; the others found by their steps follow them unranked.
BODY_RANKED = 200


@dataclass
class Hit:
    guide_id: int
    rank: float


@dataclass
class Query:
    terms: list  # folded words
    prefix: bool  # the last word may be the start of a longer one (the reader is typing)
    language: str
    any_term: bool = False  # a guide with any of the words, when none has them all


def parse_query(raw, language, *, prefix=False):
    words = text.words(raw)[: text.MAX_QUERY_TERMS]
    return Query(words, prefix and bool(words) and not raw[-1:].isspace(), language)


# --- keeping the index in step with the guides -------------------------------------------


class _Pending:
    """The guides changed in the current transaction: an on_commit callback, so a rollback
    drops it with the changes it would index."""

    def __init__(self):
        self.ids = set()

    def __call__(self):
        ids, self.ids = self.ids, set()
        if ids:
            reindex(sorted(ids))


def _pending():
    for _savepoints, callback, _robust in connection.run_on_commit:
        if isinstance(callback, _Pending):
            return callback
    return None


def guides_changed(guide_ids):
    """Reindex these guides when the current transaction commits (at once outside one)."""
    ids = {i for i in guide_ids if i is not None}
    if not ids:
        return
    if not connection.in_atomic_block:
        reindex(sorted(ids))
        return
    pending = _pending()
    if pending is None:
        pending = _Pending()
        transaction.on_commit(pending)
    pending.ids |= ids


def flush():
    """Reindex what changed so far in this transaction; the importer calls it before it
    commits, so an import and its index are committed together."""
    pending = _pending()
    if pending:
        pending()


GENERATION_SQL = "SELECT number FROM search_indexgeneration WHERE id = 1"


def generation():
    """The index's generation (models.IndexGeneration): 0 before its first change."""
    with connection.cursor() as cursor:
        cursor.execute(GENERATION_SQL)
        row = cursor.fetchone()
    return row[0] if row else 0


def _index_changed():
    # Raised once the index is written: at the end of an import's transaction (the row stays
    # locked only until it commits), or after an edit has committed, in its commit hook.
    from .models import IndexGeneration

    if not IndexGeneration.objects.filter(pk=1).update(number=F("number") + 1):
        IndexGeneration.objects.bulk_create(
            [IndexGeneration(pk=1, number=1)], ignore_conflicts=True
        )
        IndexGeneration.objects.filter(pk=1).update(number=F("number") + 1)


def reindex(guide_ids):
    for start in range(0, len(guide_ids), BATCH):
        batch = guide_ids[start : start + BATCH]
        documents = list(_documents(batch))
        engine().write(batch, documents)
    _index_changed()


def rebuild(progress=None):
    """Drop the index and index every guide again; returns the number indexed."""
    from guides_site.guides.models import Guide

    engine().clear()
    ids = list(Guide.objects.order_by("pk").values_list("pk", flat=True))
    with transaction.atomic():
        for start in range(0, len(ids), BATCH):
            reindex(ids[start : start + BATCH])
            if progress:
                progress(min(start + BATCH, len(ids)))
        _index_company_names(None)
    return len(ids)


def companies_changed(company_ids):
    _index_company_names(company_ids)
    _index_changed()


@dataclass
class Document:
    guide_id: int
    language: str
    title: str
    company: str
    summary: str
    tags: str
    body: str


_TAG = re.compile(r"<[^>]*>")


def plain(html):
    """The words of HTML this site rendered and sanitised itself (nh3): its tags are well
    formed, so a pattern is enough, many times faster than an HTML parser."""
    return unescape_entities(_TAG.sub(" ", html))


def _documents(guide_ids):
    from guides_site.guides.models import Guide, Section, Step

    guides = (
        Guide.objects.filter(pk__in=guide_ids)
        .select_related("company")
        .prefetch_related("tags", "company__translations")
    )
    bodies = {}
    for guide_id, body in Step.objects.filter(guide_id__in=guide_ids).values_list(
        "guide_id", "body_html"
    ):
        bodies.setdefault(guide_id, []).append(plain(body))
    for guide_id, title in Section.objects.filter(guide_id__in=guide_ids).values_list(
        "guide_id", "title"
    ):
        bodies.setdefault(guide_id, []).append(title)
    for guide in guides:
        yield Document(
            guide_id=guide.pk,
            language=guide.language,
            title=guide.title,
            company=guide.company.name_in(guide.language),
            summary=" ".join([guide.summary, plain(guide.intro_html)]),
            tags=" ".join(tag.name for tag in guide.tags.all()),
            body=" ".join([*bodies.get(guide.pk, []), plain(guide.closing_html)]),
        )


def _index_company_names(company_ids):
    """Company names, every language's, folded: what misspelt names are matched against."""
    from guides_site.guides.models import Company

    companies = Company.objects.prefetch_related("translations")
    if company_ids is not None:
        companies = companies.filter(pk__in=company_ids)
    rows = [
        (
            c.pk,
            " ".join(
                sorted(
                    {text.fold(n) for n in [c.name, *(t.name for t in c.translations.all())] if n}
                )
            ),
        )
        for c in companies
    ]
    engine().write_company_names(company_ids, rows)


# --- searching -----------------------------------------------------------------------------


def trigrams(word):
    padded = f"  {word} "
    return {padded[i : i + 3] for i in range(len(padded) - 2)}


def similarity(a, b):
    """pg_trgm's similarity: the share of trigrams two words have in common."""
    ta, tb = trigrams(a), trigrams(b)
    return len(ta & tb) / len(ta | tb) if ta and tb else 0.0


# Readers search for the same things: what a query found is kept this long, under the
# index's generation. Only guide ids are kept; the guides are read fresh and filtered again,
# so an unpublished guide never shows.
RESULTS_CACHE_SECONDS = 60
# Part of each kept result's key: raised when what is kept changes shape, so that a release
# never reads what the one before it kept in a shared cache.
RESULTS_FORMAT = 3


def search(query, *, offset=0, limit=10):
    """(hits, total, capped, companies matched) for a Query, best first; capped: more guides
    matched than the total (CANDIDATES). A word of the query that matches nothing but is
    close to a company's name is read as that company."""
    if not query.terms:
        return [], 0, False, []
    key = (
        f"search:{RESULTS_FORMAT}:"
        + hashlib.sha256(
            repr((connection.vendor, generation(), query, offset, limit)).encode()
        ).hexdigest()
    )
    found = cache.get(key)
    if found is None:
        found = _search(query, offset, limit)
        cache.set(key, found, RESULTS_CACHE_SECONDS)
    return found


def _search(query, offset, limit):
    backend = engine()
    companies = backend.companies_like(query.terms, query.language)
    hits, total, capped = backend.search(query, offset, limit, company_ids=None)
    if total == 0 and companies:
        misspelt = {word for word, _ in companies}
        rest = Query([t for t in query.terms if t not in misspelt], False, query.language)
        ids = [company_id for _, company_id in companies]
        hits, total, capped = backend.search(rest, offset, limit, company_ids=ids)
    if total == 0 and len(query.terms) > 1:
        widened = Query(query.terms, query.prefix, query.language, any_term=True)
        hits, total, capped = backend.search(widened, offset, limit, company_ids=None)
    return hits, total, capped, [company_id for _, company_id in companies]


ADMIN_MATCHES = 1000


def admin_matches(raw):
    """Ids of the guides, drafts too, in any language, whose words match what an editor typed
    in the admin's search box (each language's stems), the best first."""
    from django.conf import settings

    ids = []
    for language, _name in settings.LANGUAGES:
        query = parse_query(raw, language, prefix=True)
        if query.terms:
            ids += engine().matching_ids(query, ADMIN_MATCHES)
    return ids


class GuideTable:
    """What both engines do alike with their table of indexed guides, search_guide."""

    @staticmethod
    def page_and_count(select, params, limit, offset):
        """(the rows of one page of a search, the rows to read its count from): one statement,
        and past the last page a second one for the count alone."""
        with connection.cursor() as cursor:
            cursor.execute(f"{select} LIMIT %s OFFSET %s", [*params, limit, offset])
            rows = cursor.fetchall()
            if rows or not offset:
                return rows, rows
            cursor.execute(f"{select} LIMIT 1", params)
            return [], cursor.fetchall()

    def indexed_count(self):
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM search_guide")
            return cursor.fetchone()[0]

    def clear(self):
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM search_guide")


def close_names(term, candidates, threshold):
    """(term, company id) for the names with a word close enough to the term, best first."""
    scored = []
    for company_id, name in candidates:
        score = max(similarity(term, word) for word in [name, *name.split()])
        if score >= threshold:
            scored.append((score, company_id))
    return [(term, company_id) for _, company_id in sorted(scored, reverse=True)[:5]]


def engine():
    if connection.vendor == "postgresql":
        from .postgres import PostgresEngine

        return PostgresEngine()
    from .sqlite import SQLiteEngine

    return SQLiteEngine()
