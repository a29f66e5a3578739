"""Start-up stays light: no model runtime is imported on the GUI thread, ever.

Run in a fresh interpreter: the test session itself has imported ctranslate2 (building the
synthetic packages), so its ``sys.modules`` proves nothing.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]

SCRIPT = r"""
import importlib.abc, json, sys, threading, time
started = time.monotonic()
HEAVY = ("ctranslate2", "torch", "stanza", "argostranslate.translate")
first_import = {}

class Spy(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name in HEAVY and name not in first_import:
            first_import[name] = threading.current_thread() is threading.main_thread()
        return None

sys.meta_path.insert(0, Spy())
from PySide6.QtWidgets import QApplication
import reader.ui
app = QApplication([])
from reader.ui.window.shell import MainWindow
window = MainWindow()
window.show()
app.processEvents()
shown = time.monotonic() - started
loaded_at_show = [m for m in HEAVY if m in sys.modules]
done = []
window.translationFinished.connect(lambda key, cancelled: done.append(cancelled))
deadline = time.monotonic() + 30
while not done and time.monotonic() < deadline:
    app.processEvents()
    time.sleep(0.01)
translated = sum(t is not None for t in window.pane.view.translations())
window.close()
print(json.dumps({
    "shown_after": shown,
    "heavy_at_show": loaded_at_show,
    "imported_on_main_thread": [m for m, main in first_import.items() if main],
    "imported": sorted(first_import),
    "finished": done,
    "translated": translated,
    "rows": window.pane.view.row_count(),
}))
"""


def test_no_model_runtime_on_the_gui_thread(install_fr_en):
    env = dict(os.environ, PYTHONPATH=str(REPO), QT_QPA_PLATFORM="offscreen")
    completed = subprocess.run(
        [sys.executable, "-c", SCRIPT], capture_output=True, text=True, env=env, cwd=REPO,
        timeout=60,
    )
    assert completed.returncode == 0, completed.stderr[-2000:]
    report = json.loads(completed.stdout.strip().splitlines()[-1])
    # The window is up before any model runtime is loaded...
    assert report["heavy_at_show"] == []
    # How fast the window appears is measured by bench/ (cold start), not asserted here.
    # ...and translating the first article loads ctranslate2 in the worker only.
    assert report["finished"] == [False]
    assert report["translated"] == report["rows"] > 0
    assert "ctranslate2" in report["imported"]
    assert report["imported_on_main_thread"] == []
    assert "torch" not in report["imported"] and "stanza" not in report["imported"]
