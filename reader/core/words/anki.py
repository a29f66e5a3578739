"""Saved words out: an Anki package (``.apkg``) or a CSV file.

The ``.apkg`` is written by genanki (MIT; its dependencies: chevron MIT, PyYAML MIT,
cached-property BSD, frozendict LGPL-3.0 — a library used unchanged, as PySide6 is). One
note per word with the fields Word, Lemma, Meaning, Sentence (the word in bold) and
Translation. The note type and deck have fixed ids and each note's guid comes from the
word, its sentence and its article, so importing a newer export updates the cards instead
of adding copies.
"""

from __future__ import annotations

import csv
import html
import io
import re
from collections.abc import Sequence
from pathlib import Path

from reader.core.words.saved import SavedWord
from reader.private_files import write_atomic

MODEL_ID = 1607392319  # fixed: Anki recognises the note type on every import
DECK_ID = 2059400110
DECK_NAME = "Bilingual reader"
FIELDS = ("Word", "Lemma", "Meaning", "Sentence", "Translation")
CSV_COLUMNS = ("word", "lemma", "meaning", "sentence", "translation", "target_word",
               "language", "target_language", "article_title", "article_path")


def marked_sentence(saved: SavedWord) -> str:
    """The sentence as HTML with the word in ``<b>``: at its saved position when it is
    there, else its first whole-word occurrence (any case)."""
    sentence, word = saved.sentence, saved.word
    if not sentence:
        return html.escape(word)
    start = saved.position
    if not (start >= 0 and sentence[start : start + len(word)] == word):
        match = re.search(rf"(?<!\w){re.escape(word)}(?!\w)", sentence, re.IGNORECASE)
        start = match.start() if match else -1
    if start < 0:
        return html.escape(sentence)
    end = start + len(word)
    return (html.escape(sentence[:start]) + "<b>" + html.escape(sentence[start:end]) + "</b>"
            + html.escape(sentence[end:]))


def _meaning_html(text: str) -> str:
    return "<br>".join(html.escape(line) for line in text.strip().splitlines())


def note_fields(saved: SavedWord) -> list[str]:
    return [html.escape(saved.word), html.escape(saved.lemma or saved.word),
            _meaning_html(saved.meaning), marked_sentence(saved), html.escape(saved.translation)]


def write_apkg(words: Sequence[SavedWord], target: Path) -> int:
    """Write ``words`` as an Anki package at ``target``; returns the number of notes."""
    import genanki  # imported here: only exports need it

    model = genanki.Model(
        MODEL_ID,
        "Bilingual reader word",
        fields=[{"name": name} for name in FIELDS],
        templates=[{
            "name": "Word → meaning",
            "qfmt": "<div class=word>{{Word}}</div><div class=sentence>{{Sentence}}</div>",
            "afmt": "{{FrontSide}}<hr id=answer><div>{{Lemma}}</div><div>{{Meaning}}</div>"
                    "<div class=translation>{{Translation}}</div>",
        }],
        css=".card { font-family: sans-serif; font-size: 20px; text-align: center; }"
            " .word { font-size: 28px; } .translation { color: #555; }",
    )
    deck = genanki.Deck(DECK_ID, DECK_NAME)
    for saved in words:
        deck.add_note(genanki.Note(
            model=model, fields=note_fields(saved),
            guid=genanki.guid_for(saved.word, saved.sentence, saved.article_path),
        ))
    # genanki writes through its own temporary SQLite file, then zips it to the path given:
    # written beside the target and renamed, so a failed export leaves no half file.
    partial = target.with_name(f".{target.name}.part")
    try:
        genanki.Package(deck).write_to_file(str(partial))
        data = partial.read_bytes()
    finally:
        partial.unlink(missing_ok=True)
    write_atomic(target, data, shared=True)
    return len(words)


def write_csv(words: Sequence[SavedWord], target: Path) -> int:
    """Write ``words`` as CSV (UTF-8, a header line; the columns in ``CSV_COLUMNS``)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for saved in words:
        writer.writerow([getattr(saved, column) for column in CSV_COLUMNS])
    write_atomic(target, buffer.getvalue().encode("utf-8"), shared=True)
    return len(words)
