"""Take the README's narrow-window screenshots with the offscreen platform (a dev tool).

    python scripts/build_gloss_model.py /tmp/gloss
    python scripts/take_width_screenshots.py docs/screenshots \\
        --model /tmp/gloss/translate-fr_en-1_0.argosmodel

No X display is needed: the window is drawn offscreen and read with ``QWidget.grab()`` (no
window-manager frame, unlike ``take_screenshots.py``). In fresh XDG folders under a
temporary home, the gloss model is installed the way a user does (``models install``), and
the first sample is shown at 500, 683 (half a 1366 px laptop) and 1024 px wide:
``window-500.png``, ``window-683.png``, ``window-1024.png``. Then, without a model, the
offline note under the first-run banner's buttons: ``window-offline-note.png``.
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

WIDTHS = (500, 683, 1024)
HEIGHT = 760


def _window():  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QApplication

    from reader.ui.window.shell import MainWindow

    QApplication.setApplicationName("bilingual-reader")
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setStyle("Fusion")  # type: ignore[attr-defined]
    window = MainWindow(None)
    loaded: list[int] = []
    window.libraryLoaded.connect(loaded.append)
    window.resize(WIDTHS[-1], HEIGHT)
    window.show()
    wait_for("the library", lambda: bool(loaded))
    return window


def _grab(window, out: Path) -> None:  # type: ignore[no-untyped-def]
    settle(0.8)
    window.grab().save(str(out))
    print(f"{out}: {out.stat().st_size // 1024} KB")


def widths(out: Path) -> None:
    from reader.ui.window.width_fit import NARROW_MESSAGE

    window = _window()
    open_article(window, 0)
    for width in WIDTHS:
        window.resize(width, HEIGHT)
        settle(0.5)
        window.pane.view.go_to_paragraph(0)  # the column headings show
        window.statusBar().clearMessage()
        if window.pane.view.narrowed():
            window.show_message(NARROW_MESSAGE)
        _grab(window, out / f"window-{width}.png")
    window.shutdown()


def offline_note(out: Path) -> None:
    window = _window()
    window.resize(WIDTHS[-1], HEIGHT)
    open_article(window, 0)
    window.model_offer.download()  # the index is unreachable here: the offline note
    wait_for("the failed download", lambda: not window.model_offer.is_downloading(), 60)
    window.statusBar().clearMessage()
    _grab(window, out / "window-offline-note.png")
    window.shutdown()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("out", type=Path, help="folder for the PNGs (docs/screenshots)")
    parser.add_argument("--model", type=Path, required=True, help="the gloss .argosmodel")
    parser.add_argument("--run-scene", choices=("widths", "offline"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    out = args.out.resolve()
    if args.run_scene:  # the child process: XDG folders already set by the parent
        sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
        {"widths": widths, "offline": offline_note}[args.run_scene](out)
        return 0
    out.mkdir(parents=True, exist_ok=True)
    for scene in ("widths", "offline"):
        with tempfile.TemporaryDirectory(prefix="home-") as home:
            env = dict(os.environ, QT_QPA_PLATFORM="offscreen",
                       ARGOS_PACKAGE_INDEX="http://127.0.0.1:9/")  # offline, on purpose
            for variable, folder in XDG_FOLDERS.items():
                env[variable] = str(Path(home) / folder)
            if scene == "widths":
                subprocess.run([sys.executable, "-m", "reader", "models", "install",
                                str(args.model)], env=env, check=True)
            subprocess.run([sys.executable, __file__, str(out), "--model", str(args.model),
                            "--run-scene", scene], env=env, check=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
