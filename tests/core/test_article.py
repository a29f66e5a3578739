"""The article model's one rule for the reader's choice of source language."""

from __future__ import annotations

from pathlib import Path

from reader.core.article import Article, Paragraph, ParagraphKind


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
