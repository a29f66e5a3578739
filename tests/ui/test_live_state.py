"""Live state: a model installed or removed by the command line while the window is open,
and settings saved by another instance, show up without a restart (real CLI, real files)."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

from reader.ui import settings as keys
from reader.ui.window.actions import ActionId
from tests.ui.conftest import wait_translated

REPO = Path(__file__).resolve().parents[2]


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    # The test's XDG folders are in os.environ (tests/conftest.py): the CLI uses them too.
    return subprocess.run([sys.executable, "-m", "reader", *args], capture_output=True,
                          text=True, cwd=REPO, timeout=120, check=False)


def _target_text(window) -> str:  # type: ignore[no-untyped-def]
    combo = window.quick.target_combo
    return combo.itemText(combo.currentIndex())


def test_a_model_installed_by_the_cli_is_used_within_two_seconds(
    make_window, qtbot, synthetic_packages, echo
):
    window = make_window()
    window.select_row(0)
    qtbot.waitUntil(window.pane.no_model_shown, timeout=10_000)
    assert _target_text(window).endswith("(no model)")
    preferences = window.open_preferences()

    result = _cli("models", "install", str(synthetic_packages["fr_en"]))
    assert result.returncode == 0, result.stderr
    installed_at = time.monotonic()
    qtbot.waitUntil(lambda: not window.pane.no_model_shown()
                    and not _target_text(window).endswith("(no model)"), timeout=2_000)
    wait_translated(qtbot, window)
    assert time.monotonic() - installed_at < 2.0 + 1.0  # + the translation itself
    view = window.pane.view
    first = next(i for i in range(view.row_count()) if view.translation(i) is not None)
    assert view.translation(first).shown == echo(view.article().paragraphs[first].text)
    assert "(no model)" not in preferences.target.currentText()

    result = _cli("models", "remove", "fr_en")
    assert result.returncode == 0, result.stderr
    qtbot.waitUntil(lambda: _target_text(window).endswith("(no model)"), timeout=2_000)
    qtbot.waitUntil(window.pane.no_model_shown, timeout=2_000)


ANOTHER_INSTANCE = """
from reader.ui import settings as keys
from reader.ui.settings import Settings
other = Settings()
other.set(keys.FONT_SIZE, 16)
other.set(keys.LAYOUT, "interleaved")
other.sync()
"""


def test_settings_saved_by_another_instance_are_followed(make_window, qtbot):
    window = make_window()
    window.settings.sync()
    assert window.settings.get(keys.FONT_SIZE) == keys.DEFAULT_FONT_SIZE
    # Another process (in this one, QSettings objects share one copy of the file).
    done = subprocess.run([sys.executable, "-c", ANOTHER_INSTANCE], capture_output=True,
                          text=True, cwd=REPO, timeout=60, check=False)
    assert done.returncode == 0, done.stderr
    qtbot.waitUntil(lambda: window.pane.view.chosen_layout().value == "interleaved",
                    timeout=2_000)
    assert window.settings.get(keys.FONT_SIZE) == 16
    assert window.pane.view.text_font().pointSize() == 16
    assert window.actions[ActionId.INTERLEAVED].isChecked()
