"""A web page's visible text as blocks, by its tags alone: the parser's fallback when
trafilatura finds no main text (a bare fragment). Imported only then: ``html.parser`` (and
its entity tables) is not needed to list text and Markdown files."""

from __future__ import annotations

import re
from html.parser import HTMLParser

from reader.core.articles.blocks import Block, same_text
from reader.core.text.hygiene import strip_invisible

_HTML_SKIP = frozenset(
    # Not <form>: ASP.NET pages wrap their whole body in one.
    {
        "script",
        "style",
        "nav",
        "header",
        "footer",
        "aside",
        "noscript",
        "template",
        "svg",
        "iframe",
        "button",
        "select",
        "object",
    }
)
_HTML_SEMANTIC = frozenset(
    {"p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "blockquote", "figcaption"}
)
# Any of these ends the text collected so far: a block boundary in the rendered page.
_HTML_BLOCK = _HTML_SEMANTIC | frozenset(
    {
        "div",
        "section",
        "article",
        "main",
        "body",
        "ul",
        "ol",
        "dl",
        "dt",
        "dd",
        "table",
        "tr",
        "td",
        "th",
        "pre",
        "figure",
        "hr",
        "address",
        "details",
        "summary",
        "center",
    }
)
_HTML_SPACE = re.compile(r"[ \t\n\r\f]+")  # HTML's white space: ASCII only, NBSP is text
_LINE_BREAK = "\x00"  # marks <br>; control characters were removed from the input


class _HTMLBlocks(HTMLParser):
    """Collects the visible text of a page as blocks, skipping scripts and site chrome."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[Block] = []
        self.title = ""
        self._title_parts: list[str] | None = None
        self._skip = 0
        self._skipping: list[str] = []  # open skipped elements, innermost last
        self._buffer: list[str] = []
        self._open: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _HTML_SKIP:
            self._skipping.append(tag)
            self._skip = len(self._skipping)
            return
        if self._skip:
            return
        if tag == "title":
            if not self.title:
                self._title_parts = []
            return
        if tag == "br":
            self._buffer.append(_LINE_BREAK)
            return
        if tag in _HTML_BLOCK:
            self._flush()
        if tag in _HTML_SEMANTIC:
            # <p> and <li> are often left unclosed: a new one closes the previous one.
            if tag in ("p", "li") and self._open and self._open[-1] == tag:
                self._open.pop()
            self._open.append(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        # <br/>, <nav/>: nothing to enter, so never count a skip level for them.
        if not self._skip and tag in ("br", "hr"):
            self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        if tag in _HTML_SKIP:
            # "<button><svg>…</button>": the button's end closes the unclosed <svg> too,
            # as in a browser; otherwise the rest of the page would be skipped.
            if tag in self._skipping:
                index = len(self._skipping) - 1 - self._skipping[::-1].index(tag)
                del self._skipping[index:]
            self._skip = len(self._skipping)
            return
        if self._skip:
            return
        if tag == "title":
            if self._title_parts is not None:
                title = strip_invisible("".join(self._title_parts))
                self.title = _HTML_SPACE.sub(" ", title).strip(" ")
                self._title_parts = None
            return
        if tag in _HTML_BLOCK:
            self._flush()
        if tag in _HTML_SEMANTIC and tag in self._open:
            # Close the innermost open element of that name (tolerates mis-nesting).
            index = len(self._open) - 1 - self._open[::-1].index(tag)
            del self._open[index:]

    def handle_data(self, data: str) -> None:
        if self._skip:
            return
        if self._title_parts is not None:
            self._title_parts.append(data)
            return
        self._buffer.append(data)

    def close(self) -> None:
        super().close()
        self._flush()

    def _hint(self) -> str | None:
        for tag in reversed(self._open):
            if tag == "blockquote":
                return "quote"
            if tag == "figcaption":
                return "caption"
            if tag == "h1":
                return "h1"
            if tag in ("h2", "h3", "h4", "h5", "h6"):
                return "heading"
        return None

    def _flush(self) -> None:
        if not self._buffer:
            return
        # Entities decode only now (&shy; &#8203;): clean again after them.
        raw = strip_invisible("".join(self._buffer))
        self._buffer.clear()
        # HTML collapses white space (but not no-break spaces); only <br> breaks a line.
        lines = (_HTML_SPACE.sub(" ", part).strip() for part in raw.split(_LINE_BREAK))
        text = "\n".join(line for line in lines if line)
        if text:
            self.blocks.append(Block(text, self._hint()))


def tag_blocks(text: str) -> list[Block]:
    collector = _HTMLBlocks()
    collector.feed(text)
    collector.close()
    blocks = collector.blocks
    for block in blocks:
        if block.hint == "h1":
            block.hint = "title"
            break
    else:
        if collector.title:
            # No <h1>: the <title> is the headline, unless the page already shows it.
            for block in blocks[:3]:
                if same_text(block.text, collector.title):
                    block.hint = "title"
                    break
            else:
                blocks.insert(0, Block(collector.title, "title"))
    for block in blocks:
        if block.hint == "h1":
            block.hint = "heading"
    return blocks
