"""The article session alone (no window): open, cache first, stream, Stop, stale results,
and an edit in progress saved where it was typed whatever comes next."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from reader.core.articles.article import normalize_source
from reader.core.translation.results import ParagraphStatus, ParagraphTranslation
from reader.ui import settings as keys
from reader.ui.reading_pane import ReadingPane
from reader.ui.reading_view import Pending
from reader.ui.window.article.post_edits import PostEdits
from reader.ui.window.article.session import ArticleSession
from reader.ui.window.progress import TaskProgress
from reader.ui.window.services import Services
from reader.ui.workers import Outbox
from tests.ui.conftest import seed_library


class Parts:
    def __init__(self, services, qtbot, paths: list[Path]) -> None:  # type: ignore[no-untyped-def]
        self.services = services
        self.library = seed_library(services, paths)
        self.pane = ReadingPane()
        qtbot.addWidget(self.pane)
        self.pane.resize(1000, 700)
        self.pane.show()
        self.progress = TaskProgress("progress")
        qtbot.addWidget(self.progress)
        self.session = ArticleSession(services, self.pane, self.library, self.progress)
        self.edits = PostEdits(services, self.session, self.pane, self.library)
        self.keys = [a.key for a in self.library.articles()]

    def open_and_wait(self, qtbot, key: str) -> None:  # type: ignore[no-untyped-def]
        with qtbot.waitSignal(self.session.translationFinished, timeout=30_000,
                              check_params_cb=lambda k, _c: k == key):
            self.session.open(key)


@pytest.fixture
def parts(services, qtbot, seed_paths):  # type: ignore[no-untyped-def]
    built = Parts(services, qtbot, seed_paths[:3])
    yield built
    built.session.close()


def _rows_match(view) -> bool:  # type: ignore[no-untyped-def]
    article = view.article()
    return all(
        t is not None and normalize_source(t.source) == normalize_source(p.text)
        for p, t in zip(article.paragraphs, view.translations(), strict=True)
    )


def test_opens_streams_and_reopens_from_the_cache(install_fr_en, parts, qtbot):
    session, view = parts.session, parts.pane.view
    busy: list[bool] = []
    summaries: list[tuple[str, object]] = []
    session.busyChanged.connect(busy.append)
    session.summaryChanged.connect(lambda key, summary: summaries.append((key, summary)))
    parts.open_and_wait(qtbot, parts.keys[0])
    view.flush()
    assert _rows_match(view)
    assert busy == [True, False]
    assert summaries[-1][0] == parts.keys[0] and summaries[-1][1].status == "translated"
    parts.open_and_wait(qtbot, parts.keys[1])
    with qtbot.waitSignal(session.translationFinished, timeout=1000):
        session.open(parts.keys[0])
    assert not session.job_ids()  # all from the cache: no job at all
    assert {t.status for t in view.translations()} <= {ParagraphStatus.CACHED,
                                                       ParagraphStatus.PASSTHROUGH}


def test_results_of_a_left_article_are_dropped(install_fr_en, parts, qtbot):
    session, view = parts.session, parts.pane.view
    worker = parts.services.translation.worker_thread.worker
    session.open(parts.keys[0])
    old_jobs = session.job_ids()
    assert old_jobs
    parts.open_and_wait(qtbot, parts.keys[1])
    # A paragraph that would fit the new article's first row, sent under the old job's id:
    # the router drops it before anything sees it.
    first = view.article().paragraphs[0]
    stale = ParagraphTranslation(0, first.text, "STALE", first.kind,
                                 ParagraphStatus.TRANSLATED, "fr")
    outbox: Outbox[ParagraphTranslation] = Outbox()
    outbox.put(stale)  # as the session's jobs hand paragraphs over
    for job_id in old_jobs:
        worker.result.emit(job_id, outbox)
    qtbot.wait(20)
    assert view.translation(0).translation != "STALE"


def test_stop_keeps_what_is_done_and_resume_finishes(qtbot, seed_paths, install_fr_en):
    services = Services.create(stream_window=1)  # one sentence per engine window
    try:
        _stop_and_resume(services, qtbot, seed_paths)
    finally:
        services.shutdown()


def _stop_and_resume(services, qtbot, seed_paths) -> None:  # type: ignore[no-untyped-def]
    parts = Parts(services, qtbot, seed_paths[:1])
    worker = services.translation.worker_thread.worker

    def stop_after_first(job_id: int, payload: object) -> None:
        if isinstance(payload, Outbox):  # on the worker, between windows
            parts.session.cancel()

    worker.result.connect(stop_after_first, Qt.ConnectionType.DirectConnection)
    with qtbot.waitSignal(parts.session.translationFinished, timeout=30_000) as finished:
        parts.session.open(parts.keys[0])
    worker.result.disconnect(stop_after_first)
    assert finished.args == [parts.keys[0], True]
    assert parts.session.stopped_by_reader() == parts.keys[0]
    done = [t for t in parts.pane.view.translations() if t is not None]
    assert 0 < len(done) < len(parts.pane.view.translations())
    with qtbot.waitSignal(parts.session.translationFinished, timeout=30_000) as resumed:
        parts.session.resume()
    assert resumed.args == [parts.keys[0], False]
    assert parts.session.stopped_by_reader() is None
    assert _rows_match(parts.pane.view)


def _edit_in_progress(parts, row: int, text: str) -> None:  # type: ignore[no-untyped-def]
    view = parts.pane.view
    view.go_to_paragraph(row)
    view.flush()
    assert view.edit_row(row)
    view.editor().setPlainText(text)


def _translated_row(view) -> int:  # type: ignore[no-untyped-def]
    return next(row for row in range(1, view.row_count())
                if view.translation(row).status in (ParagraphStatus.TRANSLATED,
                                                    ParagraphStatus.CACHED))


def test_an_edit_in_progress_is_saved_where_it_was_typed(install_pivot, parts, qtbot):
    session, view, engine = parts.session, parts.pane.view, parts.services.engine
    parts.open_and_wait(qtbot, parts.keys[0])
    article_a = session.article
    row = _translated_row(view)

    # Another article is opened while editing: the edit belongs to the first one.
    _edit_in_progress(parts, row, "Typed in article A.")
    with qtbot.waitSignal(parts.edits.editSaved) as saved:
        parts.open_and_wait(qtbot, parts.keys[1])
    assert saved.args == [row]
    assert engine.peek(article_a, "en")[row].translation == "Typed in article A."
    assert all(t is None or t.status is not ParagraphStatus.EDITED
               for t in engine.peek(session.article, "en"))

    # The target language changes while editing: the edit is English, not Spanish.
    row_b = _translated_row(view)
    _edit_in_progress(parts, row_b, "Typed while reading English.")
    parts.services.settings.set(keys.TARGET_LANGUAGE, "es")
    with qtbot.waitSignal(session.translationFinished, timeout=60_000):
        session.render()
    article_b = session.article
    assert engine.peek(article_b, "en")[row_b].translation == "Typed while reading English."
    assert view.translation(row_b).status is not ParagraphStatus.EDITED
    assert session.shown_target == "es"


def test_stop_while_the_cache_is_read_translates_nothing(install_fr_en, parts, qtbot):
    session, view = parts.session, parts.pane.view
    busy: list[bool] = []
    session.busyChanged.connect(busy.append)
    with qtbot.waitSignal(session.translationFinished, timeout=30_000) as finished:
        session.open(parts.keys[0])
        assert session.job_ids()  # the cache read, on the reading worker
        session.cancel()  # before its result can arrive (queued to this thread)
    assert finished.args == [parts.keys[0], True]
    assert not session.job_ids() and busy == []  # no translation job was started
    assert session.stopped_by_reader() == parts.keys[0]
    assert view.pending_style() is Pending.STOPPED


def test_a_book_opens_at_its_saved_position_laying_out_that_screen_only(
    services, qtbot, tmp_path: Path
):  # type: ignore[no-untyped-def]
    # Two copies of one book (no model installed: only the original is shown); the second
    # was left at paragraph 1,500.
    text = "\n\n".join(f"Paragraphe {i} : le gouvernement a annoncé de nouvelles mesures."
                       for i in range(2000))
    books = [tmp_path / "a.txt", tmp_path / "b.txt"]
    for book in books:
        book.write_text(text + "\n", encoding="utf-8")
    parts = Parts(services, qtbot, books)
    first, second = sorted(parts.keys)
    services.settings.set_article_state(second, keys.ArticleState(paragraph=1500))
    view, combo = parts.pane.view, parts.pane.source_combo

    def rows_laid_out_to_open(key: str) -> int:
        before = view.layout_stats()["rows_laid_out"]
        parts.session.open(key)
        return view.layout_stats()["rows_laid_out"] - before

    at_start = rows_laid_out_to_open(first)
    assert view.top_position()[0] == 0
    languages = [combo.itemText(i) for i in range(combo.count())]
    rebuilt: list[int] = []
    combo.model().rowsRemoved.connect(lambda *_args: rebuilt.append(1))
    restored = rows_laid_out_to_open(second)
    assert view.top_position()[0] == 1500
    # One screen and half a screen either side (the start has none above: 1.5 screens), not
    # the book's first screen and then the restored one (3.5).
    assert 0 < restored < 2 * at_start
    # The same languages: the "Original in" list is kept, not rebuilt.
    assert not rebuilt and [combo.itemText(i) for i in range(combo.count())] == languages
    parts.session.close()
