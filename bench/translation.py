"""Translation speed: our engine against argostranslate (the anchor), and our engine's knobs.

What is compared, and why it is like with like:

- the same paragraphs: those our engine sends to a model (``TranslationEngine.peek`` says
  ``None``: not passthrough, not cached); argostranslate gets each of them in its own
  ``translate()`` call, as its users call it;
- the same sentences (both sides split with ``reader.core.text.sentences``), the same package, the
  same beam (4), the same CTranslate2 thread count, and the same decoding-length formula
  (``DecodingOptions.max_decoding_length`` of the longest source in each CTranslate2 batch;
  see ``bench.baseline`` for how the anchor is made to use it);
- our engine runs without a cache (``cache=None``, ``use_cache=False``).

The default model (the hand-set echo model at fr_en 1.9's shape) stops with ``</s>`` after one
token per source piece, as trained weights do; the random-weight worst case never stops, so
its every sentence runs to the first limit, is decoded again with room and comes back
truncated. Both sides count generated tokens so the work done is visible. The ``Ceiling``
is one plain ``translate_batch`` call over the same sentences: what CTranslate2 alone does.
"""

from __future__ import annotations

import cProfile
import io
import os
import pstats
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from bench.env import Samples, median, progress
from reader.core.articles.article import Article, Paragraph, ParagraphKind
from reader.core.articles.parser import parse_file
from reader.core.models.store import InstalledPackage
from reader.core.text.sentences import sentences, split_sentences
from reader.core.translation.engine import (
    ACCURATE,
    FAST,
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


# Token budgets tried for the ceiling's one translate_batch call (batch_type="tokens").
# (128 never won on 2 cores: it lost to 256 by a third in every run; it is left out so the
# time goes to more repeats, which the ratio needs more.)
CEILING_BATCH_TOKENS = (256, 512, 1024)


class Ceiling:
    """The raw CTranslate2 ceiling: every distinct sentence of the workload (tokenized as the
    engine does) in ONE plain ``ctranslate2.Translator.translate_batch`` call, with the
    engine's threads, beam, length penalty and limit, CTranslate2 doing its own token
    batching. Nothing a reader needs (streaming, alignment, caching, cancellation) is done;
    the engine can approach this, not beat it by design."""

    def __init__(self, package: InstalledPackage, workload: Workload, threads: Threads,
                 options: DecodingOptions, engine: TranslationEngine) -> None:
        import ctranslate2

        tokenizer = engine.pool.tokenizer(package)
        seen: dict[tuple[str, ...], None] = {}
        for text in workload.paragraphs:
            for sentence in sentences(text):
                seen.setdefault(tuple(tokenizer.encode(sentence)[: options.max_input_tokens]))
        self.sources = [list(tokens) for tokens in seen]
        self.options = options
        self.translator = ctranslate2.Translator(
            str(package.path / "model"), device="cpu", compute_type="auto",
            inter_threads=threads.workers, intra_threads=threads.per_worker,
        )
        self.prefix = package.target_prefix

    def run(self, batch_tokens: int) -> float:
        options = self.options
        longest = max(len(source) for source in self.sources)
        start = time.perf_counter()
        self.translator.translate_batch(
            self.sources,
            target_prefix=[[self.prefix]] * len(self.sources) if self.prefix else None,
            max_batch_size=batch_tokens,
            batch_type="tokens",
            beam_size=options.beam_size,
            num_hypotheses=1,
            length_penalty=options.length_penalty,
            replace_unknowns=options.replace_unknowns,
            max_decoding_length=options.retry_decoding_length(longest),
            max_input_length=0,
        )
        return time.perf_counter() - start


def engine_vs_anchor(
    models: Models,
    articles: list[Article],
    quick: bool,
    threads: Threads,
    tuned: dict[str, Any] | None = None,
    *,
    with_ceiling: bool = True,
    small: bool = False,
) -> dict[str, Any]:
    """Ours (defaults) against the anchor and the raw CTranslate2 ceiling (``Ceiling``, at
    each of ``CEILING_BATCH_TOKENS``), alternating, ratios pair by pair. With ``tuned``
    (the sweep's best row, when it differs from the defaults), a third side runs our engine
    with those settings in the same rotation, to show what changing the defaults buys."""
    from bench.baseline import ArgosBaseline

    pool = CountingPool(threads)
    sides: dict[str, TranslationEngine] = {"ours": engine_for(ACCURATE, pool)}
    pools = {"ours": pool}
    if tuned is not None and not tuned.get("default"):
        pools["tuned"] = CountingPool(Threads(tuned["workers"], tuned["threads_per_worker"]))
        sides["tuned"] = engine_for(
            replace(ACCURATE, max_batch_tokens=tuned["max_batch_tokens"],
                    window_sentences=tuned["window_sentences"]),
            pools["tuned"],
        )
    ours = sides["ours"]
    if quick or small:
        anchor = make_workload(ours, [articles[1]], "seed 001, first paragraphs", 6)
        repeats = 1
    else:
        anchor = make_workload(ours, articles[:2], "seeds 000+001")
        # Five: a run's ratio moves by ±10% on 2 shared cores; the median of five holds.
        repeats = 5
    progress(
        f"anchor workload: {anchor.name}: {len(anchor.paragraphs)} paragraphs, "
        f"{anchor.sentences} sentences, {anchor.source_tokens} source tokens"
    )
    progress("loading argostranslate (imports stanza/torch; not timed)")
    baseline = ArgosBaseline(models.int8.path, ACCURATE, threads.workers, threads.per_worker)
    baseline.translate(anchor.paragraphs[0])  # first call pays model load and warm-up
    for engine in sides.values():
        # Warmed on the whole workload, as the ceiling is below: CTranslate2 grows its
        # buffers on a translator's first large batches, which one paragraph never reaches.
        run_engine(engine, anchor)

    ceiling = Ceiling(models.int8, anchor, threads, ACCURATE, ours) if with_ceiling else None
    budgets = [f"ceiling-{b}" for b in CEILING_BATCH_TOKENS] if ceiling is not None else []
    if ceiling is not None:
        ceiling.run(CEILING_BATCH_TOKENS[0])  # warm-up
    names = ["ours", "argos", *(["tuned"] if "tuned" in sides else []), *budgets]
    times: dict[str, Samples] = {name: Samples() for name in names}
    ratios: dict[str, list[float]] = {name: [] for name in sides}
    ceiling_ratios: list[float] = []
    ceiling_winners: list[int] = []
    firsts: dict[str, list[float]] = {name: [] for name in sides}
    work: dict[str, dict[str, Any]] = {}
    for repeat in range(repeats):
        # Rotate who goes first, so drift in machine load hits every side alike.
        order = names[repeat % len(names):] + names[:repeat % len(names)]
        seconds: dict[str, float] = {}
        for side in order:
            if side == "argos":
                baseline.reset()
                counter = baseline.translator
                counter.batches = counter.sentences = counter.generated_tokens = 0
                start = time.perf_counter()
                for paragraph in anchor.paragraphs:
                    baseline.translate(paragraph)
                seconds[side] = time.perf_counter() - start
                work[side] = {
                    "batches": counter.batches,
                    "sentences": counter.sentences,
                    "generated_tokens": counter.generated_tokens,
                    "generated_per_sentence": counter.generated_tokens / max(1, counter.sentences),
                }
            elif side.startswith("ceiling-"):
                assert ceiling is not None
                seconds[side] = ceiling.run(int(side.split("-")[1]))
            else:
                pools[side].work.reset()
                run = run_engine(sides[side], anchor)
                seconds[side] = run.seconds
                firsts[side].append(run.first_paragraph or float("nan"))
                work[side] = pools[side].work.to_json()
            times[side].add(seconds[side])
            progress(f"  run {repeat + 1}/{repeats} {side}: {seconds[side]:.1f} s")
        for side in sides:
            ratios[side].append(seconds["argos"] / seconds[side])
        if budgets:
            ceiling_winners.append(int(min(budgets, key=seconds.__getitem__).split("-")[1]))
    result: dict[str, Any] = {
        "workload": anchor.to_json(),
        "repeats": repeats,
        "beam_size": ACCURATE.beam_size,
        "threads": threads.label,
        "compute_type": pool.compute_type_of(models.int8),
        "options": _options_json(ACCURATE),
        "argos": {**rates(anchor, times["argos"].median), "runs": times["argos"].to_json(),
                  "work": work["argos"]},
        "goal": 3.0,
    }
    for side in sides:
        result[side] = {**rates(anchor, times[side].median), "runs": times[side].to_json(),
                        "work": work[side], "first_paragraph_s": median(firsts[side]),
                        "ratio": median(ratios[side]), "ratios": ratios[side]}
    result["ratio"] = result["ours"]["ratio"]
    result["ratios"] = result["ours"]["ratios"]
    if ceiling is not None:
        per_budget = {b: times[f"ceiling-{b}"].median for b in CEILING_BATCH_TOKENS}
        winner = min(per_budget, key=per_budget.__getitem__)
        # Pairs against the budget that won on medians. (Taking each run's fastest budget
        # instead would compare one sample of ours with the least of three samples of the
        # ceiling: a bias of its own against us, of the size of the noise.)
        ceiling_ratios = [
            ceiling_run / ours_run for ceiling_run, ours_run
            in zip(times[f"ceiling-{winner}"].values, times["ours"].values, strict=True)
        ]
        result["ceiling"] = {
            "what": "one plain ctranslate2 translate_batch call over the same distinct "
                    "sentences, batch_type=tokens, same threads, beam and length penalty",
            "sentences": len(ceiling.sources),
            "source_tokens": sum(len(source) for source in ceiling.sources),
            "seconds_by_batch_tokens": per_budget,
            "best_batch_tokens": winner,
            "winners_by_repeat": ceiling_winners,
            **rates(anchor, per_budget[winner]),
            "ratio": median(ceiling_ratios),
            "ratios": ceiling_ratios,
            "goal": 0.95,
        }
    if "tuned" in sides and tuned is not None:
        result["tuned"]["settings"] = {
            "max_batch_tokens": tuned["max_batch_tokens"],
            "window_sentences": tuned["window_sentences"],
            "threads": tuned["threads"],
        }
    return result


def _options_json(options: DecodingOptions) -> dict[str, Any]:
    return {
        "beam_size": options.beam_size,
        "max_batch_tokens": options.max_batch_tokens,
        "batch_length_spread": getattr(options, "batch_length_spread", None),
        "window_sentences": options.window_sentences,
        "length": f"{options.length_ratio:g}*n+{options.length_margin}<={options.length_cap}",
    }


def paired(
    label_a: str,
    run_a: Callable[[], EngineRun],
    label_b: str,
    run_b: Callable[[], EngineRun],
    repeats: int,
) -> dict[str, Any]:
    """Alternating runs of two engines on one workload; the ratio b/a pair by pair."""
    a, b, ratios = Samples(), Samples(), []
    for repeat in range(repeats):
        first_a = repeat % 2 == 0
        order = ((label_a, run_a), (label_b, run_b)) if first_a else ((label_b, run_b),
                                                                      (label_a, run_a))
        pair: dict[str, float] = {}
        for label, run in order:
            pair[label] = run().seconds
            progress(f"  {label}: {pair[label]:.1f} s")
        a.add(pair[label_a])
        b.add(pair[label_b])
        ratios.append(pair[label_b] / pair[label_a])
    return {label_a: a.to_json(), label_b: b.to_json(), "ratio": median(ratios),
            "ratios": ratios}


def beam_and_precision(
    models: Models, articles: list[Article], quick: bool, threads: Threads
) -> dict[str, Any]:
    pool = CountingPool(threads)
    beam4 = engine_for(ACCURATE, pool)
    beam1 = engine_for(FAST, pool)
    f32_pool = CountingPool(threads, compute_type="float32")
    f32 = engine_for(ACCURATE, f32_pool, models.f32_data_home)
    if quick:
        small = make_workload(beam4, [articles[1]], "seed 001, first paragraphs", 6)
        repeats = 1
    else:
        # Half a seed: the ratios are what matters, and the full run has 10 minutes.
        small = make_workload(beam4, [articles[1]], "seed 001, first half", 11)
        repeats = 2
    warm = make_workload(beam4, [articles[1]], "warm-up", 1)
    for engine in (beam4, f32):
        run_engine(engine, warm)
    progress(f"beam 1 vs beam 4 on {small.name} ({small.sentences} sentences)")
    beams = paired("beam4", lambda: run_engine(beam4, small), "beam1",
                   lambda: run_engine(beam1, small), repeats)
    beams["workload"] = small.to_json()
    beams["speedup_beam1"] = 1 / beams["ratio"]
    progress(f"int8 vs float32 (beam 4) on {small.name} ({small.sentences} sentences)")
    precision = paired("int8", lambda: run_engine(beam4, small), "float32",
                       lambda: run_engine(f32, small), repeats)
    precision["workload"] = small.to_json()
    precision["compute_types"] = {
        "int8": pool.compute_type_of(models.int8),
        "float32": f32_pool.compute_type_of(models.f32),
    }
    precision["package_mb"] = {
        "int8": models.int8.size_bytes / 1e6,
        "float32": models.f32.size_bytes / 1e6,
    }
    return {"beam": beams, "precision": precision}


# -- the batch-size sweep ---------------------------------------------------------------------


def sweep(
    models: Models, articles: list[Article], quick: bool, threads: Threads
) -> dict[str, Any]:
    """max_batch_tokens, then window_sentences at the best, then the pool's thread layout
    (workers x threads per worker), then the length spread, all at beam 4.

    One run per setting (the budget); staged rather than a full grid for the same reason."""
    pools: dict[Threads, CountingPool] = {threads: CountingPool(threads)}
    probe = engine_for(ACCURATE, pools[threads])
    if quick:
        workload = make_workload(probe, [articles[1]], "seed 001, first paragraphs", 6)
        batch_sizes, windows = [256, 512, 1024], [8]
    else:
        workload = make_workload(probe, [articles[1]], "seed 001")
        batch_sizes, windows = [256, 512, 1024, 2048], [8, 24]
    cores = os.cpu_count() or 1
    layouts = [Threads(cores, 1), Threads(1, cores), Threads(1, 1)]
    run_engine(probe, make_workload(probe, [articles[1]], "warm-up", 1))
    rows: list[dict[str, Any]] = []
    default_spread = getattr(ACCURATE, "batch_length_spread", None)

    def measure(batch: int, window: int, layout: Threads,
                spread: float | None = default_spread) -> dict[str, Any]:
        pool = pools.get(layout)
        if pool is None:
            pool = pools[layout] = CountingPool(layout)
            run_engine(engine_for(ACCURATE, pool), make_workload(probe, [articles[1]], "w", 1))
        options = replace(ACCURATE, max_batch_tokens=batch, window_sentences=window)
        if spread is not None:
            options = replace(options, batch_length_spread=spread)
        pool.work.reset()
        run = run_engine(engine_for(options, pool), workload)
        row = {
            "max_batch_tokens": batch,
            "window_sentences": window,
            "threads": layout.label,
            "workers": layout.workers,
            "threads_per_worker": layout.per_worker,
            "batch_length_spread": spread,
            **rates(workload, run.seconds),
            "first_paragraph_s": run.first_paragraph,
            "work": pool.work.to_json(),
            "default": (batch, window, layout, spread)
            == (ACCURATE.max_batch_tokens, ACCURATE.window_sentences, threads, default_spread),
        }
        rows.append(row)
        progress(
            f"  batch {batch:>4} tokens, window {window:>3}, threads {layout.label}, spread "
            f"{spread}: {run.seconds:.1f} s, first paragraph {run.first_paragraph or 0:.1f} s"
        )
        return row

    progress(f"batch-size sweep on {workload.name} ({workload.sentences} sentences, beam 4)")
    default_window = ACCURATE.window_sentences
    best = min((measure(b, default_window, threads) for b in batch_sizes),
               key=lambda r: r["seconds"])
    for window in windows:
        row = measure(best["max_batch_tokens"], window, threads)
        if row["seconds"] < best["seconds"]:
            best = row
    best_threads = threads
    for layout in layouts:
        if layout != threads:
            row = measure(best["max_batch_tokens"], best["window_sentences"], layout)
            if row["seconds"] < best["seconds"]:
                best, best_threads = row, layout
    if default_spread is not None and not quick:
        # A tighter spread, and the spread off (one batch limit for sentences of any length).
        for spread in (1.25, 100.0):
            row = measure(best["max_batch_tokens"], best["window_sentences"], best_threads, spread)
            if row["seconds"] < best["seconds"]:
                best = row
    return {"workload": workload.to_json(), "rows": rows, "best": best}


# -- profiling --------------------------------------------------------------------------------


def profile_engine(articles: list[Article], quick: bool, threads: Threads) -> dict[str, Any]:
    """cProfile one no-cache run at the defaults: where the wall time goes."""
    pool = CountingPool(threads)
    engine = engine_for(ACCURATE, pool)
    workload = make_workload(engine, [articles[1]], "seed 001", 6 if quick else None)
    run_engine(engine, make_workload(engine, [articles[1]], "warm-up", 1))
    pool.work.reset()
    profiler = cProfile.Profile()
    start = time.perf_counter()
    profiler.enable()
    run_engine(engine, workload)
    profiler.disable()
    wall = time.perf_counter() - start
    stats = pstats.Stats(profiler)
    in_ct2 = 0.0
    # Every CTranslate2 call goes through CountingTranslator.translate_batch (a synchronous
    # call decodes there) or _CountedResult.result (an asynchronous one is waited for there):
    # their cumulative time is the time spent decoding; the rest is Python.
    table: dict[tuple[str, int, str], tuple[Any, ...]] = stats.stats  # type: ignore[attr-defined]
    for (file, _line, name), (_cc, _nc, _tt, cumulative, _callers) in table.items():
        if name in ("translate_batch", "result") and file == __file__:
            in_ct2 += cumulative
    text = io.StringIO()
    pstats.Stats(profiler, stream=text).sort_stats("tottime").print_stats(8)
    top = [line for line in text.getvalue().splitlines() if line.strip()][-9:]
    return {
        "workload": workload.to_json(),
        "wall_s": wall,
        "ctranslate2_s": in_ct2,
        "ctranslate2_share": in_ct2 / wall if wall else None,
        "work": pool.work.to_json(),
        "top_tottime": top,
    }


# -- 5b. translate time versus article length -------------------------------------------------


def _vary(text: str, copy: int) -> str:
    """Insert the copy number after each sentence's first word, so no sentence repeats
    across copies (the engine translates a repeated sentence once) and lengths barely move."""
    out: list[str] = []
    cursor = 0
    for start, end in split_sentences(text):
        sentence = text[start:end]
        first, _, rest = sentence.partition(" ")
        out.append(text[cursor:start])
        out.append(f"{first} {copy} {rest}" if rest else f"{sentence} {copy}")
        cursor = end
    out.append(text[cursor:])
    return "".join(out)


def scaled_article(seed: Article, engine: TranslationEngine, factor: int) -> Article:
    needed = [p for p, ready in zip(seed.paragraphs, engine.peek(seed, TARGET), strict=True)
              if ready is None]
    paragraphs: list[Paragraph] = []
    for copy in range(1, factor + 1):
        for paragraph in needed:
            paragraphs.append(
                Paragraph(len(paragraphs), _vary(paragraph.text, copy), ParagraphKind.BODY,
                          paragraph.language or seed.language, 1.0)
            )
    return Article(path=seed.path.with_name(f"{seed.path.stem}-x{factor}.txt"), title="",
                   language=seed.language, language_confidence=1.0,
                   paragraphs=tuple(paragraphs))


def length_scaling(articles: list[Article], quick: bool, threads: Threads) -> dict[str, Any]:
    """Beam 1 (the "fast" preset) to keep 16x a seed inside the time budget; linearity is
    about planning, batching and windows, which do not depend on the beam."""
    pool = CountingPool(threads)
    engine = engine_for(FAST, pool)
    # The first half of seed 001 (11 sentences): x16 is then 176 sentences, in budget.
    seed = articles[1]
    half = make_workload(engine, [seed], "half", 11)
    only = half.parts[0][1]
    if only is not None:
        kept = [p for p in seed.paragraphs if p.index in only]
        seed = replace(seed, paragraphs=tuple(replace(p, index=i) for i, p in enumerate(kept)))
    factors = [1, 4] if quick else [1, 4, 16]
    run_engine(engine, make_workload(engine, [seed], "warm-up", 1))
    rows = []
    for factor in factors:
        article = scaled_article(seed, engine, factor)
        workload = make_workload(engine, [article], f"seed 001 x{factor}")
        run = run_engine(engine, workload)
        if run.model_sentences != workload.sentences:
            raise RuntimeError(f"x{factor}: {run.model_sentences} model sentences, expected "
                               f"{workload.sentences} (variation failed, sentences deduplicated)")
        rows.append({"factor": factor, **workload.to_json(), **rates(workload, run.seconds),
                     "ms_per_sentence": 1000 * run.seconds / workload.sentences,
                     "first_paragraph_s": run.first_paragraph})
        progress(f"  x{factor}: {workload.sentences} sentences in {run.seconds:.1f} s "
                 f"({rows[-1]['ms_per_sentence']:.0f} ms/sentence)")
    base = rows[0]["ms_per_sentence"]
    return {"seed": f"{seed.path.name[:3]} (first half)", "beam_size": FAST.beam_size,
            "rows": rows, "growth": rows[-1]["ms_per_sentence"] / base}


__all__ = [
    "Ceiling",
    "Models",
    "Threads",
    "beam_and_precision",
    "engine_vs_anchor",
    "length_scaling",
    "load_seeds",
    "profile_engine",
    "sweep",
]

