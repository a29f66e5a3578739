"""Take the README's window screenshots on a real X display (a dev tool, never shipped).

    Xvfb :99 -screen 0 1600x1000x24 &  export DISPLAY=:99  # openbox & draws title bars
    python scripts/build_gloss_model.py /tmp/gloss
    python scripts/take_screenshots.py docs/screenshots \\
        --model /tmp/gloss/translate-fr_en-1_0.argosmodel

Two scenes, each in its own process with fresh XDG data, cache and config folders under a
temporary folder, so nothing of the developer's own state shows and every shot starts alike:

- ``first-run``: no model installed, the sample article with its "Download French → English"
  offer;
- ``gloss``: the model installed the way a user does (``bilingual-reader models install``),
  then the window driven through its public API: a pinned sentence pair, the layouts, the
  dark theme, library search with an edited paragraph, and the dialogs.

A shot is read from the X server (``xwd``, turned into PNG by ImageMagick), not
``QWidget.grab()``, so it shows what a user sees: the window manager's frame, dialogs over
the window. Text-heavy PNGs stay small without quantizing (dithering stripes flat colours).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from PySide6.QtWidgets import QWidget

    from reader.ui.window.shell import MainWindow

CONVERT = "/usr/bin/convert"  # ImageMagick's own, not a wrapper earlier on PATH
WINDOW_SIZE = (1400, 900)
SCENES = ("first-run", "gloss")
XDG_FOLDERS = {"XDG_DATA_HOME": ".local/share", "XDG_CACHE_HOME": ".cache",
               "XDG_CONFIG_HOME": ".config"}


# -- driving Qt from straight-line code -----------------------------------------------------------

def settle(seconds: float) -> None:
    """Run the event loop for a while (paints, queued signals, worker results)."""
    from PySide6.QtWidgets import QApplication

    end = time.monotonic() + seconds
    while time.monotonic() < end:
        QApplication.processEvents()
        time.sleep(0.01)


def wait_for(what: str, done: Callable[[], bool], timeout: float = 120.0) -> None:
    from PySide6.QtWidgets import QApplication

    end = time.monotonic() + timeout
    while not done():
        if time.monotonic() > end:
            raise SystemExit(f"timed out waiting for {what}")
        QApplication.processEvents()
        time.sleep(0.01)


def frame_id(widget: QWidget) -> int | None:
    """The window manager's frame around ``widget`` (None without a window manager)."""
    tree = subprocess.run(
        ["xwininfo", "-tree", "-id", str(int(widget.winId()))],
        capture_output=True, check=True, text=True,
    ).stdout
    parent = next(line for line in tree.splitlines() if "Parent window id" in line)
    return None if "(the root window)" in parent else int(parent.split()[3], 16)


def xwd(window_id: int, out: Path) -> None:
    image = subprocess.run(
        ["xwd", "-id", str(window_id), "-silent", "-display", os.environ["DISPLAY"]],
        capture_output=True, check=True,
    ).stdout
    subprocess.run([CONVERT, "xwd:-", f"PNG24:{out}"], input=image, check=True)


def overlay(base: Path, top: Path, x: int, y: int) -> None:
    subprocess.run([CONVERT, str(base), str(top), "-geometry", f"+{x}+{y}", "-composite",
                    f"PNG24:{base}"], check=True)


def shoot(widget: QWidget, out: Path) -> None:
    """``widget``'s window with its title bar, read from the X server window by window.

    Not ``xwd -root`` cropped: on this Xvfb, a window mapped over another one reads back
    black from the root and from its frame; only the window itself returns its pixels. So
    the frame (title bar) and the window are read apart and laid together."""
    frame = frame_id(widget)
    if frame is None:
        xwd(int(widget.winId()), out)
        return
    xwd(frame, out)
    with tempfile.TemporaryDirectory() as folder:
        inside = Path(folder) / "window.png"
        xwd(int(widget.winId()), inside)
        offset = widget.geometry().topLeft() - widget.frameGeometry().topLeft()
        overlay(out, inside, offset.x(), offset.y())


