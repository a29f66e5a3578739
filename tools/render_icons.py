"""Render the launcher icon's PNG sizes from the SVG (run after editing the SVG; the PNGs are
committed, so neither a build nor ``desktop install`` needs an SVG renderer).

    QT_QPA_PLATFORM=offscreen python tools/render_icons.py

Writes ``resources/desktop/bilingual-reader-<N>.png`` (flat: a sub-folder would look like a
Python package to setuptools) with QtSvg (part of
PySide6-Essentials, already a dependency).
"""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication, QImage, QPainter
from PySide6.QtSvg import QSvgRenderer

SIZES = (16, 22, 24, 32, 48, 64, 128, 256)
DESKTOP = Path(__file__).resolve().parent.parent / "resources" / "desktop"


def render(svg: Path, out_dir: Path, sizes: tuple[int, ...] = SIZES) -> list[Path]:
    renderer = QSvgRenderer(str(svg))
    if not renderer.isValid():
        raise SystemExit(f"{svg}: not a valid SVG")
    written = []
    for size in sizes:
        image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
        image.fill(Qt.GlobalColor.transparent)
        painter = QPainter(image)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        renderer.render(painter)
        painter.end()
        target = out_dir / f"{svg.stem}-{size}.png"
        if not image.save(str(target), "PNG"):
            raise SystemExit(f"cannot write {target}")
        written.append(target)
    return written


if __name__ == "__main__":
    app = QGuiApplication(sys.argv[:1])
    for path in render(DESKTOP / "bilingual-reader.svg", DESKTOP):
        print(path)
