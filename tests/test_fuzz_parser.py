"""Fuzzing the content parser and the Markdown renderer with Hypothesis.

Whatever a content folder holds, load_tree either returns a ContentTree that the database can
store, or raises ContentInvalid whose every error names a file or folder under the root and,
when it gives a line, a line of that file (or the one just after its end). It never raises
anything else. Whatever Markdown an editor writes, render_markdown returns HTML without
scripts, event handlers or script URLs.

The plain tests at the end pin the inputs that used to crash the parser or slip past it.
"""

import dataclasses
import os
import re
import tempfile
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml
from django.utils.text import slugify
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from guides_site.contacts.models import ContactChannel
from guides_site.content.parser import (
    COMPANY_KEYS,
    CONTACT_KEYS,
    GUIDE_KEYS,
    ContentInvalid,
    ContentTree,
    load_tree,
)
from guides_site.content.rendering import render_markdown
from guides_site.guides.models import SLUG_PATTERN, Company, Guide, Tag

from .factories import COMPANY_MD, GUIDE_MD, guide_md, write_tree
from .html_safety import SCRIPT_SCHEMES, URL_ATTRIBUTES

# Sized so that the whole file runs in well under a minute; FUZZ_EXAMPLES=5000 searches
# harder. No example database: it would be a .hypothesis/ folder in the project; a failure
# prints the example to reproduce instead.
EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "200"))
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    database=None,
    suppress_health_check=[
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
        HealthCheck.filter_too_much,
    ],
)


# --- What every answer of load_tree must look like ---------------------------------------


def lines_in(path):
    """The number of lines of a file, counting line ends as the parser does."""
    raw = path.read_bytes()
    return raw.replace(b"\r\n", b"\n").replace(b"\r", b"\n").count(b"\n") + 1


def check_error(root, error):
    path = Path(error.path)
    assert path == root or root in path.parents, f"{error.path!r} is not under the root"
    assert path.exists() or path.is_symlink(), f"{error.path!r} does not exist"
    assert isinstance(error.message, str) and error.message.strip(), error
    if error.line is not None:
        assert type(error.line) is int, error
        assert path.is_file(), f"a line number for {error.path!r}, which is not a file"
        assert 1 <= error.line <= lines_in(path) + 1, (error, lines_in(path))
    # A message quotes at most what the file holds (a value, a name), never an expansion of it.
    size = path.stat().st_size if path.is_file() else 0
    assert len(str(error)) <= 2_000 + len(str(path)) + 8 * size, str(error)[:500]


def max_length(model, name):
    return model._meta.get_field(name).max_length


def check_text_fits(doc):
    for item in dataclasses.fields(doc):
        value = getattr(doc, item.name)
        values = value if isinstance(value, tuple) else (value,)
        for text in values:
            if isinstance(text, str):
                assert "\x00" not in text, (item.name, text)


def check_fits_the_database(tree):
    """What load_tree returns can be imported: no database error, no unreachable page."""
    for company in tree.companies:
        check_text_fits(company)
        assert re.fullmatch(SLUG_PATTERN, company.slug), company.slug
        assert len(company.slug) <= max_length(Company, "slug")
        assert 0 < len(company.name) <= max_length(Company, "name")
        assert len(company.website) <= max_length(Company, "website")
        assert len(company.source_path) <= max_length(Company, "source_path")
        for contact in company.contacts:
            check_text_fits(contact)
            assert contact.kind in ContactChannel.Kind.values
            for name in ("value", "hours"):
                assert len(getattr(contact, name)) <= max_length(ContactChannel, name)
            assert all(len(text) <= 100 and "\x00" not in text for text in contact.label.values())
    for guide in tree.guides:
        check_text_fits(guide)
        assert re.fullmatch(SLUG_PATTERN, guide.slug), guide.slug
        for name in (
            "slug",
            "title",
            "summary",
            "author",
            "translation_key",
            "source_path",
            "language",
        ):
            assert len(getattr(guide, name)) <= max_length(Guide, name), name
        assert guide.title.strip()
        assert guide.steps and all(step.strip() for step in guide.steps)
        assert isinstance(guide.draft, bool)
        for tag in guide.tags:
            assert 0 < len(slugify(tag)) <= max_length(Tag, "slug"), tag
            assert len(tag) <= max_length(Tag, "name"), tag


