"""Stage 1 for a web page: its article blocks and metadata, from trafilatura's extraction,
or from our tag-skipping collector when trafilatura finds no main text (a bare fragment).
Both are imported on first use only (see their modules)."""

from __future__ import annotations

from reader.core.articles.blocks import Block, Metadata, same_text


def page_blocks(text: str, *, url: str | None = None) -> tuple[list[Block], Metadata]:
    """The article blocks of a web page and its metadata: trafilatura's extraction, or our
    own tag-skipping collector when trafilatura finds no main text (a bare fragment)."""
    from reader.core.articles.html_extract import extract_article

    found = extract_article(text, url=url)
    if found is None:
        from reader.core.articles.html_blocks import tag_blocks

        return tag_blocks(text), Metadata(url=url)
    blocks: list[Block] = []
    if found.title:
        blocks.append(Block(found.title, "title"))
    for block in found.blocks:
        if found.title and same_text(block.text, found.title):
            continue  # the <h1> repeats the headline we already have
        hint = block.hint if block.hint in ("heading", "quote", "caption") else None
        blocks.append(Block(block.text, hint))
    if not found.title and blocks and blocks[0].hint == "heading":
        blocks[0].hint = "title"
    metadata = Metadata(
        title=found.title, date=found.date, byline=found.author, site=found.site, url=found.url
    )
    return blocks, metadata
