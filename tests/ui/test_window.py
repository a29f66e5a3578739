"""The main window end to end: library, streaming translation, cancel, switching, restart."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from reader.core.articles.article import normalize_source
from reader.core.translation.results import ParagraphStatus, ParagraphTranslation
from reader.ui.library_model import Column, Status
from reader.ui.reading_view import Layout, Pending, Side
from reader.ui.window.actions import ActionId
from reader.ui.workers import Outbox
from tests.ui.conftest import wait_translated


def _seed_keys(window) -> list[str]:  # type: ignore[no-untyped-def]
    return [window.library.proxy.key_at(row) for row in range(window.library.proxy.rowCount())]


def _assert_rows_match(window) -> None:  # type: ignore[no-untyped-def]
    """Every row holds exactly the translation of its own paragraph, top-aligned."""
    view = window.pane.view
    article = view.article()
    translations = view.translations()
    assert len(translations) == len(article.paragraphs)
    for paragraph, translation in zip(article.paragraphs, translations, strict=True):
        assert translation is not None
        assert translation.index == paragraph.index
        assert normalize_source(translation.source) == normalize_source(paragraph.text)


def test_lists_the_five_seeds_and_offers_models_when_none(make_window, qtbot):
    window = make_window()
    assert window.library.model.rowCount() == 5
    titles = [
        window.library.proxy.index(row, Column.TITLE).data()
        for row in range(window.library.proxy.rowCount())
    ]
    assert all(titles) and titles[0].startswith("Les RUSSES")
    qtbot.waitUntil(lambda: window.current_key() is not None)
    # No model installed: the pane says so and offers the dialog instead of an empty column.
    qtbot.waitUntil(window.pane.no_model_shown)
    assert "No translation model" in window.pane.banner_text.text()
    assert window.pane.view.cell_rect(0, Side.TARGET) is None
    qtbot.waitUntil(
        lambda: window.library.proxy.index(0, Column.STATUS).data() == str(Status.NO_MODEL)
    )
    qtbot.mouseClick(window.pane.banner_button, Qt.MouseButton.LeftButton)
    assert window.model_dialog is not None and window.model_dialog.isVisible()
    window.model_dialog.close()


def test_the_reading_view_has_the_keys_at_start(make_window, qtbot):
    """A letter typed after start-up reaches the reading view (J/K, O), not the filter box."""
    window = make_window()
    window.activateWindow()
    qtbot.waitUntil(lambda: window.focusWidget() is window.pane.view)
    qtbot.keyClicks(window.focusWidget(), "j")
    assert window.library.filter_edit.text() == ""


def test_window_rows_show_exactly_the_echo_translation(make_window, qtbot, install_fr_en, echo):
    window = make_window(wait=False)
    with qtbot.waitSignal(window.translationFinished, timeout=20_000):
        pass
    window.pane.view.flush()
    _assert_rows_match(window)
    view = window.pane.view
    shown = 0
    for paragraph, translation in zip(view.article().paragraphs, view.translations(), strict=True):
        if translation.status is ParagraphStatus.PASSTHROUGH:
            continue
        assert translation.status in (ParagraphStatus.TRANSLATED, ParagraphStatus.CACHED)
        assert translation.shown == echo(paragraph.text)
        shown += 1
    assert shown > 5


def test_translation_streams_into_aligned_rows(make_window, qtbot, install_fr_en):
    progress: list[tuple[int, int]] = []
    window = make_window(wait=False, stream_window=4)
    window.translation_worker.worker.progress.connect(
        lambda job, done, total: progress.append((done, total))
    )
    with qtbot.waitSignal(window.translationFinished, timeout=20_000) as finished:
        pass
    assert finished.args[1] is False  # not cancelled
    window.pane.view.flush()
    _assert_rows_match(window)
    view = window.pane.view
    for row in range(view.row_count()):
        source = view.cell_rect(row, Side.SOURCE)
        target = view.cell_rect(row, Side.TARGET)
        assert source is not None and target is not None
        assert target.top() == source.top(), f"row {row} is not top-aligned"
        if row + 1 < view.row_count():
            following = view.cell_rect(row + 1, Side.SOURCE)
            assert following.top() >= max(source.bottom(), target.bottom())
    assert progress and progress[-1][0] == progress[-1][1] > 0  # reached 100 %
    assert len(progress) > 1  # streamed in several steps
    assert not window.translation_progress.isVisible()
    assert window.library.proxy.index(0, Column.STATUS).data() == str(Status.FULL)

    # Opened again, it comes from the cache at once: no job at all.
    window.select_row(1)
    wait_translated(qtbot, window)
    with qtbot.waitSignal(window.translationFinished, timeout=1000):
        window.select_row(0)
    assert not window.view_job_ids()
    statuses = {t.status for t in view.translations()}
    assert statuses <= {ParagraphStatus.CACHED, ParagraphStatus.PASSTHROUGH}


def test_cancel_keeps_what_is_done_and_resume_finishes(make_window, qtbot, install_fr_en):
    window = make_window(wait=False, stream_window=1)
    worker = window.translation_worker.worker

    def cancel_after_first(job_id: int, payload: object) -> None:
        # Runs on the worker thread, between the engine's batches: deterministic.
        if isinstance(payload, Outbox):  # translated paragraphs
            worker.cancel(job_id)

    worker.result.connect(cancel_after_first, Qt.ConnectionType.DirectConnection)
    with qtbot.waitSignal(window.translationFinished, timeout=20_000) as finished:
        pass
    worker.result.disconnect(cancel_after_first)
    assert finished.args[1] is True
    translations = window.pane.view.translations()
    done = [t for t in translations if t is not None]
    assert 0 < len(done) < len(translations)
    assert all(t.status is ParagraphStatus.TRANSLATED or t.status is ParagraphStatus.PASSTHROUGH
               for t in done)
    assert window.pane.view.pending_style() is Pending.STOPPED
    assert "stopped" in window.last_message
    assert window.library.proxy.index(0, Column.STATUS).data().startswith("partly")

    with qtbot.waitSignal(window.translationFinished, timeout=20_000) as resumed:
        window.actions[ActionId.TRANSLATE].trigger()
    assert resumed.args[1] is False
    _assert_rows_match(window)
    # What was done before the cancel came from the cache, not from a second model run.
    statuses = [t.status for t in window.pane.view.translations()]
    assert ParagraphStatus.CACHED in statuses


def test_switching_article_never_shows_stale_translations(make_window, qtbot, install_fr_en):
    window = make_window(wait=False, stream_window=1)
    view = window.pane.view
    qtbot.waitUntil(lambda: any(t is not None for t in view.translations()), timeout=20_000)
    old_jobs = window.view_job_ids()
    first_article = view.article()
    assert old_jobs
    keys = _seed_keys(window)
    with qtbot.waitSignal(
        window.translationFinished, timeout=20_000,
        check_params_cb=lambda key, cancelled: key == keys[1],
    ):
        window.actions[ActionId.NEXT_ARTICLE].trigger()
    assert window.current_key() == keys[1]
    _assert_rows_match(window)
    # A late result of the old job is dropped even if it arrives now.
    stale = ParagraphTranslation(
        0, first_article.paragraphs[0].text, "STALE", first_article.paragraphs[0].kind,
        ParagraphStatus.TRANSLATED, "fr",
    )
    outbox: Outbox[ParagraphTranslation] = Outbox()
    outbox.put(stale)  # as the session's jobs hand paragraphs over
    for job_id in old_jobs:
        window.translation_worker.worker.result.emit(job_id, outbox)
    assert view.translation(0).translation != "STALE"
    # And the view itself refuses a paragraph that is not the one in that row.
    assert view.set_translation(stale) is False


def test_target_language_switch_rerenders_through_pivot(make_window, qtbot, install_pivot):
    window = make_window(wait=False)
    with qtbot.waitSignal(window.translationFinished, timeout=20_000):
        pass
    combo = window.quick.target_combo
    offered = {combo.itemData(i): combo.itemText(i) for i in range(combo.count())}
    assert offered == {"en": "English", "es": "Spanish"}
    english = [t.translation for t in window.pane.view.translations()]
    with qtbot.waitSignal(window.translationFinished, timeout=20_000):
        combo.setCurrentIndex(combo.findData("es"))
        combo.activated.emit(combo.currentIndex())
    assert window.target_language() == "es"
    _assert_rows_match(window)
    # The echo models answer fr→en→es with the same words as fr→en: what shows the rows were
    # re-rendered through the pivot is that each was translated anew (nothing cached for es).
    spanish = window.pane.view.translations()
    statuses = {t.status for t in spanish}
    assert ParagraphStatus.TRANSLATED in statuses and ParagraphStatus.CACHED not in statuses
    assert "Spanish" in window.pane.view.headings()[1]
    # Back to English: straight from the cache.
    with qtbot.waitSignal(window.translationFinished, timeout=2000):
        window.set_target_language("en")
    assert [t.translation for t in window.pane.view.translations()] == english


def test_settings_and_position_survive_a_restart(make_window, qtbot, install_fr_en):
    # Smaller than the offscreen screen: restoreGeometry() clamps to the screen.
    window = make_window(wait=False, size=(720, 560))
    wait_translated(qtbot, window)
    keys = _seed_keys(window)
    bar = window.pane.view.verticalScrollBar()
    with qtbot.waitSignal(window.readChanged, timeout=2000):
        bar.setValue(bar.maximum())  # read to the end: the article is read
    window.set_layout(Layout.INTERLEAVED)
    window.change_font_size(1)
    window.change_font_size(1)
    window.set_theme("dark")
    window.set_quality("fast")
    wait_translated(qtbot, window)
    window.select_row(2)
    wait_translated(qtbot, window)
    window.pane.view.go_to_paragraph(6)
    position = window.pane.view.top_position()
    window.splitter.setSizes([240, 480])
    splitter_sizes = window.splitter.sizes()
    window.close()

    again = make_window(wait=False, size=None)
    qtbot.waitUntil(lambda: again.current_key() == keys[2], timeout=10_000)
    wait_translated(qtbot, again)
    assert (again.size().width(), again.size().height()) == (720, 560)
    assert again.splitter.sizes() == splitter_sizes
    assert again.pane.view.layout_mode() is Layout.INTERLEAVED
    assert again.settings.get(again_keys().FONT_SIZE) == 14
    assert again.actions[ActionId.THEME_DARK].isChecked()
    assert again.quick.quality_combo.currentData() == "fast"
    assert again.pane.view.top_position()[0] == position[0]
    # Read state: the article read to its end is no longer bold; the one only opened and
    # the one never opened are still unread.
    assert again.library.model.entry(keys[0]).read
    assert not again.library.model.entry(keys[2]).read
    assert not again.library.model.entry(keys[4]).read


def again_keys():  # type: ignore[no-untyped-def]
    from reader.ui import settings

    return settings


def test_corrupt_settings_file_means_defaults_and_one_warning(make_window, qtbot,
                                                               isolated_xdg):
    folder = isolated_xdg["XDG_CONFIG_HOME"] / "bilingual-reader"
    folder.mkdir(parents=True)
    (folder / "settings.ini").write_bytes(b"\x00\xff[[[ not = an ini\n[preferences\nfont_size=x\n")
    messages: list[str] = []
    window = make_window(wait=False)
    window.statusMessage.connect(messages.append)
    qtbot.waitUntil(lambda: window.library.model.rowCount() == 5)
    assert any("settings" in m for m in [*messages, window.last_message])
    assert window.pane.view.layout_mode() is Layout.SIDE_BY_SIDE
    assert (folder / "settings.ini.corrupt").exists()


def test_close_mid_translation_exits_quickly_and_cleanly(make_window, qtbot, install_fr_en):
    window = make_window(wait=False, stream_window=1)
    view = window.pane.view
    qtbot.waitUntil(lambda: any(t is not None for t in view.translations()), timeout=20_000)
    assert window.view_job_ids()  # still translating
    started = time.monotonic()
    window.close()
    elapsed = time.monotonic() - started
    assert elapsed < 2.0
    for worker in (window.translation_worker, window.io_worker, window.tasks_worker):
        assert worker.thread.isFinished()


def test_bad_files_are_listed_with_their_error(make_window, qtbot, tmp_path: Path, seed_paths):
    good = tmp_path / "good.txt"
    good.write_text(seed_paths[0].read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "empty.md").write_text("", encoding="utf-8")
    (tmp_path / "binary.html").write_bytes(b"\x00\x01\x02" * 400)
    window = make_window([tmp_path])
    assert window.library.model.rowCount() == 3
    errors = [a for a in window.library.model.articles() if not a.ok]
    assert len(errors) == 2
    bad_key = errors[0].key
    window.select_row(window.library.proxy.row_of(bad_key))
    assert window.current_key() == bad_key
    assert window.pane.view.row_count() == 0
    assert errors[0].error in window.pane.meta.text()


def test_filter_narrows_the_library(make_window, qtbot):
    window = make_window()
    window.library.filter_edit.setText("zelensky")
    assert 1 <= window.library.proxy.rowCount() < 5
    window.library.filter_edit.clear()
    assert window.library.proxy.rowCount() == 5
    window.library.sort_combo.setCurrentIndex(window.library.sort_combo.findText("Longest first"))
    words = [window.library.model.article(window.library.proxy.key_at(row)).words
             for row in range(5)]
    assert words == sorted(words, reverse=True)


def test_dropped_model_is_installed_and_the_article_translated(
    make_window, qtbot, synthetic_packages
):
    window = make_window()
    qtbot.waitUntil(window.pane.no_model_shown)
    with qtbot.waitSignal(window.model_tasks.packagesChanged, timeout=10_000):
        window.open_paths([synthetic_packages["fr_en"]])
    wait_translated(qtbot, window)
    assert not window.pane.no_model_shown()
    _assert_rows_match(window)


def test_keyboard_navigation_between_articles_and_paragraphs(make_window, qtbot,
                                                              install_fr_en):
    window = make_window(wait=False)
    wait_translated(qtbot, window)
    keys = _seed_keys(window)
    window.pane.view.setFocus()
    qtbot.keyClick(window, Qt.Key.Key_PageDown, Qt.KeyboardModifier.ControlModifier)
    assert window.current_key() == keys[1]
    qtbot.keyClick(window, Qt.Key.Key_Up, Qt.KeyboardModifier.AltModifier)
    assert window.current_key() == keys[0]
    wait_translated(qtbot, window)
    view = window.pane.view
    qtbot.keyClick(view, Qt.Key.Key_J)
    qtbot.keyClick(view, Qt.Key.Key_J)
    assert view.current_paragraph() == 2
    qtbot.keyClick(view, Qt.Key.Key_K)
    assert view.current_paragraph() == 1
    size = window.settings.get(again_keys().FONT_SIZE)
    qtbot.keyClick(view, Qt.Key.Key_Equal, Qt.KeyboardModifier.ControlModifier)
    assert window.settings.get(again_keys().FONT_SIZE) == size + 1
    qtbot.keyClick(view, Qt.Key.Key_0, Qt.KeyboardModifier.ControlModifier)
    assert window.settings.get(again_keys().FONT_SIZE) == again_keys().DEFAULT_FONT_SIZE


def test_find_highlights_both_sides(make_window, qtbot, install_fr_en):
    window = make_window(wait=False)
    wait_translated(qtbot, window)
    qtbot.keyClick(window.pane.view, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert window.pane.find_bar.isVisible()
    qtbot.keyClicks(window.pane.find_bar.edit, "russ")
    matches = window.pane.view.matches()
    assert matches and {m.side for m in matches} >= {Side.SOURCE}
    first = window.pane.view.current_match()
    qtbot.keyClick(window.pane.find_bar.edit, Qt.Key.Key_Return)
    assert window.pane.view.current_match() != first
    assert "of" in window.pane.find_bar.count.text()
    qtbot.keyClick(window.pane.find_bar.edit, Qt.Key.Key_Escape)
    assert not window.pane.find_bar.isVisible() and not window.pane.view.matches()


def test_export_pdf_runs_in_the_worker(make_window, qtbot, install_fr_en, tmp_path: Path):
    window = make_window(wait=False)
    wait_translated(qtbot, window)
    output = tmp_path / "article.pdf"
    # (Wait on the window's signal: a worker's signal would call pytest-qt's blocker on
    # the worker thread.)
    with qtbot.waitSignal(window.exportFinished, timeout=30_000) as finished:
        job = window.exporter.start(output)
    assert finished.args == [True]
    assert job is not None
    assert output.is_file() and output.read_bytes().startswith(b"%PDF")
    assert window.last_message.startswith("Exported")
    assert not window.export_progress.isVisible()


def test_source_language_override_is_applied_and_remembered(make_window, qtbot, install_fr_en):
    window = make_window(wait=False)
    wait_translated(qtbot, window)
    key = window.current_key()
    combo = window.pane.source_combo
    assert combo.currentData() == ""  # as detected
    with qtbot.waitSignal(window.translationFinished, timeout=5000):
        window.pane.sourceLanguageChosen.emit("en")
    # Read as English, into English: every paragraph is shown once, as is.
    assert {t.status for t in window.pane.view.translations()} == {ParagraphStatus.PASSTHROUGH}
    assert window.pane.view.cell_rect(1, Side.SOURCE) == window.pane.view.cell_rect(1,
                                                                                  Side.TARGET)
    assert window.settings.article_state(key).source_language == "en"
    with qtbot.waitSignal(window.translationFinished, timeout=5000):
        window.pane.sourceLanguageChosen.emit("")
    assert ParagraphStatus.PASSTHROUGH not in {t.status for t in window.pane.view.translations()}


def test_edit_revert_and_retranslate_a_paragraph(make_window, qtbot, install_fr_en, monkeypatch):
    from PySide6.QtWidgets import QInputDialog

    window = make_window(wait=False)
    wait_translated(qtbot, window)
    view = window.pane.view
    monkeypatch.setattr(QInputDialog, "getMultiLineText",
                        lambda *args, **kwargs: ("My own translation.", True))
    with qtbot.waitSignal(window.editSaved):
        window.post_edits.row_action("edit", 1)
    view.flush()
    assert view.translation(1).status is ParagraphStatus.EDITED
    assert view.translation(1).translation == "My own translation."
    with qtbot.waitSignal(window.post_edits.editReverted):
        window.post_edits.row_action("revert", 1)
    view.flush()
    assert view.translation(1).status is ParagraphStatus.CACHED
    untouched = view.translation(3)
    with qtbot.waitSignal(window.translationFinished, timeout=10_000):
        window.post_edits.row_action("retranslate", 2)
    assert view.translation(2).status is ParagraphStatus.TRANSLATED  # a model run, not cache
    assert view.translation(3) is untouched


def test_export_every_listed_article_to_one_pdf(
    make_window, qtbot, install_fr_en, tmp_path: Path, monkeypatch
):
    from PySide6.QtWidgets import QFileDialog

    window = make_window(wait=False)
    wait_translated(qtbot, window)
    listed = window.library.listed_articles()
    assert len(listed) == 5
    # The filter narrows what is exported.
    window.library.filter_edit.setText(listed[0].title[:12])
    qtbot.waitUntil(lambda: len(window.library.listed_articles()) < 5)
    window.library.filter_edit.clear()
    qtbot.waitUntil(lambda: len(window.library.listed_articles()) == 5)

    output = tmp_path / "library.pdf"
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        staticmethod(lambda *a, **k: (str(output), "PDF (*.pdf)")))
    with qtbot.waitSignal(window.exportFinished, timeout=60_000) as finished:
        window.actions[ActionId.EXPORT_LISTED].trigger()
    assert finished.args == [True]
    from pypdf import PdfReader

    reader = PdfReader(output)
    titles = [item.title for item in reader.outline]
    assert len(titles) == 5  # one bookmark per article
    assert window.last_message.startswith(f"Exported {output}")


def test_fifty_rapid_switches_never_show_another_articles_text(
    make_window, qtbot, install_fr_en
):
    import random

    window = make_window(wait=False, stream_window=1)
    view = window.pane.view
    rng = random.Random(7)
    qtbot.waitUntil(lambda: window.library.proxy.rowCount() == 5)
    count = 5
    for _ in range(50):
        window.select_row(rng.randrange(count))
        qtbot.wait(rng.choice([0, 1, 5, 20, 60]))  # mid-job, mid-paragraph, between jobs
        article = view.article()
        for paragraph, translation in zip(article.paragraphs, view.translations(), strict=True):
            if translation is not None:
                assert normalize_source(translation.source) == normalize_source(paragraph.text)
    wait_translated(qtbot, window, timeout=60_000)
    _assert_rows_match(window)
    for row in range(count):  # every article, opened again, shows its own translations
        window.select_row(row)
        wait_translated(qtbot, window, timeout=60_000)
        _assert_rows_match(window)


def test_window_lists_and_opens_every_awkward_file(make_window, qtbot, bad_corpus_dir):
    window = make_window([bad_corpus_dir])
    count = window.library.proxy.rowCount()
    assert count >= 20
    for row in range(count):
        window.select_row(row)  # each shows its article or a one-line reason, never a crash
        qtbot.wait(10)
        assert window.current_key() is not None
    assert window.isVisible()


def test_the_window_gives_the_gui_thread_a_short_gil_switch_interval(make_window):
    """Set by the window itself, so the app, the tests and the bench (which builds the
    window without reader.ui.app) run it alike."""
    import sys

    from reader.ui.gil import SWITCH_INTERVAL_S

    sys.setswitchinterval(0.005)
    make_window()
    assert sys.getswitchinterval() == pytest.approx(SWITCH_INTERVAL_S)