def load_or_report(root):
    """load_tree(root), checked: the tree, or the ContentInvalid it raised."""
    try:
        tree = load_tree(root)
    except ContentInvalid as exc:
        assert exc.errors, "ContentInvalid without any error"
        for error in exc.errors:
            check_error(root, error)
        return exc
    assert isinstance(tree, ContentTree)
    check_fits_the_database(tree)
    return tree


def load_files(files):
    """Write {relative path: text or bytes} to a fresh folder and load it, checked."""
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        write_files(root, files)
        return load_or_report(root)


def write_files(root, files):
    for relative, content in files.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content if isinstance(content, bytes) else content.encode())


# --- Strategies -------------------------------------------------------------------------

SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(),
    st.text(max_size=30),
    st.dates(),
    st.datetimes(),
    st.sampled_from(
        [
            "2020-01-02",
            "2019-13-45",
            "yes",
            "~",
            "refund",
            "en",
            "fr",
            "de",
            "phone",
            "email",
            "chat",
            "a@b.example",
            "not an address",
            "https://acme.example",
            "javascript:alert(1)",
            "x" * 301,
        ]
    ),
)
KEYS = st.one_of(st.sampled_from(GUIDE_KEYS + COMPANY_KEYS + CONTACT_KEYS), st.text(max_size=12))
VALUES = st.recursive(
    SCALARS,
    lambda children: st.lists(children, max_size=4) | st.dictionaries(KEYS, children, max_size=4),
    max_leaves=12,
)
DUMPED_FRONT_MATTER = st.builds(
    lambda fields, unicode, flow: yaml.safe_dump(
        fields, allow_unicode=unicode, default_flow_style=flow, sort_keys=False
    ).rstrip("\n"),
    st.dictionaries(KEYS, VALUES, max_size=8),
    st.booleans(),
    st.booleans(),
)
# Pieces of YAML that reach the odd corners: explicit tags, anchors, escapes, line breaks
# that YAML knows and Markdown does not, control characters.
YAML_TOKENS = [
    "title: ",
    "slug: ",
    "lang: ",
    "tags: ",
    "published: ",
    "updated: ",
    "draft: ",
    "summary: ",
    "author: ",
    "name: ",
    "website: ",
    "contacts:",
    "kind: ",
    "value: ",
    "\n",
    "\n  - ",
    "  ",
    "- ",
    "[",
    "]",
    "{",
    "}",
    ", ",
    ": ",
    "? ",
    "&a ",
    "*a",
    "&b ",
    "*b",
    "!!bool ",
    "!!int ",
    "!!float ",
    "!!timestamp ",
    "!!binary ",
    "!!set ",
    "!!omap ",
    "!!pairs ",
    "!!str ",
    "!!null ",
    "!!seq ",
    "!!map ",
    "!!python/object:os.system ",
    "!x ",
    "<<: ",
    "'",
    '"',
    "\\0",
    "\\x00",
    "\\u2028",
    "\\",
    "|",
    ">",
    "#",
    "%YAML 1.1\n",
    "--- ",
    "...",
    "yes",
    "maybe",
    "~",
    "2020-01-02",
    "2019-13-45",
    "-",
    "0x",
    "0b",
    "._",
    ".inf",
    "\x85",
    "\u2028",
    "\u2029",
    "\t",
    "\r",
    "\x00",
    "\x01",
    "\x7f",
    "\ufeff",
    "é",
    "x" * 120,
]
RAW_FRONT_MATTER = st.lists(
    st.one_of(st.sampled_from(YAML_TOKENS), st.text(max_size=8)), max_size=30
).map("".join)
FRONT_MATTER = st.one_of(DUMPED_FRONT_MATTER, RAW_FRONT_MATTER, st.text(max_size=60))

