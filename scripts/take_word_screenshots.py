"""Take the README's word screenshots with the offscreen platform (a dev tool).

    python scripts/build_gloss_model.py /tmp/gloss
    python scripts/take_word_screenshots.py docs/screenshots \\
        --model /tmp/gloss/translate-fr_en-1_0.argosmodel

In fresh XDG folders under a temporary home, the gloss model is installed the way a user
does (``models install``) and the first sample is opened; then, driven through the window's
public API as the mouse would: a word hovered with its counterpart lit
(``words-hover.png``), the alternatives of a translated word (``words-alternatives.png``)
and of a sentence (``sentence-alternatives.png``). A popup menu is a window of its own, so it
is grabbed apart and laid over the window where it stands.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from take_screenshots import open_article, open_window, run_offscreen, settle, wait_for

SIZE = (1200, 720)


def _grab(window, out: Path, menu=None) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtGui import QPainter

    if menu is not None and menu.isVisible():
        # Inside the shot: the menu opens right of the click, past a window this wide.
        right = window.mapToGlobal(window.rect().topRight()).x()
        menu.move(min(menu.x(), right - menu.width() - 8), menu.y())
    settle(0.8)
    image = window.grab()
    if menu is not None and menu.isVisible():
        painter = QPainter(image)
        at = menu.pos() - window.mapToGlobal(window.rect().topLeft())
        painter.drawPixmap(at, menu.grab())
        painter.end()
    image.save(str(out))
    print(f"{out}: {out.stat().st_size // 1024} KB")


def _word(view, row: int, side, words: tuple[str, ...]):  # type: ignore[no-untyped-def]
    """A hit on the first of ``words`` found in the row's ``side`` (else its longest word)."""
    from reader.ui.reading_view import Side
    from reader.ui.reading_view.types import Hit

    translation = view.translation(row)
    text = translation.translation if side is Side.TARGET else translation.source
    found = next((w for w in words if w in text), None)
    if found is None:
        found = max((w for w in text.split() if w.isalpha()), key=len)
    return Hit(row, side, text.index(found) + 1)


def scenes(out: Path) -> None:
    window = open_window(SIZE)
    open_article(window, 0)
    view = window.pane.view
    row = next(r for r in range(view.row_count()) if view.translation(r) is not None
               and len(view.translation(r).sentences) >= 2)
    view.go_to_paragraph(row)
    settle(0.5)
    from reader.ui.reading_view import Side

    # A word hovered: its counterpart lights (links read from the cache, made when the
    # article was translated).
    hit = _word(view, row, Side.SOURCE, ("frontière", "armée"))
    view.set_hovered_word(hit)
    wait_for("the word links", lambda: bool(view.lit_words()))
    window.statusBar().clearMessage()
    _grab(window, out / "words-hover.png")
    view.set_hovered_word(None)

    tools = window.word_tools
    shown: list[bool] = []
    tools.choicesShown.connect(lambda: shown.append(True))
    hit = _word(view, row, Side.TARGET, ("army", "border"))
    where = view.viewport().mapToGlobal(view.point_for(row, hit.side, hit.offset))
    view.request_alternatives(hit, "word", where)
    wait_for("the word alternatives", lambda: bool(shown))
    window.statusBar().clearMessage()
    _grab(window, out / "words-alternatives.png", tools.menu)
    tools.menu.close()

    shown.clear()
    view.request_alternatives(hit, "sentence", where)
    wait_for("the sentence alternatives", lambda: bool(shown))
    window.statusBar().clearMessage()
    _grab(window, out / "sentence-alternatives.png", tools.menu)
    tools.menu.close()
    window.shutdown()


def main(argv: list[str] | None = None) -> int:
    # A screen larger than the window, so the alternatives menu opens where it was asked.
    return run_offscreen(__doc__ or "", __file__, scenes, argv,
                         screen=(SIZE[0] + 400, SIZE[1] + 300))


if __name__ == "__main__":
    sys.exit(main())
