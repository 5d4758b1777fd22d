"""What a search shows: guides in the reader's language with the words found marked, the
companies named, and, when nothing is found, the closest company names."""

import html
import re
from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.db.models import Count, F, Q
from django.utils import timezone
from django.utils.safestring import mark_safe

from guides_site.guides.models import Company, Guide

from . import index, text
from .models import MissedSearch

PAGE_SIZE = 10
EXCERPT_CHARS = 160
_TOKEN = re.compile(r"([^\W_]+)", re.UNICODE)


@dataclass
class Results:
    query: str
    guides: list = field(default_factory=list)
    companies: list = field(default_factory=list)
    closest_companies: list = field(default_factory=list)
    total: int = 0
    capped: bool = False  # more guides matched than total, the most a search orders
    page: int = 1

    @property
    def pages(self):
        return max(1, -(-self.total // PAGE_SIZE))

    @property
    def has_next(self):
        return self.page < self.pages

    @property
    def has_previous(self):
        return self.page > 1


def find(raw, language, *, page=1, prefix=False, limit=PAGE_SIZE):
    query = index.parse_query(raw, language, prefix=prefix)
    results = Results(query=raw, page=page)
    if not query.terms:
        return results
    hits, results.total, results.capped, company_ids = index.search(
        query, offset=(page - 1) * limit, limit=limit
    )
    results.guides = _guides([h.guide_id for h in hits], query)
    results.companies = list(_companies_with_guides(company_ids, language))
    if not results.total and not results.companies:
        near = index.engine().companies_like(query.terms, language, threshold=0.2)
        results.closest_companies = list(_companies_with_guides([c for _, c in near], language))[:5]
    return results


def _companies_with_guides(company_ids, language):
    if not company_ids:
        return []
    order = {pk: i for i, pk in reversed(list(enumerate(company_ids)))}
    companies = (
        Company.objects.filter(pk__in=order)
        .prefetch_related("translations")
        .annotate(
            guide_count=Count(
                "guides",
                filter=Q(guides__status=Guide.Status.PUBLISHED, guides__language=language),
            )
        )
        .filter(guide_count__gt=0)
    )
    return sorted(companies, key=lambda c: order[c.pk])


def _guides(ids, query):
    if not ids:
        return []
    found = {
        g.pk: g
        for g in Guide.objects.published()
        .in_language(query.language)
        .filter(pk__in=ids)
        .select_related("company")
        .prefetch_related("company__translations")
    }
    wanted = set(text._stemmer(query.language).stemWords(query.terms))
    last = query.terms[-1] if query.prefix else None
    guides = [found[i] for i in ids if i in found]
    matches = _Matcher(query.language, wanted, last)
    steps, step_counts = _matching_steps(guides, matches)
    for guide in guides:
        guide.step_count = step_counts.get(guide.pk, 0)
        guide.title_marked = mark(guide.title, matches)
        guide.summary_marked = mark(guide.summary, matches)
        step = steps.get(guide.pk)
        guide.step_excerpt = step and mark(step[1], matches)
        guide.step_position = step and step[0]
    return guides


def _matching_steps(guides, matches):
    """({guide id: its first step with a word searched for, as an excerpt}, {guide id: how
    many steps it has}), from one read of their steps."""
    from guides_site.guides.models import Step

    found, counts = {}, {}
    rows = (
        Step.objects.filter(guide__in=guides)
        .order_by("guide_id", "position")
        .values_list("guide_id", "position", "body_html")
    )
    for guide_id, position, body_html in rows:
        counts[guide_id] = counts.get(guide_id, 0) + 1
        if guide_id in found:
            continue
        body = index.plain(body_html)
        for match in _TOKEN.finditer(body):
            if matches(match.group(1)):
                start = max(0, match.start() - EXCERPT_CHARS // 3)
                excerpt = body[start : start + EXCERPT_CHARS]
                found[guide_id] = (
                    position,
                    ("…" if start else "")
                    + excerpt
                    + ("…" if start + EXCERPT_CHARS < len(body) else ""),
                )
                break
    return found, counts


class _Matcher:
    """Whether a word of a guide's text is one searched for: each word folded and stemmed
    once per search, as the same words come back in every step."""

    def __init__(self, language, wanted, last):
        self.stemmer = text._stemmer(language)
        self.wanted = wanted
        self.last = last
        self.seen = {}

    def __call__(self, word):
        found = self.seen.get(word)
        if found is None:
            folded = text.fold(word)
            found = bool(folded) and (
                bool(self.last and folded.startswith(self.last))
                or self.stemmer.stemWord(folded) in self.wanted
            )
            self.seen[word] = found
        return found


def mark(plain, matches):
    """The text, escaped, with the words searched for (matches(word)) in <mark>."""
    parts, done = [], 0
    for match in _TOKEN.finditer(plain):
        if matches(match.group(1)):
            parts += [html.escape(plain[done : match.start()]), "<mark>"]
            parts += [html.escape(match.group(1)), "</mark>"]
            done = match.end()
    parts.append(html.escape(plain[done:]))
    return mark_safe("".join(parts))  # noqa: S308 every part is escaped above


def record_miss(raw, language):
    """Count a search that found nothing: its folded text and the day, nothing else."""
    normalised = text.normalise_query(raw)
    if not normalised:
        return
    day = timezone.localdate()
    updated = MissedSearch.objects.filter(text=normalised, language=language, day=day).update(
        count=F("count") + 1
    )
    if not updated:
        try:
            with transaction.atomic():
                MissedSearch.objects.create(text=normalised, language=language, day=day, count=1)
        except IntegrityError:  # another request counted the first one at the same moment
            MissedSearch.objects.filter(text=normalised, language=language, day=day).update(
                count=F("count") + 1
            )
