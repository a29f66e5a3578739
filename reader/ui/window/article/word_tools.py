"""Words in the window: the links behind the word hover, and the alternatives menus.

- The view asks for a row's word links the first time the mouse is over it
  (``wordLinksWanted``); they are read from the cache or decoded on the ``search`` worker
  (quick jobs, never behind a translation window) and handed back to the view.
- Right-click a sentence → "Other translations of this sentence…"; right-click (or
  Ctrl+click) a word of the translation → "Alternatives for “word”…". The decoding runs on
  the ``search`` worker; its result is a popup menu at the place clicked. Choosing an entry
  stores the paragraph with that sentence replaced, through the post-edit path
  (``PostEdits.save_edit``: on screen at once, written on the edits worker).
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QObject, QPoint, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu

from reader.core.translation.decoder import Decoder
from reader.core.translation.results import ParagraphStatus, ParagraphTranslation
from reader.core.words.alignment import paragraph_words
from reader.core.words.alternatives import (
    replace_sentence,
    sentence_alternatives,
    word_alternatives,
)
from reader.ui.reading_pane import ReadingPane
from reader.ui.reading_view.types import Side, pair_span
from reader.ui.window.article.post_edits import PostEdits
from reader.ui.window.article.session import ArticleSession
from reader.ui.window.services import Services
from reader.ui.workers import JobContext

# How many alternatives the menus offer.
MENU_COUNT = 5


@dataclass(frozen=True)
class Choices:
    """Alternatives found for one sentence of one row: menu labels and sentence texts."""

    row: int
    sentence: int
    translation: str  # the paragraph's translation they were made for
    title: str
    labels: list[str]
    sentences: list[str]
    details: list[str]  # beside each label: where the sentence changes


class WordTools(QObject):
    """Word links and alternatives for the article on screen.

    Signals: ``message(text)``; ``choicesShown()`` once a menu of alternatives is up
    (:attr:`menu`), ``choicesFailed(text)`` when none could be made."""

    message = Signal(str)
    choicesShown = Signal()
    choicesFailed = Signal(str)

    def __init__(
        self, services: Services, session: ArticleSession, pane: ReadingPane,
        post_edits: PostEdits, parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.services = services
        self.session = session
        self.pane = pane
        self.post_edits = post_edits
        self.menu: QMenu | None = None
        self.choices: Choices | None = None
        view = pane.view
        view.wordLinksWanted.connect(self.fetch_links)
        view.alternativesRequested.connect(self.request_alternatives)
        self.choicesFailed.connect(self.message)  # the status bar says why

    # -- word links ----------------------------------------------------------------------------

    def fetch_links(self, row: int) -> None:
        view = self.pane.view
        translation = view.translation(row)
        if translation is None or not translation.sentences:
            return
        engine, target = self.services.engine, self.session.shown_target

        def job(context: JobContext) -> object:
            route = engine.route(translation.source_language, target)
            decoder = Decoder(engine.pool, engine.options)
            return paragraph_words(decoder, route, translation, engine.cache)

        def done(links: object) -> None:
            assert isinstance(links, tuple)
            view.set_word_links(row, translation.translation, links)

        # No word hover for a package that cannot align (BPE): say nothing, light nothing.
        self.services.search.submit(job, "word-links", on_result=done, on_error=lambda _: None)

    # -- alternatives --------------------------------------------------------------------------

    def request_alternatives(
        self, row: int, kind: str, side: str, offset: int, where: QPoint
    ) -> None:
        """``kind`` "sentence": the n best of the sentence at ``offset`` of ``side``'s text
        ("source" or "target"); "word": alternatives for the translation's word there. The
        menu pops up at ``where`` (global)."""
        view = self.pane.view
        translation = view.translation(row)
        number = _sentence_at(translation, Side(side), offset)
        if translation is None or number is None:
            self.choicesFailed.emit("No sentence of a machine translation here.")
            return
        pair = translation.sentences[number]
        engine, target = self.services.engine, self.session.shown_target
        local = offset - pair.target_start  # "word" is on the translation's side

        def job(context: JobContext) -> object:
            route = engine.route(translation.source_language, target)
            decoder = Decoder(engine.pool, engine.options)
            if kind == "word":
                found = word_alternatives(
                    decoder, route, pair.source, pair.target, local, MENU_COUNT
                )
                word = found[0].word if found else ""
                return Choices(row, number, translation.translation,
                               f"Alternatives for “{word}”",
                               [a.word for a in found], [a.sentence for a in found],
                               [_around(a.sentence, a.start) for a in found])
            texts = sentence_alternatives(decoder, route, pair.source, pair.target, MENU_COUNT)
            # Each shown from a little before where it departs from the translation.
            labels = [_around(text, _departure(texts[0], text), 24, 64) for text in texts]
            return Choices(row, number, translation.translation,
                           "Other translations of this sentence", labels, texts,
                           [""] * len(texts))

        def done(payload: object) -> None:
            assert isinstance(payload, Choices)
            self._show(payload, translation, where)

        self.message.emit("Looking for alternatives…")
        self.services.search.submit(
            job, "alternatives", on_result=done,
            on_error=lambda text: self.choicesFailed.emit(text),
        )

    def _show(self, choices: Choices, translation: ParagraphTranslation, where: QPoint) -> None:
        current = self.pane.view.translation(choices.row)
        if current is None or current.translation != choices.translation:
            return  # the row changed meanwhile (an edit, another article)
        if self.menu is not None:
            self.menu.close()
        menu = QMenu(self.pane.view)
        menu.setToolTipsVisible(True)  # each entry's whole sentence
        title = menu.addAction(choices.title)
        title.setEnabled(False)
        menu.addSeparator()
        shown = translation.sentences[choices.sentence].target
        for label, sentence, detail in zip(
            choices.labels, choices.sentences, choices.details, strict=True
        ):
            action = menu.addAction(f"{label}\t{detail}" if detail else label)
            action.setToolTip(sentence)
            action.setData(sentence)
            action.setCheckable(True)
            action.setChecked(sentence == shown)
        menu.triggered.connect(lambda action: self._chosen(choices, translation, action))
        self.menu, self.choices = menu, choices
        menu.popup(where)
        self.message.emit("")
        self.choicesShown.emit()

    def _chosen(
        self, choices: Choices, translation: ParagraphTranslation, action: QAction
    ) -> None:
        sentence = action.data()
        if not isinstance(sentence, str):
            return
        if sentence == translation.sentences[choices.sentence].target:
            return  # the one shown: nothing to keep
        text = replace_sentence(translation, choices.sentence, sentence)
        self.post_edits.save_edit(choices.row, text)


def _sentence_at(
    translation: ParagraphTranslation | None, side: Side, offset: int
) -> int | None:
    if translation is None or translation.status is ParagraphStatus.PASSTHROUGH:
        return None
    for number, pair in enumerate(translation.sentences):
        start, end = pair_span(pair, side)
        if start <= offset <= end:
            return number
    return None


def _short(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _departure(shown: str, other: str) -> int:
    """Where ``other`` first differs from ``shown`` (0 for the same text)."""
    if other == shown:
        return 0
    return next((i for i, (a, b) in enumerate(zip(shown, other, strict=False)) if a != b),
                min(len(shown), len(other)))


def _around(sentence: str, start: int, before: int = 16, limit: int = 44) -> str:
    """The sentence from a little before ``start`` (where it changes), cut to ``limit``."""
    begin = max(0, start - before)
    if begin:
        space = sentence.find(" ", begin)
        begin = space + 1 if 0 <= space < start else begin
    text = ("…" if begin else "") + sentence[begin:]
    return _short(text, limit)
