"""One row laid out: its cells (original, translation, or one shared block) at a width, and
hit-testing inside them. QtGui only (``QTextLayout``), so it is tested without a window.

Each paragraph is a *row*; each row holds a source cell and a translation cell laid out with
``QTextLayout`` at the column width. In side-by-side mode both cells start at the row's top
and the row is as tall as the taller of the two, so paragraph N always faces paragraph N
whatever their lengths. What a row shows comes from the one row-display rule
(``reader.core.presentation.row_display``), which the exports use too; this module only places it.
Coordinates in a ``RowLayout`` are relative to the row's top.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from PySide6.QtCore import QPointF, QRectF
from PySide6.QtGui import QFont, QFontMetricsF, QPainterPath, QTextLayout, QTextLine, QTextOption

from reader.core.articles.article import ParagraphKind
from reader.core.presentation.row_display import PassthroughReason, RowDisplay, RowState
from reader.core.text.writing_systems import has_italics, is_right_to_left
from reader.fonts import apply_direction, font_for_text
from reader.ui.reading_view.types import EDITOR_HINT, Layout, Pending, Side

# -- geometry constants (pixels at 1x; fonts scale with the font size) ------------------------
MARGIN = 28
GUTTER = 44
MAX_SIDE_BY_SIDE_WIDTH = 1320
MAX_SINGLE_COLUMN_WIDTH = 760
# Side by side needs this many characters of running text per column; a narrower view
# shows the rows interleaved instead (words are never broken to fit a sliver).
MIN_COLUMN_CHARS = 30
INTERLEAVED_INDENT = 16
QUOTE_INDENT = 16

_KIND_SCALE = {
    ParagraphKind.TITLE: 1.3,
    ParagraphKind.LEDE: 1.06,
    ParagraphKind.BODY: 1.0,
    ParagraphKind.QUOTE: 1.0,
    ParagraphKind.CAPTION: 0.86,
    ParagraphKind.BOILERPLATE: 0.82,
    ParagraphKind.NOTE: 0.86,
}
MUTED_KINDS = (ParagraphKind.CAPTION, ParagraphKind.BOILERPLATE, ParagraphKind.NOTE)

NOT_TRANSLATED_NOTE = "not translated yet (Ctrl+R translates)"
FAILED_NOTE = "the model gave no usable translation (right-click to retry)"
EDITED_NOTE = "✎ edited"


def passthrough_note(display: RowDisplay) -> str:
    """The screen's words for a row shown once (the export prints its own)."""
    if display.passthrough_reason is PassthroughReason.NOTHING_TO_TRANSLATE:
        return "= kept as is (nothing to translate)"
    return f"= kept as is (already {display.source_language or 'in that language'})"


@dataclass(frozen=True)
class LayoutOptions:
    """Everything besides the text that decides where a row's cells go."""

    mode: Layout = Layout.SIDE_BY_SIDE
    show_translation: bool = True  # False: no model for this pair, original only
    peek_original: bool = False  # translation-only: show the original instead
    pending: Pending = Pending.TRANSLATING
    family: str = ""  # the reading font ("" : the application's)
    size: int = 12
    note_family: str = ""  # small notes and headings: the interface's font

    def with_(self, **changes: object) -> LayoutOptions:
        return replace(self, **changes)  # type: ignore[arg-type]

    @property
    def single_column(self) -> bool:
        return self.mode is not Layout.SIDE_BY_SIDE or not self.show_translation


