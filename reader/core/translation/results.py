"""What the engine hands back: per-paragraph translations with their sentence alignment.

Plain data shared by the engine, the cache, the CLI, the window and the PDF export.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from reader.core.articles.article import Article, ParagraphKind, normalize_source
from reader.core.glossary.marks import GlossaryMark


class ParagraphStatus(StrEnum):
    TRANSLATED = "translated"  # produced by the model in this run
    CACHED = "cached"  # served from the on-disk cache
    EDITED = "edited"  # the reader's own post-edit (wins over machine text)
    PASSTHROUGH = "passthrough"  # already in the target language, empty, or a number/URL
    PENDING = "pending"  # not produced yet (window placeholders)
    FAILED = "failed"  # the model gave nothing usable; never cached
    # The model was still writing at the decoding limit, even after a retry with room:
    # shown (marked) so nothing is hidden, never cached as a complete translation.
    TRUNCATED = "truncated"


@dataclass(frozen=True, slots=True)
class SentencePair:
    """One source sentence and its translation, with character spans into the
    paragraph's source text and into its translation (end exclusive)."""

    source: str
    target: str
    source_start: int
    source_end: int
    target_start: int
    target_end: int

    def to_json(self) -> dict[str, object]:
        return {
            "source": self.source,
            "target": self.target,
            "source_span": [self.source_start, self.source_end],
            "target_span": [self.target_start, self.target_end],
        }

    @classmethod
    def from_json(cls, data: dict[str, object]) -> SentencePair:
        s_start, s_end = data["source_span"]  # type: ignore[misc]
        t_start, t_end = data["target_span"]  # type: ignore[misc]
        return cls(
            str(data["source"]),
            str(data["target"]),
            int(s_start),
            int(s_end),
            int(t_start),
            int(t_end),
        )


def pairs_from_sentences(
    source_text: str, spans: list[tuple[int, int]], targets: list[str], joiner: str = " "
) -> tuple[str, tuple[SentencePair, ...]]:
    """Join translated sentences into a paragraph and record where each one landed."""
    pairs: list[SentencePair] = []
    parts: list[str] = []
    position = 0
    for (start, end), target in zip(spans, targets, strict=True):
        if parts:
            position += len(joiner)
        pairs.append(
            SentencePair(
                source_text[start:end], target, start, end, position, position + len(target)
            )
        )
        parts.append(target)
        position += len(target)
    return joiner.join(parts), tuple(pairs)


@dataclass(frozen=True, slots=True)
class PackageRef:
    """An installed Argos package as used by a translation (one leg of a route)."""

    code: str  # e.g. "translate-fr_en"
    from_code: str
    to_code: str
    version: str

    @property
    def label(self) -> str:
        return f"{self.from_code}→{self.to_code} {self.version}".strip()

    def to_json(self) -> dict[str, str]:
        return {
            "code": self.code,
            "from": self.from_code,
            "to": self.to_code,
            "version": self.version,
        }


@dataclass(frozen=True, slots=True)
class ParagraphTranslation:
    index: int
    source: str
    translation: str
    kind: ParagraphKind
    status: ParagraphStatus
    source_language: str
    sentences: tuple[SentencePair, ...] = ()
    # The machine text kept under a post-edit, so "revert" needs no model run.
    machine_translation: str | None = None
    # A post-edit kept in memory only: the cache could not write it yet (it retries).
    unsaved: bool = False
    # Glossary terms in the source and where they read in the translation.
    glossary: tuple[GlossaryMark, ...] = ()

    @property
    def glossary_conflict(self) -> bool:
        """A post-edit that does not read as the glossary says (flagged, never changed)."""
        return self.status is ParagraphStatus.EDITED and any(
            not mark.found for mark in self.glossary
        )

    @property
    def shown(self) -> str:
        """What the reader sees (and what is exported)."""
        return self.translation

    def is_of(self, text: str) -> bool:
        """Whether this is the translation of the paragraph ``text``, as the cache keys
        paragraphs (NFC, white space collapsed): a result for another text is stale. Equal
        text is tried first, so the usual case normalises nothing."""
        return self.source == text or normalize_source(self.source) == normalize_source(text)

    def to_json(self) -> dict[str, object]:
        return {
            "index": self.index,
            "source": self.source,
            "translation": self.translation,
            "kind": str(self.kind),
            "status": str(self.status),
            "source_language": self.source_language,
            "sentences": [pair.to_json() for pair in self.sentences],
        } | ({
            "glossary": [mark.to_json() for mark in self.glossary],
            "glossary_conflict": self.glossary_conflict,
        } if self.glossary else {})


@dataclass(frozen=True, slots=True)
class TranslationProgress:
    """Sentences done out of the sentences that needed the model in this run."""

    done: int
    total: int


@dataclass(slots=True)
class ArticleTranslation:
    article: Article
    target_language: str
    packages: tuple[PackageRef, ...] = ()
    paragraphs: list[ParagraphTranslation] = field(default_factory=list)

    @property
    def source_language(self) -> str:
        return self.article.language

    @property
    def complete(self) -> bool:
        return len(self.paragraphs) == len(self.article.paragraphs) and all(
            p.status
            not in (ParagraphStatus.PENDING, ParagraphStatus.FAILED, ParagraphStatus.TRUNCATED)
            for p in self.paragraphs
        )

    def to_json(self) -> dict[str, object]:
        return {
            "path": str(self.article.path),
            "title": self.article.title,
            "source_language": self.source_language,
            "target_language": self.target_language,
            "packages": [p.to_json() for p in self.packages],
            "paragraphs": [p.to_json() for p in self.paragraphs],
        }


# -- what the engine yields while it translates an article ----------------------------------


@dataclass(frozen=True, slots=True)
class TranslationStarted:
    packages: tuple[PackageRef, ...]
    total_sentences: int  # sentences that need the model in this run
    paragraphs: int


@dataclass(frozen=True, slots=True)
class ParagraphReady:
    paragraph: ParagraphTranslation


@dataclass(frozen=True, slots=True)
class TranslationFinished:
    cancelled: bool = False
    error: str | None = None
    translated: int = 0  # paragraphs produced by the model in this run
    reused: int = 0  # paragraphs served from cache, edits or passthrough


EngineEvent = TranslationStarted | TranslationProgress | ParagraphReady | TranslationFinished


class TranslationCancelled(Exception):
    """Raised inside the engine when its ``is_cancelled`` says so; never escapes it."""
