"""Read the Markdown content tree into plain documents, or report every problem in it.

Nothing here touches the database: `walk_tree` yields the companies and guides of a content
folder one file at a time and collects each problem as `path:line: message`; `load_tree`
returns them all, or raises ContentInvalid listing every problem.
The format is documented in content/README.md.
"""

import bisect
import difflib
import functools
import hashlib
import re
import reprlib
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import yaml
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator, validate_email
from django.utils.text import slugify

from guides_site.contacts import rules as channel_rules
from guides_site.guides.models import RESERVED_COMPANY_SLUGS, SLUG_PATTERN

from .rendering import MAX_STEP_CHARS, MAX_TEXT_CHARS, check_markdown, normalise_source

MAX_FILE_BYTES = 1024 * 1024
COMPANY_FILE = "company.md"
GUIDE_KEYS = (
    "title",
    "slug",
    "lang",
    "summary",
    "published",
    "updated",
    "author",
    "tags",
    "draft",
    "numbering",
)
NUMBERING_CHOICES = ("continuous", "per-section")
COMPANY_KEYS = ("name", "website", "country", "timezone", "contacts")
COMPANY_TRANSLATION_KEYS = ("name",)
CONTACT_KEYS = (
    "kind",
    "label",
    "value",
    "hours",
    "timezone",
    "country",
    "cost",
    "note",
    "checked",
    "menu",
    "languages",
)
# Field lengths, so that a long value is a content error rather than a database error.
MAX_LENGTHS = {
    "title": 200,
    "slug": 100,
    "summary": 300,
    "author": 100,
    "tag": 60,
    "name": 100,
    "website": 200,
    "label": 100,
    "value": 300,
    "hours": 200,
    "section": 200,
    # Company.slug (the folder name) and Guide.translation_key (folder/file name).
    "company slug": 60,
    "translation key": 170,
}

_SLUG_RE = re.compile(SLUG_PATTERN)
# company.md and its translations (company.fr.md) describe the company, not a guide.
_COMPANY_FILE_RE = re.compile(r"company(?:\.[^.]+)?\.md")
# A step starts a line with a number followed by "." or ")" (up to 3 spaces of indentation,
# as in Markdown); the number written is ignored.
_STEP_RE = re.compile(r"^ {0,3}\d{1,9}[.)](?:[ \t]+(.*))?$")
_FENCE_RE = re.compile(r"^ {0,3}(```|~~~)")
# After a step line, an unindented line continues the step's paragraph unless it starts
# another kind of block.
_BLOCK_START_RE = re.compile(r"^(#|[-*+] |>|\||```|~~~|---|\*\*\*|___)")
# A "## " or "### " heading, unindented: it starts a section when steps follow it.
_HEADING_RE = re.compile(r"^#{2,3}[ \t]+(.*?)(?:[ \t]+#+)?[ \t]*$")

