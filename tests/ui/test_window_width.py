"""The window at half a screen and less: the library collapses to a toggle (Ctrl+B,
remembered), side by side falls back to interleaved while two columns would be too narrow,
no word is broken inside itself and no column heading is clipped (real window, offscreen)."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QFontMetricsF

from reader.ui import settings as keys
from reader.ui.reading_view import Layout
from reader.ui.reading_view.painting import heading_font, heading_texts
from reader.ui.reading_view.row_layout import MIN_COLUMN_CHARS
from reader.ui.window.actions import ActionId
from reader.ui.window.width_fit import NARROW_MESSAGE, WIDE_MESSAGE
from tests.ui.conftest import wait_translated

ALLOWED_BREAK_AFTER = " \t\u2028-\u2010\u2011\u00ad/"


def breaks_inside_words(layout) -> list[str]:  # type: ignore[no-untyped-def]
    """Every line end of a laid-out ``QTextLayout`` that falls inside a word."""
    broken: list[str] = []
    text = layout.text()
    for index in range(layout.lineCount() - 1):
        line = layout.lineAt(index)
        end = line.textStart() + line.textLength()
        before, after = text[end - 1], text[end:end + 1]
        if before not in ALLOWED_BREAK_AFTER and after and not after.isspace():
            broken.append(text[max(0, end - 12):end] + "|" + text[end:end + 12])
    return broken


def broken_words(view) -> list[str]:  # type: ignore[no-untyped-def]
    """Every line end inside a word in the laid-out rows on screen."""
    view.flush()
    broken: list[str] = []
    first = view.row_at_y(0)
    last = view.row_at_y(view.viewport().height())
    for row in range(max(first, 0), max(last, 0) + 1):
        for cell in view.document_layout().row(row).cells:
            if cell.layout is not None:
                broken.extend(breaks_inside_words(cell.layout))
    return broken


def test_the_check_sees_a_word_broken_inside_itself(qtbot):
    from reader.core.articles.article import ParagraphKind
    from reader.ui.reading_view.row_layout import Cell, Typography, lay_out_text
    from reader.ui.reading_view.types import Side

    typography = Typography("", 12)
    words = Cell(Side.SOURCE, "une architecture remarquable à Cracovie", ParagraphKind.BODY)
    lay_out_text(words, typography, 140.0)
    assert words.layout is not None and words.layout.lineCount() > 1
    assert breaks_inside_words(words.layout) == []  # word boundaries only
    # Only a word longer than the column is broken inside itself (the last resort).
    sliver = Cell(Side.SOURCE, "anticonstitutionnellement", ParagraphKind.BODY)
    lay_out_text(sliver, typography, 60.0)
    assert breaks_inside_words(sliver.layout) != []


@pytest.mark.parametrize(("width", "library_shown", "layout"), [
    (500, False, Layout.INTERLEAVED),
    (683, False, Layout.SIDE_BY_SIDE),
    (1024, True, Layout.SIDE_BY_SIDE),
])
def test_the_window_fits_its_width(make_window, qtbot, install_fr_en, width, library_shown,
                                   layout):
    window = make_window(size=(width, 700))
    window.select_row(0)
    wait_translated(qtbot, window)
    qtbot.waitUntil(lambda: window.pane.view.viewport().width() < width)
    view = window.pane.view
    assert window.library.isVisible() is library_shown
    assert window.actions[ActionId.TOGGLE_LIBRARY].isChecked() is library_shown
    assert view.chosen_layout() is Layout.SIDE_BY_SIDE  # the reader's choice is kept
    assert view.layout_mode() is layout
    assert view.narrowed() is (layout is Layout.INTERLEAVED)
    assert window.settings.get(keys.LAYOUT) == "side-by-side"
    assert len(view.document_layout()) > 3 and view.document_layout().row(0).cells
    assert broken_words(view) == []
    # Every column holds at least MIN_COLUMN_CHARS of running text.
    _left, column, _right = view.document_layout().columns()
    assert column >= MIN_COLUMN_CHARS * view.document_layout().typography.char_width(
        view.document_layout().row(1).kind) * 0.95
    if layout is Layout.SIDE_BY_SIDE:
        font = heading_font(view.document_layout().typography)
        metrics = QFontMetricsF(font)
        for text in heading_texts(font, column, view.headings()):
            assert metrics.horizontalAdvance(text) <= column
    # The toolbar's toggle follows the library pane.
    assert window.actions[ActionId.TOGGLE_LIBRARY] in window.toolbar.actions()


def test_narrow_then_wide_restores_side_by_side_and_says_so(make_window, qtbot):
    window = make_window(size=(1024, 700))
    messages: list[str] = []
    window.statusMessage.connect(messages.append)
    window.resize(500, 700)
    qtbot.waitUntil(lambda: window.pane.view.narrowed())
    assert window.library.isHidden()
    assert window.pane.view.layout_mode() is Layout.INTERLEAVED
    assert NARROW_MESSAGE in messages
    window.resize(1024, 700)
    qtbot.waitUntil(lambda: not window.pane.view.narrowed())
    assert window.pane.view.layout_mode() is Layout.SIDE_BY_SIDE
    assert window.library.isVisible()
    assert messages[-1] == WIDE_MESSAGE


def test_ctrl_b_toggles_the_library_and_is_remembered(make_window, qtbot):
    window = make_window(size=(683, 700))
    assert window.library.isHidden()
    assert window.toggle_library() is True  # shown on demand though narrow
    assert window.library.isVisible()
    # The library takes its width back: two columns no longer fit, interleaved is shown.
    qtbot.waitUntil(window.pane.view.narrowed)
    assert window.pane.view.layout_mode() is Layout.INTERLEAVED
    window.resize(1024, 700)
    qtbot.waitUntil(lambda: not window.pane.view.narrowed())
    assert window.toggle_library() is False
    assert window.library.isHidden()
    assert window.settings.get(keys.LIBRARY_SHOWN) is False
    window.close()
    again = make_window(size=(1024, 700), wait=False)
    qtbot.waitUntil(lambda: again.library.model.rowCount() > 0)
    assert again.library.isHidden()
    assert not again.actions[ActionId.TOGGLE_LIBRARY].isChecked()
    again.toggle_library()
    assert again.library.isVisible() and again.settings.get(keys.LIBRARY_SHOWN) is True
    qtbot.wait(50)
    assert again.splitter.sizes()[0] >= 200  # its width back, not a sliver


def test_long_headings_elide_instead_of_clipping(qtbot):
    from PySide6.QtGui import QFont

    font = QFont()
    texts = heading_texts(font, 90.0, ("French", "English (no model for this pair)"))
    metrics = QFontMetricsF(font)
    assert texts[0] == "FRENCH"
    assert texts[1].endswith("…") and metrics.horizontalAdvance(texts[1]) <= 90.0
