"""The reading view built alone (no window), fed an article and its translations through its
public methods, talked to through its signals, the mouse and the keyboard."""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QGuiApplication

from reader.core.articles.article import ParagraphKind
from reader.core.translation.results import ParagraphStatus, ParagraphTranslation
from reader.ui.reading_view import EDITED_TOOLTIP, Layout, PairRef, Pending, Side
from reader.ui.reading_view.menu import build_row_menu
from tests.ui.reading_view.conftest import (
    Translated,
    ViewFactory,
    synthetic_article,
    uppercase_translation,
)


def _multi_sentence_row(view) -> int:  # type: ignore[no-untyped-def]
    for row in range(view.row_count()):
        translation = view.translation(row)
        if translation is not None and len(translation.sentences) >= 2 and \
                translation.status is not ParagraphStatus.PASSTHROUGH:
            return row
    raise AssertionError("no paragraph with two sentences in this article")


def _scroll_to(view, y: float) -> None:  # type: ignore[no-untyped-def]
    view.verticalScrollBar().setValue(round(y))


def test_hovering_a_sentence_highlights_its_counterpart(
    make_view: ViewFactory, translated_seed: Translated, qtbot
) -> None:
    view = make_view(*translated_seed)
    row = _multi_sentence_row(view)
    _scroll_to(view, view.cell_rect(row, Side.SOURCE).top() - 20)
    pairs = view.translation(row).sentences

    # Hover the second sentence of the original: its translation lights up.
    point = view.point_for(row, Side.SOURCE, pairs[1].source_start + 2)
    hit = view.hit(point)
    assert hit is not None and hit.side is Side.SOURCE
    assert pairs[1].source_start <= hit.offset < pairs[1].source_end
    with qtbot.waitSignal(view.pairHighlighted) as highlighted:
        qtbot.mouseMove(view.viewport(), point)
    assert highlighted.args == [row, 1]
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


def test_clicking_scrolls_the_counterpart_into_view(
    make_view: ViewFactory, translated_seed: Translated, qtbot
) -> None:
    view = make_view(*translated_seed, size=(900, 400))
    view.set_layout_mode(Layout.INTERLEAVED)
    row = _multi_sentence_row(view)
    target = view.cell_rect(row, Side.TARGET)
    source = view.cell_rect(row, Side.SOURCE)
    assert target.top() > source.bottom()  # interleaved: translation under the original
    # The translation at the top of the view, its original scrolled off above.
    _scroll_to(view, target.top() - 4)
    assert view.cell_rect(row, Side.SOURCE).bottom() <= view.verticalScrollBar().value()
    pair = view.translation(row).sentences[0]
    point = view.point_for(row, Side.TARGET, pair.target_start + 1)
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=point)
    assert view.pinned_pair() == PairRef(row, 0)
    top = view.verticalScrollBar().value()
    counterpart = view.span_rects(row, Side.SOURCE, pair.source_start, pair.source_end)
    assert counterpart
    assert counterpart[0].top() >= top
    assert counterpart[-1].bottom() <= top + view.viewport().height()


def test_hover_off_text_highlights_nothing(
    make_view: ViewFactory, translated_seed: Translated, qtbot
) -> None:
    view = make_view(*translated_seed)
    qtbot.mouseMove(view.viewport(), QPoint(3, 3))  # the left margin
    assert view.hovered_pair() is None and view.highlighted_spans() == {}


def test_layouts_and_peeking_at_the_original(
    make_view: ViewFactory, translated_seed: Translated
) -> None:
    view = make_view(*translated_seed)
    view.set_layout_mode(Layout.INTERLEAVED)
    for row in range(view.row_count()):
        source, target = view.cell_rect(row, Side.SOURCE), view.cell_rect(row, Side.TARGET)
        if source == target:  # passthrough: shown once
            continue
        assert target.top() > source.bottom() - 1
        assert abs(target.left() - source.left()) < 40

    view.set_layout_mode(Layout.TRANSLATION_ONLY)
    assert view.layout_mode() is Layout.TRANSLATION_ONLY
    assert view.cell_rect(1, Side.SOURCE) is None and view.cell_rect(1, Side.TARGET) is not None
    view.set_peek_original(True)
    assert view.peeking_original() and not view.can_edit(1)
    assert view.cell_rect(1, Side.SOURCE) is not None and view.cell_rect(1, Side.TARGET) is None
    view.set_peek_original(False)

    view.set_layout_mode(Layout.SIDE_BY_SIDE)
    assert view.cell_rect(1, Side.SOURCE).top() == view.cell_rect(1, Side.TARGET).top()
    # No model for the pair: the original alone, across one column.
    view.set_show_translation(False)
    assert view.cell_rect(1, Side.TARGET) is None and not view.can_edit(1)


