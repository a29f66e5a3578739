from __future__ import annotations

from pathlib import Path

from reader.core.library.listing import load_library
from reader.core.library.search import find_all, search_library, snippet
from reader.core.translation.cache import CacheEntry, TranslationCache


def test_find_all_ignores_case_and_accents_and_keeps_original_spans() -> None:
    text = "L’été à Kharkiv : « ÉTÉ » et ete."
    spans = find_all(text, "ete")
    assert [text[a:b] for a, b in spans] == ["été", "ÉTÉ", "ete"]
    assert [text[a:b] for a, b in find_all(text, "l'ete")] == ["L’été"]
    assert find_all(text, "   ") == []
    assert find_all(text, "neige") == []


def test_snippet_cuts_at_words() -> None:
    text = "mot " * 50 + "CIBLE" + " mot" * 50
    start = text.index("CIBLE")
    cut = snippet(text, start, start + 5, context=20)
    assert cut.startswith("…mot") and cut.endswith("mot…") and "CIBLE" in cut


def test_search_finds_originals_and_cached_translations(seeds_dir: Path) -> None:
    articles = load_library([seeds_dir])
    cache = TranslationCache()
    target = next(a for a in articles if a.path.name.startswith("001"))
    paragraph = target.paragraphs[3]
    cache.put_many(
        [
            CacheEntry(
                "r",
                "d",
                paragraph.hash,
                "fr",
                "en",
                paragraph.text,
                "The pace of the counterattack",
                (),
            )
        ]
    )
    hits = search_library(articles, "Belgorod", cache=cache, target_language="en")
    assert {h.article_path.name[:3] for h in hits} >= {"000", "003", "004"}
    assert all(h.side == "source" for h in hits)
    assert [h.paragraph_index for h in hits if h.article_path == hits[0].article_path] == sorted(
        h.paragraph_index for h in hits if h.article_path == hits[0].article_path
    )
    hits = search_library(articles, "COUNTERATTACK", cache=cache, target_language="en")
    assert [(h.article_path, h.paragraph_index, h.side) for h in hits] == [
        (target.path, 3, "translation")
    ]
    # Post-edits win over machine text.
    cache.set_edit("fr", "en", paragraph.hash, paragraph.text, "A rewritten sentence")
    assert search_library(articles, "counterattack", cache=cache, target_language="en") == []
    assert len(search_library(articles, "rewritten", cache=cache, target_language="en")) == 1


def test_search_limit(seeds_dir: Path) -> None:
    articles = load_library([seeds_dir])
    assert len(search_library(articles, "la", limit=7)) == 7
