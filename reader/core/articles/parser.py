"""Text → :class:`~reader.core.articles.article.Article`.

The input is dirty web text: a date glued to the headline, breadcrumbs, the headline
printed twice, bylines, photo captions with credits, cookie banners in English at the
end of a French article. The rules below come from the seed articles; each one keeps
the file's blocks in order and only ever *removes* whole blocks that are metadata
(breadcrumb, byline, repeated title) or the ``date …`` prefix of the title, so a
paragraph's text is always a trimmed block of the file.

A pipeline of stages, run here in order and never calling back: the text is cleaned and cut
into blocks (:mod:`~reader.core.articles.text_blocks`; a web page by
:mod:`~reader.core.articles.web_page`), with hints from the markup (``<h1>``, ``<blockquote>``,
``#``); the rules lay the blocks out (:mod:`~reader.core.articles.layout`); languages are
detected and the Article assembled here.
"""


from __future__ import annotations

import logging
from pathlib import Path

from reader.core.articles.article import Article, Paragraph, ParagraphKind
from reader.core.articles.blocks import Block, Metadata
from reader.core.articles.layout import layout
from reader.core.articles.text_blocks import (
    clean,
    looks_like_html,
    markdown_blocks,
    split_blocks,
    split_front_matter,
)
from reader.core.articles.web_page import page_blocks
from reader.core.language import langid
from reader.core.text.encoding import UnreadableFileError, read_text
from reader.core.text.hygiene import reflow_block

log = logging.getLogger(__name__)

HTML_SUFFIXES = frozenset({".html", ".htm", ".xhtml"})
MARKDOWN_SUFFIXES = frozenset({".md", ".markdown"})

# A 10 MB file has ~25,000 paragraphs; langdetect at ~1.5 ms each would take most of a
# minute. Past this many distinct paragraphs, the rest inherit the article's language.
MAX_PARAGRAPH_DETECTIONS = 2000



def _languages(
    paragraphs: list[tuple[str, ParagraphKind]],
    *,
    paragraph_languages: bool,
    memo: langid.LanguageMemo | None = None,
) -> tuple[str, float, list[tuple[str, float]]]:
    """Article language (boilerplate excluded) and each paragraph's language."""
    language, confidence = langid.detect_article_language(
        (text for text, kind in paragraphs if kind is not ParagraphKind.BOILERPLATE), memo=memo
    )
    results: list[tuple[str, float]] = []
    seen: dict[str, tuple[str, float]] = {}
    for text, kind in paragraphs:
        forced = kind is ParagraphKind.BOILERPLATE
        if not (paragraph_languages or forced):
            results.append((language, 0.0))
            continue
        key = text[: langid.PARAGRAPH_SAMPLE_CHARS]
        found = seen.get(key)
        if found is None:
            if not forced and len(seen) >= MAX_PARAGRAPH_DETECTIONS:
                results.append((language, 0.0))
                continue
            # Boilerplate is always judged: "Related Articles" is English, not French.
            found = langid.detect(text, inherit=language, force=forced, memo=memo)
            seen[key] = found
        results.append(found)
    return language, confidence, results


def _article(
    path: Path,
    blocks: list[Block],
    *,
    paragraph_languages: bool,
    memo: langid.LanguageMemo | None = None,
    metadata: Metadata | None = None,
) -> Article:
    metadata = metadata or Metadata()
    found = layout(blocks)
    paragraphs = found.paragraphs
    if not paragraphs:
        return Article(path=path, error="no article text found")
    language, confidence, languages = _languages(
        paragraphs, paragraph_languages=paragraph_languages, memo=memo
    )
    return Article(
        path=path,
        title=found.title or metadata.title,
        date=found.date or metadata.date,
        byline=found.byline or metadata.byline,
        section=found.section,
        site=metadata.site,
        url=metadata.url,
        language=language,
        language_confidence=confidence,
        paragraphs=tuple(
            Paragraph(index, text, kind, lang, conf)
            for index, ((text, kind), (lang, conf)) in enumerate(
                zip(paragraphs, languages, strict=True)
            )
        ),
    )


def parse_text(
    text: str,
    path: Path,
    *,
    paragraph_languages: bool = True,
    language_memo: langid.LanguageMemo | None = None,
    url: str | None = None,
) -> Article:
    """Parse article text already decoded. The format follows ``path``'s suffix (or an
    HTML doctype at the top); ``path`` is otherwise only recorded.

    With ``paragraph_languages=False`` only the article's language is detected and the
    paragraphs inherit it (fast enough to list a large library); boilerplate paragraphs
    are always detected.
    """
    path = Path(path)
    text = clean(text)
    if not text or text.isspace():  # (not strip(): a copy of the whole text)
        return Article(path=path, error="empty file")
    suffix = path.suffix.lower()
    metadata: Metadata | None = None
    if suffix in MARKDOWN_SUFFIXES:
        fields, body = split_front_matter(text)
        blocks = markdown_blocks(body)
        metadata = Metadata(
            title=fields.get("title", ""),
            date=fields.get("date") or None,
            byline=fields.get("author") or None,
            site=fields.get("site") or None,
            url=fields.get("source") or fields.get("url") or None,
        )
    elif suffix in HTML_SUFFIXES or looks_like_html(text):
        blocks, metadata = page_blocks(text, url=url)
    else:
        blocks = [Block(reflow_block(block)) for block in split_blocks(text)]
    return _article(
        path, blocks, paragraph_languages=paragraph_languages, memo=language_memo, metadata=metadata
    )


def parse_file(
    path: Path,
    *,
    paragraph_languages: bool = True,
    language_memo: langid.LanguageMemo | None = None,
) -> Article:
    """Read and parse ``path``. Never raises for bad input: the Article carries ``error``."""
    path = Path(path)
    try:
        decoded = read_text(path)
    except UnreadableFileError as exc:
        return Article(path=path, error=exc.message)
    try:
        return parse_text(
            decoded.text, path, paragraph_languages=paragraph_languages, language_memo=language_memo
        )
    except Exception as exc:  # a parser bug must not take the library down with it
        log.exception("could not parse %s", path)
        return Article(path=path, error=f"could not parse ({type(exc).__name__})")