def test_placeholders_then_translations_arriving(
    make_view: ViewFactory, translated_seed: Translated
) -> None:
    article, translations = translated_seed
    view = make_view(article)
    assert view.translations() == [None] * len(article.paragraphs)
    assert view.cell_rect(1, Side.TARGET) is not None  # grey bars where it will go
    view.set_pending_style(Pending.STOPPED)
    assert view.pending_style() is Pending.STOPPED
    # A stale result (another paragraph's text) never lands.
    stale = translations[2]
    assert not view.set_translation(ParagraphTranslation(
        1, stale.source, stale.translation, stale.kind, stale.status, "fr"))
    assert view.translation(1) is None
    for translation in translations:
        assert view.set_translation(translation)
    assert view.translations() == translations
    view.clear_translations()
    assert view.translations() == [None] * len(article.paragraphs)


def test_ctrl_c_copies_the_pinned_pair_else_the_focused_paragraph(
    make_view: ViewFactory, translated_seed: Translated, qtbot
) -> None:
    view = make_view(*translated_seed)
    clipboard = QGuiApplication.clipboard()
    row = _multi_sentence_row(view)
    _scroll_to(view, view.cell_rect(row, Side.SOURCE).top() - 20)
    translation = view.translation(row)
    view.setFocus()

    pair = translation.sentences[1]
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton,
                     pos=view.point_for(row, Side.SOURCE, pair.source_start + 2))
    assert view.pinned_pair() == PairRef(row, 1)
    clipboard.setText("before")
    qtbot.keyClick(view, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)
    assert clipboard.text() == f"{pair.source}\n{pair.target}"

    qtbot.keyClick(view, Qt.Key.Key_Escape)
    assert view.pinned_pair() is None
    focused = view.focus_row()
    expected = view.article().paragraphs[focused].text
    if view.translation(focused).status is not ParagraphStatus.PASSTHROUGH:
        expected += "\n\n" + view.translation(focused).translation
    qtbot.keyClick(view, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)
    assert clipboard.text() == expected


def test_find_matches_accents_like_library_search(
    make_view: ViewFactory, translated_seed: Translated, qtbot
) -> None:
    article, translations = translated_seed
    view = make_view(article, translations)
    word = next(w for p in article.paragraphs for w in p.text.split()
                if any(c in w for c in "éèàù") and w.isalpha() and len(w) > 4)
    plain = word.translate(str.maketrans("éèàù", "eeau")).upper()
    with qtbot.waitSignal(view.findChanged) as changed:
        total = view.find(plain)
    assert total >= 1 and changed.args == [0, total]
    first = view.current_match()
    assert first is not None
    text = view.article().paragraphs[first.row].text if first.side is Side.SOURCE else \
        view.translation(first.row).translation
    assert text[first.start:first.end].casefold() == word.casefold()
    view.clear_find()
    assert view.matches() == [] and view.current_match() is None


def test_a_library_search_hit_is_shown_with_its_counterpart(
    make_view: ViewFactory, translated_seed: Translated, qtbot
) -> None:
    view = make_view(*translated_seed, size=(900, 300))
    row = max(r for r in range(view.row_count()) if view.translation(r).sentences
              and view.translation(r).status is not ParagraphStatus.PASSTHROUGH)
    pair = view.translation(row).sentences[0]
    with qtbot.waitSignal(view.currentParagraphChanged):
        assert view.show_search_hit(row, Side.SOURCE, pair.source_start, pair.source_start + 3)
    assert view.row_visible(row)
    lit = view.search_highlights()
    assert lit[Side.TARGET] == (row, pair.target_start, pair.target_end)
    qtbot.keyClick(view, Qt.Key.Key_Escape)
    assert view.search_hit() is None
    assert not view.show_search_hit(10_000, Side.SOURCE, 0, 1)


def test_positions_go_to_and_end_reached(
    make_view: ViewFactory, translated_seed: Translated, qtbot
) -> None:
    view = make_view(*translated_seed, size=(800, 300))
    with qtbot.waitSignal(view.currentParagraphChanged) as moved:
        view.go_to_paragraph(6)
    assert moved.args == [6] and view.current_paragraph() == 6
    assert view.top_position()[0] in (5, 6)
    view.next_paragraph()
    assert view.current_paragraph() == 7
    position = view.top_position()
    view.restore_position(0)
    assert view.verticalScrollBar().value() == 0
    view.restore_position(*position)
    assert view.top_position()[0] == position[0]
    assert not view.end_reached()
    with qtbot.waitSignal(view.endReached):
        qtbot.keyClick(view, Qt.Key.Key_End)
    assert view.end_reached()


