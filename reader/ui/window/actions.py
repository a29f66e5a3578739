"""Every command of the window, declared once: menus, toolbar, shortcuts and the help page
(F1) are all built from this table, so they cannot disagree.

To add a command: add an :class:`ActionId`, its :class:`ActionSpec` in ``ACTIONS``, put
it in ``MENUS`` (and ``TOOLBAR`` if wanted), and give the shell a slot for it
(:func:`window_slots`). Keys the reading view handles itself (hover, Space, Ctrl+C…) are
listed in ``VIEW_KEYS`` so the help page shows them too.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from html import escape
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QActionGroup, QKeySequence
from PySide6.QtWidgets import QMenu, QMenuBar, QSizePolicy, QToolBar, QWidget

from reader.ui.reading_view import EDIT_KEYS, RETRANSLATE_KEYS, REVERT_KEYS, Layout

if TYPE_CHECKING:
    from reader.ui.window.shell import MainWindow

Keys = str | QKeySequence.StandardKey


class ActionId(StrEnum):
    ADD_ARTICLE = "add-article"
    PASTE_ARTICLE = "paste-article"
    OPEN_FOLDER = "open-folder"
    OPEN_FILES = "open-files"
    REFRESH_FEEDS = "refresh-feeds"
    EXPORT = "export"
    EXPORT_LISTED = "export-listed"
    EXPORT_EPUB = "export-epub"
    QUIT = "quit"
    FIND = "find"
    FIND_NEXT = "find-next"
    EDIT = "edit"
    REVERT = "revert"
    PREFERENCES = "preferences"
    SIDE_BY_SIDE = "layout-side-by-side"
    INTERLEAVED = "layout-interleaved"
    TRANSLATION_ONLY = "layout-translation-only"
    PEEK = "peek"
    TOGGLE_LIBRARY = "toggle-library"
    BIGGER = "bigger"
    SMALLER = "smaller"
    NORMAL_SIZE = "normal-size"
    THEME_SYSTEM = "theme-system"
    THEME_LIGHT = "theme-light"
    THEME_DARK = "theme-dark"
    NEXT_ARTICLE = "next-article"
    PREVIOUS_ARTICLE = "previous-article"
    NEXT_PARAGRAPH = "next-paragraph"
    PREVIOUS_PARAGRAPH = "previous-paragraph"
    NEXT_CHAPTER = "next-chapter"
    PREVIOUS_CHAPTER = "previous-chapter"
    FILTER = "filter"
    SEARCH = "search"
    TOGGLE_READ = "toggle-read"
    TRANSLATE = "translate"
    STOP = "stop"
    RETRANSLATE = "retranslate"
    CLEAR_ARTICLE = "clear-article"
    CLEAR_EDITS = "clear-edits"
    MODELS = "models"
    LOOKUP_WORD = "lookup-word"
    SAVE_WORD = "save-word"
    SAVED_WORDS = "saved-words"
    READ_ALOUD = "read-aloud"
    GLOSSARY = "glossary"
    HELP = "help"


@dataclass(frozen=True)
class ActionSpec:
    text: str
    keys: tuple[Keys, ...] = ()
    tip: str = ""
    checkable: bool = False
    group: str = ""  # checkable actions of one group exclude each other
    auto_repeat: bool = True


ACTIONS: dict[ActionId, ActionSpec] = {
    ActionId.ADD_ARTICLE: ActionSpec(
        "Add article…", ("Ctrl+N",), tip="Fetch a news article from a link into your library"),
    ActionId.PASTE_ARTICLE: ActionSpec(
        "Paste link or text into the library", ("Ctrl+V",),
        tip="A copied link is fetched; copied text is kept as an article"),
    ActionId.OPEN_FOLDER: ActionSpec("Open folder…", ("Ctrl+O",)),
    ActionId.OPEN_FILES: ActionSpec("Open files…", ("Ctrl+Shift+O",)),
    ActionId.REFRESH_FEEDS: ActionSpec(
        "Refresh feeds", ("F5",),
        tip="Fetch the new items of the feeds you follow into your library"),
    ActionId.EXPORT: ActionSpec("Export PDF…", ("Ctrl+E",)),
    ActionId.EXPORT_EPUB: ActionSpec(
        "Export EPUB…", ("Ctrl+Alt+E",),
        tip="The open article or book as a bilingual EPUB for an e-reader"),
    ActionId.EXPORT_LISTED: ActionSpec(
        "Export listed articles to one PDF…", ("Ctrl+Shift+E",),
        tip="Every article in the library list (as filtered), in its order"),
    ActionId.QUIT: ActionSpec("Quit", ("Ctrl+Q",)),
    ActionId.FIND: ActionSpec("Find in article…", ("Ctrl+F",),
                              tip="Both languages; Enter next, Shift+Enter previous"),
    ActionId.FIND_NEXT: ActionSpec("Find next", ("F3", "Ctrl+G")),
    ActionId.EDIT: ActionSpec(
        "Edit paragraph translation", (EDIT_KEYS,),
        tip="Edit the current paragraph's translation in place (also: double-click it, "
            "or Enter in the reading view)"),
    ActionId.REVERT: ActionSpec("Revert to machine translation", (REVERT_KEYS,)),
    ActionId.PREFERENCES: ActionSpec("Preferences…", ("Ctrl+,",)),
    ActionId.SIDE_BY_SIDE: ActionSpec("Side by side", ("Ctrl+1",), checkable=True,
                                      group="layout"),
    ActionId.INTERLEAVED: ActionSpec("Interleaved", ("Ctrl+2",), checkable=True,
                                     group="layout"),
    ActionId.TRANSLATION_ONLY: ActionSpec("Translation only", ("Ctrl+3",), checkable=True,
                                          group="layout"),
    ActionId.PEEK: ActionSpec(
        "Show original (hold O)", ("O",), checkable=True, auto_repeat=False,
        tip="In translation-only layout: hold O to see the original, tap to toggle"),
    ActionId.TOGGLE_LIBRARY: ActionSpec(
        "Library", ("Ctrl+B",), checkable=True,
        tip="Show or hide the library list (a narrow window hides it by itself)"),
    ActionId.BIGGER: ActionSpec("Bigger text", ("Ctrl+=", "Ctrl++")),
    ActionId.SMALLER: ActionSpec("Smaller text", ("Ctrl+-",)),
    ActionId.NORMAL_SIZE: ActionSpec("Normal text size", ("Ctrl+0",)),
    ActionId.THEME_SYSTEM: ActionSpec("Follow system", checkable=True, group="theme"),
    ActionId.THEME_LIGHT: ActionSpec("Light", checkable=True, group="theme"),
    ActionId.THEME_DARK: ActionSpec("Dark", checkable=True, group="theme"),
    ActionId.NEXT_ARTICLE: ActionSpec("Next article", ("Ctrl+PgDown", "Alt+Down")),
    ActionId.PREVIOUS_ARTICLE: ActionSpec("Previous article", ("Ctrl+PgUp", "Alt+Up")),
    ActionId.NEXT_PARAGRAPH: ActionSpec("Next paragraph", ("J", "Ctrl+Down")),
    ActionId.PREVIOUS_PARAGRAPH: ActionSpec("Previous paragraph", ("K", "Ctrl+Up")),
    ActionId.NEXT_CHAPTER: ActionSpec("Next chapter", ("Alt+PgDown",), tip="In a book"),
    ActionId.PREVIOUS_CHAPTER: ActionSpec("Previous chapter", ("Alt+PgUp",), tip="In a book"),
    ActionId.FILTER: ActionSpec("Filter library", ("Ctrl+L",)),
    ActionId.SEARCH: ActionSpec(
        "Search library…", ("Ctrl+Shift+F",),
        tip="Originals and cached translations, ignoring case and accents"),
    ActionId.TOGGLE_READ: ActionSpec(
        "Mark as read / unread", ("Ctrl+U",),
        tip="An article becomes read once its end has been on screen"),
    ActionId.TRANSLATE: ActionSpec("Translate article (resume)", ("Ctrl+R",)),
    ActionId.STOP: ActionSpec("Stop translating", ("Ctrl+.",)),
    ActionId.RETRANSLATE: ActionSpec(
        "Translate paragraph again", (RETRANSLATE_KEYS,),
        tip="Run the model again on the current paragraph only"),
    ActionId.CLEAR_ARTICLE: ActionSpec(
        "Clear this article's translations",
        tip="Forget the machine translations of this article's paragraphs (your edits stay) "
            "and translate it again"),
    ActionId.CLEAR_EDITS: ActionSpec(
        "Also delete my edits…",
        tip="Forget this article's machine translations and your edits (asks first)"),
    ActionId.MODELS: ActionSpec("Translation models…", ("Ctrl+M",)),
    ActionId.LOOKUP_WORD: ActionSpec(
        "Look up word", ("Ctrl+D",),
        tip="The dictionary entries of the word under the mouse (or click a word)"),
    ActionId.SAVE_WORD: ActionSpec(
        "Save word", ("S",), auto_repeat=False,
        tip="Keep the word last looked up, with its sentence and translation, in your words"),
    ActionId.SAVED_WORDS: ActionSpec(
        "Saved words", ("Ctrl+Shift+W",),
        tip="Your saved words: filter, delete, go back to the sentence, export to Anki"),
    ActionId.READ_ALOUD: ActionSpec(
        "Read aloud", ("Ctrl+Shift+A",), auto_repeat=False,
        tip="Say the current paragraph in its language, lighting each sentence; again: stop"),
    ActionId.GLOSSARY: ActionSpec(
        "Glossary…", ("Ctrl+Shift+G",),
        tip="Your terms: always translate a word as you say, or keep it as written"),
    ActionId.HELP: ActionSpec("Keyboard shortcuts", ("F1",)),
}

# A menu entry: an action, None (a separator) or a submenu (title, entries).
MenuEntry = ActionId | None | tuple[str, tuple[ActionId, ...]]

MENUS: tuple[tuple[str, tuple[MenuEntry, ...]], ...] = (
    ("&File", (ActionId.ADD_ARTICLE, ActionId.PASTE_ARTICLE, None,
               ActionId.OPEN_FOLDER, ActionId.OPEN_FILES, ActionId.REFRESH_FEEDS, None,
               ActionId.EXPORT, ActionId.EXPORT_EPUB, ActionId.EXPORT_LISTED, None, ActionId.QUIT)),
    ("&Edit", (ActionId.FIND, ActionId.FIND_NEXT, None, ActionId.EDIT, ActionId.REVERT, None,
               ActionId.PREFERENCES)),
    ("&View", (ActionId.SIDE_BY_SIDE, ActionId.INTERLEAVED, ActionId.TRANSLATION_ONLY,
               ActionId.PEEK, None, ActionId.TOGGLE_LIBRARY, None, ActionId.BIGGER,
               ActionId.SMALLER, ActionId.NORMAL_SIZE, None,
               ("Theme", (ActionId.THEME_SYSTEM, ActionId.THEME_LIGHT, ActionId.THEME_DARK)))),
    ("&Go", (ActionId.NEXT_ARTICLE, ActionId.PREVIOUS_ARTICLE, None, ActionId.NEXT_CHAPTER,
             ActionId.PREVIOUS_CHAPTER, None, ActionId.NEXT_PARAGRAPH,
             ActionId.PREVIOUS_PARAGRAPH, None, ActionId.FILTER, ActionId.SEARCH, None,
             ActionId.TOGGLE_READ)),
    ("&Translate", (ActionId.TRANSLATE, ActionId.STOP, None, ActionId.RETRANSLATE, None,
                    ActionId.CLEAR_ARTICLE, ActionId.CLEAR_EDITS, None, ActionId.MODELS)),
    ("&Words", (ActionId.LOOKUP_WORD, ActionId.SAVE_WORD, ActionId.SAVED_WORDS, None,
                ActionId.READ_ALOUD)),
    ("T&ools", (ActionId.GLOSSARY,)),
    ("&Help", (ActionId.HELP,)),
)

# A toolbar entry: an action, None (a separator), STRETCH, or the name of a widget the
# shell passes in (the quick switches).
STRETCH = "stretch"
TOOLBAR: tuple[ActionId | str | None, ...] = (
    ActionId.TOGGLE_LIBRARY, ActionId.OPEN_FOLDER, None, "Translate to", "target", "Quality",
    "quality", None,
    ActionId.SIDE_BY_SIDE, ActionId.INTERLEAVED, ActionId.TRANSLATION_ONLY, STRETCH,
    ActionId.EXPORT, ActionId.MODELS,
)

# Keys the reading view, the find bar and the editor handle themselves (not actions).
VIEW_KEYS: tuple[tuple[str, str], ...] = (
    ("Space / Shift+Space", "page down / up"),
    ("hover or click a sentence", "light up its counterpart (click pins it); Esc clears"),
    ("click a word of the original", "its dictionary entries in the Word panel"),
    ("Ctrl+C", "copy the clicked sentence pair, else the current paragraph and its "
               "translation (right-click: either side alone)"),
    ("Enter / Shift+Enter in the find bar", "next / previous match; Esc closes"),
    ("double-click a translation, or Enter", "edit it in place; Ctrl+Enter or clicking "
                                             "away saves, Esc cancels"),
    ("hold O (translation only)", "peek at the original; tap O to toggle"),
    ("drop files", "articles and folders join the library; .argosmodel files are installed"),
    ("drop a link from the browser", "the article is fetched into your library"),
)


def key_texts(spec: ActionSpec) -> list[str]:
    """The action's keys as the reader types them (every binding of a standard key)."""
    texts: list[str] = []
    for keys in spec.keys:
        sequences = (QKeySequence.keyBindings(keys)
                     if isinstance(keys, QKeySequence.StandardKey) else [QKeySequence(keys)])
        texts.extend(s.toString(QKeySequence.SequenceFormat.NativeText) for s in sequences)
    return [t for t in dict.fromkeys(texts) if t]


