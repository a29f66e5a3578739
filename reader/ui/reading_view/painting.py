"""Painting laid-out rows: text, highlights, placeholders, notes and marks, in the theme's
colours. Stateless functions over a ``QPainter``; the view says which rows, where.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetricsF,
    QImage,
    QPainter,
    QPainterPath,
    QPalette,
    QPen,
    QTextLayout,
)

from reader.core.articles.article import ParagraphKind
from reader.ui.reading_view.document_layout import DocumentLayout
from reader.ui.reading_view.highlight import Range
from reader.ui.reading_view.row_layout import (
    MARGIN,
    MUTED_KINDS,
    Cell,
    RowLayout,
    Typography,
    span_rects,
)
from reader.ui.reading_view.types import Side


def _blend(a: QColor, b: QColor, amount: float) -> QColor:
    return QColor(
        round(a.red() + (b.red() - a.red()) * amount),
        round(a.green() + (b.green() - a.green()) * amount),
        round(a.blue() + (b.blue() - a.blue()) * amount),
    )


def _with_alpha(color: QColor, alpha: int) -> QColor:
    result = QColor(color)
    result.setAlpha(alpha)
    return result


def reading_colors(palette: QPalette) -> dict[str, QColor]:
    """The view's colours, derived from the theme's palette (light or dark)."""
    text = palette.color(QPalette.ColorRole.Text)
    base = palette.color(QPalette.ColorRole.Base)
    highlight = palette.color(QPalette.ColorRole.Highlight)
    dark = base.lightness() < 128
    return {
        "base": base,
        "text": text,
        "muted": _blend(text, base, 0.45),
        "note": _blend(text, base, 0.5),
        "translation": _blend(text, palette.color(QPalette.ColorRole.Link), 0.35),
        "accent": _blend(highlight, base, 0.35),
        # Quieter than the current-paragraph marker, which is also a bar on the left.
        "translation_bar": _blend(highlight, base, 0.7),
        "placeholder": _blend(text, base, 0.88),
        "hover": _with_alpha(highlight, 60 if dark else 34),
        "pinned": _with_alpha(highlight, 95 if dark else 62),
        # A word and its counterparts: stronger than the sentence they sit in.
        "word": _with_alpha(highlight, 150 if dark else 110),
        "find": QColor(255, 200, 0, 90 if dark else 120),
        # Glossary terms: barely there (the reader's own terms, not something to look at);
        # one a post-edit contradicts: a faint red.
        "glossary": _with_alpha(QColor(0, 137, 123), 40 if dark else 26),
        "glossary_conflict": QColor(230, 90, 80, 70 if dark else 55),
        "find_current": QColor(255, 130, 0, 170 if dark else 190),
        "failed": QColor(230, 90, 80) if dark else QColor(180, 40, 30),
        "rule": _blend(text, base, 0.85),
        # The reader's own words: a quiet teal, apart from the blue of highlights.
        "edited": QColor(77, 182, 172) if dark else QColor(0, 137, 123),
        "editor": _blend(base, highlight, 0.10 if dark else 0.05),
        "editor_frame": _blend(highlight, base, 0.25),
    }


def heading_font(typography: Typography) -> QFont:
    font = QFont(typography.note_font)
    font.setBold(True)
    font.setLetterSpacing(QFont.SpacingType.PercentageSpacing, 108)
    return font


def heading_texts(font: QFont, column: float, labels: tuple[str, str]) -> list[str]:
    """The column headings as drawn: upper case, elided ("ENGLISH (NO MO…") rather than
    clipped when a column is narrower than its heading."""
    metrics = QFontMetricsF(font)
    return [metrics.elidedText(label.upper(), Qt.TextElideMode.ElideRight, column)
            for label in labels]


def paint_headings(
    painter: QPainter, typography: Typography, colors: dict[str, QColor],
    columns: tuple[float, float, float], top: float, labels: tuple[str, str],
) -> None:
    """The small capitals over the two columns ("FRENCH", "ENGLISH")."""
    left, column, right = columns
    font = heading_font(typography)
    painter.setFont(font)
    painter.setPen(colors["muted"])
    metrics = QFontMetricsF(font)
    line = metrics.height()
    for x, label in zip((left, right), heading_texts(font, column, labels), strict=True):
        painter.drawText(QRectF(x, top, column, line * 1.4),
                         Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop, label)
        painter.fillRect(QRectF(x, top + line * 1.5, column, 1), colors["rule"])


def paint_document(
    painter: QPainter, doc: DocumentLayout, scroll: int, height: int,
    colors: dict[str, QColor], headings: tuple[str, str], current_row: int,
    ranges: Callable[[int], dict[Side, list[Range]]],
) -> None:
    """The rows on screen (the screen's top at content ``scroll``), already laid out by the
    scroller; ``ranges(row)``: what to highlight in a row."""
    painter.translate(0, -scroll)
    if doc.heading_height():
        paint_headings(painter, doc.typography, colors, doc.columns(), MARGIN * 0.8, headings)
    marker_x = doc.columns()[0] - 14
    index = doc.row_at(scroll)
    while 0 <= index < len(doc) and doc.top(index) <= scroll + height:
        paint_row(painter, doc.row(index), doc.top(index), doc.typography, colors,
                  ranges(index), marker_x if index == current_row else None)
        index += 1


def paint_row(
    painter: QPainter, row: RowLayout, top: float, typography: Typography,
    colors: dict[str, QColor], ranges: dict[Side, list[Range]], marker_x: float | None,
) -> None:
    """One row whose top is at content ``top``; ``marker_x``: the current-paragraph bar."""
    if marker_x is not None:
        painter.fillRect(QRectF(marker_x, top, 3, row.height), colors["accent"])
    for cell in row.cells:
        _paint_cell(painter, row, cell, top, typography, colors, ranges)


def _paint_cell(
    painter: QPainter, row: RowLayout, cell: Cell, row_top: float, typography: Typography,
    colors: dict[str, QColor], ranges: dict[Side, list[Range]],
) -> None:
    top = row_top + cell.y
    if cell.editing:
        # A soft frame around the editor widget (which paints the text itself).
        frame = QRectF(cell.x - 7, top - 2, cell.width + 14, cell.text_height + 6)
        path = QPainterPath()
        path.addRoundedRect(frame, 4, 4)
        painter.fillPath(path, colors["editor"])
        painter.setPen(QPen(colors["editor_frame"], 1.2))
        painter.drawPath(path)
    # Margin marks sit where the text starts: on the right of a right-to-left paragraph.
    outside = cell.x + cell.width + 7.5 if cell.right_to_left else cell.x - 10
    inside = cell.x + cell.width - 4.5 if cell.right_to_left else cell.x + 2
    if cell.editing:
        pass  # framed above
    elif cell.edited:
        # The reader's edit: a thin coloured margin (the tooltip says what it means).
        painter.fillRect(QRectF(outside, top + 2, 2.5, cell.height - 4), colors["edited"])
    elif cell.translation_style:
        painter.fillRect(QRectF(outside, top + 2, 2, cell.height - 4),
                         colors["translation_bar"])
    if cell.kind is ParagraphKind.QUOTE and cell.layout is not None and not cell.editing:
        painter.fillRect(QRectF(inside, top + 3, 2.5, cell.text_height - 6), colors["rule"])
    if cell.editing:
        pass
    elif cell.placeholder_lines:
        _paint_placeholder(painter, cell, top, colors)
    elif cell.layout is not None:
        side = Side.SOURCE if cell.shared else cell.side
        for start, end, role in ranges.get(side, []):
            path = QPainterPath()
            for rect in span_rects(row, side, start, end):
                path.addRoundedRect(rect.translated(0, row_top), 2, 2)
            # One path per span: overlapping line bands are filled once, not darker.
            painter.fillPath(path.simplified(), colors[role])
        if cell.kind in MUTED_KINDS:
            color = colors["muted"]
        elif cell.translation_style:
            color = colors["translation"]
        else:
            color = colors["text"]
        painter.setPen(color)
        cell.layout.draw(painter, QPointF(cell.x, top))
    if cell.note:
        font = typography.note_font
        painter.setFont(font)
        painter.setPen(colors["failed"] if cell.failed
                       else colors["edited"] if cell.edited else colors["note"])
        metrics = QFontMetricsF(font)
        painter.drawText(
            QRectF(cell.x, top + cell.text_height + metrics.height() * 0.15, cell.width,
                   metrics.height() * 1.2),
            Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop,
            metrics.elidedText(cell.note, Qt.TextElideMode.ElideRight, cell.width),
        )


def _paint_placeholder(
    painter: QPainter, cell: Cell, top: float, colors: dict[str, QColor]
) -> None:
    # One cached path per cell, filled in one call: while a worker runs Python
    # (language detection), every call into Qt can wait a GIL switch interval to come
    # back, so a screen of placeholders drawn bar by bar stalled the event loop.
    if cell.placeholder_path is None:
        line = cell.text_height / max(1, cell.placeholder_lines)
        bar = line * 0.42
        path = QPainterPath()
        for number in range(cell.placeholder_lines):
            last = number == cell.placeholder_lines - 1 and cell.placeholder_lines > 1
            width = cell.width * (0.62 if last else 0.97 - 0.05 * (number % 2))
            path.addRoundedRect(
                QRectF(0, number * line + (line - bar) / 2, width, bar), bar / 2, bar / 2
            )
        cell.placeholder_path = path
    painter.fillPath(cell.placeholder_path.translated(cell.x, top), colors["placeholder"])


# Letters, digits and punctuation of the Latin-script articles most read, in both columns.
_WARM_UP_TEXT = (
    "ABCDEFGHIJKLMNOPQRSTUVWXYZ abcdefghijklmnopqrstuvwxyz 0123456789 "
    "àâäçéèêëîïôöùûüÿœæ ÀÂÇÉÈÊÎÔÙÛŒ « » “ ” ‘ ’ – — … , . ; : ! ? ( ) % € $ / - '"
)


def warm_up(typography: Typography) -> None:
    """Lay out and draw a line in every face the rows use, off screen: the first text
    shaped and drawn in a process loads the fonts and renders their glyphs (~10 ms on the
    GUI thread), which otherwise lands on the first article opened."""
    image = QImage(400, 40, QImage.Format.Format_ARGB32_Premultiplied)
    painter = QPainter(image)
    for kind in ParagraphKind:
        layout = QTextLayout(_WARM_UP_TEXT, typography.font(kind))
        layout.beginLayout()
        line = layout.createLine()
        while line.isValid():
            line.setLineWidth(4000)
            line = layout.createLine()
        layout.endLayout()
        layout.draw(painter, QPointF(0, 0))
    painter.end()
