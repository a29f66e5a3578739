"""Where the main window used to live: ``from reader.ui.main_window import MainWindow`` keeps
working. The window is the package :mod:`reader.ui.window`."""

from reader.ui.window.actions import shortcuts_help
from reader.ui.window.shell import MainWindow

__all__ = ["MainWindow", "shortcuts_help"]


def __getattr__(name: str) -> str:
    # SHORTCUTS_HELP, as before, but built on first use: the standard key bindings it lists
    # need a QGuiApplication.
    if name == "SHORTCUTS_HELP":
        return shortcuts_help()
    raise AttributeError(name)
