"""Markdown to safe HTML. Runs when content is imported or saved, never on a page view.

check_markdown says what keeps a source from being rendered (too big, too deeply nested,
too much HTML left open); the content import, the admin forms and the admin preview ask it
first.
"""

import re
import threading

import markdown
import nh3
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from markdown import blockprocessors
from markdown.extensions.fenced_code import FencedBlockPreprocessor
from markdown.htmlparser import htmlparser

from .linear_markdown import FenceSearch, LinearExtension
from .typography import french_html

# Real steps are a few hundred characters (the longest in content/ is 535) and the longest
# introduction, closing section or company text about 1,200: the limits leave ten times
# that, and keep the rendering of anything accepted within a fraction of a second.
MAX_STEP_CHARS = 5_000
MAX_TEXT_CHARS = 10_000
# Lists and quotes inside each other. Python-Markdown parses each level in a recursion of
# its own, which ran out of stack at about 300; real guides use two or three.
MAX_NESTING = 10
# Python's HTML parser, which Python-Markdown runs over the whole source, reads from each
# "<" followed by a letter to the ">" ending that tag, or to the end of the text when none
# does: thousands of unclosed "<a" took seconds. This bounds the characters it reads in all.
MAX_TAG_READING = 100_000

_EXTENSIONS = ["tables", "fenced_code", "sane_lists", LinearExtension()]
# Column alignment as an attribute nh3 keeps, rather than a style attribute it drops.
_EXTENSION_CONFIGS = {"tables": {"use_align_attribute": True}}
# Building a Markdown converter costs more than converting a step, so each thread keeps one.
_local = threading.local()
# nh3's defaults, less `cite`: browsers never follow it, but nh3 leaves any URL in it,
# javascript: included, and nothing on a page needs it.
_ATTRIBUTES = {tag: names - {"cite"} for tag, names in nh3.ALLOWED_ATTRIBUTES.items()}

# What opens a quote or a list item at the start of a line, after its other markers.
_QUOTE = re.compile(r" {0,3}> ?")
_LIST_ITEM = re.compile(r" {0,3}(?:(?P<bullet>[*+-])|\d+\.) +")
# A line such as "- - -" is a rule, not lists inside each other.
_RULE = blockprocessors.HRProcessor.SEARCH_RE
_START_TAG = re.compile("<[a-zA-Z]")
# What must be there for a quote or a list item to open (see _opening); counted, not parsed.
_MARKERS = (">", "- ", "* ", "+ ", ". ")
# How far the HTML parser reads a tag: Python-Markdown's version of the parser's own pattern.
_TAG_END = htmlparser.locatestarttagend_tolerant


class MarkdownTooComplex(ValueError):
    """Markdown that cannot be rendered; problems are (line or None, message) pairs."""

    def __init__(self, problems):
        self.problems = problems
        super().__init__("; ".join(message for _line, message in problems))


