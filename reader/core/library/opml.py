"""OPML subscription lists in and out (what every feed reader imports and exports).

Read with expat directly, hardened: a document type declaration (and so any entity
declaration: billion laughs, external entities) is refused outright, undefined entities are
an error, nothing is ever fetched, and the file and its outline count are bounded. Only the
``<outline xmlUrl=…>`` elements matter, at any depth (folders are flattened).
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass
from pathlib import Path
from xml.parsers import expat
from xml.sax.saxutils import escape, quoteattr

from reader.core.library.feed_fetch import shown

MAX_OPML_BYTES = 4 * 1024 * 1024
MAX_OUTLINES = 5000


_CONTROLS = dict.fromkeys([*range(32), 127])


class OpmlError(Exception):
    """The file is not an OPML list we read; ``str()`` is one line."""


@dataclass(frozen=True, slots=True)
class Subscription:
    url: str
    title: str


class _Refused(Exception):
    pass


def parse_opml(data: bytes, name: str = "the file") -> list[Subscription]:
    """The feeds an OPML document lists, in order, each once."""
    if len(data) > MAX_OPML_BYTES:
        raise OpmlError(f"{name}: too large for an OPML list (over "
                        f"{MAX_OPML_BYTES // (1024 * 1024)} MB)")
    parser = expat.ParserCreate()
    # No DTD, so no entity of any kind can be declared, internal or external.
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    found: list[Subscription] = []
    seen: set[str] = set()
    root: list[str] = []
    outlines = 0

    def refuse_doctype(*_args: object) -> None:
        raise _Refused("it declares a document type (DTD or entities), which is refused")

    def refuse_entity(*_args: object) -> None:
        raise _Refused("it declares entities, which are refused")

    def start(tag: str, attributes: dict[str, str]) -> None:
        nonlocal outlines
        if not root:
            root.append(tag)
        if tag != "outline":
            return
        outlines += 1
        if outlines > MAX_OUTLINES:
            raise _Refused(f"more than {MAX_OUTLINES} outlines")
        url = (attributes.get("xmlUrl") or attributes.get("xmlurl") or "").strip()
        if url and url not in seen:
            seen.add(url)
            title = attributes.get("title") or attributes.get("text") or ""
            found.append(Subscription(url, " ".join(title.split())))

    parser.StartDoctypeDeclHandler = refuse_doctype
    parser.EntityDeclHandler = refuse_entity
    parser.ExternalEntityRefHandler = refuse_entity  # type: ignore[assignment]
    parser.StartElementHandler = start
    try:
        parser.Parse(data, True)
    except _Refused as refused:
        raise OpmlError(f"{name}: not read: {refused}") from None
    except expat.ExpatError as error:
        raise OpmlError(f"{name}: not a valid OPML file "
                        f"({expat.ErrorString(error.code)}, line {error.lineno})") from None
    if root[:1] != ["opml"]:
        found_root = shown(root[0] if root else "", 40)
        raise OpmlError(f"{name}: not an OPML file (its root is <{found_root}>, not <opml>)")
    return found


def read_opml(path: Path) -> list[Subscription]:
    try:
        with open(path, "rb") as handle:
            data = handle.read(MAX_OPML_BYTES + 1)
    except OSError as error:
        raise OpmlError(f"{path}: {error.strerror or error}") from None
    return parse_opml(data, str(path))


def opml_document(subscriptions: list[Subscription], title: str = "bilingual-reader feeds"
                  ) -> str:
    """An OPML 2.0 document listing ``subscriptions``."""
    created = _dt.datetime.now(_dt.UTC).strftime("%a, %d %b %Y %H:%M:%S GMT")
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<opml version="2.0">',
        "  <head>",
        f"    <title>{escape(title)}</title>",
        f"    <dateCreated>{created}</dateCreated>",
        "  </head>",
        "  <body>",
    ]
    for item in subscriptions:
        # XML 1.0 has no place for control characters, even escaped.
        name = quoteattr(" ".join((item.title or item.url).split()).translate(_CONTROLS))
        lines.append(f'    <outline type="rss" text={name} title={name} '
                     f"xmlUrl={quoteattr(item.url)}/>")
    lines += ["  </body>", "</opml>", ""]
    return "\n".join(lines)
