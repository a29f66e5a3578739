"""One row laid out (QtGui only, no widget): cells per layout, hit-testing, spans, marks."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPointF

from reader.core.articles.article import ParagraphKind
from reader.core.presentation.row_display import TRUNCATED_NOTE, row_display
from reader.core.translation.results import ParagraphStatus, ParagraphTranslation, SentencePair
from reader.ui.reading_view.row_layout import (
    EDITED_NOTE,
    FAILED_NOTE,
    NOT_TRANSLATED_NOTE,
    LayoutOptions,
    RowLayouter,
    hit_cell,
    point_for,
    span_rects,
)
from reader.ui.reading_view.types import Layout, Pending, Side

SOURCE = "Le chat dort sur le canapé. Il rêve de souris et de lait chaud."
TARGET = "The cat sleeps on the sofa. It dreams of mice and warm milk."
PAIRS = (SentencePair(SOURCE[:27], TARGET[:27], 0, 27, 0, 27),
         SentencePair(SOURCE[28:], TARGET[28:], 28, len(SOURCE), 28, len(TARGET)))


def _translation(status: ParagraphStatus = ParagraphStatus.TRANSLATED,
                 text: str = TARGET) -> ParagraphTranslation:
    return ParagraphTranslation(0, SOURCE, text, ParagraphKind.BODY, status, "fr", PAIRS)


@pytest.fixture
def layouter(qapp) -> RowLayouter:  # type: ignore[no-untyped-def]
    return RowLayouter(LayoutOptions(size=12), 1000)


def test_side_by_side_cells_face_each_other(layouter: RowLayouter) -> None:
    row = layouter.lay_out(row_display(SOURCE, _translation()), ParagraphKind.BODY)
    source, target = row.cell(Side.SOURCE), row.cell(Side.TARGET)
    assert source is not None and target is not None
    assert source.y == target.y == 0 and target.x > source.x + source.width
    assert row.height == max(source.height, target.height)


def test_interleaved_puts_the_translation_under_the_original(qapp) -> None:  # type: ignore[no-untyped-def]
    layouter = RowLayouter(LayoutOptions(mode=Layout.INTERLEAVED), 1000)
    row = layouter.lay_out(row_display(SOURCE, _translation()), ParagraphKind.BODY)
    source, target = row.cell(Side.SOURCE), row.cell(Side.TARGET)
    assert source is not None and target is not None
    assert target.y >= source.height and target.translation_style
    assert abs(target.x - source.x) < 40


@pytest.mark.parametrize(("peek", "shown"), [(False, Side.TARGET), (True, Side.SOURCE)])
def test_translation_only_shows_one_side(qapp, peek: bool, shown: Side) -> None:  # type: ignore[no-untyped-def]
    layouter = RowLayouter(LayoutOptions(mode=Layout.TRANSLATION_ONLY, peek_original=peek), 900)
    row = layouter.lay_out(row_display(SOURCE, _translation()), ParagraphKind.BODY)
    assert [cell.side for cell in row.cells] == [shown]


def test_marks_and_placeholders(qapp, layouter: RowLayouter) -> None:  # type: ignore[no-untyped-def]
    edited = layouter.lay_out(row_display(SOURCE, _translation(ParagraphStatus.EDITED)),
                              ParagraphKind.BODY).cell(Side.TARGET)
    assert edited is not None and edited.edited and edited.note == EDITED_NOTE
    failed = layouter.lay_out(row_display(SOURCE, _translation(ParagraphStatus.FAILED, "")),
                              ParagraphKind.BODY).cell(Side.TARGET)
    assert failed is not None and failed.failed and failed.note == FAILED_NOTE
    pending = layouter.lay_out(row_display(SOURCE, None), ParagraphKind.BODY)
    source, target = pending.cell(Side.SOURCE), pending.cell(Side.TARGET)
    assert target is not None and source is not None and source.layout is not None
    assert target.placeholder_lines == source.layout.lineCount()
    stopped = RowLayouter(LayoutOptions(pending=Pending.STOPPED), 1000)
    cell = stopped.lay_out(row_display(SOURCE, None), ParagraphKind.BODY).cell(Side.TARGET)
    assert cell is not None and cell.note == NOT_TRANSLATED_NOTE and not cell.placeholder_lines


def test_a_cut_translation_shows_its_text_and_the_shared_mark(layouter: RowLayouter) -> None:
    display = row_display(SOURCE, _translation(ParagraphStatus.TRUNCATED, TARGET[:20]))
    assert display.mark == TRUNCATED_NOTE  # the PDF prints this same label (export model)
    cell = layouter.lay_out(display, ParagraphKind.BODY).cell(Side.TARGET)
    assert cell is not None and cell.text == TARGET[:20] and cell.note == TRUNCATED_NOTE
    assert not cell.failed and not cell.edited


def test_passthrough_is_one_shared_cell_with_a_note(layouter: RowLayouter) -> None:
    english = "The cat sleeps."
    row = layouter.lay_out(row_display(english, ParagraphTranslation(
        0, english, english, ParagraphKind.BODY, ParagraphStatus.PASSTHROUGH, "en")),
        ParagraphKind.BODY)
    assert len(row.cells) == 1 and row.shared
    assert row.cell(Side.TARGET) is row.cell(Side.SOURCE)
    assert "kept as is (already en)" in row.cells[0].note
    assert span_rects(row, Side.TARGET, 0, 3) == []  # the text is the original's


def test_hit_testing_finds_characters_and_spans_cover_them(layouter: RowLayouter) -> None:
    row = layouter.lay_out(row_display(SOURCE, _translation()), ParagraphKind.BODY)
    for side, offset in ((Side.SOURCE, 30), (Side.TARGET, 5), (Side.TARGET, 40)):
        point = point_for(row, side, offset)
        assert point is not None
        assert hit_cell(row, point.x(), point.y()) == (side, offset)
        rects = span_rects(row, side, offset, offset + 1)
        assert len(rects) == 1 and rects[0].contains(point)
    # Past the end of a line, and in the left margin: no character.
    assert hit_cell(row, 2, 5) is None
    target = row.cell(Side.TARGET)
    assert target is not None and target.layout is not None
    last_line = target.layout.lineAt(target.layout.lineCount() - 1)
    beyond = QPointF(target.x + last_line.naturalTextWidth() + 30, last_line.y() + 3)
    assert hit_cell(row, beyond.x(), beyond.y()) is None


def test_a_long_sentence_spans_several_lines(qapp) -> None:  # type: ignore[no-untyped-def]
    layouter = RowLayouter(LayoutOptions(), 500)  # narrow columns
    row = layouter.lay_out(row_display(SOURCE, _translation()), ParagraphKind.BODY)
    rects = span_rects(row, Side.SOURCE, 0, len(SOURCE))
    assert len(rects) >= 2 and rects[1].top() > rects[0].top()


def test_estimates_are_near_real_heights(qapp) -> None:  # type: ignore[no-untyped-def]
    """The estimate of a row not laid out is within a line or two of the real height, for
    short and long paragraphs (the scroll bar is then about right before layout)."""
    layouter = RowLayouter(LayoutOptions(), 1000)
    per_char, per_row = layouter.estimate_coefficients()
    line = layouter.typography.line_height() * 1.36
    for repeat in (1, 4, 12):
        text = " ".join([SOURCE] * repeat)
        real = layouter.lay_out(row_display(text, None), ParagraphKind.BODY).height
        estimate = len(text) * per_char + per_row - layouter.gap(ParagraphKind.BODY)
        assert abs(real - estimate) < 2 * line
