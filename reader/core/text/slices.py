"""Whole-text operations on long texts, done in bounded slices.

A regular expression, ``str.replace`` or ``bytes.decode`` over a whole text is one C call,
and a C call holds Python's GIL from start to end: over a 5 MB book each took 5-50 ms on a
worker, and the window's GUI thread, which needs the GIL for every Python call Qt makes
into it, waited that long each time (the stalls of issue #15 when a book is opened). Done
over slices of :data:`SLICE_CHARS`, each call is a fraction of a millisecond and the
interpreter can hand the GIL over between two of them; the result is the same text.

Slices end just after a line break (``\\n``), or after a match of a separator for
:func:`separated_slices`, so operations that look at a character's neighbours within a line
(``\\r\\n``, look-behinds, ``^`` and ``$`` in multi-line mode) see what they would see in
the whole text. A text shorter than one slice is handled in one call, as before.
Plain Python, no Qt.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Callable, Iterator

# ~64 K characters: a regular expression substitution over one takes ~0.1-0.5 ms.
SLICE_CHARS = 1 << 16


def line_slices(text: str, size: int = SLICE_CHARS) -> Iterator[str]:
    """``text`` in consecutive pieces of at least ``size`` characters (the last one may be
    shorter), each but the last ending just after a ``\\n``; joined, they are ``text``.
    A line longer than ``size`` stays whole in its piece (a text without line breaks is one
    piece), so every piece starts at the start of a line."""
    return separated_slices(text, _LINE_END, size)


_LINE_END = re.compile("\n")


def map_lines(function: Callable[[str], str], text: str, size: int = SLICE_CHARS) -> str:
    """``function`` applied to ``text`` slice by slice (:func:`line_slices`), joined.

    Right for any ``function`` that maps each line on its own (replacing characters or
    line-bound patterns): the result is ``function(text)``."""
    if len(text) <= size:
        return function(text)
    return "".join(map(function, line_slices(text, size)))


def separated_slices(
    text: str, separator: re.Pattern[str], size: int = SLICE_CHARS
) -> Iterator[str]:
    """``text`` in consecutive pieces of at least ``size`` characters, each but the last
    ending just after a match of ``separator`` (say, the blank lines between blocks), so
    splitting each piece at ``separator`` gives the blocks of the whole text (with empty
    strings and edge white space where a cut fell, which callers strip anyway)."""
    start, length = 0, len(text)
    while length - start > size:
        found = None
        scan = start + size
        while found is None and scan < length:
            # Each search is bounded (a text with no separator for megabytes is searched
            # a slice at a time, never in one long call); a separator straddling the bound
            # is found by the next search, which starts where it starts.
            found = separator.search(text, scan, min(length, scan + 2 * size))
            scan += size
        if found is None:
            break
        yield text[start : found.end()]
        start = found.end()
    if start < length or not text:
        yield text[start:]


def decode_sliced(data: bytes, encoding: str, errors: str = "strict",
                  size: int = 4 * SLICE_CHARS) -> str:
    """``data.decode(encoding, errors)``, a slice of bytes at a time (an incremental
    decoder carries a character cut between two slices over); raises
    ``UnicodeDecodeError`` as ``bytes.decode`` does."""
    if len(data) <= size:
        return data.decode(encoding, errors)
    decoder = codecs.getincrementaldecoder(encoding)(errors)
    view = memoryview(data)
    parts = [decoder.decode(view[start : start + size]) for start in range(0, len(data), size)]
    parts.append(decoder.decode(b"", final=True))
    return "".join(parts)