class Typography:
    """Fonts and line metrics for a family and size (metrics cached: they are asked for
    on every row)."""

    def __init__(self, family: str, size: int, note_family: str = "") -> None:
        self.family = family or QFont().family()
        self.size = size
        self._fonts: dict[ParagraphKind, QFont] = {}
        self._line: dict[ParagraphKind, float] = {}
        self._char: dict[ParagraphKind, float] = {}
        note = QFont(note_family or QFont().family())
        note.setPointSizeF(max(6.0, size * 0.72))
        self.note_font = note
        self.note_height = QFontMetricsF(note).height()

    def font(self, kind: ParagraphKind) -> QFont:
        font = self._fonts.get(kind)
        if font is None:
            font = QFont(self.family)
            font.setPointSizeF(max(6.0, self.size * _KIND_SCALE[kind]))
            if kind is ParagraphKind.TITLE:
                font.setWeight(QFont.Weight.Bold)
            if kind in (ParagraphKind.CAPTION, ParagraphKind.QUOTE):
                font.setItalic(True)
            self._fonts[kind] = font
        return font

    def line_height(self, kind: ParagraphKind = ParagraphKind.BODY) -> float:
        height = self._line.get(kind)
        if height is None:
            height = self._line[kind] = QFontMetricsF(self.font(kind)).height()
        return height

    def leading(self, kind: ParagraphKind) -> float:
        return self.line_height(kind) * (0.22 if kind is ParagraphKind.TITLE else 0.36)

    def char_width(self, kind: ParagraphKind) -> float:
        """The mean advance of running text (for height estimates)."""
        width = self._char.get(kind)
        if width is None:
            sample = "Le gouvernement a annoncé des mesures pour les entreprises, selon eux."
            width = QFontMetricsF(self.font(kind)).horizontalAdvance(sample) / len(sample)
            self._char[kind] = width
        return width


def columns(options: LayoutOptions, width: float) -> tuple[float, float, float]:
    """(left x, column width, right x) for side-by-side; (x, width, x) otherwise."""
    if options.single_column:
        usable = min(width - 2 * MARGIN, MAX_SINGLE_COLUMN_WIDTH)
        left = max(MARGIN, (width - usable) / 2)
        return left, max(80.0, usable), left
    usable = min(width - 2 * MARGIN, MAX_SIDE_BY_SIDE_WIDTH)
    left = max(MARGIN, (width - usable) / 2)
    column = max(80.0, (usable - GUTTER) / 2)
    return left, column, left + column + GUTTER


def side_by_side_min_width(typography: Typography) -> float:
    """The narrowest view width whose two columns each hold ``MIN_COLUMN_CHARS``."""
    return 2 * MIN_COLUMN_CHARS * typography.char_width(ParagraphKind.BODY) + GUTTER + 2 * MARGIN


def paragraph_gap(options: LayoutOptions, typography: Typography, kind: ParagraphKind) -> float:
    line = typography.line_height()
    if kind is ParagraphKind.TITLE:
        return line * 1.1
    if options.mode is Layout.INTERLEAVED and options.show_translation:
        return line * 1.2
    return line * 0.85


@dataclass
class Cell:
    """One block of text in a row (x from the content's left, y from the row's top)."""

    side: Side
    text: str
    kind: ParagraphKind
    x: float = 0.0
    y: float = 0.0
    width: float = 0.0
    height: float = 0.0
    text_height: float = 0.0
    layout: QTextLayout | None = None
    leading: float = 0.0
    placeholder_lines: int = 0  # > 0: draw grey bars instead of text
    note: str = ""  # a small grey line under the text ("kept as is", "edited"…)
    shared: bool = False  # one cell for both sides (passthrough)
    translation_style: bool = False  # the interleaved translation block
    right_to_left: bool = False  # set from the right: indents and margin marks on the right
    failed: bool = False
    edited: bool = False  # the reader's post-edit: a thin coloured margin marks it
    editing: bool = False  # the in-place editor covers it (its text is not painted)
    placeholder_path: QPainterPath | None = None  # built at first paint, at (0, 0)

    def shows(self, side: Side) -> bool:
        """This cell holds ``side``'s text (a shared cell holds the original only)."""
        return self.side is side if not self.shared else side is Side.SOURCE


@dataclass
class RowLayout:
    kind: ParagraphKind
    height: float = 0.0
    cells: list[Cell] = field(default_factory=list)

    def cell(self, side: Side) -> Cell | None:
        """The cell standing for ``side`` (a shared cell stands for both)."""
        for cell in self.cells:
            if cell.side == side or cell.shared:
                return cell
        return None

    @property
    def shared(self) -> bool:
        return bool(self.cells) and self.cells[0].shared


