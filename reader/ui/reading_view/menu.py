"""The right-click menu of a row: copy either side, edit, revert, translate again, and the
alternatives of the sentence or the translation's word under the mouse."""

from __future__ import annotations

from PySide6.QtCore import QPoint
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QMenu, QWidget

from reader.core.translation.results import ParagraphStatus, ParagraphTranslation
from reader.ui.reading_view.types import EDIT_KEYS, RETRANSLATE_KEYS, REVERT_KEYS


def build_row_menu(
    parent: QWidget, translation: ParagraphTranslation | None, *, can_edit: bool,
    show_translation: bool, on_sentence: bool = False, word: str = "", source_word: str = "",
) -> tuple[QMenu, dict[str, object]]:
    """The menu, and its actions by name: ``copy-source``, ``copy-target``, ``edit-here``,
    ``edit``, ``revert``, ``retranslate`` (enabled as they apply to that row), and when the
    mouse is on a sentence of a machine translation ``sentence-alternatives``, on a word of
    the translation (``word``) ``word-alternatives``; on a word of the original
    (``source_word``) ``glossary-translate`` and ``glossary-keep``."""
    menu = QMenu(parent)
    actions = {
        "copy-source": menu.addAction("Copy original"),
        "copy-target": menu.addAction("Copy translation"),
    }
    menu.addSeparator()
    if on_sentence and show_translation:
        actions["sentence-alternatives"] = menu.addAction("Other translations of this sentence…")
        if word:
            shown = word if len(word) <= 30 else word[:29] + "…"
            actions["word-alternatives"] = menu.addAction(
                f"Alternatives for “{shown}”…\tCtrl+click"
            )
        menu.addSeparator()
    if source_word:
        shown = source_word if len(source_word) <= 30 else source_word[:29] + "…"
        actions["glossary-translate"] = menu.addAction(f"Always translate “{shown}” as…")
        actions["glossary-keep"] = menu.addAction(f"Keep “{shown}” (do not translate)")
        menu.addSeparator()
    # The text after a tab is shown as the shortcut (the window's actions own the keys).
    actions["edit-here"] = menu.addAction(f"Edit translation\t{EDIT_KEYS} / double-click")
    actions["edit"] = menu.addAction("Edit in a window…")
    actions["revert"] = menu.addAction(f"Revert to machine translation\t{REVERT_KEYS}")
    actions["retranslate"] = menu.addAction(f"Translate paragraph again\t{RETRANSLATE_KEYS}")
    translatable = translation is None or translation.status is not ParagraphStatus.PASSTHROUGH
    actions["copy-target"].setEnabled(bool(translation and translation.translation))
    actions["edit-here"].setEnabled(can_edit)
    actions["edit"].setEnabled(bool(translation) and translatable)
    actions["revert"].setEnabled(
        bool(translation) and translation is not None
        and translation.status is ParagraphStatus.EDITED
    )
    actions["retranslate"].setEnabled(translatable and show_translation)
    return menu, actions  # type: ignore[return-value]


def exec_row_menu(
    parent: QWidget, position: QPoint, source: str,
    translation: ParagraphTranslation | None, *, can_edit: bool, show_translation: bool,
    on_sentence: bool = False, word: str = "", source_word: str = "",
) -> str | None:
    """Show the menu; copying is done here. Returns the row action chosen for the view to
    carry out (``edit-here``, ``edit``, ``revert``, ``retranslate``,
    ``sentence-alternatives``, ``word-alternatives``), or None."""
    menu, actions = build_row_menu(parent, translation, can_edit=can_edit,
                                   show_translation=show_translation,
                                   on_sentence=on_sentence, word=word,
                                   source_word=source_word)
    chosen = menu.exec(position)
    name = next((key for key, action in actions.items() if action is chosen), None)
    if name == "copy-source":
        QGuiApplication.clipboard().setText(source)
    elif name == "copy-target" and translation is not None:
        QGuiApplication.clipboard().setText(translation.translation)
    elif name is not None and name.startswith("copy"):
        return None
    else:
        return name
    return None
