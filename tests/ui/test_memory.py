"""The collector settings the window runs with (reader.ui.memory): no timing, only state."""

from __future__ import annotations

import gc
from collections.abc import Iterator

import pytest

from reader.ui.memory import FULL_PASS_EVERY, keep_long_lived, tune_collector


@pytest.fixture
def thresholds() -> Iterator[tuple[int, int, int]]:
    before = gc.get_threshold()
    yield before
    gc.set_threshold(*before)


def test_full_passes_wait_for_more_growth_young_ones_do_not(thresholds) -> None:
    young, middle, _ = thresholds
    tune_collector()
    tune_collector()  # idempotent: the window may start more than once in a process
    assert gc.get_threshold() == (young, middle, FULL_PASS_EVERY)
    assert FULL_PASS_EVERY > 10, "CPython's default, which a book's translations outgrow"


def test_what_is_alive_leaves_full_passes_and_is_still_freed() -> None:
    import weakref

    class Row:  # a container object, as a paragraph's translation is
        pass

    rows = [Row() for _ in range(1000)]
    probe = weakref.ref(rows[0])
    frozen = gc.get_freeze_count()
    keep_long_lived()
    assert gc.get_freeze_count() >= frozen + len(rows)
    del rows
    assert probe() is None, "reference counting still frees frozen objects"
