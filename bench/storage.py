"""The translation cache and the library at scale.

The cache is the real ``TranslationCache`` at the sandbox's XDG path (so the child processes
that open and export cached articles read the same file), filled with 100,000 rows: the seed
paragraphs plus filler of realistic size. Seed rows are keyed exactly as the engine keys them
(route, ``ACCURATE.cache_key()``, source hash) and aligned with the engine's own
``pairs_from_sentences``; their text is a stand-in of the source's length (reversed words),
because opening and exporting measure the cache, layout and PDF paths, not the model.
"""

from __future__ import annotations

import hashlib
import random
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from bench.env import REPO_ROOT, Samples, progress
from reader.core.articles.article import Article
from reader.core.text.sentences import split_sentences
from reader.core.translation.cache import CacheEntry, TranslationCache
from reader.core.translation.engine import ACCURATE, TranslationEngine
from reader.core.translation.results import pairs_from_sentences

TARGET = "en"
FILLER_TEXT = (
    "le gouvernement a annoncé mardi de nouvelles mesures pour soutenir les habitants de la "
    "région touchée par les inondations selon le ministre ces aides seront versées avant la fin "
    "du mois prochain"
)
FILLER_WORDS = tuple(FILLER_TEXT.split(" "))


def _stand_in(sentence: str) -> str:
    return " ".join(reversed(sentence.split())) or sentence


def seed_entries(engine: TranslationEngine, articles: list[Article]) -> list[CacheEntry]:
    route = engine.route("fr", TARGET)
    entries = []
    for article in articles:
        for paragraph, ready in zip(article.paragraphs, engine.peek(article, TARGET),
                                    strict=True):
            if ready is not None:  # passthrough: never cached, never looked up
                continue
            spans = split_sentences(paragraph.text)
            targets = [_stand_in(paragraph.text[a:b]) for a, b in spans]
            translation, pairs = pairs_from_sentences(paragraph.text, spans, targets)
            entries.append(CacheEntry(route.key, ACCURATE.cache_key(), paragraph.hash,
                                      paragraph.language or article.language, TARGET,
                                      paragraph.text, translation, pairs))
    return entries


def _filler(route: str, first: int, count: int, rng: random.Random) -> list[CacheEntry]:
    entries = []
    for i in range(first, first + count):
        words = rng.choices(FILLER_WORDS, k=rng.randint(25, 90))  # 150-600 characters
        text = " ".join(words).capitalize() + f" ({i})."
        spans = split_sentences(text)
        translation, pairs = pairs_from_sentences(text, spans, [_stand_in(text)])
        digest = hashlib.sha256(f"filler-{i}".encode()).hexdigest()
        entries.append(CacheEntry(route, ACCURATE.cache_key(), digest, "fr", TARGET, text,
                                  translation, pairs))
    return entries


def cache_bench(engine: TranslationEngine, articles: list[Article], rows: int) -> dict[str, Any]:
    cache = TranslationCache()
    if cache.in_memory:
        raise RuntimeError(f"the bench cache fell back to memory: {cache.warnings}")
    route = engine.route("fr", TARGET).key
    seeds = seed_entries(engine, articles)
    rng = random.Random(8)
    start = time.perf_counter()
    cache.put_many(seeds)
    filled = len(seeds)
    while filled < rows:
        chunk = min(10_000, rows - filled)
        cache.put_many(_filler(route, filled, chunk, rng))
        filled += chunk
    fill_s = time.perf_counter() - start
    entries = cache.stats().entries
    progress(f"cache filled: {entries} rows in {fill_s:.1f} s")

    decoding = ACCURATE.cache_key()
    hits = [entry.source_hash for entry in seeds]
    # One paragraph per call: the worst case (the window asking row by row).
    single = Samples()
    for _ in range(5):
        start = time.perf_counter()
        for digest in hits:
            if digest not in cache.get_many(route, decoding, [digest]):
                raise RuntimeError("a seeded paragraph was not found in the cache")
        single.add((time.perf_counter() - start) / len(hits))
    misses = [hashlib.sha256(f"absent-{i}".encode()).hexdigest() for i in range(len(hits))]
    miss = Samples()
    for _ in range(5):
        start = time.perf_counter()
        for digest in misses:
            cache.get_many(route, decoding, [digest])
        miss.add((time.perf_counter() - start) / len(misses))
    # What the engine does for an article: one batched lookup, then edits per paragraph.
    cached_engine = TranslationEngine(cache, pool=engine.pool)
    peek = Samples()
    paragraphs = sum(len(a.paragraphs) for a in articles)
    for _ in range(5):
        start = time.perf_counter()
        for article in articles:
            if any(r is None for r in cached_engine.peek(article, TARGET)):
                raise RuntimeError(f"{article.path.name} is not fully cached")
        peek.add((time.perf_counter() - start) / paragraphs)
    size_mb = cache.stats().size_bytes / 1e6
    return {
        "rows": entries,
        "fill_s": fill_s,
        "size_mb": size_mb,
        "lookup_hit_us": 1e6 * single.median,
        "lookup_miss_us": 1e6 * miss.median,
        "peek_per_paragraph_us": 1e6 * peek.median,
    }


# -- the library at scale ---------------------------------------------------------------------