BODY_LINES = [
    "1. Do it.",
    "2) Then this.",
    "1.",
    "3.    ",
    "   4. Indented.",
    "    continued",
    "lazy continuation",
    "",
    "```",
    "~~~",
    "## Heading",
    "- bullet",
    "> quote",
    "| a | b |",
    "---",
    "***",
    "\t1. A tab.",
    "<script>alert(1)</script>",
    "[x](javascript:alert(1))",
    "123456789. Big.",
    "1234567890. Too big.",
    "\x85",
    "\u2028",
    "\x00",
    "\r",
    "\ufeff",
]
BODIES = st.one_of(
    st.text(),
    st.lists(st.one_of(st.sampled_from(BODY_LINES), st.text(max_size=20)), max_size=15).map(
        "\n".join
    ),
)
LINE_ENDS = st.sampled_from(["\n", "\r\n", "\r"])


def document(front_matter, body, line_end="\n", bom=False):
    text = f"---\n{front_matter}\n---\n{body}"
    return ("\ufeff" if bom else "") + text.replace("\n", line_end)


# Names a Linux file system accepts: no "/", no NUL, at most 255 bytes.
NAME_CHARS = st.characters(blacklist_categories=("Cs",), blacklist_characters="/\x00")


def _valid_name(name):
    return name not in ("", ".", "..") and len(name.encode()) <= 255


FILE_NAMES = st.one_of(
    st.builds(
        str.__add__,
        st.text(NAME_CHARS, min_size=1, max_size=30),
        st.sampled_from([".md", ".fr.md", ".en.md", ".de.md", ".md.md", ".MD", ""]),
    ),
    st.sampled_from(
        [
            "refund.md",
            "refund.fr.md",
            "company.md",
            ".hidden.md",
            "Refund.md",
            "a-b.md",
            "a--b.md",
            "a_b.md",
            "-a.md",
            "refund\n.md",
            "é.md",
            "x" * 101 + ".md",
            "x" * 251 + ".md",
        ]
    ),
).filter(_valid_name)
FOLDER_NAMES = st.one_of(
    st.sampled_from(["acme", "about", "admin", "a" * 61, "acme\n", "Acme", "a_b", "fr"]),
    st.text(NAME_CHARS, min_size=1, max_size=20),
).filter(_valid_name)


# --- Fuzz tests -------------------------------------------------------------------------


@FUZZ
@given(front_matter=FRONT_MATTER, body=BODIES, line_end=LINE_ENDS, bom=st.booleans())
def test_any_guide_file_loads_or_is_reported_at_a_line_of_it(front_matter, body, line_end, bom):
    load_files(
        {
            "acme/company.md": COMPANY_MD,
            "acme/refund.md": document(front_matter, body, line_end, bom),
        }
    )


@FUZZ
@given(front_matter=FRONT_MATTER, body=BODIES, line_end=LINE_ENDS)
def test_any_company_file_loads_or_is_reported_at_a_line_of_it(front_matter, body, line_end):
    load_files(
        {"acme/company.md": document(front_matter, body, line_end), "acme/refund.md": GUIDE_MD}
    )


def _spliced(data, position, insert):
    position = min(position, len(data))
    return data[:position] + insert + data[position:]


RANDOM_BYTES = st.one_of(
    st.binary(max_size=300),
    # A valid guide with a few random bytes put in, often invalid UTF-8.
    st.builds(
        _spliced,
        st.just(GUIDE_MD.encode()),
        st.integers(0, len(GUIDE_MD)),
        st.binary(min_size=1, max_size=4),
    ),
    st.builds(
        _spliced,
        st.just(GUIDE_MD.replace("\n", "\r").encode()),
        st.integers(0, len(GUIDE_MD)),
        st.binary(min_size=1, max_size=4),
    ),
)


@FUZZ
@given(guide=RANDOM_BYTES, company=RANDOM_BYTES)
def test_any_bytes_load_or_are_reported_at_a_line_of_the_file(guide, company):
    load_files({"acme/company.md": COMPANY_MD, "acme/refund.md": guide})
    load_files({"acme/company.md": company, "acme/refund.md": GUIDE_MD})


@FUZZ
@given(folder=FOLDER_NAMES, names=st.lists(FILE_NAMES, min_size=1, max_size=4, unique=True))
def test_any_file_and_folder_names_load_or_are_reported(folder, names):
    files = {f"{folder}/company.md": COMPANY_MD}
    files.update({f"{folder}/{name}": GUIDE_MD for name in names})
    load_files(files)


# --- render_markdown ----------------------------------------------------------------------

