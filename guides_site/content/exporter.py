"""Write the database back out as a content tree that imports to the same rows."""

from pathlib import Path

import yaml
from django.conf import settings

from guides_site.guides.models import Company

from .parser import COMPANY_FILE

# Continuation lines of a step are indented by four spaces, which Markdown and the
# parser both read as "still inside this step".
_STEP_INDENT = "    "


def export_content(root):
    """Write every company and guide under root; return (companies, guides) written."""
    root = Path(root)
    companies = guides = 0
    for company in Company.objects.prefetch_related(
        "contacts", "translations", "guides__steps", "guides__sections", "guides__tags"
    ):
        folder = root / company.slug
        folder.mkdir(parents=True, exist_ok=True)
        _write(folder / COMPANY_FILE, _company_front_matter(company), company.about_md)
        for translation in company.translations.all():
            if not (translation.name or translation.about_md):
                continue  # an empty file would not import
            front_matter = {"name": translation.name} if translation.name else None
            path = folder / f"company.{translation.language}.md"
            _write(path, front_matter, translation.about_md)
        companies += 1
        for guide in company.guides.all():
            _write(folder / _guide_file_name(guide), _guide_front_matter(guide), _guide_body(guide))
            guides += 1
    return companies, guides


def _write(path, front_matter, body):
    text = ""
    if front_matter is not None:
        text = (
            "---\n"
            + yaml.safe_dump(
                front_matter,
                allow_unicode=True,
                sort_keys=False,
                default_flow_style=False,
                width=1000,
            )
            + "---\n"
        )
    if body:
        text += body + "\n"
    path.write_text(text, encoding="utf-8")


def _company_front_matter(company):
    data = {"name": company.name}
    if company.website:
        data["website"] = company.website
    if company.country:
        data["country"] = company.country
    if company.timezone:
        data["timezone"] = company.timezone
    contacts = []
    for channel in company.contacts.all():
        contact = {"kind": channel.kind}
        if channel.label:
            contact["label"] = _texts(channel.label)
        contact["value"] = channel.value
        for name in ("hours", "timezone", "country"):
            if getattr(channel, name):
                contact[name] = getattr(channel, name)
        for name in ("cost", "note"):
            if getattr(channel, name):
                contact[name] = _texts(getattr(channel, name))
        if channel.checked:
            contact["checked"] = channel.checked
        if channel.languages:
            contact["languages"] = list(channel.languages)
        if channel.menu:
            contact["menu"] = [
                {**{k: v for k, v in step.items() if k != "for"}, "for": _texts(step["for"])}
                for step in channel.menu
            ]
        contacts.append(contact)
    if contacts:
        data["contacts"] = contacts
    return data


def _texts(texts):
    """A text in the default language alone is written as plain text, as authors do."""
    if set(texts) == {settings.LANGUAGE_CODE}:
        return texts[settings.LANGUAGE_CODE]
    return dict(texts)


def _guide_file_name(guide):
    # The translation key is "<company>/<name>": files sharing a name are translations.
    name = guide.translation_key.rpartition("/")[2] or guide.slug
    if guide.language == settings.LANGUAGE_CODE:
        return f"{name}.md"
    return f"{name}.{guide.language}.md"


def _guide_front_matter(guide):
    name = guide.translation_key.rpartition("/")[2] or guide.slug
    data = {"title": guide.title}
    if guide.slug != name:
        data["slug"] = guide.slug
    if guide.summary:
        data["summary"] = guide.summary
    data["published"] = guide.published
    if guide.updated:
        data["updated"] = guide.updated
    if guide.author:
        data["author"] = guide.author
    tags = [tag.name for tag in guide.tags.all()]
    if tags:
        data["tags"] = tags
    if not guide.is_published:
        data["draft"] = True
    if guide.numbering != guide.Numbering.CONTINUOUS:
        data["numbering"] = guide.numbering
    return data


def _guide_body(guide):
    parts = []
    if guide.intro_md:
        parts.append(guide.intro_md)
    # A section's "## " heading goes before its first step; the steps of a section are
    # one numbered list.
    titles = {section.pk: section.title for section in guide.sections.all()}
    steps, section_id = [], None
    for position, step in enumerate(guide.steps.all(), start=1):
        if step.section_id != section_id and step.section_id in titles:
            if steps:
                parts.append("\n".join(steps))
                steps = []
            parts.append(f"## {titles[step.section_id]}")
        section_id = step.section_id
        steps.append(_step_markdown(position, step.body_md))
    if steps:
        parts.append("\n".join(steps))
    if guide.closing_md:
        parts.append(guide.closing_md)
    return "\n\n".join(parts)


def _step_markdown(position, body):
    first, *rest = body.split("\n")
    lines = [f"{position}. {first}"]
    lines += [_STEP_INDENT + line if line else "" for line in rest]
    return "\n".join(lines)
