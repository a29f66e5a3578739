"""The word panel, saved words and read aloud in the real window, with the hand-set echo
model (its translation is the source, so the aligned word is known) and a test dictionary:
a click shows the entries at once, S saves the word with its context, the Words list
filters, deletes and jumps back, read aloud lights each sentence (Qt's mock engine)."""

from __future__ import annotations

import sqlite3
import time
import zipfile
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from reader.core.words import dictionaries
from reader.core.words.saved import SavedWords
from reader.ui.reading_view import Side
from reader.ui.window.actions import ActionId
from reader.ui.words import controller
from reader.ui.words.speech import speech_missing
from testkit.dictionaries import FRENCH_ENGLISH, build_dictd
from tests.ui.conftest import wait_translated

TEXT = "Il pleut. Les maisons sont grandes."


@pytest.fixture(autouse=True)
def test_dictionary(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    build_dictd(tmp_path / "dictd", "freedict-fra-eng", FRENCH_ENGLISH)
    monkeypatch.setenv(dictionaries.SYSTEM_FOLDERS_VARIABLE, str(tmp_path / "dictd"))


def _window(make_window, qtbot, tmp_path):  # type: ignore[no-untyped-def]
    path = tmp_path / "maisons.txt"
    path.write_text(f"Des maisons\n\n{TEXT}\n", encoding="utf-8")
    window = make_window([path], wait=True)
    wait_translated(qtbot, window)
    view = window.pane.view
    row = next(r for r in range(view.row_count())
               if view.translation(r) is not None and view.translation(r).source == TEXT)
    view.go_to_paragraph(row)
    view.flush()
    return window, view, row


def _click_word(qtbot, view, row: int, word: str) -> None:  # type: ignore[no-untyped-def]
    point = view.point_for(row, Side.SOURCE, TEXT.index(word) + 1)
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=point)


def test_click_shows_entries_and_s_saves_the_word(make_window, qtbot, tmp_path,
                                                  install_fr_en) -> None:
    window, view, row = _window(make_window, qtbot, tmp_path)
    words = window.words.controller
    panel = words.panel
    _click_word(qtbot, view, row, "maisons")
    qtbot.waitUntil(lambda: "house" in panel.entries_text(), timeout=10_000)
    assert window.words.panel_dock.isVisible()
    assert panel.heading.text() == "maisons → maison"
    assert panel.entries_text().splitlines()[:2] == ["maison /mɛzɔ̃/ <n, fem>", "house"]
    # Warm now: the next click's entries are on screen within the click's own event.
    started = time.perf_counter()
    _click_word(qtbot, view, row, "grandes")
    elapsed_ms = (time.perf_counter() - started) * 1000
    assert panel.heading.text() == "grandes → grand"
    assert "big, tall, great" in panel.entries_text()
    assert words.last_lookup_ms < 50 and elapsed_ms < 500  # the click itself, repaint included
    with qtbot.waitSignal(words.saved, timeout=10_000) as saved:
        qtbot.keyClick(view, Qt.Key.Key_S)
    word = saved.args[0]
    assert (word.word, word.lemma, word.sentence, word.translation, word.target_word) == (
        "grandes", "grand", "Les maisons sont grandes.", "Les maisons sont grandes.", "grandes")
    assert word.meaning == "grand /ɡʁɑ̃/ <adj>\nbig, tall, great"
    assert word.article_path == str(tmp_path / "maisons.txt")
    assert [w.word for w in SavedWords().list()] == ["grandes"]


def test_a_word_without_entry_and_a_missing_dictionary_say_so(
        make_window, qtbot, tmp_path, install_fr_en, monkeypatch) -> None:
    window, view, row = _window(make_window, qtbot, tmp_path)
    panel = window.words.controller.panel
    _click_word(qtbot, view, row, "pleut")
    qtbot.waitUntil(lambda: panel.heading.text() == "pleut", timeout=10_000)
    assert panel.note.text() == "No entry for “pleut” (tried pleut, pleuvoir)."
    monkeypatch.setenv(dictionaries.SYSTEM_FOLDERS_VARIABLE, "")
    _click_word(qtbot, view, row, "maisons")
    qtbot.waitUntil(lambda: panel.heading.text() == "maisons", timeout=10_000)
    assert panel.note.text().startswith("No fr → en dictionary installed; install the "
                                        "system package dict-freedict-fra-eng")


