"""XML from a book's package, parsed without trusting it.

Every document of an EPUB (container, OPF, NCX, nav, chapters) is untrusted input. lxml
parses it with entities never resolved, no DTD loaded and no network: an external entity
(``file:///etc/passwd``) or a "billion laughs" bomb cannot expand. A document that declares
entities in an internal DTD subset is refused outright (no honest book needs one). HTML's
named entities (``&nbsp;``, ``&eacute;``: common in EPUB 2 XHTML, declared by its DTD,
which we never load) come back as entity nodes; :func:`entity_text` turns them into their
characters.
"""

from __future__ import annotations

from html.entities import html5
from typing import Any

from lxml import etree

XHTML = "http://www.w3.org/1999/xhtml"
OPS = "http://www.idpf.org/2007/ops"
OPF = "http://www.idpf.org/2007/opf"
DC = "http://purl.org/dc/elements/1.1/"
NCX = "http://www.daisy.org/z3986/2005/ncx/"
CONTAINER = "urn:oasis:names:tc:opendocument:xmlns:container"
EPUB_TYPE = f"{{{OPS}}}type"

Element = Any  # lxml's _Element (no public type to name)


class XmlRefused(Exception):
    """A document that is not well-formed XML, or declares entities."""


class XmlMalformed(XmlRefused):
    """A document that is not well-formed XML."""


_PARSER_OPTIONS = {
    "resolve_entities": False,
    "no_network": True,
    "load_dtd": False,
    "dtd_validation": False,
    "huge_tree": False,  # libxml2's own limits on depth and text node size stay on
    "remove_comments": True,
    "remove_pis": True,
    "recover": False,
}


def parse(data: bytes, name: str) -> Element:
    """The root element of ``data``; :class:`XmlRefused` naming ``name`` otherwise."""
    # One parser per call: lxml parsers are not to be shared between threads.
    parser = etree.XMLParser(**_PARSER_OPTIONS)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        raise XmlMalformed(f"{name} is not well-formed XML ({_first_line(exc)})") from None
    except ValueError as exc:  # e.g. an encoding lxml does not know
        raise XmlRefused(f"{name} cannot be read as XML ({_first_line(exc)})") from None
    internal = root.getroottree().docinfo.internalDTD
    if internal is not None and any(True for _ in internal.iterentities()):
        raise XmlRefused(f"{name} declares XML entities (refused: a possible entity bomb)")
    return root


def parse_lenient(data: bytes, name: str) -> Element:
    """As :func:`parse`; a chapter that is not well-formed (an unclosed <br>, a stray &)
    is read with libxml2's HTML parser instead, as reading systems forgive it too. That
    parser knows no entity declarations and fetches nothing. Its elements carry no
    namespace; :func:`local` names them alike."""
    try:
        return parse(data, name)
    except XmlMalformed:
        parser = etree.HTMLParser(no_network=True, remove_comments=True, remove_pis=True)
        try:
            root = etree.fromstring(data, parser)
        except (etree.ParserError, etree.XMLSyntaxError, ValueError):
            root = None
        if root is None:
            raise
        return root


def entity_text(node: Element) -> str:
    """The characters of an entity node lxml kept unexpanded: HTML's named entities
    (``&nbsp;`` → U+00A0); "" for any other name."""
    return html5.get(f"{node.name};", "")


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[0][:160] if text else type(exc).__name__


def local(tag: object) -> str:
    """An element's name without its namespace ("" for comments and entities)."""
    if not isinstance(tag, str):
        return ""
    return tag.rpartition("}")[2]
