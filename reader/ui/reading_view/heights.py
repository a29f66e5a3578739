"""Row heights of a long document: where each row starts, and which row is at a height.

A Fenwick (binary indexed) tree over the rows' vertical spans (height plus the gap below):
changing one row and asking for a row's top or the row at a height both cost O(log n), so a
row laid out in a 100,000-row document moves everything below it without touching it.
Plain Python, no Qt.
"""

from __future__ import annotations

from collections.abc import Sequence


class RowHeights:
    def __init__(self, spans: Sequence[float] = ()) -> None:
        self.reset(spans)

    def reset(self, spans: Sequence[float]) -> None:
        """Start over with these spans (O(n): one pass builds the tree)."""
        self._spans = [float(span) for span in spans]
        tree = list(self._spans)
        size = len(tree)
        for index in range(size):
            parent = index | (index + 1)
            if parent < size:
                tree[parent] += tree[index]
        self._tree = tree
        self._total = sum(self._spans)
        # The largest power of two not above the size: where the descent in ``index_at``
        # starts.
        self._top_bit = 1 << (size.bit_length() - 1) if size else 0

    def __len__(self) -> int:
        return len(self._spans)

    def span(self, index: int) -> float:
        return self._spans[index]

    def set_span(self, index: int, span: float) -> float:
        """Change one row's span; returns by how much it changed."""
        delta = span - self._spans[index]
        if delta == 0:
            return 0.0
        self._spans[index] = span
        self._total += delta
        tree, size = self._tree, len(self._tree)
        while index < size:
            tree[index] += delta
            index |= index + 1
        return delta

    def top(self, index: int) -> float:
        """The sum of the spans of the rows before ``index``."""
        total = 0.0
        tree = self._tree
        index -= 1
        while index >= 0:
            total += tree[index]
            index = (index & (index + 1)) - 1
        return total

    def total(self) -> float:
        return self._total

    def index_at(self, y: float) -> int:
        """The row whose span contains ``y`` (the last row at or past the end; 0 above 0;
        -1 when there are no rows)."""
        size = len(self._tree)
        if not size:
            return -1
        if y <= 0:
            return 0
        # Descend the tree: the largest count of rows whose spans sum to at most y.
        position, remaining, bit = 0, y, self._top_bit
        tree = self._tree
        while bit:
            step = position + bit
            if step <= size and tree[step - 1] <= remaining:
                position = step
                remaining -= tree[step - 1]
            bit >>= 1
        return min(position, size - 1)
