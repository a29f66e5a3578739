"""Saved words in SQLite (0600) and their export: a real Anki package read back as SQLite,
and CSV."""

from __future__ import annotations

import csv
import json
import sqlite3
import stat
import zipfile
from pathlib import Path

import pytest

from reader.core.words.anki import marked_sentence, write_apkg, write_csv
from reader.core.words.lemma import candidates, clean_word, lemma
from reader.core.words.saved import SavedWord, SavedWords, words_path

MAISONS = SavedWord(
    word="maisons", lemma="maison", language="fr", sentence="Les maisons sont grandes.",
    translation="The houses are big.", target_word="houses", target_language="en",
    meaning="maison /mɛzɔ̃/ <n, fem>\nhouse", article_path="/lib/a.txt",
    article_title="Un article", paragraph=2, position=4,
)


@pytest.mark.parametrize(("word", "expected"), [
    ("maisons", "maison"), ("allaient", "aller"), ("étaient", "être"), ("chevaux", "cheval"),
    ("grandes", "grand"), ("yeux", "œil"), ("Maisons", "maison"),
])
def test_french_lemmas(word: str, expected: str) -> None:
    assert lemma(word, "fr") == expected


def test_clean_word_and_candidates() -> None:
    assert clean_word("«l’homme»,", "fr") == "homme"
    assert clean_word("qu'il", "fr") == "il"
    assert clean_word("jusqu'au", "fr") == "au"
    assert candidates("Maisons", "fr") == ["Maisons", "maison"]
    assert lemma("houses", "en") == "house"
    assert lemma("maisons", "xx") == "maisons"  # a language simplemma lacks


def test_store_add_list_filter_delete() -> None:
    store = SavedWords()
    first = store.add(MAISONS)
    assert first.id > 0 and first.added > 0
    assert stat.S_IMODE(words_path().stat().st_mode) == 0o600
    again = store.add(SavedWord(**{**MAISONS.as_json(), "id": 0, "added": 0.0,
                                   "meaning": "house (updated)"}))
    assert again.id == first.id  # same word, sentence and article: updated, not doubled
    other = store.add(SavedWord(word="allaient", lemma="aller", sentence="Ils allaient.",
                                article_path="/lib/b.txt"))
    assert [w.word for w in store.list()] == ["allaient", "maisons"]
    assert store.list()[1].meaning == "house (updated)"
    assert [w.word for w in store.list("HOUSES")] == ["maisons"]  # filter on the translation
    assert [w.word for w in store.list("aller")] == ["allaient"]  # on the lemma
    assert store.delete([other.id]) == 1
    assert [w.word for w in store.list()] == ["maisons"]
    with pytest.raises(ValueError):
        store.add(SavedWord(word="  "))


def test_marked_sentence() -> None:
    assert marked_sentence(MAISONS) == "Les <b>maisons</b> sont grandes."
    moved = SavedWord(word="grandes", sentence="Les <grandes> & les GRANDES.", position=-1)
    assert marked_sentence(moved) == "Les &lt;<b>grandes</b>&gt; &amp; les GRANDES."
    assert marked_sentence(SavedWord(word="x", sentence="rien")) == "rien"


def test_apkg_is_a_real_anki_package(tmp_path: Path) -> None:
    words = [MAISONS, SavedWord(word="allaient", lemma="aller", sentence="Ils allaient loin.",
                                translation="They went far.", meaning="aller\n1. fare",
                                article_path="/lib/b.txt")]
    target = tmp_path / "words.apkg"
    assert write_apkg(words, target) == 2
    with zipfile.ZipFile(target) as package:
        assert set(package.namelist()) >= {"collection.anki2", "media"}
        assert json.loads(package.read("media")) == {}
        package.extract("collection.anki2", tmp_path)
    db = sqlite3.connect(tmp_path / "collection.anki2")
    notes = sorted(db.execute("SELECT flds, sfld, mid FROM notes").fetchall())
    assert [n[0].split("\x1f") for n in notes] == [
        ["allaient", "aller", "aller<br>1. fare", "Ils <b>allaient</b> loin.", "They went far."],
        ["maisons", "maison", "maison /mɛzɔ̃/ &lt;n, fem&gt;<br>house",
         "Les <b>maisons</b> sont grandes.", "The houses are big."],
    ]
    assert {n[1] for n in notes} == {"allaient", "maisons"}
    assert {n[2] for n in notes} == {1607392319}
    assert db.execute("SELECT count(*), min(ord), max(ord) FROM cards").fetchone() == (2, 0, 0)
    guids = [g for (g,) in db.execute("SELECT guid FROM notes")]
    db.close()
    # The same words exported again keep their guids (Anki updates instead of duplicating).
    write_apkg(words, tmp_path / "again.apkg")
    with zipfile.ZipFile(tmp_path / "again.apkg") as package:
        package.extract("collection.anki2", tmp_path / "again")
    db = sqlite3.connect(tmp_path / "again" / "collection.anki2")
    assert [g for (g,) in db.execute("SELECT guid FROM notes")] == guids
    db.close()


def test_csv(tmp_path: Path) -> None:
    target = tmp_path / "words.csv"
    assert write_csv([MAISONS], target) == 1
    with target.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    assert rows[0][:5] == ["word", "lemma", "meaning", "sentence", "translation"]
    assert rows[1][:6] == ["maisons", "maison", "maison /mɛzɔ̃/ <n, fem>\nhouse",
                           "Les maisons sont grandes.", "The houses are big.", "houses"]
