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

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from take_screenshots import XDG_FOLDERS, open_article, settle, wait_for

SIZE = (1400, 820)
ENTRIES = (("guerre", "conflict"), ("Poutine", "Putin"), ("Zelensky", None))


def scene(out: Path) -> None:
    from PySide6.QtCore import QPoint
    from PySide6.QtGui import QPainter
    from PySide6.QtWidgets import QApplication

    from reader.ui.dialogs.glossary import GlossaryDialog
    from reader.ui.window.actions import ActionId
    from reader.ui.window.shell import MainWindow

    QApplication.setApplicationName("bilingual-reader")
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setStyle("Fusion")  # type: ignore[attr-defined]
    window = MainWindow(None)
    loaded: list[int] = []
    window.libraryLoaded.connect(loaded.append)
    window.resize(*SIZE)
    window.show()
    wait_for("the library", lambda: bool(loaded))
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
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("out", type=Path, help="folder for the PNG (docs/screenshots)")
    parser.add_argument("--model", type=Path, required=True, help="the gloss .argosmodel")
    parser.add_argument("--run-scene", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    out = args.out.resolve()
    if args.run_scene:  # the child process: XDG folders already set by the parent
        sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
        scene(out)
        return 0
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="home-") as home:
        env = dict(os.environ, QT_QPA_PLATFORM="offscreen",
                   ARGOS_PACKAGE_INDEX="http://127.0.0.1:9/")  # offline, on purpose
        for variable, folder in XDG_FOLDERS.items():
            env[variable] = str(Path(home) / folder)
        reader = [sys.executable, "-m", "reader"]
        subprocess.run([*reader, "models", "install", str(args.model)], env=env, check=True)
        for source, target in ENTRIES:
            added = [source, target, "--from", "fr", "--to", "en"] if target else [source, "--keep"]
            subprocess.run([*reader, "glossary", "add", *added], env=env, check=True)
        subprocess.run([sys.executable, __file__, str(out), "--model", str(args.model),
                        "--run-scene"], env=env, check=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
