"""The window's O key over the reading view: peek at the original in translation-only mode
(the view's own behaviour is tested alone in tests/ui/reading_view/)."""

from __future__ import annotations

from PySide6.QtCore import Qt

from reader.ui.reading_view import Layout, Side
from reader.ui.window.actions import ActionId
from tests.ui.conftest import wait_translated


def test_o_peeks_at_the_original_in_translation_only(make_window, qtbot, install_fr_en):
    window = make_window(wait=False)
    wait_translated(qtbot, window)
    view = window.pane.view
    window.set_layout(Layout.INTERLEAVED)
    qtbot.keyClick(view, Qt.Key.Key_O)
    assert not view.peeking_original()  # peeking belongs to translation-only

    window.actions[ActionId.TRANSLATION_ONLY].trigger()
    assert view.layout_mode() is Layout.TRANSLATION_ONLY
    assert view.cell_rect(1, Side.SOURCE) is None
    # Tap O: the original replaces the translation until O is tapped again.
    qtbot.keyClick(view, Qt.Key.Key_O)
    assert view.peeking_original()
    assert view.cell_rect(1, Side.SOURCE) is not None and view.cell_rect(1, Side.TARGET) is None
    qtbot.keyClick(view, Qt.Key.Key_O)
    assert not view.peeking_original()
    # Hold O: the original while held, the translation back on release.
    qtbot.keyPress(view, Qt.Key.Key_O)
    assert view.peeking_original()
    window.appearance.hold_to_peek_ms = 0  # any release ends the peek, as after a long hold
    qtbot.keyRelease(view, Qt.Key.Key_O)
    assert not view.peeking_original()
