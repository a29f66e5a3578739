"""Tools → Glossary… (Ctrl+Shift+G): the reader's terms in a table; add, keep, remove,
import and export. Each change is written at once (a small SQLite file: milliseconds) and
announced with ``changed``: the window then re-reads the article, and only the paragraphs
that contain a changed term miss the cache and are translated again."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from reader.core.glossary.store import (
    GlossaryError,
    GlossaryStore,
    article_scope,
    make_entry,
    read_table,
    write_table,
)
from reader.core.glossary.terms import ANY, Entry

if TYPE_CHECKING:
    from reader.ui.window.shell import MainWindow


class GlossaryDialog(QDialog):
    changed = Signal()

    def __init__(self, store: GlossaryStore, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Glossary")
        self.setObjectName("glossaryDialog")
        self.store = store
        self.article: Path | None = None  # the article on screen, for "this article only"
        self.source_language = ANY
        self.target_language = ANY
        self.table = QTableWidget(0, 4)
        self.table.setHorizontalHeaderLabels(["Source", "Translation", "Languages", "Article"])
        self.table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.source = QLineEdit(placeholderText="word or phrase in the original")
        self.target = QLineEdit(placeholderText="always translate as…")
        self.keep = QCheckBox("Keep as written")
        self.keep.toggled.connect(lambda on: self.target.setEnabled(not on))
        self.only_article = QCheckBox("This article only")
        self.message = QLabel()
        self.message.setObjectName("glossaryMessage")
        # Shown while a server translates: it returns text only, no attention to place terms.
        self.server_note = QLabel(
            "Not applied while a LibreTranslate server translates (Preferences → Translate with)."
        )
        self.server_note.setObjectName("glossaryServerNote")
        self.server_note.setWordWrap(True)
        self.server_note.hide()
        add = QPushButton("Add")
        add.clicked.connect(self.add_from_fields)
        remove = QPushButton("Remove")
        remove.clicked.connect(self.remove_selected)
        load = QPushButton("Import…")
        load.clicked.connect(self.import_file)
        save = QPushButton("Export…")
        save.clicked.connect(self.export_file)
        close = QPushButton("Close")
        close.clicked.connect(self.accept)
        fields = QHBoxLayout()
        for widget in (self.source, self.target, self.keep, self.only_article, add):
            fields.addWidget(widget)
        buttons = QHBoxLayout()
        for widget in (remove, load, save):
            buttons.addWidget(widget)
        buttons.addStretch(1)
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.server_note)
        layout.addLayout(fields)
        layout.addWidget(self.table)
        layout.addWidget(self.message)
        layout.addLayout(buttons)
        self.resize(720, 420)
        self.refresh()

    def set_context(
        self, article: Path | None, source: str, target: str, *, by_server: bool = False
    ) -> None:
        """The article on screen and its language pair: new entries are for that pair.
        ``by_server``: a server translates, so the glossary is not applied (said)."""
        self.article = article
        self.source_language, self.target_language = source or ANY, target or ANY
        self.only_article.setEnabled(article is not None)
        self.server_note.setVisible(by_server)

    def prefill(self, source: str, target: str = "", *, keep: bool = False) -> None:
        """"Always translate as…" / "Keep this word" / "Make this a glossary entry"."""
        self.source.setText(source)
        self.target.setText(target)
        self.keep.setChecked(keep)
        (self.source if not source else self.target).setFocus()

    def refresh(self) -> None:
        entries = self.store.entries()
        self.table.setRowCount(len(entries))
        for row, e in enumerate(entries):
            cells = (e.source, "(kept as written)" if e.keep else e.target or "",
                     f"{e.from_code} → {e.to_code}", Path(e.scope).name if e.scope else "all")
            for column, text in enumerate(cells):
                self.table.setItem(row, column, QTableWidgetItem(text))
        self._entries = entries

    def _done(self, message: str, changed: bool) -> None:
        self.message.setText(message)
        if changed:
            self.refresh()
            self.changed.emit()

    def add_from_fields(self) -> bool:
        scope = (article_scope(self.article)
                 if self.article is not None and self.only_article.isChecked() else "")
        try:
            entry: Entry = make_entry(
                self.source.text(), None if self.keep.isChecked() else self.target.text(),
                self.source_language, self.target_language, scope,
            )
        except GlossaryError as error:
            self.message.setText(str(error))
            return False
        if not entry.keep and entry.target is None:
            self.message.setText("Type the translation, or tick “Keep as written”.")
            return False
        changed = self.store.add(entry)
        self.source.clear()
        self.target.clear()
        self._done(f"“{entry.source}” added." if changed else "Already in the glossary.",
                   changed)
        return changed

    def remove_selected(self) -> None:
        rows = sorted({index.row() for index in self.table.selectedIndexes()})
        gone = 0
        for row in rows:
            e = self._entries[row]
            gone += len(self.store.remove(e.source, e.from_code, e.to_code, e.scope))
        self._done(f"{gone} removed." if gone else "Select entries to remove.", gone > 0)

    def import_file(self, path: str | None = None) -> None:
        if path is None:
            path, _ = QFileDialog.getOpenFileName(self, "Import glossary", "",
                                                  "Glossary (*.csv *.tsv)")
        if not path:
            return
        try:
            entries = read_table(Path(path).read_text(encoding="utf-8-sig"), Path(path).name)
        except (OSError, UnicodeDecodeError, GlossaryError) as error:
            self.message.setText(f"Not imported: {error}")
            return
        count = self.store.add_many(entries)
        self._done(f"Imported: {count} new or changed of {len(entries)}.", count > 0)

    def export_file(self, path: str | None = None) -> None:
        if path is None:
            path, _ = QFileDialog.getSaveFileName(self, "Export glossary", "glossary.csv",
                                                  "CSV (*.csv)")
        if not path:
            return
        try:
            Path(path).write_text(write_table(self.store.entries()), encoding="utf-8")
        except OSError as error:
            self.message.setText(f"Not exported: {error}")
            return
        self.message.setText(f"Exported to {path}.")


class GlossaryOpener:
    """The Tools → Glossary… slot of a main window: one dialog, made on first use, told the
    article on screen each time; a change rebuilds the engine (which reads the glossary)
    and re-reads the article: only paragraphs with a changed term miss the cache."""

    def __init__(self, window: MainWindow) -> None:
        self.window = window
        self.dialog: GlossaryDialog | None = None
        window.pane.view.glossaryRequested.connect(self.from_word)

    def from_word(self, word: str, keep: bool) -> None:
        """The reading view's "Keep this word" (added at once) or "Always translate as…"
        (the dialog, the word filled in, the cursor on the translation)."""
        dialog = self()
        dialog.prefill(word, keep=keep)
        if keep:
            dialog.add_from_fields()

    def __call__(self, *_: object) -> GlossaryDialog:
        window = self.window
        if self.dialog is None:
            self.dialog = GlossaryDialog(GlossaryStore(), window)
            self.dialog.changed.connect(self.glossary_changed)
        from reader.core.server.engine import ServerEngine

        article = window.session.article
        self.dialog.set_context(
            article.path if article is not None else None,
            article.language if article is not None else "", window.session.shown_target,
            by_server=isinstance(window.services.engines.engine, ServerEngine),
        )
        suggestion = window.post_edits.glossary_suggestion
        if suggestion is not None:  # "Make this a glossary entry"
            window.post_edits.glossary_suggestion = None
            self.dialog.prefill(suggestion.candidates[0] if suggestion.candidates else "",
                                suggestion.target)
        self.dialog.show()
        self.dialog.raise_()
        return self.dialog

    def glossary_changed(self) -> None:
        window = self.window
        window.services.engines.rebuild()
        window.background.reset()
        window.session.render()
