"""A system folder as the library: closing the window never waits for its listing."""

from __future__ import annotations

import time
from pathlib import Path

from tests.ui.conftest import WindowFactory


def test_closing_while_usr_is_listed_is_immediate(qtbot, make_window: WindowFactory) -> None:  # type: ignore[no-untyped-def]
    window = make_window([Path("/usr")], wait=False)
    qtbot.wait(500)  # the library worker is walking /usr (tens of seconds uncancelled)
    started = time.monotonic()
    window.close()
    assert time.monotonic() - started < 3.0


def test_proc_as_the_library_is_one_row(qtbot, make_window: WindowFactory) -> None:  # type: ignore[no-untyped-def]
    window = make_window([Path("/proc")])
    model = window.library.model
    assert model.rowCount() == 1
    assert model.articles()[0].error == "a system folder (proc): not listed"
    started = time.monotonic()
    window.close()
    assert time.monotonic() - started < 3.0
