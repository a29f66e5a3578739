"""The types the article pipeline's stages share: a block of source text with a hint from
the markup, what the markup says about the article, and the one test of "the same text".

Stages (:mod:`~reader.core.articles.text_blocks`, :mod:`~reader.core.articles.web_page`,
:mod:`~reader.core.articles.html_blocks`, :mod:`~reader.core.articles.layout`) import this
module; :mod:`~reader.core.articles.parser` runs them in order and none of them imports it."""

from __future__ import annotations

from dataclasses import dataclass

from reader.core.articles.article import normalize_source


@dataclass(slots=True)
class Block:
    """A trimmed block of the source, with a hint from markup when there was some."""

    text: str
    # "title" (first <h1>, first Markdown heading, <title>), "heading", "quote", "caption"
    hint: str | None = None



@dataclass(slots=True)
class Metadata:
    """What the markup says about the article (HTML metadata, Markdown front matter);
    used where the text itself did not say it."""

    title: str = ""
    date: str | None = None
    byline: str | None = None
    site: str | None = None
    url: str | None = None



def same_text(a: str, b: str) -> bool:
    return normalize_source(a).casefold() == normalize_source(b).casefold()
