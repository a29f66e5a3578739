"""Offline French-aware sentence splitting.

argostranslate's own splitter (MiniSBD) downloads a model on first use, and stanza costs a
torch import plus ~1 s per article; news prose is regular enough for rules. The splitter
returns character spans into the paragraph so the window can highlight the exact sentence.

Rules (each pinned by a test):
- a sentence ends at ``.``, ``!``, ``?`` or ``…`` (runs such as ``?.`` or ``?!`` count once),
  followed by closing quotes/brackets and white space, when the next sentence starts with an
  upper-case letter, a digit, an opening quote or a dash;
- no break after a title or abbreviation (``M.``, ``Mme.``, ``Dr.``, ``cf.``, ``p.``, ``n°``…)
  or an initial (``J. Smith``);
- ``etc.`` ends a sentence only when a capital follows;
- decimals (``3.5``), URLs and domains (``Express.co.uk``) never break: no white space follows;
- ``« … »`` / ``“ … ”``: the closing mark stays with the sentence it closes.
"""

from __future__ import annotations

import re
from collections.abc import Callable

# Abbreviations after which a period never ends a sentence (lower-cased, without the dot).
_NEVER_ENDS = frozenset(
    {
        "m",
        "mm",
        "mme",
        "mmes",
        "mlle",
        "mlles",
        "dr",
        "drs",
        "pr",
        "me",
        "mgr",
        "st",
        "ste",
        "cf",
        "p",
        "pp",
        "ex",
        "env",
        "av",
        "apr",
        "j.-c",
        "n",
        "no",
        "nos",
        "vol",
        "art",
        "chap",
        "fig",
        "éd",
        "ed",
        "gén",
        "gal",
        "col",
        "cdt",
        "lt",
        "sgt",
        "capt",
        "prof",
        "mr",
        "mrs",
        "ms",
        "jr",
        "sr",
        "vs",
        "inc",
        "ltd",
        "co",
        "corp",
        "dept",
        "tél",
        "tel",
        "bd",
    }
)
# Abbreviations that end a sentence only when a capital follows.
_MAY_END = frozenset({"etc", "cie", "al"})

_CLOSERS = '»”"’)]'
_OPENERS = '«“"‘([–—-¿¡'

# A terminal run, any closing marks (French spacing allows a space before »), then white space.
_BOUNDARY = re.compile(
    r"[.!?…]+(?:[ \u00a0\u202f]?[" + re.escape(_CLOSERS) + r"])*(?=[\s\u00a0\u202f]+\S)"
)
_WORD_BEFORE = re.compile(r"([\w.’'-]+)$")


def _should_break(text: str, match: re.Match[str]) -> bool:
    start, end = match.span()
    rest = text[end:].lstrip(" \t\n\u00a0\u202f")
    if not rest:
        return False
    following = rest[0]
    starts_new = following.isupper() or following.isdigit() or following in _OPENERS
    punct = match.group(0)
    if punct[0] != ".":
        # ! ? … : a lower-case continuation is an aside ("… même ont saisi"), not a new sentence.
        return starts_new
    if not starts_new:
        return False
    word_match = _WORD_BEFORE.search(text[:start])
    if word_match is None:
        return True
    word = word_match.group(1).lower().rstrip(".")
    if word in _NEVER_ENDS:
        return False
    if word in _MAY_END:
        return following.isupper()
    # A single capital letter followed by a period is an initial: "J. Smith".
    original = word_match.group(1)
    return not (len(original) == 1 and original.isupper())


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Spans ``(start, end)`` of the sentences of ``text``, trimmed, in order.

    The spans cover every non-space character of ``text`` exactly once.
    """
    spans: list[tuple[int, int]] = []
    cursor = 0
    for match in _BOUNDARY.finditer(text):
        if match.end() <= cursor or not _should_break(text, match):
            continue
        _append_trimmed(text, cursor, match.end(), spans)
        cursor = match.end()
    _append_trimmed(text, cursor, len(text), spans)
    return spans


def _append_trimmed(text: str, start: int, end: int, spans: list[tuple[int, int]]) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start:
        spans.append((start, end))


def sentences(text: str) -> list[str]:
    return [text[a:b] for a, b in split_sentences(text)]


_CLAUSE_BREAK = re.compile(r"[,;:–—](?=\s)")


def split_long_text(text: str, fits: Callable[[str], bool]) -> list[str]:
    """Split an over-long sentence at clause punctuation into pieces that ``fits`` accepts.

    Clauses are packed greedily. A single clause that still does not fit is returned as it is:
    the engine then cuts it at token boundaries. Nothing is dropped: joining the pieces with
    spaces gives back ``text`` up to white space.
    """
    if fits(text):
        return [text]
    clauses: list[str] = []
    start = 0
    for match in _CLAUSE_BREAK.finditer(text):
        clauses.append(text[start : match.end()].strip())
        start = match.end()
    clauses.append(text[start:].strip())
    pieces: list[str] = []
    current = ""
    for clause in filter(None, clauses):
        candidate = f"{current} {clause}" if current else clause
        if current and not fits(candidate):
            pieces.append(current)
            current = clause
        else:
            current = candidate
    if current:
        pieces.append(current)
    return pieces
