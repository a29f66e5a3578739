"""Translation models: install from a file, download from the Argos index, remove.

:class:`ModelTasks` runs the operations in a worker (the window uses it for dropped
``.argosmodel`` files and bundled models too); :class:`ModelManagerDialog` is its face.
Nothing here touches the network until the reader asks for the list of available models.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QProgressBar,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from reader.ui.workers import JobContext, WorkerThread


def format_size(size_bytes: int) -> str:
    if size_bytes >= 1e9:
        return f"{size_bytes / 1e9:.1f} GB"
    if size_bytes >= 1e6:
        return f"{size_bytes / 1e6:.1f} MB"
    return f"{size_bytes / 1e3:.0f} kB"


class ModelTasks(QObject):
    """Package operations on a worker thread.

    Signals:

    - ``packagesChanged()``: something was installed or removed (refresh engines, lists);
    - ``message(text: str, is_error: bool)``: one line for the reader;
    - ``indexReady(packages: list)``: the available packages (``AvailablePackageInfo``);
    - ``downloadProgress(done: int, total: int)``: bytes (total 0 when unknown);
    - ``busyChanged(busy: bool)``: a download or index fetch started or ended.
    """

    packagesChanged = Signal()
    message = Signal(str, bool)
    indexReady = Signal(list)
    downloadProgress = Signal(int, int)
    busyChanged = Signal(bool)

    def __init__(self, worker: WorkerThread, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._worker = worker
        # job id → what to do with its result
        self._handlers: dict[int, Callable[[object], None]] = {}
        self._network_jobs: set[int] = set()
        self._download_job: int | None = None
        worker.worker.result.connect(self._on_result)
        worker.worker.error.connect(self._on_error)
        worker.worker.progress.connect(self._on_progress)
        worker.worker.finished.connect(self._on_finished)

    # -- operations ----------------------------------------------------------------------------

    def install_files(self, files: list[Path]) -> int:
        def job(context: JobContext) -> object:
            from reader.core.models.store import PackageError, install_package

            installed, problems = [], []
            for file in files:
                context.check()
                try:
                    installed.append(install_package(file))
                except PackageError as error:
                    problems.append(f"{file.name}: {error}")
            return installed, problems

        return self._submit(job, self._installed, "install")

    def install_bundled(self, models_dir: Path) -> int:
        def job(context: JobContext) -> object:
            from reader.core.models.store import install_bundled_models

            problems: list[str] = []
            installed = install_bundled_models(
                models_dir, on_error=lambda file, error: problems.append(f"{file.name}: {error}")
            )
            return installed, problems

        return self._submit(job, self._installed, "install-bundled")

    def remove(self, code: str) -> int:
        def job(context: JobContext) -> object:
            from reader.core.models.store import uninstall_package

            uninstall_package(code)
            return code

        def done(removed: object) -> None:
            self.message.emit(f"Removed the model {removed}.", False)
            self.packagesChanged.emit()

        return self._submit(job, done, "remove")

    def fetch_index(self) -> int:
        def job(context: JobContext) -> object:
            from reader.core.models.store import fetch_index

            return fetch_index(timeout=10, cancelled=context.is_cancelled)

        job_id = self._submit(job, lambda value: self.indexReady.emit(list(value)), "index")
        self._network_started(job_id)
        return job_id

    def download(self, code: str) -> int:
        def job(context: JobContext) -> object:
            from reader.core.models.store import download_package

            package = download_package(
                code, progress=context.progress, is_cancelled=context.is_cancelled
            )
            return [package], []

        job_id = self._submit(job, self._installed, "download")
        self._download_job = job_id
        self._network_started(job_id)
        return job_id

    def cancel_download(self) -> None:
        for job_id in self._network_jobs:
            self._worker.cancel(job_id)

    def busy(self) -> bool:
        return bool(self._network_jobs)

    # -- plumbing ------------------------------------------------------------------------------

    def _submit(self, job: Callable[[JobContext], object],
                handler: Callable[[object], None], kind: str) -> int:
        job_id = self._worker.submit(job, kind)
        self._handlers[job_id] = handler
        return job_id

    def _network_started(self, job_id: int) -> None:
        self._network_jobs.add(job_id)
        if len(self._network_jobs) == 1:
            self.busyChanged.emit(True)

    def _installed(self, value: object) -> None:
        installed, problems = value  # type: ignore[misc]
        for problem in problems:
            self.message.emit(f"Cannot install {problem}", True)
        if installed:
            names = ", ".join(
                f"{p.from_name} → {p.to_name} {p.version}".strip() for p in installed
            )
            self.message.emit(f"Installed {names}.", False)
            self.packagesChanged.emit()

    def _on_result(self, job_id: int, payload: object) -> None:
        handler = self._handlers.get(job_id)
        if handler is not None:
            handler(payload)

    def _on_error(self, job_id: int, message: str) -> None:
        if job_id in self._handlers:
            self.message.emit(message, True)

    def _on_progress(self, job_id: int, done: int, total: int) -> None:
        if job_id == self._download_job:
            self.downloadProgress.emit(done, total)

    def _on_finished(self, job_id: int, cancelled: bool) -> None:
        if self._handlers.pop(job_id, None) is None:
            return
        if cancelled and job_id == self._download_job:
            self.message.emit("Download cancelled.", False)
        if job_id == self._download_job:
            self._download_job = None
        if job_id in self._network_jobs:
            self._network_jobs.discard(job_id)
            if not self._network_jobs:
                self.busyChanged.emit(False)


class ModelManagerDialog(QDialog):
    """Installed models, install from file, download from the index (with Cancel)."""

    def __init__(self, tasks: ModelTasks, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Translation models")
        self.setObjectName("modelManager")
        self.resize(720, 560)
        self._tasks = tasks
        self._available: list[object] = []
        self._error_shown = False  # the status line holds an error (cleared by a retry)

        layout = QVBoxLayout(self)
        intro = QLabel(
            "Translation runs on this computer with Argos Translate models. French → Spanish "
            "works with French → English and English → Spanish installed (through English)."
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)

        installed_box = QGroupBox("Installed")
        installed_layout = QVBoxLayout(installed_box)
        self.installed_list = QTreeWidget()
        self.installed_list.setHeaderLabels(["Languages", "Pair", "Version", "Size"])
        self.installed_list.setRootIsDecorated(False)
        self.installed_list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        _stretch_first(self.installed_list)
        installed_layout.addWidget(self.installed_list)
        buttons = QHBoxLayout()
        self.install_button = QPushButton("Install from file…")
        self.remove_button = QPushButton("Remove")
        self.remove_button.setEnabled(False)
        buttons.addWidget(self.install_button)
        buttons.addWidget(self.remove_button)
        buttons.addStretch(1)
        installed_layout.addLayout(buttons)
        layout.addWidget(installed_box, 1)

        available_box = QGroupBox("Download (uses the network)")
        available_layout = QVBoxLayout(available_box)
        self.available_list = QTreeWidget()
        self.available_list.setHeaderLabels(["Languages", "Pair", "Version", ""])
        self.available_list.setRootIsDecorated(False)
        _stretch_first(self.available_list)
        available_layout.addWidget(self.available_list)
        download_row = QHBoxLayout()
        self.fetch_button = QPushButton("Show available models")
        self.download_button = QPushButton("Download and install")
        self.download_button.setEnabled(False)
        self.progress = QProgressBar()
        self.progress.setVisible(False)
        self.progress.setTextVisible(True)
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.setVisible(False)
        download_row.addWidget(self.fetch_button)
        download_row.addWidget(self.download_button)
        download_row.addWidget(self.progress, 1)
        download_row.addWidget(self.cancel_button)
        available_layout.addLayout(download_row)
        layout.addWidget(available_box, 1)

        self.status = QLabel("")
        self.status.setWordWrap(True)
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.status)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        layout.addWidget(close)

        self.install_button.clicked.connect(self._choose_files)
        self.remove_button.clicked.connect(self._remove)
        self.fetch_button.clicked.connect(self._fetch)
        self.download_button.clicked.connect(self._download)
        self.cancel_button.clicked.connect(tasks.cancel_download)
        self.installed_list.itemSelectionChanged.connect(
            lambda: self.remove_button.setEnabled(bool(self.installed_list.selectedItems()))
        )
        self.available_list.itemSelectionChanged.connect(self._update_download_button)
        tasks.packagesChanged.connect(self.refresh)
        tasks.message.connect(self._show_message)
        tasks.indexReady.connect(self._show_index)
        tasks.downloadProgress.connect(self._show_progress)
        tasks.busyChanged.connect(self._set_busy)
        self.refresh()
        self._set_busy(tasks.busy())

    def refresh(self) -> None:
        from reader.core.models.store import broken_packages, installed_packages

        self.installed_list.clear()
        packages = installed_packages()
        for package in packages:
            item = QTreeWidgetItem([
                f"{package.from_name} → {package.to_name}",
                f"{package.from_code}→{package.to_code}",
                package.version,
                format_size(package.size_bytes),
            ])
            item.setData(0, Qt.ItemDataRole.UserRole, f"{package.from_code}_{package.to_code}")
            self.installed_list.addTopLevelItem(item)
        for path, reason in broken_packages():
            item = QTreeWidgetItem([path.name, "", "", f"unusable: {reason}"])
            item.setDisabled(True)
            self.installed_list.addTopLevelItem(item)
        if not packages:
            self._say(
                "No model installed yet. Install an .argosmodel file (you can also drop it on "
                "the main window) or download one."
            )
        self._show_index(self._available)

    def _choose_files(self) -> None:
        files, _ = QFileDialog.getOpenFileNames(
            self, "Install translation models", str(Path.home()),
            "Argos Translate models (*.argosmodel);;All files (*)",
        )
        if files:
            self._say("Installing…")
            self._tasks.install_files([Path(f) for f in files])

    def _remove(self) -> None:
        items = self.installed_list.selectedItems()
        code = items[0].data(0, Qt.ItemDataRole.UserRole) if items else None
        if code:
            self._tasks.remove(str(code))

    def _fetch(self) -> None:
        self._say("Asking the package index…")
        self._tasks.fetch_index()

    def _download(self) -> None:
        items = self.available_list.selectedItems()
        code = items[0].data(0, Qt.ItemDataRole.UserRole) if items else None
        if code:
            self._say(f"Downloading {code}…")
            self.progress.setRange(0, 0)
            self._tasks.download(str(code))

    def _show_index(self, available: list[object]) -> None:
        from reader.core.models.store import installed_packages

        self._available = list(available)
        installed = {(p.from_code, p.to_code, p.version) for p in installed_packages()}
        self.available_list.clear()
        for info in self._available:
            here = (info.from_code, info.to_code, info.version) in installed  # type: ignore[attr-defined]
            item = QTreeWidgetItem([
                f"{info.from_name} → {info.to_name}",  # type: ignore[attr-defined]
                f"{info.from_code}→{info.to_code}",  # type: ignore[attr-defined]
                info.version,  # type: ignore[attr-defined]
                "installed" if here else "",
            ])
            item.setData(0, Qt.ItemDataRole.UserRole, info.pair)  # type: ignore[attr-defined]
            self.available_list.addTopLevelItem(item)
        if available and self.status.text().startswith("Asking"):
            self._say(f"{len(available)} models available.")

    def _update_download_button(self) -> None:
        self.download_button.setEnabled(
            bool(self.available_list.selectedItems()) and not self._tasks.busy()
        )

    def _show_progress(self, done: int, total: int) -> None:
        if total > 0:
            self.progress.setRange(0, 1000)
            self.progress.setValue(round(1000 * done / total))
            self.progress.setFormat(f"{done / 1e6:.1f} / {total / 1e6:.1f} MB")
        else:
            self.progress.setRange(0, 0)

    def _show_message(self, text: str, is_error: bool) -> None:
        self._say(text, error=is_error)

    def _say(self, text: str, *, error: bool = False) -> None:
        self.status.setText(text)
        self._error_shown = error

    def _set_busy(self, busy: bool) -> None:
        if busy and self._error_shown:
            # A retry started (here, or from the window's banner): the old error is stale.
            self._say("Working…")
        self.progress.setVisible(busy)
        self.cancel_button.setVisible(busy)
        self.fetch_button.setEnabled(not busy)
        if not busy:
            self.progress.setRange(0, 1000)
            self.progress.setValue(0)
        self._update_download_button()


def _stretch_first(tree: QTreeWidget) -> None:
    header = tree.header()
    header.setStretchLastSection(False)
    header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
    for column in range(1, tree.columnCount()):
        header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
