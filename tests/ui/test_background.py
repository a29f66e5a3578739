"""Background translation: alone (real engine, cache and worker, no window), and in the
window left open on the seeds."""

from __future__ import annotations

import pytest

from reader.core.models.store import PackageError
from reader.ui import settings as keys
from reader.ui.library_model import LibraryModel, Status, TranslationSummary
from reader.ui.window.background import IDLE_MS, BackgroundTranslation
from tests.ui.conftest import seed_library, wait_translated


def _refresher(services, model: LibraryModel):  # type: ignore[no-untyped-def]
    def refresh(key: str) -> None:
        article = model.article(key)
        try:
            ready = services.engine.peek(services.reading_article(article),
                                         services.target_language())
        except PackageError:
            return
        model.set_summary(key, TranslationSummary.from_translations(ready))
    return refresh


class Background:
    def __init__(self, services, paths, *, open_key=None, listed=None) -> None:  # type: ignore[no-untyped-def]
        self.services = services
        self.model = seed_library(services, paths)
        self.keys = [a.key for a in self.model.articles()]
        self.listed = listed if listed is not None else list(self.keys)
        self.started: list[str] = []
        self.done: list[str] = []
        self.lines: list[str] = []
        self.part = BackgroundTranslation(
            services, self.model, lambda: self.listed, _refresher(services, self.model),
            open_key=lambda: open_key,
        )
        self.part.articleStarted.connect(self.started.append)
        self.part.articleDone.connect(self.done.append)
        self.part.status.connect(self.lines.append)

    def fully_cached(self, key: str) -> bool:
        article = self.services.reading_article(self.model.article(key))
        return all(t is not None for t in self.services.engine.peek(article, "en"))


@pytest.fixture
def seeds3(seed_paths):  # type: ignore[no-untyped-def]
    return seed_paths[:3]


def test_translates_every_pending_article_in_the_readers_order(install_fr_en, services,
                                                                qtbot, seeds3):
    first, second, third = (path.resolve().as_posix() for path in seeds3)
    # Sorted by the reader, and the filter hides `second`.
    bg = Background(services, seeds3, open_key=first, listed=[third, first])
    assert bg.keys == [first, second, third]
    assert {bg.model.entry(k).summary.status for k in bg.keys} == {Status.NONE}
    with qtbot.waitSignal(bg.part.allDone, timeout=120_000):
        bg.part.start()
    # The open article, then the list's order, then what the list does not show.
    assert bg.started == [first, third, second] == bg.done
    assert all(bg.fully_cached(key) for key in bg.keys)
    assert {bg.model.entry(k).summary.status for k in bg.keys} == {Status.FULL}
    assert any("Translating the library" in line for line in bg.lines)
    assert bg.lines[-1] == ""  # idle again
    assert bg.part.queue() == []


def test_pause_yields_the_worker_at_once_and_resume_carries_on(install_fr_en, services, qtbot,
                                                                seeds3):
    bg = Background(services, seeds3)
    finished: list[tuple[int, bool]] = []
    services.translation.worker_thread.worker.finished.connect(
        lambda job, cancelled: finished.append((job, cancelled)))
    with qtbot.waitSignal(bg.part.articleStarted, timeout=10_000):
        bg.part.start()
    bg.part.pause()  # the reader opened an article that needs the worker
    qtbot.waitUntil(lambda: bool(finished), timeout=10_000)
    assert finished == [(finished[0][0], True)]  # stopped between engine windows
    assert bg.done == []
    qtbot.wait(IDLE_MS * 3)
    assert len(bg.started) == 1  # nothing new while paused
    with qtbot.waitSignal(bg.part.allDone, timeout=120_000):
        bg.part.resume()
    assert all(bg.fully_cached(key) for key in bg.keys)
    assert bg.started[0] == bg.started[1]  # the interrupted article was taken up again


def test_the_setting_turns_it_off(install_fr_en, services, qtbot, seeds3):
    services.settings.set(keys.BACKGROUND_TRANSLATION, False)
    bg = Background(services, seeds3)
    bg.part.start()
    qtbot.wait(IDLE_MS * 3)
    assert bg.started == []
    with qtbot.waitSignal(bg.part.articleStarted, timeout=10_000):
        services.settings.set(keys.BACKGROUND_TRANSLATION, True)
        bg.part.setting_changed()


def test_the_window_left_open_translates_the_seeds_before_they_are_opened(
    install_fr_en, make_window, qtbot
):
    window = make_window(wait=False)
    with qtbot.waitSignal(window.background.allDone, timeout=180_000):
        pass
    model = window.library.model
    opened = window.current_key()
    listed = window.library.listed_keys()
    assert len(listed) == 5 and opened == listed[0]  # only the first was ever opened
    statuses = {model.entry(key).summary.status for key in listed}
    assert statuses == {Status.FULL}
    for key in listed:
        article = window.services.reading_article(model.article(key))
        assert all(t is not None for t in window.engine.peek(article, "en"))
    for row in range(1, 5):  # opened now, each comes from the cache: no job at all
        window.select_row(row)
        wait_translated(qtbot, window)
        assert not window.view_job_ids()


def test_it_waits_until_everything_that_paused_it_is_done(services, qtbot, seed_paths):
    bg = Background(services, seed_paths[:1])
    bg.part.pause("reader")
    bg.part.pause("export")
    bg.part.resume("reader")
    assert bg.part.paused()  # the export still runs
    bg.part.resume("export")
    assert not bg.part.paused()


def test_the_readers_input_pauses_it_until_they_stop(services, qtbot, seed_paths):
    bg = Background(services, seed_paths[:1])
    bg.part.watch_input()
    bg.part.start()
    bg.part.note_input()  # a key, a click, the wheel, the mouse moving
    assert bg.part.paused()
    qtbot.waitUntil(lambda: not bg.part.paused(), timeout=5000)  # quiet again: it resumes
    bg.part.close()
