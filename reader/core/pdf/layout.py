"""A PDF page's lines → reading order: running headers, footers and page numbers removed,
columns read one after the other.

Pure geometry on :class:`TextLine` (no PDF library here). Coordinates are PDF points with
``top`` measured down from the top of the page.

Running lines: a line among the two first or two last rows of a page, set apart from the
body by more than a line's height and in the page's outer fifth, is a running header or
footer when the same text (digits ignored, so "Page 3" and "Page 4" match) sits at the same
height on another page, or when it is set in smaller type than the body in the page's outer
8 % (a one-page document's header); and a page number when it is only a number ("12",
"- 12 -", "Page 12", "12 / 40", "xii").

Columns: a gutter is a vertical band, inside the text's extent, that no more than a quarter
of the lines cross and that has at least three lines entirely on each side. The lines that
cross a gutter (a title, an abstract over both columns) cut the page into sections; each
section is read column by column, left to right, each column top-down. A region with no
gutter is cut at its wide vertical gaps and each part is looked at again (a two-column part
above a three-column one), a bounded number of times.
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class TextLine:
    """One line of text on a page (or a piece of one, cut at a wide gap)."""

    x0: float
    x1: float
    top: float
    bottom: float
    text: str
    size: float
    bold: bool = False

    @property
    def height(self) -> float:
        return self.bottom - self.top


@dataclass(slots=True)
class Page:
    number: int  # 1-based
    width: float
    height: float
    lines: list[TextLine] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class Chunk:
    """Lines read together: one column of one section, or one line across the columns.
    ``left``/``right``: the chunk's text edges (for indents and short last lines)."""

    page: int
    lines: tuple[TextLine, ...]
    left: float
    right: float


# How many rows at each end of a page may be running lines, and how far in they may sit.
_EDGE_ROWS = 2
_EDGE_FRACTION = 0.2
# A line in smaller type than the body in the page's outer 8 %, set apart, is a running line
# even where no other page repeats it (a one-page document, page 1's own header).
_MARGIN_FRACTION = 0.08
_SMALL_TYPE = 0.9
# Same height on two pages, in points.
_SAME_HEIGHT = 4.0
_DIGITS = re.compile(r"\d+")
_SPACES = re.compile(r"\s+")
_PAGE_NUMBER = re.compile(
    r"^(?:(?:page|p\.|pp\.|seite|pagina|página|strona)\s*)?[-–—(\[]?\s*"
    r"(?:\d{1,4}|(?-i:[ivxlcdm]{1,7}))\s*[-–—)\]]?"
    r"(?:\s*(?:/|of|sur|de|von|di|z)\s*\d{1,4})?$",
    re.IGNORECASE,
)


