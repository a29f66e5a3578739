"""The Words list: the saved words, filtered as typed; delete, export, and a double-click
to go back to the sentence a word was saved from.

The list is read and changed through a ``Storage`` the controller gives (it runs the
SQLite work on a worker); the widget only shows rows and says what was asked.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from reader.core.words.saved import SavedWord

COLUMNS = ("Word", "Lemma", "Translated as", "Sentence", "Article")


class WordsList(QWidget):
    """Signals: ``filterChanged(text)``, ``deleteRequested(ids)``, ``exportRequested()``,
    ``jumpRequested(word)`` (a :class:`SavedWord`)."""

    filterChanged = Signal(str)
    deleteRequested = Signal(list)
    exportRequested = Signal()
    jumpRequested = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("wordsList")
        self.filter = QLineEdit()
        self.filter.setObjectName("wordsFilter")
        self.filter.setPlaceholderText("Filter saved words")
        self.filter.setClearButtonEnabled(True)
        self.tree = QTreeWidget()
        self.tree.setObjectName("wordsTree")
        self.tree.setHeaderLabels(list(COLUMNS))
        self.tree.setRootIsDecorated(False)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.tree.setColumnWidth(0, 110)
        self.tree.setColumnWidth(1, 90)
        self.tree.setColumnWidth(2, 110)
        self.tree.setColumnWidth(3, 320)
        self.count = QLabel("")
        self.delete_button = QPushButton("Delete")
        self.delete_button.setObjectName("deleteWords")
        self.delete_button.setEnabled(False)
        self.export_button = QPushButton("Export…")
        self.export_button.setObjectName("exportWords")
        self.export_button.setToolTip("An Anki deck (.apkg) or a CSV file")
        row = QHBoxLayout()
        row.addWidget(self.count)
        row.addStretch(1)
        row.addWidget(self.delete_button)
        row.addWidget(self.export_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.filter)
        layout.addWidget(self.tree, 1)
        layout.addLayout(row)
        self.words: list[SavedWord] = []
        self.filter.textChanged.connect(self.filterChanged)
        self.tree.itemSelectionChanged.connect(
            lambda: self.delete_button.setEnabled(bool(self.tree.selectedItems())))
        self.delete_button.clicked.connect(self.delete_selected)
        self.export_button.clicked.connect(self.exportRequested)
        self.tree.itemActivated.connect(self._activated)

    def show_words(self, words: Sequence[SavedWord]) -> None:
        self.words = list(words)
        self.tree.clear()
        for word in self.words:
            item = QTreeWidgetItem([
                word.word, word.lemma, word.target_word, word.sentence,
                word.article_title or word.article_path,
            ])
            item.setData(0, Qt.ItemDataRole.UserRole, word.id)
            item.setToolTip(3, f"{word.sentence}\n{word.translation}".strip())
            item.setToolTip(1, word.meaning)
            self.tree.addTopLevelItem(item)
        filtered = " (filtered)" if self.filter.text().strip() else ""
        self.count.setText(f"{len(self.words)} word{'s' if len(self.words) != 1 else ''}"
                           f"{filtered}")
        self.export_button.setEnabled(bool(self.words))

    def selected_ids(self) -> list[int]:
        return [int(item.data(0, Qt.ItemDataRole.UserRole)) for item in self.tree.selectedItems()]

    def delete_selected(self) -> None:
        ids = self.selected_ids()
        if ids:
            self.deleteRequested.emit(ids)

    def _activated(self, item: QTreeWidgetItem, _column: int) -> None:
        index = self.tree.indexOfTopLevelItem(item)
        if 0 <= index < len(self.words):
            self.jumpRequested.emit(self.words[index])
