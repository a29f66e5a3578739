"""Row heights of a long document: where each row starts, and which row is at a height.

A row not laid out yet is *estimated* linearly from its text's length:
``span = length × per_char + per_row`` (height plus the gap below it). The sum of the
estimates before a row then comes from the running total of the text lengths, with no work
per row: opening a 100,000-paragraph book costs one pass of C-speed ``accumulate`` over the
lengths, and a change of width or layout costs nothing per row at all. A row laid out
records its *correction* (real span minus estimate) in a Fenwick tree, so a row's top is the
estimate plus the corrections before it, O(log n), and finding the row at a height is a
binary search over tops. Plain Python, no Qt.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from itertools import accumulate


class RowHeights:
    def __init__(self, lengths: Iterable[int] = (), per_char: float = 0.0,
                 per_row: float = 0.0) -> None:
        self._cumulative: Sequence[int] = [0]
        self.reset(lengths, per_char, per_row)

    def reset(self, lengths: Iterable[int], per_char: float, per_row: float) -> None:
        """New rows (their text lengths) and estimate coefficients; no corrections."""
        self.reset_offsets(list(accumulate(lengths, initial=0)), per_char, per_row)

    def reset_offsets(
        self, offsets: Sequence[int], per_char: float, per_row: float
    ) -> None:
        """New rows given by the running total of their lengths (``offsets``: one more
        entry than rows, starting at 0; kept, not copied: a book's are made on a worker,
        ``Article.text_offsets``), and estimate coefficients; no corrections."""
        self._cumulative = offsets
        self.reestimate(per_char, per_row)

    def reestimate(self, per_char: float, per_row: float) -> None:
        """New coefficients (another width, font or layout): every correction dropped."""
        size = len(self._cumulative) - 1
        self._per_char = per_char
        self._per_row = per_row
        self._corrections = [0.0] * size
        self._tree = [0.0] * size  # the Fenwick tree of an all-zero array is all zeros
        self._corrected = 0.0

    def __len__(self) -> int:
        return len(self._corrections)

    def estimate(self, index: int) -> float:
        length = self._cumulative[index + 1] - self._cumulative[index]
        return length * self._per_char + self._per_row

    def span(self, index: int) -> float:
        return self.estimate(index) + self._corrections[index]

    def set_span(self, index: int, span: float) -> float:
        """Row ``index`` is ``span`` tall (gap included); returns by how much it changed."""
        delta = span - self.span(index)
        if delta == 0:
            return 0.0
        self._corrections[index] += delta
        self._corrected += delta
        tree, size = self._tree, len(self._tree)
        while index < size:
            tree[index] += delta
            index |= index + 1
        return delta

    def top(self, index: int) -> float:
        """The sum of the spans of the rows before ``index``."""
        total = self._cumulative[index] * self._per_char + index * self._per_row
        tree = self._tree
        index -= 1
        while index >= 0:
            total += tree[index]
            index = (index & (index + 1)) - 1
        return total

    def total(self) -> float:
        size = len(self._corrections)
        return self._cumulative[size] * self._per_char + size * self._per_row + self._corrected

    def index_at(self, y: float) -> int:
        """The row whose span contains ``y`` (the last row at or past the end; 0 above 0;
        -1 when there are no rows)."""
        size = len(self._corrections)
        if not size:
            return -1
        low, high = 0, size - 1  # the last row whose top is at or above y
        while low < high:
            middle = (low + high + 1) // 2
            if self.top(middle) <= y:
                low = middle
            else:
                high = middle - 1
        return low
