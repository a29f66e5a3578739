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

When the source form is inflected (plural), the target term is made plural by the target
language's rule (:func:`pluralize`: ``guerres`` → ``conflicts``); a kept term keeps the
form found.
"""

from __future__ import annotations

import hashlib
import re
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


def _variants(term: str, language: str) -> list[str]:
    """Regular expressions for the term's forms (escaped), the bare form first."""
    words = term.split()
    head, last = words[:-1], words[-1]
    body = r"\s+".join(re.escape(w) for w in head)
    lead = body + r"\s+" if head else ""
    forms = [re.escape(last)] + [re.escape(last + s) for s in _plural_suffixes(language)]
    lower = last.lower()
    if language == "fr" and lower.endswith("al"):
        forms.append(re.escape(last[:-2] + "aux"))
    if language == "en" and lower.endswith("y") and len(last) > 1:
        forms.append(re.escape(last[:-1] + "ies"))
    return [lead + form for form in forms]


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
    return last if lower.endswith("s") else last + "s"


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


def _match_case(found: str, target: str) -> str:
    """A lower-case target at a capitalized place (a sentence start) is capitalized."""
    if found[:1].isupper() and target[:1].islower() and not found.isupper():
        return target[:1].upper() + target[1:]
    return target


class Matcher:
    """The entries that apply to one language pair and article, compiled into one pattern
    (longest terms first, so "guerre froide" wins over "guerre")."""

    def __init__(self, entries: Iterable[Entry], from_code: str, to_code: str) -> None:
        self.from_code = from_code
        self.to_code = to_code
        self.entries = sorted(
            {e.source.lower(): e for e in entries if e.source.strip()}.values(),
            key=lambda e: (-len(e.source), e.source.lower()),
        )
        self._pattern: re.Pattern[str] | None = None
        self._by_group: list[tuple[Entry, bool]] = []
        if self.entries:
            parts: list[str] = []
            for entry in self.entries:
                for number, variant in enumerate(_variants(entry.source.strip(), from_code)):
                    self._by_group.append((entry, number > 0))
                    parts.append(f"({variant})")
            # Longest alternatives first within the union, so a plural wins over its stem.
            self._pattern = re.compile(
                r"(?<![\w])(?:" + "|".join(parts) + r")(?![\w])", re.IGNORECASE
            )

    def __bool__(self) -> bool:
        return self._pattern is not None

    def find(self, text: str) -> list[TermMatch]:
        """Non-overlapping matches in ``text``, left to right."""
        if self._pattern is None:
            return []
        matches: list[TermMatch] = []
        for found in self._pattern.finditer(text):
            group = found.lastindex or 0
            entry, inflected = self._by_group[group - 1]
            surface = found.group(0)
            if entry.target is None:
                target = surface  # kept as written
            else:
                target = entry.target
                if inflected and surface.lower() != entry.source.lower():
                    target = pluralize(target, self.to_code)
                target = _match_case(surface, target)
            matches.append(TermMatch(found.start(), found.end(), surface, target, entry))
        return matches


def fingerprint(matches: Sequence[TermMatch]) -> str:
    """What the glossary did to a text, as a short key: the cache stores a translation made
    with terms under its source hash salted with this (no term: no salt, same key as
    without a glossary), so changing an entry misses only the texts that contain it."""
    if not matches:
        return ""
    parts = sorted({f"{m.found.lower()}\0{m.target}" for m in matches})
    return hashlib.sha256("\x1e".join(parts).encode()).hexdigest()[:16]


__all__ = ["ANY", "Entry", "Matcher", "TermMatch", "fingerprint", "pluralize"]
