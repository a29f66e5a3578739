"""The library pane alone: loading, statuses, order, read state, folders preference."""

from __future__ import annotations

import shutil
from pathlib import Path

from reader.ui import settings as keys
from reader.ui.library_model import Status
from reader.ui.window.library import LibraryPane


def _pane(services, qtbot, paths=None) -> LibraryPane:  # type: ignore[no-untyped-def]
    pane = LibraryPane(services, paths)
    qtbot.addWidget(pane)
    return pane


def test_loads_lists_and_chooses_the_last_article(services, qtbot, seed_paths):
    services.settings.set(keys.LAST_ARTICLE, str(seed_paths[2].resolve()))
    pane = _pane(services, qtbot, seed_paths)
    chosen: list[str] = []
    pane.articleChosen.connect(chosen.append)
    with qtbot.waitSignal(pane.libraryLoaded, timeout=10_000) as loaded:
        pane.reload()
    assert loaded.args == [5]
    assert chosen == [str(seed_paths[2].resolve())]
    # No model: every status says so.
    assert {pane.model.entry(k).summary.status for k in pane.listed_keys()} == {Status.NO_MODEL}
    pane.filter_edit.setText("zelensky")
    assert 1 <= len(pane.listed_keys()) < 5
    assert len(pane.listed_articles()) == len(pane.listed_keys())


def test_statuses_follow_the_cache(install_fr_en, services, qtbot, seed_paths):
    from reader.core.articles.parser import parse_file

    pane = _pane(services, qtbot, seed_paths[:2])
    with qtbot.waitSignal(pane.libraryLoaded, timeout=10_000):
        pane.reload()
    key = pane.listed_keys()[0]
    assert pane.model.entry(key).summary.status is Status.NONE
    article = parse_file(seed_paths[0], paragraph_languages=True)
    services.parsed.put(article)
    services.engine.translate_article(article, "en")
    # Read on the reading worker; asked again (twice) while it reads, it reads once more.
    reads: list[str] = []
    pane.summaryRead.connect(reads.append)
    pane.refresh_summary(key)
    pane.refresh_summary(key)
    pane.refresh_summary(key)
    qtbot.waitUntil(lambda: len(reads) >= 2, timeout=10_000)
    ended: list[bool] = []
    services.reading.submit(lambda _context: None, on_finished=ended.append)  # queued last
    qtbot.waitUntil(lambda: bool(ended), timeout=10_000)
    assert reads == [key, key]
    assert pane.model.entry(key).summary.status is Status.FULL
    with qtbot.waitSignal(pane.summariesChanged, timeout=10_000):
        pane.refresh_summaries()
    assert pane.model.entry(key).summary.status is Status.FULL
    assert pane.model.entry(pane.listed_keys()[1]).summary.status is Status.NONE


def test_read_state_is_remembered(services, qtbot, seed_paths):
    pane = _pane(services, qtbot, seed_paths[:2])
    with qtbot.waitSignal(pane.libraryLoaded, timeout=10_000):
        pane.reload()
    key = pane.listed_keys()[1]
    with qtbot.waitSignal(pane.readChanged) as changed:
        pane.context_menu(key).actions()[0].trigger()
    assert changed.args == [key, True]
    assert services.settings.is_read(key)
    assert pane.context_menu(key).actions()[0].text().startswith("Mark as unread")


def test_library_folders_preference_replaces_the_paths_given_at_start(
    services, qtbot, seed_paths, tmp_path: Path
):
    folder = tmp_path / "news"
    folder.mkdir()
    shutil.copy(seed_paths[0], folder / seed_paths[0].name)
    pane = _pane(services, qtbot, seed_paths)
    with qtbot.waitSignal(pane.libraryLoaded, timeout=10_000):
        pane.reload()
    services.settings.set_library_folders([folder])
    with qtbot.waitSignal(pane.libraryLoaded, timeout=10_000) as loaded:
        pane.folders_changed()
    assert loaded.args == [1]
    assert pane.library_paths() == [folder]
