"""Put the Markdown content tree into the database: all of it, or nothing.

Identity: a company is its slug; a guide is (company slug, language, slug). Rows are updated
in place, never deleted and re-created, so votes, questions and view counts survive.
A row whose file is unchanged since the last import is left alone, even if an editor
changed it in the admin since; a row changed on both sides is a conflict, skipped unless
`force` is given.
"""

from dataclasses import dataclass, field
from datetime import date

from django.db import transaction
from django.utils.text import slugify

from guides_site.contacts.models import ContactChannel
from guides_site.guides.models import (
    Company,
    CompanyTranslation,
    Guide,
    Section,
    Step,
    Tag,
)
from guides_site.search import index as search_index

from .parser import load_tree
from .rendering import render_markdown


@dataclass
class ImportReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    unpublished: int = 0
    conflicts: list = field(default_factory=list)
    dry_run: bool = False

    def summary(self):
        text = f"{self.created} created, {self.updated} updated, {self.unchanged} unchanged"
        if self.unpublished:
            text += f", {self.unpublished} unpublished"
        if self.conflicts:
            text += f", {len(self.conflicts)} conflicts"
        return text


def import_content(root, *, dry_run=False, prune=False, force=False):
    """Validate every file under root, then sync the database in one transaction.

    Raises parser.ContentInvalid, listing every problem, before anything is written.
    """
    tree = load_tree(root)
    report = ImportReport(dry_run=dry_run)
    with transaction.atomic():
        companies = _sync_companies(tree.companies, report, force)
        _sync_guides(tree.guides, companies, report, force)
        if prune:
            _unpublish_removed(tree.guides, report)
        # The search index of what changed, in the same transaction as the import.
        search_index.flush()
        if dry_run:
            transaction.set_rollback(True)
    return report


def _sync_companies(docs, report, force):
    existing = {c.slug: c for c in Company.objects.prefetch_related("contacts", "translations")}
    companies = {}
    for doc in docs:
        company = existing.get(doc.slug)
        if company is None:
            company = Company(slug=doc.slug)
            _apply_company(company, doc)
            company.save()
            _replace_contacts(company, doc)
            _replace_translations(company, doc)
            report.created += 1
        elif _needs_update(company, doc, _company_matches, report, force):
            _apply_company(company, doc)
            company.save()
            _replace_contacts(company, doc)
            _replace_translations(company, doc)
            report.updated += 1
        companies[doc.slug] = company
    return companies


def _apply_company(company, doc):
    company.name = doc.name
    company.website = doc.website
    company.about_md = doc.about_md
    company.country = doc.country
    company.timezone = doc.timezone
    company.source_path = doc.source_path
    company.content_hash = doc.content_hash
    company.edited_since_import = False


# What a file says of a contact channel, compared with what the database holds.
_CONTACT_FIELDS = (
    "kind",
    "value",
    "label",
    "hours",
    "timezone",
    "country",
    "cost",
    "note",
    "checked",
    "menu",
    "languages",
)


def _company_matches(company, doc):
    contacts = tuple(
        tuple(getattr(c, name) for name in _CONTACT_FIELDS) for c in company.contacts.all()
    )
    translations = sorted((t.language, t.name, t.about_md) for t in company.translations.all())
    return (
        company.name == doc.name
        and company.website == doc.website
        and company.about_md == doc.about_md
        and company.country == doc.country
        and company.timezone == doc.timezone
        and contacts
        == tuple(tuple(getattr(c, name) for name in _CONTACT_FIELDS) for c in doc.contacts)
        and translations == sorted((t.language, t.name, t.about_md) for t in doc.translations)
    )


def _replace_contacts(company, doc):
    """Channels are replaced by position; a channel's readers' reports stay with the
    channel at its position (the same channel, unless the author reordered them)."""
    existing = {c.position: c for c in company.contacts.all()}
    kept = []
    for position, contact in enumerate(doc.contacts, start=1):
        channel = existing.pop(position, None) or ContactChannel(company=company)
        channel.position = position
        for name in _CONTACT_FIELDS:
            setattr(channel, name, getattr(contact, name))
        kept.append(channel)
    ContactChannel.objects.filter(pk__in=[c.pk for c in existing.values()]).delete()
    ContactChannel.objects.bulk_update([c for c in kept if c.pk], ["position", *_CONTACT_FIELDS])
    ContactChannel.objects.bulk_create([c for c in kept if not c.pk])


def _replace_translations(company, doc):
    company.translations.exclude(language__in=[t.language for t in doc.translations]).delete()
    for translation in doc.translations:
        row = next(
            (t for t in company.translations.all() if t.language == translation.language),
            None,
        ) or CompanyTranslation(company=company, language=translation.language)
        row.name = translation.name
        row.about_md = translation.about_md
        row.save()


def _needs_update(row, doc, matches, report, force):
    """Decide whether a file's content should overwrite an existing row."""
    if row.content_hash == doc.content_hash or matches(row, doc):
        report.unchanged += 1
        return False
    if row.edited_since_import and not force:
        report.conflicts.append(
            f"{doc.display_path}: changed in the file and in the admin since the last "
            "import; kept the admin version (use --force to overwrite it with the file)"
        )
        return False
    return True