def normalise_source(text):
    """One spelling of a Markdown source, whether it came from a file or the admin.

    Line endings become \\n, whitespace-only lines become empty and outer blank lines go,
    so that export followed by import compares equal.
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    lines = [line if line.strip() else "" for line in text.split("\n")]
    return "\n".join(lines).strip("\n")


def check_markdown(source, max_chars):
    """What keeps source from being rendered, as [(line or None, message)], lines counted
    from 1; [] if nothing does.

    The size, the nesting and the HTML tags are checked, each in a bounded time and without
    rendering (the import checks every file, changed or not), so that Python-Markdown never
    sees a source it would take long over or recurse too deep in.
    """
    text = source.replace("\r\n", "\n").replace("\r", "\n")
    # Normalising only ever shortens a text: most need not be.
    length = len(text) if len(text) <= max_chars else len(normalise_source(text))
    if length > max_chars:
        first_line = text[: len(text) - len(text.lstrip())].count("\n") + 1
        message = _("the text is %(length)s characters long; the limit is %(limit)s")
        return [(first_line, message % {"length": _number(length), "limit": _number(max_chars)})]
    problems = []
    if too_deep := _first_line_too_deep(text):
        message = _("lists and quotes nest more than %(limit)s deep here")
        problems.append((too_deep, message % {"limit": MAX_NESTING}))
    if open_tags := _first_line_of_open_tags(text):
        message = _(
            "too many HTML tags left open from here on: end each with “>”, or write “&lt;” "
            "for a “<” that starts no tag"
        )
        problems.append((open_tags, message))
    return problems


def checked_render(source, max_chars):
    """(what keeps source from being rendered, its HTML or None): check_markdown, then the
    rendering itself, in case it still fails."""
    if problems := check_markdown(source, max_chars):
        return problems, None
    try:
        return [], render_markdown(source)
    except MarkdownTooComplex as exc:
        return exc.problems, None


def _number(value):
    return number_format(value, force_grouping=True)


def _first_line_too_deep(text):
    """The first line inside more than MAX_NESTING lists and quotes, or None.

    Follows the lists and quotes around each line as Python-Markdown does, or deeper. A
    line carries on the quotes it starts with ">", starts a new item of a list with a
    marker of its kind (bullet or number), carries on an item when indented four spaces.
    Any other line goes on lazily inside all the previous line is in, or, after a blank
    line, ends what it does not carry on. What it opens after that is inside all of those.
    Fenced code is left out.
    """
    # Each list or quote is opened by a marker of its own: with no more markers than the
    # limit, nothing can be nested deeper (most texts; the import checks every one).
    text = text.expandtabs(4)
    if sum(map(text.count, _MARKERS)) <= MAX_NESTING:
        return None
    fenced = _fenced_lines(text)
    containers = []  # ">", "*" (a bulleted list) or "1" (a numbered one), outermost first
    after_blank, in_item = True, False
    for number, line in enumerate(text.split("\n"), start=1):
        if number in fenced or not line.strip():
            after_blank = True
            continue
        kept, pos, indented = [], 0, False
        for kind in containers:
            opening = _opening(line, pos)
            if kind == ">" and opening and opening[0] == ">" and not indented:
                pos = opening[1]
            elif kind != ">" and opening and opening[0] == kind and not (in_item and not kept):
                kept.append(kind)
                pos = opening[1]
                break  # a new item of this list closes what was inside the last one
            elif kind != ">" and line.startswith("    ", pos):
                pos, indented = pos + 4, True
            elif after_blank:
                break  # a blank line, then neither: the list or quote has ended
            kept.append(kind)
        if after_blank:
            # A block that starts indented inside a list item stays in it: its other lines
            # are lazy lines of that item.
            in_item = bool(containers) and containers[0] != ">" and line.startswith("    ")
        while opening := _opening(line, pos):
            kept.append(opening[0])
            pos = opening[1]
        if len(kept) > MAX_NESTING:
            return number
        containers, after_blank = kept, False
    return None


def _opening(line, pos):
    """(">", "*" or "1", where the line goes on) if a quote or list item starts at pos."""
    if quote := _QUOTE.match(line, pos):
        return ">", quote.end()
    item = _LIST_ITEM.match(line, pos)
    if item and not _RULE.match(line[pos:]):
        return "*" if item.group("bullet") else "1", item.end()
    return None


def _fenced_lines(text):
    """The numbers of the lines Python-Markdown takes as fenced code."""
    lines, index, fences = set(), 0, FenceSearch(FencedBlockPreprocessor.FENCED_BLOCK_RE)
    while fence := fences.search(text, index):
        if fence.group("attrs"):
            # Python-Markdown refuses some of these; as if it refused them all.
            index = fence.end("attrs")
            continue
        first = text.count("\n", 0, fence.start()) + 1
        lines.update(range(first, first + fence.group().count("\n") + 1))
        index = fence.end()
    return lines


def _first_line_of_open_tags(text):
    """The line where Python's HTML parser would have read MAX_TAG_READING characters of
    tags, or None. It reads from every "<" followed by a letter, or from fewer of them."""
    if text.count("<") * len(text) <= MAX_TAG_READING:
        return None  # it could not read that much even to the end of the text from each
    read = 0
    for start in _START_TAG.finditer(text):
        read += _TAG_END.match(text, start.start()).end() - start.start()
        if read > MAX_TAG_READING:
            return text.count("\n", 0, start.start()) + 1
    return None


def render_markdown(source, language=None):
    """Sanitised HTML; French text gets French spacing (typography.py), here, once."""
    converter = getattr(_local, "converter", None)
    if converter is None:
        converter = _local.converter = markdown.Markdown(
            extensions=_EXTENSIONS, extension_configs=_EXTENSION_CONFIGS, output_format="html"
        )
    try:
        html = converter.reset().convert(source)
    except RecursionError:
        # check_markdown refuses this before it comes here; this is for a source it did
        # not see, such as a row saved before there was such a check.
        raise MarkdownTooComplex([(None, _("lists and quotes nest too deeply"))]) from None
    # nh3 drops <script>, event-handler attributes and javascript:/data: URLs,
    # whoever wrote the source.
    html = nh3.clean(html, attributes=_ATTRIBUTES, link_rel="noopener noreferrer")
    return french_html(html) if language == "fr" else html
