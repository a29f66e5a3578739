"""What the translation benchmarks run and count: the workload (the paragraphs our engine
sends to a model, split into sentences), a model pool whose translators count the batches
and tokens they are given, an engine without cache, and one timed run of it.

Shared by :mod:`bench.translation` (engine against the anchor, the knobs, the batch sweep)
and :mod:`bench.engine_profile` (where the time goes, time against length)."""

from __future__ import annotations

import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from reader.core.articles.article import Article
from reader.core.articles.parser import parse_file
from reader.core.models.store import InstalledPackage
from reader.core.text.sentences import sentences
from reader.core.translation.engine import (
    DecodingOptions,
    ModelPool,
    ParagraphReady,
    TranslationEngine,
    TranslationFinished,
    TranslationStarted,
)
from reader.core.translation.results import ParagraphStatus, TranslationProgress

TARGET = "en"


# -- counting what the model did --------------------------------------------------------------


@dataclass(slots=True)
class WorkStats:
    batches: int = 0
    sentences: int = 0
    generated_tokens: int = 0

    def reset(self) -> None:
        self.batches = self.sentences = self.generated_tokens = 0

    def to_json(self) -> dict[str, Any]:
        return {
            "batches": self.batches,
            "sentences": self.sentences,
            "generated_tokens": self.generated_tokens,
            "generated_per_sentence": self.generated_tokens / self.sentences
            if self.sentences
            else None,
        }


class _CountedResult:
    """An ``AsyncTranslationResult`` that counts its tokens when the engine collects it
    (counting at submission would block, and serialize the workers it measures)."""

    def __init__(self, inner: Any, stats: WorkStats) -> None:
        self._inner = inner
        self._stats = stats
        self._counted = False

    def __getattr__(self, name: str) -> Any:
        return getattr(self._inner, name)

    def result(self) -> Any:
        result = self._inner.result()
        if not self._counted:
            self._counted = True
            self._stats.generated_tokens += len(result.hypotheses[0])
        return result


class CountingTranslator:
    """A ``ctranslate2.Translator`` that counts batches and generated tokens (cost: nothing
    measurable next to a decoding call). Synchronous and asynchronous calls alike."""

    def __init__(self, inner: Any, stats: WorkStats) -> None:
        self._inner = inner
        self._stats = stats

    def __getattr__(self, name: str) -> Any:
        return getattr(self._inner, name)

    def translate_batch(self, source: list[list[str]], **kwargs: Any) -> Any:
        results = self._inner.translate_batch(source, **kwargs)
        self._stats.batches += 1
        self._stats.sentences += len(source)
        if kwargs.get("asynchronous"):
            return [_CountedResult(result, self._stats) for result in results]
        self._stats.generated_tokens += sum(len(r.hypotheses[0]) for r in results)
        return results


@dataclass(frozen=True, slots=True)
class Threads:
    """A ``ModelPool`` layout: CTranslate2 workers x threads per worker."""

    workers: int
    per_worker: int

    @property
    def label(self) -> str:
        return f"{self.workers}×{self.per_worker}"

    @staticmethod
    def default() -> Threads:
        pool = ModelPool()
        return Threads(pool.inter_threads, pool.intra_threads)


class CountingPool(ModelPool):
    """Our ``ModelPool`` with counted translators; loading and threads are unchanged."""

    def __init__(self, threads: Threads, *, compute_type: str = "auto") -> None:
        super().__init__(compute_type=compute_type, inter_threads=threads.workers,
                         intra_threads=threads.per_worker)
        self.threads = threads
        self.work = WorkStats()

    def translator(self, package: InstalledPackage) -> Any:
        return CountingTranslator(super().translator(package), self.work)

    def compute_type_of(self, package: InstalledPackage) -> str:
        """What CTranslate2 actually runs ("auto" resolved), for the report."""
        return str(super().translator(package).compute_type)


# -- workloads --------------------------------------------------------------------------------


