"""One XHTML document of a book → its blocks of text, in order, with hints.

A block is what a reader sees as a paragraph: ``<p>``, a heading, a list item, a table
cell… Inline markup is flattened; ``<br/>`` keeps its line break (verse); the file's own
line wrapping is white space. What a reader expects of the rest:

- footnotes and endnotes (``epub:type="footnote"``/``"endnote"``, ``role="doc-footnote"``,
  or any element a note reference points at) are blocks of their own, hinted "note", never
  glued into the text they annotate; the reference in the text is its marker in brackets
  ("maison[1]"), and a note starts with its marker ("[1] …");
- images are placeholders: "[image: its alt text]" (or "[image]"), blocks of their own;
- page-break markers (page numbers of the print edition), scripts, styles and ruby
  annotations are dropped; small capitals typed as Unicode letters become letters
  (:mod:`reader.core.text.small_caps`).

``anchors`` maps every ``id`` met to the index of the block it falls in (or the next one),
so a table of contents entry ``chapter.xhtml#part2`` finds its paragraph.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from lxml import etree

from reader.core.books.package import resolve
from reader.core.books.safe_xml import EPUB_TYPE, XHTML, Element, entity_text, local
from reader.core.text.hygiene import strip_invisible
from reader.core.text.small_caps import normalize_small_caps

_BLOCKS = frozenset({
    "p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "dt", "dd", "blockquote", "pre",
    "figure", "figcaption", "section", "article", "aside", "header", "footer", "main", "nav",
    "table", "tr", "td", "th", "caption", "hr", "address", "center", "ul", "ol", "dl",
    "body", "details", "summary", "hgroup", "fieldset", "legend", "form", "tbody", "thead",
    "tfoot",
})
_HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
_SPECIAL = _HEADINGS | {"blockquote", "pre", "figcaption", "caption"}
_SKIPPED = frozenset({"head", "script", "style", "rt", "rp", "template", "noscript", "math"})
NOTE_TYPES = frozenset({"footnote", "endnote", "rearnote", "note", "footnotes", "endnotes",
                        "rearnotes"})
_NOTE_ROLES = frozenset({"doc-footnote", "doc-endnote", "doc-endnotes", "doc-footnotes"})
_PAGE_BREAKS = frozenset({"pagebreak", "doc-pagebreak"})
# The print edition's page numbers as EPUB 2 books mark them (Project Gutenberg: "pagenum").
_PAGE_CLASSES = frozenset({"pagenum", "page-number", "pagenumber", "pagebreak", "page-break",
                           "pageno"})
_SVG = "http://www.w3.org/2000/svg"
_SPACES = re.compile(r"[ \t\r\n\f]+")
# A note marker as printed: "1", "[12]", "(a)", "*", "†", "iv".
_MARKER = re.compile(r"^[\[(]?([0-9]{1,4}|[a-zA-Z]{1,4}|[*†‡§¶]{1,3})[\])]?\.?$")
_BACK_LINK = re.compile(r"^(?:[↩↑^⤴⬆︎\ufe0e\ufe0f\s]+|retour|back|return)$", re.IGNORECASE)
# "[1] . Texte" (the link was "1", the full stop came after it): "[1] Texte".
_MARKER_PUNCTUATION = re.compile(r"^\[([^\]]{1,4})\]\s*[.)]?\s*")
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none", re.IGNORECASE)


@dataclass(slots=True)
class Block:
    text: str
    # "heading", "quote", "note", "image", "caption", or None (running text).
    hint: str | None = None


@dataclass(slots=True)
class Document:
    path: str
    blocks: list[Block] = field(default_factory=list)
    anchors: dict[str, int] = field(default_factory=dict)
    # <head><title> and the epub:type of <body> and its top sections ("chapter", "cover"…).
    title: str = ""
    types: frozenset[str] = frozenset()

    @property
    def heading(self) -> str:
        return next((b.text for b in self.blocks if b.hint == "heading"), "")

    @property
    def only_images(self) -> bool:
        return all(b.hint == "image" for b in self.blocks)


_NO_TYPES: frozenset[str] = frozenset()


def _types(element: Element) -> frozenset[str]:
    """``epub:type`` and ``role``, as one set of words."""
    kinds, role = element.get(EPUB_TYPE), element.get("role")
    if not kinds and not role:
        return _NO_TYPES
    return frozenset(f"{kinds or ''} {role or ''}".split())


def _marker(text: str) -> str | None:
    match = _MARKER.match(" ".join(text.split()))
    return match.group(1) if match else None


def find_note_references(path: str, root: Element) -> dict[tuple[str, str], str]:
    """(document, id) → marker, for every note reference in the document at ``path``:
    links marked ``epub:type="noteref"`` (or ``role="doc-noteref"``), and the EPUB 2 kind,
    a superscript link to an anchor whose text is a marker ("1", "*")."""
    found: dict[tuple[str, str], str] = {}
    for link in root.iter(f"{{{XHTML}}}a", "a"):
        href = link.get("href")
        if not href or "#" not in href:
            continue
        text = "".join(link.itertext())
        marker = _marker(text)
        if marker is None:
            continue
        types = _types(link)
        marked = "noteref" in types or "doc-noteref" in types
        if not marked:
            parent = link.getparent()
            in_sup = (parent is not None and local(parent.tag) == "sup") or \
                link.find(f"{{{XHTML}}}sup") is not None or link.find("sup") is not None
            names = (link.get("class", "") + " " + link.get("id", "")).lower()
            if not (in_sup or any(k in names for k in ("note", "fn", "ref"))):
                continue
        target = resolve(path, href)
        if target is not None and target[1]:
            found.setdefault(target, marker)
    return found


class _Walker:
    def __init__(self, document: Document, notes: dict[tuple[str, str], str]) -> None:
        self.document = document
        self.notes = notes
        self.parts: list[str] = []
        self.note_depth = 0
        self.quote_depth = 0
        self.pre_depth = 0
        self.caption_depth = 0
        self.heading_depth = 0
        self.block_note = False  # the open block is a note (its first anchor is a target)
        self.note_marker: str | None = None

    # -- blocks

    def flush(self) -> None:
        if not self.parts:
            self.block_note = False
            return
        raw = "".join(self.parts)
        self.parts = []
        lines = [line.strip() for line in raw.split("\n")]
        text = "\n".join(line for line in lines if line)
        text = normalize_small_caps(strip_invisible(text, controls=True))
        note = self.block_note or self.note_depth > 0
        self.block_note = False
        if not text:
            return
        if note:
            marker, self.note_marker = self.note_marker, None
            text = _MARKER_PUNCTUATION.sub(r"[\1] ", text)
            if marker and not text.startswith(f"[{marker}]"):
                # "1. Une note." written out, the number not a link: "[1] Une note."
                printed = re.match(rf"^[\[(]?{re.escape(marker)}[\])]?[.)]?\s+", text)
                text = f"[{marker}] {text[printed.end():] if printed else text}"
            hint: str | None = "note"
        elif self.heading_depth:
            hint = "heading"
        elif self.caption_depth:
            hint = "caption"
        elif self.quote_depth:
            hint = "quote"
        else:
            hint = None
        self.document.blocks.append(Block(text, hint))

    def add_text(self, text: str | None) -> None:
        if text:
            self.parts.append(text if self.pre_depth else _SPACES.sub(" ", text))

    def image(self, alt: str) -> None:
        self.flush()
        alt = " ".join(alt.split())
        self.document.blocks.append(Block(f"[image: {alt}]" if alt else "[image]", "image"))

    # -- the walk

    def walk(self, element: Element) -> None:
        tag = element.tag
        if tag is etree.Entity:
            self.add_text(entity_text(element))
            return
        if not isinstance(tag, str):
            return  # comments and processing instructions (their tails are walked by the parent)
        name = local(tag)
        if name in _SKIPPED or element.get("hidden") is not None:
            return
        style = element.get("style")
        if style and _HIDDEN_STYLE.search(style):
            return
        types = _types(element)
        if types & _PAGE_BREAKS:
            return
        classes = element.get("class")
        if classes and not _PAGE_CLASSES.isdisjoint(classes.lower().split()):
            return
        block = name in _BLOCKS
        if block:
            self.flush()
        ident = element.get("id")
        target = (self.document.path, ident) if ident else None
        if ident:
            self.document.anchors.setdefault(ident, len(self.document.blocks))
        if target in self.notes:
            self.note_marker = self.notes[target]
            if not block:  # <a id="n1"> opening a note paragraph: the whole block is the note
                self.block_note = True
        if name in ("img", "image"):
            self.image(element.get("alt") or element.get("title") or "")
            return
        if name == "svg":
            title = element.find(f"{{{_SVG}}}title")
            if title is not None or element.find(f".//{{{_SVG}}}image") is not None:
                self.image("".join(title.itertext()) if title is not None else "")
            return
        if name == "br":
            self.parts.append("\n")
            return
        if name == "a" and self._link(element):
            return
        is_note = bool(types & NOTE_TYPES or types & _NOTE_ROLES)
        is_note = is_note or (block and target in self.notes)
        # Most elements (p, span, em) open none of these: checked by name, no loop.
        special = is_note or name in _SPECIAL
        if special:
            self._enter(name, is_note, 1)
        self.add_text(element.text)
        for child in element:
            self.walk(child)
            if child.tail:
                self.add_text(child.tail)
        if block:
            self.flush()
        if special:
            self._enter(name, is_note, -1)

    def _enter(self, name: str, is_note: bool, step: int) -> None:
        if is_note:
            self.note_depth += step
        if name == "blockquote":
            self.quote_depth += step
        elif name == "pre":
            self.pre_depth += step
        elif name in ("figcaption", "caption"):
            self.caption_depth += step
        elif name in _HEADINGS:
            self.heading_depth += step

    def _link(self, link: Element) -> bool:
        """Write a note reference or a note's link back as its marker; True when done."""
        href = link.get("href")
        if not href:
            return False
        text = "".join(link.itertext())
        in_note = self.note_depth > 0 or self.block_note
        target = resolve(self.document.path, href)
        if in_note and (_BACK_LINK.match(text.strip() or "↩") or _marker(text)):
            marker = _marker(text)
            if marker is not None and not "".join(self.parts).strip():
                self.parts.append(f"[{marker}] ")
                self.note_marker = None
            return True  # a link back to the text: its marker at most
        if target is not None and target in self.notes:
            self.parts.append(f"[{self.notes[target]}]")
            return True
        return False


def read_document(path: str, root: Element, notes: dict[tuple[str, str], str]) -> Document:
    """The blocks of the XHTML document ``root`` (at ``path`` in the container); ``notes``
    are the note references found in the whole book (:func:`find_note_references`)."""
    document = Document(path)
    head_title = root.find(f"{{{XHTML}}}head/{{{XHTML}}}title")
    if head_title is None:  # read by the HTML parser: no namespace
        head_title = root.find("head/title")
    if head_title is not None:
        document.title = normalize_small_caps(" ".join("".join(head_title.itertext()).split()))
    body = root.find(f"{{{XHTML}}}body")
    if body is None:
        body = root.find("body")
    if body is None:
        body = root
    document.types = _types(body)
    for child in body:
        if local(child.tag) in ("section", "div", "article"):
            document.types |= _types(child)
    walker = _Walker(document, notes)
    walker.walk(body)
    walker.flush()
    return document
