"""A saved or fetched web page → the article's blocks and metadata, through trafilatura.

Why trafilatura: it is the best-measured open-source main-text extractor (it finds the
article among menus, promos, comment forms and footers, and its htmldate finds the
publication date in JSON-LD, meta tags, ``<time>``, URLs and visible text), it parses with
lxml's HTML parser, which repairs broken markup the way a browser does (an unclosed
``<svg>`` in a share button does not swallow the body), and it never touches the network
when given the page's text. On our measurement (README, "Web pages") our own
tag-skipping parser kept 59 % of the boilerplate; trafilatura keeps about a tenth of it.

trafilatura (with lxml, htmldate, justext, dateparser) is imported on first use only:
it costs ~0.5 s, which the window's start-up and ``list`` of plain-text files never pay.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from reader.core.text.hygiene import strip_invisible

if TYPE_CHECKING:
    from lxml.etree import _Element

log = logging.getLogger(__name__)

_SPACES = re.compile(r"[ \t\r\f\v]+")
_ANY_SPACE = re.compile(r"[ \t\n\r\f\v]+")  # the markup's line breaks are spaces too
# " - Le Monde", " | The New York Times", " – Libération": a site name after a separator.
# Not " : ", which French headlines use inside the title ("Grève : le trafic perturbé").
_TITLE_SEPARATORS = re.compile(r"\s+[-|–—·]\s+|\s*[|·]\s*")


@dataclass(slots=True)
class HtmlBlock:
    """One block of the article text with a hint from its markup: ``"heading"``,
    ``"quote"``, ``"list"`` (an item), ``"caption"`` or None (a paragraph)."""

    text: str
    hint: str | None = None


@dataclass(slots=True)
class HtmlArticle:
    """What trafilatura found on a page: the article's blocks in order, and its metadata."""

    blocks: list[HtmlBlock] = field(default_factory=list)
    title: str = ""
    date: str | None = None
    author: str | None = None
    site: str | None = None
    url: str | None = None


# trafilatura collapses every white space, no-break spaces included; French typography
# puts them inside « guillemets » and before : ; ? !. They travel through as this
# private-use character and are restored in the text we return.
_NBSP_STAND_IN = "\ue000"
# Below this much text, trafilatura falls back to dumping the whole page as one block;
# our own collector does better on such fragments (its MIN_EXTRACTED_SIZE is 250 too).
MIN_TEXT_CHARS = 250


def _restore(text: str) -> str:
    return text.replace(_NBSP_STAND_IN, "\u00a0")


def _prepare(html: str) -> tuple[Any, set[str]]:
    """Parse the page with lxml (repairing broken markup), protect no-break spaces and
    turn ``<figure>``/``<figcaption>`` into plain blocks that trafilatura keeps (it drops
    figures whole). Returns the tree and the captions' texts, to mark them again."""
    from trafilatura.utils import load_html

    # trafilatura's own loader: repairs what lxml cannot take (an XML declaration in a
    # str, a missing <html>) exactly as its extract() would.
    tree = load_html(html)
    if tree is None:
        return None, set()
    for node in tree.iter():
        if not isinstance(node.tag, str):
            continue
        if node.text and "\u00a0" in node.text:
            node.text = node.text.replace("\u00a0", _NBSP_STAND_IN)
        if node.tail and "\u00a0" in node.tail:
            node.tail = node.tail.replace("\u00a0", _NBSP_STAND_IN)
    captions: set[str] = set()
    for caption in list(tree.iter("figcaption")):
        text = _normal(_restore(caption.text_content()))
        if text:
            captions.add(text)
        caption.tag = "p"
    for figure in tree.iter("figure"):
        figure.tag = "div"
    return tree, captions


def _normal(text: str) -> str:
    return " ".join(strip_invisible(text).split())


def _text_of(element: _Element) -> str:
    """The text of an element of trafilatura's XML, ``<lb/>`` as a line break."""
    parts: list[str] = []

    def walk(node: _Element) -> None:
        if node.text:
            parts.append(node.text)
        for child in node:
            if child.tag == "lb":
                parts.append("\n")
            elif child.tag not in ("graphic",):
                walk(child)
            if child.tail:
                parts.append(child.tail)

    walk(element)
    lines = (_SPACES.sub(" ", line).strip() for line in "".join(parts).split("\n"))
    return _restore(strip_invisible("\n".join(line for line in lines if line)))


_BLOCK_TAGS = frozenset({"p", "head", "list", "quote", "table", "code", "div", "graphic"})


