"""Glossary entries and where they occur in a text.

An entry maps a source term to a target term for one language pair (or every pair), for
every article or for one. A *keep* entry has no target: the term is left as written (names,
brands, code). Matching is case-insensitive, on word boundaries (a term inside a longer word
is not a match), and accepts the term's simple inflections, one documented rule per
language, applied to the term's last word — not a morphology engine:

- ``fr``: plural ``-s`` or ``-x`` (``guerre`` → ``guerres``, ``château`` → ``châteaux``),
  and ``-al`` → ``-aux`` (``journal`` → ``journaux``);
- ``en``: plural ``-s``, ``-es``, and ``-y`` → ``-ies``;
- other languages: ``-s``.

When the source form is inflected (plural), an English or French target is made plural by
that language's rule (:func:`pluralize`: ``guerres`` → ``conflicts``); a target in another
language is written as entered (no rule here would be right for it); a kept term keeps the
form found.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

ANY = "*"  # an entry's language (or pair) when it applies to every pair


@dataclass(frozen=True, slots=True)
class Entry:
    """One glossary entry. ``target`` is None for a kept term; ``scope`` is an article's
    path, or "" for every article."""

    source: str
    target: str | None
    from_code: str = ANY
    to_code: str = ANY
    scope: str = ""

    @property
    def keep(self) -> bool:
        return self.target is None

    def applies(self, from_code: str, to_code: str, scope: str | None) -> bool:
        return (
            self.from_code in (ANY, from_code)
            and self.to_code in (ANY, to_code)
            and (not self.scope or self.scope == (scope or ""))
        )

    def to_json(self) -> dict[str, object]:
        return {
            "source": self.source,
            "target": self.target,
            "keep": self.keep,
            "from": self.from_code,
            "to": self.to_code,
            "article": self.scope or None,
        }


@dataclass(frozen=True, slots=True)
class TermMatch:
    """An entry found in a text: the source span (end exclusive), the form found and what
    the translation must read there."""

    start: int
    end: int
    found: str
    target: str
    entry: Entry


def _plural_suffixes(language: str) -> tuple[str, ...]:
    if language == "fr":
        return ("s", "x")
    if language == "en":
        return ("s", "es")
    return ("s",)


def _forms(term: str, language: str) -> list[str]:
    """The term's written forms: as entered, then its last word's inflections."""
    words = term.split()
    head, last = words[:-1], words[-1]
    lower = last.lower()
    lasts = [last] + [last + s for s in _plural_suffixes(language)]
    if language == "fr" and lower.endswith("al"):
        lasts.append(last[:-2] + "aux")
    if language == "en" and lower.endswith("y") and len(last) > 1:
        lasts.append(last[:-1] + "ies")
    return [" ".join([*head, form]) for form in lasts]


def _form_pattern(form: str) -> str:
    """A form as a regular expression: any run of spaces between its words."""
    return r"\s+".join(re.escape(word) for word in form.split())


# A word of the text; matching starts only where one starts, so a term inside a longer
# word is never a match, and a text is scanned once, one dictionary look-up per word.
_WORD = re.compile(r"\w+")


def _fold(word: str) -> str:
    """A word's index key: case-folded, and the dot that folding leaves on a Turkish "İ"
    dropped, so every form the pattern's case-insensitive match accepts finds the entry
    ("İstanbul", "ISTANBUL", "istanbul"; "ſ" and "s"; "ς" and "σ")."""
    return word.casefold().replace("\u0307", "")


_LINKS = {"fr": {"de", "du", "des", "d'", "à", "au", "aux", "en", "pour", "sur"},
          "en": {"of", "in", "for", "on", "to"}}


def _plural_word(last: str, language: str) -> str:
    lower = last.lower()
    if language == "fr":
        if lower.endswith(("s", "x", "z")):
            return last
        if lower.endswith("al"):
            return last[:-2] + "aux"
        if lower.endswith(("eau", "au", "eu")):
            return last + "x"
        return last + "s"
    if language == "en":
        if lower.endswith(("s", "x", "z", "sh", "ch")):
            return last + "es"
        if lower.endswith("y") and len(lower) > 1 and lower[-2] not in "aeiou":
            return last[:-1] + "ies"
        return last + "s"
    return last  # no rule for this language: as entered


def pluralize(text: str, language: str) -> str:
    """``text`` made plural by ``language``'s rule: the words before the first linking word
    ("de", "of", …) are its head; in French every head word takes the plural (noun and
    adjectives agree: "guerre froide" → "guerres froides"), elsewhere the head's last word
    ("head of state" → "heads of state")."""
    words = text.split(" ")
    links = _LINKS.get(language, set())
    head = next((i for i, w in enumerate(words) if i and w.lower() in links), len(words))
    if language == "fr":
        words[:head] = [_plural_word(w, language) for w in words[:head]]
    else:
        words[head - 1] = _plural_word(words[head - 1], language)
    return " ".join(words)


# Target languages whose words do not change with a noun they follow or refer to (no
# grammatical gender or case agreement; English number is the term's own, by the plural
# rule above) and that are written with spaces: a glossary target can be written into the
# model's translation as it is. Elsewhere (French, German, Spanish, Russian, Korean
# particles, and the languages written without spaces, whose term spans are less sure) the
# words after a term are decoded again (``reader.core.glossary.decoding``).
SPLICED_TARGETS = frozenset({"en", "id", "ms", "vi"})

# Target languages written without spaces between words: a term's span there is the pieces
# aligned with it, not widened to a "word" (a SentencePiece word runs to the next space, a
# whole clause in Chinese).
UNSPACED_TARGETS = frozenset({"zh", "zt", "ja", "th", "lo", "km", "my"})

# English word beginnings whose sound is not what their first letter says.
_AN_BEFORE = ("hour", "honest", "honor", "honour", "heir")
_A_BEFORE = ("union", "unique", "unit", "univers", "uniform", "unicorn", "unison",
             "unilateral", "usual", "use", "usag", "utensil", "utility", "utopia", "uranium",
             "urine", "eu", "ewe", "one", "once")
# Letters whose English names start with a vowel sound ("an FBI agent", "an X-ray").
_AN_LETTERS = frozenset("AEFHILMNORSX")


def english_article(target: str) -> str:
    """"an" before a vowel sound, else "a", for the word that starts ``target``: a vowel
    letter, less the listed exceptions ("a union", "a one-off", "an hour"); a capital
    abbreviation of two or three letters by its first letter's name ("an FBI agent", "a US
    law"); longer ones are taken as said as words ("a NASA probe", "an OPEC quota")."""
    head = target.split()[0] if target.split() else ""
    if head.isupper() and head.isalpha() and 2 <= len(head) <= 3:
        return "an" if head[0] in _AN_LETTERS else "a"
    word = target.lower()
    if word.startswith(_AN_BEFORE):
        return "an"
    if word.startswith(_A_BEFORE):
        return "a"
    return "an" if word[:1] in ("a", "e", "i", "o", "u") else "a"


