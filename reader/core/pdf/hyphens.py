"""Joining a paragraph's lines: line-end hyphenation undone, real hyphens kept.

A line that ends in a hyphen after a letter, followed by a line starting with a letter, is
joined by one of these rules, first match wins:

1. A soft hyphen (U+00AD) is always a break: dropped ("experi\\xad" + "ment" → "experiment").
2. The second part starts with a capital or a digit: the hyphen is kept ("Jean-" + "Pierre",
   "Saint-" + "Denis", "COVID-" + "19").
3. The document itself decides: if the hyphenated word ("porte-monnaie") occurs inside a line
   elsewhere, the hyphen is kept; if the joined word ("expérience") does, it is dropped.
4. The first part already holds a hyphen ("c'est-à-" + "dire", "arc-en-" + "ciel"), or is a
   word that forms compounds with a hyphen ("peut-" + "être", "porte-" + "monnaie",
   "après-" + "midi", "demi-" + "heure"), or the second part is a clitic pronoun or particle
   ("dit-" + "il", "donne-" + "moi", "celui-" + "ci"): the hyphen is kept. The lists are
   short on purpose: "beau-" + "coup" and "meil-" + "leur" are cuts.
5. Otherwise the hyphen was the typesetter's: dropped ("experi-" + "ment" → "experiment").

A hyphen after a space or a digit, and dashes (– —), are never joined: the lines are joined
with a space.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

# Words (lower case) that form compounds with a hyphen far more often than they are cut there
# ("beau-coup", "au-tomne", "ex-emple", "mi-nistre" are cuts: those heads are not listed).
_COMPOUND_HEADS = frozenset((
    "peut", "porte", "garde", "arc", "après", "avant", "arrière", "demi", "semi", "vice",
    "non", "quasi", "grand", "grande", "grands", "grandes", "belle", "petit", "petite",
    "petits", "petites", "chef", "coffre", "abat", "sèche", "essuie", "pare", "casse",
    "couvre", "gratte", "nord", "sud", "franco", "germano", "gréco", "anglo", "italo",
    "hispano", "sino", "russo", "self", "well",
))
# Second parts that are clitics or particles and never the tail of a cut word: "dit-il",
# "donne-moi", "va-t-il", "celle-là". ("tu", "leur", "le", "la" are left out: "bat-tu",
# "meil-leur", "bel-le" are cuts far more often.)
_CLITICS = frozenset((
    "je", "il", "elle", "on", "nous", "vous", "ils", "elles", "moi", "toi", "lui", "y",
    "en", "là", "même", "mêmes", "t",
))
# Second parts that are clitics after some heads only: "celui-ci" but "mer-ci", "est-ce" but
# "for-ce".
_PAIRS = frozenset({
    ("celui", "ci"), ("celle", "ci"), ("ceux", "ci"), ("celles", "ci"), ("est", "ce"),
})

_SOFT_HYPHEN = "\u00ad"
_HYPHENS = ("-", "\u2010", "\u2011")  # hyphen-minus, hyphen, non-breaking hyphen
_LAST_WORD = re.compile(r"([\w’'-]+)$")
_FIRST_WORD = re.compile(r"^(\w+)")
_HYPHENATED = re.compile(r"\w+(?:-\w+)+")
_WORD = re.compile(r"\w+")


class Vocabulary:
    """The words a document uses inside its lines, for rule 3."""

    def __init__(self, lines: Iterable[str] = ()) -> None:
        self.hyphenated: set[str] = set()
        self.words: set[str] = set()
        for line in lines:
            self.add(line)

    def add(self, line: str) -> None:
        # The line's last word may be a cut: it says nothing about the document's words.
        body = line.rstrip()
        if body.endswith((*_HYPHENS, _SOFT_HYPHEN)):
            body = body[: -1].rsplit(" ", 1)[0] if " " in body else ""
        lowered = body.casefold()
        self.hyphenated.update(_HYPHENATED.findall(lowered))
        self.words.update(_WORD.findall(lowered))


def _joined(head: str, tail: str, vocabulary: Vocabulary) -> str:
    """``head`` ends with a hyphen after a letter, ``tail`` starts with a letter."""
    mark = head[-1]
    stem = head[:-1]
    if mark == _SOFT_HYPHEN:
        return stem + tail
    first = _FIRST_WORD.match(tail)
    second = first.group(1) if first else ""
    if second[:1].isupper() or second[:1].isdigit():
        return head + tail
    last = _LAST_WORD.search(stem)
    word = last.group(1) if last else ""
    # "l'expé-" → "expé": an elided article is not part of the cut word.
    bare = re.split(r"[’']", word)[-1].casefold()
    whole = f"{bare}-{second.casefold()}"
    if whole in vocabulary.hyphenated:
        return head + tail
    if (bare + second.casefold()) in vocabulary.words:
        return stem + tail
    part = second.casefold()
    if "-" in word.strip("-") or bare in _COMPOUND_HEADS or part in _CLITICS:
        return head + tail
    if (bare, part) in _PAIRS:
        return head + tail
    return stem + tail


def join_lines(lines: Iterable[str], vocabulary: Vocabulary) -> str:
    """The lines of one paragraph as one text (see the module docstring for hyphens)."""
    text = ""
    for line in lines:
        line = line.strip()
        if not line:
            continue
        if not text:
            text = line
            continue
        end = text[-1]
        before = text[-2] if len(text) > 1 else " "
        if (end in _HYPHENS or end == _SOFT_HYPHEN) and before.isalpha() and line[0].isalpha():
            text = _joined(text, line, vocabulary)
        else:
            text = f"{text} {line}"
    # A soft hyphen left inside a line is invisible in print: not part of the text.
    return text.replace(_SOFT_HYPHEN, "")
