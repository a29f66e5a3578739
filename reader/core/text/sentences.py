"""Offline sentence splitting for every script of the Argos index, with character spans.

argostranslate's own splitter (MiniSBD) downloads a model on first use, and stanza costs a
torch import plus ~1 s per article; news prose is regular enough for rules (pySBD, a rule
splitter, is measured beside ours in the README). The splitter returns character spans into
the paragraph so the window can highlight the exact sentence, and it is told the paragraph's
language because the rules differ (Greek ``;`` is a question mark, German ``3.`` is an
ordinal, Thai separates sentences with a space).

Rules (each pinned by a test):
- a sentence ends at ``.``, ``!``, ``?``, ``…``, the Arabic ``؟``, the Urdu ``۔``, the
  Devanagari/Bengali dandas ``।`` ``॥`` (and a few more scripts' full stops), followed by
  closing quotes/brackets and white space, when the next sentence starts with an upper-case
  letter, a letter of a script without case (Arabic, Hindi, Chinese…), a digit, an opening
  quote or a dash (runs such as ``?.`` or ``?!`` count once);
- the CJK ``。！？`` end a sentence with or without white space after them, except when a
  closing quote is followed straight away by the rest of the sentence (``「はい。」と言った``);
- Greek: ``;`` (and U+037E) is a question mark; Thai: white space between Thai letters ends a
  sentence;
- no break after a title or abbreviation (``M.``, ``Dr.``, ``cf.``, ``l’éd.``…), an initial
  (``J. Smith``), a month abbreviation before a number (``5 janv. 2024``, ``Jan. 5``) or a
  German-style ordinal (``Am 3. Oktober``, ``Der 2. Weltkrieg``);
- ``etc.`` and month abbreviations end a sentence only when a capital follows;
- a numbered list (``1. The first item 2. The second``) splits before each item number,
  never after it;
- decimals (``3.5``), URLs and domains (``Express.co.uk``) never break: no white space follows;
- ``« … »`` / ``“ … ”``: the closing mark stays with the sentence it closes.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Abbreviations after which a period never ends a sentence (lower-cased, without the dot).
_NEVER_ENDS = _words(
    """
    m mm mme mmes mlle mlles dr drs pr me mgr st ste cf p pp ex env av apr j.-c n no nos vol
    art chap fig éd ed gén gal col cdt lt sgt capt prof mr mrs ms jr sr vs inc ltd corp dept
    tél tel bd hr fr frau nr str bzw vgl ca evtl ggf usw z.b d.h u.a sog inkl zb dh skt sr
    sra srta dña ud uds sres núm pág lic arq napr tzv resp atď pl n° nº sig dott sig.ra ing
    avv gov gen rep sen adm lieut maj cmdr messrs mt ft
    """
)
# Month abbreviations (French, English, German, Spanish, Italian): never end a sentence
# before a number or a lower-case word ("le 5 janv. 2024", "Jan. 5"), may end one before a
# capital ("il en a vu sept. Le lendemain…").
_MONTHS = _words(
    """
    janv févr fév avr juil sept déc jan feb mar apr jun jul aug sep sept oct nov dec jän
    febr märz okt dez ene abr ago dic set ott gen giu lug
    """
)
# Abbreviations that end a sentence only when a capital follows.
_MAY_END = frozenset({"etc", "cie", "al", "co"}) | _MONTHS
# Languages that write ordinals as a number and a period ("3. Oktober").
_DOTTED_ORDINALS = frozenset(
    {"de", "da", "nb", "no", "fi", "cs", "sk", "pl", "hu", "tr", "sl", "hr", "sr", "et", "lv",
     "lt", "is", "sv"}
)
# Languages whose translations are joined without spaces between sentences.
_NO_SPACE_LANGUAGES = frozenset({"zh", "zt", "ja"})

_CLOSERS = '»”"’)]」』）】〉》〕｣'
_OPENERS = '«“"‘([–—-¿¡「『（【〈《'
_SPACES = " \t\n\r\u00a0\u202f\u3000"
# Full stops of scripts that always end a sentence when white space follows them.
_SCRIPT_STOPS = "؟۔।॥։።။"
# Full stops after which a sentence ends even with no space (CJK, Ethiopic, Myanmar).
_CJK_STOPS = "。！？｡።፧။"
# Brackets around titles and asides inside which a CJK stop ends nothing: 《摔跤吧！爸爸》.
_CJK_PAIRS = {"《": "》", "（": "）", "〈": "〉", "【": "】"}

# Languages whose quotations close with “ („so“), where English opens with it.
_LOW_QUOTE_LANGUAGES = frozenset(
    {"de", "cs", "sk", "sl", "da", "bg", "lt", "et", "is", "hr", "sr", "ka", "uk", "ru"}
)


@lru_cache(maxsize=64)
def _boundary(language: str) -> re.Pattern[str]:
    """A terminal run, any closing marks (French spacing allows a space before »), then white
    space. Greek ``;`` is a question mark; Armenian writes its full stop ``։`` as ``:``."""
    stops = ".!?…" + _SCRIPT_STOPS + "\u037e"
    if language == "el":
        stops += ";"
    elif language == "hy":
        stops += ":"
    closers = _CLOSERS + ("“" if language in _LOW_QUOTE_LANGUAGES else "")
    return re.compile(
        rf"[{stops}]+(?:[ \u00a0\u202f]?[{re.escape(closers)}])*(?=[\s\u00a0\u202f\u3000]+\S)"
    )


_CJK_BOUNDARY = re.compile(
    r"[" + _CJK_STOPS + r"]+[…‥]*(?:[" + re.escape(_CLOSERS) + r"])*"
)
_THAI_BOUNDARY = re.compile(r"(?<=[\u0e01-\u0e5b])[ \u00a0]+(?=[\u0e01-\u0e5b])")
_WORD_BEFORE = re.compile(r"([\w.’'°-]+)$")
_ROMAN = re.compile(r"[IVXLC]+")


def _base(language: str | None) -> str:
    return (language or "").split("-", 1)[0].lower()


def joiner_for(language: str | None) -> str:
    """What goes between translated sentences in ``language``: nothing in Chinese and
    Japanese (their sentence ends carry no space), a space elsewhere."""
    return "" if _base(language) in _NO_SPACE_LANGUAGES else " "


def _starts_sentence(ch: str) -> bool:
    # A letter of a script without case (Arabic, Devanagari, CJK…) is neither upper nor lower.
    return (ch.isalpha() and not ch.islower()) or ch.isdigit() or ch in _OPENERS


def _should_break(text: str, match: re.Match[str], language: str) -> bool:
    start, end = match.span()
    rest = text[end:].lstrip(_SPACES)
    if not rest:
        return False
    following = rest[0]
    starts_new = _starts_sentence(following)
    punct = match.group(0)
    if any(ch in _SCRIPT_STOPS or ch == ":" for ch in punct):
        return True  # a danda or an Arabic question mark is never an abbreviation
    if punct[0] != ".":
        # ! ? … : a lower-case continuation is an aside ("… même ont saisi"), not a new sentence.
        return starts_new
    if not starts_new:
        return False
    word_match = _WORD_BEFORE.search(text[:start])
    if word_match is None:
        return True
    original = word_match.group(1)
    # "l’éd." is "éd." elided: judge the word after the apostrophe.
    word = re.split(r"[’']", original)[-1].lower().rstrip(".")
    if word in _NEVER_ENDS:
        return False
    if word in _MAY_END:
        return following.isupper()
    if language in _DOTTED_ORDINALS and (
        (word.isdigit() and len(word) <= 3) or (_ROMAN.fullmatch(word.upper()) and word.isupper())
    ):
        # "Am 3. Oktober", "Der 2. Weltkrieg", "XII. Pluk": an ordinal.
        return False
    if len(word) == 1 and word.isalpha() and word.islower():
        return False  # "z. B.", "s. r. o.", "т. б.": one lower-case letter is an abbreviation
    if "." in word.strip(".") and following.isdigit():
        return False  # "B.z.b. 6", "p.m. 5": a dotted abbreviation before a number
    # A single capital letter followed by a period is an initial: "J. Smith".
    bare = original.rstrip(".")
    return not (len(bare) == 1 and bare.isupper())


def _cjk_breaks(text: str) -> list[int]:
    breaks: list[int] = []
    for match in _CJK_BOUNDARY.finditer(text):
        end = match.end()
        if end >= len(text) or not text[end:].strip():
            continue
        before = text[: match.start()]
        if any(before.count(open_) > before.count(close) for open_, close in _CJK_PAIRS.items()):
            continue
        following = text[end]
        closed = match.group(0)[-1] in _CLOSERS
        # 「はい。」と言った: the quote is part of a longer sentence, no break inside it.
        if closed and not following.isspace() and following not in _OPENERS:
            continue
        breaks.append(end)
    return breaks


_BULLETS = "•⁃▪◦·-"
_LIST_MARKER = re.compile(r"[" + _BULLETS + r"]?\s*(\d{1,3}|[a-z])(\.\)|[.)])(?=\s)")


def _next_marker(value: str) -> str:
    return str(int(value) + 1) if value.isdigit() else chr(ord(value) + 1)


def _list_breaks(text: str) -> tuple[list[int], list[tuple[int, int]]]:
    """Break points before the items of a list that starts the text (``1. … 2. …``,
    ``a) … b) …``, ``• 9. … • 10. …``), and the spans of the item markers, inside which no
    sentence ends."""
    first = _LIST_MARKER.match(text.lstrip())
    if first is None:
        return [], []
    offset = len(text) - len(text.lstrip())
    markers = [(offset + first.start(), offset + first.end())]
    breaks: list[int] = []
    value, close = first.group(1), first.group(2)
    cursor = markers[0][1]
    while True:
        value = _next_marker(value)
        pattern = rf"(?<=\s)[{re.escape(_BULLETS)}]?\s*{re.escape(value)}{re.escape(close)}(?=\s)"
        found = re.compile(pattern).search(text, cursor)
        if found is None:
            break
        breaks.append(found.start())
        markers.append(found.span())
        cursor = found.end()
    if not breaks:
        return [], []  # "1. Januar" alone is not a list
    return breaks, markers


def split_sentences(text: str, language: str | None = None) -> list[tuple[int, int]]:
    """Spans ``(start, end)`` of the sentences of ``text`` (in ``language``, an Argos code;
    None when unknown), trimmed, in order.

    The spans cover every non-space character of ``text`` exactly once.
    """
    lang = _base(language)
    pattern = _boundary(lang)
    list_breaks, markers = _list_breaks(text)
    breaks = set(list_breaks)
    for match in pattern.finditer(text):
        if any(start <= match.start() < end for start, end in markers):
            continue
        if _should_break(text, match, lang):
            breaks.add(match.end())
    breaks.update(_cjk_breaks(text))
    if lang in ("th", "") and any("\u0e01" <= ch <= "\u0e5b" for ch in text):
        breaks.update(match.start() for match in _THAI_BOUNDARY.finditer(text))
    spans: list[tuple[int, int]] = []
    cursor = 0
    for point in sorted(breaks):
        _append_trimmed(text, cursor, point, spans)
        cursor = max(cursor, point)
    _append_trimmed(text, cursor, len(text), spans)
    return spans


def _append_trimmed(text: str, start: int, end: int, spans: list[tuple[int, int]]) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start:
        spans.append((start, end))


def sentences(text: str, language: str | None = None) -> list[str]:
    return [text[a:b] for a, b in split_sentences(text, language)]


_CLAUSE_BREAK = re.compile(r"[,;:–—、，；：،](?=\s)|[、，；：](?=\S)")
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
