"""Small capitals typed as Unicode letters ("Cʜᴀᴘɪᴛʀᴇ ᴘʀᴇᴍɪᴇʀ"), made ordinary letters.

Some e-books and web pages imitate small caps with the phonetic alphabet's small-capital
letters (U+1D00 ᴀ, U+0299 ʙ, …) instead of a font feature. The look is presentational, but
the letters are not: search does not find "Chapitre" in "Cʜᴀᴘɪᴛʀᴇ", and a translation
model sees unknown symbols. A word made only of small capitals (with, at most, ordinary
capitals and the letter x, which has no small capital) is written in lower case instead;
anything else — IPA such as /ʁɛʒɪm/, a lone ɪ — is left as it is.
"""

from __future__ import annotations

import re
import unicodedata

# Small capital → the lower-case letter it stands for.
SMALL_CAPITALS = {
    "ᴀ": "a", "ʙ": "b", "ᴄ": "c", "ᴅ": "d", "ᴇ": "e", "ꜰ": "f", "ɢ": "g", "ʜ": "h",
    "ɪ": "i", "ᴊ": "j", "ᴋ": "k", "ʟ": "l", "ᴍ": "m", "ɴ": "n", "ᴏ": "o", "ᴘ": "p",
    "ꞯ": "q", "ʀ": "r", "ꜱ": "s", "ᴛ": "t", "ᴜ": "u", "ᴠ": "v", "ᴡ": "w", "ʏ": "y",
    "ᴢ": "z", "ᴁ": "æ", "ɶ": "œ",
}
_TABLE = str.maketrans(SMALL_CAPITALS)
_ANY = re.compile("[" + "".join(SMALL_CAPITALS) + "]")
# A word: letters and combining marks (an accent typed after a small capital: "ᴇ\u0301").
_WORD = re.compile(r"(?:[^\W\d_]|[\u0300-\u036f])+")
# At least this many small capitals make a word presentational rather than phonetic.
_MIN_SMALL_CAPITALS = 2


def _word(match: re.Match[str]) -> str:
    word = match.group()
    small = sum(1 for char in word if char in SMALL_CAPITALS)
    if small < _MIN_SMALL_CAPITALS:
        return word
    for char in word:
        if char in SMALL_CAPITALS or char.isupper() or char == "x":
            continue
        if unicodedata.combining(char):
            continue
        return word  # an ordinary lower-case letter among them: IPA, not small caps
    return unicodedata.normalize("NFC", word.translate(_TABLE))


def normalize_small_caps(text: str) -> str:
    """``text`` with its words of small capitals in ordinary lower case (see the module
    docstring); text without any small capital is returned as is, after one C scan."""
    if text.isascii() or _ANY.search(text) is None:
        return text
    return _WORD.sub(_word, text)
