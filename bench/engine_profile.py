"""Where the engine's time goes: a cProfile of one article translated, and translate time
against article length (an article made 1 to 8 times longer from varied copies of a seed)."""

from __future__ import annotations

import cProfile
import io
import pstats
import time
from dataclasses import replace
from typing import Any

from bench.env import progress
from bench.workload import (
    TARGET,
    CountingPool,
    Threads,
    engine_for,
    make_workload,
    rates,
    run_engine,
)
from reader.core.articles.article import Article, Paragraph, ParagraphKind
from reader.core.text.sentences import split_sentences
from reader.core.translation.engine import (
    ACCURATE,
    FAST,
    TranslationEngine,
)

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
