"""Words in the window, with real widgets and the hand-set echo model (exact spans): hover a
word and its counterpart lights; the alternatives menus; a chosen one stored as a post-edit
(read back from the cache)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QPoint, Qt

from reader.core.articles.article import source_hash
from reader.core.translation.cache import TranslationCache
from reader.core.translation.results import ParagraphStatus
from reader.ui.reading_view import Side
from tests.ui.conftest import wait_translated

TEXT = "La maison est grande. Il pleut."


def _article(tmp_path: Path) -> Path:
    path = tmp_path / "maison.txt"
    path.write_text(f"Une maison\n\n{TEXT}\n", encoding="utf-8")
    return path


def _window(make_window, qtbot, tmp_path):  # type: ignore[no-untyped-def]
    window = make_window([_article(tmp_path)], wait=True)
    window.library.select_row(0) if hasattr(window.library, "select_row") else None
    wait_translated(qtbot, window)
    view = window.pane.view
    row = next(r for r in range(view.row_count())
               if view.translation(r) is not None and view.translation(r).source == TEXT)
    view.go_to_paragraph(row)
    view.flush()
    return window, view, row


def test_hovering_a_word_lights_its_counterpart(make_window, qtbot, tmp_path, install_fr_en):
    window, view, row = _window(make_window, qtbot, tmp_path)
    assert view.translation(row).translation == TEXT
    qtbot.mouseMove(view.viewport(), view.point_for(row, Side.SOURCE, TEXT.index("maison") + 2))
    qtbot.waitUntil(lambda: view.lit_words() != {}, timeout=10_000)
    assert view.lit_words() == {Side.SOURCE: [(3, 9)], Side.TARGET: [(3, 9)]}
    qtbot.mouseMove(view.viewport(), view.point_for(row, Side.TARGET, TEXT.index("pleut") + 1))
    qtbot.waitUntil(lambda: view.lit_words().get(Side.SOURCE) == [(25, 30)], timeout=5_000)
    assert view.lit_words()[Side.TARGET] == [(25, 30)]
    # Kept in the cache: another cache object (another process) has them.
    route = window.services.engine.route("fr", "en")
    from reader.core.words.alignment import pair_key

    keys = [pair_key("La maison est grande.", "La maison est grande.")]
    assert TranslationCache().get_word_links(route.key, keys)


def test_a_word_alternative_chosen_becomes_a_stored_edit(
    make_window, qtbot, tmp_path, install_fr_en
):
    window, view, row = _window(make_window, qtbot, tmp_path)
    tools = window.word_tools
    offset = TEXT.index("maison") + 1
    with qtbot.waitSignal(tools.choicesShown, timeout=10_000):
        qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton,
                         Qt.KeyboardModifier.ControlModifier,
                         pos=view.point_for(row, Side.TARGET, offset))
    menu = tools.menu
    assert menu is not None and menu.isVisible()
    entries = [a for a in menu.actions() if a.data()]
    assert entries[0].data() == "La maison est grande." and entries[0].isChecked()
    assert menu.actions()[0].text() == "Alternatives for “maison”"
    chosen = entries[1]
    sentence = chosen.data()
    assert sentence.endswith(" est grande.") and sentence != entries[0].data()
    with qtbot.waitSignal(window.editSaved, timeout=10_000):
        chosen.trigger()
    expected = f"{sentence} Il pleut."
    qtbot.waitUntil(lambda: view.translation(row).translation == expected)
    assert view.translation(row).status is ParagraphStatus.EDITED
    stored = TranslationCache().get_edits("fr", "en", [source_hash(TEXT)])
    assert stored[source_hash(TEXT)].translation == expected


def test_sentence_alternatives_from_the_context_menu_request(
    make_window, qtbot, tmp_path, install_fr_en
):
    window, view, row = _window(make_window, qtbot, tmp_path)
    tools = window.word_tools
    with qtbot.waitSignal(tools.choicesShown, timeout=10_000):
        view.alternativesRequested.emit(row, "sentence", "source", 30, QPoint(10, 10))
    entries = [a for a in tools.menu.actions() if a.data()]
    assert entries[0].data() == "Il pleut."
    assert len(entries) == 5 and entries[0].isChecked()
    assert tools.menu.actions()[0].text() == "Other translations of this sentence"


def test_alternatives_on_no_sentence_say_so(make_window, qtbot, tmp_path, install_fr_en):
    window, view, row = _window(make_window, qtbot, tmp_path)
    tools = window.word_tools
    with qtbot.waitSignal(tools.choicesFailed, timeout=5_000) as failed:
        view.alternativesRequested.emit(row, "word", "target", TEXT.index("."), QPoint(1, 1))
    assert failed.args == ["no word at position 20 of the translation"]
    assert tools.menu is None
