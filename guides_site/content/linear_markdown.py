"""Python-Markdown with its quadratic scans replaced by equivalent ones that are not.

For every "[", "](", or run of backticks, Python-Markdown 3 walks character by character to
the end of the text when nothing closes it, and its table check splits the whole rest of a
block for each line another processor takes off it: 20 KB of "[" took minutes. The
processors here return what Python-Markdown's return (tests/test_markdown_limits.py compares
the two on random input), from where each bracket closes, found once per text.
"""

import bisect
import itertools
import re

from markdown import Extension, blockprocessors, inlinepatterns
from markdown.extensions.tables import TableProcessor

_BRACKETS = re.compile(r"[\[\]()]")
_BACKTICKS = re.compile(r"`+")
_QUOTE = re.compile("['\"]")
# A quote, then spaces, then ")": where a link's title can end (see getLink).
_TITLE_END = {quote: re.compile(quote + " *\\)") for quote in "'\""}
_OTHER_QUOTE = {"'": '"', '"': "'"}
_LINE = re.compile(r"^.*$", re.MULTILINE)
_NEWLINE = re.compile("\n")
_FENCE = re.compile("^(?:~{3,}|`{3,})", re.MULTILINE)


class _TailFacts:
    """Facts about a text, found in one pass and reused for its later versions.

    Python-Markdown rewrites a text only before the point it scans from (it puts
    placeholders where it matched), and cuts blocks into their last lines; what a scan
    finds depends only on the text from there to the end. So the facts about an old text
    hold for any text ending the same, with positions shifted by the difference in length.
    A few texts are kept, for the parts of a block parsed in between.
    """

    KEPT = 8

    def __init__(self, compute):
        self._compute = compute
        self._texts = []  # [text, facts, a newer text ending like it, over how many characters]

    def at(self, text, pos):
        """The facts, and what to add to a position of text to find it in them."""
        tail = len(text) - pos
        for entry in self._texts:
            base, facts, checked, checked_tail = entry
            if base is text:
                return facts, 0
            if (checked is text and tail <= checked_tail) or base.endswith(text[pos:]):
                entry[2:] = text, max(tail, checked_tail if checked is text else 0)
                return facts, len(base) - len(text)
        facts = self._compute(text)
        self._texts = [[text, facts, None, 0], *self._texts[: self.KEPT - 1]]
        return facts, 0


def _bracket_facts(text):
    """Where each "[" and "(" closes, counting nested pairs, and where the parentheses are."""
    closes, squares, rounds, parens = {}, [], [], []
    for match in _BRACKETS.finditer(text):
        pos, char = match.start(), match.group()
        if char == "[":
            squares.append(pos)
        elif char == "]":
            if squares:
                closes[squares.pop()] = pos
        else:
            parens.append(pos)
            if char == "(":
                rounds.append(pos)
            elif rounds:
                closes[rounds.pop()] = pos
    return closes, parens


def _backtick_facts(text):
    """The runs of backticks: their starts for each length, and the longest from each run on."""
    starts, lengths, by_length = [], [], {}
    for match in _BACKTICKS.finditer(text):
        length = match.end() - match.start()
        starts.append(match.start())
        lengths.append(length)
        by_length.setdefault(length, []).append(match.start())
    longest_from = lengths[:]
    for index in range(len(longest_from) - 2, -1, -1):
        longest_from[index] = max(longest_from[index], longest_from[index + 1])
    return starts, longest_from, by_length


def _first_at_or_after(positions, pos):
    index = bisect.bisect_left(positions, pos)
    return positions[index] if index < len(positions) else None


class _LinearBrackets:
    """getText, which finds the "]" closing a link's text, for all link and image kinds."""

    def __init__(self, *args):
        super().__init__(*args)
        self._brackets = _TailFacts(_bracket_facts)

    def getText(self, data, index):
        if data[index - 1 : index] != "[":
            return super().getText(data, index)
        (closes, _parens), offset = self._brackets.at(data, index - 1)
        close = closes.get(index - 1 + offset)
        if close is None:
            # Python-Markdown returns the rest of the text here; its callers ignore it.
            return "", len(data), False
        close -= offset
        return data[index:close], close + 1, True


