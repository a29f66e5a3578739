"""Find in the article (Ctrl+F): every match of a phrase in the originals and translations.

Matching is library search's rule (``reader.core.library.search.find_all``: case and
accents ignored,
"ete" finds "été"), so the find bar and the library search panel never disagree. A long
document is scanned in slices of ~12 ms from the event loop, so a 100,000-paragraph book never
freezes the window: the count grows as the scan goes (``changed``), and the current match is
the first one at or after the row the reader was at.
"""

from __future__ import annotations

import bisect
import time
from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer, Signal

from reader.core.library.search import find_all
from reader.ui.reading_view.types import Match, Side

# A slice of the scan: rows are searched until this much time has passed (checked every
# CHECK_ROWS rows), so the event loop never waits long; the first slice, run inside
# ``start``, always covers FIRST_ROWS rows (a short article is searched entirely before
# ``start`` returns, whatever the machine's load).
SLICE_SECONDS = 0.012
CHECK_ROWS = 25
FIRST_ROWS = 400
_SIDE_ORDER = {Side.SOURCE: 0, Side.TARGET: 1}


def _key(match: Match) -> tuple[int, int, int]:
    return match.row, _SIDE_ORDER[match.side], match.start


class Finder(QObject):
    """Signals: ``changed(current: int, total: int)`` (current is 0-based, -1 when there is
    no match yet); ``currentMoved()``: the current match changed (the view reveals it)."""

    changed = Signal(int, int)
    currentMoved = Signal()

    def __init__(
        self, texts: Callable[[int], list[tuple[Side, str]]], parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self._texts = texts  # row → the texts searched in it, by side
        self._query = ""
        self._rows = 0
        self._scanned = 0  # rows [0, scanned) are searched
        self._from_row = 0
        self._matches: list[Match] = []
        self._index = -1
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(0)
        self._timer.timeout.connect(self._scan_slice)

    # -- queries -----------------------------------------------------------------------------

    def query(self) -> str:
        return self._query

    def matches(self) -> list[Match]:
        return list(self._matches)

    def total(self) -> int:
        return len(self._matches)

    def current(self) -> Match | None:
        return self._matches[self._index] if 0 <= self._index < len(self._matches) else None

    def current_index(self) -> int:
        return self._index

    def scanning(self) -> bool:
        return self._scanned < self._rows

    def in_row(self, row: int) -> list[Match]:
        start = bisect.bisect_left(self._matches, row, key=lambda m: m.row)
        end = bisect.bisect_right(self._matches, row, key=lambda m: m.row)
        return self._matches[start:end]

    # -- actions -----------------------------------------------------------------------------

    def start(self, query: str, rows: int, from_row: int = 0) -> None:
        """Search ``rows`` rows for ``query``; the first slice is searched before this
        returns (a short article entirely), the rest from the event loop."""
        self._timer.stop()
        self._query = query
        self._rows = rows if query.strip() else 0
        self._scanned = 0
        self._from_row = from_row
        self._matches = []
        self._index = -1
        if not self._rows:
            self.changed.emit(-1, 0)
            return
        self._scan_slice()

    def clear(self) -> None:
        self._timer.stop()
        self._query = ""
        self._rows = self._scanned = 0
        self._matches = []
        self._index = -1

    def step(self, backward: bool = False) -> None:
        if not self._matches:
            return
        self._index = (self._index + (-1 if backward else 1)) % len(self._matches)
        self.currentMoved.emit()
        self.changed.emit(self._index, len(self._matches))

    def refresh_row(self, row: int) -> None:
        """The row's text changed (a translation arrived): its matches are found again."""
        if not self._query or row >= self._scanned:
            return  # not searched yet: the scan will get there
        current = self.current()
        start = bisect.bisect_left(self._matches, row, key=lambda m: m.row)
        end = bisect.bisect_right(self._matches, row, key=lambda m: m.row)
        found = self._search_row(row)
        if self._matches[start:end] == found:
            return
        self._matches[start:end] = found
        if current is not None and current in self._matches:
            self._index = self._matches.index(current)
        elif self._index >= len(self._matches):
            self._index = len(self._matches) - 1
        self.changed.emit(self._index, len(self._matches))

    # -- the scan ----------------------------------------------------------------------------

    def _search_row(self, row: int) -> list[Match]:
        found: list[Match] = []
        for side, text in self._texts(row):
            found.extend(Match(row, side, start, end) for start, end in find_all(text, self._query))
        return found

    def _scan_slice(self) -> None:
        first = self._scanned
        before = len(self._matches)
        deadline = time.perf_counter() + SLICE_SECONDS
        at_least = first + FIRST_ROWS if first == 0 else first + CHECK_ROWS
        row = first
        while row < self._rows:
            self._matches.extend(self._search_row(row))
            row += 1
            if row >= at_least and row % CHECK_ROWS == 0 and time.perf_counter() > deadline:
                break
        self._scanned = last = row
        moved = False
        if self._index < 0:
            # The first match at or after where the reader was; else, once everything is
            # searched, the first one.
            for number in range(before, len(self._matches)):
                if self._matches[number].row >= self._from_row:
                    self._index, moved = number, True
                    break
            if self._index < 0 and last >= self._rows and self._matches:
                self._index, moved = 0, True
        if last < self._rows:
            self._timer.start()
        if moved:
            self.currentMoved.emit()
        self.changed.emit(self._index, len(self._matches))
