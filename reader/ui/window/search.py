"""Library search (Ctrl+Shift+F): the dock under the reading pane and its worker jobs."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QDockWidget, QMainWindow

from reader.core.library.search import SearchHit, search_library
from reader.ui.library_model import LibraryModel
from reader.ui.panels.search_panel import SearchPanel
from reader.ui.window.services import Services
from reader.ui.workers import JobContext

SEARCH_LIMIT = 500


@dataclass(frozen=True)
class SearchDone:
    query: str
    hits: list[SearchHit]
    limit: int


class LibrarySearch(QObject):
    """Searches the library's originals and cached translations on the search worker.

    Signals: ``searchFinished(count: int)``: results are on screen;
    ``hitActivated(hit: SearchHit)``: the reader chose a result; ``closed()``.
    """

    searchFinished = Signal(int)
    hitActivated = Signal(object)
    closed = Signal()

    def __init__(self, services: Services, library: LibraryModel, window: QMainWindow) -> None:
        super().__init__(window)
        self.services = services
        self.library = library
        self.jobs_run = 0  # how many searches ran (the panel's debounce keeps this low)
        self._job: int | None = None
        self.panel = SearchPanel()
        self.panel.searchRequested.connect(self.search)
        self.panel.hitActivated.connect(self.hitActivated)
        self.panel.closeRequested.connect(self.close)
        self.dock = QDockWidget("Search library", window)
        self.dock.setObjectName("searchDock")
        self.dock.setWidget(self.panel)
        self.dock.setFeatures(
            QDockWidget.DockWidgetFeature.DockWidgetClosable
            | QDockWidget.DockWidgetFeature.DockWidgetMovable
            | QDockWidget.DockWidgetFeature.DockWidgetFloatable
        )
        # Under the reading pane: results read as wide one-line rows, and the side-by-side
        # columns keep their width.
        window.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, self.dock)
        self.dock.hide()

    def open(self) -> None:
        self.dock.show()
        self.dock.raise_()
        self.panel.focus_query()

    def close(self) -> None:
        self.dock.hide()
        self.closed.emit()

    def search(self, query: str) -> int | None:
        """Run a search on the search worker (the panel debounces typing)."""
        if self._job is not None:
            self.services.search.drop(self._job)  # skipped if it has not started
            self._job = None
        if not query:
            self.panel.set_results(query, [], 0)
            self.searchFinished.emit(0)
            return None
        articles = self.library.articles()
        cache, target = self.services.cache, self.services.target_language()

        def job(context: JobContext) -> object:
            hits = search_library(articles, query, cache=cache, target_language=target,
                                  limit=SEARCH_LIMIT)
            return SearchDone(query, hits, SEARCH_LIMIT)

        self.jobs_run += 1
        self._job = self.services.search.submit(job, "search", on_result=self._done)
        return self._job

    def _done(self, payload: object) -> None:
        assert isinstance(payload, SearchDone)
        self._job = None
        self.panel.set_results(payload.query, payload.hits, payload.limit)
        if self.panel.shown_query() == payload.query:  # not typed on since
            self.searchFinished.emit(len(payload.hits))
