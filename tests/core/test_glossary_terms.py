"""Glossary entries, matching rules, the SQLite store and CSV/TSV files (no model)."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from reader.core.glossary.store import (
    GlossaryError,
    GlossaryStore,
    glossary_path,
    make_entry,
    read_table,
    write_table,
)
from reader.core.glossary.terms import Entry, Matcher, english_article, fingerprint, pluralize


def found(matcher: Matcher, text: str) -> list[tuple[str, str]]:
    return [(m.found, m.target) for m in matcher.find(text)]


def test_word_boundaries_case_and_french_plurals() -> None:
    m = Matcher([Entry("guerre", "conflict"), Entry("journal", "newspaper"),
                 Entry("château", "castle")], "fr", "en")
    text = "Guerre, guerres, aprèsguerre, guerrier; les journaux, deux châteaux."
    assert found(m, text) == [
        ("Guerre", "Conflict"), ("guerres", "conflicts"), ("journaux", "newspapers"),
        ("châteaux", "castles"),
    ]


def test_english_plurals_and_longest_term_first() -> None:
    m = Matcher([Entry("war", "guerre"), Entry("cold war", "guerre froide"),
                 Entry("city", "ville")], "en", "fr")
    assert found(m, "The cold wars of two cities; war.") == [
        ("cold wars", "guerres froides"), ("cities", "villes"), ("war", "guerre"),
    ]


def test_kept_term_keeps_the_form_found() -> None:
    m = Matcher([Entry("Zelensky", None)], "fr", "en")
    assert found(m, "ZELENSKY et Zelensky") == [("ZELENSKY", "ZELENSKY"),
                                                ("Zelensky", "Zelensky")]


def test_overlaps_punctuation_led_terms_and_spaces_inside_terms() -> None:
    m = Matcher([Entry("guerre", "war"), Entry("guerre froide", "cold war"),
                 Entry("froide", "cold"), Entry(".NET", None), Entry("C++", None)], "fr", "en")
    text = "La guerre\n froide, puis froide; du .NET en C++ mais pas ASP.NET ni xC++."
    assert found(m, text) == [
        ("guerre\n froide", "cold war"), ("froide", "cold"), (".NET", ".NET"), ("C++", "C++"),
    ]


def _one_pattern_reference(entries: list[Entry], text: str) -> list[tuple[int, str, str]]:
    """Every entry's forms in one alternation, longest entries first: the plainest reading
    of the matching rule, to check the word-indexed matcher against."""
    import re

    from reader.core.glossary.terms import _form_pattern, _forms

    ordered = sorted(entries, key=lambda e: (-len(e.source), e.source.lower()))
    alternatives = "|".join(
        _form_pattern(form) for e in ordered for form in _forms(e.source, "fr")
    )
    pattern = re.compile(r"(?<!\w)(?:" + alternatives + r")(?!\w)", re.IGNORECASE)
    return [(f.start(), f.group(0), "") for f in pattern.finditer(text)]


def test_word_index_finds_what_one_pattern_finds_on_the_seeds() -> None:
    import re

    seeds = Path(__file__).resolve().parents[2] / "seeds"
    texts = [p.read_text(encoding="utf-8") for p in sorted(seeds.glob("*.txt"))]
    words = sorted({w.lower() for t in texts for w in re.findall(r"\w{3,}", t)})
    # Single words, two-word terms that share first words, a term inside longer ones.
    pairs = sorted({" ".join(p.lower().split()) for t in texts
                    for p in re.findall(r"\w{4,} \w{3,}", t)})
    entries = [Entry(w, "x") for w in words[::13]] + [Entry(p, "y") for p in pairs[::9]]
    matcher = Matcher(entries, "fr", "en")
    for text in texts:
        got = [(m.start, m.found, "") for m in matcher.find(text)]
        assert got == _one_pattern_reference(entries, text)
    assert sum(len(matcher.find(t)) for t in texts) > 200


def test_entries_apply_by_pair_and_article() -> None:
    entries = [Entry("guerre", "war", "fr", "en"), Entry("paix", "peace", "fr", "de"),
               Entry("maison", "home", scope="/a.md"), Entry("Kyiv", None)]
    applying = [e.source for e in entries if e.applies("fr", "en", "/b.md")]
    assert applying == ["guerre", "Kyiv"]
    assert [e.source for e in entries if e.applies("fr", "en", "/a.md")] == [
        "guerre", "maison", "Kyiv"]


def test_english_article_rule() -> None:
    words = ["armistice", "truce", "union", "hour", "honest broker", "European", "one-off",
             "umbrella", "owl", "ceasefire", "idea", "unimportant detail", "university",
             "FBI agent", "US law", "NASA probe", "OPEC quota"]
    assert [english_article(w) for w in words] == [
        "an", "a", "a", "an", "an", "a", "a", "an", "an", "a", "an", "an", "a",
        "an", "a", "a", "an"]


def test_a_pivot_keeps_a_target_as_often_as_the_source_had_it() -> None:
    from reader.core.glossary.terms import written_terms

    matches = Matcher([Entry("aussi", "also")], "fr", "de").find("Il vient aussi.")
    # The English middle text has "also" twice: only one was the term's.
    kept = written_terms("He also says he comes also.", matches)
    assert [(m.start, m.found, m.entry.keep) for m in kept] == [(3, "also", True)]


def test_pluralize_rules() -> None:
    assert [pluralize(w, "en") for w in ("war", "box", "city", "day")] == [
        "wars", "boxes", "cities", "days"]
    assert [pluralize(w, "fr") for w in ("guerre", "journal", "château", "prix")] == [
        "guerres", "journaux", "châteaux", "prix"]
    assert pluralize("pomme de terre", "fr") == "pommes de terre"
    assert pluralize("head of state", "en") == "heads of state"
    # No rule for the language: the target as entered (not a Latin "-s" on 冷战 or Krieg).
    assert [pluralize(w, to) for w, to in (("冷战", "zh"), ("Krieg", "de"), ("война", "ru"))] == [
        "冷战", "Krieg", "война"]


def test_case_is_ignored_beyond_ascii() -> None:
    # As a case-insensitive regular expression finds them: Turkish dotted İ, Greek accented
    # capitals, the long s.
    m = Matcher([Entry("İstanbul", None), Entry("σοφία", "wisdom"), Entry("Straſse", "road")],
                "tr", "en")
    text = "ISTANBUL, istanbul, İstanbul; ΣΟΦΊΑ σοφία; STRASSE strasse Straſse"
    assert [f for f, _ in found(m, text)] == [
        "ISTANBUL", "istanbul", "İstanbul", "ΣΟΦΊΑ", "σοφία", "STRASSE", "strasse", "Straſse"]


def test_fingerprint_changes_only_with_what_applied() -> None:
    m1 = Matcher([Entry("guerre", "war")], "fr", "en")
    m2 = Matcher([Entry("guerre", "conflict")], "fr", "en")
    text = "La guerre."
    assert fingerprint(m1.find("Rien ici.")) == ""
    assert fingerprint(m1.find(text)) != fingerprint(m2.find(text))
    assert fingerprint(m1.find(text)) == fingerprint(m1.find("Une guerre !"))


def test_store_round_trip_private_file(isolated_xdg: dict[str, Path]) -> None:
    store = GlossaryStore()
    assert store.add(make_entry("guerre", "conflict", "fr", "en"))
    assert store.add(make_entry("Guerre", "conflict", "fr", "en"))  # same key, new spelling
    assert not store.add(make_entry("Guerre", "conflict", "fr", "en"))  # unchanged
    assert store.add(make_entry("Zelensky", None))
    assert store.add(make_entry("guerre", "war", "fr", "en"))  # changed target
    assert [(e.source, e.target) for e in store.entries()] == [
        ("guerre", "war"), ("Zelensky", None)]
    mode = stat.S_IMODE(os.stat(glossary_path()).st_mode)
    assert mode == 0o600
    assert glossary_path().parent == isolated_xdg["XDG_DATA_HOME"] / "bilingual-reader"
    assert [e.source for e in store.remove("GUERRE")] == ["guerre"]
    assert [e.source for e in GlossaryStore().entries()] == ["Zelensky"]  # on disk


def test_bad_entries_are_one_line_errors() -> None:
    with pytest.raises(GlossaryError, match="empty"):
        make_entry("  ", "x")
    with pytest.raises(GlossaryError, match="no letter"):
        make_entry("!!", "x")
    with pytest.raises(GlossaryError, match="line 3: the source term is empty"):
        read_table("source,target\nguerre,war\n,peace\n", "g.csv")


def test_csv_and_tsv_read_and_write_back() -> None:
    entries = read_table("guerre\tconflict\tfr\ten\nZelensky\t\nmaison\thome\tfr\ten\t/a.md\n")
    assert entries == [Entry("guerre", "conflict", "fr", "en"), Entry("Zelensky", None),
                       Entry("maison", "home", "fr", "en", "/a.md")]
    text = write_table(entries)
    assert text.splitlines()[0] == "source,target,from,to,article"
    assert read_table(text) == entries