def help_sections() -> list[tuple[str, list[tuple[str, str]]]]:
    """(section, [(command, keys)]): every menu's commands that have keys, then the keys
    the reading view handles itself. The help page in either form is made from this."""
    sections: list[tuple[str, list[tuple[str, str]]]] = []
    for title, entries in MENUS:
        items = [(ACTIONS[entry].text.rstrip("…"), " / ".join(key_texts(ACTIONS[entry])))
                 for entry in _flatten(entries)]
        items = [(text, keys) for text, keys in items if keys]
        if items:
            sections.append((title.replace("&", ""), items))
    sections.append(("In the reading view", [(v, k) for k, v in VIEW_KEYS]))
    return sections


def shortcuts_help() -> str:
    """The help page (F1) as plain text."""
    return "\n".join(
        f"{title}: " + "; ".join(f"{text} {keys}" for text, keys in items) + "."
        for title, items in help_sections()
    )


def shortcuts_html() -> str:
    """The help page (F1) as a table, for the window."""
    rows: list[str] = []
    for title, items in help_sections():
        rows.append(f"<tr><th colspan=2 align=left><br>{escape(title)}</th></tr>")
        rows.extend(f"<tr><td>{escape(text)}</td><td>&nbsp;&nbsp;<b>{escape(keys)}</b></td></tr>"
                    for text, keys in items)
    return "<table cellspacing=2>" + "".join(rows) + "</table>"