def test_an_edited_translation_explains_its_mark(
    make_view: ViewFactory, translated_seed: Translated
) -> None:
    article, translations = translated_seed
    row = next(i for i, t in enumerate(translations) if t.status is not
               ParagraphStatus.PASSTHROUGH and i > 0)
    edited = translations[row]
    translations[row] = ParagraphTranslation(
        edited.index, edited.source, "My own words.", edited.kind, ParagraphStatus.EDITED,
        edited.source_language, machine_translation=edited.translation)
    view = make_view(article, translations)
    view.go_to_paragraph(row)
    cell = view.cell_rect(row, Side.TARGET)
    scroll = view.verticalScrollBar().value()
    inside = QPoint(round(cell.left() + 5), round(cell.top() + 5 - scroll))
    assert view.tooltip_at(inside) == EDITED_TOOLTIP
    source = view.cell_rect(row, Side.SOURCE)
    assert view.tooltip_at(QPoint(round(source.left() + 5), round(source.top() + 5 - scroll))) == ""


def test_the_row_menu_offers_what_applies(qapp) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QWidget

    parent = QWidget()
    machine = ParagraphTranslation(0, "Le chat.", "The cat.", ParagraphKind.BODY,
                                   ParagraphStatus.TRANSLATED, "fr")
    _, actions = build_row_menu(parent, machine, can_edit=True, show_translation=True)
    enabled = {name for name, action in actions.items() if action.isEnabled()}
    assert enabled == {"copy-source", "copy-target", "edit-here", "edit", "retranslate"}
    _, actions = build_row_menu(parent, None, can_edit=False, show_translation=True)
    enabled = {name for name, action in actions.items() if action.isEnabled()}
    assert enabled == {"copy-source", "retranslate"}
    passthrough = ParagraphTranslation(0, "The cat.", "The cat.", ParagraphKind.BODY,
                                       ParagraphStatus.PASSTHROUGH, "en")
    _, actions = build_row_menu(parent, passthrough, can_edit=False, show_translation=True)
    assert not actions["retranslate"].isEnabled() and not actions["edit"].isEnabled()


# -- long documents ----------------------------------------------------------------------------


