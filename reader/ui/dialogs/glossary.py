"""Tools → Glossary… (Ctrl+Shift+G): the reader's terms in a table; add, keep, remove,
import and export. Every read and write of the glossary file (and of an imported or
exported table) runs on the window's ``edits`` worker, never on the GUI thread: the file
may be held by another program (``glossary add`` from a shell), and a failure is one line
in the dialog. A change is announced with ``changed`` once it is stored: the window then
re-reads the article, and only the paragraphs that contain a changed term miss the cache
and are translated again."""

from __future__ import annotations

from collections.abc import Callable
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
from reader.core.util.wording import one_line

if TYPE_CHECKING:
    from reader.ui.window.jobs import JobRouter
    from reader.ui.window.shell import MainWindow

# What a job on the glossary hands back: the message to show, whether the glossary
# changed, and its entries as they are now.
Outcome = tuple[str, bool, list[Entry]]


class GlossaryDialog(QDialog):
    """Signals: ``changed()`` once a change is stored; ``done(message)`` after every job
    (its message, also shown under the table)."""

    changed = Signal()
    done = Signal(str)

    def __init__(
        self, router: JobRouter, parent: QWidget | None = None,
        open_store: Callable[[], GlossaryStore] | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Glossary")
        self.setObjectName("glossaryDialog")
        self.router = router
        self._open_store = open_store or (lambda: GlossaryStore())  # the user's file
        self._store: GlossaryStore | None = None  # opened by the first job, on the worker
        self._entries: list[Entry] = []
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

    def store(self) -> GlossaryStore:
        """The glossary file, opened on first use (on the worker)."""
        if self._store is None:
            self._store = self._open_store()
        return self._store

    def _run(self, work: Callable[[GlossaryStore], tuple[str, bool]],
             then: Callable[[], None] | None = None) -> None:
        """``work`` on the worker with the store; its message and the entries after it
        come back here (then ``then``, once it succeeded)."""
        def job(_context: object) -> Outcome:
            store = self.store()
            message, changed = work(store)
            return message, changed, store.entries()

        def finished(outcome: object) -> None:
            if then is not None:
                then()
            self._finished(outcome)

        self.router.submit(job, "glossary", on_result=finished, on_error=self._failed)

    def _finished(self, outcome: object) -> None:
        message, changed, entries = outcome  # type: ignore[misc]
        self._show(entries)
        self.message.setText(message)
        if changed:
            self.changed.emit()
        self.done.emit(message)

    def _failed(self, error: str) -> None:
        message = f"The glossary could not be used: {error}"
        self.message.setText(message)
        self.done.emit(message)

    def _show(self, entries: list[Entry]) -> None:
        self.table.setRowCount(len(entries))
        for row, e in enumerate(entries):
            cells = (e.source, "(kept as written)" if e.keep else e.target or "",
                     f"{e.from_code} → {e.to_code}", Path(e.scope).name if e.scope else "all")
            for column, text in enumerate(cells):
                self.table.setItem(row, column, QTableWidgetItem(text))
        self._entries = entries

    def refresh(self) -> None:
        self._run(lambda store: ("", False))

    def add_from_fields(self) -> bool:
        """Check the fields and store the entry (on the worker); False, said, when they
        make no entry."""
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
        typed = (self.source.text(), self.target.text())

        def add(store: GlossaryStore) -> tuple[str, bool]:
            changed = store.add(entry)
            return (f"“{entry.source}” added." if changed else "Already in the glossary."), changed

        def stored() -> None:  # the fields are cleared once the entry is in the file
            if (self.source.text(), self.target.text()) == typed:
                self.source.clear()
                self.target.clear()

        self._run(add, then=stored)
        return True

    def remove_selected(self) -> None:
        rows = sorted({index.row() for index in self.table.selectedIndexes()})
        chosen = [self._entries[row] for row in rows if row < len(self._entries)]
        if not chosen:
            self.message.setText("Select entries to remove.")
            return

        def remove(store: GlossaryStore) -> tuple[str, bool]:
            gone = sum(len(store.remove(e.source, e.from_code, e.to_code, e.scope))
                       for e in chosen)
            return f"{gone} removed.", gone > 0

        self._run(remove)

    def import_file(self, path: str | None = None) -> None:
        if path is None:
            path, _ = QFileDialog.getOpenFileName(self, "Import glossary", "",
                                                  "Glossary (*.csv *.tsv)")
        if not path:
            return
        source = Path(path)

        def load(store: GlossaryStore) -> tuple[str, bool]:
            try:
                entries = read_table(source.read_text(encoding="utf-8-sig"), source.name)
            except (OSError, UnicodeDecodeError, GlossaryError) as error:
                return f"Not imported: {one_line(error)}", False
            count = store.add_many(entries)
            return f"Imported: {count} new or changed of {len(entries)}.", count > 0

        self._run(load)

    def export_file(self, path: str | None = None) -> None:
        if path is None:
            path, _ = QFileDialog.getSaveFileName(self, "Export glossary", "glossary.csv",
                                                  "CSV (*.csv)")
        if not path:
            return
        target = Path(path)

        def save(store: GlossaryStore) -> tuple[str, bool]:
            try:
                target.write_text(write_table(store.entries()), encoding="utf-8")
            except OSError as error:
                return f"Not exported: {one_line(error)}", False
            return f"Exported to {target}.", False

        self._run(save)


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
            self.dialog = GlossaryDialog(window.services.edits, window)
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