def capture(window: QWidget, out: Path, dialog: QWidget | None = None) -> None:
    """``window`` as a user sees it, with ``dialog`` over it where it stands."""
    settle(0.8)  # the last repaint, and the window manager's frame
    shoot(window, out)
    if dialog is not None:
        with tempfile.TemporaryDirectory() as folder:
            over = Path(folder) / "dialog.png"
            shoot(dialog, over)
            offset = dialog.frameGeometry().topLeft() - window.frameGeometry().topLeft()
            overlay(out, over, offset.x(), offset.y())
    subprocess.run([CONVERT, str(out), "-strip", f"PNG24:{out}"], check=True)
    print(f"{out}: {out.stat().st_size // 1024} KB")


# -- the scenes -----------------------------------------------------------------------------------

def open_window(size: tuple[int, int] = WINDOW_SIZE) -> MainWindow:
    """The window on the bundled samples, placed at the screen's top left."""
    from PySide6.QtWidgets import QApplication

    from reader.ui.window.shell import MainWindow

    QApplication.setApplicationName("bilingual-reader")
    QApplication.setApplicationDisplayName("Bilingual Reader")
    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    app.setStyle("Fusion")
    window = MainWindow(None)
    loaded: list[int] = []
    window.libraryLoaded.connect(loaded.append)
    window.resize(*size)
    window.move(0, 0)
    window.show()
    wait_for("the library", lambda: bool(loaded))
    return window


def run_offscreen(
    doc: str, script: str, scene: Callable[[Path], None], argv: list[str] | None = None, *,
    prepare: tuple[tuple[str, ...], ...] = (), screen: tuple[int, int] | None = None,
) -> int:
    """``python SCRIPT OUT --model GLOSS.argosmodel`` for an offscreen scene: in a fresh home
    (XDG folders as a user's, no network), the model installed with ``models install`` and
    each ``prepare`` command run (``reader`` CLI arguments), then ``scene(OUT)`` in a child
    process. ``screen``: the offscreen screen's size (800×600 keeps popups away from where
    they were asked for in a wider window)."""
    import json

    parser = argparse.ArgumentParser(description=doc.split("\n")[0])
    parser.add_argument("out", type=Path, help="folder for the PNGs (docs/screenshots)")
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
        platform = "offscreen"
        if screen is not None:
            config = Path(home) / "screen.json"
            config.write_text(json.dumps({"screens": [{
                "name": "offscreen", "x": 0, "y": 0, "width": screen[0], "height": screen[1],
                "logicalDpi": 96, "logicalBaseDpi": 96, "dpr": 1,
            }]}), encoding="utf-8")
            platform = f"offscreen:configfile={config}"
        env = dict(os.environ, QT_QPA_PLATFORM=platform,
                   ARGOS_PACKAGE_INDEX="http://127.0.0.1:9/")  # offline, on purpose
        for variable, folder in XDG_FOLDERS.items():
            env[variable] = str(Path(home) / folder)
        reader = [sys.executable, "-m", "reader"]
        for command in (("models", "install", str(args.model)), *prepare):
            subprocess.run([*reader, *command], env=env, check=True)
        subprocess.run([sys.executable, script, str(out), "--model", str(args.model),
                        "--run-scene"], env=env, check=True)
    return 0


def open_article(window: MainWindow, row: int) -> None:
    finished: list[str] = []

    def note(key: str, _cancelled: bool) -> None:
        finished.append(key)

    window.translationFinished.connect(note)
    window.select_row(row)
    wait_for("the article's translation", lambda: window.current_key() in finished, 300)
    window.translationFinished.disconnect(note)


def first_run(out: Path) -> None:
    window = open_window()
    open_article(window, 0)
    capture(window, out / "window-first-run.png")


