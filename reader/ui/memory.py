"""Keeping the garbage collector's full passes short while big articles are in memory.

A full collection walks every container object and holds the GIL while it does, so one run
by any thread (a worker parsing a book) stalls the GUI thread for as long: with a 5 MB book
listed, parsed and translated (~300,000 objects with the app's own) a pass took 130-600 ms
on a loaded 2-core machine, the longest event-loop stalls left once nothing of ours ran long
on the GUI thread. CPython starts a full pass whenever the objects that survived since the
last one grow by a quarter, so a book arriving means several of them.

:func:`keep_long_lived` moves every object alive now into the collector's permanent
generation (``gc.freeze``), which full passes skip: it is called when big data that lives
long has just been built (the app's start-up, a library listed, a book parsed). Reference
counting still frees those objects when they are dropped; only a reference *cycle* that is
garbage at that moment would be kept, so the young generations are collected first (cheap:
a few thousand objects). Our articles, paragraphs and translations hold no cycles.
"""

from __future__ import annotations

import gc


def keep_long_lived() -> None:
    """Leave everything alive now out of future full collections (GUI thread)."""
    gc.collect(1)
    gc.freeze()
