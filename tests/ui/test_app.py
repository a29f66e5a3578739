"""``reader.ui.app``: run() on an existing QApplication, and the one-line excepthook."""

from __future__ import annotations

import sys

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from reader.core.library.listing import load_library
from reader.ui import app as app_module
from reader.ui.window.shell import MainWindow


def test_run_shows_the_window_and_returns_zero(qapp, seed_paths):
    seen: list[MainWindow] = []
    # The given files are added to the default library (here: the same samples) and the
    # first one is opened.
    wanted_title = f"{load_library([seed_paths[1]])[0].display_title} — Bilingual Reader"

    def close_when_loaded() -> None:
        windows = [w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow)
                   and w.isVisible()]
        if windows and windows[0].library.model.rowCount() == 5 and \
                windows[0].windowTitle() == wanted_title:
            seen.append(windows[0])
            windows[0].close()
        else:
            QTimer.singleShot(20, close_when_loaded)

    QTimer.singleShot(0, close_when_loaded)
    hook = sys.excepthook
    assert app_module.run(seed_paths[1:3]) == 0
    assert seen and seen[0].is_shut_down()
    assert sys.excepthook is hook  # restored


def test_excepthook_reports_one_line_instead_of_aborting(monkeypatch):
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    lines: list[str] = []
    app_module.install_excepthook(lines.append)
    try:
        raise ValueError("bad value\nsecond line of detail")
    except ValueError as error:
        sys.excepthook(type(error), error, error.__traceback__)
    assert lines == ["Unexpected error: ValueError: bad value (details in the log)"]