class _LinearLink(_LinearBrackets):
    """getLink, which reads the "(address "title")" after a link's text."""

    def getLink(self, data, index):
        match = self.RE_LINK.match(data, pos=index)
        if match is None or match.group(1):
            return super().getLink(data, index)  # no "(", or "(<address>)": no scan
        start = match.end()
        (closes, parens), offset = self._brackets.at(data, index)
        close = closes.get(index + offset)
        close = None if close is None else close - offset
        quote = _QUOTE.search(data, start, len(data) if close is None else close)
        if quote is None:
            # Parentheses alone: the link ends at the one matching its "(".
            if close is None:
                return "", None, len(data), False
            return self._link(data[start:close], None, close + 1)
        # From the first quote on, Python-Markdown stops counting parentheses: the link ends
        # at the first ")" right after (spaces aside) a later quote of the same kind, or a
        # second one of the other kind...
        first = quote.start()
        depth = 1 + data.count("(", start, first) - data.count(")", start, first)
        ends = []
        same = _TITLE_END[data[first]].search(data, first + 1)
        if same:
            ends.append((same.end(), first, same.start()))
        other = data.find(_OTHER_QUOTE[data[first]], first + 1)
        if other != -1:
            alternative = _TITLE_END[data[other]].search(data, other + 1)
            if alternative:
                ends.append((alternative.end(), other, alternative.start()))
        if ends:
            end, title_start, title_end = min(ends)
            return self._link(data[start:title_start], data[title_start + 1 : title_end], end)
        # ...or else after as many more parentheses of either kind as were open at the quote,
        # if the last of them is a ")" (if it is a "(", Python-Markdown says the link ends
        # before the text does, at index -1: that is kept too).
        later = bisect.bisect_right(parens, first + offset) + depth - 1
        if later >= len(parens):
            return "", None, len(data), False
        last = parens[later] - offset
        end = last + 1 if data[last] == ")" else -1
        return self._link(data[start : end - 1], None, end)

    def _link(self, href, title, end):
        if title is not None:
            title = self.RE_TITLE_CLEAN.sub(
                " ", inlinepatterns.dequote(self.unescape(title.strip()))
            )
        return self.unescape(href).strip(), title, end, True


class _LinkProcessor(_LinearLink, inlinepatterns.LinkInlineProcessor):
    pass


class _ImageProcessor(_LinearLink, inlinepatterns.ImageInlineProcessor):
    pass


class _ReferenceProcessor(_LinearBrackets, inlinepatterns.ReferenceInlineProcessor):
    pass


class _ShortReferenceProcessor(_LinearBrackets, inlinepatterns.ShortReferenceInlineProcessor):
    pass


class _ImageReferenceProcessor(_LinearBrackets, inlinepatterns.ImageReferenceInlineProcessor):
    pass


class _ShortImageReferenceProcessor(
    _LinearBrackets, inlinepatterns.ShortImageReferenceInlineProcessor
):
    pass


class _BacktickProcessor(inlinepatterns.BacktickInlineProcessor):
    def __init__(self, pattern):
        super().__init__(pattern)
        self._runs = _TailFacts(_backtick_facts)

    def find_code_spans(self, start, text):
        ticks = _BACKTICKS.match(text, start)
        opening, start = ticks.end() - start, ticks.end()
        (starts, longest_from, by_length), offset = self._runs.at(text, start)
        # The first later run as long as the opening one closes the code span...
        same = _first_at_or_after(by_length.get(opening, []), start + offset)
        if same is not None:
            return start, same - offset
        # ...or else the longest later run, if shorter, with the opening cut to its length.
        index = bisect.bisect_left(starts, start + offset)
        longest = longest_from[index] if index < len(starts) else 0
        if 0 < longest < opening:
            closing = _first_at_or_after(by_length[longest], start + offset) - offset
            return start - (opening - longest), closing
        return start + opening, None


class _TableProcessor(TableProcessor):
    def test(self, parent, block):
        # Only the first two rows decide, or for a table of one column with pipes at its
        # edges, the rows down to the first without: give TableProcessor only those.
        rows = block.split("\n", 2)
        if len(rows) == 3:
            kept = rows[:2]
            if self._edged(rows[0]) and self._edged(rows[1]):
                for line in _LINE.finditer(rows[2]):
                    kept.append(line.group())
                    if not self._edged(kept[-1]):
                        break
            block = "\n".join(kept)
        return super().test(parent, block)

    def _edged(self, row):
        row = row.strip(" ")
        return row.startswith("|") or self.RE_END_BORDER.search(row) is not None


class _LineSearch:
    """test() for the block processors that search every line of a block.

    Other processors take a block apart from the top, a line or two at a time, and these
    tests ran again over all that was left each time. Which lines match is found once.
    """

    def __init__(self, parser):
        super().__init__(parser)
        self._lines = _TailFacts(self._matching_lines)

    def test(self, parent, block):
        if self._search.match(block):
            return super().test(parent, block)
        lines, offset = self._lines.at(block, 0)
        return bool(lines) and lines[-1] > offset and super().test(parent, block)

    def _matching_lines(self, text):
        """The starts of the lines of text, after its first, that match."""
        back = 1 if self._from_newline else 0
        return [
            newline.end()
            for newline in _NEWLINE.finditer(text)
            if self._search.match(text, newline.end() - back)
        ]


