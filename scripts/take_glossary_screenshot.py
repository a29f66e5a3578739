"""Take the README's Glossary screenshot offscreen (a dev tool).

    python scripts/build_gloss_model.py /tmp/gloss
    python scripts/take_glossary_screenshot.py docs/screenshots \\
        --model /tmp/gloss/translate-fr_en-1_0.argosmodel

In fresh XDG folders under a temporary home, the gloss model is installed, three entries are
added with the CLI (``glossary add``), the first sample is opened and translated, and
Tools → Glossary… is opened over it: ``glossary.png`` is the window with the dialog drawn
where it stands.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from take_screenshots import open_article, open_window, run_offscreen, settle, wait_for

SIZE = (1400, 820)
ENTRIES = (("guerre", "conflict"), ("Poutine", "Putin"), ("Zelensky", None))


def scene(out: Path) -> None:
    from PySide6.QtCore import QPoint
    from PySide6.QtGui import QPainter

    from reader.ui.dialogs.glossary import GlossaryDialog
    from reader.ui.window.actions import ActionId

    window = open_window(SIZE)
    open_article(window, 0)
    view = window.pane.view
    wait_for("a term in the translation", lambda: any(
        t is not None and t.glossary for t in view.translations()))
    row = next(i for i, t in enumerate(view.translations()) if t is not None and t.glossary)
    view.go_to_paragraph(row)
    window.actions[ActionId.GLOSSARY].trigger()
    dialog = window.findChild(GlossaryDialog)
    assert dialog is not None
    dialog.resize(760, 300)
    dialog.prefill("ville", "town")
    window.statusBar().clearMessage()
    settle(0.8)
    # Offscreen, a dialog is its own image: drawn onto the window's where it would stand.
    image = window.grab().toImage()
    painter = QPainter(image)
    painter.drawPixmap(QPoint((SIZE[0] - dialog.width()) // 2, SIZE[1] - dialog.height() - 60),
                       dialog.grab())
    painter.end()
    image.save(str(out / "glossary.png"))
    print(out / "glossary.png")
    window.shutdown()


def main(argv: list[str] | None = None) -> int:
    entries = tuple(("glossary", "add", source, target, "--from", "fr", "--to", "en")
                    if target else ("glossary", "add", source, "--keep")
                    for source, target in ENTRIES)
    return run_offscreen(__doc__ or "", __file__, scene, argv, prepare=entries)


if __name__ == "__main__":
    sys.exit(main())