def _blocks_of(body: _Element) -> list[HtmlBlock]:
    blocks: list[HtmlBlock] = []

    def add(text: str, hint: str | None) -> None:
        if text:
            blocks.append(HtmlBlock(text, hint))

    def walk(container: _Element, quoted: bool) -> None:
        # Text outside any paragraph: the tails of elements (trafilatura keeps the prose
        # that follows a heading directly in <body> as the heading's tail) and the <lb/>
        # between them. Two line breaks in a row end a paragraph; one is a line break.
        loose: list[str] = []

        def flush() -> None:
            text = "".join(loose)
            loose.clear()
            for part in re.split(r"\n *\n", text):
                lines = (line.strip() for line in part.split("\n"))
                add(
                    _restore(strip_invisible("\n".join(line for line in lines if line))),
                    "quote" if quoted else None,
                )

        for element in container:
            tag = element.tag
            if tag != "lb":
                flush()  # the loose text before this block is a paragraph of its own
            if tag == "lb":
                loose.append("\n")
            elif tag == "head":
                add(_text_of(element), "heading")
            elif tag == "quote" or (tag == "div" and any(c.tag in _BLOCK_TAGS for c in element)):
                # A quote (or a division) holding paragraphs, lists or code keeps them
                # apart, every one of them; a bare one is one block.
                if any(child.tag in _BLOCK_TAGS for child in element):
                    if element.text and element.text.strip():
                        add(_restore(_normal(element.text)), "quote" if quoted else None)
                    walk(element, quoted or tag == "quote")
                else:
                    add(_text_of(element), "quote" if quoted or tag == "quote" else None)
            elif tag == "list":
                # One paragraph per item: each is read and translated on its own.
                for item in element.iter("item"):
                    add(_text_of(item), "quote" if quoted else "list")
            elif tag == "table":
                rows = []
                for row in element.iter("row"):
                    cells = [_text_of(cell) for cell in row if cell.tag == "cell"]
                    rows.append(" | ".join(cell for cell in cells if cell))
                add("\n".join(row for row in rows if row), None)
            elif tag == "graphic":
                pass
            else:  # p, code, and anything trafilatura may add later
                add(_text_of(element), "quote" if quoted else None)
            if element.tail:
                loose.append(_ANY_SPACE.sub(" ", element.tail))
        flush()

    walk(body, False)
    return blocks


def clean_title(title: str, site: str | None) -> str:
    """The headline without the site's name after (or before) a separator:
    "Le gel des loyers - Le Monde" → "Le gel des loyers"."""
    title = _SPACES.sub(" ", strip_invisible(title)).strip()
    if not title:
        return ""
    parts = [part.strip() for part in _TITLE_SEPARATORS.split(title)]
    if len(parts) < 2:
        return title
    names = {site.casefold()} if site else set()
    kept = [part for part in parts if part and part.casefold() not in names]
    if kept and len(kept) < len(parts):
        return _rejoin(title, kept)
    # No site name known: a short last part after " - " or " | " is a site name.
    last = parts[-1]
    if len(last.split()) <= 4 and len(" ".join(parts[:-1]).split()) >= 3:
        return title[: title.rfind(last)].rstrip(" -|–—·:»").strip()
    return title


def _rejoin(title: str, kept: list[str]) -> str:
    """The part of ``title`` from the first kept part to the end of the last one."""
    start = title.find(kept[0])
    end = title.rfind(kept[-1]) + len(kept[-1])
    return title[start:end].strip() if 0 <= start < end else " ".join(kept)


def _date_only(value: str | None) -> str | None:
    if not value:
        return None
    match = re.match(r"\d{4}-\d{2}(?:-\d{2})?", value)
    return match.group(0) if match else None


# One line per missing package that made extraction fall back to our own parser, for the
# command line and the window to show once (a broken install, not a bad page).
notices: list[str] = []


def import_failure(error: ImportError) -> str:
    """One line naming what is missing. lxml ≥ 5.2 puts the package to install on a
    second line ("Install lxml[html_clean] or lxml_html_clean directly."): kept, joined."""
    lines = [line.strip() for line in str(error).splitlines() if line.strip()]
    # lxml re-raises without a name (``from None``); the original error still has it.
    cause: BaseException | None = error
    missing = None
    while cause is not None and missing is None:
        missing = getattr(cause, "name", None)
        cause = cause.__cause__ or cause.__context__
    missing = missing or "a package"
    detail = " ".join(lines) if lines else f"No module named {missing!r}"
    return f"web pages are read without trafilatura ({missing} is missing: {detail})"


def extract_article(html: str, url: str | None = None) -> HtmlArticle | None:
    """The article of an HTML page, or None when trafilatura finds no main text (or
    cannot be imported: see :data:`notices`).

    Never uses the network: trafilatura and htmldate only read the string given.
    """
    try:
        import trafilatura  # lazy: see the module docstring

        tree, captions = _prepare(html)
        if tree is None:
            return None
        document: Any = trafilatura.bare_extraction(
            tree,
            url=url,
            with_metadata=True,
            include_comments=False,
            include_tables=True,
            include_formatting=True,
            include_images=False,
            include_links=False,
            deduplicate=False,
        )
    except ImportError as error:  # a broken install: our own parser reads the page
        message = import_failure(error)
        if message not in notices:
            notices.append(message)
            log.warning("%s", message)
        return None
    except Exception:  # a library bug on a hostile page must not lose the file
        log.exception("trafilatura failed")
        return None
    if document is None or getattr(document, "body", None) is None:
        return None
    blocks = _blocks_of(document.body)
    if sum(len(block.text) for block in blocks) < MIN_TEXT_CHARS:
        return None
    for block in blocks:
        if block.hint is None and _normal(block.text) in captions:
            block.hint = "caption"
    site = _restore(document.sitename or "").strip() or None
    title = clean_title(_restore(document.title or ""), site)
    author = _normal(_restore(document.author or "")) or None
    return HtmlArticle(
        blocks=blocks,
        title=title,
        date=_date_only(document.date),
        author=author,
        site=site,
        url=document.url or url,
    )
