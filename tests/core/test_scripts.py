from __future__ import annotations

from reader.core.scripts import Script, is_right_to_left, script_counts


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
