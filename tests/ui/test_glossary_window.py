"""Tools → Glossary… in the real window (echo model): an entry added in the dialog is obeyed
at once, only the paragraphs with the term are translated again."""

from __future__ import annotations

import re

from reader.core.translation.results import ParagraphStatus
from reader.ui.dialogs.glossary import GlossaryDialog
from reader.ui.window.actions import ActionId
from tests.ui.conftest import wait_translated


def test_glossary_dialog_adds_an_entry_the_article_obeys(
    make_window, qtbot, install_fr_en, tmp_path
) -> None:
    window = make_window(wait=False)
    wait_translated(qtbot, window)
    view = window.pane.view
    article = window.session.article
    assert article is not None
    before = list(view.translations())
    # A word of 6+ letters that occurs in exactly one translated paragraph and is one
    # SentencePiece piece, as "vol" is: the echo model is positional, so a replacement of
    # another length would shift what follows it (see tests/core/test_glossary_engine.py).
    import sentencepiece

    pieces = sentencepiece.SentencePieceProcessor(
        model_file=str(install_fr_en.path / "sentencepiece.model"))
    counts: dict[str, list[int]] = {}
    for p in article.paragraphs:
        shown = before[p.index]
        if shown is not None and shown.status is not ParagraphStatus.PASSTHROUGH:
            for w in {w for w in re.findall(r"[a-zé]{6,}", p.text)
                      if len(pieces.encode(w, out_type=str)) == 1}:
                counts.setdefault(w, []).append(p.index)
    word, (row,) = next((w, rows) for w, rows in sorted(counts.items()) if len(rows) == 1)

    assert window.actions[ActionId.GLOSSARY].shortcut().toString() == "Ctrl+Shift+G"
    window.actions[ActionId.GLOSSARY].trigger()
    dialog = window.findChild(GlossaryDialog)
    assert dialog is not None and dialog.isVisible()
    dialog.prefill(word, "vol")
    with qtbot.waitSignal(dialog.changed):
        assert dialog.add_from_fields()
    assert dialog.table.rowCount() == 1 and dialog.table.item(0, 1).text() == "vol"
    qtbot.waitUntil(lambda: (t := view.translation(row)) is not None and bool(t.glossary)
                    and t.glossary[0].found, timeout=20_000)
    wait_translated(qtbot, window)
    after = view.translations()
    assert re.search(r"\bvol\b", after[row].translation)
    assert word not in after[row].translation.lower()
    for index, (old, new) in enumerate(zip(before, after, strict=True)):
        if index != row and old is not None:
            assert new is not None and new.translation == old.translation
            assert new.status in (ParagraphStatus.CACHED, ParagraphStatus.PASSTHROUGH,
                                  ParagraphStatus.EDITED)
    exported = tmp_path / "g.csv"
    with qtbot.waitSignal(dialog.done, timeout=10_000):
        dialog.export_file(str(exported))
    assert exported.read_text().splitlines()[1].startswith(f"{word},vol,")
    assert dialog.message.text() == f"Exported to {exported}."


def test_the_same_one_word_edit_twice_offers_a_glossary_entry(
    make_window, qtbot, install_fr_en
) -> None:
    window = make_window(wait=False)
    wait_translated(qtbot, window)
    view = window.pane.view
    rows = [i for i, t in enumerate(view.translations())
            if t is not None and t.status is ParagraphStatus.TRANSLATED]
    words = [{w for w in re.findall(r"\w{6,}", view.translation(i).translation)} for i in rows]
    a, b, word = next((rows[i], rows[j], w) for i in range(len(rows))
                      for j in range(i + 1, len(rows)) for w in sorted(words[i] & words[j])
                      if view.translation(rows[i]).translation.count(w) == 1
                      and view.translation(rows[j]).translation.count(w) == 1)
    messages: list[str] = []
    window.post_edits.message.connect(messages.append)
    for row in (a, b):
        old = view.translation(row).translation
        with qtbot.waitSignal(window.post_edits.editSaved, timeout=10_000):
            assert window.post_edits.save_edit(row, re.sub(rf"\b{word}\b", "conflit", old))
    qtbot.waitUntil(lambda: any("glossary entry" in m for m in messages), timeout=5_000)
    suggestion = window.post_edits.glossary_suggestion
    assert suggestion is not None and suggestion.target == "conflit"
    assert word.lower() in suggestion.candidates
    window.actions[ActionId.GLOSSARY].trigger()
    dialog = window.findChild(GlossaryDialog)
    assert dialog.target.text() == "conflit"
    assert dialog.source.text() == suggestion.candidates[0]
    assert window.post_edits.glossary_suggestion is None  # offered once


