"""Words in the window: a click on a word of the original (or Ctrl+D over it) shows its
dictionary entries in the word panel; S saves it; the Words list shows, filters, deletes
and exports the saved words; Read aloud says the current paragraph, sentence by sentence,
lighting each.

Timing: the dictionaries' indexes and the lemma table for a language are loaded once, on
the ``search`` worker (FreeDict fra-eng: ~12 ms; simplemma's French: ~0.2 s); after that a
look-up takes well under a millisecond and is done on the GUI thread, so the entry is on
screen in the click's own event. Saving (which may translate and align the paragraph) and
every SQLite read or write of the word list run on the ``search`` worker.
"""

from __future__ import annotations

import time
from pathlib import Path

from PySide6.QtCore import QEvent, QObject, QPoint, Qt, Signal
from PySide6.QtGui import QCursor, QMouseEvent
from PySide6.QtWidgets import QFileDialog

from reader.core.text.sentences import split_sentences
from reader.core.words.anki import write_apkg, write_csv
from reader.core.words.capture import capture, paragraph_language
from reader.core.words.context import word_span
from reader.core.words.dictionaries import Definition, Dictionaries, missing_note
from reader.core.words.saved import SavedWord, SavedWords
from reader.ui import settings as keys
from reader.ui.reading_pane import ReadingPane
from reader.ui.reading_view.types import Side
from reader.ui.window.services import Services
from reader.ui.words.panel import WordPanel
from reader.ui.words.saved_list import WordsList
from reader.ui.words.speech import ReadAloud
from reader.ui.workers import JobContext


