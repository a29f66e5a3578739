"""The GUI thread's share of Python's GIL while workers run Python.

The GUI thread needs the GIL for every call Qt makes into Python (slots, event filters,
paint handlers, timers). When a worker is running Python code (parsing a book, reading the
cache for 40,000 paragraphs), the GUI thread asks for the GIL and gets it only when the
worker has run for a *switch interval*; once it has let go again (a call into Qt), the next
return to Python waits once more. A repaint making a hundred such calls at CPython's
default interval of 5 ms stalls the event loop by a visible fraction of a second.

:func:`favour_gui_thread` sets a 0.2 ms interval for the whole process: set by the window
itself, so the app, the tests and the bench (``bench.long_window`` builds the window
without ``reader.ui.app``) all run the window as it ships. It costs nothing measurable while
the workers are inside CTranslate2 or SQLite, which release the GIL. A single long C call
on a worker (a regular expression over a whole book) still holds the GIL to its end:
those are done in slices (``reader.core.text.slices``).
"""

from __future__ import annotations

import sys

SWITCH_INTERVAL_S = 0.0002


def favour_gui_thread() -> None:
    """A short GIL switch interval, process-wide (idempotent)."""
    sys.setswitchinterval(SWITCH_INTERVAL_S)
