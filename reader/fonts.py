"""The bundled fonts (DejaVu, in the package ``reader.data.fonts``), registered once per process.

Shared by the window (reading font) and the PDF export (embedded fonts), so both set text in
the same faces on every machine. QtGui only: needs a ``QGuiApplication`` to exist already.
"""

from __future__ import annotations

import logging
import threading

from PySide6.QtGui import QFontDatabase

from reader.paths import fonts_dir

log = logging.getLogger(__name__)

FONT_FILES = (
    "DejaVuSerif.ttf",
    "DejaVuSerif-Bold.ttf",
    "DejaVuSerif-Italic.ttf",
    "DejaVuSerif-BoldItalic.ttf",
    "DejaVuSans.ttf",
    "DejaVuSans-Bold.ttf",
)

_lock = threading.Lock()
_families: tuple[str, str] | None = None


def register_bundled_fonts() -> tuple[str, str]:
    """Register the bundled fonts once; return the (serif, sans) family names to use.

    A missing or unreadable file falls back to the system's serif / sans-serif with a logged
    warning; glyphs DejaVu lacks still fall back to whatever Qt finds (never a crash)."""
    global _families
    with _lock:
        if _families is None:
            found: set[str] = set()
            for name in FONT_FILES:
                path = fonts_dir() / name
                font_id = QFontDatabase.addApplicationFont(str(path)) if path.is_file() else -1
                if font_id < 0:
                    log.warning("cannot load the bundled font %s; using a system font", path)
                    continue
                found.update(QFontDatabase.applicationFontFamilies(font_id))
            serif = "DejaVu Serif" if "DejaVu Serif" in found else "serif"
            sans = "DejaVu Sans" if "DejaVu Sans" in found else "sans-serif"
            _families = (serif, sans)
        return _families
