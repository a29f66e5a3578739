"""The reading view: an article's paragraphs and their translations, row by row.

A package of parts, each with one purpose (the window imports what it needs from here):

- ``types``: the vocabulary (layouts, sides, references to rows and sentences, key names);
- ``reader.core.presentation.row_display`` (Qt-free, shared with the exports): what a row shows;
- ``row_layout`` (QtGui only): one row's cells laid out at a width, and hit-testing in them;
- ``heights`` (plain Python): row tops of a long document, O(log n) per change;
- ``document_layout`` (QtGui only): estimated heights for every row, real ones for the rows
  asked for, so opening a 100,000-paragraph book costs one cheap pass;
- ``scroller``: the reading position, kept while rows get their real heights, and the view's
  navigation by paragraph (``Navigation``);
- ``geometry``: where cells, spans and characters are, in content and screen coordinates;
- ``painting``: drawing laid-out rows in the theme's colours;
- ``highlight`` (Qt-free): hover, pin and the library search hit;
- ``find``: Ctrl+F, matching as library search does, long documents searched in slices;
- ``search_marks``: the Ctrl+F matches and the library search hit marked in the view, and
  scrolling to them;
- ``editor``: the in-place editor, its session, and the view's editing in place
  (``InPlaceEditing``);
- ``pointing``: what the reader points at: the character under the mouse, sentence pairs
  hovered and pinned, what Ctrl+C copies;
- ``menu``: a row's context menu; ``interaction``: what the mouse and keys do;
- ``view``: the scroll area that puts them together (``ReadingView``, with the three mixed-in
  parts above).
"""

from reader.ui.reading_view.editor import InlineEditor
from reader.ui.reading_view.types import (
    EDIT_KEYS,
    EDITED_TOOLTIP,
    EDITOR_HINT,
    RETRANSLATE_KEYS,
    REVERT_KEYS,
    Hit,
    Layout,
    Match,
    PairRef,
    Pending,
    Side,
)
from reader.ui.reading_view.view import ReadingView

__all__ = [
    "EDITED_TOOLTIP",
    "EDITOR_HINT",
    "EDIT_KEYS",
    "RETRANSLATE_KEYS",
    "REVERT_KEYS",
    "Hit",
    "InlineEditor",
    "Layout",
    "Match",
    "PairRef",
    "Pending",
    "ReadingView",
    "Side",
]
