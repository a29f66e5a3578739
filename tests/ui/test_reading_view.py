"""The reading view: linked sentence highlighting, layouts, peeking at the original."""

from __future__ import annotations

import time

from PySide6.QtCore import QPoint, Qt

from reader.ui.reading_view import Layout, PairRef, Side
from tests.ui.conftest import wait_translated


def _multi_sentence_row(view) -> int:  # type: ignore[no-untyped-def]
    for row in range(view.row_count()):
        translation = view.translation(row)
        if translation is not None and len(translation.sentences) >= 2:
            return row
    raise AssertionError("no paragraph with two sentences in this article")


def _scroll_to(view, y: float) -> None:  # type: ignore[no-untyped-def]
    view.verticalScrollBar().setValue(round(y))


def test_hovering_a_sentence_highlights_its_counterpart(make_window, qtbot, install_fr_en):
    window = make_window(wait=False)
    wait_translated(qtbot, window)
    view = window.pane.view
    row = _multi_sentence_row(view)
    _scroll_to(view, view.cell_rect(row, Side.SOURCE).top() - 20)
    pairs = view.translation(row).sentences

    # Hover the second sentence of the original: its translation lights up.
    point = view.point_for(row, Side.SOURCE, pairs[1].source_start + 2)
    hit = view.hit(point)
    assert hit is not None and hit.side is Side.SOURCE
    assert pairs[1].source_start <= hit.offset < pairs[1].source_end
    qtbot.mouseMove(view.viewport(), point)
    qtbot.waitUntil(lambda: view.hovered_pair() == PairRef(row, 1))
    spans = view.highlighted_spans()
    assert spans[Side.SOURCE] == (row, pairs[1].source_start, pairs[1].source_end)
    assert spans[Side.TARGET] == (row, pairs[1].target_start, pairs[1].target_end)

    # Hover the first sentence of the translation: the first original sentence lights up.
    point = view.point_for(row, Side.TARGET, pairs[0].target_start + 1)
    qtbot.mouseMove(view.viewport(), point)
    qtbot.waitUntil(lambda: view.hovered_pair() == PairRef(row, 0))
    assert view.highlighted_spans()[Side.SOURCE] == (row, pairs[0].source_start,
                                                      pairs[0].source_end)

    # A click pins the pair; hovering elsewhere no longer changes what is highlighted.
    with qtbot.waitSignal(view.pairHighlighted) as highlighted:
        qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=point)
    assert highlighted.args == [row, 0]
    assert view.pinned_pair() == PairRef(row, 0)
    qtbot.mouseMove(view.viewport(), view.point_for(row, Side.SOURCE, pairs[1].source_start + 2))
    assert view.highlighted_spans()[Side.TARGET][1:] == (pairs[0].target_start,
                                                         pairs[0].target_end)
    qtbot.keyClick(view, Qt.Key.Key_Escape)
    assert view.pinned_pair() is None


def test_clicking_scrolls_the_counterpart_into_view(make_window, qtbot, install_fr_en):
    window = make_window(wait=False)
    wait_translated(qtbot, window)
    window.set_layout(Layout.INTERLEAVED)
    view = window.pane.view
    row = _multi_sentence_row(view)
    target = view.cell_rect(row, Side.TARGET)
    source = view.cell_rect(row, Side.SOURCE)
    assert target.top() > source.bottom()  # interleaved: translation under the original
    # The translation at the top of the view, its original scrolled off above.
    _scroll_to(view, target.top() - 4)
    assert source.bottom() <= view.verticalScrollBar().value()
    pair = view.translation(row).sentences[0]
    point = view.point_for(row, Side.TARGET, pair.target_start + 1)
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=point)
    assert view.pinned_pair() == PairRef(row, 0)
    top = view.verticalScrollBar().value()
    counterpart = view.span_rects(row, Side.SOURCE, pair.source_start, pair.source_end)
    assert counterpart
    assert counterpart[0].top() >= top
    assert counterpart[-1].bottom() <= top + view.viewport().height()


def test_hover_off_text_highlights_nothing(make_window, qtbot, install_fr_en):
    window = make_window(wait=False)
    wait_translated(qtbot, window)
    view = window.pane.view
    qtbot.mouseMove(view.viewport(), QPoint(3, 3))  # the left margin
    assert view.hovered_pair() is None and view.highlighted_spans() == {}