def _sync_guides(docs, companies, report, force):
    existing = {
        (g.company.slug, g.language, g.slug): g for g in Guide.objects.select_related("company")
    }
    tags = {t.slug: t for t in Tag.objects.all()}
    for doc in docs:
        guide = existing.get((doc.company_slug, doc.language, doc.slug))
        if guide is None:
            guide = Guide(
                company=companies[doc.company_slug],
                slug=doc.slug,
                language=doc.language,
                published=doc.published or date.today(),
            )
            _apply_guide(guide, doc)
            guide.save()
            report.created += 1
        elif _needs_update(guide, doc, _guide_matches, report, force):
            _apply_guide(guide, doc)
            guide.updated = doc.updated or date.today()
            guide.save()
            report.updated += 1
        else:
            continue
        _sync_steps(guide, doc.steps, _sync_sections(guide, doc.sections))
        guide.tags.set([_tag(name, tags) for name in doc.tags])


def _apply_guide(guide, doc):
    guide.translation_key = doc.translation_key
    guide.title = doc.title
    guide.summary = doc.summary
    guide.author = doc.author
    guide.intro_md = doc.intro_md
    guide.closing_md = doc.closing_md
    guide.numbering = doc.numbering
    guide.published = doc.published or guide.published
    guide.updated = doc.updated
    guide.status = Guide.Status.DRAFT if doc.draft else Guide.Status.PUBLISHED
    guide.source_path = doc.source_path
    guide.content_hash = doc.content_hash
    guide.edited_since_import = False


def _guide_matches(guide, doc):
    # Dates a file leaves out are the site's to keep, so only dates it sets are compared.
    return (
        guide.translation_key == doc.translation_key
        and guide.title == doc.title
        and guide.summary == doc.summary
        and guide.author == doc.author
        and guide.intro_md == doc.intro_md
        and guide.closing_md == doc.closing_md
        and (doc.published is None or guide.published == doc.published)
        and (doc.updated is None or guide.updated == doc.updated)
        and guide.is_published != doc.draft
        and sorted(t.slug for t in guide.tags.all()) == sorted({slugify(t) for t in doc.tags})
        and [s.body_md for s in guide.steps.all()] == list(doc.steps)
        and guide.numbering == doc.numbering
        and _sections_of(guide) == _sections_of_doc(doc)
    )


def _sections_of(guide):
    """Each step's section title (None outside any), in order: what the file says of them."""
    titles = {section.pk: section.title for section in guide.sections.all()}
    return [titles.get(step.section_id) for step in guide.steps.all()]


def _sections_of_doc(doc):
    titles = [None] * len(doc.steps)
    for section in doc.sections:
        for index in range(section.first_step - 1, section.first_step - 1 + section.step_count):
            titles[index] = section.title
    return titles


def _sync_sections(guide, docs):
    """Update sections in place by position; return, for each step, its section (or None)."""
    sections = list(guide.sections.all())
    changed, new = [], []
    for position, doc in enumerate(docs, start=1):
        if position <= len(sections):
            section = sections[position - 1]
            if section.title != doc.title:
                section.title = doc.title
                changed.append(section)
        else:
            new.append(Section(guide=guide, position=position, title=doc.title))
    Section.objects.filter(guide=guide, position__gt=len(docs)).delete()
    Section.objects.bulk_update(changed, ["title"])
    Section.objects.bulk_create(new)
    by_position = list(guide.sections.all())
    step_sections = [None] * (docs[-1].first_step + docs[-1].step_count - 1 if docs else 0)
    for section, doc in zip(by_position, docs, strict=True):
        for index in range(doc.first_step - 1, doc.first_step - 1 + doc.step_count):
            step_sections[index] = section
    return step_sections


def _sync_steps(guide, bodies, step_sections):
    """Update steps in place by position, so per-step feedback stays with its step."""
    steps = list(guide.steps.all())
    changed, new = [], []
    for position, body in enumerate(bodies, start=1):
        index = position - 1
        section = step_sections[index] if index < len(step_sections) else None
        section_id = section.pk if section else None
        if position <= len(steps):
            step = steps[index]
            if step.body_md != body or step.section_id != section_id:
                if step.body_md != body:
                    step.body_md = body
                    step.body_html = render_markdown(body, guide.language)
                step.section_id = section_id
                changed.append(step)
        else:
            new.append(
                Step(
                    guide=guide,
                    position=position,
                    section_id=section_id,
                    body_md=body,
                    body_html=render_markdown(body, guide.language),
                )
            )
    Step.objects.filter(guide=guide, position__gt=len(bodies)).delete()
    Step.objects.bulk_update(changed, ["body_md", "body_html", "section"])
    Step.objects.bulk_create(new)


def _tag(name, tags):
    slug = slugify(name)
    if slug not in tags:
        tags[slug] = Tag.objects.create(name=name, slug=slug)
    return tags[slug]


def _unpublish_removed(docs, report):
    """Unpublish imported guides whose file is gone; their votes and questions stay."""
    present = {(d.company_slug, d.language, d.slug) for d in docs}
    removed = [
        g.pk
        for g in Guide.objects.published().exclude(source_path="").select_related("company")
        if (g.company.slug, g.language, g.slug) not in present
    ]
    report.unpublished = Guide.objects.filter(pk__in=removed).update(status=Guide.Status.DRAFT)
