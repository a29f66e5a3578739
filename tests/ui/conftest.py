"""Fixtures for the window tests (pytest-qt, offscreen).

Every test gets its own XDG folders (tests/conftest.py), so settings, cache and installed
models never leak between tests. Qt warnings fail the test (except the offscreen platform's
notes that it cannot do some window-manager things, which say nothing about our code).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

import reader.ui  # noqa: F401  (applies the PySide6 6.12 / Python 3.11 refcount fix first)
from reader.ui.library_model import LibraryModel
from reader.ui.window.services import Services
from reader.ui.window.shell import MainWindow

UI_DIR = Path(__file__).resolve().parent
QT_NOISE = (
    # The offscreen platform plugin on show() and raise(): about the platform, not us.
    r"This plugin does not support",
)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        if UI_DIR in Path(str(item.fspath)).resolve().parents:
            item.add_marker(pytest.mark.qt_log_level_fail("WARNING"))
            item.add_marker(pytest.mark.qt_log_ignore(*QT_NOISE))


WindowFactory = Callable[..., MainWindow]


@pytest.fixture
def make_window(qtbot, seed_paths: list[Path]) -> Iterator[WindowFactory]:  # type: ignore[no-untyped-def]
    """Build a shown MainWindow on the seeds (or ``paths``), its library loaded."""
    windows: list[MainWindow] = []

    def make(
        paths: list[Path] | None = None, *, stream_window: int = 8, wait: bool = True,
        size: tuple[int, int] | None = (1300, 850),
    ) -> MainWindow:
        window = MainWindow(paths, stream_window=stream_window)
        qtbot.addWidget(window)
        windows.append(window)
        if size is not None:
            window.resize(*size)
        window.show()
        if wait:
            qtbot.waitUntil(lambda: window.library.model.rowCount() > 0, timeout=10_000)
        return window

    yield make
    for window in windows:
        window.shutdown()


def wait_translated(qtbot, window: MainWindow, timeout: int = 20_000) -> None:  # type: ignore[no-untyped-def]
    """Wait until the article on screen has every translation it will get."""
    view = window.pane.view
    qtbot.waitUntil(
        lambda: window.current_key() is not None
        and not window.view_job_ids()
        and (window.pane.no_model_shown() or all(t is not None for t in view.translations())),
        timeout=timeout,
    )


@pytest.fixture
def services(qtbot) -> Iterator[Services]:  # type: ignore[no-untyped-def]
    """The window's real services (settings, cache, engine, four worker threads), alone."""
    built = Services.create(stream_window=8)
    yield built
    built.shutdown()


def seed_library(services: Services, paths: list[Path]) -> LibraryModel:
    """A library model holding ``paths``, with their statuses read from the cache."""
    from reader.core.library.listing import load_library
    from reader.ui.window.library import summarize

    articles = load_library(paths, paragraph_languages=False)
    model = LibraryModel()
    model.set_articles(articles, summarize(services.engine, articles,
                                           services.target_language()))
    return model