def test_a_huge_document_lays_out_a_bounded_number_of_rows(make_view: ViewFactory) -> None:
    """112,000 paragraphs (about a 10 MB book): opening, jumping through it and scrolling a
    few screens lay out rows in proportion to what was shown, never to the document."""
    article = synthetic_article(112_000)
    view = make_view(article, size=(1000, 700))
    opened = view.layout_stats()["rows_laid_out"]
    assert 0 < opened < 80
    bar = view.verticalScrollBar()
    assert bar.maximum() > 112_000 * 10
    for step in range(21):  # 21 jumps, as a dragged scroll bar does
        bar.setValue(bar.maximum() * step // 20)
        view.repaint()
    for _ in range(10):  # then ten screens down, a page at a time
        bar.setValue(bar.value() - 10 * bar.pageStep()) if bar.value() == bar.maximum() \
            else bar.setValue(bar.value() + bar.pageStep())
        view.repaint()
    stats = view.layout_stats()
    assert stats["rows_laid_out"] < 22 * 80 + 10 * 40
    assert stats["cached_rows"] <= 600
    # Translations streaming in for the rows on screen lay out only those rows again.
    first = view.top_position()[0]
    before = view.layout_stats()["rows_laid_out"]
    for paragraph in article.paragraphs[first:first + 20]:
        view.set_translation(uppercase_translation(paragraph))
    view.repaint()
    assert view.layout_stats()["rows_laid_out"] - before <= 20


def test_the_text_being_read_stays_put_as_rows_above_get_their_heights(
    make_view: ViewFactory
) -> None:
    article = synthetic_article(5_000)
    view = make_view(article, size=(1000, 600))
    view.go_to_paragraph(3_000)
    top_row = view.top_position()[0]
    screen_y = view.cell_rect(3_000, Side.SOURCE).top() - view.verticalScrollBar().value()
    # Translations land above the screen (some laid out on the way: go there and back) and
    # on it: the paragraph being read does not move on screen.
    for paragraph in article.paragraphs[2_900:3_010]:
        view.set_translation(uppercase_translation(paragraph))
    view.repaint()
    view.cell_rect(2_950, Side.SOURCE)  # laid out far above: heights above change
    view.repaint()
    after = view.cell_rect(3_000, Side.SOURCE).top() - view.verticalScrollBar().value()
    assert abs(after - screen_y) <= 1
    assert view.top_position()[0] == top_row
    # A wider window: the same paragraph stays at the top.
    view.resize(1300, 600)
    view.repaint()
    assert abs(view.top_position()[0] - top_row) <= 1


def test_dragging_to_the_end_shows_the_last_paragraph(make_view: ViewFactory, qtbot) -> None:
    view = make_view(synthetic_article(20_000), size=(900, 500))
    bar = view.verticalScrollBar()
    with qtbot.waitSignal(view.endReached, timeout=5000):
        bar.setValue(bar.maximum())
        view.repaint()
    last = view.row_count() - 1
    assert view.row_visible(last)
    assert bar.value() == bar.maximum()


def test_reading_keys(make_view: ViewFactory, translated_seed: Translated, qtbot) -> None:
    view = make_view(*translated_seed, size=(800, 300))
    view.setFocus()
    bar = view.verticalScrollBar()
    qtbot.keyClick(view, Qt.Key.Key_Space)
    assert bar.value() == bar.pageStep()
    qtbot.keyClick(view, Qt.Key.Key_Space, Qt.KeyboardModifier.ShiftModifier)
    assert bar.value() == 0
    qtbot.keyClick(view, Qt.Key.Key_End)
    assert bar.value() == bar.maximum()
    qtbot.keyClick(view, Qt.Key.Key_Home)
    assert bar.value() == 0
    # Enter edits the focused paragraph's translation in place.
    row = next(r for r in range(1, view.row_count()) if view.can_edit(r))
    view.set_current_paragraph(row)
    view.go_to_paragraph(row)
    with qtbot.waitSignal(view.editStarted) as started:
        qtbot.keyClick(view, Qt.Key.Key_Return)
    assert started.args == [row]


def test_an_open_find_carries_over_to_the_next_article(
    make_view: ViewFactory, translated_seed: Translated, qtbot
) -> None:
    article, translations = translated_seed
    view = make_view(article, translations)
    view.find("gouvernement")
    view.set_article(synthetic_article(30))
    assert view.matches() and all(m.side is Side.SOURCE for m in view.matches())
    assert view.current_match() is not None and view.current_match().row == 0


def test_a_whole_books_translations_arrive_in_bulk(make_view: ViewFactory) -> None:
    article = synthetic_article(3000)
    view = make_view(article)
    translations: list[ParagraphTranslation | None] = [
        uppercase_translation(p) if p.index % 3 else None for p in article.paragraphs
    ]
    laid_out = view.layout_stats()["rows_laid_out"]
    # Made from the very paragraphs on screen: shown as they are, no row checked.
    assert view.set_translations(translations, article.paragraphs) == 2000
    assert view.translations() == translations
    view.flush()
    # Only what is on screen was laid out again, not the book.
    assert view.layout_stats()["rows_laid_out"] - laid_out < 200
    # Made from other paragraphs: each is checked, a stale one (another row's text) is left out
    # and ``None`` leaves a row as it was.
    stale = uppercase_translation(article.paragraphs[4])
    again: list[ParagraphTranslation | None] = [None] * len(article.paragraphs)
    again[0] = uppercase_translation(article.paragraphs[0])
    again[3] = replace(stale, index=3)
    assert view.set_translations(again) == 1
    assert view.translation(0) == again[0]
    assert view.translation(3) is None
    assert view.translation(1) == translations[1]
    # A batch of some rows (what a translation job hands over) is checked the same way.
    assert view.add_translations([again[0], replace(stale, index=6),
                                  uppercase_translation(article.paragraphs[9])]) == 2
    assert view.set_translations(translations[:10]) == 0  # not one per row: refused


def test_work_waiting_for_the_paint_runs_once_the_text_is_painted(
    make_view: ViewFactory, qtbot
) -> None:  # type: ignore[no-untyped-def]
    view = make_view(synthetic_article(50))
    called: list[str] = []
    view.set_article(synthetic_article(60))
    view.call_after_paint(lambda: called.append("painted"))
    assert called == []  # shown: it waits for the paint of the new text
    qtbot.waitUntil(lambda: called == ["painted"])
    view.viewport().repaint()
    assert called == ["painted"]  # once
    view.hide()
    view.call_after_paint(lambda: called.append("hidden"))
    assert called == ["painted", "hidden"]  # nothing will paint a hidden view: at once


def test_the_scroll_bar_stays_so_the_columns_keep_their_width(make_view: ViewFactory) -> None:
    view = make_view(synthetic_article(1))
    width = view.viewport().width()
    view.set_article(synthetic_article(5000))
    assert view.viewport().width() == width