def _match_case(found: str, target: str) -> str:
    """A lower-case target at a capitalized place (a sentence start) is capitalized."""
    if found[:1].isupper() and target[:1].islower() and not found.isupper():
        return target[:1].upper() + target[1:]
    return target


class Matcher:
    """The entries that apply to one language pair and article, indexed by the first word
    of each of their forms (longest terms first at a place, so "guerre froide" wins over
    "guerre"). Finding costs one dictionary look-up per word of the text, whatever the
    glossary's size; a term that does not begin with a letter or digit (".NET") is found
    by one pattern of its own kind."""

    def __init__(self, entries: Iterable[Entry], from_code: str, to_code: str) -> None:
        self.from_code = from_code
        self.to_code = to_code
        self.entries = sorted(
            {e.source.lower(): e for e in entries if e.source.strip()}.values(),
            key=lambda e: (-len(e.source), e.source.lower()),
        )
        # First word (lower case) → (entry, its forms' pattern), longest entries first.
        self._by_word: dict[str, list[tuple[Entry, re.Pattern[str]]]] = {}
        # Entries that begin with neither a letter nor a digit: searched for everywhere.
        self._others: list[tuple[Entry, re.Pattern[str]]] = []
        for entry in self.entries:
            forms = _forms(entry.source.strip(), from_code)
            # One group per form: group 1 is the form as entered, the others inflected.
            body = "(?:" + "|".join(f"({_form_pattern(f)})" for f in forms) + r")(?!\w)"
            if _WORD.match(forms[0]) is None:
                self._others.append((entry, re.compile(r"(?<!\w)" + body, re.IGNORECASE)))
                continue
            pattern = re.compile(body, re.IGNORECASE)
            for form in forms:
                word = _WORD.match(form)
                assert word is not None  # the forms differ only in their last word
                bucket = self._by_word.setdefault(_fold(word.group(0)), [])
                if not bucket or bucket[-1][0] is not entry:
                    bucket.append((entry, pattern))

    def __bool__(self) -> bool:
        return bool(self.entries)

    def _candidates(self, text: str) -> list[tuple[int, int, Entry, re.Match[str]]]:
        found: list[tuple[int, int, Entry, re.Match[str]]] = []
        for word in _WORD.finditer(text):
            for entry, pattern in self._by_word.get(_fold(word.group(0)), ()):
                match = pattern.match(text, word.start())
                if match is not None:
                    found.append((match.start(), -len(entry.source), entry, match))
                    break  # the longest entry at this place
        for entry, pattern in self._others:
            found += [(m.start(), -len(entry.source), entry, m) for m in pattern.finditer(text)]
        found.sort(key=lambda item: (item[0], item[1]))
        return found

    def find(self, text: str) -> list[TermMatch]:
        """Non-overlapping matches in ``text``, left to right."""
        if not self.entries:
            return []
        matches: list[TermMatch] = []
        cursor = 0
        for start, _, entry, found in self._candidates(text):
            if start < cursor:
                continue  # inside a longer term found at an earlier place
            cursor = found.end()
            surface = found.group(0)
            inflected = (found.lastindex or 1) > 1
            if entry.target is None:
                target = surface  # kept as written
            else:
                target = entry.target
                if inflected and surface.lower() != entry.source.lower():
                    target = pluralize(target, self.to_code)
                target = _match_case(surface, target)
            matches.append(TermMatch(start, found.end(), surface, target, entry))
        return matches


