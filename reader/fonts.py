"""Fonts: the bundled DejaVu faces (in the package ``reader.data.fonts``), registered once per
process, and a font for every script the reader may show.

Shared by the window (reading font) and the PDF export (embedded fonts), so both set text in
the same faces. DejaVu (bundled, 2.8 MB) covers Latin, Greek, Cyrillic, Arabic, Hebrew,
Armenian and Georgian; the scripts it lacks (Chinese, Japanese, Korean, Devanagari, Bengali,
Thai…) take Noto faces from the system — Debian's ``fonts-noto-core`` and ``fonts-noto-cjk``
— rather than bundling them (the CJK faces alone are 100+ MB; a wheel should not carry
them). Arabic text prefers Noto Naskh Arabic when installed (DejaVu's Arabic is sans only).

Each piece of text gets its family list — the bundled face first, then a face for each
script it contains — through :func:`font_for_text`, so no glyph depends on Qt's own fallback
guess (which left the translated title of a French → Arabic PDF as empty boxes). When no
face for a script is installed, :func:`missing_font_messages` names the package to install.

QtGui only: needs a ``QGuiApplication`` to exist already. The script tables are Qt-free.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterable
from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QFontDatabase, QTextOption

from reader.core.text.writing_systems import Script, beyond_latin, is_right_to_left, script_counts
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


@dataclass(frozen=True)
class ScriptFonts:
    """Faces for one script, best first, and the Debian package that provides them."""

    serif: tuple[str, ...]
    sans: tuple[str, ...]
    package: str
    covered_by_bundled: bool = False  # DejaVu has the glyphs: nothing to install


_NOTO_CORE = "fonts-noto-core"
_NOTO_CJK = "fonts-noto-cjk"


def _noto(name: str, *more: str) -> ScriptFonts:
    return ScriptFonts(
        (f"Noto Serif {name}", f"Noto Sans {name}", *more),
        (f"Noto Sans {name}", f"Noto Serif {name}", *more),
        _NOTO_CORE,
    )


def _cjk(region: str) -> ScriptFonts:
    other = [r for r in ("SC", "TC", "JP", "KR") if r != region]
    return ScriptFonts(
        (f"Noto Serif CJK {region}", f"Noto Sans CJK {region}",
         *(f"Noto Sans CJK {r}" for r in other), "WenQuanYi Zen Hei", "Droid Sans Fallback"),
        (f"Noto Sans CJK {region}", f"Noto Serif CJK {region}",
         *(f"Noto Sans CJK {r}" for r in other), "WenQuanYi Zen Hei", "Droid Sans Fallback"),
        _NOTO_CJK,
    )


SCRIPT_FONTS: dict[Script, ScriptFonts] = {
    Script.ARABIC: ScriptFonts(
        ("Noto Naskh Arabic", "Noto Sans Arabic", "DejaVu Sans"),
        ("Noto Sans Arabic", "Noto Naskh Arabic", "DejaVu Sans"),
        _NOTO_CORE,
        covered_by_bundled=True,
    ),
    Script.HEBREW: ScriptFonts(
        ("Noto Serif Hebrew", "Noto Sans Hebrew", "DejaVu Sans"),
        ("Noto Sans Hebrew", "DejaVu Sans"),
        _NOTO_CORE,
        covered_by_bundled=True,
    ),
    Script.ARMENIAN: ScriptFonts(
        ("Noto Serif Armenian", "DejaVu Sans"), ("DejaVu Sans",), _NOTO_CORE, True
    ),
    Script.GEORGIAN: ScriptFonts(
        ("Noto Serif Georgian", "DejaVu Sans"), ("DejaVu Sans",), _NOTO_CORE, True
    ),
    Script.DEVANAGARI: _noto("Devanagari"),
    Script.BENGALI: _noto("Bengali"),
    Script.GURMUKHI: _noto("Gurmukhi"),
    Script.GUJARATI: _noto("Gujarati"),
    Script.TAMIL: _noto("Tamil"),
    Script.TELUGU: _noto("Telugu"),
    Script.KANNADA: _noto("Kannada"),
    Script.MALAYALAM: _noto("Malayalam"),
    Script.SINHALA: _noto("Sinhala"),
    Script.THAI: _noto("Thai"),
    Script.LAO: _noto("Lao"),
    Script.KHMER: _noto("Khmer"),
    Script.MYANMAR: _noto("Myanmar"),
    Script.ETHIOPIC: _noto("Ethiopic"),
    Script.TIBETAN: ScriptFonts(("Noto Serif Tibetan",), ("Noto Serif Tibetan",), _NOTO_CORE),
    Script.HAN: _cjk("SC"),
    Script.KANA: _cjk("JP"),
    Script.HANGUL: _cjk("KR"),
}
# Han characters read in their language's regional forms.
_HAN_BY_LANGUAGE = {"zh": "SC", "zt": "TC", "ja": "JP", "ko": "KR"}

_lock = threading.Lock()
_families: tuple[str, str] | None = None
_installed: frozenset[str] | None = None


def register_bundled_fonts() -> tuple[str, str]:
    """Register the bundled fonts once; return the (serif, sans) family names to use.

    A missing or unreadable file falls back to the system's serif / sans-serif with a logged
    warning; glyphs DejaVu lacks come from :func:`font_for_text` (never a crash)."""
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


def installed_families() -> frozenset[str]:
    """Every font family Qt can use (system and bundled), read once."""
    global _installed
    register_bundled_fonts()
    with _lock:
        if _installed is None:
            _installed = frozenset(QFontDatabase.families())
        return _installed


def _script_faces(script: Script, sans: bool, language: str | None) -> tuple[str, ...]:
    fonts = SCRIPT_FONTS.get(script)
    if fonts is None:
        return ()
    if script is Script.HAN and language in _HAN_BY_LANGUAGE:
        fonts = _cjk(_HAN_BY_LANGUAGE[language])
    return fonts.sans if sans else fonts.serif


def fallback_families(text: str, *, sans: bool = False, language: str | None = None) -> list[str]:
    """Installed faces for the scripts of ``text`` the bundled faces lack (best first)."""
    if not beyond_latin(text):
        # Latin only (the bundled faces' own script): skip counting letters, which costs
        # ~50 µs a paragraph, paid for every paragraph of every PDF export.
        return []
    installed = installed_families()
    families: list[str] = []
    counts = script_counts(text)
    if language is None and Script.HAN in counts:
        # Kanji beside kana are Japanese, hanja beside Hangul Korean.
        language = "ja" if Script.KANA in counts else "ko" if Script.HANGUL in counts else None
    for script in counts:
        for family in _script_faces(script, sans, language):
            if family in installed:
                families.append(family)
                break
    return families


def font_for_text(font: QFont, text: str, language: str | None = None) -> QFont:
    """``font`` with a face for every script of ``text`` after its own family."""
    sans = font.family() == register_bundled_fonts()[1]
    extra = fallback_families(text, sans=sans, language=language)
    if not extra:
        return font
    chosen = QFont(font)
    chosen.setFamilies([font.family(), *extra])
    return chosen


def missing_font_messages(texts: Iterable[str]) -> list[str]:
    """One line per script of ``texts`` that no installed face can show, naming what to
    install (empty when every glyph has a face)."""
    installed = installed_families()
    seen: set[Script] = set()
    for text in texts:
        if beyond_latin(text):  # Latin alone never needs a face of its own
            seen.update(script_counts(text))
    messages: list[str] = []
    for script in sorted(seen, key=lambda s: s.value):
        fonts = SCRIPT_FONTS.get(script)
        if fonts is None or fonts.covered_by_bundled:
            continue
        if not any(family in installed for family in fonts.serif + fonts.sans):
            messages.append(
                f"no font for {script.value} text is installed: install {fonts.serif[0]} "
                f"(Debian/Ubuntu: sudo apt-get install {fonts.package})"
            )
    return messages


def apply_direction(option: QTextOption, text: str) -> None:
    """Right-to-left paragraphs (Arabic, Persian, Urdu, Hebrew) read and align from the
    right; the bidi algorithm then orders the runs (numbers, Latin names) inside them."""
    if is_right_to_left(text):
        option.setTextDirection(Qt.LayoutDirection.RightToLeft)
        option.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignAbsolute)
