"""Where every row of a document is, laying out only the rows asked for. QtGui only.

Opening a document costs one C-speed pass over its text lengths: each row gets an *estimated*
height from its text's length, the column width and the font (``heights``). A row is laid
out (``QTextLayout``) only when asked for — the view asks for the rows on screen plus a
margin — and its real height then corrects the estimate (``RowHeights``: O(log n) per
change). Laid-out rows live in a small LRU cache: memory and the cost of opening do not grow
with the document beyond a few numbers per row. Keeping what the reader is reading in place
while heights above it change is the scroller's job (it anchors on a row).
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterable, Sequence
from operator import attrgetter

from reader.core.articles.article import Paragraph
from reader.core.presentation.row_display import RowDisplay, row_display
from reader.core.translation.results import ParagraphTranslation
from reader.ui.reading_view.heights import RowHeights
from reader.ui.reading_view.row_layout import (
    MARGIN,
    LayoutOptions,
    RowLayout,
    RowLayouter,
    Typography,
)
from reader.ui.reading_view.types import Layout

# Laid-out rows kept: several screens of one-line paragraphs (a screen of rows is laid out
# again only after scrolling this far away from it).
CACHE_ROWS = 600
_TEXT = attrgetter("text")


class DocumentLayout:
    def __init__(self, options: LayoutOptions | None = None, width: float = 800.0) -> None:
        self._layouter = RowLayouter(options or LayoutOptions(), width)
        self._paragraphs: Sequence[Paragraph] = ()
        self._translations: list[ParagraphTranslation | None] = []
        self._heights = RowHeights()
        self._measured = bytearray()
        self._cache: OrderedDict[int, RowLayout] = OrderedDict()
        self._editing: tuple[int, float] | None = None  # (row, editor content height)
        self.rows_laid_out = 0  # QTextLayout passes done (tests and the bench count them)

    # -- content -----------------------------------------------------------------------------

    def set_rows(
        self, paragraphs: Sequence[Paragraph], offsets: Sequence[int] | None = None
    ) -> None:
        """A new document: every row estimated, none laid out, no translations.
        ``offsets``: the running total of the paragraphs' text lengths when already made
        (``Article.text_offsets``, made on a worker: ~6 ms for a book on the GUI thread)."""
        self._paragraphs = paragraphs
        self._translations = [None] * len(paragraphs)
        self._editing = None
        self._cache.clear()
        self._measured = bytearray(len(paragraphs))
        coefficients = self._layouter.estimate_coefficients()
        if offsets is not None and len(offsets) == len(paragraphs) + 1:
            self._heights.reset_offsets(offsets, *coefficients)
        else:
            # C-speed passes only: no Python code runs per paragraph here.
            self._heights.reset(map(len, map(_TEXT, paragraphs)), *coefficients)

    def __len__(self) -> int:
        return len(self._paragraphs)

    def paragraph(self, row: int) -> Paragraph:
        return self._paragraphs[row]

    def translation(self, row: int) -> ParagraphTranslation | None:
        return self._translations[row]

    def translations(self) -> list[ParagraphTranslation | None]:
        return list(self._translations)

    def set_translation(self, row: int, translation: ParagraphTranslation | None) -> None:
        self._translations[row] = translation
        self.invalidate(row)

    def set_translations(
        self, translations: Sequence[ParagraphTranslation | None],
        rows_of: Sequence[Paragraph] | None = None,
    ) -> int:
        """One translation per row at once (``None`` keeps a row's own); returns how many
        were set (none when the count is not the rows'). Each must be the translation of
        its row's paragraph (``ParagraphTranslation.is_of``: a stale one is left out),
        checked unless ``rows_of``, the paragraphs they were made from, are the very
        paragraphs shown. The rows are laid out again when next asked for."""
        if len(translations) != len(self._paragraphs):
            return 0
        if rows_of is None or rows_of is not self._paragraphs:
            rows = self._paragraphs
            translations = [
                t if t is not None and t.index == row and t.is_of(rows[row].text) else None
                for row, t in enumerate(translations)
            ]
        # Not ``count(None)``: that compares each translation with None through its
        # dataclass ``__eq__`` (Python code: 18 ms for a book's 40,000 on the GUI thread).
        shown = len(list(filter(None, translations)))
        if not shown:
            return 0
        if not self._any_translation():
            self._translations = list(translations)  # a C-speed copy: the usual case
        else:
            self._translations = [new if new is not None else old for new, old in
                                  zip(translations, self._translations, strict=True)]
        self._cache.clear()
        self._measured = bytearray(len(self._paragraphs))
        return shown

    def add_translations(self, batch: Iterable[ParagraphTranslation]) -> list[int]:
        """Each translation of ``batch`` in its row when it is the translation of that
        row's paragraph (a stale one is left out); returns the rows set, in order."""
        rows, count = self._paragraphs, len(self._paragraphs)
        shown = []
        for translation in batch:
            index = translation.index
            if 0 <= index < count and translation.is_of(rows[index].text):
                self.set_translation(index, translation)
                shown.append(index)
        return shown

    def clear_translations(self) -> bool:
        """No translations; False when there were none (heights stay: nothing changed)."""
        if not self._any_translation():
            return False
        self._translations = [None] * len(self._paragraphs)
        self._reestimate()
        return True

    def _any_translation(self) -> bool:
        # Truth tests at C speed (not ``count(None)``: that compares each translation with
        # None through its dataclass ``__eq__``, Python code per row of a 40,000-row book).
        return any(filter(None, self._translations))

    def display(self, row: int) -> RowDisplay:
        return row_display(self._paragraphs[row].text, self._translations[row])

    def invalidate(self, row: int) -> None:
        """The row's content changed: laid out again when next asked for. Its height stays
        what it was until then (a row off screen moves nothing)."""
        self._cache.pop(row, None)
        self._measured[row] = 0

    # -- options -----------------------------------------------------------------------------

    @property
    def options(self) -> LayoutOptions:
        return self._layouter.options

    @property
    def width(self) -> float:
        return self._layouter.width

    @property
    def typography(self) -> Typography:
        return self._layouter.typography

    def columns(self) -> tuple[float, float, float]:
        return self._layouter.columns

    def configure(self, options: LayoutOptions, width: float) -> bool:
        """New options or width: every row estimated again (False when nothing changed)."""
        if options == self._layouter.options and width == self._layouter.width:
            return False
        self._layouter = RowLayouter(options, width)
        self._reestimate()
        return True

    def set_editing(self, row: int | None, height: float = 0.0) -> None:
        """The in-place editor covers ``row``'s translation, its content ``height`` tall."""
        before = self._editing
        self._editing = (row, height) if row is not None else None
        for changed in {before[0] if before else None, row}:
            if changed is not None and 0 <= changed < len(self._paragraphs):
                self.invalidate(changed)

    def _reestimate(self) -> None:
        self._cache.clear()
        self._measured = bytearray(len(self._paragraphs))
        self._heights.reestimate(*self._layouter.estimate_coefficients())

    # -- geometry ----------------------------------------------------------------------------

    def heading_height(self) -> float:
        options = self._layouter.options
        if options.show_translation and options.mode is Layout.SIDE_BY_SIDE and self._paragraphs:
            return self._layouter.typography.note_height * 2.6
        return 0.0

    def origin(self) -> float:
        """Where the first row starts (under the column headings)."""
        return MARGIN * 0.8 + self.heading_height()

    def top(self, row: int) -> float:
        return self.origin() + self._heights.top(row)

    def span(self, row: int) -> float:
        """The row's height plus the gap below it."""
        return self._heights.span(row)

    def height(self, row: int) -> float:
        cached = self._cache.get(row)
        if cached is not None:
            return cached.height
        return self._heights.span(row) - self.gap(row)

    def gap(self, row: int) -> float:
        return self._layouter.gap(self._paragraphs[row].kind)

    def content_height(self) -> float:
        return self.origin() + self._heights.total() + MARGIN

    def row_at(self, y: float) -> int:
        """The row at content ``y`` (the nearest one above it between rows; -1 if none)."""
        return self._heights.index_at(y - self.origin())

    def is_laid_out(self, row: int) -> bool:
        return bool(self._measured[row]) and row in self._cache

    def cached_rows(self) -> int:
        return len(self._cache)

    def row(self, row: int) -> RowLayout:
        """The row laid out (now, if it was not); its real height replaces the estimate."""
        cached = self._cache.get(row)
        if cached is not None and self._measured[row]:
            self._cache.move_to_end(row)
            return cached
        editing = self._editing
        layout = self._layouter.lay_out(
            self.display(row), self._paragraphs[row].kind,
            editing_height=editing[1] if editing is not None and editing[0] == row else None,
        )
        self.rows_laid_out += 1
        self._cache[row] = layout
        self._measured[row] = 1
        self._heights.set_span(row, layout.height + self.gap(row))
        while len(self._cache) > CACHE_ROWS:
            self._cache.popitem(last=False)
        return layout