def make_library(folder: Path, seeds_dir: Path, count: int) -> Path:
    """``count`` articles cycled from the seeds, each with its own numbered update line as the
    fourth block (below the title lines the parser reads as metadata). Near the top on
    purpose: an article's language is judged on its first few hundred characters and memoised by
    that sample, so a change at the end would let 495 of 500 articles skip language
    detection, which a real library never does."""
    folder.mkdir(parents=True, exist_ok=True)
    seeds = sorted(seeds_dir.glob("*.txt"))
    texts = [path.read_text(encoding="utf-8") for path in seeds]
    for i in range(count):
        blocks = texts[i % len(texts)].split("\n\n")
        update = (
            f"Mise à jour le {1 + i % 28} mars à {8 + i % 12} h : cet article n° {i} a été "
            "complété avec les dernières informations disponibles."
        )
        blocks.insert(min(3, len(blocks)), update)
        text = "\n\n".join(blocks)
        (folder / f"{i:03d}_{seeds[i % len(seeds)].stem}.txt").write_text(text, "utf-8")
    return folder


def _forget_languages() -> None:
    """Make the next listing a first one: no in-process detection memo, no on-disk memory of
    languages or parsed articles (``languages.json``, ``listing.json`` in the app's cache
    folder).

    The compact copy of langdetect's profiles (``langdetect-profiles-*.json``, made by the
    first detection the program ever runs) stays: it is about the program, not the
    articles. ``cli_without_profile_copy`` measures a first listing without it too."""
    from reader import paths
    from reader.core.language import langid

    langid.detect_sample.cache_clear()
    folder = paths.app_cache_dir()
    if folder.is_dir():
        for memo in [*folder.glob("*language*.json"), *folder.glob("listing*.json")]:
            memo.unlink()


def _list_cli(folder: Path, count: int) -> float:
    start = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-m", "reader", "list", str(folder), "--json"],
        cwd=REPO_ROOT, capture_output=True, text=True, check=False,
    )
    seconds = time.perf_counter() - start
    if proc.returncode != 0 or proc.stdout.count('"path"') != count:
        raise RuntimeError(f"reader list failed ({proc.returncode}): {proc.stderr[-300:]}")
    return seconds


def library_bench(work: Path, seeds_dir: Path, count: int, repeats: int) -> dict[str, Any]:
    """Listing, twice over: a first listing (nothing remembered: what opening a new folder
    costs) and a re-listing (what every later launch costs, with whatever the library
    remembers on disk). In-process, and as ``python -m reader list DIR --json``."""
    from reader.core.language import langid
    from reader.core.library.listing import load_library

    folder = make_library(work / f"library{count}", seeds_dir, count)
    # Warm the OS file cache and load langdetect's profiles (0.13 s, once per process; the
    # window does it in a worker at start-up; the subprocess rows pay it).
    load_library([folder], paragraph_languages=False)
    first, again = Samples(), Samples()
    articles: list[Article] = []
    for _ in range(repeats):
        _forget_languages()
        start = time.perf_counter()
        articles = load_library([folder], paragraph_languages=False)
        first.add(time.perf_counter() - start)
        langid.detect_sample.cache_clear()  # a new process has no in-memory memo
        start = time.perf_counter()
        load_library([folder], paragraph_languages=False)
        again.add(time.perf_counter() - start)
    bad = [a for a in articles if not a.ok]
    if len(articles) != count or bad:
        raise RuntimeError(f"library: {len(articles)} articles, {len(bad)} unreadable")
    progress(f"  in-process: first {first.median * 1000:.0f} ms, again "
             f"{again.median * 1000:.0f} ms")

    # What limits a first listing: time inside language detection, on one more of them.
    detect = langid.detect
    spent = [0.0]

    def timed_detect(*args: Any, **kwargs: Any) -> tuple[str, float]:
        start = time.perf_counter()
        try:
            return detect(*args, **kwargs)
        finally:
            spent[0] += time.perf_counter() - start

    _forget_languages()
    langid.detect = timed_detect  # type: ignore[assignment]
    try:
        start = time.perf_counter()
        load_library([folder], paragraph_languages=False)
        profiled = time.perf_counter() - start
    finally:
        langid.detect = detect  # type: ignore[assignment]

    # Library search (issue #7) scans the paragraphs, no index: originals of the whole
    # library, for a rare word, a common fragment and a word that is nowhere.
    from reader.core.library.search import search_library

    search: dict[str, Any] = {}
    for query in ("Gladkov", "ete", "zzqxw"):
        samples = Samples()
        hits = []
        for _ in range(repeats):
            start = time.perf_counter()
            hits = search_library(articles, query, limit=10**9)
            samples.add(time.perf_counter() - start)
        search[query] = {**samples.to_json(), "hits": len(hits)}
    progress("  search: " + ", ".join(f"{q!r} {v['median'] * 1000:.0f} ms ({v['hits']} hits)"
                                      for q, v in search.items()))

    cli_first, cli_again, cli_cold = Samples(), Samples(), Samples()
    from reader import paths

    for _ in range(repeats):
        _forget_languages()
        cli_first.add(_list_cli(folder, count))
        cli_again.add(_list_cli(folder, count))
        # The very first listing the program ever runs also reads langdetect's JSON
        # profiles and writes their compact copy.
        _forget_languages()
        for copy in paths.app_cache_dir().glob("langdetect-profiles-*.json"):
            copy.unlink()
        cli_cold.add(_list_cli(folder, count))
    progress(f"  subprocess: first {cli_first.median * 1000:.0f} ms, again "
             f"{cli_again.median * 1000:.0f} ms, first without the profile copy "
             f"{cli_cold.median * 1000:.0f} ms")
    return {"articles": count, "in_process": first.to_json(), "in_process_again": again.to_json(),
            "cli": cli_first.to_json(), "cli_again": cli_again.to_json(), "goal_s": 1.0,
            "cli_without_profile_copy": cli_cold.to_json(),
            "language_detection_share": spent[0] / profiled, "search": search,
            "paragraphs": sum(len(a.paragraphs) for a in articles),
            "article_sample_chars": langid.ARTICLE_SAMPLE_CHARS}
