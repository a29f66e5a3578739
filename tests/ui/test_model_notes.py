"""The models dialog and the offline banner say one current thing: an old error goes when a
retry starts, and a long note sits under the banner's buttons at full width."""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt

from tests.ui.conftest import wait_translated


def test_a_stale_error_is_cleared_when_a_retry_starts(make_window, qtbot):
    # tests/conftest.py points ARGOS_PACKAGE_INDEX at a closed loopback port.
    window = make_window()
    dialog = window.open_model_manager()
    qtbot.mouseClick(dialog.fetch_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "offline" in dialog.status.text(), timeout=15_000)
    qtbot.waitUntil(dialog.fetch_button.isEnabled)
    # A retry from the window's banner: the dialog's old error goes as it starts.
    window.select_row(0)
    qtbot.waitUntil(window.pane.no_model_shown, timeout=10_000)
    with qtbot.waitSignal(window.model_tasks.busyChanged, timeout=5_000):
        window.model_offer.download()
    assert "offline" not in dialog.status.text()
    assert dialog.status.text() == "Working…"
    qtbot.waitUntil(lambda: not window.model_offer.is_downloading(), timeout=15_000)
    assert window.model_offer.status.text().startswith("Offline")
    # …and a retry from the dialog clears the banner's note as it starts.
    with qtbot.waitSignal(window.model_tasks.busyChanged, timeout=5_000):
        qtbot.mouseClick(dialog.fetch_button, Qt.MouseButton.LeftButton)
    assert window.model_offer.status.text() == ""
    assert dialog.status.text() == "Asking the package index…"
    qtbot.waitUntil(lambda: "offline" in dialog.status.text(), timeout=15_000)


def _top_left(widget, ancestor) -> QPoint:  # type: ignore[no-untyped-def]
    return widget.mapTo(ancestor, QPoint(0, 0))


def test_the_banner_holds_a_long_note_under_its_buttons(make_window, qtbot):
    window = make_window(size=(1024, 700))
    window.select_row(0)
    wait_translated(qtbot, window)
    assert window.pane.no_model_shown()
    offer = window.model_offer
    offer.download()
    qtbot.waitUntil(lambda: not offer.is_downloading(), timeout=15_000)
    qtbot.wait(50)
    banner, note = window.pane.banner, offer.status
    assert note.isVisible() and note.text().startswith("Offline")
    buttons = [offer.download_button, offer.file_button, window.pane.banner_button]
    assert all(b.isVisible() for b in buttons)
    tops = {_top_left(b, banner).y() for b in buttons}
    assert max(tops) - min(tops) <= 2  # one row of buttons
    note_top = _top_left(note, banner)
    lowest = max(_top_left(b, banner).y() + b.height() for b in buttons)
    assert note_top.y() >= lowest  # under the buttons, not between them
    margins = banner.layout().contentsMargins()
    assert note.width() >= banner.width() - margins.left() - margins.right() - 2
    assert note.height() <= 4 * note.fontMetrics().lineSpacing()  # wrapped at full width
    text_bottom = _top_left(window.pane.banner_text, banner).y() + window.pane.banner_text.height()
    assert min(tops) >= text_bottom
