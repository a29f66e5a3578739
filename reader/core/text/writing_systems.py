"""Which writing system a text is in: one table used by language identification (a script
often settles the language before langdetect is asked), by font choice (a font per script)
and by text direction (right-to-left paragraphs).

Python's ``unicodedata`` has no script property, so the main blocks are listed here; letters
outside them count as "other" and leave the decision to langdetect.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from enum import Enum


class Script(Enum):
    LATIN = "Latin"
    CYRILLIC = "Cyrillic"
    GREEK = "Greek"
    ARABIC = "Arabic"
    HEBREW = "Hebrew"
    DEVANAGARI = "Devanagari"
    BENGALI = "Bengali"
    GURMUKHI = "Gurmukhi"
    GUJARATI = "Gujarati"
    TAMIL = "Tamil"
    TELUGU = "Telugu"
    KANNADA = "Kannada"
    MALAYALAM = "Malayalam"
    SINHALA = "Sinhala"
    THAI = "Thai"
    LAO = "Lao"
    TIBETAN = "Tibetan"
    MYANMAR = "Myanmar"
    GEORGIAN = "Georgian"
    ARMENIAN = "Armenian"
    ETHIOPIC = "Ethiopic"
    KHMER = "Khmer"
    HANGUL = "Hangul"
    KANA = "Kana"  # Japanese hiragana and katakana
    HAN = "Han"  # Chinese characters (also used in Japanese and, rarely, Korean)
    OTHER = "Other"


# (first code point, last code point, script), sorted, non-overlapping.
_RANGES: list[tuple[int, int, Script]] = sorted(
    [
        (0x0041, 0x024F, Script.LATIN),
        (0x1E00, 0x1EFF, Script.LATIN),
        (0x0370, 0x03FF, Script.GREEK),
        (0x1F00, 0x1FFF, Script.GREEK),
        (0x0400, 0x052F, Script.CYRILLIC),
        (0x0530, 0x058F, Script.ARMENIAN),
        (0x0590, 0x05FF, Script.HEBREW),
        (0x0600, 0x06FF, Script.ARABIC),
        (0x0750, 0x077F, Script.ARABIC),
        (0x08A0, 0x08FF, Script.ARABIC),
        (0xFB50, 0xFDFF, Script.ARABIC),
        (0xFE70, 0xFEFF, Script.ARABIC),
        (0x0900, 0x097F, Script.DEVANAGARI),
        (0x0980, 0x09FF, Script.BENGALI),
        (0x0A00, 0x0A7F, Script.GURMUKHI),
        (0x0A80, 0x0AFF, Script.GUJARATI),
        (0x0B80, 0x0BFF, Script.TAMIL),
        (0x0C00, 0x0C7F, Script.TELUGU),
        (0x0C80, 0x0CFF, Script.KANNADA),
        (0x0D00, 0x0D7F, Script.MALAYALAM),
        (0x0D80, 0x0DFF, Script.SINHALA),
        (0x0E00, 0x0E7F, Script.THAI),
        (0x0E80, 0x0EFF, Script.LAO),
        (0x0F00, 0x0FFF, Script.TIBETAN),
        (0x1000, 0x109F, Script.MYANMAR),
        (0x10A0, 0x10FF, Script.GEORGIAN),
        (0x1100, 0x11FF, Script.HANGUL),
        (0x1200, 0x139F, Script.ETHIOPIC),
        (0x1780, 0x17FF, Script.KHMER),
        (0x3040, 0x30FF, Script.KANA),
        (0x3130, 0x318F, Script.HANGUL),
        (0x31F0, 0x31FF, Script.KANA),
        (0x3400, 0x4DBF, Script.HAN),
        (0x4E00, 0x9FFF, Script.HAN),
        (0xA960, 0xA97F, Script.HANGUL),
        (0xAC00, 0xD7AF, Script.HANGUL),
        (0xF900, 0xFAFF, Script.HAN),
        (0xFF66, 0xFF9F, Script.KANA),
        (0x20000, 0x2FA1F, Script.HAN),
    ]
)

# Scripts with a true italic style. The others (Arabic, Hebrew, Han, Devanagari, Thai…) have
# none: a font engine's synthesized slant only makes them look broken.
WITH_ITALICS = frozenset({Script.LATIN, Script.CYRILLIC, Script.GREEK, Script.ARMENIAN})


def _char_class(script: Script) -> str:
    return "".join(
        f"{chr(start)}-{chr(end)}" for start, end, each in _RANGES if each is script
    )


# Letters of a listed script other than Latin (Indic vowel signs are marks, counted too);
# one compiled pattern per script, so counting is a few passes in C, not a Python loop.
# Compiled on the first text beyond Latin (24 patterns, ~8 ms at every start otherwise: a
# `list` of French articles never needs them).
_script_patterns: dict[Script, re.Pattern[str]] = {}


def _patterns() -> dict[Script, re.Pattern[str]]:
    if not _script_patterns:
        _script_patterns.update(
            (script, re.compile(f"[{_char_class(script)}]+"))
            for script in Script
            if script not in (Script.LATIN, Script.OTHER)
        )
    return _script_patterns


def _latin_letter_class() -> str:
    """A character class of the letters below U+0370, i.e. ``[^\\W\\d_]`` (``isalnum()``
    and not a decimal digit, as ``re`` defines them) there. Spelled out as ranges because the
    negated form (``[^\\W\\d_\\u0370-\\U0010ffff]``) costs 4 ms to compile at every start
    and matches at half the speed."""
    ranges: list[tuple[int, int]] = []
    for code in range(0x370):
        ch = chr(code)
        if ch.isalnum() and not ch.isdecimal():
            if ranges and ranges[-1][1] == code - 1:
                ranges[-1] = (ranges[-1][0], code)
            else:
                ranges.append((code, code))
    return "".join(
        re.escape(chr(a)) if a == b else f"{re.escape(chr(a))}-{re.escape(chr(b))}"
        for a, b in ranges
    )


_LATIN_LETTERS = re.compile(f"[{_latin_letter_class()}]+")
_BEYOND_LATIN = re.compile(r"[\u0370-\u1dff\u1f00-\u1fff\u2c00-\U0010ffff]")


def beyond_latin(text: str) -> bool:
    """Whether ``text`` has a character of another block than Latin, Latin-1 and general
    punctuation (one pass in C): when it has not, its only script is Latin."""
    return _BEYOND_LATIN.search(text) is not None


def script_counts(text: str) -> Counter[Script]:
    """How many letters of each script ``text`` has (digits and punctuation not counted)."""
    counts: Counter[Script] = Counter()
    latin = sum(map(len, _LATIN_LETTERS.findall(text)))
    if latin:
        counts[Script.LATIN] = latin
    if not beyond_latin(text):
        return counts  # the usual case (French, English…): one pass in C
    for script, pattern in _patterns().items():
        found = sum(map(len, pattern.findall(text)))
        if found:
            counts[script] = found
    return counts


def has_italics(text: str) -> bool:
    """Whether ``text`` may be set in italics: most of its letters are in a script with an
    italic style (text without letters may: its digits and punctuation follow the page)."""
    counts = script_counts(text)
    if not counts:
        return True
    script, _count = counts.most_common(1)[0]
    return script in WITH_ITALICS


def is_right_to_left(text: str) -> bool:
    """Whether a paragraph reads right to left: its first strong letter is Arabic or Hebrew
    (the Unicode bidi rule for a paragraph's base direction, P2–P3)."""
    for ch in text:
        direction = unicodedata.bidirectional(ch)
        if direction in ("R", "AL"):
            return True
        if direction == "L":
            return False
    return False