@dataclass(slots=True)
class Workload:
    """Paragraphs to translate, and how much work they are (counted once, both sides)."""

    name: str
    # (article, indices of the paragraphs to translate, or None for all that need the model)
    parts: list[tuple[Article, list[int] | None]]
    paragraphs: list[str]
    sentences: int
    source_tokens: int

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "paragraphs": len(self.paragraphs),
            "sentences": self.sentences,
            "source_tokens": self.source_tokens,
        }


def load_seeds(seeds_dir: Path) -> list[Article]:
    # paragraph_languages=True: what translating needs (the CLI and the window do the same).
    return [parse_file(path, paragraph_languages=True) for path in sorted(seeds_dir.glob("*.txt"))]


def make_workload(
    engine: TranslationEngine,
    articles: Iterable[Article],
    name: str,
    max_sentences: int | None = None,
) -> Workload:
    """The paragraphs of ``articles`` that need the model, optionally cut after the paragraph
    that reaches ``max_sentences`` (whole paragraphs only: argostranslate takes paragraphs)."""
    tokenizer = engine.pool.tokenizer(engine.route("fr", TARGET).packages[0])
    parts: list[tuple[Article, list[int] | None]] = []
    texts: list[str] = []
    count = tokens = 0
    for article in articles:
        needed = [p.index for p, ready in zip(article.paragraphs, engine.peek(article, TARGET),
                                                strict=True) if ready is None]
        chosen: list[int] = []
        for index in needed:
            if max_sentences is not None and count >= max_sentences:
                break
            text = article.paragraphs[index].text
            chosen.append(index)
            texts.append(text)
            for sentence in sentences(text):
                count += 1
                tokens += len(tokenizer.encode(sentence))
        if chosen:
            parts.append((article, None if chosen == needed else chosen))
    return Workload(name, parts, texts, count, tokens)


@dataclass(slots=True)
class EngineRun:
    seconds: float
    first_paragraph: float | None  # first ParagraphReady from the model, from the call
    model_sentences: int  # TranslationStarted.total_sentences (after de-duplication)
    failed: int


def run_engine(engine: TranslationEngine, workload: Workload) -> EngineRun:
    """Translate the workload with ``TranslationEngine.translate_many`` (what the CLI does
    with several files), no cache; every paragraph must come back translated."""
    first: float | None = None
    failed = total = 0
    start = time.perf_counter()
    # As the CLI translates several files: one pipeline (translate_many).
    streams = engine.translate_many([article for article, _ in workload.parts], TARGET,
                                    use_cache=False, only=[only for _, only in workload.parts])
    for (article, _), events in zip(workload.parts, streams, strict=True):
        sentences = 0
        for event in events:
            if isinstance(event, TranslationStarted):
                sentences = event.total_sentences
            elif isinstance(event, TranslationProgress):
                sentences = event.total  # exact in the last report (a book's first: estimated)
            elif isinstance(event, ParagraphReady):
                status = event.paragraph.status
                if status is ParagraphStatus.FAILED:
                    failed += 1
                elif status is ParagraphStatus.TRANSLATED and first is None:
                    first = time.perf_counter() - start
            elif isinstance(event, TranslationFinished) and event.error:
                raise RuntimeError(f"engine failed on {article.path.name}: {event.error}")
        total += sentences
    seconds = time.perf_counter() - start
    if failed:
        raise RuntimeError(f"{failed} paragraphs failed in {workload.name}")
    return EngineRun(seconds, first, total, failed)


def rates(workload: Workload, seconds: float) -> dict[str, float]:
    return {
        "seconds": seconds,
        "sentences_per_s": workload.sentences / seconds,
        "source_tokens_per_s": workload.source_tokens / seconds,
    }


# -- 1. engine vs the anchor ------------------------------------------------------------------


@dataclass(slots=True)
class Models:
    int8: InstalledPackage
    f32: InstalledPackage
    f32_data_home: Path


def engine_for(
    options: DecodingOptions, pool: ModelPool, data_home_path: Path | None = None
) -> TranslationEngine:
    """An engine without cache bound to the package store at ``data_home_path``."""
    from bench.env import data_home

    engine = TranslationEngine(None, options=options, pool=pool)
    if data_home_path is None:
        engine.installed()
    else:
        with data_home(data_home_path):
            engine.installed()  # lists (and keeps) that store's packages
    return engine
