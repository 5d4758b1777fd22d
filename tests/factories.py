"""Small helpers that build content trees and rows for tests."""

import re
import textwrap
from datetime import date

from guides_site.guides.models import Company, Guide, Step, Vote

COMPANY_MD = """\
---
name: Acme
website: https://acme.example
country: FR
timezone: Europe/Paris
contacts:
  - kind: phone
    label: Support
    value: "+33 1 23 45 67 89"
    hours: Mo-Fr 09:00-18:00
  - kind: email
    value: help@acme.example
---
Acme sells things.
"""

GUIDE_MD = """\
---
title: How to get a refund from Acme
summary: Get your money back.
published: 2020-01-02
author: Sam Writer
tags: [refund, billing]
---
Acme rarely refunds, but it can.

1. Sign in at [acme](https://acme.example).
2. Open **Billing**.
3. Ask for a refund.

## If Acme says no

Write to the ombudsman.
"""


def write_tree(root, files):
    """Write {relative path: text or bytes} under root and return root."""
    for relative, content in files.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(
                textwrap.dedent(content) if content.startswith("\n") else content, encoding="utf-8"
            )
    return root


def acme_tree(root, **extra):
    files = {"acme/company.md": COMPANY_MD, "acme/refund.md": GUIDE_MD}
    files.update(extra)
    return write_tree(root, files)


def guide_md(front_matter="title: A guide", body="1. Do it.\n"):
    return f"---\n{front_matter}\n---\n{body}"


def make_company(slug="acme", name="Acme", **fields):
    return Company.objects.create(slug=slug, name=name, **fields)


def make_guide(company=None, *, steps=3, slug="refund", language="en", **fields):
    company = company or make_company()
    fields.setdefault("title", "How to get a refund")
    fields.setdefault("published", date(2020, 1, 2))
    fields.setdefault("status", Guide.Status.PUBLISHED)
    guide = Guide.objects.create(company=company, slug=slug, language=language, **fields)
    for position in range(1, steps + 1):
        Step.objects.create(guide=guide, position=position, body_md=f"Do thing {position}.")
    return guide


def add_votes(guide, yes=0, no=0, **fields):
    """Readers' votes, with the guide's stored counts brought up to date as the site does."""
    existing = guide.votes.count()
    Vote.objects.bulk_create(
        [
            Vote(guide=guide, visitor=f"reader-{existing + i}", helpful=i < yes, **fields)
            for i in range(yes + no)
        ]
    )
    Guide.refresh_vote_counts(guide.pk)
    guide.refresh_from_db()


def visit(client, path="/acme/refund/"):
    """Load a page as a reader's browser does, so that the site gives it a visitor id: a
    vote or a step answer counts only from an id given on an earlier page view."""
    client.get(path)
    return client


def form_errors(response):
    return re.findall(r"errorlist.*?</ul>", response.content.decode(), re.S)


def guide_form_data(guide, steps=None, sections=None, **changes):
    """The POST data of the guide change form, with steps as [(id or None, text, position)]
    or [(id or None, text, position, section id or None)], and sections as
    [(id or None, title)]."""
    if steps is None:
        steps = [(s.pk, s.body_md, s.position, s.section_id) for s in guide.steps.all()]
    if sections is None:
        sections = [(s.pk, s.title) for s in guide.sections.all()]
    data = {
        "company": guide.company.pk,
        "title": guide.title,
        "slug": guide.slug,
        "language": guide.language,
        "status": guide.status,
        "summary": guide.summary,
        "intro_md": guide.intro_md,
        "closing_md": guide.closing_md,
        "author": guide.author,
        "published": guide.published.isoformat(),
        "translation_key": guide.translation_key,
        "steps-TOTAL_FORMS": len(steps),
        "steps-INITIAL_FORMS": guide.steps.count(),
        "steps-MIN_NUM_FORMS": 0,
        "steps-MAX_NUM_FORMS": 1000,
        "numbering": guide.numbering,
        "sections-TOTAL_FORMS": len(sections),
        "sections-INITIAL_FORMS": guide.sections.count(),
        "sections-MIN_NUM_FORMS": 0,
        "sections-MAX_NUM_FORMS": 1000,
    }
    for index, (pk, title) in enumerate(sections):
        data[f"sections-{index}-id"] = pk or ""
        data[f"sections-{index}-guide"] = guide.pk
        data[f"sections-{index}-title"] = title
    for index, (pk, text, position, *section) in enumerate(steps):
        data[f"steps-{index}-id"] = pk or ""
        data[f"steps-{index}-guide"] = guide.pk
        data[f"steps-{index}-body_md"] = text
        data[f"steps-{index}-position"] = position
        data[f"steps-{index}-section"] = (section[0] if section else None) or ""
    data.update(changes)
    return data