def _median(values: Sequence[float], default: float) -> float:
    if not values:
        return default
    ordered = sorted(values)
    return ordered[len(ordered) // 2]


def _rows(lines: Sequence[TextLine]) -> list[list[TextLine]]:
    """Lines grouped into rows (tops within 2 pt), top-down."""
    rows: list[list[TextLine]] = []
    for line in sorted(lines, key=lambda line: line.top):
        if rows and abs(rows[-1][0].top - line.top) <= 2.0:
            rows[-1].append(line)
        else:
            rows.append([line])
    return rows


def _edge_lines(page: Page) -> list[TextLine]:
    """The lines that may be running lines: up to two rows at the top (bottom) of the page,
    set apart from the next row by more than a line's height, in the page's outer fifth."""
    rows = _rows(page.lines)
    if len(rows) < 2:
        return [line for row in rows for line in row]
    size = _median([line.size for line in page.lines], 10.0)
    picked: list[list[TextLine]] = []
    for outward in (rows, rows[::-1]):
        for i in range(min(_EDGE_ROWS, len(outward) - 1)):
            here, there = outward[i], outward[i + 1]
            if outward is rows:
                gap = min(line.top for line in there) - max(line.bottom for line in here)
            else:
                gap = min(line.top for line in here) - max(line.bottom for line in there)
            if gap > size:
                picked.extend(outward[: i + 1])
                break
    band = page.height * _EDGE_FRACTION
    return [
        line
        for row in picked
        for line in row
        if line.top < band or line.bottom > page.height - band
    ]


def attach_drop_caps(page: Page) -> Page:
    """A drop cap (one to three letters set at least twice as large as the line beside it,
    ending just left of it) read as the start of that line's first word: "L" + "es
    chercheurs" → "Les chercheurs"."""
    lines = list(page.lines)
    for cap in [line for line in lines if 1 <= len(line.text) <= 3 and line.text.isalpha()]:
        beside = [
            line
            for line in lines
            if line is not cap
            and line.size * 2 <= cap.size
            and cap.x1 - 1 <= line.x0 <= cap.x1 + line.size * 1.5
            and cap.top - line.size <= line.top <= cap.bottom
        ]
        if not beside:
            continue
        first = min(beside, key=lambda line: line.top)
        joined = TextLine(
            cap.x0, first.x1, first.top, first.bottom, cap.text + first.text, first.size,
            first.bold,
        )
        lines = [joined if line is first else line for line in lines if line is not cap]
    return Page(page.number, page.width, page.height, lines)


def _key(text: str) -> str:
    return _SPACES.sub(" ", _DIGITS.sub("#", text.casefold())).strip()


def is_page_number(text: str) -> bool:
    return bool(_PAGE_NUMBER.match(text.strip()))


def remove_running_lines(pages: Sequence[Page]) -> list[Page]:
    """The pages without their running headers, footers and page numbers."""
    edges = {page.number: _edge_lines(page) for page in pages}
    seen: dict[str, list[tuple[int, float]]] = defaultdict(list)
    for number, lines in edges.items():
        for line in lines:
            seen[_key(line.text)].append((number, line.top))

    body = body_size(pages)

    def running(line: TextLine, page: Page) -> bool:
        if is_page_number(line.text):
            return True
        margin = page.height * _MARGIN_FRACTION
        if line.size <= _SMALL_TYPE * body and (
            line.bottom < margin or line.top > page.height - margin
        ):
            return True
        return any(
            other != page.number and abs(top - line.top) <= _SAME_HEIGHT
            for other, top in seen[_key(line.text)]
        )

    kept: list[Page] = []
    for page in pages:
        drop = {id(line) for line in edges[page.number] if running(line, page)}
        lines = [line for line in page.lines if id(line) not in drop]
        kept.append(Page(page.number, page.width, page.height, lines))
    return kept


# ----------------------------------------------------------------------------- columns

# A gutter is crossed by at most this share of the region's lines...
_MAX_CROSSING = 0.25
# ...and has at least this many lines wholly on each side.
_MIN_SIDE_LINES = 3
# How many times a region without a gutter may be cut at its gaps and looked at again.
_MAX_DEPTH = 4


def find_gutters(lines: Sequence[TextLine]) -> list[tuple[float, float]]:
    """The gutters between columns in ``lines``, left to right (see the module docstring)."""
    if len(lines) < 2 * _MIN_SIDE_LINES:
        return []
    left = min(line.x0 for line in lines)
    right = max(line.x1 for line in lines)
    size = _median([line.size for line in lines], 10.0)
    origin = int(left)
    width = int(right) - origin + 2
    if width <= 2:
        return []
    # How many lines cover each point of the width (a difference array, then a running sum).
    delta = [0] * (width + 1)
    for line in lines:
        delta[max(int(line.x0) - origin, 0)] += 1
        delta[min(math.ceil(line.x1) - origin, width)] -= 1
    allowed = int(len(lines) * _MAX_CROSSING)
    gutters: list[tuple[float, float]] = []
    covered = 0
    start: int | None = None
    min_width = max(0.5 * size, 3.0)
    for x in range(width):
        covered += delta[x]
        if covered <= allowed:
            if start is None:
                start = x
            continue
        if start is not None and start > 0:
            g0, g1 = start + origin, x + origin
            if g1 - g0 >= min_width:
                gutters.append((float(g0), float(g1)))
        start = None
    return [g for g in gutters if _has_sides(lines, g)]


def _has_sides(lines: Sequence[TextLine], gutter: tuple[float, float]) -> bool:
    g0, g1 = gutter
    on_left = sum(1 for line in lines if line.x1 <= g0 + 1)
    on_right = sum(1 for line in lines if line.x0 >= g1 - 1)
    return on_left >= _MIN_SIDE_LINES and on_right >= _MIN_SIDE_LINES


def _crosses(line: TextLine, gutters: Sequence[tuple[float, float]]) -> bool:
    return any(line.x0 < g0 - 1 and line.x1 > g1 + 1 for g0, g1 in gutters)


def _column(line: TextLine, gutters: Sequence[tuple[float, float]]) -> int:
    middle = (line.x0 + line.x1) / 2
    return sum(1 for g0, g1 in gutters if middle > (g0 + g1) / 2)


def _merge_row(row: Sequence[TextLine]) -> TextLine:
    """Pieces of one row of a column (a section number and its heading, cut apart at a wide
    gap) as one line, left to right."""
    if len(row) == 1:
        return row[0]
    pieces = sorted(row, key=lambda line: line.x0)
    longest = max(pieces, key=lambda line: len(line.text))
    return TextLine(
        x0=pieces[0].x0,
        x1=max(line.x1 for line in pieces),
        top=min(line.top for line in pieces),
        bottom=max(line.bottom for line in pieces),
        text=" ".join(line.text for line in pieces),
        size=longest.size,
        bold=all(line.bold for line in pieces),
    )


def _chunk(page: int, lines: Sequence[TextLine]) -> Chunk:
    ordered = tuple(_merge_row(row) for row in _rows(lines))
    return Chunk(page, ordered, min(line.x0 for line in lines), max(line.x1 for line in lines))


def _split_at_gaps(lines: Sequence[TextLine]) -> list[list[TextLine]]:
    """``lines`` cut where the vertical gap between rows is wider than two line heights."""
    rows = _rows(lines)
    parts: list[list[TextLine]] = [[]]
    bottom: float | None = None
    for row in rows:
        height = max(line.height for line in row)
        if bottom is not None and row[0].top - bottom > 2.0 * height and parts[-1]:
            parts.append([])
        parts[-1].extend(row)
        bottom = max(bottom or 0.0, *(line.bottom for line in row))
    return [part for part in parts if part]


def _order(page: int, lines: Sequence[TextLine], depth: int) -> list[Chunk]:
    if not lines:
        return []
    gutters = find_gutters(lines)
    if not gutters:
        parts = _split_at_gaps(lines) if depth < _MAX_DEPTH else [list(lines)]
        if len(parts) == 1:
            return [_chunk(page, lines)]
        return [chunk for part in parts for chunk in _order(page, part, depth + 1)]
    chunks: list[Chunk] = []
    section: dict[int, list[TextLine]] = defaultdict(list)

    def flush() -> None:
        for index in sorted(section):
            column = section[index]
            # A column may have its own columns (bounded recursion).
            if depth < _MAX_DEPTH and find_gutters(column):
                chunks.extend(_order(page, column, depth + 1))
            else:
                chunks.append(_chunk(page, column))
        section.clear()

    for line in sorted(lines, key=lambda line: (line.top, line.x0)):
        if _crosses(line, gutters):
            flush()
            chunks.append(_chunk(page, [line]))
        else:
            section[_column(line, gutters)].append(line)
    flush()
    return chunks


def reading_order(page: Page) -> list[Chunk]:
    """The page's lines as chunks in reading order."""
    return _order(page.number, page.lines, 0)


def body_size(pages: Sequence[Page]) -> float:
    """The size most of the text is set in (counted in characters)."""
    sizes: Counter[float] = Counter()
    for page in pages:
        for line in page.lines:
            sizes[round(line.size, 1)] += len(line.text)
    return sizes.most_common(1)[0][0] if sizes else 10.0
