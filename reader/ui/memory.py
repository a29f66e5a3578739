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

Freezing only helps with what exists when it is called. While a book translates, its
translations arrive (40,000 results, each a few objects) and CPython's default thresholds
(700, 10, 10) start a full pass every 70,000 net new container objects once the frozen
objects no longer count: a 5 MB book measured four to five passes of 90-280 ms on the
translation worker, each a stall of the GUI thread. :func:`tune_collector` makes full passes
wait for ten times as much growth (young passes are unchanged: they stay ~1 ms and free the
short-lived cycles); :func:`keep_long_lived` after a long translation freezes its results.
Python 3.11's collector is not incremental (3.13's is), so fewer full passes is the lever.
"""

from __future__ import annotations

import gc

# gc.set_threshold's third value: gen-1 passes between two full passes (CPython's is 10).
# 100 means a full pass only after ~700,000 container objects more are alive, not 70,000.
FULL_PASS_EVERY = 100


def tune_collector() -> None:
    """Make full collections rare (the app's start-up; idempotent, process-wide)."""
    young, middle, _full = gc.get_threshold()
    gc.set_threshold(young, middle, FULL_PASS_EVERY)


def keep_long_lived() -> None:
    """Leave everything alive now out of future full collections (GUI thread)."""
    gc.collect(1)
    gc.freeze()