def test_layouts_and_peeking_at_the_original(make_window, qtbot, install_fr_en):
    window = make_window(wait=False)
    wait_translated(qtbot, window)
    view = window.pane.view

    window.set_layout(Layout.INTERLEAVED)
    for row in range(view.row_count()):
        source, target = view.cell_rect(row, Side.SOURCE), view.cell_rect(row, Side.TARGET)
        if source == target:  # passthrough: shown once
            continue
        assert target.top() > source.bottom() - 1
        assert abs(target.left() - source.left()) < 40
    qtbot.keyClick(view, Qt.Key.Key_O)
    assert not view.peeking_original()  # peeking belongs to translation-only

    window.layout_actions[Layout.TRANSLATION_ONLY].trigger()
    assert view.layout_mode() is Layout.TRANSLATION_ONLY
    assert view.cell_rect(1, Side.SOURCE) is None
    assert view.cell_rect(1, Side.TARGET) is not None
    # Tap O: the original replaces the translation until O is tapped again.
    qtbot.keyClick(view, Qt.Key.Key_O)
    assert view.peeking_original()
    assert view.cell_rect(1, Side.SOURCE) is not None and view.cell_rect(1, Side.TARGET) is None
    qtbot.keyClick(view, Qt.Key.Key_O)
    assert not view.peeking_original()
    # Hold O: the original while held, the translation back on release.
    qtbot.keyPress(view, Qt.Key.Key_O)
    assert view.peeking_original()
    window._peek_pressed_at = time.monotonic() - 1.0  # as if held for a second
    qtbot.keyRelease(view, Qt.Key.Key_O)
    assert not view.peeking_original()

    window.set_layout(Layout.SIDE_BY_SIDE)
    assert view.cell_rect(1, Side.SOURCE).top() == view.cell_rect(1, Side.TARGET).top()


def test_a_200_paragraph_article_lays_out_and_scrolls_quickly(qtbot, tmp_path):
    from reader.core.parser import parse_file
    from reader.core.translation import ParagraphStatus, ParagraphTranslation, SentencePair
    from reader.ui.reading_view import ReadingView

    text = "\n\n".join(
        f"Paragraphe {i}. Le gouvernement a annoncé de nouvelles mesures pour soutenir "
        "les entreprises en difficulté, selon les experts." for i in range(200)
    )
    path = tmp_path / "long.txt"
    path.write_text(text, encoding="utf-8")
    article = parse_file(path, paragraph_languages=False)
    assert len(article.paragraphs) == 200
    view = ReadingView()
    qtbot.addWidget(view)
    view.resize(1200, 800)
    view.show()
    view.set_article(article)
    for paragraph in article.paragraphs:
        translated = paragraph.text.upper()
        view.set_translation(ParagraphTranslation(
            paragraph.index, paragraph.text, translated, paragraph.kind,
            ParagraphStatus.TRANSLATED, "fr",
            (SentencePair(paragraph.text, translated, 0, len(paragraph.text), 0,
                          len(translated)),),
        ))
    view.flush()
    for step in range(0, view.verticalScrollBar().maximum(), 400):
        view.verticalScrollBar().setValue(step)
        view.repaint()
    last = view.row_count() - 1
    assert view.cell_rect(last, Side.SOURCE).top() == view.cell_rect(last, Side.TARGET).top()


def test_ctrl_c_copies_the_pinned_pair_else_the_focused_paragraph(
    make_window, qtbot, install_fr_en
):
    from PySide6.QtGui import QGuiApplication

    window = make_window(wait=False)
    wait_translated(qtbot, window)
    view = window.pane.view
    clipboard = QGuiApplication.clipboard()
    row = _multi_sentence_row(view)
    _scroll_to(view, view.cell_rect(row, Side.SOURCE).top() - 20)
    translation = view.translation(row)
    view.setFocus()

    # A pinned sentence: Ctrl+C copies that sentence and its translation, nothing more.
    pair = translation.sentences[1]
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton,
                     pos=view.point_for(row, Side.SOURCE, pair.source_start + 2))
    assert view.pinned_pair() == PairRef(row, 1)
    clipboard.setText("before")
    qtbot.keyClick(view, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)
    assert clipboard.text() == f"{pair.source}\n{pair.target}"

    # Unpinned: the focused paragraph, original then translation.
    qtbot.keyClick(view, Qt.Key.Key_Escape)
    assert view.pinned_pair() is None
    focused = view.focus_row()
    expected = view.article().paragraphs[focused].text
    if view.translation(focused) is not None and view.translation(focused).translation:
        expected += "\n\n" + view.translation(focused).translation
    qtbot.keyClick(view, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)
    assert clipboard.text() == expected
    assert expected.split("\n\n")[0] in clipboard.text()