def lay_out_text(cell: Cell, typography: Typography, width: float) -> None:
    # A face for each script of the text, as in the PDF (reader/fonts.py).
    font = font_for_text(typography.font(cell.kind), cell.text)
    if font.italic() and not has_italics(cell.text):
        font = QFont(font)  # no synthetic slant for Arabic, Hebrew, CJK, Devanagari…
        font.setItalic(False)
    cell.right_to_left = is_right_to_left(cell.text)
    leading = typography.leading(cell.kind)
    # QTextLayout breaks lines only at U+2028; a same-length swap keeps every offset.
    layout = QTextLayout(cell.text.replace("\n", "\u2028"), font)
    option = QTextOption()
    option.setWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
    apply_direction(option, cell.text)  # Arabic, Persian, Urdu, Hebrew: from the right
    layout.setTextOption(option)
    layout.setCacheEnabled(True)
    indent = QUOTE_INDENT if cell.kind is ParagraphKind.QUOTE else 0
    y = 0.0
    layout.beginLayout()
    while True:
        line = layout.createLine()
        if not line.isValid():
            break
        line.setLineWidth(max(20.0, width - indent))
        # A quote's indent is on the side the paragraph starts from.
        line.setPosition(QPointF(0 if cell.right_to_left else indent, y + leading / 2))
        y += line.height() + leading
    layout.endLayout()
    cell.layout = layout
    cell.leading = leading
    cell.text_height = y


class RowLayouter:
    """Lays out rows, and estimates the height of rows not laid out, for one set of options
    and a viewport width."""

    def __init__(self, options: LayoutOptions, width: float) -> None:
        self.options = options
        self.width = width
        self.typography = Typography(options.family, options.size, options.note_family)
        self.columns = columns(options, width)

    def gap(self, kind: ParagraphKind) -> float:
        return paragraph_gap(self.options, self.typography, kind)

    # -- estimates ---------------------------------------------------------------------------

    def estimate_coefficients(self) -> tuple[float, float]:
        """(per_char, per_row): a row not laid out is estimated as ``length × per_char +
        per_row`` tall, gap included (``heights.RowHeights``), from running text at the
        column width: lines of that many characters, half a line more on average for the
        last one."""
        options, typography = self.options, self.typography
        _, column, _ = self.columns
        body = ParagraphKind.BODY
        line = typography.line_height(body) + typography.leading(body)
        chars = max(8.0, column / typography.char_width(body))
        interleaved = options.mode is Layout.INTERLEAVED and options.show_translation
        # Interleaved rows hold the text twice (the original, then its translation under it).
        factor = 2 if interleaved else 1
        extra = typography.line_height() * 0.3 if interleaved else 0.0
        return line * factor / chars, line * factor * 0.5 + extra + self.gap(body)

    # -- layout ------------------------------------------------------------------------------

    def lay_out(
        self, display: RowDisplay, kind: ParagraphKind, *, editing_height: float | None = None
    ) -> RowLayout:
        """The cells of a row. ``editing_height``: the in-place editor covers the
        translation, and the cell is that tall (it grows and shrinks with what is typed)."""
        options, typography = self.options, self.typography
        left, column, right = self.columns
        row = RowLayout(kind)
        if display.shared and options.show_translation:
            # Shown once, across both columns, and marked: there is nothing to compare.
            span = (right + column - left) if options.mode is Layout.SIDE_BY_SIDE else column
            cell = Cell(Side.SOURCE, display.source, kind, x=left, width=span, shared=True)
            lay_out_text(cell, typography, span)
            cell.note = passthrough_note(display)
            cell.height = cell.text_height + typography.note_height * 1.3
            row.cells = [cell]
            row.height = cell.height
            return row

        source = Cell(Side.SOURCE, display.source, kind, x=left, width=column)
        lay_out_text(source, typography, column)
        self._finish(source)
        lines = source.layout.lineCount() if source.layout is not None else 1
        if not options.show_translation:
            row.cells = [source]
        elif options.mode is Layout.SIDE_BY_SIDE:
            row.cells = [source, self._target(display, kind, right, column, lines,
                                              editing_height)]
        elif options.mode is Layout.INTERLEAVED:
            # Indented from the side the translation starts from (the right for Arabic).
            indent_x = left if is_right_to_left(display.target) else left + INTERLEAVED_INDENT
            target = self._target(display, kind, indent_x,
                                  column - INTERLEAVED_INDENT, lines, editing_height)
            target.translation_style = True
            target.y = source.height + typography.line_height() * 0.3
            row.cells = [source, target]
        elif options.peek_original:
            row.cells = [source]
        else:
            row.cells = [self._target(display, kind, left, column, lines, editing_height)]
        row.height = max(cell.y + cell.height for cell in row.cells)
        return row

    def _target(
        self, display: RowDisplay, kind: ParagraphKind, x: float, width: float,
        source_lines: int, editing_height: float | None,
    ) -> Cell:
        typography = self.typography
        cell = Cell(Side.TARGET, display.target, kind, x=x, width=width)
        if editing_height is not None:
            cell.editing = True
            lay_out_text(cell, typography, width)
            cell.text_height = (max(typography.line_height(kind), editing_height)
                                + cell.leading * 0.5)
            cell.note = EDITOR_HINT
        elif display.state is RowState.MISSING:
            if self.options.pending is Pending.TRANSLATING:
                cell.placeholder_lines = max(1, source_lines)
                cell.text_height = cell.placeholder_lines * typography.line_height(kind) * 1.36
            else:
                cell.note = NOT_TRANSLATED_NOTE
        elif display.state is RowState.FAILED:
            cell.failed = True
            cell.note = FAILED_NOTE
        else:
            lay_out_text(cell, typography, width)
            if display.edited:
                cell.edited = True
                cell.note = display.mark or EDITED_NOTE  # "not saved yet" when so
            elif display.mark:  # cut short: the same label as the exports
                cell.note = display.mark
        self._finish(cell)
        return cell

    def _finish(self, cell: Cell) -> None:
        note = self.typography.note_height * 1.3 if cell.note else 0.0
        cell.height = cell.text_height + note


