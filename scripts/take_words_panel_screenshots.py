"""Take the README's word panel and Words list screenshots offscreen (a dev tool).

    python scripts/build_gloss_model.py /tmp/gloss
    python scripts/take_words_panel_screenshots.py docs/screenshots \\
        --model /tmp/gloss/translate-fr_en-1_0.argosmodel

In fresh XDG folders under a temporary home, the gloss model is installed (``models
install``) and the first sample opened. The dictionaries are the system's (Debian's
dict-freedict-fra-eng when installed). Driven as the mouse would: a word of the original
looked up (``word-panel.png``), a few words saved, then the Words list shown
(``words-list.png``).
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from take_screenshots import open_article, open_window, run_offscreen, settle, wait_for

SIZE = (1560, 800)
WORDS = ("frontière", "armée", "soldats", "villes", "attaques", "forces", "ministre")


def scenes(out: Path) -> None:
    window = open_window(SIZE)
    open_article(window, 0)
    view = window.pane.view
    words = window.words.controller
    article = view.article()
    found = []
    for row, paragraph in enumerate(article.paragraphs):
        for word in WORDS:
            offset = paragraph.text.find(word)
            if offset >= 0 and view.translation(row) is not None and \
                    (row, word) not in found and word not in [w for _, w in found]:
                found.append((row, word))
    if not found:
        raise SystemExit("none of the words is in the first sample")
    saved: list[object] = []
    words.saved.connect(saved.append)
    for row, word in found[:5]:
        offset = article.paragraphs[row].text.find(word)
        words.lookup(row, offset, word)
        wait_for(f"the entry of {word}", lambda w=word: words.panel.word == w
                 and "Looking" not in words.panel.note.text())
        count = len(saved)
        words.save_current()
        wait_for(f"{word} saved", lambda c=count: len(saved) > c)
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest

    from reader.ui.reading_view import Side

    row, word = found[0]
    offset = article.paragraphs[row].text.find(word)
    view.go_to_paragraph(row)
    window.resizeDocks([window.words.panel_dock], [340], Qt.Orientation.Horizontal)
    settle(0.3)
    # A real click on the word: its sentence pinned, its entries in the panel.
    QTest.mouseClick(view.viewport(), Qt.MouseButton.LeftButton,
                     pos=view.point_for(row, Side.SOURCE, offset + 1))
    wait_for("the entry", lambda: words.panel.word == word)
    window.statusBar().clearMessage()
    settle(0.8)
    window.grab().save(str(out / "word-panel.png"))
    print(out / "word-panel.png")
    window.words.toggle_list()
    window.resizeDocks([window.words.list_dock], [720], Qt.Orientation.Horizontal)
    wait_for("the list", lambda: words.words_list.tree.topLevelItemCount() >= len(found[:5]))
    window.statusBar().clearMessage()
    settle(0.8)
    window.grab().save(str(out / "words-list.png"))
    print(out / "words-list.png")
    window.shutdown()


def main(argv: list[str] | None = None) -> int:
    return run_offscreen(__doc__ or "", __file__, scenes, argv)


if __name__ == "__main__":
    sys.exit(main())
