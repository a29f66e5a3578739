"""The word panel: a clicked word's dictionary entries, and the "Save word" button.

Plain widgets, no look-ups of its own: the controller (``controller.WordTools``) finds the
entries and calls :meth:`WordPanel.show_definition`.
"""

from __future__ import annotations

from html import escape

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from reader.core.words.dictionaries import Definition

SAVE_KEYS = "S"
LOOKUP_KEYS = "Ctrl+D"
HINT = (f"Click a word of the original (or point at it and press {LOOKUP_KEYS}) to see its "
        "dictionary entries here.")


class WordPanel(QWidget):
    """Signals: ``saveRequested()`` (the Save word button), ``readRequested()`` (Read
    aloud)."""

    saveRequested = Signal()
    readRequested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("wordPanel")
        self.heading = QLabel("")
        self.heading.setObjectName("wordHeading")
        self.heading.setWordWrap(True)
        font = self.heading.font()
        font.setPointSizeF(font.pointSizeF() * 1.4)
        font.setBold(True)
        self.heading.setFont(font)
        self.entries = QTextBrowser()
        self.entries.setObjectName("wordEntries")
        self.entries.setOpenLinks(False)
        self.note = QLabel(HINT)
        self.note.setObjectName("wordNote")
        self.note.setWordWrap(True)
        self.save_button = QPushButton(f"Save word ({SAVE_KEYS})")
        self.save_button.setObjectName("saveWord")
        self.save_button.setToolTip("Keep the word with its sentence, translation and meaning "
                                    "in your word list (exports to Anki)")
        self.save_button.setEnabled(False)
        self.read_button = QPushButton("Read aloud")
        self.read_button.setObjectName("readAloudButton")
        self.read_button.setToolTip("Say the current paragraph in its language")
        buttons = QHBoxLayout()
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.read_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.entries, 1)
        layout.addWidget(self.note)
        layout.addLayout(buttons)
        self.save_button.clicked.connect(self.saveRequested)
        self.read_button.clicked.connect(self.readRequested)
        self.word = ""

    def show_busy(self, word: str) -> None:
        self.word = word
        self.heading.setText(word)
        self.entries.clear()
        self.note.setText("Looking it up…")

    def show_definition(self, definition: Definition, note: str = "") -> None:
        """The entries found (or why none were), and the form that found them."""
        self.word = definition.word
        lemma = f" → {definition.form}" if definition.form and definition.form != \
            definition.word else ""
        self.heading.setText(f"{definition.word}{lemma}")
        parts = []
        for entry in definition.entries:
            lines = entry.text.splitlines()
            body = "<br>".join(escape(line) for line in lines[1:]) if len(lines) > 1 else ""
            first = escape(lines[0]) if lines else ""
            parts.append(f"<p><b>{first}</b><br>{body}<br>"
                         f"<span style='color:gray;font-size:small'>"
                         f"{escape(entry.dictionary)}</span></p>")
        self.entries.setHtml("".join(parts))
        if not definition.entries and not note:
            tried = ", ".join(definition.forms)
            note = f"No entry for “{definition.word}” (tried {tried})."
        self.note.setText(note)
        self.save_button.setEnabled(bool(definition.word))

    def show_note(self, text: str) -> None:
        self.note.setText(text)

    def entries_text(self) -> str:
        return self.entries.toPlainText()
