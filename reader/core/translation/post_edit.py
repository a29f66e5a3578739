"""Post-edits and their repeats: carry one edit to the other places a passage occurs.

A news library quotes the same sentences again and again (a statement cited by two
articles, a standard disclaimer). When the reader post-edits a paragraph, the same passage
elsewhere should read the same. Two kinds of repeat:

- **identical**: another paragraph whose source is the same text. Edits are keyed on the
  source hash, so it already shows the edit; it is reported (``identical=True``) so the
  window can say so, and nothing needs storing;
- **contained**: another paragraph whose sentences include the edited paragraph's sentences
  as a contiguous run (the quote, inside a longer paragraph). The proposal is that
  paragraph's translation with the target span of those sentences replaced by the edit.

Sentences are compared on their normalized source text (``SentencePair.source`` of the
other paragraph's cached translation; the edited paragraph is split again offline when its
translation carries no alignment, as a post-edit does). A paragraph not translated yet, or
already post-edited by the reader (its own edit has no sentence alignment and wins), gets no
proposal. No Qt, no model run: only the cache is read (``engine.peek``).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from reader.core.articles.article import Article, normalize_source
from reader.core.models.store import PackageError
from reader.core.text.sentences import split_sentences
from reader.core.translation.results import ParagraphStatus, ParagraphTranslation

if TYPE_CHECKING:
    from reader.core.translation.engine import TranslationEngine


@dataclass(frozen=True, slots=True)
class RepeatProposal:
    """One other place where an edited passage occurs, and what it would read."""

    article_path: Path
    paragraph_index: int
    current_translation: str
    proposed_translation: str
    article_title: str = ""
    # Same source as the edited paragraph: it already shows the edit (keyed on the hash).
    identical: bool = False
    # What ``engine.peek`` gave for that paragraph (needed to store the edit).
    translation: ParagraphTranslation | None = None

    @property
    def needs_applying(self) -> bool:
        return not self.identical and self.current_translation != self.proposed_translation


def source_sentences(paragraph: ParagraphTranslation) -> list[str]:
    """The normalized source sentences of a paragraph: its alignment's when it has one,
    else the offline splitter's (the same one the engine uses)."""
    if paragraph.sentences:
        return [normalize_source(pair.source) for pair in paragraph.sentences]
    spans = split_sentences(paragraph.source, paragraph.source_language)
    return [normalize_source(paragraph.source[a:b]) for a, b in spans]


def _find_run(haystack: Sequence[str], needle: Sequence[str]) -> int:
    """Index of the first contiguous occurrence of ``needle`` in ``haystack``, or -1."""
    size = len(needle)
    if not size:
        return -1
    for start in range(len(haystack) - size + 1):
        if list(haystack[start : start + size]) == list(needle):
            return start
    return -1


def find_repeats(
    articles: Iterable[Article],
    edited: ParagraphTranslation,
    new_text: str,
    engine: TranslationEngine,
    target: str,
    *,
    source_article: Path | None = None,
) -> list[RepeatProposal]:
    """Other paragraphs of ``articles`` that repeat the edited passage, in library order.

    ``source_article`` is the path of the article the edit was made in; its own paragraph
    (``edited.index``) is left out. Articles whose language has no model are skipped.
    """
    wanted = normalize_source(edited.source)
    sentences = source_sentences(edited)
    if not wanted or not sentences:
        return []
    # A cheap filter before any cache read: the paragraph must contain the first sentence.
    first = sentences[0]
    proposals: list[RepeatProposal] = []
    for article in articles:
        if not article.ok:
            continue
        candidates = [
            paragraph
            for paragraph in article.paragraphs
            if not (source_article is not None and article.path == source_article
                    and paragraph.index == edited.index)
            and first in normalize_source(paragraph.text)
        ]
        if not candidates:
            continue
        try:
            ready = engine.peek(article, target)
        except PackageError:
            continue
        for paragraph in candidates:
            current = ready[paragraph.index] if paragraph.index < len(ready) else None
            shown = current.translation if current is not None else ""
            if normalize_source(paragraph.text) == wanted:
                proposals.append(
                    RepeatProposal(article.path, paragraph.index, shown, new_text,
                                   article.display_title, identical=True, translation=current)
                )
                continue
            if current is None or current.status not in (
                ParagraphStatus.TRANSLATED, ParagraphStatus.CACHED
            ) or not current.sentences:
                continue  # nothing to splice into, or the reader's own edit: leave it
            pairs = current.sentences
            start = _find_run([normalize_source(p.source) for p in pairs], sentences)
            if start < 0:
                continue
            end = start + len(sentences) - 1
            text = current.translation
            proposed = (
                text[: pairs[start].target_start] + new_text + text[pairs[end].target_end :]
            )
            proposals.append(
                RepeatProposal(article.path, paragraph.index, shown, proposed,
                               article.display_title, translation=current)
            )
    return proposals


def apply_repeats(
    proposals: Iterable[RepeatProposal], engine: TranslationEngine, target: str
) -> list[RepeatProposal]:
    """Store the proposals that need it as the reader's edits; return those stored."""
    applied: list[RepeatProposal] = []
    for proposal in proposals:
        if not proposal.needs_applying or proposal.translation is None:
            continue
        if not proposal.proposed_translation.strip():
            continue
        engine.set_edit(proposal.translation, target, proposal.proposed_translation)
        applied.append(proposal)
    return applied


__all__ = ["RepeatProposal", "apply_repeats", "find_repeats", "source_sentences"]