ACTIVE_ELEMENTS = {
    "script",
    "style",
    "iframe",
    "frame",
    "frameset",
    "object",
    "embed",
    "applet",
    "base",
    "link",
    "meta",
    "form",
    "input",
    "button",
    "textarea",
    "select",
    "svg",
    "math",
    "template",
    "noscript",
    "portal",
    "isindex",
}


def is_script_url(value):
    """Whether a browser would take this attribute value (its entities already decoded by
    the parser) for a script URL: as the URL standard reads it, leading and trailing
    controls and spaces go, tabs and line breaks go anywhere, and the scheme ignores case.
    (test_hostile_content strips every control character; random input would find harmless
    relative URLs such as "java\vscript:x" that way.)"""
    cleaned = re.sub(r"[\t\n\r]", "", value.strip("".join(map(chr, range(0x21)))))
    return cleaned.lower().startswith(SCRIPT_SCHEMES)


class _Markup(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.problems = []

    def handle_starttag(self, tag, attrs):
        if tag in ACTIVE_ELEMENTS:
            self.problems.append(f"<{tag}> element")
        for name, value in attrs:
            if name.startswith("on"):
                self.problems.append(f"{name} attribute on <{tag}>")
            elif name == "style":
                self.problems.append(f"style attribute on <{tag}>")
            elif name in URL_ATTRIBUTES and value and is_script_url(value):
                self.problems.append(f"{name}={value!r} on <{tag}>")

    handle_startendtag = handle_starttag


def executable_markup(html):
    parser = _Markup()
    parser.feed(html)
    parser.close()
    if "<script" in html.lower():  # whatever the parser made of it
        parser.problems.append("<script in the output")
    return parser.problems


HTML_TOKENS = [
    "<script>",
    "</script>",
    "<SCRIPT SRC=//e.example/x.js>",
    "<img src=x onerror=alert(1)>",
    "<svg onload=alert(1)>",
    "<svg>",
    "<math>",
    '<a href="',
    "<a href=",
    '">',
    "'>",
    ">",
    "<",
    "</",
    "[x](",
    "](",
    ")",
    "![x](",
    "[x]: ",
    "<javascript:alert(1)>",
    "javascript:",
    "JaVaScRiPt:",
    "java&#x09;script:",
    "&#106;avascript:",
    "&#x6A;",
    "&colon;",
    "vbscript:",
    "data:text/html;base64,PHNjcmlwdD4=",
    "alert(1)",
    " onclick=",
    " onerror=",
    "on",
    "load=",
    'style="x:expression(1)"',
    "<style>",
    "<iframe src=",
    "<object data=",
    "<embed src=",
    "<form action=",
    "<base href=",
    '<meta http-equiv=refresh content="0;url=',
    "<!--",
    "-->",
    "<![CDATA[",
    "]]>",
    "`",
    "```",
    "~~~",
    "    ",
    "\n",
    "\n\n",
    "|",
    "---",
    "*",
    "_",
    "&",
    "&amp;",
    "&lt;",
    '"',
    "'",
    "=",
    " ",
    "\t",
    "\x00",
    "\x0b",
    "\u2028",
    "<details open ontoggle=",
    "<noscript>",
    "</noscript>",
    "<textarea>",
    "<title>",
    "<xmp>",
    "<template>",
    "hx-get=",
    "<table>",
    "<tr><td",
    " background=",
    "<blockquote cite=",
    "{{ 7*7 }}",
    "{% debug %}",
]
MARKDOWN = st.one_of(
    st.text(),
    st.lists(st.one_of(st.sampled_from(HTML_TOKENS), st.text(max_size=6)), max_size=40).map(
        "".join
    ),
)


@settings(FUZZ, max_examples=2 * EXAMPLES)
@given(source=MARKDOWN)
def test_render_markdown_never_raises_and_never_outputs_executable_markup(source):
    html = render_markdown(source)

    assert isinstance(html, str)
    assert executable_markup(html) == []


@pytest.mark.parametrize(
    "html, problem",
    [
        ("<script>x</script>", "<script> element"),
        ("<p onclick=x>", "onclick attribute on <p>"),
        ("<a href='  JaVa&#x09;Script:x'>", "href='  JaVa\\tScript:x' on <a>"),
        ('<img src="data:image/png;base64,AA">', "src='data:image/png;base64,AA' on <img>"),
        ("<p style=color:red>", "style attribute on <p>"),
        ("<svg/>", "<svg> element"),
    ],
)
def test_the_markup_check_finds_each_kind_of_executable_markup(html, problem):
    assert problem in executable_markup(html)


# --- Regressions: inputs that crashed the parser or slipped past it ------------------------


def errors_of(files):
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        write_files(root, files)
        result = load_or_report(root)
        assert isinstance(result, ContentInvalid), "expected the content to be refused"
        return [str(error).replace(str(root) + os.sep, "") for error in result.errors]


def guide_with(front_matter="title: T", body="1. Step.\n"):
    return {"acme/company.md": COMPANY_MD, "acme/refund.md": guide_md(front_matter, body)}


# (files, the error expected: "path:line: message" or its beginning)
REGRESSIONS = {
    # PyYAML's constructors raised KeyError, IndexError or AttributeError out of load_tree.
    "!!bool with a non-boolean": (
        guide_with("title: T\ndraft: !!bool maybe"),
        "acme/refund.md:3: 'draft' must be true or false",
    ),
    "!!int with an empty string": (
        guide_with('title: !!int ""'),
        "acme/refund.md:2: 'title' must be text and not empty",
    ),
    "!!float with an empty string": (
        guide_with('title: T\ndraft: !!float ""'),
        "acme/refund.md:3: 'draft' must be true or false",
    ),
    "!!timestamp with a word": (
        guide_with("title: T\npublished: !!timestamp soon"),
        "acme/refund.md:3: 'published' must be a date written YYYY-MM-DD, not 'soon'",
    ),
    "a bad tag inside a list": (
        guide_with("title: T\ntags: [a, !!bool x]"),
        "acme/refund.md:3: invalid value for 'tags': a value in it does not fit its YAML tag",
    ),
    "a bad tag inside a contact": (
        {
            "acme/company.md": (
                "---\nname: A\ncontacts:\n  - kind: phone\n    value: !!bool x\n---\n"
            ),
            "acme/refund.md": GUIDE_MD,
        },
        "acme/company.md:3: invalid value for 'contacts': a value in it does not fit its YAML tag",
    ),
    # RecursionError from PyYAML's constructor (libyaml itself allows 1000 levels).
    "a value nested 300 deep": (
        guide_with("title: T\ntags: " + "[" * 300 + "]" * 300),
        "acme/refund.md:3: invalid value for 'tags': it is nested too deeply",
    ),
    # YAML also ends lines at U+0085, U+2028 and U+2029: line numbers went past the field,
    # even past the end of the file.
    "line separators before a field": (
        guide_with("title: T\n\u2028\u2028\u2028titel: X"),
        "acme/refund.md:3: unknown guide field 'titel'",
    ),
    "next lines before a YAML error": (
        guide_with("title: T\n" + "\x85" * 9 + "tags: [a"),
        "acme/refund.md:4: invalid YAML in front matter",
    ),
    "line separator in a contact": (
        {
            "acme/company.md": "---\nname: A\n\u2028contacts:\n  - kind: fax\n    value: x\n---\n",
            "acme/refund.md": GUIDE_MD,
        },
        "acme/company.md:4: unknown contact kind 'fax'",
    ),
    # A character YAML refuses was reported on line 1.
    "a control character in the front matter": (
        guide_with("title: T\nsummary: a\x01b"),
        "acme/refund.md:3: invalid YAML in front matter: unacceptable character #x0001",
    ),
    # Lines ending in CR alone were not counted for a byte that is not UTF-8.
    "invalid UTF-8 after CR line ends": (
        {"acme/company.md": COMPANY_MD, "acme/refund.md": b"---\rtitle: T\r---\r1. S.\r\xff\r"},
        "acme/refund.md:5: not UTF-8 text (byte 0xff)",
    ),
    # NUL passed the parser, then PostgreSQL refused the import with a DataError.
    "a NUL in the body": (
        guide_with(body="Intro.\n\n1. Step\x00 one.\n"),
        "acme/refund.md:6: contains a NUL character (U+0000)",
    ),
    "a NUL escape in a field": (
        guide_with('title: T\nsummary: "a\\0b"'),
        "acme/refund.md:3: 'summary' contains a NUL character",
    ),
    "a NUL escape in a tag": (
        guide_with('title: T\ntags: ["a\\0b"]'),
        "acme/refund.md:3: tag 'a\\x00b' contains a NUL character",
    ),
    # "$" in the slug pattern also matches before a final newline.
    "a folder name ending in a newline": (
        {"acme\n/company.md": COMPANY_MD, "acme\n/refund.md": GUIDE_MD},
        "acme\n/company.md: folder name 'acme\\n' is not a valid company slug",
    ),
    "a file name ending in a newline": (
        {"acme/company.md": COMPANY_MD, "acme/refund\n.md": GUIDE_MD},
        "acme/refund\n.md: slug 'refund\\n' is not URL-safe (taken from the file name",
    ),
    # Longer than the database columns: PostgreSQL refused the import with a DataError.
    "a folder name of 61 characters": (
        {"a" * 61 + "/company.md": COMPANY_MD, "a" * 61 + "/refund.md": GUIDE_MD},
        "a" * 61 + "/company.md: folder name '" + "a" * 61 + "' is 61 characters long; "
        "the limit is 60",
    ),
    "a file-name slug of 101 characters": (
        {"acme/company.md": COMPANY_MD, "acme/" + "r" * 101 + ".md": GUIDE_MD},
        "acme/" + "r" * 101 + ".md: slug '" + "r" * 101 + "' is 101 characters long; "
        "the limit is 100 (taken from the file name",
    ),
    "a file name too long for the translation key": (
        {
            "acme/company.md": COMPANY_MD,
            "acme/" + "r" * 166 + ".md": guide_md("title: T\nslug: refund"),
        },
        "acme/" + "r" * 166 + ".md: file name '" + "r" * 166 + "' is 166 characters long "
        "before its language and .md; the limit is 165 in this folder",
    ),
    "a tag whose web address is too long": (
        guide_with("title: T\ntags: [" + "\u3389" * 20 + "]"),
        "acme/refund.md:3: tag '" + "\u3389" * 20 + "' makes a web address longer than 60 "
        "characters",
    ),
}


@pytest.mark.parametrize("files, expected", REGRESSIONS.values(), ids=REGRESSIONS.keys())
def test_regression_content_is_refused_with_a_clear_error(files, expected):
    errors = errors_of(files)

    assert any(error.startswith(expected) for error in errors), errors


def test_regression_a_date_field_of_nested_aliases_is_reported_in_a_few_words():
    # 9 aliases of 9 aliases… 7 deep: the error message used to print 4.7 million items
    # (226 MB, seconds of work) from a 500-byte file; one level more ran out of memory.
    lines = ["title: T", "summary: &a0 [x, x, x, x, x, x, x, x, x]"]
    lines += [f"s{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 9)}]" for i in range(1, 8)]
    lines.append("published: *a7")

    errors = errors_of(guide_with("\n".join(lines)))

    dates = [error for error in errors if "'published' must be a date" in error]
    assert len(dates) == 1 and len(dates[0]) < 300, dates


def test_regression_a_file_that_is_not_readable_is_reported_not_raised(tmp_path):
    write_tree(tmp_path, {"acme/company.md": COMPANY_MD, "acme/refund.md": GUIDE_MD})
    (tmp_path / "acme/broken.md").symlink_to(tmp_path / "nowhere.md")

    result = load_or_report(tmp_path)

    assert [str(e) for e in result.errors] == [
        f"{tmp_path}/acme/broken.md: not a file (a link to nothing?): only Markdown files may "
        "have a name ending in .md"
    ]


def test_regression_a_sub_folder_named_like_a_guide_is_ignored(tmp_path):
    # It used to raise IsADirectoryError; content/README.md says sub-folders are ignored.
    write_tree(
        tmp_path,
        {
            "acme/company.md": COMPANY_MD,
            "acme/refund.md": GUIDE_MD,
            "acme/old.md/notes.txt": "kept for later",
        },
    )

    tree = load_or_report(tmp_path)

    assert [guide.slug for guide in tree.guides] == ["refund"]
