"""The main window, as a package of small parts (see :mod:`reader.ui.window.shell`); the parts
about the article on screen are in :mod:`reader.ui.window.article`."""

from reader.ui.window.shell import MainWindow

__all__ = ["MainWindow"]
