"""EPUB 2 and 3 files for the tests and the bench, built from a few lines of description.

The templates are the ones that pass EPUBCheck 4.2.6 with 0 errors and 0 warnings (the
research notes' make.py and make2.py): ``mimetype`` first and stored, an OPF with
identifier, title, language (and ``dcterms:modified`` in EPUB 3), a navigation document
(EPUB 3) or an NCX whose ``dtb:uid`` is the OPF identifier (EPUB 2).
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass, field
from html import escape
from pathlib import Path

CONTAINER = """<?xml version="1.0" encoding="UTF-8"?>
<container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container">
  <rootfiles>
    <rootfile full-path="OEBPS/content.opf" media-type="application/oebps-package+xml"/>
  </rootfiles>
</container>"""
XHTML11_DOCTYPE = ('<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.1//EN" '
                   '"http://www.w3.org/TR/xhtml11/DTD/xhtml11.dtd">\n')
UID = "urn:uuid:12345678-1234-4234-8234-123456789abc"


@dataclass
class Doc:
    """One XHTML document of the spine: ``body`` is the markup inside ``<body>``."""

    name: str
    body: str
    title: str = ""  # the <title>, and the table of contents label when ``in_toc``
    in_toc: bool = True
    linear: bool = True
    body_type: str = ""  # epub:type on <body> (EPUB 3)
    properties: str = ""  # manifest properties ("svg" for inline SVG…)


@dataclass
class TocEntry:
    label: str
    href: str
    children: list[TocEntry] = field(default_factory=list)


def write_zip(path: Path, files: dict[str, str | bytes]) -> Path:
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr(zipfile.ZipInfo("mimetype"), "application/epub+zip",
                         compress_type=zipfile.ZIP_STORED)
        for name, data in files.items():
            archive.writestr(name, data, compress_type=zipfile.ZIP_DEFLATED)
    return path


def xhtml(doc: Doc, *, version: int, language: str) -> str:
    epub_ns = ' xmlns:epub="http://www.idpf.org/2007/ops"' if version == 3 else ""
    lang = f' xml:lang="{language}"'
    if version == 3:
        lang = f' lang="{language}"{lang}'
    body_type = f' epub:type="{doc.body_type}"' if doc.body_type and version == 3 else ""
    doctype = XHTML11_DOCTYPE if version == 2 else ""
    return (f'<?xml version="1.0" encoding="UTF-8"?>\n{doctype}'
            f'<html xmlns="http://www.w3.org/1999/xhtml"{epub_ns}{lang}>\n'
            f"<head><title>{escape(doc.title or doc.name)}</title></head>\n"
            f"<body{body_type}>{doc.body}</body></html>")


def _nav_items(entries: list[TocEntry]) -> str:
    out = []
    for entry in entries:
        children = f"<ol>{_nav_items(entry.children)}</ol>" if entry.children else ""
        out.append(f'<li><a href="{escape(entry.href)}">{escape(entry.label)}</a>{children}</li>')
    return "".join(out)


def nav_document(entries: list[TocEntry], *, language: str,
                 landmarks: list[tuple[str, str, str]] = ()) -> str:
    marks = ""
    if landmarks:
        items = "".join(f'<li><a epub:type="{kind}" href="{escape(href)}">{escape(label)}</a></li>'
                        for kind, href, label in landmarks)
        marks = f'<nav epub:type="landmarks" hidden=""><h2>Repères</h2><ol>{items}</ol></nav>'
    return ('<?xml version="1.0" encoding="UTF-8"?>\n'
            '<html xmlns="http://www.w3.org/1999/xhtml" xmlns:epub="http://www.idpf.org/2007/ops"'
            f' lang="{language}" xml:lang="{language}">\n<head><title>Table</title></head>\n'
            f'<body><nav epub:type="toc"><h1>Table</h1><ol>{_nav_items(entries)}</ol></nav>'
            f"{marks}</body></html>")


def ncx_document(entries: list[TocEntry], *, title: str) -> str:
    ids = [0]
    # EPUBCheck: entries pointing at the same place share their playOrder.
    orders: dict[str, int] = {}

    def points(items: list[TocEntry]) -> str:
        out = []
        for entry in items:
            ids[0] += 1
            n = ids[0]
            order = orders.setdefault(entry.href, len(orders) + 1)
            out.append(f'<navPoint id="n{n}" playOrder="{order}"><navLabel><text>'
                       f'{escape(entry.label)}'
                       f'</text></navLabel><content src="{escape(entry.href)}"/>'
                       f"{points(entry.children)}</navPoint>")
        return "".join(out)

    return ('<?xml version="1.0" encoding="UTF-8"?>\n'
            '<ncx xmlns="http://www.daisy.org/z3986/2005/ncx/" version="2005-1">\n'
            f'<head><meta name="dtb:uid" content="{UID}"/><meta name="dtb:depth" content="2"/>'
            '<meta name="dtb:totalPageCount" content="0"/>'
            '<meta name="dtb:maxPageNumber" content="0"/>'
            f"</head><docTitle><text>{escape(title)}</text></docTitle>"
            f"<navMap>{points(entries)}</navMap></ncx>")


def build_epub(
    path: Path,
    docs: list[Doc],
    *,
    version: int = 3,
    title: str = "Livre d'essai",
    language: str = "fr",
    creators: list[tuple[str, str]] | None = None,
    date: str | None = None,
    publisher: str | None = None,
    toc: list[TocEntry] | None = None,
    nav: bool = True,
    ncx: bool | None = None,
    landmarks: list[tuple[str, str, str]] = (),
    guide: list[tuple[str, str, str]] = (),
    extra: dict[str, str | bytes] | None = None,
    extra_metadata: str = "",
) -> Path:
    """Write an EPUB at ``path``; the table of contents defaults to one entry per document
    with ``in_toc`` and a title. ``nav`` (EPUB 3) and ``ncx`` (default: EPUB 2 only) say
    which tables to include."""
    creators = [("Anonyme", "aut")] if creators is None else creators
    if toc is None:
        toc = [TocEntry(d.title, d.name) for d in docs if d.in_toc and d.title]
    ncx = version == 2 if ncx is None else ncx
    files: dict[str, str | bytes] = {"META-INF/container.xml": CONTAINER}
    manifest = []
    opf_ns = ' xmlns:opf="http://www.idpf.org/2007/opf"'
    meta = [f'<dc:identifier id="uid">{UID}</dc:identifier>',
            f"<dc:title>{escape(title)}</dc:title>", f"<dc:language>{language}</dc:language>"]
    for number, (name, role) in enumerate(creators):
        if version == 2:
            meta.append(f'<dc:creator opf:role="{role}">{escape(name)}</dc:creator>')
        else:
            meta.append(f'<dc:creator id="c{number}">{escape(name)}</dc:creator>'
                        f'<meta refines="#c{number}" property="role" scheme="marc:relators">'
                        f"{role}</meta>")
    if date:
        meta.append(f"<dc:date>{date}</dc:date>")
    if publisher:
        meta.append(f"<dc:publisher>{escape(publisher)}</dc:publisher>")
    if version == 3:
        meta.append('<meta property="dcterms:modified">2026-01-01T00:00:00Z</meta>')
    meta.append(extra_metadata)
    if version == 3 and nav:
        files["OEBPS/nav.xhtml"] = nav_document(toc, language=language, landmarks=landmarks)
        manifest.append('<item id="nav" href="nav.xhtml" media-type="application/xhtml+xml" '
                        'properties="nav"/>')
    if ncx:
        files["OEBPS/toc.ncx"] = ncx_document(toc, title=title)
        manifest.append('<item id="ncx" href="toc.ncx" media-type="application/x-dtbncx+xml"/>')
    spine = []
    for number, doc in enumerate(docs):
        files[f"OEBPS/{doc.name}"] = xhtml(doc, version=version, language=language)
        properties = f' properties="{doc.properties}"' if doc.properties else ""
        manifest.append(f'<item id="d{number}" href="{escape(doc.name)}" '
                        f'media-type="application/xhtml+xml"{properties}/>')
        linear = "" if doc.linear else ' linear="no"'
        spine.append(f'<itemref idref="d{number}"{linear}/>')
    for name in (extra or {}):
        if name.startswith("OEBPS/") and name.endswith((".png", ".jpg")):
            kind = "image/png" if name.endswith(".png") else "image/jpeg"
            manifest.append(f'<item id="i{len(manifest)}" href="{escape(name[6:])}" '
                            f'media-type="{kind}"/>')
    guide_xml = ""
    if guide:
        guide_xml = "<guide>" + "".join(
            f'<reference type="{kind}" title="{escape(label)}" href="{escape(href)}"/>'
            for kind, href, label in guide) + "</guide>"
    toc_attribute = ' toc="ncx"' if ncx else ""
    files["OEBPS/content.opf"] = (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<package xmlns="http://www.idpf.org/2007/opf" version="{version}.0" '
        f'unique-identifier="uid">\n<metadata xmlns:dc="http://purl.org/dc/elements/1.1/"{opf_ns}>'
        f'{"".join(meta)}</metadata>\n<manifest>{"".join(manifest)}</manifest>\n'
        f'<spine{toc_attribute}>{"".join(spine)}</spine>{guide_xml}\n</package>'
    )
    files.update(extra or {})
    return write_zip(path, files)


def tiny_png() -> bytes:
    """A valid 1×1 PNG (for image placeholders)."""
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header)
            + chunk(b"IDAT", zlib.compress(b"\x00\x00")) + chunk(b"IEND", b""))