# -- hit-testing (row coordinates) ---------------------------------------------------------------


def hit_cell(row: RowLayout, x: float, y: float) -> tuple[Side, int] | None:
    """The side and character offset under (x, y) of a row, or None (a margin, past the end
    of a line, a placeholder)."""
    for cell in row.cells:
        if cell.layout is None or cell.editing:
            continue
        local_x, local_y = x - cell.x, y - cell.y
        if not (0 <= local_x <= cell.width and 0 <= local_y <= cell.text_height):
            continue
        for number in range(cell.layout.lineCount()):
            line = cell.layout.lineAt(number)
            band_top = line.y() - cell.leading / 2
            if band_top <= local_y < band_top + line.height() + cell.leading:
                # Past the end of the line (its left in a right-aligned Arabic line): no word.
                text = line.naturalTextRect()
                if local_x > text.right() or (text.left() > line.x() and local_x < text.left()):
                    return None
                offset = line.xToCursor(local_x, QTextLine.CursorPosition.CursorOnCharacter)
                return (Side.SOURCE if cell.shared else cell.side), offset
    return None


def span_rects(row: RowLayout, side: Side, start: int, end: int) -> list[QRectF]:
    """Rectangles (row coordinates) covering characters [start, end) of ``side``'s text."""
    cell = row.cell(side)
    if cell is None or cell.layout is None or not cell.shows(side):
        return []
    rects: list[QRectF] = []
    layout = cell.layout
    # Half the leading above and below: a sentence over several lines reads as one
    # continuous band rather than a stack of separate boxes.
    pad = cell.leading * 0.5
    for number in range(layout.lineCount()):
        line = layout.lineAt(number)
        line_start = line.textStart()
        s, e = max(start, line_start), min(end, line_start + line.textLength())
        if s >= e:
            continue
        # Right to left, the span's end is left of its start; either way the band stays
        # within the line's text (not its trailing space, nor a right-aligned line's margin).
        text = line.naturalTextRect()
        xa, xb = line.cursorToX(s)[0], line.cursorToX(e)[0]
        x1, x2 = max(min(xa, xb), text.left()), min(max(xa, xb), text.right())
        rects.append(QRectF(cell.x + x1 - 2, cell.y + line.y() - pad,
                            max(2.0, x2 - x1 + 4), line.height() + 2 * pad))
    return rects


def point_for(row: RowLayout, side: Side, offset: int) -> QPointF | None:
    """The middle of character ``offset`` of ``side``'s text (row coordinates)."""
    cell = row.cell(side)
    if cell is None or cell.layout is None:
        return None
    line = cell.layout.lineForTextPosition(offset)
    if not line.isValid():
        return None
    left = line.cursorToX(offset)[0]
    right = line.cursorToX(offset + 1)[0]
    return QPointF(cell.x + (left + right) / 2, cell.y + line.y() + line.height() / 2)


def cell_rect(row: RowLayout, side: Side) -> QRectF | None:
    cell = row.cell(side)
    if cell is None:
        return None
    return QRectF(cell.x, cell.y, cell.width, cell.height)