def _flatten(entries: Sequence[MenuEntry]) -> list[ActionId]:
    flat: list[ActionId] = []
    for entry in entries:
        if isinstance(entry, ActionId):
            flat.append(entry)
        elif isinstance(entry, tuple):
            flat.extend(entry[1])
    return flat


def build_actions(
    owner: QWidget, slots: Mapping[ActionId, Callable[..., object]]
) -> dict[ActionId, QAction]:
    """One QAction per table entry, window-wide (they work from the library list and the
    reading view alike), connected to its slot."""
    actions: dict[ActionId, QAction] = {}
    groups: dict[str, QActionGroup] = {}
    for action_id, spec in ACTIONS.items():
        action = QAction(spec.text, owner)
        action.setObjectName(str(action_id))
        if spec.keys:
            action.setShortcuts([
                s for keys in spec.keys for s in (
                    QKeySequence.keyBindings(keys)
                    if isinstance(keys, QKeySequence.StandardKey) else [QKeySequence(keys)]
                )
            ])
        action.setCheckable(spec.checkable)
        action.setAutoRepeat(spec.auto_repeat)
        if spec.tip:
            action.setToolTip(spec.tip)
        if spec.group:
            groups.setdefault(spec.group, QActionGroup(owner)).addAction(action)
        action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        action.triggered.connect(slots[action_id])
        owner.addAction(action)
        actions[action_id] = action
    return actions


