"""The article model's one rule for the reader's choice of source language."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from reader.core.articles.article import Article, Paragraph, ParagraphKind, source_hash


def _article() -> Article:
    return Article(
        path=Path("a.txt"), language="fr", language_confidence=0.99,
        paragraphs=(
            Paragraph(0, "Titre de l'article", ParagraphKind.TITLE, "fr", 0.98),
            Paragraph(1, "Oui.", ParagraphKind.BODY, "fr", 0.0),  # too short: inherited
            Paragraph(2, "We use cookies.", ParagraphKind.BOILERPLATE, "en", 0.99),
            Paragraph(3, "???", ParagraphKind.BODY, "und", 0.0),
        ),
    )


def test_the_override_takes_the_articles_paragraphs_and_keeps_other_languages():
    article = _article().with_source_language("it")
    assert article.language == "it"
    assert [p.language for p in article.paragraphs] == ["it", "it", "en", "it"]
    assert article.paragraphs[2] == _article().paragraphs[2]


def test_no_override_or_the_same_language_is_the_article_as_detected():
    article = _article()
    assert article.with_source_language(None) is article
    assert article.with_source_language("") is article
    assert article.with_source_language("fr") is article


def test_derived_values_are_computed_once_and_kept_by_the_override():
    article = _article()
    hashes = [p.hash for p in article.paragraphs]
    words = article.words
    assert hashes == [source_hash(p.text) for p in article.paragraphs]
    read = article.with_source_language("it")
    # Kept, not recomputed: the very same objects (a 5 MB book has 40,000 paragraphs).
    assert all(a.hash is b.hash for a, b in zip(read.paragraphs, article.paragraphs, strict=True))
    assert read._word_count == words == read.words
    assert read.paragraphs[0] == Paragraph(0, "Titre de l'article", ParagraphKind.TITLE, "it",
                                           1.0)


def test_a_changed_text_never_carries_the_old_hash():
    paragraph = _article().paragraphs[0]
    assert paragraph.hash == source_hash(paragraph.text)
    changed = replace(paragraph, text="Un autre titre")
    assert changed.hash == source_hash("Un autre titre") != paragraph.hash
    article = replace(_article(), paragraphs=(changed,))
    assert article.words == 3


def test_text_offsets_are_the_running_total_of_paragraph_lengths():
    article = _article()
    lengths = [len(p.text) for p in article.paragraphs]
    assert article.text_offsets == (0, *[sum(lengths[: i + 1]) for i in range(len(lengths))])
    assert Article(path=Path("empty.txt")).text_offsets == (0,)


def test_touch_makes_the_counts_once_and_the_override_keeps_them():
    article = _article()
    assert article.touch() is article
    read = article.with_source_language("it")
    # Same texts: the offsets made on a worker come along (the same tuple: no second pass).
    assert read.text_offsets is article.text_offsets and read.words == article.words
    # A copy with other paragraphs makes its own.
    other = replace(article, paragraphs=article.paragraphs[:2])
    assert other.text_offsets == article.text_offsets[:3]


def test_long_texts_are_counted_as_the_regular_expression_counts() -> None:
    """The split-first count of long texts equals one regex pass, whatever the characters."""
    import random
    import re

    from reader.core.articles import article

    word = re.compile(r"\w+(?:[’'-]\w+)*")
    pool = "aZ09_ ’'-éÉœ«»\u00a0\u202f\u2028\x1c–—…²½٣漢😀\u0301\u200b\t\n.,;:!?ſKİı"
    rng = random.Random(11)
    for size in (article._SPLIT_FROM_CHARS, 300, 1000, 5000):
        for _ in range(300):
            text = "".join(rng.choice(pool) for _ in range(size))
            assert article.count_words(text) == len(word.findall(text))
    prose = " ".join(["L’État a dit : « peut-être », 3,5 % de l’an_2 ; fin."] * 40)
    assert article.count_words(prose) == len(word.findall(prose))


def test_an_article_counts_its_words_in_bounded_groups_as_one_by_one() -> None:
    """Paragraphs are counted together up to ~64 K characters (a book is many calls, none
    long): the total is the sum of the paragraphs' own counts."""
    from reader.core.articles import article as article_module

    texts = [f"L’État n° {i} a dit : « peut-être » — fin{'-' if i % 7 == 0 else ''}" * (1 + i % 50)
             for i in range(3000)]
    paragraphs = tuple(Paragraph(i, t, ParagraphKind.BODY, "fr") for i, t in enumerate(texts))
    assert sum(map(len, texts)) > 4 * article_module._COUNT_TOGETHER_CHARS
    book = Article(path=Path("book.txt"), paragraphs=paragraphs)
    assert book.words == sum(p.words for p in paragraphs)
