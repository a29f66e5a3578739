"""The right-hand pane: article header, the "no model" offer, the offer to carry an edit to
its repeats, the reading view, find bar."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from reader.core.articles.article import Article, ArticleKind, ParagraphKind
from reader.ui.panels.chapter_bar import ChapterBar
from reader.ui.reading_view import ReadingView

AUTO_LANGUAGE = ""  # the combo's data for "as detected"


class FindBar(QFrame):
    """Find within the article. Enter: next match; Shift+Enter: previous; Esc: close.

    Signals: ``searched(text: str)``, ``next(backward: bool)``, ``closed()``.
    """

    searched = Signal(str)
    next = Signal(bool)
    closed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("findBar")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(10, 4, 10, 4)
        self.edit = QLineEdit()
        self.edit.setPlaceholderText("Find in both languages")
        self.edit.setClearButtonEnabled(True)
        self.count = QLabel("")
        self.count.setMinimumWidth(90)
        previous = QToolButton()
        previous.setText("↑")
        previous.setToolTip("Previous match (Shift+Enter)")
        following = QToolButton()
        following.setText("↓")
        following.setToolTip("Next match (Enter)")
        close = QToolButton()
        close.setText("✕")
        close.setToolTip("Close (Esc)")
        layout.addWidget(QLabel("Find:"))
        layout.addWidget(self.edit, 1)
        layout.addWidget(self.count)
        layout.addWidget(previous)
        layout.addWidget(following)
        layout.addWidget(close)
        self.edit.textChanged.connect(self.searched)
        previous.clicked.connect(lambda: self.next.emit(True))
        following.clicked.connect(lambda: self.next.emit(False))
        close.clicked.connect(self.closed)
        self.edit.installEventFilter(self)

    def eventFilter(self, watched: object, event: object) -> bool:
        if watched is self.edit and isinstance(event, QKeyEvent) and \
                event.type() == QKeyEvent.Type.KeyPress:
            if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                self.next.emit(bool(event.modifiers() & Qt.KeyboardModifier.ShiftModifier))
                return True
            if event.key() == Qt.Key.Key_Escape:
                self.closed.emit()
                return True
        return False

    def show_count(self, current: int, total: int) -> None:
        if not self.edit.text():
            self.count.setText("")
        elif total == 0:
            self.count.setText("no match")
        else:
            self.count.setText(f"{current + 1} of {total}")


class RepeatsBar(QFrame):
    """A non-modal offer under the header: "This passage appears N more times. Apply your
    edit there too?" with Apply / Not now. Nothing waits on it; the reader can go on
    reading and answer later, or never.

    Signals: ``applyRequested()``, ``dismissed()``.
    """

    applyRequested = Signal()
    dismissed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("repeatsBar")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(18, 6, 18, 6)
        self.text = QLabel("")
        self.text.setWordWrap(True)
        self.apply_button = QPushButton("Apply")
        self.apply_button.setObjectName("applyRepeats")
        self.later_button = QPushButton("Not now")
        self.later_button.setObjectName("dismissRepeats")
        layout.addWidget(self.text, 1)
        layout.addWidget(self.apply_button)
        layout.addWidget(self.later_button)
        self.apply_button.clicked.connect(self.applyRequested)
        self.later_button.clicked.connect(self.dismissed)
        self.setVisible(False)

    def offer(self, text: str) -> None:
        self.text.setText(text)
        self.setVisible(True)


class ReadingPane(QWidget):
    """Header + banner + a book's :class:`ChapterBar` + :class:`ReadingView` + :class:`FindBar`.

    Signals: ``sourceLanguageChosen(code: str)`` ("" = as detected),
    ``modelManagerRequested()``.
    """

    sourceLanguageChosen = Signal(str)
    modelManagerRequested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)

        self.header = QFrame()
        self.header.setObjectName("articleHeader")
        header_layout = QVBoxLayout(self.header)
        header_layout.setContentsMargins(18, 10, 18, 8)
        header_layout.setSpacing(2)
        self.title = QLabel("")
        self.title.setObjectName("articleTitle")
        self.title.setWordWrap(True)
        self.title.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        title_font = self.title.font()
        title_font.setPointSizeF(title_font.pointSizeF() * 1.25)
        title_font.setBold(True)
        self.title.setFont(title_font)
        meta_row = QHBoxLayout()
        meta_row.setSpacing(8)
        self.meta = QLabel("")
        self.meta.setObjectName("articleMeta")
        self.meta.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.source_label = QLabel("Original in")
        self.source_combo = QComboBox()
        self.source_combo.setObjectName("sourceLanguage")
        self._source_items: tuple[tuple[str, str], ...] = ()  # what the combo lists
        self.source_combo.setToolTip(
            "The article's language, as detected; choose another if detection got it wrong"
        )
        self.source_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        meta_row.addWidget(self.meta, 1)
        meta_row.addWidget(self.source_label)
        meta_row.addWidget(self.source_combo)
        header_layout.addWidget(self.title)
        header_layout.addLayout(meta_row)
        layout.addWidget(self.header)

        self.banner = QFrame()
        self.banner.setObjectName("noModelBanner")
        # Text on top, the buttons in one row under it, notes (a failed download's) under
        # the buttons at full width: a long note never squeezes between two buttons.
        banner_layout = QVBoxLayout(self.banner)
        banner_layout.setContentsMargins(18, 8, 18, 8)
        banner_layout.setSpacing(6)
        self.banner_text = QLabel("")
        self.banner_text.setWordWrap(True)
        self.banner_button = QPushButton("Get a model…")
        self.banner_button.setObjectName("openModelManager")
        self.banner_buttons = QHBoxLayout()
        self.banner_buttons.addWidget(self.banner_button)
        self.banner_buttons.addStretch(1)
        banner_layout.addWidget(self.banner_text)
        banner_layout.addLayout(self.banner_buttons)
        self.banner.setVisible(False)
        layout.addWidget(self.banner)

        self.repeats_bar = RepeatsBar()
        layout.addWidget(self.repeats_bar)

        rule = QFrame()
        rule.setFrameShape(QFrame.Shape.HLine)
        rule.setFrameShadow(QFrame.Shadow.Sunken)
        layout.addWidget(rule)

        self.chapter_bar = ChapterBar()
        layout.addWidget(self.chapter_bar)
        self.view = ReadingView()
        layout.addWidget(self.view, 1)
        self.find_bar = FindBar()
        self.find_bar.setVisible(False)
        layout.addWidget(self.find_bar)

        self.banner_button.clicked.connect(self.modelManagerRequested)
        self.source_combo.activated.connect(self._on_source_chosen)
        self.find_bar.searched.connect(self.view.find)
        self.find_bar.next.connect(self.view.find_next)
        self.find_bar.closed.connect(self.close_find)
        self.view.findChanged.connect(self.find_bar.show_count)
        self.chapter_bar.chapterChosen.connect(self.view.go_to_paragraph)
        self.view.positionChanged.connect(self._follow_position)
        self.view.currentParagraphChanged.connect(self.chapter_bar.follow)
        self.set_article(None)

    # -- header -------------------------------------------------------------------------------

    def set_article(
        self,
        article: Article | None,
        *,
        languages: list[tuple[str, str]] | None = None,
        override: str | None = None,
        detected_name: str = "",
    ) -> None:
        self.header.setVisible(article is not None)
        self.chapter_bar.set_article(article if article is not None and article.ok else None)
        if article is None:
            return
        book = article.kind is ArticleKind.BOOK
        has_title_paragraph = not book and any(
            p.kind is ParagraphKind.TITLE for p in article.paragraphs)
        # The title paragraph is the first row of the view (with its translation); the
        # header repeats it only when the file's title is not part of the text (a book's
        # headings are its chapters': the header always shows the book's title).
        self.title.setText(article.display_title)
        self.title.setVisible(not has_title_paragraph or not article.ok)
        parts = [article.date, article.byline, article.section, article.site if book else None]
        if article.ok:
            if book:
                parts.append(f"{len(article.chapters):,} chapters".replace(",", "\u202f"))
            parts.append(f"{article.words:,} words".replace(",", "\u202f"))
        else:
            parts.append(f"{article.path.name}: {article.error}")
        self.meta.setText("  ·  ".join(p for p in parts if p))
        self.source_combo.blockSignals(True)
        items = ((f"{detected_name or article.language} (detected)", AUTO_LANGUAGE),
                 *((name, code) for code, name in languages or [] if code != article.language))
        if items != self._source_items:
            # Rebuilt only when its languages change: ~100 items re-added at every article
            # opened cost the GUI thread several ms (the combo resizes with each).
            self._source_items = items
            self.source_combo.clear()
            for name, code in items:
                self.source_combo.addItem(name, code)
        index = self.source_combo.findData(override) if override else 0
        self.source_combo.setCurrentIndex(max(0, index))
        self.source_combo.blockSignals(False)
        self.source_combo.setVisible(article.ok)
        self.source_label.setVisible(article.ok)

    def next_chapter(self) -> None:
        """A book's next chapter (Alt+PgDown); nothing for an article."""
        self.chapter_bar.next_chapter()

    def previous_chapter(self) -> None:
        self.chapter_bar.previous_chapter()

    def _follow_position(self) -> None:
        """The chapter bar shows the current paragraph's chapter while it is on screen,
        else the chapter at the top of the view (the reader scrolled away)."""
        if self.chapter_bar.isVisible():
            row = self.view.current_paragraph()
            if not self.view.row_visible(row):
                row = self.view.top_position()[0]
            self.chapter_bar.follow(row)

    def _on_source_chosen(self, index: int) -> None:
        self.sourceLanguageChosen.emit(str(self.source_combo.itemData(index) or ""))

    # -- banner -------------------------------------------------------------------------------

    def add_to_banner(self, buttons: QWidget, note: QWidget | None = None) -> None:
        """``buttons`` go first in the banner's button row; ``note`` under the row, at the
        banner's full width."""
        self.banner_buttons.insertWidget(0, buttons)
        if note is not None:
            self.banner.layout().addWidget(note)

    def show_no_model(self, text: str | None) -> None:
        self.banner.setVisible(text is not None)
        self.banner_text.setText(text or "")
        self.view.set_show_translation(text is None)

    def no_model_shown(self) -> bool:
        return not self.banner.isHidden()

    # -- find ---------------------------------------------------------------------------------

    def open_find(self) -> None:
        self.find_bar.setVisible(True)
        self.find_bar.edit.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.find_bar.edit.selectAll()
        if self.find_bar.edit.text():
            self.view.find(self.find_bar.edit.text())

    def close_find(self) -> None:
        self.find_bar.setVisible(False)
        self.view.clear_find()
        self.view.setFocus(Qt.FocusReason.OtherFocusReason)
