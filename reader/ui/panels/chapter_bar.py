"""A book's chapter list above the reading view: a combo of the chapters, previous and
next buttons (Alt+PgUp / Alt+PgDown in the window's actions). Hidden for articles.

Signals: ``chapterChosen(paragraph: int)`` — the reader picked a chapter (the combo, the
buttons, the shortcuts); the window scrolls the view to that paragraph. The bar follows the
reading position through :meth:`follow`, which never emits.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QToolButton, QWidget

from reader.core.articles.article import Article, ChapterRole

_ROLE_NOTE = {ChapterRole.FRONT: "front matter", ChapterRole.BACK: "back matter"}


class ChapterBar(QWidget):
    chapterChosen = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("chapterBar")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(10, 2, 10, 2)
        self.label = QLabel("Chapter:")
        self.combo = QComboBox()
        self.combo.setObjectName("chapterCombo")
        self.combo.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.combo.setMinimumContentsLength(24)
        self.previous_button = QToolButton()
        self.previous_button.setText("◀")
        self.previous_button.setToolTip("Previous chapter (Alt+PgUp)")
        self.next_button = QToolButton()
        self.next_button.setText("▶")
        self.next_button.setToolTip("Next chapter (Alt+PgDown)")
        layout.addWidget(self.label)
        layout.addWidget(self.combo, 1)
        layout.addWidget(self.previous_button)
        layout.addWidget(self.next_button)
        self._starts: list[int] = []
        self._article: Article | None = None
        self.combo.activated.connect(self._activated)
        self.previous_button.clicked.connect(self.previous_chapter)
        self.next_button.clicked.connect(self.next_chapter)
        self.setVisible(False)

    def set_article(self, article: Article | None) -> None:
        """Show ``article``'s chapters (hidden when it has none: an article). The same
        book again (its full parse after the listing's) keeps the current chapter."""
        shown = self._article
        if article is not None and shown is not None and article.path == shown.path \
                and article.chapters == shown.chapters:
            self._article = article
            return
        self._article = article
        chapters = article.chapters if article is not None else ()
        self._starts = [chapter.start for chapter in chapters]
        self.combo.blockSignals(True)
        self.combo.clear()
        for number, chapter in enumerate(chapters):
            self.combo.addItem(chapter.title or f"Chapter {number + 1}", chapter.start)
            note = _ROLE_NOTE.get(chapter.role)
            tip = f"{chapter.count:,} paragraphs" + (f" · {note}" if note else "")
            self.combo.setItemData(number, tip, Qt.ItemDataRole.ToolTipRole)
        self.combo.setCurrentIndex(0 if chapters else -1)
        self.combo.blockSignals(False)
        self.setVisible(bool(chapters))
        self._update_buttons()

    def current_chapter(self) -> int:
        return self.combo.currentIndex()

    def follow(self, paragraph: int) -> None:
        """Show the chapter holding ``paragraph`` (the reading position) as current."""
        if self._article is None or not self._starts:
            return
        found = self._article.chapter_at(paragraph)
        if found is not None and found != self.combo.currentIndex():
            self.combo.blockSignals(True)
            self.combo.setCurrentIndex(found)
            self.combo.blockSignals(False)
            self._update_buttons()

    def go_to_chapter(self, number: int) -> None:
        if not 0 <= number < len(self._starts):
            return
        self.combo.setCurrentIndex(number)
        self._update_buttons()
        self.chapterChosen.emit(self._starts[number])

    def next_chapter(self) -> None:
        self.go_to_chapter(self.combo.currentIndex() + 1)

    def previous_chapter(self) -> None:
        self.go_to_chapter(self.combo.currentIndex() - 1)

    def _activated(self, number: int) -> None:
        self.go_to_chapter(number)

    def _update_buttons(self) -> None:
        current = self.combo.currentIndex()
        self.previous_button.setEnabled(current > 0)
        self.next_button.setEnabled(0 <= current < len(self._starts) - 1)
