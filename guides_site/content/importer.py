"""Put the Markdown content tree into the database: all of it, or nothing.

Identity: a company is its slug; a guide is (company slug, language, slug). Rows are updated
in place, never deleted and re-created, so votes, questions and view counts survive.
A row whose file is unchanged since the last import is left alone, even if an editor
changed it in the admin since; a row changed on both sides is a conflict, skipped unless
`force` is given.

The import streams: files are read one at a time and their guides written a batch at a time,
compared with the rows of that batch only, so its memory and its cost per guide do not grow
with the content.
"""

from dataclasses import dataclass, field
from datetime import date

from django.db import connection, transaction
from django.db.models import F, prefetch_related_objects
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
from guides_site.guides.signals import bump_companies
from guides_site.search import index as search_index

from .parser import (
    CompanyDoc,
    ContentInvalid,
    Imported,
    UnchangedCompany,
    UnchangedGuide,
    walk_tree,
)
from .rendering import render_markdown

# Guides read before they are written together: what the import holds in memory at once.
BATCH = 100
# Rows created or updated from which the database's planner statistics are refreshed.
ANALYZE_AFTER = 1000


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


def import_content(root, *, dry_run=False, prune=False, force=False, progress=None):
    """Check every file under root and sync the database with them, in one transaction.

    Each file is written as soon as it is read and found valid; a file unchanged since the
    last import is only hashed (parser.walk_tree). After the first invalid file nothing more
    is written, but the other files are still checked; then parser.ContentInvalid, listing
    every problem, rolls back what was written. progress, if given, is called with
    the number of files read after each (parser.count_files says how many there are).
    """
    report = ImportReport(dry_run=dry_run)
    errors = []
    with transaction.atomic():
        sync = _Sync(report, force=force, prune=prune)
        for doc in walk_tree(root, errors, progress, imported=sync.imported):
            if not errors:
                sync.add(doc)
        if errors:
            raise ContentInvalid(errors)
        sync.finish()
        if dry_run:
            transaction.set_rollback(True)
    if not dry_run and report.created + report.updated >= ANALYZE_AFTER:
        _refresh_planner_statistics()
    return report


def _refresh_planner_statistics():
    """PostgreSQL plans from statistics that autovacuum refreshes later, if it runs at all:
    right after 20,000 guides were imported it planned searches as if there were 40 (a
    nested loop over every guide: 123 ms for a search its index answers in 4 ms)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


class _Sync:
    """Writes what walk_tree yields: a company, then its guides, BATCH at a time. Keeps only
    keys from one company to the next: its guides' (language, slug) and the company slugs
    seen, for prune."""

    def __init__(self, report, *, force, prune):
        self.report, self.force, self.prune = report, force, prune
        self.company = None  # the row of the company whose guides are being read
        self.row = None  # the row of the folder being read, if it was imported before
        self.batch = []
        self.present = set()
        self.company_slugs = set()

    def imported(self, folder):
        """What the last import wrote of a company folder: {source path: Imported}. Files
        unchanged since are not parsed again, and their rows not read beyond this."""
        self.row = Company.objects.filter(slug=folder).first()
        if self.row is None:
            return {}
        known = {self.row.source_path: Imported(self.row.content_hash)}
        guides = self.row.guides.exclude(source_path="").order_by()
        for path, *keys in guides.values_list(
            "source_path", "content_hash", "language", "slug", "translation_key"
        ):
            known[path] = Imported(*keys)
        return known

    def add(self, doc):
        if isinstance(doc, CompanyDoc | UnchangedCompany):
            self._end_company()
            if isinstance(doc, CompanyDoc):
                self.company = _sync_company(doc, self.row, self.report, self.force)
            else:
                self.company = self.row
                self.report.unchanged += 1
            self.company_slugs.add(doc.slug)
            return
        self.present.add((doc.language, doc.slug))
        if isinstance(doc, UnchangedGuide):
            self.report.unchanged += 1
            return
        self.batch.append(doc)
        if len(self.batch) >= BATCH:
            self._write_batch()

    def finish(self):
        self._end_company()
        if self.prune:
            gone = [
                pk
                for pk, slug in Company.objects.values_list("pk", "slug").iterator()
                if slug not in self.company_slugs
            ]
            for pk in gone:  # companies whose whole folder is gone
                self.report.unpublished += _unpublish_removed(pk, set())
        search_index.flush()

    def _end_company(self):
        if self.company is None:
            return
        if self.batch:
            self._write_batch()
        if self.prune:
            self.report.unpublished += _unpublish_removed(self.company.pk, self.present)
        self.present = set()

    def _write_batch(self):
        _sync_guides(self.batch, self.company, self.report, self.force)
        self.batch = []
        # The search index of what changed, in the same transaction as the import, a batch at
        # a time rather than every changed guide at the end.
        search_index.flush()
        # With DEBUG on, Django keeps the SQL of the last 9,000 queries, which here hold the
        # text of every step written; forgotten unless a test is capturing them.
        if not connection.force_debug_cursor:
            connection.queries_log.clear()


def _sync_company(doc, company, report, force):
    """The company's row (company, if it has one), created or updated from its file unless
    unchanged or a conflict."""
    if company is not None and company.content_hash != doc.content_hash:
        prefetch_related_objects([company], "contacts", "translations")
    if company is None:
        company = Company(slug=doc.slug)
        report.created += 1
    elif _needs_update(company, doc, _company_matches, report, force):
        report.updated += 1
    else:
        return company
    _apply_company(company, doc)
    company.save()
    _replace_contacts(company, doc)
    _replace_translations(company, doc)
    return company


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


def _sync_guides(docs, company, report, force):
    """Create or update a batch of guides of one company."""
    # Files unchanged since their last import stop at the parser (UnchangedGuide); one whose
    # row has another source path is still recognised by its hash, in _needs_update.
    existing = {
        (g.language, g.slug): g
        for g in Guide.objects.filter(company=company, slug__in={d.slug for d in docs}).order_by()
    }
    tags = {
        t.slug: t for t in Tag.objects.filter(slug__in={slugify(n) for d in docs for n in d.tags})
    }
    new = []
    for doc in docs:
        guide = existing.get((doc.language, doc.slug))
        if guide is None:
            new.append(doc)
        elif _needs_update(guide, doc, _guide_matches, report, force):
            _apply_guide(guide, doc)
            guide.updated = doc.updated or date.today()
            guide.save()
            report.updated += 1
            _sync_steps(guide, doc.steps, _sync_sections(guide, doc.sections))
            guide.tags.set([_tag(name, tags) for name in doc.tags])
    if new:
        _create_guides(new, company, tags)
        report.created += len(new)


def _create_guides(docs, company, tags):
    """New guides, their sections, steps and tags, in a few statements for the batch.

    bulk_create neither calls save() nor sends signals, so this does what they do for a new
    guide: render its Markdown, index it, and bump its company's cache version (the company
    page lists its guides).
    """
    guides = []
    for doc in docs:
        guide = Guide(
            company=company,
            slug=doc.slug,
            language=doc.language,
            published=doc.published or date.today(),
        )
        _apply_guide(guide, doc)
        guide.render()
        guides.append(guide)
    Guide.objects.bulk_create(guides)
    sections = [
        [
            Section(guide=guide, position=position, title=section.title)
            for position, section in enumerate(doc.sections, start=1)
        ]
        for guide, doc in zip(guides, docs, strict=True)
    ]
    Section.objects.bulk_create([section for rows in sections for section in rows])
    steps, links = [], []
    for guide, doc, rows in zip(guides, docs, sections, strict=True):
        steps += _new_steps(guide, doc.steps, _step_sections(rows, doc.sections))
        # Two tags may share a slug ("Refund", "refund"): one link.
        tag_ids = {_tag(name, tags).pk for name in doc.tags}
        links += [Guide.tags.through(guide_id=guide.pk, tag_id=tag_id) for tag_id in tag_ids]
    Step.objects.bulk_create(steps)
    Guide.tags.through.objects.bulk_create(links)
    search_index.guides_changed([guide.pk for guide in guides])
    bump_companies(pk=company.pk)


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
    return _step_sections(list(guide.sections.all()), docs)


def _step_sections(sections, docs):
    """For each step, its section row (or None), from the rows and the file's sections."""
    step_sections = [None] * (docs[-1].first_step + docs[-1].step_count - 1 if docs else 0)
    for section, doc in zip(sections, docs, strict=True):
        for index in range(doc.first_step - 1, doc.first_step - 1 + doc.step_count):
            step_sections[index] = section
    return step_sections


