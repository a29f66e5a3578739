""""Make this a glossary entry": a post-edit that changes one word of the machine
translation the same way twice (in two paragraphs) is offered as an entry.

The target side is known (the new word); the source term is not aligned here: the
candidates are the words (3 letters or more) that both edited paragraphs' sources share,
longest first — two paragraphs where the reader fixed the same word usually share the
source word that caused it and little else. The reader picks or types the source in the
dialog. Changes are remembered for the session (no Qt, no model)."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field

_WORD = re.compile(r"\w+(?:[’'-]\w+)*")
MAX_NEW_WORDS = 3  # "house" → "family home" is still one change


@dataclass(frozen=True, slots=True)
class Suggestion:
    replaced: str  # the machine's word
    target: str  # what the reader wrote instead, twice
    candidates: tuple[str, ...]  # source words both paragraphs share, best first


def word_change(machine: str, edited: str) -> tuple[str, str] | None:
    """(old word, new words) when ``edited`` is ``machine`` with one word replaced (by up
    to ``MAX_NEW_WORDS`` words), ignoring case-only changes elsewhere; else None."""
    old = _WORD.findall(machine)
    new = _WORD.findall(edited)
    opcodes = [op for op in difflib.SequenceMatcher(
        a=[w.lower() for w in old], b=[w.lower() for w in new], autojunk=False
    ).get_opcodes() if op[0] != "equal"]
    if len(opcodes) != 1:
        return None
    tag, a0, a1, b0, b1 = opcodes[0]
    if tag != "replace" or a1 - a0 != 1 or not 1 <= b1 - b0 <= MAX_NEW_WORDS:
        return None
    return old[a0], " ".join(new[b0:b1])


@dataclass(slots=True)
class RepeatedChanges:
    """The one-word changes seen this session, by (old word, new words)."""

    seen: dict[tuple[str, str], list[str]] = field(default_factory=dict)

    def note(self, source: str, machine: str, edited: str) -> Suggestion | None:
        """Record an edit; a Suggestion the second time the same change is made in another
        paragraph (once per change: later repeats say nothing)."""
        change = word_change(machine, edited)
        if change is None:
            return None
        key = (change[0].lower(), change[1])
        sources = self.seen.setdefault(key, [])
        if source in sources:
            return None
        sources.append(source)
        if len(sources) != 2:
            return None
        words = [{w.lower() for w in _WORD.findall(s) if len(w) >= 3} for s in sources]
        shared = sorted(words[0] & words[1], key=lambda w: (-len(w), w))
        return Suggestion(change[0], change[1], tuple(shared))


__all__ = ["RepeatedChanges", "Suggestion", "word_change"]