class _HashHeaderProcessor(_LineSearch, blockprocessors.HashHeaderProcessor):
    _search, _from_newline = blockprocessors.HashHeaderProcessor.RE, True


class _HRProcessor(_LineSearch, blockprocessors.HRProcessor):
    _search, _from_newline = blockprocessors.HRProcessor.SEARCH_RE, False


class _BlockQuoteProcessor(_LineSearch, blockprocessors.BlockQuoteProcessor):
    _search, _from_newline = blockprocessors.BlockQuoteProcessor.RE, True


class _SetextHeaderProcessor(blockprocessors.SetextHeaderProcessor):
    def run(self, parent, blocks):
        # Python-Markdown splits the whole block into lines to take the first two.
        heading = blocks[0].split("\n", 2)
        if len(heading) < 3:
            return super().run(parent, blocks)
        blocks[0] = "\n".join(heading[:2])
        super().run(parent, blocks)
        blocks.insert(0, heading[2])


def _fence_facts(text):
    """The starts of the lines that start with a fence, and for each fence, of the lines
    that are that fence alone (which close it)."""
    openers, closers = [], {}
    for fence in _FENCE.finditer(text):
        openers.append(fence.start())
        line_end = _line_end(text, fence.end())
        if not text[fence.end() : line_end].strip(" "):
            closers.setdefault(fence.group(), []).append(fence.start())
    return openers, closers


def _line_end(text, pos):
    end = text.find("\n", pos)
    return len(text) if end == -1 else end


class FenceSearch:
    """FencedBlockPreprocessor's pattern, searched without its quadratic cost.

    The pattern's lazy ".*?" reads from every opening fence to the end of the text when
    no line closes it. Here the line that closes each fence is looked up, and the
    pattern is only matched from an opening fence to it: same matches, each text read
    once.
    """

    def __init__(self, pattern):
        self._pattern = pattern
        self._fences = _TailFacts(_fence_facts)

    def search(self, text, index=0):
        # FencedBlockPreprocessor searches again after each match from just past the
        # placeholder it put there, which ends with a new line break: what the old text
        # says about where lines start holds from one character further on.
        (openers, closers), offset = self._fences.at(text, min(index + 1, len(text)))
        later = bisect.bisect_right(openers, index + 1 + offset)
        starts = itertools.chain(
            (pos for pos in (index, index + 1) if _FENCE.match(text, pos)),
            (opener - offset for opener in itertools.islice(openers, later, None)),
        )
        for start in starts:
            fence = _FENCE.match(text, start).group()
            closing = closers.get(fence, [])
            after = bisect.bisect_right(closing, start + offset)
            if after < len(closing):
                end = _line_end(text, closing[after] - offset)
                if match := self._pattern.match(text, start, end):
                    return match
        return None


_LINKS = {
    "reference": _ReferenceProcessor,
    "link": _LinkProcessor,
    "image_link": _ImageProcessor,
    "image_reference": _ImageReferenceProcessor,
    "short_reference": _ShortReferenceProcessor,
    "short_image_ref": _ShortImageReferenceProcessor,
}
_LINE_SEARCHES = {
    "hashheader": _HashHeaderProcessor,
    "hr": _HRProcessor,
    "quote": _BlockQuoteProcessor,
}


def _swap(registry, name, new):
    # In the old one's place: Registry has no public way to read a priority.
    registry.register(new, name, registry._priority[registry.get_index_for_name(name)].priority)


class LinearExtension(Extension):
    """Swaps in the processors above. Load it after "tables" and "fenced_code"."""

    def extendMarkdown(self, md):
        inline, blocks = md.inlinePatterns, md.parser.blockprocessors
        _swap(inline, "backtick", _BacktickProcessor(inline["backtick"].pattern))
        for name, processor in _LINKS.items():
            _swap(inline, name, processor(inline[name].pattern, md))
        _swap(blocks, "table", _TableProcessor(md.parser, blocks["table"].config))
        for name, processor in _LINE_SEARCHES.items():
            _swap(blocks, name, processor(md.parser))
        _swap(blocks, "setextheader", _SetextHeaderProcessor(md.parser))
        fenced = md.preprocessors["fenced_code_block"]
        fenced.FENCED_BLOCK_RE = FenceSearch(fenced.FENCED_BLOCK_RE)