class WordsController(QObject):
    """Signals: ``message(text)`` for the status line; ``panelWanted()`` when the word panel
    should be shown; ``jumpRequested(word)`` (a :class:`SavedWord`) for the window to open
    its article at its sentence; ``saved(word)`` once a word is stored."""

    message = Signal(str)
    panelWanted = Signal()
    jumpRequested = Signal(object)
    saved = Signal(object)
    definitionShown = Signal(object)

    def __init__(
        self, services: Services, pane: ReadingPane, target: object,
        *, speech_engine: str | None = None, parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.services = services
        self.pane = pane
        self._target = target  # a callable: the language shown (the session's)
        self.dictionaries = Dictionaries()
        self.store = SavedWords()
        self.panel = WordPanel()
        self.words_list = WordsList()
        self.speech = ReadAloud(speech_engine, self)
        self.current: tuple[str, int, int, str] | None = None  # key, row, offset, word
        self.last_lookup_ms = -1.0
        self._warm: set[tuple[str, str]] = set()
        self._warming: set[tuple[str, str]] = set()
        self._spoken: tuple[int, list[tuple[int, int]]] | None = None
        self._press: QPoint | None = None
        pane.view.viewport().installEventFilter(self)
        self.panel.saveRequested.connect(self.save_current)
        self.panel.readRequested.connect(self.toggle_read_aloud)
        self.words_list.filterChanged.connect(lambda _text: self.refresh_list())
        self.words_list.deleteRequested.connect(self.delete)
        self.words_list.exportRequested.connect(self.choose_export)
        self.words_list.jumpRequested.connect(self.jumpRequested)
        self.speech.sentenceStarted.connect(self._sentence_started)
        self.speech.finished.connect(self._speech_finished)
        self.speech.note.connect(self._note)

    def target(self) -> str:
        return str(self._target())  # type: ignore[operator]

    # -- clicks on words ----------------------------------------------------------------------

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind == QEvent.Type.MouseButtonPress and isinstance(event, QMouseEvent):
            self._press = event.position().toPoint()
        elif (kind == QEvent.Type.MouseButtonRelease and isinstance(event, QMouseEvent)
              and event.button() == Qt.MouseButton.LeftButton
              and not event.modifiers() & Qt.KeyboardModifier.ControlModifier):
            start, self._press = self._press, None
            point = event.position().toPoint()
            if start is not None and (start - point).manhattanLength() < 6:  # not a drag
                self.lookup_at(point, quiet=True)
        return False  # the view still handles the click (pins the sentence)

    def lookup_under_mouse(self) -> bool:
        """Ctrl+D: the word under the mouse, else the one last clicked."""
        view = self.pane.view
        point = view.viewport().mapFromGlobal(QCursor.pos())
        if view.viewport().rect().contains(point) and self.lookup_at(point, quiet=True):
            return True
        if self.current is not None:
            _key, row, offset, word = self.current
            return self.lookup(row, offset, word)
        self.panelWanted.emit()
        return False

    def lookup_at(self, point: QPoint, *, quiet: bool = False) -> bool:
        view = self.pane.view
        hit = view.hit(point)
        article = view.article()
        if hit is None or article is None or hit.side is not Side.SOURCE:
            return False
        text = article.paragraphs[hit.row].text
        span = word_span(text, hit.offset)
        if span is None:
            return False
        return self.lookup(hit.row, span[0], text[span[0]:span[1]])

    def lookup(self, row: int, offset: int, word: str) -> bool:
        """Show the entries of ``word`` (at ``offset`` of paragraph ``row``) in the panel."""
        article = self.pane.view.article()
        if article is None or not 0 <= row < len(article.paragraphs):
            return False
        started = time.perf_counter()
        self.current = (article.key, row, offset, word)
        language, target = paragraph_language(article, row), self.target()
        self.panelWanted.emit()
        pair = (language, target)
        if pair in self._warm:
            self._show(self.dictionaries.define(word, language, target), started)
            return True
        self.panel.show_busy(word)
        book = self.dictionaries

        def job(context: JobContext) -> object:
            book.warm(language, target)
            return book.define(word, language, target)

        def done(found: object) -> None:
            assert isinstance(found, Definition)
            self._warm.add(pair)
            if self.current is not None and self.current[3] == word:
                self._show(found, started)

        self.services.search.submit(job, "define", on_result=done,
                                    on_error=lambda text: self.panel.show_note(text))
        return True

    def warm(self, language: str) -> None:
        """Load the dictionaries and lemmas for ``language`` ahead of the first click."""
        pair = (language, self.target())
        if pair in self._warm or pair in self._warming or not language:
            return
        self._warming.add(pair)
        book = self.dictionaries

        def job(context: JobContext) -> object:
            book.warm(*pair)
            return book.define("", *pair)  # loads the lemma table too

        self.services.search.submit(job, "define-warm",
                                    on_result=lambda _found: self._warm.add(pair))

    def _show(self, found: Definition, started: float) -> None:
        note = ""
        if not found.entries and not any(
            info.serves(found.language, found.target) for info in self.dictionaries.listed()
        ):
            note = missing_note(found.language, found.target or "") + "."
            note = note[0].upper() + note[1:]
        self.panel.show_definition(found, note)
        self.last_lookup_ms = (time.perf_counter() - started) * 1000
        self.definitionShown.emit(found)

    # -- saving -------------------------------------------------------------------------------

    def save_current(self) -> bool:
        """S / Save word: the word last looked up, with its context, into the list."""
        view = self.pane.view
        article = view.article()
        if self.current is None or article is None or self.current[0] != article.key:
            self.message.emit("Click a word of the original first, then save it (S).")
            return False
        _key, row, offset, word = self.current
        translation = view.translation(row)
        engine, target, book, store = (self.services.engine, self.target(), self.dictionaries,
                                       self.store)

        def job(context: JobContext) -> object:
            notes: list[str] = []
            saved = capture(article, row, offset, word, target, engine=engine,
                            translation=translation, dictionaries=book, store=store,
                            notes=notes)
            return saved, notes

        def done(payload: object) -> None:
            assert isinstance(payload, tuple)
            saved, notes = payload
            extra = f" ({notes[0]})" if notes else ""
            self.message.emit(f"Saved “{saved.word}” to your words{extra}")
            self.saved.emit(saved)
            self.refresh_list()

        self.services.search.submit(job, "save-word", on_result=done,
                                    on_error=lambda text: self.message.emit(
                                        f"The word was not saved: {text}"))
        return True

    # -- the Words list -----------------------------------------------------------------------

    def refresh_list(self) -> None:
        store, text = self.store, self.words_list.filter.text()
        self.services.search.submit(
            lambda context: store.list(text), "words-list",
            on_result=lambda words: self._listed(text, words),  # type: ignore[arg-type]
            on_error=self.message.emit,
        )

    def _listed(self, text: str, words: list[SavedWord]) -> None:
        if text == self.words_list.filter.text():  # not a filter typed over since
            self.words_list.show_words(words)

    def delete(self, ids: list[int]) -> None:
        store = self.store
        self.services.search.submit(
            lambda context: store.delete(ids), "words-delete",
            on_result=lambda _count: self.refresh_list(), on_error=self.message.emit,
        )

    def choose_export(self) -> None:
        name, _ = QFileDialog.getSaveFileName(
            self.words_list, "Export saved words", str(Path.home() / "words.apkg"),
            "Anki package (*.apkg);;CSV (*.csv)",
        )
        if name:
            self.export(Path(name))

    def export(self, target: Path) -> None:
        if target.suffix.lower() not in (".apkg", ".csv"):
            target = target.with_suffix(".apkg")
        words = list(self.words_list.words)
        write = write_csv if target.suffix.lower() == ".csv" else write_apkg
        self.services.tasks.submit(
            lambda context: write(words, target), "words-export",
            on_result=lambda count: self.message.emit(f"Exported {count} words to {target}"),
            on_error=lambda text: self.message.emit(f"Export failed: {text}"),
        )

    # -- read aloud ---------------------------------------------------------------------------

    def toggle_read_aloud(self) -> bool:
        """Say the current paragraph (the one last clicked, else the current one); again
        while speaking: stop."""
        if self.speech.speaking:
            self.speech.stop()
            return False
        view = self.pane.view
        article = view.article()
        if article is None or not article.paragraphs:
            return False
        row = view.current_paragraph()
        if self.current is not None and self.current[0] == article.key:
            row = self.current[1]
        row = max(0, min(row, len(article.paragraphs) - 1))
        text = article.paragraphs[row].text
        language = paragraph_language(article, row)
        spans = split_sentences(text, language)
        self._spoken = (row, spans)
        self.speech.rate = self.services.settings.get(keys.SPEECH_RATE)
        return self.speech.speak([text[a:b] for a, b in spans], language)

    def _sentence_started(self, index: int) -> None:
        if self._spoken is None:
            return
        row, spans = self._spoken
        start, end = spans[index]
        self.pane.view.show_search_hit(row, Side.SOURCE, start, end)

    def _speech_finished(self) -> None:
        if self._spoken is not None:
            self._spoken = None
            self.pane.view.clear_search_hit()

    def _note(self, text: str) -> None:
        self.panel.show_note(text)
        self.message.emit(text)

    def shutdown(self) -> None:
        self.speech.shutdown()
        self.dictionaries.close()

