"""The Feeds group of the library: each feed followed with its unread count; choosing one
lists its items (library articles) in the library, "All articles" lists everything again.

Refreshing (F5, the group's button, or a timer at the interval set in Preferences, off by
default) is :class:`reader.core.library.feeds.Refresher` on a worker thread, never the GUI
thread, with a progress bar and Cancel. Its items land in the user's library folder; the
window reloads the library, so they are listed and join background translation like any
article. Only the store (a small SQLite file) is read here, when counts change.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from reader.core.util.wording import plural
from reader.ui import settings as keys
from reader.ui.workers import JobContext

if TYPE_CHECKING:
    from reader.ui.window.jobs import JobRouter
    from reader.ui.window.library import LibraryPane
    from reader.ui.window.services import Services

ALL_ARTICLES = "All articles"
_MINUTE_MS = 60_000
_NAME_ROLE = Qt.ItemDataRole.UserRole + 1


@dataclass(frozen=True, slots=True)
class _Failed:
    message: str


@dataclass(frozen=True, slots=True)
class RefreshOutcome:
    """What a refresh did, for the status line."""

    added: int
    failed: list[str]  # one line per feed that could not be refreshed
    cancelled: bool = False

    def describe(self) -> str:
        if self.cancelled:
            return f"Feeds refresh cancelled ({plural(self.added, 'new article')} kept)."
        text = f"Feeds refreshed: {plural(self.added, 'new article')}."
        if self.failed:
            text += f" {plural(len(self.failed), 'feed')} failed: {self.failed[0]}"
        return text


class FeedRefresh(QObject):
    """Refreshes every feed on ``router``'s worker, one refresh at a time.

    Signals: ``progress(done: int, total: int)`` (feeds), ``finished(outcome)``
    (a :class:`RefreshOutcome`), ``busyChanged(bool)``.
    """

    progress = Signal(int, int)
    finished = Signal(object)
    busyChanged = Signal(bool)

    def __init__(self, router: JobRouter, parent: QObject | None = None, *,
                 timeout: float | None = None) -> None:
        super().__init__(parent)
        self._router = router
        self._timeout = timeout
        self._job: int | None = None
        self._outcome: RefreshOutcome | None = None

    @property
    def busy(self) -> bool:
        return self._job is not None

    def refresh(self) -> bool:
        """Start a refresh; False when one is running already."""
        if self._job is not None:
            return False
        timeout = self._timeout

        def job(context: JobContext) -> object:
            from reader.core.library.feed_store import FeedStore, FeedStoreError
            from reader.core.library.feeds import Refresher

            options = {"timeout": timeout} if timeout is not None else {}
            try:
                refresher = Refresher(FeedStore(), cancelled=context.is_cancelled,
                                      **options)  # type: ignore[arg-type]
                reports = refresher.refresh_all(lambda done, total, _t: context.progress(
                    done, total))
            except FeedStoreError as error:
                return _Failed(str(error))
            return RefreshOutcome(
                sum(len(r.added) for r in reports),
                [f"{r.title}: {r.error}" for r in reports if r.status == "failed"],
                context.is_cancelled(),
            )

        self._outcome = None
        self._job = self._router.submit(
            job, "refresh feeds", on_result=self._on_result, on_progress=self.progress.emit,
            # A bug, not a bad feed: still one line.
            on_error=lambda message: self._set_outcome(RefreshOutcome(0, [message])),
            on_finished=self._on_finished,
        )
        self.busyChanged.emit(True)
        return True

    def cancel(self) -> None:
        if self._job is not None:
            self._router.cancel(self._job)

    def _set_outcome(self, outcome: RefreshOutcome) -> None:
        self._outcome = outcome

    def _on_result(self, payload: object) -> None:
        if isinstance(payload, _Failed):
            self._outcome = RefreshOutcome(0, [payload.message])
        elif isinstance(payload, RefreshOutcome):
            self._outcome = payload

    def _on_finished(self, cancelled: bool) -> None:
        self._job = None
        outcome = self._outcome or RefreshOutcome(0, [], cancelled=True)
        self.busyChanged.emit(False)
        self.finished.emit(outcome)


class FeedsGroup(QWidget):
    """The group shown above the library list.

    Signals: ``feedChosen(keys)``: the article keys of the feed chosen (a ``set[str]``), or
    None for all articles; ``refreshRequested()``.
    """

    feedChosen = Signal(object)

    def __init__(self, refresh: FeedRefresh, is_read: Callable[[str], bool],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("feedsGroup")
        self.refresher = refresh
        self._is_read = is_read
        self._keys: dict[str, set[str]] = {}  # feed URL → its items' article keys
        self.list = QListWidget(self)
        self.list.setObjectName("feedsList")
        self.list.setMaximumHeight(120)
        self.list.currentRowChanged.connect(self._on_row)
        self.refresh_button = QPushButton("Refresh feeds", self)
        self.refresh_button.setToolTip("Fetch the feeds' new items (F5)")
        self.refresh_button.clicked.connect(lambda: self.refresher.refresh())
        self.bar = QProgressBar(self)
        self.bar.setObjectName("feedsProgress")
        self.bar.setMaximumHeight(14)
        self.cancel_button = QPushButton("Cancel", self)
        self.cancel_button.clicked.connect(self.refresher.cancel)
        heading = QHBoxLayout()
        heading.setContentsMargins(0, 0, 0, 0)
        heading.addWidget(QLabel("<b>Feeds</b>", self))
        heading.addStretch(1)
        heading.addWidget(self.refresh_button)
        working = QHBoxLayout()
        working.setContentsMargins(0, 0, 0, 0)
        working.addWidget(self.bar, 1)
        working.addWidget(self.cancel_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addLayout(heading)
        layout.addWidget(self.list)
        layout.addLayout(working)
        self._show_busy(False)
        refresh.busyChanged.connect(self._show_busy)
        refresh.progress.connect(self._on_progress)
        self.timer = QTimer(self)
        # Only feeds followed are refreshed by the clock (no message every N minutes else).
        self.timer.timeout.connect(lambda: bool(self._keys) and self.refresher.refresh())

    # -- automatic refresh --------------------------------------------------------------------

    def set_interval(self, minutes: int) -> None:
        """Refresh every ``minutes`` (0: never by itself)."""
        if minutes <= 0:
            self.timer.stop()
        else:
            self.timer.start(minutes * _MINUTE_MS)

    # -- content ------------------------------------------------------------------------------

    def reload(self) -> None:
        """The feeds and their unread counts, read again from the store."""
        from reader.core.library.feed_store import FeedStore, FeedStoreError

        chosen = self.chosen_url()
        try:
            store = FeedStore()
            feeds = store.feeds()
            items = store.items() if feeds else []
        except FeedStoreError as error:
            feeds, items = [], []
            self.list.setToolTip(str(error))
        self._keys = {feed.url: set() for feed in feeds}
        for item in items:
            if item.feed in self._keys:
                self._keys[item.feed].add(_key_of(item.path))
        self.setVisible(bool(feeds))
        self.list.blockSignals(True)
        self.list.clear()
        self.list.addItem(QListWidgetItem(ALL_ARTICLES))
        for feed in feeds:
            row = QListWidgetItem()
            row.setData(Qt.ItemDataRole.UserRole, feed.url)
            row.setData(_NAME_ROLE, ("⚠ " if feed.error else "") + feed.name)
            row.setToolTip(feed.url + (f"\nLast refresh failed: {feed.error}"
                                       if feed.error else ""))
            self.list.addItem(row)
            self._label(row)
            if feed.url == chosen:
                self.list.setCurrentItem(row)
        if self.list.currentRow() < 0:
            self.list.setCurrentRow(0)
        self.list.blockSignals(False)
        self._on_row(self.list.currentRow())

    def update_counts(self) -> None:
        """Unread counts after a read-state change (no store read)."""
        for row in range(1, self.list.count()):
            self._label(self.list.item(row))

    def _label(self, row: QListWidgetItem) -> None:
        name = str(row.data(_NAME_ROLE))
        unread = self.unread(str(row.data(Qt.ItemDataRole.UserRole)))
        row.setText(f"{name} ({unread} unread)" if unread else name)

    def unread(self, url: str) -> int:
        return sum(1 for key in self._keys.get(url, ()) if not self._is_read(key))

    def chosen_url(self) -> str | None:
        item = self.list.currentItem()
        value = item.data(Qt.ItemDataRole.UserRole) if item is not None else None
        return str(value) if value else None

    def _on_row(self, _row: int) -> None:
        url = self.chosen_url()
        self.feedChosen.emit(None if url is None else set(self._keys.get(url, ())))

    def _show_busy(self, busy: bool) -> None:
        self.bar.setVisible(busy)
        self.cancel_button.setVisible(busy)
        self.refresh_button.setEnabled(not busy)
        if busy:
            self.bar.setRange(0, 0)

    def _on_progress(self, done: int, total: int) -> None:
        if total:
            self.bar.setRange(0, total)
            self.bar.setValue(done)


class WindowFeeds(QObject):
    """The window's feeds: the group above the library list, F5 (:meth:`refresh`), the
    timer from Preferences, and what a refresh tells the library (it reloads, so new items
    are listed and join the background translation)."""

    def __init__(self, services: Services, library: LibraryPane,
                 show_message: Callable[[str], None], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.settings = settings = services.settings
        self.library = library
        self._show_message = show_message
        # The worker of downloads and added links: a refresh is one long job there.
        self.refresher = FeedRefresh(services.tasks, self)
        self.group = FeedsGroup(self.refresher, settings.is_read)
        layout = library.layout()
        if isinstance(layout, QVBoxLayout):
            layout.insertWidget(0, self.group)
        self.group.reload()
        library.libraryLoaded.connect(lambda _count: self.group.reload())
        library.readChanged.connect(lambda _key, _read: self.group.update_counts())
        self.group.feedChosen.connect(library.proxy.set_keys)
        self.refresher.finished.connect(self._on_finished)
        settings.changed.connect(self._on_setting)
        self.group.set_interval(settings.get(keys.FEED_REFRESH_MINUTES))

    def refresh(self) -> bool:
        """F5: refresh every feed on the worker (False when one is running already)."""
        from reader.core.library.feed_store import FeedStore, FeedStoreError

        try:
            followed = bool(FeedStore().feeds())
        except FeedStoreError as error:
            self._show_message(str(error))
            return False
        if not followed:
            self._show_message("No feeds to refresh: follow one with "
                               "`bilingual-reader feeds add URL`.")
            return False
        return self.refresher.refresh()

    def _on_setting(self, key: str) -> None:
        if key == keys.FEED_REFRESH_MINUTES.key:
            self.group.set_interval(self.settings.get(keys.FEED_REFRESH_MINUTES))

    def _on_finished(self, outcome: RefreshOutcome) -> None:
        self._show_message(outcome.describe())
        if outcome.added:
            self.library.reload()  # its libraryLoaded reloads the group
        else:
            self.group.reload()


def _key_of(path: object) -> str:
    """The library's key of an article file (``Article.key``: its resolved path)."""
    from pathlib import Path

    try:
        return str(Path(str(path)).resolve())
    except (OSError, RuntimeError):
        return str(Path(str(path)).absolute())
