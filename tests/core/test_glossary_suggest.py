"""A post-edit changing one word the same way twice is offered as a glossary entry."""

from __future__ import annotations

from reader.core.glossary.suggest import RepeatedChanges, Suggestion, word_change


def test_word_change() -> None:
    assert word_change("The war is long.", "The conflict is long.") == ("war", "conflict")
    assert word_change("The war is long.", "The armed conflict is long.") == (
        "war", "armed conflict")
    assert word_change("The war is long.", "The conflict is short.") is None
    assert word_change("The war is long.", "The war is long.") is None
    assert word_change("The war is long.", "The is long.") is None


def test_second_same_change_in_another_paragraph_is_offered_once() -> None:
    changes = RepeatedChanges()
    first = ("La guerre dure.", "The war lasts.", "The conflict lasts.")
    assert changes.note(*first) is None
    assert changes.note(*first) is None  # the same paragraph again: not a repeat
    assert changes.note("Une autre phrase.", "The house.", "The home.") is None
    second = changes.note("Cette guerre finit.", "This war ends.", "This conflict ends.")
    assert second == Suggestion("war", "conflict", ("guerre",))
    assert changes.note("La guerre encore.", "The war again.", "The conflict again.") is None
