"""Search across the library, in originals and translations.

A linear scan over pre-folded text, not an FTS5 index: 500 articles are ~12,000 paragraphs,
which a scan covers in 40–150 ms (``bench/`` measures it, row 5), and a scan needs no index
to keep in sync with files that change on disk. Matching ignores case and accents
(``ete`` finds ``été``) and works on phrases, not tokens, so quotes and hyphens just work.
Translations come from the cache in one query (the reader's post-edits win).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Literal

from reader.core.articles.article import Article
from reader.core.translation.cache import TranslationCache

Side = Literal["source", "translation"]
SNIPPET_CONTEXT = 60


@dataclass(frozen=True, slots=True)
class SearchHit:
    article_path: Path
    article_title: str
    paragraph_index: int
    side: Side
    start: int  # span of the match in the paragraph's source or translation text
    end: int
    snippet: str  # the match with some context, "…" where cut

    def to_json(self) -> dict[str, object]:
        return {
            "path": str(self.article_path),
            "title": self.article_title,
            "paragraph": self.paragraph_index,
            "side": self.side,
            "span": [self.start, self.end],
            "snippet": self.snippet,
        }


@lru_cache(maxsize=4096)
def _fold_char(char: str) -> str:
    decomposed = unicodedata.normalize("NFKD", char)
    base = "".join(c for c in decomposed if not unicodedata.combining(c))
    folded = base.casefold()
    # Typographic apostrophes and quotes match their plain forms.
    return folded.replace("’", "'").replace("‘", "'")


def _fold_mapped(text: str) -> tuple[str, list[int] | None]:
    """``fold``'s text, and its positions, None when each character folds to exactly one
    (then a folded index is an index in ``text``). One ``str.translate`` over the text's
    distinct characters: the find bar runs this on every paragraph of a long book that
    holds the phrase, where a loop over characters cost ~30 µs a paragraph."""
    table = {ord(char): _fold_char(char) for char in set(text)}
    folded = text.translate(table)
    if len(folded) == len(text) and all(len(value) == 1 for value in table.values()):
        return folded, None
    parts: list[str] = []
    positions: list[int] = []
    for index, char in enumerate(text):
        piece = table[ord(char)]
        parts.append(piece)
        positions.extend([index] * len(piece))
    return "".join(parts), positions


def fold(text: str) -> tuple[str, list[int]]:
    """Case- and accent-folded text, and for each folded character its index in ``text``."""
    folded, positions = _fold_mapped(text)
    return folded, positions if positions is not None else list(range(len(text)))


_COMBINING = re.compile(r"[\u0300-\u036f]")


@lru_cache(maxsize=100_000)
def quick_fold(text: str) -> str:
    """The same folding as ``fold`` for the text, at C speed and without positions: a cheap
    test that rejects the paragraphs that cannot match."""
    decomposed = _COMBINING.sub("", unicodedata.normalize("NFKD", text))
    return decomposed.casefold().replace("’", "'").replace("‘", "'")


def find_all(text: str, query: str) -> list[tuple[int, int]]:
    """Spans of every match of ``query`` in ``text`` (ignoring case and accents)."""
    needle, _ = fold(query.strip())
    if not needle or needle not in quick_fold(text):
        return []
    haystack, positions = _fold_mapped(text)
    spans: list[tuple[int, int]] = []
    start = haystack.find(needle)
    while start != -1:
        end = start + len(needle)
        if positions is None:
            spans.append((start, end))
        else:
            spans.append((positions[start], positions[end - 1] + 1))
        start = haystack.find(needle, end)
    return spans


def snippet(text: str, start: int, end: int, context: int = SNIPPET_CONTEXT) -> str:
    left = max(0, start - context)
    right = min(len(text), end + context)
    # Cut at word boundaries so snippets do not start or end mid-word.
    if left > 0:
        space = text.find(" ", left, start)
        left = space + 1 if space != -1 else left
    if right < len(text):
        space = text.rfind(" ", end, right)
        right = space if space != -1 else right
    return f"{'…' if left > 0 else ''}{text[left:right]}{'…' if right < len(text) else ''}"


def search_library(
    articles: Iterable[Article],
    query: str,
    *,
    cache: TranslationCache | None = None,
    target_language: str | None = None,
    limit: int = 500,
) -> list[SearchHit]:
    """Matches in document order: for each paragraph, the source first, then its translation."""
    if not query.strip():
        return []
    translations: dict[str, str] = {}
    if cache is not None and target_language:
        translations = cache.translations_for_target(target_language)
    hits: list[SearchHit] = []
    for article in articles:
        if not article.ok:
            continue
        title = article.display_title
        for paragraph in article.paragraphs:
            sides: list[tuple[Side, str]] = [("source", paragraph.text)]
            translated = translations.get(paragraph.hash)
            if translated:
                sides.append(("translation", translated))
            for side, text in sides:
                for start, end in find_all(text, query):
                    hits.append(
                        SearchHit(
                            article.path,
                            title,
                            paragraph.index,
                            side,
                            start,
                            end,
                            snippet(text, start, end),
                        )
                    )
                    if len(hits) >= limit:
                        return hits
    return hits