def test_word_menu_keep_and_always_translate_as(make_window, qtbot, install_fr_en) -> None:
    from reader.ui.reading_view.menu import build_row_menu

    window = make_window(wait=False)
    wait_translated(qtbot, window)
    view = window.pane.view
    menu, actions = build_row_menu(view, view.translation(0), can_edit=True,
                                   show_translation=True, on_sentence=True, source_word="Kyiv")
    assert actions["glossary-translate"].text() == "Always translate “Kyiv” as…"
    assert actions["glossary-keep"].text() == "Keep “Kyiv” (do not translate)"
    menu.deleteLater()
    view.glossaryRequested.emit("Kyiv", True)  # "Keep this word": added at once
    dialog = window.findChild(GlossaryDialog)
    qtbot.waitUntil(lambda: dialog.table.rowCount() == 1, timeout=10_000)
    assert [(e.source, e.target) for e in dialog.store().entries()] == [("Kyiv", None)]
    view.glossaryRequested.emit("Poutine", False)  # "Always translate as…": filled in
    assert dialog.source.text() == "Poutine" and dialog.target.text() == ""
    assert dialog.target.hasFocus() or not dialog.isActiveWindow()


def test_the_dialog_says_a_server_does_not_apply_it(make_window, qtbot, install_fr_en) -> None:
    from reader.core.server.engine import ServerEngine
    from reader.ui import settings as keys

    window = make_window(wait=False)
    wait_translated(qtbot, window)
    window.actions[ActionId.GLOSSARY].trigger()
    dialog = window.findChild(GlossaryDialog)
    assert not dialog.server_note.isVisible()
    settings = window.services.settings
    # A closed loopback port: nothing is ever sent, the note depends only on the choice.
    settings.set(keys.SERVER_URL, "http://127.0.0.1:9")
    settings.set(keys.TRANSLATE_WITH, "server")
    assert isinstance(window.services.engines.engine, ServerEngine)
    window.actions[ActionId.GLOSSARY].trigger()
    assert dialog.server_note.isVisible()
    assert "Not applied while a LibreTranslate server translates" in dialog.server_note.text()
    settings.set(keys.TRANSLATE_WITH, "local")
    window.actions[ActionId.GLOSSARY].trigger()
    assert not dialog.server_note.isVisible()


def test_a_glossary_that_cannot_be_opened_is_one_line(
    make_window, qtbot, install_fr_en, monkeypatch
) -> None:
    """The file held by another program, unwritable, damaged: the dialog says so in one
    line, on the worker (the window never waits on it), and keeps working."""
    import sqlite3

    from reader.ui.dialogs import glossary as glossary_dialog

    def held(*_args: object) -> object:
        raise sqlite3.OperationalError("database is locked")

    window = make_window(wait=False)
    wait_translated(qtbot, window)
    monkeypatch.setattr(glossary_dialog, "GlossaryStore", held)
    window.actions[ActionId.GLOSSARY].trigger()
    dialog = window.findChild(GlossaryDialog)
    qtbot.waitUntil(lambda: "could not be used" in dialog.message.text(), timeout=10_000)
    assert dialog.message.text() == "The glossary could not be used: database is locked"
    dialog.prefill("Kyiv", keep=True)
    with qtbot.waitSignal(dialog.done, timeout=10_000):
        assert dialog.add_from_fields()  # tried again: the same line, nothing claimed saved
    assert dialog.message.text() == "The glossary could not be used: database is locked"
    assert dialog.table.rowCount() == 0
    assert dialog.source.text() == "Kyiv"  # what was typed is still there to try again
