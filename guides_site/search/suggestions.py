"""The guides closest to a mistyped address (/netflix/cancl/ → How to cancel Netflix)."""

from django.utils.translation import get_language

from guides_site.guides.models import Company, Guide

from . import index, text
from .results import find

SUGGESTIONS = 5


def closest_guides(path, language=None):
    language = language or get_language()
    parts = [p for p in path.strip("/").split("/") if p]
    if parts and parts[0] == language:
        parts = parts[1:]
    if not parts or len(parts) > 4 or any(len(p) > 100 for p in parts):
        return []
    company = _company(parts[0], language)
    if company is None:
        words = " ".join(p.replace("-", " ") for p in parts)[: text.MAX_QUERY_CHARS]
        return find(words, language, limit=SUGGESTIONS).guides
    guides = list(
        Guide.objects.published()
        .in_language(language)
        .filter(company=company)
        .select_related("company")
        .order_by("-view_count", "title")[:200]
    )
    if len(parts) > 1:
        wanted = text.words(parts[1].replace("-", " "))
        guides.sort(key=lambda g: -_likeness(wanted, g))
    return guides[:SUGGESTIONS]


def _company(slug, language):
    found = Company.objects.filter(slug=slug).first()
    if found:
        return found
    near = index.engine().companies_like(text.words(slug.replace("-", " "))[:3], language)
    return Company.objects.filter(pk=near[0][1]).first() if near else None


def _likeness(wanted, guide):
    """How close the words of the address are to a guide's address and title."""
    words = text.words(f"{guide.slug.replace('-', ' ')} {guide.title}")
    return sum(max((index.similarity(w, g) for g in words), default=0) for w in wanted)
