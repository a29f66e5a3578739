"""The library pane: the article list with its filter and order, loading folders and files,
translation status and read state of each article."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QModelIndex, QPoint, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListView,
    QMenu,
    QVBoxLayout,
    QWidget,
)

from reader import paths
from reader.core.articles.article import Article
from reader.core.models.store import MissingModelError, PackageError
from reader.core.translation.engine import TranslationEngine
from reader.core.util.wording import plural
from reader.private_files import take_refusals
from reader.ui import settings as keys
from reader.ui.library_model import (
    Column,
    LibraryDelegate,
    LibraryFilter,
    LibraryModel,
    Status,
    TranslationSummary,
)
from reader.ui.window.services import Services
from reader.ui.workers import JobContext

ARTICLE_FILTER = (
    "Articles and books (*.txt *.md *.markdown *.html *.htm *.pdf *.epub);;All files (*)"
)


@dataclass(frozen=True)
class LibraryLoaded:
    articles: list[Article]
    summaries: dict[str, TranslationSummary]
    replace: bool


def summarize(
    engine: TranslationEngine, articles: Sequence[Article], target: str
) -> dict[str, TranslationSummary]:
    """Translation status of each article (as read: ``articles`` have any language
    override applied) from the cache; runs on a worker."""
    summaries: dict[str, TranslationSummary] = {}
    for article in articles:
        if not article.ok:
            summaries[article.key] = TranslationSummary(Status.ERROR)
            continue
        try:
            ready = engine.peek(article, target)
        except MissingModelError:
            summaries[article.key] = TranslationSummary(Status.NO_MODEL)
            continue
        except PackageError:
            summaries[article.key] = TranslationSummary(Status.UNKNOWN)
            continue
        summaries[article.key] = TranslationSummary.from_translations(ready)
    return summaries


class LibraryPane(QWidget):
    """The list of articles and what loads it.

    Signals:

    - ``libraryLoaded(count: int)``: a load ended (``count`` articles listed);
    - ``articleChosen(key: str)``: the reader moved to another article in the list;
    - ``summariesChanged()``: translation statuses were read again;
    - ``summaryRead(key: str)``: one article's status was read again;
    - ``readChanged(key: str, read: bool)``;
    - ``message(text: str)``.
    """

    libraryLoaded = Signal(int)
    articleChosen = Signal(str)
    summariesChanged = Signal()
    summaryRead = Signal(str)
    readChanged = Signal(str, bool)
    message = Signal(str)

    def __init__(
        self, services: Services, library_paths: Sequence[Path] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.services = services
        self.setObjectName("libraryPane")
        self._explicit_paths = [Path(p) for p in library_paths] if library_paths else None
        self._open_key: str | None = None
        self._load_job: int | None = None
        self._summary_job: int | None = None
        # Keys whose status is being read, and whether it was asked for again meanwhile.
        self._reading: dict[str, bool] = {}

        self.model = LibraryModel(self)
        self.proxy = LibraryFilter(self)
        self.proxy.setSourceModel(self.model)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 4, 8)
        layout.setSpacing(6)
        self.filter_edit = QLineEdit()
        self.filter_edit.setPlaceholderText("Filter articles (Ctrl+L)")
        self.filter_edit.setClearButtonEnabled(True)
        self.filter_edit.textChanged.connect(self.proxy.set_text)
        self.view = QListView()
        self.view.setObjectName("libraryView")
        self.view.setModel(self.proxy)
        self.view.setModelColumn(Column.TITLE)
        self.view.setItemDelegate(LibraryDelegate(self.view))
        self.view.setUniformItemSizes(True)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.view.customContextMenuRequested.connect(self._on_menu)
        self.sort_combo = QComboBox()
        self.sort_combo.setObjectName("librarySort")
        self.sort_combo.setToolTip("Order of the library")
        for label, column, order in (
            ("File order", -1, Qt.SortOrder.AscendingOrder),
            ("Title", Column.TITLE, Qt.SortOrder.AscendingOrder),
            ("Newest first", Column.DATE, Qt.SortOrder.DescendingOrder),
            ("Longest first", Column.WORDS, Qt.SortOrder.DescendingOrder),
            ("Status", Column.STATUS, Qt.SortOrder.AscendingOrder),
        ):
            self.sort_combo.addItem(label, (column, order))
        self.sort_combo.currentIndexChanged.connect(self._on_sort)
        self.view.selectionModel().currentRowChanged.connect(self._on_current)
        self.empty = QLabel("")
        self.empty.setWordWrap(True)
        self.empty.setVisible(False)
        filter_row = QHBoxLayout()
        filter_row.setSpacing(6)
        filter_row.addWidget(self.filter_edit, 1)
        filter_row.addWidget(self.sort_combo)
        layout.addLayout(filter_row)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.empty)

    # -- loading ------------------------------------------------------------------------------

    def library_paths(self) -> list[Path]:
        if self._explicit_paths:
            return self._explicit_paths
        folders = [f for f in self.services.settings.library_folders() if f.is_dir()]
        # No folder chosen: the bundled samples and the reader's own library (added articles);
        # files opened from elsewhere stay listed either way.
        return folders + paths.opened_files() if folders else paths.default_library_paths()

    def reload(self) -> int:
        """Read the library folders again (the list is replaced)."""
        return self.load(self.library_paths(), replace=True)

    def folders_changed(self) -> int:
        """The library folders preference changed: they replace any paths given at start."""
        self._explicit_paths = None
        return self.reload()

    def load(self, locations: list[Path], *, replace: bool) -> int:
        engine, target = self.services.engine, self.services.target_language()
        # Read on the GUI thread: settings are not thread-safe.
        overrides = self.services.settings.source_overrides()
        default = self.services.settings.get(keys.DEFAULT_SOURCE_LANGUAGE)

        def job(context: JobContext) -> object:
            from reader.core.library.listing import load_library

            # On the worker: if langdetect is needed (articles not seen before; the library
            # remembers languages by content), loading its profiles takes ~0.4 s.
            # Cancelled (a newer load, the window closing) between folder entries and
            # files: a system folder set as the library never holds up quitting.
            articles = load_library(locations, paragraph_languages=False,
                                    is_cancelled=context.is_cancelled)
            for article in articles:
                # Counted here, once: the list and the header show the words (a second on
                # the GUI thread for a 5 MB book), the reading view estimates its rows
                # from the text offsets.
                article.touch()
            context.check()
            reading = [a.with_source_language(overrides.get(a.key) or default)
                       for a in articles]
            return LibraryLoaded(articles, summarize(engine, reading, target), replace)

        router = self.services.library
        if replace and self._load_job is not None:
            router.drop(self._load_job)  # replaced before it was shown: its list is stale
        job_id = router.submit(job, "library", on_result=self._on_loaded,
                               on_error=lambda text: self.message.emit(text))
        if replace:
            self._load_job = job_id
        return job_id

    def _on_loaded(self, loaded: object) -> None:
        assert isinstance(loaded, LibraryLoaded)
        if loaded.replace:
            self._load_job = None
        settings = self.services.settings
        read = {a.key for a in loaded.articles if settings.is_read(a.key)}
        if loaded.replace:
            self.model.set_articles(loaded.articles, loaded.summaries, read)
            wanted = settings.get(keys.LAST_ARTICLE)
        else:
            self.model.add_articles(loaded.articles)
            self.model.set_summaries(loaded.summaries)
            wanted = loaded.articles[0].key if loaded.articles else ""
        count = self.model.rowCount()
        self.empty.setVisible(count == 0)
        self.empty.setText(
            "No articles here (.txt, .md, .html). Open a folder (Ctrl+O) or drop files."
        )
        for refused in take_refusals():  # a memo of the listing's, refused as unsafe
            self.message.emit(refused)
        bad = sum(1 for a in loaded.articles if not a.ok)
        if bad:
            self.message.emit(
                f"{plural(bad, 'file')} could not be read; they are listed with the reason"
            )
        self.libraryLoaded.emit(count)
        self.summariesChanged.emit()
        if self._open_key is None or not loaded.replace or self.model.entry(self._open_key) is None:
            row = self.proxy.row_of(wanted) if wanted else -1
            if row < 0 and self.proxy.rowCount():
                row = 0
            if row >= 0:
                self.select_row(row)

    def refresh_summaries(self) -> None:
        """Read every article's translation status again (new target, quality or models)."""
        engine, target = self.services.engine, self.services.target_language()
        articles = [self.services.reading_article(a) for a in self.model.articles()]

        def job(context: JobContext) -> object:
            return summarize(engine, articles, target)

        def done(summaries: object) -> None:
            assert isinstance(summaries, dict)
            self._summary_job = None
            self.model.set_summaries(summaries)
            self.summariesChanged.emit()

        if self._summary_job is not None:
            self.services.library.drop(self._summary_job)  # for an older target or model
        def failed(text: str) -> None:
            self._summary_job = None
            self.message.emit(text)
            self.summariesChanged.emit()  # as they were: whoever waits for them goes on

        self._summary_job = self.services.library.submit(job, "summaries", on_result=done,
                                                         on_error=failed)

    def refresh_summary(self, key: str) -> None:
        """Read one article's status from the cache again, on the library worker (a 5 MB
        book's is a read of 40,000 rows; the reading worker stays free for the article
        being opened). Asked again while it is read (the background
        translation asks at every step), it is read once more after: never a queue of them."""
        listed = self.model.article(key)
        if listed is None or not listed.ok:
            return
        if key in self._reading:
            self._reading[key] = True
            return
        self._reading[key] = False
        engine, target = self.services.engine, self.services.target_language()
        article = self.services.reading_article(listed)

        def job(context: JobContext) -> object:
            return summarize(engine, [article], target)

        def done(summaries: object) -> None:
            assert isinstance(summaries, dict)
            self.model.set_summaries(summaries)
            self.summaryRead.emit(key)

        def finished(_cancelled: bool) -> None:
            if self._reading.pop(key, False):
                self.refresh_summary(key)

        self.services.library.submit(job, "status", on_result=done, on_finished=finished,
                                     on_error=lambda _text: None)  # as it was

    def set_summary(self, key: str, summary: TranslationSummary) -> None:
        self.model.set_summary(key, summary)

    # -- the list -----------------------------------------------------------------------------

    def set_open_key(self, key: str | None) -> None:
        """The article on screen (kept when the list is reloaded)."""
        self._open_key = key

    def listed_keys(self) -> list[str]:
        """Keys in the order the list shows them (filtered and sorted)."""
        return [k for k in (self.proxy.key_at(row) for row in range(self.proxy.rowCount())) if k]

    def listed_articles(self) -> list[Article]:
        """The readable articles of the list, filtered and sorted as shown."""
        articles = []
        for key in self.listed_keys():
            article = self.model.article(key)
            if article is not None and article.ok:
                articles.append(article)
        return articles

    def select_row(self, row: int) -> None:
        index = self.proxy.index(row, 0)
        if index.isValid():
            self.view.setCurrentIndex(index)
            self.view.scrollTo(index)

    def select_key(self, key: str) -> bool:
        """Select ``key`` in the list; False when the filter hides it."""
        row = self.proxy.row_of(key)
        if row >= 0:
            self.select_row(row)
        return row >= 0

    def step(self, step: int) -> None:
        count = self.proxy.rowCount()
        if not count:
            return
        current = self.view.currentIndex()
        row = current.row() + step if current.isValid() else 0
        self.select_row(min(max(row, 0), count - 1))

    def selected_key(self) -> str | None:
        index = self.view.currentIndex()
        return self.proxy.key_at(index.row()) if index.isValid() else None

    def focus_filter(self) -> None:
        self.filter_edit.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.filter_edit.selectAll()

    def _on_current(self, current: QModelIndex, _previous: QModelIndex) -> None:
        key = self.proxy.key_at(current.row()) if current.isValid() else None
        if key is not None:
            self.articleChosen.emit(key)

    def _on_sort(self, index: int) -> None:
        column, order = self.sort_combo.itemData(index)
        self.proxy.sort(column, order)
        if self._open_key is not None:
            row = self.proxy.row_of(self._open_key)
            if row >= 0:
                self.view.scrollTo(self.proxy.index(row, 0))

    # -- opening folders and files -------------------------------------------------------------

    def choose_folder(self) -> None:
        folders = self.services.settings.library_folders()
        start = str(folders[0]) if folders else str(Path.home())
        folder = QFileDialog.getExistingDirectory(self, "Open a folder of articles", start)
        if folder:
            self.open_folder(Path(folder))

    def open_folder(self, folder: Path) -> None:
        """Make ``folder`` the library (remembered)."""
        self.message.emit(f"Loading {folder}…")
        settings = self.services.settings
        if settings.library_folders() == [folder]:
            self.folders_changed()
        else:
            settings.set_library_folders([folder])  # the window reloads on the change

    def choose_files(self) -> None:
        files, _ = QFileDialog.getOpenFileNames(self, "Open articles", str(Path.home()),
                                                ARTICLE_FILTER)
        if files:
            self.open_files([Path(f) for f in files])

    def open_files(self, locations: list[Path]) -> int:
        """Files or folders opened from outside the library (a drop, ``bilingual-reader
        FILE``, Open files…): listed now, and kept for the next start and ``list``."""
        paths.remember_opened(locations)
        return self.load(locations, replace=False)

    # -- read state ---------------------------------------------------------------------------

    def set_read(self, key: str, read: bool) -> None:
        settings = self.services.settings
        state = settings.article_state(key)
        entry = self.model.entry(key)
        if state.read == read and (entry is None or entry.read == read):
            return
        state.read = read
        settings.set_article_state(key, state)
        self.model.set_read(key, read)
        self.readChanged.emit(key, read)

    def toggle_read(self, key: str | None = None) -> None:
        key = key or self.selected_key() or self._open_key
        entry = self.model.entry(key) if key else None
        if entry is None:
            return
        self.set_read(entry.key, not entry.read)
        self.message.emit(f"“{entry.article.display_title}” marked as "
                          f"{'read' if entry.read else 'unread'}.")

    def context_menu(self, key: str) -> QMenu:
        """The list's context menu for one article."""
        entry = self.model.entry(key)
        menu = QMenu(self)
        read = entry is not None and entry.read
        action = menu.addAction(f"Mark as {'unread' if read else 'read'}\tCtrl+U")
        action.triggered.connect(lambda: self.toggle_read(key))
        action.setEnabled(entry is not None and entry.article.ok)
        return menu

    def _on_menu(self, point: QPoint) -> None:
        index = self.view.indexAt(point)
        key = self.proxy.key_at(index.row()) if index.isValid() else None
        if key is not None:
            self.context_menu(key).exec(self.view.viewport().mapToGlobal(point))
