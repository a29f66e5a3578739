"""The status bar's widgets: a task's progress (a label, a progress bar and a Cancel
button), and a one-line status that gives way to the bar's messages."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QProgressBar, QToolButton, QWidget

from reader.ui.workers import ProgressEstimate


class TaskProgress(QWidget):
    """Progress of one kind of job (translation, export), with time left.

    Signals: ``cancelRequested()``.
    """

    cancelRequested = Signal()

    def __init__(self, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.label = QLabel("")
        self.bar = QProgressBar()
        self.bar.setFixedWidth(160)
        self.bar.setTextVisible(False)
        self.bar.setRange(0, 1000)
        self.cancel = QToolButton()
        self.cancel.setText("Cancel")
        self.cancel.clicked.connect(self.cancelRequested)
        layout.addWidget(self.label)
        layout.addWidget(self.bar)
        layout.addWidget(self.cancel)
        self.estimate = ProgressEstimate()
        self.setVisible(False)

    def begin(self, total: int, text: str = "") -> None:
        self.estimate.reset(total)
        self.bar.setValue(0)
        if total <= 0:
            self.bar.setRange(0, 0)  # busy indicator
        else:
            self.bar.setRange(0, 1000)
        self.label.setText(text)
        self.setVisible(True)

    def update_progress(self, done: int, total: int, unit: str) -> None:
        self.estimate.update(done, total)
        if total > 0:
            self.bar.setRange(0, 1000)
            self.bar.setValue(round(1000 * self.estimate.fraction))
        self.label.setText(self.estimate.describe(unit))

    def value(self) -> float:
        return self.estimate.fraction

    def end(self) -> None:
        self.setVisible(False)


class StatusLine(QLabel):
    """A status (the background translation's) elided to a quarter of ``window``'s width:
    in a narrow window, the status bar's messages ("Too narrow for side by side…") keep
    their room. The whole text is its tooltip."""

    def __init__(self, name: str, window: QWidget) -> None:
        super().__init__("")
        self.setObjectName(name)
        self._window = window

    def show_text(self, text: str) -> None:
        self.setToolTip(text)
        self.setText(self.fontMetrics().elidedText(
            text, Qt.TextElideMode.ElideMiddle, max(120, self._window.width() // 4)))
