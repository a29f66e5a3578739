"""Row heights (plain Python): estimates from text lengths, corrections, tops, the row at a
height, checked against a plain list of spans."""

from __future__ import annotations

import random
from itertools import accumulate

from reader.ui.reading_view.heights import RowHeights


def _tops(spans: list[float]) -> list[float]:
    return list(accumulate(spans, initial=0.0))


def test_estimates_come_from_lengths() -> None:
    heights = RowHeights([10, 0, 30], per_char=0.5, per_row=4.0)
    assert [heights.span(i) for i in range(3)] == [9.0, 4.0, 19.0]
    assert [heights.top(i) for i in range(4)] == [0.0, 9.0, 13.0, 32.0]
    assert heights.total() == 32.0
    assert len(heights) == 3


def test_corrections_move_the_rows_below_and_row_at_finds_them() -> None:
    rng = random.Random(7)
    lengths = [rng.randrange(0, 500) for _ in range(1000)]
    heights = RowHeights(lengths, per_char=0.2, per_row=10.0)
    spans = [length * 0.2 + 10.0 for length in lengths]
    for _ in range(300):
        index = rng.randrange(len(spans))
        span = rng.uniform(5, 200)
        assert abs(heights.set_span(index, span) - (span - spans[index])) < 1e-6
        spans[index] = span
    tops = _tops(spans)
    for index in range(0, 1000, 37):
        assert abs(heights.top(index) - tops[index]) < 1e-6
        assert abs(heights.span(index) - spans[index]) < 1e-6
    assert abs(heights.total() - tops[-1]) < 1e-6
    for _ in range(200):
        y = rng.uniform(0, tops[-1] - 1e-3)
        index = heights.index_at(y)
        assert tops[index] <= y < tops[index + 1] + 1e-6
    assert heights.index_at(-5) == 0
    assert heights.index_at(tops[-1] + 100) == 999


def test_reestimating_drops_corrections() -> None:
    heights = RowHeights([100, 100], per_char=1.0, per_row=0.0)
    heights.set_span(0, 30.0)
    assert heights.top(1) == 30.0
    heights.reestimate(per_char=0.5, per_row=1.0)
    assert heights.top(1) == 51.0 and heights.total() == 102.0


def test_no_rows() -> None:
    heights = RowHeights()
    assert heights.index_at(10) == -1 and heights.total() == 0.0