def build_menus(bar: QMenuBar, actions: Mapping[ActionId, QAction]) -> dict[str, QMenu]:
    menus: dict[str, QMenu] = {}
    for title, entries in MENUS:
        menu = bar.addMenu(title)
        menus[title.replace("&", "")] = menu
        _fill(menu, entries, actions)
    return menus


def _fill(menu: QMenu, entries: Sequence[MenuEntry], actions: Mapping[ActionId, QAction]) -> None:
    for entry in entries:
        if entry is None:
            menu.addSeparator()
        elif isinstance(entry, tuple):
            _fill(menu.addMenu(entry[0]), entry[1], actions)
        else:
            menu.addAction(actions[entry])


def build_toolbar(
    bar: QToolBar, actions: Mapping[ActionId, QAction], widgets: Mapping[str, QWidget]
) -> None:
    from PySide6.QtWidgets import QLabel

    for entry in TOOLBAR:
        if entry is None:
            bar.addSeparator()
        elif isinstance(entry, ActionId):
            bar.addAction(actions[entry])
        elif entry == STRETCH:
            spacer = QWidget()
            spacer.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
            bar.addWidget(spacer)
        elif entry in widgets:
            bar.addWidget(widgets[entry])
        else:  # a caption before a widget
            label = QLabel(entry)
            label.setContentsMargins(8, 0, 4, 0)
            bar.addWidget(label)


