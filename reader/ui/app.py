"""Start the window: ``run(paths) -> exit code`` (called by ``bilingual-reader`` with no command).

Start-up stays light: Qt, the parser and the engine's Qt-free planning code are imported,
but no model runtime (ctranslate2, torch, stanza, argostranslate.translate) — the engine
imports ctranslate2 inside the translation worker, on first use. The library is read in a
worker too, so the window paints before any file is parsed.
"""

from __future__ import annotations

import contextlib
import logging
import os
import sys
import traceback
from collections.abc import Callable
from pathlib import Path
from types import TracebackType

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QGuiApplication, QIcon
from PySide6.QtWidgets import QApplication

from reader.ui.gil import favour_gui_thread

log = logging.getLogger(__name__)

_report: Callable[[str], None] | None = None


def install_excepthook(report: Callable[[str], None] | None = None) -> None:
    """Log unexpected exceptions (from slots, timers…) and show one line, never abort.

    PySide6 hands exceptions raised in slots to ``sys.excepthook``; the default one only
    prints, and an unhandled one in a virtual override can abort the process."""
    global _report
    _report = report

    def hook(
        kind: type[BaseException], error: BaseException, tb: TracebackType | None
    ) -> None:
        if issubclass(kind, KeyboardInterrupt):
            QCoreApplication.quit()
            return
        log.error("unexpected error:\n%s", "".join(traceback.format_exception(kind, error, tb)))
        text = str(error).strip().splitlines()
        line = f"Unexpected error: {type(error).__name__}" + (f": {text[0]}" if text else "")
        if _report is not None:
            # The window may be half torn down: reporting must not raise in turn.
            with contextlib.suppress(Exception):
                _report(f"{line} (details in the log)")

    sys.excepthook = hook


def run(paths: list[Path]) -> int:
    logging.basicConfig(
        level=logging.DEBUG if os.environ.get("BILINGUAL_READER_DEBUG") else logging.WARNING,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    # Before any worker starts: the GUI thread's share of the GIL (reader.ui.gil; the
    # window sets it too, for whoever builds one without this function).
    favour_gui_thread()
    QApplication.setApplicationName("bilingual-reader")
    QApplication.setApplicationDisplayName("Bilingual Reader")
    QApplication.setOrganizationName("bilingual-reader")
    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    app.setStyle("Fusion")

    from reader.ui.single_instance import InstanceServer, bring_to_front, hand_over

    # A window is already open (for this user and data folder): it takes the files.
    if hand_over(paths):
        return 0
    server = InstanceServer()
    server.listen()
    # Wayland matches the window to the launcher entry (and its icon) by this name.
    QGuiApplication.setDesktopFileName("bilingual-reader")
    app.setWindowIcon(_app_icon())

    from reader.ui.window.shell import MainWindow

    window = MainWindow(None)
    # Files given on the command line or handed over by a later launch are added to the
    # library once the window's own first load (the default library) is done: a second
    # load submitted while the first runs would supersede it (the window keeps one library
    # job), and the default library would never appear.
    pending: list[list[Path]] = [paths] if paths else []
    started = False

    def library_ready(_count: int) -> None:
        nonlocal started
        if not started:
            started = True
            for batch in pending:
                window.open_paths(batch)
            pending.clear()

    def take_handed(received: list[Path]) -> None:
        if received:
            if started:
                window.open_paths(received)
            else:
                pending.append(received)
        bring_to_front(window)

    window.libraryLoaded.connect(library_ready)
    server.pathsReceived.connect(take_handed)
    previous_hook = sys.excepthook
    install_excepthook(window.show_message)
    window.show()
    try:
        return int(app.exec())
    finally:
        server.close()
        sys.excepthook = previous_hook
        window.shutdown()


def _app_icon() -> QIcon:
    from reader import desktop, paths

    icon = QIcon()
    with contextlib.suppress(OSError):
        folder = paths.desktop_data_dir()
        for size in desktop.ICON_SIZES:
            icon.addFile(str(folder / f"{desktop.APP_ID}-{size}.png"))
    return icon
