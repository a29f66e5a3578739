"""Hover, pin and the library search hit (plain Python, no Qt)."""

from __future__ import annotations

from reader.core.articles.article import ParagraphKind
from reader.core.translation.results import ParagraphStatus, ParagraphTranslation, SentencePair
from reader.ui.reading_view.highlight import HighlightState, pair_containing, snap_to_match
from reader.ui.reading_view.types import Match, PairRef, Side

SOURCE = "Le chat dort. Il rêve."
TARGET = "The cat sleeps. It dreams."
PAIRS = (SentencePair("Le chat dort.", "The cat sleeps.", 0, 13, 0, 15),
         SentencePair("Il rêve.", "It dreams.", 14, 22, 16, 26))
TRANSLATION = ParagraphTranslation(2, SOURCE, TARGET, ParagraphKind.BODY,
                                   ParagraphStatus.TRANSLATED, "fr", PAIRS)


def _state() -> HighlightState:
    return HighlightState(lambda row: TRANSLATION if row == 2 else None)


def test_the_pinned_pair_wins_over_the_hover() -> None:
    state = _state()
    assert state.set_hover(PairRef(2, 1)) and not state.set_hover(PairRef(2, 1))
    assert state.highlighted_spans() == {Side.SOURCE: (2, 14, 22), Side.TARGET: (2, 16, 26)}
    state.pinned = PairRef(2, 0)
    assert state.highlighted_spans()[Side.TARGET] == (2, 0, 15)
    ranges = state.ranges(2)
    assert (16, 26, "hover") in ranges[Side.TARGET] and (0, 15, "pinned") in ranges[Side.TARGET]
    assert state.ranges(3) == {}
    state.forget_row(2)  # a new translation: its pairs are not the old ones
    assert state.hover is None and state.pinned is None and state.highlighted_spans() == {}


def test_a_pair_that_no_longer_exists_lights_nothing() -> None:
    state = _state()
    state.pinned = PairRef(2, 9)
    assert state.highlighted_spans() == {} and state.pair(PairRef(5, 0)) is None


def test_a_search_hit_lights_its_sentence_on_the_other_side() -> None:
    state = _state()
    state.search_mark = Match(2, Side.SOURCE, 17, 21)  # "rêve"
    assert state.search_highlights() == {Side.SOURCE: (2, 17, 21), Side.TARGET: (2, 16, 26)}
    ranges = state.ranges(2)
    assert ranges[Side.SOURCE] == [(17, 21, "find_current")]
    assert ranges[Side.TARGET] == [(16, 26, "pinned")]
    state.search_mark = Match(2, Side.SOURCE, 0, 0)  # nothing matched on screen
    assert state.search_highlights() == {}


def test_find_matches_are_painted_with_the_current_one_apart() -> None:
    state = _state()
    first, second = Match(2, Side.SOURCE, 0, 2), Match(2, Side.TARGET, 4, 7)
    ranges = state.ranges(2, [first, second], current=second)
    assert ranges == {Side.SOURCE: [(0, 2, "find")], Side.TARGET: [(4, 7, "find_current")]}


def test_pair_containing_and_snapping() -> None:
    assert pair_containing(TRANSLATION, Side.TARGET, 20) == 1
    assert pair_containing(TRANSLATION, Side.SOURCE, 13) is None  # the space between
    assert pair_containing(None, Side.SOURCE, 0) is None
    # A span found in a cached text moves to the nearest match in the text on screen.
    assert snap_to_match(SOURCE, "reve", 0, 4) == (17, 21)
    assert snap_to_match(SOURCE, "chat", 3, 7) == (3, 7)
    assert snap_to_match(SOURCE, "chien", 3, 8) == (0, 0)


def test_glossary_terms_are_marked_under_everything_and_conflicts_flagged() -> None:
    import dataclasses

    from reader.core.translation.results import GlossaryMark, ParagraphStatus

    marks = (GlossaryMark(0, 3, 4, 7, "war"), GlossaryMark(8, 12, -1, -1, "home"))
    translated = dataclasses.replace(TRANSLATION, glossary=marks)
    state = HighlightState(lambda row: translated if row == 2 else None)
    ranges = state.ranges(2)
    assert ranges[Side.SOURCE][:2] == [(0, 3, "glossary"), (8, 12, "glossary")]
    assert ranges[Side.TARGET][0] == (4, 7, "glossary")
    edited = dataclasses.replace(translated, status=ParagraphStatus.EDITED)
    state = HighlightState(lambda row: edited if row == 2 else None)
    assert state.ranges(2)[Side.SOURCE][:2] == [(0, 3, "glossary"),
                                              (8, 12, "glossary_conflict")]
    assert state.ranges(1) == {}