# Characters YAML refuses in a stream (its "printable" set, minus what it allows).
_NOT_YAML_RE = re.compile(r"[^\t\n\r\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
# What PyYAML's constructors raise, besides YAMLError, on a value that does not fit an
# explicit tag (`!!bool maybe`, `!!int ""`, `!!timestamp soon`) or that nests too deeply.
_CONSTRUCT_ERRORS = (
    yaml.YAMLError,
    ValueError,
    TypeError,
    OverflowError,
    KeyError,
    IndexError,
    AttributeError,
    RecursionError,
)

# Shows a few items of a few levels of a list or mapping in an error message.
_SHORT_REPR = reprlib.Repr()
_SHORT_REPR.maxlevel = 2
_SHORT_REPR.maxlist = _SHORT_REPR.maxdict = _SHORT_REPR.maxset = 4
_SHORT_REPR.maxstring = _SHORT_REPR.maxother = 60

try:
    _Loader = yaml.CSafeLoader
except AttributeError:  # PyYAML built without libyaml
    _Loader = yaml.SafeLoader


@dataclass(frozen=True)
class ContentError:
    path: str
    line: int | None
    message: str

    def __str__(self):
        if self.line:
            return f"{self.path}:{self.line}: {self.message}"
        return f"{self.path}: {self.message}"


class ContentInvalid(Exception):
    def __init__(self, errors):
        self.errors = sorted(errors, key=lambda e: (e.path, e.line or 0))
        super().__init__("\n".join(str(e) for e in self.errors))


@dataclass(frozen=True)
class ContactDoc:
    kind: str
    value: str
    # Texts readers see: {language: text}.
    label: dict = field(default_factory=dict)
    hours: str = ""
    timezone: str = ""
    country: str = ""
    cost: dict = field(default_factory=dict)
    note: dict = field(default_factory=dict)
    checked: date | None = None
    menu: list = field(default_factory=list)
    languages: list = field(default_factory=list)


@dataclass
class CompanyTranslationDoc:
    language: str
    name: str
    about_md: str
    content_hash: str = field(default="", compare=False)
    display_path: str = field(default="", compare=False)


@dataclass
class CompanyDoc:
    slug: str
    name: str
    website: str
    about_md: str
    contacts: tuple
    source_path: str
    content_hash: str
    display_path: str = field(default="", compare=False)
    country: str = ""
    timezone: str = ""
    translations: tuple = ()


@dataclass(frozen=True)
class Imported:
    """What the last import wrote of a file: the hash of its bytes and, of a guide, its keys."""

    content_hash: str
    language: str = ""
    slug: str = ""
    translation_key: str = ""


@dataclass
class UnchangedCompany:
    """A company whose files are byte for byte those of its last import: valid then, and
    left alone by the import, so not parsed again."""

    slug: str
    display_path: str


@dataclass
class UnchangedGuide:
    """A guide file byte for byte that of its last import, not parsed again: its keys are
    the row's."""

    language: str
    slug: str
    translation_key: str
    display_path: str
    first_line: int = 1


@dataclass
class GuideDoc:
    company_slug: str
    translation_key: str
    slug: str
    language: str
    title: str
    summary: str
    author: str
    published: date | None
    updated: date | None
    tags: tuple
    draft: bool
    intro_md: str
    steps: tuple
    closing_md: str
    source_path: str
    content_hash: str
    display_path: str = field(default="", compare=False)
    first_line: int = field(default=1, compare=False)
    # (title, number of the section's first step, counted from 1), in file order; steps
    # before the first heading belong to no section.
    sections: tuple = ()
    numbering: str = "continuous"


@dataclass(frozen=True)
class SectionDoc:
    title: str
    first_step: int
    step_count: int


@dataclass
class ContentTree:
    companies: list
    guides: list


class _FileErrors:
    """Collects the problems of one file, with its display path."""

    def __init__(self, path):
        self.path = path
        self.errors = []

    def add(self, line, message):
        self.errors.append(ContentError(self.path, line, message))


def language_codes():
    return [code for code, _name in settings.LANGUAGES]


def load_tree(root):
    """Every company and guide of a content folder, or ContentInvalid listing every problem.
    Holds the whole tree in memory: the import streams it with walk_tree instead."""
    errors, companies, guides = [], [], []
    for doc in walk_tree(root, errors):
        (companies if isinstance(doc, CompanyDoc) else guides).append(doc)
    if errors:
        raise ContentInvalid(errors)
    return ContentTree(companies, guides)


def walk_tree(root, errors, progress=None, imported=None):
    """Yield each company of a content folder, then its guides, reading one file at a time.

    Every problem found is appended to errors, and an invalid file is not yielded; nothing of
    a file is kept once it is yielded but the small keys of the duplicate checks. progress,
    if given, is called with how many files were read after each (count_files says how many
    there will be).
    imported, if given, is called with each folder's name and returns what the last import
    wrote of it, {source path: Imported}: a file whose bytes have that hash is yielded as
    UnchangedCompany or UnchangedGuide without being parsed.
    """
    root = Path(root)
    if not root.is_dir():
        raise ContentInvalid([ContentError(str(root), None, "content folder not found")])
    for folder in _folders(root):
        company_file, translation_files, guide_files = _folder_files(folder)
        if not company_file.is_file():
            if guide_files:
                errors.append(
                    ContentError(
                        str(folder),
                        None,
                        f"no {COMPANY_FILE}: every company folder needs one "
                        "(name, website, contacts)",
                    )
                )
            continue
        known = imported(folder.name) if imported else {}
        company = _unchanged_company(company_file, translation_files, root, known)
        if company:
            if progress:
                progress(1 + len(translation_files))
            yield company
            translations = []
        else:
            company = _parse_file(company_file, root, errors, _parse_company, progress)
            translations = [
                _parse_file(path, root, errors, _parse_company_translation, progress)
                for path in translation_files
            ]
        if isinstance(company, CompanyDoc) and all(translations):
            company.translations = tuple(translations)
            company.content_hash = _company_hash(
                [company.content_hash, *(t.content_hash for t in translations)]
            )
            yield company
        # Both keys of a guide start with its folder's name: duplicates are within a folder.
        duplicates = _Duplicates()
        for path in guide_files:
            guide = _unchanged_guide(path, root, known)
            if guide:
                if progress:
                    progress()
            else:
                guide = _parse_file(path, root, errors, _parse_guide, progress)
            if guide is None:
                continue
            error = duplicates.check(guide)
            if error:
                errors.append(error)
            else:
                yield guide


def _unchanged_company(company_file, translation_files, root, known):
    entry = known.get(company_file.relative_to(root).as_posix())
    if entry is None:
        return None
    hashes = [_hash_of(path) for path in (company_file, *translation_files)]
    if None in hashes or _company_hash(hashes) != entry.content_hash:
        return None
    return UnchangedCompany(company_file.parent.name, str(company_file))


def _unchanged_guide(path, root, known):
    entry = known.get(path.relative_to(root).as_posix())
    if entry is None or _hash_of(path) != entry.content_hash:
        return None
    return UnchangedGuide(entry.language, entry.slug, entry.translation_key, str(path))


def _company_hash(file_hashes):
    """One hash for a company's file and its translations': a change to any is a change."""
    return hashlib.sha256("".join(file_hashes).encode()).hexdigest()


def _hash_of(path):
    """The hash a parsed file gets, of its bytes; None if it cannot be read (then it is
    parsed, which says why)."""
    try:
        if path.stat().st_size > MAX_FILE_BYTES:
            return None
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return None


def count_files(root):
    """How many files walk_tree reads under root."""
    root = Path(root)
    if not root.is_dir():
        return 0
    total = 0
    for folder in _folders(root):
        company_file, translation_files, guide_files = _folder_files(folder)
        if company_file.is_file():
            total += 1 + len(translation_files) + len(guide_files)
    return total


def _folders(root):
    return sorted(p for p in root.iterdir() if p.is_dir() and not p.name.startswith("."))


def _folder_files(folder):
    """(company.md, its translations, the guides) of a company folder, in order."""
    # Sub-folders are ignored, even one whose name ends in .md (content/README.md).
    guide_files = sorted(
        p
        for p in folder.glob("*.md")
        if not _COMPANY_FILE_RE.fullmatch(p.name) and not p.name.startswith(".") and not p.is_dir()
    )
    translation_files = sorted(
        p for p in folder.glob("company.*.md") if p.name != COMPANY_FILE and not p.is_dir()
    )
    return folder / COMPANY_FILE, translation_files, guide_files


class _Duplicates:
    """Two guides of a folder with the same slug and language, or from two files of the same
    name and language (refund.md and refund.en.md): the first file keeps it."""

    def __init__(self):
        self.by_slug, self.by_name = {}, {}

    def check(self, guide):
        slug_key = (guide.language, guide.slug)
        name_key = (guide.translation_key, guide.language)
        error = None
        if slug_key in self.by_slug:
            error = ContentError(
                guide.display_path,
                guide.first_line,
                f"duplicate guide: slug {guide.slug!r} in language {guide.language!r} is "
                f"already used by {self.by_slug[slug_key]}",
            )
        elif name_key in self.by_name:
            error = ContentError(
                guide.display_path,
                guide.first_line,
                f"two files give the same guide in language {guide.language!r}: "
                f"this one and {self.by_name[name_key]}",
            )
        self.by_slug.setdefault(slug_key, guide.display_path)
        self.by_name.setdefault(name_key, guide.display_path)
        return error


def _parse_file(path, root, errors, parse, progress=None):
    relative = path.relative_to(root).as_posix()
    file_errors = _FileErrors(str(path))
    text, raw = _read_text(path, file_errors)
    if progress:
        progress()
    doc = None
    if text is not None:
        doc = parse(text, relative, file_errors)
    if doc is not None and not file_errors.errors:
        doc.content_hash = hashlib.sha256(raw).hexdigest()
        doc.display_path = str(path)
        return doc
    errors.extend(file_errors.errors)
    return None


def _read_text(path, errors):
    if not path.is_file():
        errors.add(
            None,
            "not a file (a link to nothing?): only Markdown files may have a name ending in .md",
        )
        return None, None
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            errors.add(None, f"file is {size:,} bytes; the limit is {MAX_FILE_BYTES:,} (1 MiB)")
            return None, None
        raw = path.read_bytes()
    except OSError as exc:
        errors.add(None, f"cannot read the file: {exc.strerror or exc}")
        return None, None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        # Lines end with \n, \r\n or \r, as everywhere else in this module.
        before = raw[: exc.start].replace(b"\r\n", b"\n").replace(b"\r", b"\n")
        line = before.count(b"\n") + 1
        errors.add(line, f"not UTF-8 text (byte 0x{raw[exc.start]:02x}); save the file as UTF-8")
        return None, None
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        errors.add(None, "file is empty")
        return None, None
    if "\x00" in text:
        # The database could not store it (PostgreSQL refuses NUL in text).
        line = text.count("\n", 0, text.index("\x00")) + 1
        errors.add(line, "contains a NUL character (U+0000); remove it")
        return None, None
    return text, raw


def _split_front_matter(text, errors):
    """Return (mapping node, line_of(mark) for its marks, body lines, line number of the
    first body line)."""
    lines = text.split("\n")
    if lines[0].rstrip() != "---":
        errors.add(
            1,
            "no front matter: the file must start with a line '---', then YAML "
            "fields (title: …), then another '---'",
        )
        return None
    end = next((i for i in range(1, len(lines)) if lines[i].rstrip() in ("---", "...")), None)
    if end is None:
        errors.add(1, "front matter is not closed: add a line '---' after the YAML fields")
        return None
    yaml_text = "\n".join(lines[1:end])
    line_of = _line_finder(yaml_text)
    loader = None
    try:
        loader = _Loader(yaml_text)
        node = loader.get_single_node()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = line_of(mark) if mark else 1
        errors.add(line, f"invalid YAML in front matter: {exc.problem or exc.context}")
        return None
    except yaml.YAMLError as exc:
        # A character YAML refuses (ReaderError); libyaml gives its place in bytes, not
        # characters, so find it again.
        bad = _NOT_YAML_RE.search(yaml_text)
        line = yaml_text.count("\n", 0, bad.start()) + 2 if bad else 1
        errors.add(line, f"invalid YAML in front matter: {exc}")
        return None
    finally:
        if loader is not None:
            loader.dispose()
    if not isinstance(node, yaml.MappingNode):
        errors.add(2, "front matter must be YAML fields such as 'title: …'")
        return None
    return node, line_of, lines[end + 1 :], end + 2


def _line_finder(yaml_text):
    """Map a YAML mark to a line of the file (the front matter starts on line 2).

    YAML also breaks lines at U+0085, U+2028 and U+2029, which are ordinary characters in a
    Markdown file: the ones before the mark are taken off its line number.
    """
    yaml_only_breaks = [i for i, char in enumerate(yaml_text) if char in "\x85\u2028\u2029"]

    def line_of(mark):
        return mark.line + 2 - bisect.bisect_left(yaml_only_breaks, mark.index)

    return line_of


def _fields(node, allowed, errors, what, line_of):
    """Map each key of a YAML mapping node to (python value, line), checking the keys."""
    loader = _Loader("")
    result = {}
    try:
        for key_node, value_node in node.value:
            line = line_of(key_node.start_mark)
            key = key_node.value if isinstance(key_node, yaml.ScalarNode) else None
            if key not in allowed:
                hint = difflib.get_close_matches(str(key), allowed, n=1)
                did_you_mean = f"did you mean {hint[0]!r}? " if hint else ""
                errors.add(
                    line,
                    f"unknown {what} field {key!r}: {did_you_mean}"
                    f"allowed fields are {', '.join(allowed)}",
                )
                continue
            if key in result:
                errors.add(line, f"field {key!r} is given twice")
                continue
            try:
                value = loader.construct_object(value_node, deep=True)
            except _CONSTRUCT_ERRORS as exc:
                if not isinstance(value_node, yaml.ScalarNode):
                    errors.add(line, f"invalid value for {key!r}: {_construct_problem(exc)}")
                    continue
                # e.g. a date-shaped 2019-13-45: keep the text, the field check explains.
                value = value_node.value
            result[key] = (value, line, value_node)
    finally:
        loader.dispose()
    return result


def _construct_problem(exc):
    if isinstance(exc, yaml.YAMLError):
        return exc
    if isinstance(exc, RecursionError):
        return "it is nested too deeply"
    return "a value in it does not fit its YAML tag (such as !!int or !!bool)"


def _text(fields, key, errors, *, required=False, max_length=None, default_line=1):
    if key not in fields:
        if required:
            errors.add(default_line, f"missing required field {key!r}")
        return None if required else ""
    value, line, _node = fields[key]
    if value is None and not required:
        return ""
    if not isinstance(value, str) or (required and not value.strip()):
        errors.add(line, f"{key!r} must be text" + (" and not empty" if required else ""))
        return None
    value = value.strip()
    if "\x00" in value:  # written as an escape, "\0": the database could not store it
        errors.add(line, f"{key!r} contains a NUL character (U+0000); remove it")
        return None
    limit = max_length or MAX_LENGTHS.get(key)
    if limit and len(value) > limit:
        errors.add(line, f"{key!r} is {len(value)} characters long; the limit is {limit}")
        return None
    return value


def _date(fields, key, errors):
    if key not in fields or fields[key][0] is None:
        return None
    value, line, _node = fields[key]
    if isinstance(value, date) and not hasattr(value, "hour"):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            pass
    # A list of aliases to lists of aliases… would otherwise print as gigabytes.
    shown = _SHORT_REPR.repr(value) if isinstance(value, (list, dict, set)) else repr(value)
    errors.add(line, f"{key!r} must be a date written YYYY-MM-DD, not {shown}")
    return None


def _parse_company(text, relative, errors):
    split = _split_front_matter(text, errors)
    if split is None:
        return None
    node, line_of, body, first_body_line = split
    fields = _fields(node, COMPANY_KEYS, errors, "company", line_of)
    slug = Path(relative).parent.name
    if not _SLUG_RE.fullmatch(slug):
        errors.add(
            None,
            f"folder name {slug!r} is not a valid company slug: use lowercase "
            "letters, digits and hyphens",
        )
    elif slug in RESERVED_COMPANY_SLUGS:
        errors.add(
            None, f"folder name {slug!r} is reserved for a page of the site; rename the folder"
        )
    elif len(slug) > MAX_LENGTHS["company slug"]:
        errors.add(
            None,
            f"folder name {slug!r} is {len(slug)} characters long; the limit "
            f"is {MAX_LENGTHS['company slug']}",
        )
    name = _text(fields, "name", errors, required=True)
    website = _text(fields, "website", errors)
    if website:
        try:
            URLValidator(schemes=["http", "https"])(website)
        except ValidationError:
            errors.add(
                fields["website"][1], f"'website' must be an http(s) address, not {website!r}"
            )
    country = _checked(fields, "country", channel_rules.clean_country, errors)
    timezone = _checked(fields, "timezone", channel_rules.clean_timezone, errors)
    contacts = _contacts(fields, errors, line_of, country or "", timezone or "")
    _check_markdown("\n".join(body), first_body_line, "the text about the company", errors)
    if errors.errors:
        return None
    return CompanyDoc(
        slug=slug,
        name=name,
        website=website,
        about_md=normalise_source("\n".join(body)),
        contacts=contacts,
        source_path=relative,
        content_hash="",
        country=country,
        timezone=timezone,
    )


def _parse_company_translation(text, relative, errors):
    """company.<language>.md: the about text in that language, and optionally its name
    there (front matter with only 'name')."""
    path = Path(relative)
    language = path.name.removeprefix("company.").removesuffix(".md")
    languages = language_codes()
    if language not in languages or language == settings.LANGUAGE_CODE:
        others = [code for code in languages if code != settings.LANGUAGE_CODE]
        errors.add(
            None,
            f"unknown language {language!r} in the file name: a translation of company.md is "
            f"company.<language>.md with one of {', '.join(others)} "
            f"({COMPANY_FILE} itself is in {settings.LANGUAGE_CODE!r})",
        )
        return None
    name, body, first_body_line = "", text.split("\n"), 1
    if body[0].rstrip() == "---":
        split = _split_front_matter(text, errors)
        if split is None:
            return None
        node, line_of, body, first_body_line = split
        fields = _fields(node, COMPANY_TRANSLATION_KEYS, errors, "company translation", line_of)
        name = _text(fields, "name", errors)
    about = "\n".join(body)
    _check_markdown(about, first_body_line, "the text about the company", errors)
    if errors.errors:
        return None
    return CompanyTranslationDoc(
        language=language, name=name or "", about_md=normalise_source(about)
    )


def _checked(fields, key, clean, errors, *args):
    """fields[key] cleaned by a rule of guides_site.contacts.rules; None (reported) if it
    breaks the rule, "" if absent."""
    if key not in fields or fields[key][0] is None:
        return ""
    value, line, _node = fields[key]
    try:
        return clean(value, *args)
    except channel_rules.ChannelError as exc:
        errors.add(line, str(exc))
        return None


def _contacts(fields, errors, line_of, company_country, company_timezone):
    if "contacts" not in fields or fields["contacts"][0] is None:
        return ()
    value, line, node = fields["contacts"]
    if not isinstance(node, yaml.SequenceNode):
        errors.add(line, "'contacts' must be a list of channels, each with 'kind' and 'value'")
        return ()
    contacts = []
    for item in node.value:
        item_line = line_of(item.start_mark)
        if not isinstance(item, yaml.MappingNode):
            errors.add(item_line, "each contact needs fields: kind, value (and label, hours…)")
            continue
        item_errors = len(errors.errors)
        contact = _contact(
            _fields(item, CONTACT_KEYS, errors, "contact", line_of),
            item_line,
            line_of,
            errors,
            company_country,
            company_timezone,
        )
        if len(errors.errors) == item_errors:
            contacts.append(contact)
    return tuple(contacts)


def _contact(item_fields, item_line, line_of, errors, company_country, company_timezone):
    kinds = channel_rules.KINDS
    kind = _text(item_fields, "kind", errors, required=True, default_line=item_line)
    if kind is not None and kind not in kinds:
        errors.add(
            item_fields["kind"][1], f"unknown contact kind {kind!r}: use one of {', '.join(kinds)}"
        )
    if kind == "phone" and isinstance(item_fields.get("value", (None,))[0], int):
        # value: 3635 unquoted is a YAML number; a phone number is text.
        number, number_line, number_node = item_fields["value"]
        item_fields["value"] = (str(number_node.value), number_line, number_node)
    contact_value = _text(item_fields, "value", errors, required=True, default_line=item_line)
    country = _checked(item_fields, "country", channel_rules.clean_country, errors)
    timezone = _checked(item_fields, "timezone", channel_rules.clean_timezone, errors)
    if kind == "email" and contact_value:
        try:
            validate_email(contact_value)
        except ValidationError:
            errors.add(item_fields["value"][1], f"{contact_value!r} is not an e-mail address")
    if kind == "phone" and contact_value and country is not None:
        contact_value = _checked(
            item_fields, "value", channel_rules.clean_phone, errors, country or company_country
        )
    texts = {}
    for key in ("label", "cost", "note"):
        texts[key] = _checked(
            item_fields,
            key,
            functools.partial(
                channel_rules.clean_text, what=key, max_length=channel_rules.MAX_TEXT[key]
            ),
            errors,
        )
    hours = ""
    if country is not None and timezone is not None:
        hours = _checked(
            item_fields,
            "hours",
            channel_rules.clean_hours,
            errors,
            timezone or company_timezone,
            country or company_country,
        )
    menu = []
    if "menu" in item_fields:
        menu_value, menu_line, menu_node = item_fields["menu"]
        if kind != "phone":
            errors.add(menu_line, "only a phone contact can have a 'menu'")
        else:
            try:
                menu = channel_rules.clean_menu(menu_value)
            except channel_rules.ChannelError as exc:
                step_line = menu_line
                if exc.step and isinstance(menu_node, yaml.SequenceNode):
                    step_line = line_of(menu_node.value[exc.step - 1].start_mark)
                errors.add(step_line, str(exc))
    checked = _date(item_fields, "checked", errors)
    languages = _checked(item_fields, "languages", channel_rules.clean_languages, errors)
    return ContactDoc(
        kind=kind,
        value=contact_value,
        label=texts["label"] or {},
        hours=hours or "",
        timezone=timezone or "",
        country=country or "",
        cost=texts["cost"] or {},
        note=texts["note"] or {},
        checked=checked,
        menu=menu,
        languages=languages or [],
    )


def _parse_guide(text, relative, errors):
    path = Path(relative)
    company_slug = path.parent.name
    name, _dot, suffix = path.stem.partition(".")
    split = _split_front_matter(text, errors)
    if split is None:
        return None
    node, line_of, body, first_body_line = split
    fields = _fields(node, GUIDE_KEYS, errors, "guide", line_of)

    title = _text(fields, "title", errors, required=True)
    languages = language_codes()
    if suffix and suffix not in languages:
        errors.add(
            None,
            f"unknown language {suffix!r} in the file name: use one of "
            f"{', '.join(languages)} (e.g. {name}.fr.md)",
        )
    language = suffix or settings.LANGUAGE_CODE
    if "lang" in fields:
        lang = _text(fields, "lang", errors)
        if lang and lang not in languages:
            errors.add(
                fields["lang"][1], f"unknown language {lang!r}: use one of {', '.join(languages)}"
            )
        elif lang and suffix and lang != suffix:
            errors.add(
                fields["lang"][1],
                f"'lang: {lang}' disagrees with the file name, which says {suffix!r}",
            )
        elif lang:
            language = lang

    slug_from_file = "slug" not in fields
    slug = name if slug_from_file else _text(fields, "slug", errors)
    if slug is not None and not _SLUG_RE.fullmatch(slug):
        where = None if slug_from_file else fields["slug"][1]
        origin = " (taken from the file name; set 'slug:' or rename)" if slug_from_file else ""
        errors.add(
            where,
            f"slug {slug!r} is not URL-safe{origin}: use lowercase letters, "
            "digits and single hyphens, e.g. get-a-refund",
        )
    elif slug_from_file and len(slug) > MAX_LENGTHS["slug"]:  # 'slug:' is checked by _text
        errors.add(
            None,
            f"slug {slug!r} is {len(slug)} characters long; the limit is "
            f"{MAX_LENGTHS['slug']} (taken from the file name; set 'slug:' or "
            "rename)",
        )
    # The translation key is folder/name. A file-name slug is already held to less; a folder
    # name that is too long is reported with company.md.
    key_limit = MAX_LENGTHS["translation key"] - len(company_slug) - 1
    if (
        not slug_from_file
        and len(name) > key_limit
        and len(company_slug) <= MAX_LENGTHS["company slug"]
    ):
        errors.add(
            None,
            f"file name {name!r} is {len(name)} characters long before its "
            f"language and .md; the limit is {key_limit} in this folder",
        )
    summary = _text(fields, "summary", errors)
    author = _text(fields, "author", errors)
    published = _date(fields, "published", errors)
    updated = _date(fields, "updated", errors)
    if published and updated and updated < published:
        errors.add(fields["updated"][1], "'updated' is before 'published'")
    tags = _tags(fields, errors)
    draft = False
    if "draft" in fields and fields["draft"][0] is not None:
        draft = fields["draft"][0]
        if not isinstance(draft, bool):
            errors.add(fields["draft"][1], "'draft' must be true or false")

    numbering = _text(fields, "numbering", errors) or "continuous"
    if numbering not in NUMBERING_CHOICES:
        errors.add(
            fields["numbering"][1],
            f"'numbering' must be one of {', '.join(NUMBERING_CHOICES)}, not {numbering!r}",
        )

    intro, steps, closing, sections = _split_body(body, first_body_line, errors)
    if errors.errors:
        return None
    return GuideDoc(
        company_slug=company_slug,
        translation_key=f"{company_slug}/{name}",
        slug=slug,
        language=language,
        title=title,
        summary=summary,
        author=author,
        published=published,
        updated=updated,
        tags=tags,
        draft=draft,
        intro_md=intro,
        steps=steps,
        closing_md=closing,
        source_path=relative,
        content_hash="",
        sections=sections,
        numbering=numbering,
    )


def _tags(fields, errors):
    if "tags" not in fields or fields["tags"][0] is None:
        return ()
    value, line, _node = fields["tags"]
    if not isinstance(value, list) or not all(isinstance(t, str) and t.strip() for t in value):
        errors.add(line, "'tags' must be a list of words, e.g. [refund, billing]")
        return ()
    tags = []
    for tag in value:
        tag = " ".join(tag.split())
        if not slugify(tag):
            errors.add(line, f"tag {tag!r} needs at least one letter or digit")
        elif len(tag) > MAX_LENGTHS["tag"]:
            errors.add(line, f"tag {tag!r} is longer than {MAX_LENGTHS['tag']} characters")
        elif "\x00" in tag:
            errors.add(line, f"tag {tag!r} contains a NUL character (U+0000); remove it")
        elif len(slugify(tag)) > MAX_LENGTHS["tag"]:
            # e.g. "㎉" spells "kcal" in a web address.
            errors.add(
                line,
                f"tag {tag!r} makes a web address longer than "
                f"{MAX_LENGTHS['tag']} characters ({slugify(tag)!r})",
            )
        elif tag not in tags:
            tags.append(tag)
    return tuple(tags)


def _section_headings(lines):
    """{index of a line: its title} for the headings that start a section: a "## " or "### "
    line followed, after blank lines only, by a step or by another such heading (then the
    first is an empty section, which _split_body reports). Lines in fenced code are not
    headings, nor is a heading followed by text (the closing section)."""
    kinds, in_fence = [], False
    for line in lines:
        line = line.expandtabs(4)
        if in_fence:
            kinds.append(None)
            in_fence = not _FENCE_RE.match(line)
        elif _FENCE_RE.match(line):
            kinds.append(None)
            in_fence = True
        elif not line.strip():
            kinds.append("blank")
        elif _STEP_RE.match(line):
            kinds.append("step")
        elif (heading := _HEADING_RE.match(line)) and heading.group(1).strip():
            kinds.append("heading")
        else:
            kinds.append(None)
    starts, next_kind = {}, None  # what the next non-blank line is: "step", "section", None
    for index in range(len(lines) - 1, -1, -1):
        kind = kinds[index]
        if kind == "blank":
            continue
        if kind == "heading" and next_kind in ("step", "section"):
            starts[index] = _HEADING_RE.match(lines[index].expandtabs(4)).group(1).strip()
            next_kind = "section"
        else:
            next_kind = "step" if kind == "step" else None
    return starts


def _split_body(lines, first_line, errors):
    """Split the body into intro, steps, closing section and the sections the steps are in
    (see content/README.md)."""
    intro, closing, steps = [], [], []
    headings = _section_headings(lines)
    sections = []  # [line number, title, index of its first step]
    current = None  # lines of the step being read: [first line text, continuation lines...]
    in_fence = False
    previous_blank = True
    closing_line = None
    for number, line in enumerate(lines, start=first_line):
        line = line.expandtabs(4)
        if closing:
            closing.append(line)
            continue
        if current is None and in_fence:
            intro.append(line)
            in_fence = not _FENCE_RE.match(line)
            continue
        if number - first_line in headings:
            sections.append([number, headings[number - first_line], len(steps)])
            previous_blank = True
            continue
        match = _STEP_RE.match(line)
        if match:
            current = [(match.group(1) or "").strip()]
            steps.append((number, current))
        elif current is None:
            intro.append(line)
            in_fence = bool(_FENCE_RE.match(line))
        elif not line.strip() or line[0] == " ":
            current.append(line)
        elif not previous_blank and not _BLOCK_START_RE.match(line):
            current.append(line)  # a paragraph's lazy continuation line
        else:
            closing.append(line)
            closing_line = number
        previous_blank = not line.strip()

    if not steps:
        errors.add(
            first_line, "no steps: write the steps as a numbered list, one '1. …' line per step"
        )
        return "", (), "", ()
    section_docs = []
    for index, (number, title, first) in enumerate(sections):
        end = sections[index + 1][2] if index + 1 < len(sections) else len(steps)
        if end == first:
            errors.add(
                number,
                f"section {title!r} has no steps: put numbered steps under its heading, "
                "or remove it",
            )
        elif len(title) > MAX_LENGTHS["section"]:
            errors.add(
                number,
                f"section title is {len(title)} characters long; the limit is "
                f"{MAX_LENGTHS['section']}",
            )
        section_docs.append(SectionDoc(title, first + 1, end - first))
    _check_markdown("\n".join(intro), first_line, "introduction", errors)
    bodies = []
    for position, (number, step_lines) in enumerate(steps, start=1):
        first, rest = step_lines[0], _dedent(step_lines[1:])
        source = "\n".join([first, *rest])
        body = normalise_source(source)
        if not body:
            errors.add(number, f"step {position} is empty")
        _check_markdown(source, number, f"step {position}", errors, MAX_STEP_CHARS)
        bodies.append(body)
    _check_markdown("\n".join(closing), closing_line, "closing section", errors)
    return (
        normalise_source("\n".join(intro)),
        tuple(bodies),
        normalise_source("\n".join(closing)),
        tuple(section_docs),
    )


def _check_markdown(source, first_line, part, errors, max_chars=MAX_TEXT_CHARS):
    """Report what keeps a part of a file from being rendered; its lines are the file's
    from first_line on (steps' continuation lines lose only their indentation)."""
    for line, message in check_markdown(source, max_chars):
        errors.add(first_line + line - 1 if line else first_line, f"{part}: {message}")


def _dedent(lines):
    """Remove the indentation that makes lines part of a step, keeping relative indents."""
    indents = [len(line) - len(line.lstrip(" ")) for line in lines if line.strip()]
    indents = [n for n in indents if n] or [0]
    common = min(indents)
    return [line[min(common, len(line) - len(line.lstrip(" "))) :] for line in lines]