def _sync_steps(guide, bodies, step_sections):
    """Update steps in place by position, so per-step feedback stays with its step."""
    steps = list(guide.steps.all())
    changed = []
    # The steps at positions both the file and the row have; the rest are added or deleted.
    for index, (step, body) in enumerate(zip(steps, bodies, strict=False)):
        section = _section_of_step(step_sections, index)
        section_id = section.pk if section else None
        if step.body_md != body or step.section_id != section_id:
            if step.body_md != body:
                step.body_md = body
                step.body_html = render_markdown(body, guide.language)
            step.section_id = section_id
            changed.append(step)
    Step.objects.filter(guide=guide, position__gt=len(bodies)).delete()
    Step.objects.bulk_update(changed, ["body_md", "body_html", "section"])
    Step.objects.bulk_create(_new_steps(guide, bodies, step_sections, start=len(steps)))


def _new_steps(guide, bodies, step_sections, start=0):
    """Rendered rows, not saved yet, for the steps from position start + 1 on."""
    return [
        Step(
            guide=guide,
            position=index + 1,
            section=_section_of_step(step_sections, index),
            body_md=body,
            body_html=render_markdown(body, guide.language),
        )
        for index, body in enumerate(bodies[start:], start=start)
    ]


def _section_of_step(step_sections, index):
    return step_sections[index] if index < len(step_sections) else None


def _tag(name, tags):
    slug = slugify(name)
    if slug not in tags:
        tags[slug] = Tag.objects.create(name=name, slug=slug)
    return tags[slug]


def _unpublish_removed(company_id, present):
    """Unpublish the company's imported guides whose file is gone (present: (language, slug)
    of its files); their votes and questions stay. Returns how many."""
    removed = [
        pk
        for pk, language, slug in Guide.objects.published()
        .filter(company_id=company_id)
        .exclude(source_path="")
        .order_by()
        .values_list("pk", "language", "slug")
        .iterator()
        if (language, slug) not in present
    ]
    unpublished = 0
    for start in range(0, len(removed), BATCH):
        # update() sends no signal: the cached pages that list these guides are refreshed
        # here (their company's page, and each guide's own versions).
        unpublished += Guide.objects.filter(pk__in=removed[start : start + BATCH]).update(
            status=Guide.Status.DRAFT, cache_version=F("cache_version") + 1
        )
    # And the search index's generation, so that no kept search page lists them either.
    search_index.guides_changed(removed)
    if unpublished:
        bump_companies(pk=company_id)
    return unpublished
