"""Word links from attention, as plain functions (no decoding): pieces merged into words,
attention summed into word-to-word masses, the links kept as compact text. The translation
pass uses them on the attention it decodes with (``run_steps``); ``reader.core.words.alignment``
decodes for the rest and documents the rule."""

from __future__ import annotations

import hashlib
import json
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

Span = tuple[int, int]

# Least word-to-word attention mass for a link (see ``reader.core.words.alignment``).
MIN_MASS = 0.3
# Other source words are linked too when their mass is at least this share of the best.
SHARE_OF_BEST = 0.5


@dataclass(frozen=True, slots=True)
class WordGroup:
    """One word of a tokenized text: pieces ``[first, end)``, characters ``[start, stop)``."""

    first: int
    end: int
    start: int
    stop: int


@dataclass(frozen=True, slots=True)
class WordLink:
    """A source word and a target word the model links, as character spans (end exclusive)
    in the sentence texts, or in the paragraph's texts after :meth:`shifted`."""

    source_start: int
    source_end: int
    target_start: int
    target_end: int

    def shifted(self, source: int, target: int) -> WordLink:
        return WordLink(
            self.source_start + source, self.source_end + source,
            self.target_start + target, self.target_end + target,
        )

    def to_json(self) -> dict[str, list[int]]:
        return {
            "source_span": [self.source_start, self.source_end],
            "target_span": [self.target_start, self.target_end],
        }

    @classmethod
    def from_json(cls, data: dict[str, list[int]]) -> WordLink:
        (s0, s1), (t0, t1) = data["source_span"], data["target_span"]
        return cls(int(s0), int(s1), int(t0), int(t1))


def links_to_text(links: Sequence[WordLink]) -> str:
    """Compact JSON for the cache: ``[[s0, s1, t0, t1], …]``."""
    return json.dumps(
        [[k.source_start, k.source_end, k.target_start, k.target_end] for k in links],
        separators=(",", ":"),
    )


def links_from_text(text: str) -> tuple[WordLink, ...]:
    return tuple(WordLink(int(a), int(b), int(c), int(d)) for a, b, c, d in json.loads(text))


def _is_word_character(ch: str) -> bool:
    return unicodedata.category(ch)[0] in "LNM"


def word_groups(pieces: Sequence[tuple[str, int, int]]) -> list[WordGroup]:
    """Merge pieces (piece, start, stop) into words by the rule above; each word's span is
    trimmed of the punctuation and spaces its first and last pieces carry."""
    groups: list[WordGroup] = []
    current: list[int] = []

    def close() -> None:
        if current:
            start = pieces[current[0]][1]
            stop = pieces[current[-1]][2]
            groups.append(WordGroup(current[0], current[-1] + 1, start, stop))
            current.clear()

    for index, (piece, _, _) in enumerate(pieces):
        core = piece.replace("▁", "")
        if not any(_is_word_character(ch) for ch in core):
            close()  # punctuation or a bare space: no word, and it ends one
            continue
        if piece.startswith("▁"):
            close()
        current.append(index)
    close()
    return groups


def trim_spans(groups: list[WordGroup], text: str) -> list[WordGroup]:
    """Each group's character span without leading or trailing non-word characters."""
    trimmed: list[WordGroup] = []
    for group in groups:
        start, stop = group.start, group.stop
        while start < stop and not _is_word_character(text[start]):
            start += 1
        while stop > start and not _is_word_character(text[stop - 1]):
            stop -= 1
        trimmed.append(WordGroup(group.first, group.end, start, stop))
    return trimmed


def link_words(
    attention: Sequence[Sequence[float]],
    source_words: Sequence[WordGroup],
    target_words: Sequence[WordGroup],
    *,
    min_mass: float = MIN_MASS,
) -> list[WordLink]:
    """The links (in target order, then source order) from a piece-level attention matrix
    (one row per target piece, one column per source piece) and both sides' words."""
    links: list[WordLink] = []
    for target in target_words:
        rows = [attention[i] for i in range(target.first, target.end) if i < len(attention)]
        if not rows:
            continue
        masses = [
            sum(row[j] for row in rows for j in range(word.first, word.end) if j < len(row))
            / len(rows)
            for word in source_words
        ]
        if not masses:
            continue
        best = max(masses)
        if best < min_mass:
            continue
        for word, mass in zip(source_words, masses, strict=True):
            if mass >= min_mass and mass >= SHARE_OF_BEST * best:
                links.append(WordLink(word.start, word.stop, target.start, target.stop))
    return links


def piece_spans(pieces: Sequence[str], text: str) -> list[tuple[str, int, int]] | None:
    """Where each output piece lies in ``text``, its decoded form (``▁`` is a space, the
    leading one dropped); None when the pieces do not spell ``text`` (byte pieces, a
    decoder that normalizes, another text)."""
    spans: list[tuple[str, int, int]] = []
    cursor = 0
    for piece in pieces:
        surface = piece.replace("▁", " ")
        if cursor == 0:
            surface = surface.lstrip(" ")
        if not text.startswith(surface, cursor):
            return None
        spans.append((piece, cursor, cursor + len(surface)))
        cursor += len(surface)
    return spans if text[cursor:].strip() == "" else None


def links_for(
    source: str,
    source_pieces: Sequence[tuple[str, int, int]],
    target: str,
    target_pieces: Sequence[tuple[str, int, int]],
    attention: Sequence[Sequence[float]],
) -> list[WordLink]:
    """Word links of one sentence pair from its pieces (with character spans) and the
    attention rows of its target pieces."""
    return link_words(
        attention,
        trim_spans(word_groups(source_pieces), source),
        trim_spans(word_groups(target_pieces), target),
    )


def pair_key(source: str, target: str) -> str:
    """The cache key of a sentence pair: its exact texts (spans depend on every character)."""
    return hashlib.sha256(f"{source}\0{target}".encode()).hexdigest()