def gloss(out: Path) -> None:
    from reader.ui.reading_view import Layout, Side
    from reader.ui.reading_view.types import PairRef

    window = open_window()
    view = window.pane.view
    idle: list[bool] = []
    window.background.allDone.connect(lambda: idle.append(True))
    open_article(window, 0)
    # Library search reads cached translations: let the background translate every sample.
    wait_for("the background translation", lambda: bool(idle), 600)

    # Side by side, the second sentence pair of the first paragraph with two pinned.
    window.set_layout(Layout.SIDE_BY_SIDE)
    view.setFocus()
    row = next(i for i, t in enumerate(view.translations()) if t and len(t.sentences) > 1)
    view.go_to_paragraph(max(row - 2, 0))
    view.pin_pair(PairRef(row, 1), reveal_side=Side.TARGET)
    capture(window, out / "window-side-by-side.png")
    view.pin_pair(None)

    window.set_layout(Layout.INTERLEAVED)
    view.go_to_paragraph(1)
    capture(window, out / "window-interleaved.png")

    window.set_layout(Layout.SIDE_BY_SIDE)
    window.set_theme("dark")
    open_article(window, 1)
    view.setFocus()
    capture(window, out / "window-dark.png")
    window.set_theme("light")

    # An edited paragraph, then a library search whose hit opens the paragraph after it.
    open_article(window, 2)
    saved: list[int] = []
    window.editSaved.connect(saved.append)
    row = 13  # "Ces jours-ci, l'armée russe montre son meilleur…": the reader's own English
    edited = ("“These days the Russian army is showing its best side – its back. And, in the "
              "end, running away is a good choice for them.")
    window.post_edits.save_edit(row, edited)
    wait_for("the edit", lambda: row in saved)
    found: list[int] = []
    window.searchFinished.connect(found.append)
    window.search.open()
    window.search.panel.edit.setText("Ukraine")
    wait_for("the search", lambda: bool(found))
    panel, article = window.search.panel, window.session.article
    assert article is not None
    hits = panel.model.hits()
    pick = next(i for i, hit in enumerate(hits) if hit.article_path == article.path
                and hit.paragraph_index == row + 1 and hit.side == "source")
    panel.results.selectRow(pick)
    panel.results.scrollTo(panel.model.index(pick, 0))
    window.open_search_hit(hits[pick])
    capture(window, out / "window-search-and-edit.png")
    window.search.close()
    view.clear_search_hit()
    window.post_edits.dismiss_repeats()
    window.statusBar().clearMessage()

    open_article(window, 0)
    view.setFocus()
    dialog = window.open_model_manager()
    settle(2.0)  # the index fetch fails offline: its one line shows in the dialog
    capture(window, out / "model-manager.png", dialog)
    dialog.close()

    preferences = window.open_preferences()
    capture(window, out / "preferences.png", preferences)
    preferences.close()

    add = window.show_add_article()
    add.link.setText("https://www.example.com/2023/05/article-en-francais")
    capture(window, out / "add-article.png", add)
    add.close()


def run_scene(scene: str, out: Path) -> None:
    {"first-run": first_run, "gloss": gloss}[scene](out)
    from PySide6.QtWidgets import QApplication

    for widget in QApplication.topLevelWidgets():
        if hasattr(widget, "shutdown"):
            widget.shutdown()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("out", type=Path, help="folder for the PNGs (docs/screenshots)")
    parser.add_argument("--model", type=Path, help="the .argosmodel for the 'gloss' scene")
    parser.add_argument("--scene", choices=SCENES, action="append",
                        help="only these scenes (default: all)")
    parser.add_argument("--run-scene", choices=SCENES, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if not os.environ.get("DISPLAY"):
        parser.error("needs an X display: Xvfb :99 -screen 0 1600x1000x24 & export DISPLAY=:99")
    out = args.out.resolve()
    if args.run_scene:  # the child process: XDG folders already set by the parent
        sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
        run_scene(args.run_scene, out)
        return 0
    scenes = args.scene or list(SCENES)
    if "gloss" in scenes and (args.model is None or not args.model.is_file()):
        parser.error("the 'gloss' scene needs --model FILE.argosmodel "
                     "(python scripts/build_gloss_model.py OUT_DIR)")
    out.mkdir(parents=True, exist_ok=True)
    for scene in scenes:
        # A fresh home laid out as the XDG defaults are: the paths the Preferences dialog
        # shows read like a user's own.
        with tempfile.TemporaryDirectory(prefix="home-") as home:
            env = dict(os.environ, QT_QPA_PLATFORM="xcb")
            for variable, folder in XDG_FOLDERS.items():
                env[variable] = str(Path(home) / folder)
            if scene == "gloss":
                subprocess.run([sys.executable, "-m", "reader", "models", "install",
                                str(args.model)], env=env, check=True)
            subprocess.run([sys.executable, __file__, str(out), "--run-scene", scene],
                           env=env, check=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
