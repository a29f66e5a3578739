"""Files opened from outside the library (``bilingual-reader FILE``, a drop) stay in it:
the next plain start and a plain ``list`` show them, and the reading position comes back."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from reader import paths
from tests.ui.conftest import wait_translated

REPO = Path(__file__).resolve().parents[2]


def test_an_opened_file_is_listed_by_a_plain_list_and_the_next_start(
    make_window, qtbot, seed_paths, tmp_path, install_fr_en
):
    outside = tmp_path / "Downloads"
    outside.mkdir()
    article = outside / "article.txt"
    shutil.copy(seed_paths[1], article)
    window = make_window()
    before = window.library.model.rowCount()
    window.open_paths([article])  # what `bilingual-reader FILE` and a drop do
    key = str(article.resolve())
    qtbot.waitUntil(lambda: window.current_key() == key, timeout=10_000)
    assert window.library.model.rowCount() == before + 1
    assert paths.opened_files() == [article.resolve()]
    wait_translated(qtbot, window)
    window.pane.view.go_to_paragraph(5)
    position = window.pane.view.top_position()
    window.close()

    listed = subprocess.run([sys.executable, "-m", "reader", "list"], capture_output=True,
                            text=True, cwd=REPO, timeout=120, check=False)
    assert listed.returncode == 0, listed.stderr
    assert f"[{article.resolve()}]" in listed.stdout or f"[{article}]" in listed.stdout

    again = make_window(wait=False)
    qtbot.waitUntil(lambda: again.current_key() == key, timeout=10_000)  # the last one read
    assert again.library.model.rowCount() == before + 1
    wait_translated(qtbot, again)
    assert position[0] >= 3
    assert again.pane.view.top_position()[0] == position[0]


def test_files_in_the_library_folders_are_not_kept_twice(make_window, qtbot, seed_paths):
    window = make_window()
    window.open_paths([paths.default_library_dir()])
    assert paths.opened_files() == []
    # A missing or unreadable list is no list, never an error.
    paths.opened_files_path().parent.mkdir(parents=True, exist_ok=True)
    paths.opened_files_path().write_text("{not json", encoding="utf-8")
    assert paths.opened_files() == []
    assert window.library.library_paths() == paths.default_library_paths()
