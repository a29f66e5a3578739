from __future__ import annotations

import re

from reader.core.text.writing_systems import (
    _LATIN_LETTERS,
    Script,
    beyond_latin,
    is_right_to_left,
    script_counts,
)


def test_letters_are_counted_by_script() -> None:
    counts = script_counts("Été à Paris — 今天下雪 كتب मंत्री ภาษา 2024 !")
    assert counts[Script.LATIN] == 9
    assert counts[Script.HAN] == 4
    assert counts[Script.ARABIC] == 3
    assert counts[Script.DEVANAGARI] == 6  # vowel signs count with their consonants
    assert counts[Script.THAI] == 4
    assert script_counts("12, 34 !") == {}


def test_direction_follows_the_first_strong_letter() -> None:
    assert is_right_to_left("«2035» قمة باريس: Paris")
    assert is_right_to_left("שלום")
    assert not is_right_to_left("Paris: قمة باريس")
    assert not is_right_to_left("123")


def test_latin_letters_are_the_word_letters_below_greek() -> None:
    """The spelled-out class matches exactly what ``[^\\W\\d_\\u0370-\\U0010ffff]`` matches."""
    reference = re.compile(r"[^\W\d_\u0370-\U0010ffff]")
    for code in [*range(0x3000), 0x1F600, 0x20000, 0x10FFFF]:
        ch = chr(code)
        assert bool(_LATIN_LETTERS.fullmatch(ch)) == bool(reference.fullmatch(ch)), hex(code)
    assert script_counts("Élan² vital, n° 3 — ça ſuffit ʼ") == {Script.LATIN: 20}


def test_beyond_latin_says_when_another_script_may_be_there() -> None:
    assert not beyond_latin("Le « Vietnam » : tiếng Việt — 3 € ’")
    assert beyond_latin("Paris 北京")
    assert beyond_latin("Αθήνα")
    for text in ("Paris", "tiếng Việt", "— ’ «»", "北京", "قمة", "Москва"):
        assert beyond_latin(text) == (set(script_counts(text)) - {Script.LATIN} != set())
