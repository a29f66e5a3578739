"""Repeats of a post-edited passage across the library (seeds 001 and 002 quote Zelensky).

The synthetic model translates to gibberish: these tests check structure (which paragraphs,
which spans), never wording.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from reader.core.articles.article import Article
from reader.core.library.listing import load_library
from reader.core.translation.cache import TranslationCache
from reader.core.translation.engine import TranslationEngine
from reader.core.translation.post_edit import apply_repeats, find_repeats, source_sentences
from reader.core.translation.results import ParagraphStatus, ParagraphTranslation

QUOTE = "Ces jours-ci, l’armée russe montre son meilleur"
EDIT = "“These days the Russian army is showing its best side – its back. And in the end, " \
       "running away is a good choice for them."


def _by_prefix(articles: list[Article], prefix: str) -> Article:
    return next(a for a in articles if a.path.name.startswith(prefix))


def _quote_index(article: Article) -> int:
    return next(p.index for p in article.paragraphs if QUOTE in p.text)


@pytest.fixture
def library(seeds_dir: Path) -> list[Article]:
    return load_library([seeds_dir])


@pytest.fixture
def engine(install_fr_en) -> TranslationEngine:  # type: ignore[no-untyped-def]
    return TranslationEngine(TranslationCache())


def _translate(engine: TranslationEngine, article: Article, indexes: list[int]) -> None:
    for _ in engine.translate(article, "en", only=indexes):
        pass


def _edited_quote(engine: TranslationEngine, article: Article) -> ParagraphTranslation:
    translation = engine.peek(article, "en")[_quote_index(article)]
    assert translation is not None
    return translation


def test_the_seeds_share_the_quote_as_a_run_of_sentences(library: list[Article]) -> None:
    a001, a002 = _by_prefix(library, "001"), _by_prefix(library, "002")
    short = a002.paragraphs[_quote_index(a002)]
    long = a001.paragraphs[_quote_index(a001)]
    dummy = ParagraphTranslation(short.index, short.text, "", short.kind,
                                 ParagraphStatus.EDITED, "fr")
    quote = source_sentences(dummy)
    assert len(quote) == 2
    whole = source_sentences(replace(dummy, source=long.text))
    assert whole[:2] == quote and len(whole) == 3


def test_editing_the_short_quote_proposes_the_longer_paragraph(
    library: list[Article], engine: TranslationEngine
) -> None:
    a001, a002 = _by_prefix(library, "001"), _by_prefix(library, "002")
    _translate(engine, a001, [_quote_index(a001)])
    _translate(engine, a002, [_quote_index(a002)])
    edited = _edited_quote(engine, a002)
    engine.set_edit(edited, "en", EDIT)

    proposals = find_repeats(library, edited, EDIT, engine, "en", source_article=a002.path)
    assert [(p.article_path, p.paragraph_index) for p in proposals] == [
        (a001.path, _quote_index(a001))
    ]
    proposal = proposals[0]
    assert not proposal.identical and proposal.needs_applying
    current = engine.peek(a001, "en")[_quote_index(a001)]
    assert current is not None and proposal.current_translation == current.translation
    # The first two sentences' target span is replaced; the third sentence's is kept.
    third = current.sentences[2]
    tail = current.translation[current.sentences[1].target_end:]
    assert proposal.proposed_translation == EDIT + tail
    assert proposal.proposed_translation.endswith(third.target)
    assert proposal.article_title == a001.display_title

    applied = apply_repeats(proposals, engine, "en")
    assert applied == proposals
    after = engine.peek(a001, "en")[_quote_index(a001)]
    assert after is not None and after.status is ParagraphStatus.EDITED
    assert after.translation == proposal.proposed_translation
    # And the edit is what an export gets, not the machine text.
    result, _ = engine.translate_article(a001, "en")
    assert result.paragraphs[_quote_index(a001)].translation == proposal.proposed_translation


def test_the_longer_paragraph_is_not_contained_in_the_shorter(
    library: list[Article], engine: TranslationEngine
) -> None:
    a001, a002 = _by_prefix(library, "001"), _by_prefix(library, "002")
    _translate(engine, a001, [_quote_index(a001)])
    _translate(engine, a002, [_quote_index(a002)])
    edited = _edited_quote(engine, a001)
    assert find_repeats(library, edited, EDIT, engine, "en", source_article=a001.path) == []


def test_identical_paragraphs_are_reported_not_proposed(
    library: list[Article], engine: TranslationEngine, tmp_path: Path
) -> None:
    a002 = _by_prefix(library, "002")
    copy = tmp_path / "copy.txt"
    copy.write_text(a002.path.read_text(encoding="utf-8"), encoding="utf-8")
    articles = [*library, *load_library([copy])]
    _translate(engine, a002, [_quote_index(a002)])
    edited = _edited_quote(engine, a002)
    engine.set_edit(edited, "en", EDIT)
    proposals = find_repeats(articles, edited, EDIT, engine, "en", source_article=a002.path)
    identical = [p for p in proposals if p.identical]
    assert [p.article_path for p in identical] == [copy]
    assert identical[0].current_translation == EDIT  # it already shows the edit
    assert not identical[0].needs_applying
    # 001 has no translation yet: nothing to splice into, so no proposal for it.
    assert all(p.article_path != _by_prefix(library, "001").path for p in proposals)
    assert apply_repeats(identical, engine, "en") == []


def test_a_paragraph_the_reader_edited_is_left_alone(
    library: list[Article], engine: TranslationEngine
) -> None:
    a001, a002 = _by_prefix(library, "001"), _by_prefix(library, "002")
    _translate(engine, a001, [_quote_index(a001)])
    _translate(engine, a002, [_quote_index(a002)])
    mine = engine.peek(a001, "en")[_quote_index(a001)]
    assert mine is not None
    engine.set_edit(mine, "en", "My own version of the whole paragraph.")
    edited = _edited_quote(engine, a002)
    assert find_repeats(library, edited, EDIT, engine, "en", source_article=a002.path) == []


def test_a_repeated_sentence_is_translated_once_within_a_job(
    library: list[Article], engine: TranslationEngine
) -> None:
    """The same sentence twice in one job reads the same (the engine dedups inputs)."""
    a001, a002 = _by_prefix(library, "001"), _by_prefix(library, "002")
    long = a001.paragraphs[_quote_index(a001)]
    short = a002.paragraphs[_quote_index(a002)]
    both = replace(a001, paragraphs=(replace(long, index=0), replace(short, index=1)))
    result, _ = engine.translate_article(both, "en")
    first, second = result.paragraphs
    assert first.sentences[0].target == second.sentences[0].target
    assert first.sentences[1].target == second.sentences[1].target
