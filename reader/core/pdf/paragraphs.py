"""Lines in reading order → paragraphs, and the title.

Two lines one below the other on a page belong to different paragraphs when the gap between
them is wider than the column's usual line spacing (by 40 %); when the type size changes, or
the weight does and the next line does not go on in lower case (a heading; a bold run-in
head goes on); when the second line starts indented by about an em (a first-line indent);
or when it comes back to the margin after an indented block (a quotation).

When the next line is at the top of another column or page, the paragraph goes on unless the
new line is indented, the type changes, the column is of another width (a title over the
columns, then the columns), or the last line ended short of its column with a sentence's
final punctuation.

The title is the first paragraph of page 1 set in the largest type of that page, when that
type is clearly larger than the body's; otherwise the document's metadata title when it
looks like a title (not a file name, not "Untitled", not "Microsoft Word - …").
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from reader.core.pdf.hyphens import Vocabulary, join_lines
from reader.core.pdf.layout import Chunk, TextLine

# Line spacing more than this times the usual one separates paragraphs.
_GAP_FACTOR = 1.4
# A first-line indent is at least this many ems (and a line at the margin less than _FLUSH).
_INDENT_EMS = 0.6
_FLUSH_EMS = 0.25
# A size change of more than this share is a change of type (a heading).
_SIZE_CHANGE = 0.12
# A last line this much (share of the column) short of the column's right edge "ends short".
_SHORT = 0.15
_FINAL = tuple(".!?:;…»\"”)")
# The title's type is at least this much larger than the body's.
_TITLE_FACTOR = 1.15


@dataclass(frozen=True, slots=True)
class Block:
    """A paragraph: its text, its type size and weight, and the page it starts on."""

    text: str
    size: float
    bold: bool
    page: int


def _pitch(chunk: Chunk) -> float | None:
    """The usual distance between line tops in ``chunk`` (the median), or None."""
    steps = [
        b.top - a.top
        for a, b in zip(chunk.lines, chunk.lines[1:], strict=False)
        if abs(a.size - b.size) <= _SIZE_CHANGE * max(a.size, b.size) and b.top > a.top
    ]
    if not steps:
        return None
    steps.sort()
    return steps[len(steps) // 2]


def _type_changes(a: TextLine, b: TextLine) -> bool:
    if abs(a.size - b.size) > _SIZE_CHANGE * max(a.size, b.size):
        return True
    # A bold line then a plain one is a heading and its text, unless the plain line goes on
    # in lower case (a bold run-in head: "Minimum tax / exemption decreased. The…").
    return a.bold != b.bold and not b.text[:1].islower()


def _below(a: TextLine, b: TextLine) -> bool:
    """``b`` is under ``a`` on the same page, their extents overlapping."""
    return b.top > a.top and b.x0 < a.x1 and a.x0 < b.x1


def _same_line_breaks(
    a: TextLine, b: TextLine, chunk: Chunk, pitch: float | None, indented_block: bool
) -> bool:
    em = max(b.size, 1.0)
    step = pitch if pitch is not None else 1.25 * max(a.size, b.size)
    if b.top - a.top > _GAP_FACTOR * step:
        return True
    if _type_changes(a, b):
        return True
    indent_b = b.x0 - chunk.left
    indent_a = a.x0 - chunk.left
    if indent_b >= _INDENT_EMS * em and indent_a < _FLUSH_EMS * em:
        return True
    # Back at the margin after lines that were all indented alike: the quotation ended.
    return indented_block and indent_b < _FLUSH_EMS * em


def _continues(a: TextLine, a_chunk: Chunk, b: TextLine, b_chunk: Chunk) -> bool:
    """Whether ``b``, at the top of a new column or page, continues ``a``'s paragraph."""
    if _type_changes(a, b):
        return False
    if a.text.rstrip().endswith(("-", "\u00ad", "\u2010")):
        return True
    width_a = a_chunk.right - a_chunk.left
    width_b = b_chunk.right - b_chunk.left
    if abs(width_a - width_b) > 0.25 * max(width_a, width_b, 1.0):
        return False
    em = max(b.size, 1.0)
    if len(b_chunk.lines) > 1 and b.x0 - b_chunk.left >= _INDENT_EMS * em:
        return False
    # A one-line column says nothing about where its lines end: the punctuation decides.
    ends_short = len(a_chunk.lines) < 2 or a_chunk.right - a.x1 > _SHORT * max(width_a, 1.0)
    return not (ends_short and a.text.rstrip().endswith(_FINAL))


def build_blocks(chunks: Sequence[Chunk], vocabulary: Vocabulary) -> list[Block]:
    """The paragraphs of ``chunks`` (in reading order), their lines joined."""
    blocks: list[Block] = []
    current: list[TextLine] = []
    start: tuple[Chunk, TextLine] | None = None

    def close() -> None:
        if current and start is not None:
            text = join_lines((line.text for line in current), vocabulary)
            if text:
                first = current[0]
                blocks.append(Block(text, first.size, first.bold, start[0].page))
        current.clear()

    previous: tuple[Chunk, TextLine] | None = None
    for chunk in chunks:
        pitch = _pitch(chunk)
        for line in chunk.lines:
            if previous is None:
                start = (chunk, line)
            else:
                p_chunk, p_line = previous
                if p_chunk.page == chunk.page and _below(p_line, line):
                    indented = len(current) >= 2 and all(
                        abs(other.x0 - current[-1].x0) < 1.0
                        and other.x0 - p_chunk.left >= _INDENT_EMS * other.size
                        for other in current
                    )
                    breaks = _same_line_breaks(
                        p_line, line, chunk if chunk is p_chunk else p_chunk, pitch, indented
                    )
                else:
                    breaks = not _continues(p_line, p_chunk, line, chunk)
                if breaks:
                    close()
                    start = (chunk, line)
            current.append(line)
            previous = (chunk, line)
    close()
    return blocks


_JUNK_TITLE = re.compile(
    r"(?:^(?:untitled|sans titre|document\d*|title|titre|microsoft (?:word|powerpoint) - .*"
    r"|présentation powerpoint|powerpoint presentation)$)"
    r"|\.(?:docx?|pdf|odt|rtf|indd|qxd|tex|dvi|ps|txt|html?|pages|key|pptx?)$",
    re.IGNORECASE,
)


def sensible_title(title: str | None) -> str | None:
    """The metadata title, when it looks like one."""
    if not title:
        return None
    title = " ".join(title.split())
    if not 3 <= len(title) <= 300 or not any(c.isalpha() for c in title):
        return None
    if _JUNK_TITLE.search(title):
        return None
    return title


def title_index(blocks: Sequence[Block], body_size: float) -> int | None:
    """Which block is the title: the first block of the first page with text, set in that
    page's largest type, when it is clearly larger than the body."""
    if not blocks:
        return None
    first_page = blocks[0].page
    # A drop cap or an ornament is large type too, but not a title: a few letters at least.
    on_page = [
        (k, block)
        for k, block in enumerate(blocks)
        if block.page == first_page and sum(c.isalpha() for c in block.text) >= 3
    ]
    if not on_page:
        return None
    largest = max(block.size for _, block in on_page)
    if largest < _TITLE_FACTOR * body_size:
        return None
    for k, block in on_page:
        if block.size >= largest - 0.1 and len(block.text) <= 300:
            return k
    return None