def written_terms(text: str, matches: Sequence[TermMatch]) -> list[TermMatch]:
    """Where a pivot's middle text carries the targets of ``matches`` (written there by the
    first leg): each as a kept term, its form as written, for the next leg to keep. A target
    is taken as many times as the source had it (the first places it is found), so a
    target that is also an ordinary word of the middle language ("also", "fast") is not
    kept elsewhere in the sentence. Longest first at a place; no overlaps."""
    wanted = Counter(m.target for m in matches if m.target)
    found: list[TermMatch] = []
    for target in sorted(wanted, key=len, reverse=True):
        entry = Entry(target, None)
        pattern = re.compile(r"(?<!\w)" + re.escape(target) + r"(?!\w)")
        hits = list(pattern.finditer(text))[: wanted[target]]
        found += [TermMatch(hit.start(), hit.end(), target, target, entry) for hit in hits]
    found.sort(key=lambda m: (m.start, -(m.end - m.start)))
    kept: list[TermMatch] = []
    for match in found:
        if not kept or match.start >= kept[-1].end:
            kept.append(match)
    return kept


def fingerprint(matches: Sequence[TermMatch]) -> str:
    """What the glossary did to a text, as a short key: the cache stores a translation made
    with terms under its source hash salted with this (no term: no salt, same key as
    without a glossary), so changing an entry misses only the texts that contain it."""
    if not matches:
        return ""
    parts = sorted({f"{m.found.lower()}\0{m.target}" for m in matches})
    return hashlib.sha256("\x1e".join(parts).encode()).hexdigest()[:16]


__all__ = [
    "ANY", "SPLICED_TARGETS", "UNSPACED_TARGETS", "Entry", "Matcher", "TermMatch",
    "english_article", "fingerprint", "pluralize", "written_terms",
]
