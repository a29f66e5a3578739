"""Find (Ctrl+F) on its own: the library search's matching rule, and long documents searched
in slices from the event loop."""

from __future__ import annotations

from reader.core.library.search import find_all
from reader.ui.reading_view.find import FIRST_ROWS, Finder
from reader.ui.reading_view.types import Match, Side

ROWS = [
    ("L'été sera chaud.", "Summer will be hot."),
    ("Rien ici.", ""),
    ("ÉTÉ comme hiver, l’été.", "Summer like winter, summer."),
]


def _texts(rows: list[tuple[str, str]]):  # type: ignore[no-untyped-def]
    def texts(row: int) -> list[tuple[Side, str]]:
        source, target = rows[row]
        return [(Side.SOURCE, source)] + ([(Side.TARGET, target)] if target else [])
    return texts


def test_find_ignores_case_and_accents_as_library_search_does(qtbot) -> None:  # type: ignore[no-untyped-def]
    finder = Finder(_texts(ROWS))
    with qtbot.waitSignal(finder.changed) as changed:
        finder.start("ete", len(ROWS))
    assert changed.args == [0, 3]
    assert finder.matches() == [Match(0, Side.SOURCE, 2, 5), Match(2, Side.SOURCE, 0, 3),
                                Match(2, Side.SOURCE, 19, 22)]
    # The same spans as library search finds in each text: one rule.
    for row, (source, _) in enumerate(ROWS):
        assert [(m.start, m.end) for m in finder.in_row(row)] == find_all(source, "ete")
    finder.start("SUMMER", len(ROWS))
    assert [m.side for m in finder.matches()] == [Side.TARGET] * 3


def test_stepping_wraps_and_starts_where_the_reader_is(qtbot) -> None:  # type: ignore[no-untyped-def]
    finder = Finder(_texts(ROWS))
    finder.start("ete", len(ROWS), from_row=1)
    assert finder.current() == Match(2, Side.SOURCE, 0, 3)
    with qtbot.waitSignal(finder.currentMoved):
        finder.step()
    assert finder.current_index() == 2
    finder.step()
    assert finder.current_index() == 0  # wrapped
    finder.step(backward=True)
    assert finder.current_index() == 2
    finder.start("", len(ROWS))
    assert finder.total() == 0 and finder.current() is None


def test_a_changed_row_is_searched_again(qtbot) -> None:  # type: ignore[no-untyped-def]
    rows = [list(row) for row in ROWS]
    finder = Finder(_texts(rows))  # type: ignore[arg-type]
    finder.start("summer", len(rows))
    assert finder.total() == 3
    current = finder.current()
    rows[1][1] = "Summer, summer."
    with qtbot.waitSignal(finder.changed) as changed:
        finder.refresh_row(1)
    assert changed.args[1] == 5 and finder.current() == current
    assert [m.row for m in finder.matches()] == [0, 1, 1, 2, 2]


def test_a_long_document_is_searched_in_slices(qtbot) -> None:  # type: ignore[no-untyped-def]
    rows = [(f"Paragraphe {i} : l'été arrive.", "") for i in range(60_000)]
    finder = Finder(_texts(rows))
    finder.start("été", len(rows))
    # The first slice covers at least FIRST_ROWS rows; the rest comes from the event loop.
    assert finder.total() >= FIRST_ROWS
    assert finder.current() == Match(0, Side.SOURCE, 17, 20)
    qtbot.waitUntil(lambda: not finder.scanning(), timeout=60_000)
    assert finder.total() == 60_000
    assert finder.current_index() == 0
