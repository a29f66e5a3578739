"""The one-click model offer shown when no model reaches the article's language.

"Download French → English" fetches the pair the article needs from the Argos index, with
progress and cancel, through the window's :class:`ModelTasks` (the same download job as the
model manager); "Install from file…" installs a downloaded ``.argosmodel``. Offline, a
failed download says so in one line and leaves the file choice.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from reader.ui.dialogs.model_manager import ModelTasks, format_size


class ModelOffer(QWidget):
    """Buttons and progress for one language pair; hidden until :meth:`offer`."""

    def __init__(self, tasks: ModelTasks, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("modelOffer")
        self._tasks = tasks
        self.pair: tuple[str, str] | None = None
        self._names = ("", "")
        self._downloading = False

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        row = QHBoxLayout()
        self.download_button = QPushButton("")
        self.download_button.setObjectName("downloadModel")
        self.file_button = QPushButton("Install from file…")
        self.file_button.setObjectName("installModelFile")
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.setObjectName("cancelModelDownload")
        self.progress = QProgressBar()
        self.progress.setTextVisible(False)
        row.addWidget(self.download_button)
        row.addWidget(self.progress, 1)
        row.addWidget(self.cancel_button)
        row.addWidget(self.file_button)
        row.addStretch(0)
        self.status = QLabel("")
        self.status.setObjectName("modelOfferStatus")
        self.status.setWordWrap(True)
        layout.addLayout(row)
        layout.addWidget(self.status)

        self.download_button.clicked.connect(self.download)
        self.cancel_button.clicked.connect(tasks.cancel_download)
        self.file_button.clicked.connect(self._choose_file)
        tasks.downloadProgress.connect(self._on_progress)
        tasks.message.connect(self._on_message)
        tasks.busyChanged.connect(self._on_busy)
        self._show_idle()
        self._say("")
        self.setVisible(False)

    # -- the offer ------------------------------------------------------------------------------

    def offer(self, from_code: str, to_code: str) -> None:
        """Offer the ``from_code`` → ``to_code`` model (a new pair resets the offer)."""
        from reader.core.models.store import language_name

        if self.pair != (from_code, to_code) and not self._downloading:
            self.pair = (from_code, to_code)
            self._names = (language_name(from_code), language_name(to_code))
            self._say("")
            self._show_idle()
        self.setVisible(True)

    def download(self) -> int | None:
        if self.pair is None or self._tasks.busy():
            return None
        self._downloading = True
        self._say("")
        self._show_busy(f"Downloading {self._pair_text()}…")
        return self._tasks.download(f"{self.pair[0]}_{self.pair[1]}")

    def is_downloading(self) -> bool:
        return self._downloading

    # -- task signals ---------------------------------------------------------------------------

    def _on_progress(self, done: int, total: int) -> None:
        if not self._downloading:
            return
        if total:
            self.progress.setRange(0, 1000)
            self.progress.setValue(int(1000 * done / total))
            self._say(
                f"Downloading {self._pair_text()}: {format_size(done)} of {format_size(total)}"
            )
        else:
            self.progress.setRange(0, 0)  # busy: the server did not say how much
            self._say(f"Downloading {self._pair_text()}: {format_size(done)}")

    def _on_message(self, text: str, is_error: bool) -> None:
        if not self._downloading:
            return
        if is_error and "(offline?)" in text:
            self._say(
                "Offline: cannot reach the model index. Install the model from a file "
                "(an .argosmodel downloaded elsewhere) or try again when connected."
            )
        elif is_error:
            self._say(f"{text} You can also install the model from a file.")
        else:
            self._say(text)

    def _on_busy(self, busy: bool) -> None:
        if busy and not self._downloading:
            self._say("")  # a retry started in the models dialog: an old error is stale
        if not busy and self._downloading:
            self._downloading = False
            self._show_idle()

    # -- helpers --------------------------------------------------------------------------------

    def _say(self, text: str) -> None:
        # Hidden when empty, so the buttons line up with the banner's own.
        self.status.setText(text)
        self.status.setVisible(bool(text))

    def _pair_text(self) -> str:
        return f"{self._names[0]} → {self._names[1]}"

    def _show_idle(self) -> None:
        self.download_button.setText(f"Download {self._pair_text()}")
        self.download_button.setVisible(True)
        self.file_button.setVisible(True)
        self.progress.setVisible(False)
        self.cancel_button.setVisible(False)

    def _show_busy(self, text: str) -> None:
        self.download_button.setVisible(False)
        self.file_button.setVisible(False)
        self.progress.setRange(0, 0)
        self.progress.setVisible(True)
        self.cancel_button.setVisible(True)
        self._say(text)

    def _choose_file(self) -> None:
        files, _ = QFileDialog.getOpenFileNames(
            self, "Install a translation model", str(Path.home()),
            "Argos Translate models (*.argosmodel);;All files (*)",
        )
        if files:
            self.install_files([Path(f) for f in files])

    def install_files(self, files: list[Path]) -> int:
        self._say("Installing…")
        return self._tasks.install_files(files)
