"""The main window, as a package of small parts (see :mod:`reader.ui.window.shell`)."""

from reader.ui.window.shell import MainWindow

__all__ = ["MainWindow"]