def window_slots(window: MainWindow) -> dict[ActionId, Callable[..., object]]:
    """What each command does in the main window: one slot per :class:`ActionId`."""
    from reader.ui.dialogs.glossary import GlossaryOpener

    lib, view, edits, A = window.library, window.pane.view, window.post_edits, ActionId
    return {
        A.ADD_ARTICLE: window.show_add_article, A.PASTE_ARTICLE: window.paste_article,
        A.OPEN_FOLDER: lib.choose_folder, A.OPEN_FILES: lib.choose_files,
        A.EXPORT: window.exporter.export_open, A.EXPORT_LISTED: window.exporter.export_listed,
        A.EXPORT_EPUB: window.exporter.export_open_epub,
        A.QUIT: window.close, A.FIND: window.pane.open_find, A.REFRESH_FEEDS: window.feeds.refresh,
        A.FIND_NEXT: lambda: view.find_next(False), A.EDIT: edits.edit_in_place,
        A.REVERT: edits.revert_current, A.PREFERENCES: window.open_preferences,
        A.SIDE_BY_SIDE: lambda: window.set_layout(Layout.SIDE_BY_SIDE),
        A.INTERLEAVED: lambda: window.set_layout(Layout.INTERLEAVED),
        A.TRANSLATION_ONLY: lambda: window.set_layout(Layout.TRANSLATION_ONLY),
        A.PEEK: lambda checked: window.appearance.peek_triggered(checked),
        A.BIGGER: lambda: window.change_font_size(1),
        A.SMALLER: lambda: window.change_font_size(-1),
        A.NORMAL_SIZE: lambda: window.change_font_size(0),
        A.THEME_SYSTEM: lambda: window.set_theme("system"),
        A.THEME_LIGHT: lambda: window.set_theme("light"),
        A.THEME_DARK: lambda: window.set_theme("dark"),
        A.NEXT_ARTICLE: lambda: lib.step(1), A.PREVIOUS_ARTICLE: lambda: lib.step(-1),
        A.NEXT_PARAGRAPH: view.next_paragraph, A.PREVIOUS_PARAGRAPH: view.previous_paragraph,
        A.NEXT_CHAPTER: window.pane.next_chapter, A.PREVIOUS_CHAPTER: window.pane.previous_chapter,
        A.FILTER: lib.focus_filter, A.SEARCH: window.search.open,
        A.TRANSLATE: window.session.resume, A.STOP: window.session.cancel,
        A.RETRANSLATE: edits.retranslate_current, A.TOGGLE_READ: lambda: lib.toggle_read(),
        A.CLEAR_ARTICLE: lambda: edits.clear_article_translations(),
        A.CLEAR_EDITS: lambda: edits.clear_article_translations(include_edits=True),
        A.MODELS: window.open_model_manager, A.HELP: window.show_shortcuts,
        A.TOGGLE_LIBRARY: lambda *_: window.toggle_library(), A.GLOSSARY: GlossaryOpener(window),
    }

