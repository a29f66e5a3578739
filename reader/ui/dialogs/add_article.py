"""Adding articles from the window: "Add article…" (a link, a file path or a ``file://``
address), paste, and drops from a browser.

The work is :mod:`reader.core.library.user_folder` on a worker thread (fetching and extraction
take from a fraction of a second to the fetch timeout); this module only collects what
the reader gave, shows progress with Cancel, and says in one line what happened.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QMimeData, QObject, Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from reader.ui.workers import JobContext, WorkerThread

# Pasted text shorter than this is a stray selection, not an article.
MIN_PASTED_CHARS = 40


def is_url(text: str) -> bool:
    # reader.core.library.fetch (urllib, http.client, ssl) is imported when first needed, not at
    # the window's start-up.
    from reader.core.library.fetch import is_url as fetch_is_url

    return fetch_is_url(text)


def sources_from_mime(mime: QMimeData) -> list[str]:
    """What a paste or a drop offers as articles: web links (a browser drags its address
    as a URL and as text), else a long enough text. Local files are not handled here."""
    links = [
        url.toString() for url in mime.urls() if url.scheme() in ("http", "https")
    ]
    if links:
        return links
    if mime.hasText():
        text = mime.text().strip()
        lines = [line.strip() for line in text.splitlines() if line.strip()]
        if lines and all(is_url(line) for line in lines):
            return lines
        if len(text) >= MIN_PASTED_CHARS:
            return [text]
    return []


def describe_failure(error: str) -> str:
    """The one line shown for a failed add; offline gets its own plain words."""
    if "unknown host" in error or "Network is unreachable" in error:
        return "Offline: the article could not be fetched (no network)."
    return f"Could not add the article: {error}"


@dataclass(frozen=True, slots=True)
class _Failed:
    message: str


class ArticleAdder(QObject):
    """Adds links or texts on a worker; one job per source, cancellable.

    Signals: ``added(path: str, already: bool)``, ``failed(message: str)``,
    ``progress(received: int, total: int)`` (total 0 when unknown), ``busyChanged(bool)``.
    """

    added = Signal(str, bool)
    failed = Signal(str)
    progress = Signal(int, int)
    busyChanged = Signal(bool)

    def __init__(self, worker: WorkerThread, parent: QObject | None = None, *,
                 timeout: float | None = None) -> None:
        super().__init__(parent)
        self._worker = worker
        self._timeout = timeout
        self._jobs: set[int] = set()
        signals = worker.worker
        signals.result.connect(self._on_result)
        signals.error.connect(self._on_error)
        signals.progress.connect(self._on_progress)
        signals.finished.connect(self._on_finished)

    @property
    def busy(self) -> bool:
        return bool(self._jobs)

    def add(self, source: str, *, as_file: bool = False) -> int:
        """Queue one link (fetched) or text (kept as a plain-text article); with
        ``as_file``, ``source`` is a path or a ``file://`` address, added as
        ``bilingual-reader add FILE`` adds it."""
        timeout = self._timeout

        def job(context: JobContext) -> object:
            from reader.core.library.fetch import FetchError
            from reader.core.library.user_folder import AddError, add, add_text, add_url

            def report(received: int, total: int | None) -> None:
                context.progress(received, total or 0)

            try:
                if as_file:
                    done = add(source)
                elif is_url(source):
                    done = add_url(source.strip(), cancelled=context.is_cancelled,
                                   progress=report, timeout=timeout)
                else:
                    done = add_text(source)
            except (FetchError, AddError) as error:
                # Expected (offline, 404…): a result, not a worker error with a traceback.
                return None if context.is_cancelled() else _Failed(str(error))
            return (str(done.path), done.already)

        was_busy = self.busy
        job_id = self._worker.submit(job, "add article")
        self._jobs.add(job_id)
        if not was_busy:
            self.busyChanged.emit(True)
        return job_id

    def add_all(self, sources: list[str]) -> list[int]:
        return [self.add(source) for source in sources]

    def cancel(self) -> None:
        for job_id in list(self._jobs):
            self._worker.cancel(job_id)

    def _on_result(self, job_id: int, payload: object) -> None:
        if job_id not in self._jobs:
            return
        if isinstance(payload, _Failed):
            self.failed.emit(describe_failure(payload.message))
        elif isinstance(payload, tuple):
            path, already = payload
            self.added.emit(path, already)

    def _on_error(self, job_id: int, message: str) -> None:
        if job_id in self._jobs:  # a bug, not a bad link: still one line
            self.failed.emit(describe_failure(message))

    def _on_progress(self, job_id: int, done: int, total: int) -> None:
        if job_id in self._jobs:
            self.progress.emit(done, total)

    def _on_finished(self, job_id: int, cancelled: bool) -> None:
        if job_id in self._jobs:
            self._jobs.discard(job_id)
            if not self._jobs:
                self.busyChanged.emit(False)


class AddArticleDialog(QDialog):
    """Ctrl+N: paste or type a link (fetched with progress; Cancel stops it), a file's
    path or a ``file://`` address (copied into the library as ``add FILE`` does)."""

    articleAdded = Signal(str)

    def __init__(self, adder: ArticleAdder, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Add article")
        self.setObjectName("addArticleDialog")
        self.adder = adder
        self.link = QLineEdit(self)
        self.link.setPlaceholderText("https://…, /path/to/article.html or file:///…")
        self.link.setClearButtonEnabled(True)
        self.status = QLabel("", self)
        self.status.setWordWrap(True)
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.bar = QProgressBar(self)
        self.bar.setVisible(False)
        buttons = QDialogButtonBox(self)
        self.add_button = QPushButton("Add", self)
        self.add_button.setDefault(True)
        self.cancel_button = QPushButton("Cancel", self)
        self.close_button = QPushButton("Close", self)
        for button, role in (
            (self.add_button, QDialogButtonBox.ButtonRole.AcceptRole),
            (self.cancel_button, QDialogButtonBox.ButtonRole.ActionRole),
            (self.close_button, QDialogButtonBox.ButtonRole.RejectRole),
        ):
            buttons.addButton(button, role)
        self.cancel_button.setEnabled(False)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(
            "Link to an article, or a saved page or text file on this computer"
            " (or paste its text into the library):"
        ))
        layout.addWidget(self.link)
        layout.addWidget(self.bar)
        layout.addWidget(self.status)
        layout.addWidget(buttons)
        self.add_button.clicked.connect(self.submit)
        self.cancel_button.clicked.connect(self.adder.cancel)
        self.close_button.clicked.connect(self.reject)
        self.link.returnPressed.connect(self.submit)
        adder.added.connect(self._on_added)
        adder.failed.connect(self._on_failed)
        adder.progress.connect(self._on_progress)
        adder.busyChanged.connect(self._on_busy)
        self.resize(560, self.sizeHint().height())

    def submit(self) -> bool:
        text = self.link.text().strip()
        if is_url(text):
            self.status.setText("Fetching…")
            self.adder.add(text)
            return True
        from reader.core.library.user_folder import local_path

        path = local_path(text)
        # A path is absolute (or ~/…), a file:// address, or an existing file: a few
        # words typed by mistake ("le monde point fr") are not taken for a file name.
        if path is not None and (path.is_absolute() or path.exists()):
            self.status.setText("Adding…")
            self.adder.add(text, as_file=True)
            return True
        self.status.setText(
            "Enter a link starting with http:// or https://, a file's path or a file:// address"
        )
        return False

    def _on_busy(self, busy: bool) -> None:
        self.bar.setVisible(busy)
        self.bar.setRange(0, 0)  # busy until bytes arrive with a known size
        self.add_button.setEnabled(not busy)
        self.cancel_button.setEnabled(busy)
        if not busy and self.status.text() in ("Fetching…", "Adding…"):
            self.status.setText("Cancelled; nothing was added.")

    def _on_progress(self, received: int, total: int) -> None:
        if total > 0:
            self.bar.setRange(0, total)
            self.bar.setValue(min(received, total))
        self.status.setText("Fetching…")

    def _on_added(self, path: str, already: bool) -> None:
        name = Path(path).name
        self.status.setText(f"Already in your library: {name}" if already else f"Added: {name}")
        self.link.clear()
        self.articleAdded.emit(path)

    def _on_failed(self, message: str) -> None:
        self.status.setText(message)
