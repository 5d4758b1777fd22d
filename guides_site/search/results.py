"""What a search shows: guides in the reader's language with the words found marked, the
companies named, and, when nothing is found, the closest company names."""

import re
from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.db.models import Count, F, Q
from django.utils import timezone
from django.utils.html import escape
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
        .annotate(step_count=Count("steps"))
    }
    wanted = set(text._stemmer(query.language).stemWords(query.terms))
    last = query.terms[-1] if query.prefix else None
    guides = [found[i] for i in ids if i in found]
    steps = _matching_steps(guides, query.language, wanted, last)
    for guide in guides:
        guide.title_marked = mark(guide.title, query.language, wanted, last)
        guide.summary_marked = mark(guide.summary, query.language, wanted, last)
        step = steps.get(guide.pk)
        guide.step_excerpt = step and mark(step[1], query.language, wanted, last)
        guide.step_position = step and step[0]
    return guides


def _matching_steps(guides, language, wanted, last):
    """For each guide, its first step with a word searched for, as an excerpt."""
    from guides_site.guides.models import Step

    found = {}
    rows = (
        Step.objects.filter(guide__in=guides)
        .order_by("guide_id", "position")
        .values_list("guide_id", "position", "body_html")
    )
    for guide_id, position, body_html in rows:
        if guide_id in found:
            continue
        body = index.plain(body_html)
        for match in _TOKEN.finditer(body):
            if _matches(match.group(1), language, wanted, last):
                start = max(0, match.start() - EXCERPT_CHARS // 3)
                excerpt = body[start : start + EXCERPT_CHARS]
                found[guide_id] = (
                    position,
                    ("…" if start else "")
                    + excerpt
                    + ("…" if start + EXCERPT_CHARS < len(body) else ""),
                )
                break
    return found


def _matches(word, language, wanted, last):
    folded = text.fold(word)
    if last and folded.startswith(last):
        return True
    return bool(folded) and text._stemmer(language).stemWord(folded) in wanted


def mark(plain, language, wanted, last):
    """The text, escaped, with the words searched for in <mark>."""
    parts = []
    for i, part in enumerate(_TOKEN.split(plain)):
        if i % 2 and _matches(part, language, wanted, last):
            parts.append(f"<mark>{escape(part)}</mark>")
        else:
            parts.append(escape(part))
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