def test_words_list_filters_deletes_jumps_and_exports(make_window, qtbot, tmp_path,
                                                      install_fr_en) -> None:
    window, view, row = _window(make_window, qtbot, tmp_path)
    words = window.words.controller
    for word in ("maisons", "pleut"):
        _click_word(qtbot, view, row, word)
        qtbot.waitUntil(lambda w=word: words.panel.word == w, timeout=10_000)
        with qtbot.waitSignal(words.saved, timeout=10_000):
            words.panel.save_button.click()
    window.actions[ActionId.SAVED_WORDS].trigger()
    listing = words.words_list
    qtbot.waitUntil(lambda: listing.tree.topLevelItemCount() == 2, timeout=10_000)
    assert window.words.list_dock.isVisible()
    assert [listing.tree.topLevelItem(i).text(0) for i in range(2)] == ["pleut", "maisons"]
    assert listing.tree.topLevelItem(1).text(2) == "maisons"  # the aligned target word
    assert listing.tree.topLevelItem(0).text(1) == "pleuvoir"
    listing.filter.setText("mais")
    qtbot.waitUntil(lambda: listing.tree.topLevelItemCount() == 1, timeout=10_000)
    assert listing.count.text() == "1 word (filtered)"
    listing.filter.setText("")
    qtbot.waitUntil(lambda: listing.tree.topLevelItemCount() == 2, timeout=10_000)
    # Jump to context: the word lit in its paragraph.
    view.go_to_paragraph(0)
    assert window.words.jump(listing.words[1]), window.last_message
    hit = view.search_hit()
    assert hit is not None and (hit.row, hit.side, hit.start, hit.end) == (
        row, Side.SOURCE, TEXT.index("maisons"), TEXT.index("maisons") + len("maisons"))
    # Export the list as it is shown: a real Anki package.
    target = tmp_path / "mine.apkg"
    words.export(target)
    qtbot.waitUntil(target.exists, timeout=10_000)
    with zipfile.ZipFile(target) as package:
        package.extract("collection.anki2", tmp_path)
    db = sqlite3.connect(tmp_path / "collection.anki2")
    assert sorted(f.split("\x1f")[0] for (f,) in db.execute("SELECT flds FROM notes")) == [
        "maisons", "pleut"]
    db.close()
    # Delete the selected one.
    listing.tree.topLevelItem(0).setSelected(True)
    listing.delete_button.click()
    qtbot.waitUntil(lambda: listing.tree.topLevelItemCount() == 1, timeout=10_000)
    assert [w.word for w in SavedWords().list()] == ["maisons"]


@pytest.mark.skipif(bool(speech_missing()), reason="QtTextToSpeech is missing "
                    "(PySide6-Addons not installed)")
def test_read_aloud_lights_each_sentence(make_window, qtbot, tmp_path, install_fr_en,
                                        monkeypatch) -> None:
    window, view, row = _window(make_window, qtbot, tmp_path)
    words = window.words.controller
    # Qt's mock engine speaks no French: the reader hears which package to install.
    words.speech.engine_name = "mock"
    _click_word(qtbot, view, row, "maisons")
    with qtbot.waitSignal(words.speech.finished, timeout=10_000):
        assert words.toggle_read_aloud()  # the engine starts in its own thread first
    assert "No French voice is installed" in words.panel.note.text()
    assert "speech-dispatcher-espeak-ng" in words.panel.note.text()
    # English text through the same path: each sentence lit in turn, then cleared.
    lit: list[tuple[int, int]] = []
    words.speech.sentenceStarted.connect(
        lambda _i: lit.append((view.search_hit().start, view.search_hit().end)))
    # (the paragraph read as English: the mock engine's language)
    monkeypatch.setattr(controller, "paragraph_language", lambda article, row: "en")
    with qtbot.waitSignal(words.speech.finished, timeout=10_000):
        assert words.toggle_read_aloud()
    assert lit == [(0, 9), (10, len(TEXT))]
    assert view.search_hit() is None


def test_ctrl_d_looks_up_the_word_under_the_mouse(make_window, qtbot, tmp_path,
                                                  install_fr_en) -> None:
    from PySide6.QtGui import QCursor

    window, view, row = _window(make_window, qtbot, tmp_path)
    panel = window.words.controller.panel
    point = view.point_for(row, Side.SOURCE, TEXT.index("grandes") + 2)
    QCursor.setPos(view.viewport().mapToGlobal(point))
    if view.viewport().mapFromGlobal(QCursor.pos()) != point:
        pytest.skip("this platform plug-in cannot place the mouse pointer")
    window.actions[ActionId.LOOKUP_WORD].trigger()
    qtbot.waitUntil(lambda: panel.heading.text() == "grandes → grand", timeout=10_000)
    assert window.words.panel_dock.isVisible()
