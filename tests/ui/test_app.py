"""``reader.ui.app``: run() on an existing QApplication, and the one-line excepthook."""

from __future__ import annotations

import sys

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from reader.ui import app as app_module
from reader.ui.main_window import MainWindow


def test_run_shows_the_window_and_returns_zero(qapp, seed_paths):
    seen: list[MainWindow] = []

    def close_when_loaded() -> None:
        windows = [w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow)
                   and w.isVisible()]
        if windows and windows[0].library.model.rowCount() == 2:
            seen.append(windows[0])
            windows[0].close()
        else:
            QTimer.singleShot(20, close_when_loaded)

    QTimer.singleShot(0, close_when_loaded)
    hook = sys.excepthook
    assert app_module.run(seed_paths[:2]) == 0
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
