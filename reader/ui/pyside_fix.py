"""Work around a reference-counting bug of PySide6 6.12 on Python 3.11.

Built for Python 3.12+ (where ``None``, ``True`` and ``False`` are immortal, PEP 683), this
PySide6 returns ``None`` from every ``void`` C++ method, and ``True`` from ``Signal.emit``,
*without* a new reference. On Python 3.11 each call therefore drops one reference that was
never taken: ``None`` starts with a few thousand, so after a few thousand calls (seconds of
painting) the interpreter aborts with "Fatal Python error: none_dealloc".

The fix gives these three singletons a reference count so large it cannot run out in the
life of a process, which is what Python 3.12 does for them. It runs only when a probe shows
the bug, and never on Python 3.12+.
"""

from __future__ import annotations

import ctypes
import sys

# Large enough never to be exhausted (one lost reference per Qt call), small enough that
# genuine increments cannot overflow a signed 64-bit count.
_BOOST = 1 << 48
_applied = False


def _leaks_none() -> bool:
    from PySide6.QtCore import QPointF

    point = QPointF()
    before = sys.getrefcount(None)
    for _ in range(16):
        point.setX(0.0)  # a void method
    return sys.getrefcount(None) < before


def apply() -> bool:
    """Make None, True and False effectively immortal if PySide6 needs it; True if done."""
    global _applied
    if _applied or sys.version_info >= (3, 12) or sys.implementation.name != "cpython":
        return _applied
    if not _leaks_none():
        return False
    for singleton in (None, True, False):
        # CPython 3.11 objects start with ``Py_ssize_t ob_refcnt`` at their address.
        count = ctypes.c_ssize_t.from_address(id(singleton))
        if count.value < _BOOST:
            count.value += _BOOST
    _applied = True
    return True
