"""French typography, applied once when a text is saved or imported, never per request.

French puts a narrow no-break space (U+202F) before ; : ! ? and inside « », so that the mark
never starts a line. Only text is changed: not tags, attributes (links), code or URLs.
"""

import re

from django.utils.dateformat import format as date_format
from django.utils.translation import get_language

NARROW_NBSP = "\u202f"
# A space (or none) before ; ! ? and a space before : (none there: "10:30", "https://").
_BEFORE = re.compile(r"(?<=\S)[ \u00a0]*([;!?])|(?<=\S)[ \u00a0]+(:)")
_AFTER_OPENING_QUOTE = re.compile(r"«[ \u00a0\u202f]*")
_BEFORE_CLOSING_QUOTE = re.compile(r"[ \u00a0\u202f]*»")
_URL = re.compile(r"\b[a-z][a-z0-9+.-]*://\S+|www\.\S+", re.I)
# Tags, and elements whose text is code or a URL, are left as they are.
_HTML_PARTS = re.compile(
    r"(<(code|pre|kbd|samp|script|style)\b.*?</\2\s*>|<[^>]*>|&[#\w]+;)", re.S | re.I
)


def french_text(text):
    """Plain text with French spacing: « Attention ! » ; "Coût : 3 €"."""
    if not text:
        return text
    pieces = []
    last = 0
    for url in _URL.finditer(text):
        pieces.append(_space(text[last : url.start()]))
        pieces.append(url.group(0))
        last = url.end()
    pieces.append(_space(text[last:]))
    return "".join(pieces)


def _space(text):
    text = _BEFORE.sub(lambda m: NARROW_NBSP + (m.group(1) or m.group(2)), text)
    text = _AFTER_OPENING_QUOTE.sub("«" + NARROW_NBSP, text)
    return _BEFORE_CLOSING_QUOTE.sub(NARROW_NBSP + "»", text)


def french_html(html):
    """french_text on the text of sanitised HTML, leaving tags, entities and code alone."""
    parts = _HTML_PARTS.split(html)
    out = []
    # split() with two groups yields: text, whole match, inner group, text, ...
    index = 0
    while index < len(parts):
        out.append(french_text(parts[index]))
        if index + 1 < len(parts):
            out.append(parts[index + 1])
        index += 3
    return "".join(out)


def long_date(value, language=None):
    """30 November 2026; in French 30 novembre 2026, and 1er for the first of a month."""
    text = date_format(value, "j F Y")
    if (language or get_language()) == "fr" and value.day == 1:
        text = "1er" + text[1:]
    return text
