"""The hovered word and its counterparts, from word links (plain Python, no widgets)."""

from __future__ import annotations

from reader.core.words.alignment import WordLink
from reader.ui.reading_view.types import Side
from reader.ui.reading_view.word_marks import WordMarks, word_counterparts

# "La maison est grande." → "The big house is." with "grande" → "big", "maison" → "house",
# and "La" → "The"; "est" → "is".
LINKS = (
    WordLink(0, 2, 0, 3),
    WordLink(3, 9, 8, 13),
    WordLink(10, 13, 14, 16),
    WordLink(14, 20, 4, 7),
)


def test_a_source_word_lights_its_target_word() -> None:
    assert word_counterparts(LINKS, Side.SOURCE, 5) == {
        Side.SOURCE: [(3, 9)], Side.TARGET: [(8, 13)]
    }
    assert word_counterparts(LINKS, Side.TARGET, 4) == {
        Side.TARGET: [(4, 7)], Side.SOURCE: [(14, 20)]
    }
    assert word_counterparts(LINKS, Side.SOURCE, 2) == {}  # the space after "La"


def test_a_word_linked_twice_lights_both() -> None:
    links = (WordLink(0, 2, 0, 6), WordLink(3, 5, 0, 6))
    assert word_counterparts(links, Side.TARGET, 1) == {
        Side.TARGET: [(0, 6)], Side.SOURCE: [(0, 2), (3, 5)]
    }


def test_marks_by_row_with_the_text_they_belong_to() -> None:
    marks = WordMarks()
    assert marks.needs(3, "The big house is.")
    assert not marks.needs(3, "The big house is.")  # asked once
    marks.set_links(3, "The big house is.", [LINKS[:2], LINKS[2:]])
    assert marks.has_links(3, "The big house is.")
    assert marks.set_hover((3, Side.SOURCE, 11))
    assert marks.ranges(3) == {Side.SOURCE: [(10, 13, "word")], Side.TARGET: [(14, 16, "word")]}
    assert marks.ranges(4) == {}
    assert not marks.set_hover((3, Side.SOURCE, 12))  # same word: nothing changes
    # The row's translation changed (an edit): the links are dropped and asked again.
    assert marks.needs(3, "My own text.")
    assert marks.links(3) == ()
    marks.forget_row(3)
    assert marks.hover is None


def test_the_word_around_an_offset() -> None:
    from reader.ui.reading_view.word_marks import word_around

    text = "L'homme « libre » arrive."
    assert word_around(text, 3) == "homme"
    assert word_around(text, 0) == "L"
    assert word_around(text, 1) == ""  # the apostrophe
    assert word_around(text, 11) == "libre"
    assert word_around(text, 99) == ""
