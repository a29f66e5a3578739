"""An EPUB's package: the zip container, ``META-INF/container.xml`` and the OPF.

What is read from the OPF: the metadata (title, authors, language, date, publisher), the
manifest (id → path, media type, properties), the spine (reading order, ``linear``), the
navigation document (EPUB 3, ``properties="nav"``) or NCX (EPUB 2, ``<spine toc=…>``) and
the EPUB 2 ``<guide>``. Paths are resolved against the OPF's folder and normalised; one
that leaves the container ("../../etc/passwd", "/abs") is never read.

Bounds (a zip is easily a bomb): at most ``MAX_MEMBERS`` entries, ``MAX_MEMBER_BYTES``
decompressed per document and ``MAX_TOTAL_BYTES`` for the whole book, each read checked
against the bytes actually inflated, not the sizes the archive claims. A book protected
by DRM (``META-INF/encryption.xml`` encrypting anything but fonts, ``rights.xml``, Apple's
``sinf.xml``, Readium LCP's ``license.lcpl``) is refused with one line.
"""

from __future__ import annotations

import posixpath
import re
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote

from reader.core.books.safe_xml import CONTAINER, DC, OPF, Element, XmlRefused, local, parse
from reader.core.util.bounded import BodyTooLarge, capped_chunks

MAX_MEMBERS = 10_000
MAX_MEMBER_BYTES = 32 * 1024 * 1024
MAX_TOTAL_BYTES = 256 * 1024 * 1024
# Font obfuscation (IDPF, Adobe) "encrypts" fonts only and is no DRM.
_FONT_OBFUSCATION = frozenset({
    "http://www.idpf.org/2008/embedding",
    "http://ns.adobe.com/pdf/enc#RC",
})
_DRM_MARKERS = {
    "META-INF/rights.xml": "Adobe DRM",
    "META-INF/sinf.xml": "Apple FairPlay DRM",
    "META-INF/license.lcpl": "Readium LCP DRM",
}
XHTML_TYPES = frozenset({"application/xhtml+xml", "text/html", "application/x-dtbook+xml"})
_ENC = "http://www.w3.org/2001/04/xmlenc#"
_OPF_TYPE = "application/oebps-package+xml"
_NCX_TYPE = "application/x-dtbncx+xml"


def _size(count: int) -> str:
    return f"{count >> 20} MB" if count >= 1 << 20 else f"{count >> 10} KB"


class BookError(Exception):
    """Why a file cannot be read as a book, as the one line the user sees."""


class MissingMember(BookError):
    """A file the package names is not in the archive."""


@dataclass(frozen=True, slots=True)
class Item:
    """A manifest entry."""

    id: str
    path: str  # inside the container, normalised
    media_type: str
    properties: frozenset[str] = frozenset()


@dataclass(frozen=True, slots=True)
class SpineItem:
    item: Item
    linear: bool = True


@dataclass(slots=True)
class Metadata:
    title: str = ""
    authors: list[str] = field(default_factory=list)
    languages: list[str] = field(default_factory=list)
    date: str | None = None
    publisher: str | None = None


@dataclass(slots=True)
class Package:
    """What the OPF says, plus the open container to read documents from."""

    archive: Container
    opf_path: str
    version: str
    metadata: Metadata
    manifest: dict[str, Item]
    spine: list[SpineItem]
    nav: Item | None = None
    ncx: Item | None = None
    # EPUB 2 <guide>: path → reference types ("cover", "toc", "copyright-page", "text"…).
    guide: dict[str, set[str]] = field(default_factory=dict)


def resolve(base: str, href: str) -> tuple[str, str] | None:
    """``(path, fragment)`` of ``href`` relative to the document ``base``; None when it
    leaves the container or is not a relative reference (``http:``, ``mailto:``…)."""
    href = href.strip()
    if not href or re.match(r"^[A-Za-z][A-Za-z0-9+.-]*:", href) or href.startswith("//"):
        return None
    target, _, fragment = href.partition("#")
    target = unquote(target.partition("?")[0])
    if not target:
        return base, unquote(fragment)
    if target.startswith("/"):
        return None
    joined = posixpath.normpath(posixpath.join(posixpath.dirname(base), target))
    if joined == ".." or joined.startswith("../") or joined.startswith("/"):
        return None
    return joined, unquote(fragment)


class Container:
    """The zip archive, read within bounds."""

    def __init__(self, path: Path) -> None:
        try:
            self._zip = zipfile.ZipFile(path)
        except zipfile.BadZipFile:
            raise BookError("not a valid EPUB (a broken or truncated zip archive)") from None
        except zipfile.LargeZipFile:
            raise BookError("not a valid EPUB (a zip64 archive beyond the supported size)") \
                from None
        except OSError as exc:
            reason = exc.strerror or type(exc).__name__
            raise BookError(f"cannot read the file ({reason})") from None
        except (ValueError, EOFError, NotImplementedError) as exc:  # a mangled directory
            raise BookError(f"not a valid EPUB (a damaged zip archive: {type(exc).__name__})") \
                from None
        infos = self._zip.infolist()
        if len(infos) > MAX_MEMBERS:
            self.close()
            raise BookError(f"refused: the archive holds more than {MAX_MEMBERS:,} files")
        # Names as written; Windows-made archives sometimes use backslashes.
        self._members = {info.filename.replace("\\", "/"): info for info in infos}
        self._read_total = 0

    def close(self) -> None:
        self._zip.close()

    def __contains__(self, name: str) -> bool:
        return name in self._members

    def read(self, name: str, limit: int | None = None) -> bytes:
        limit = MAX_MEMBER_BYTES if limit is None else limit
        info = self._members.get(name)
        if info is None:
            raise MissingMember(f"missing from the archive: {name}")
        if info.flag_bits & 0x1:
            raise BookError(f"encrypted zip entry: {name} (password-protected)")
        if info.file_size > limit:
            raise BookError(f"refused: {name} is larger than {_size(limit)}")
        try:
            with self._zip.open(info) as stream:
                # Never more than the limit, whatever the header claims.
                data = b"".join(capped_chunks(stream.read, limit))
        except BodyTooLarge:
            raise BookError(f"refused: {name} inflates past {_size(limit)} (a zip bomb?)") \
                from None
        except zlib.error:
            raise BookError(f"damaged archive entry {name} (corrupt compressed data)") from None
        except (zipfile.BadZipFile, EOFError, OSError, NotImplementedError, ValueError) as exc:
            raise BookError(f"damaged archive entry {name} ({type(exc).__name__})") from None
        self._read_total += len(data)
        if self._read_total > MAX_TOTAL_BYTES:
            raise BookError(f"refused: the book inflates past {_size(MAX_TOTAL_BYTES)}")
        return data

    def xml(self, name: str) -> Element:
        try:
            return parse(self.read(name), name)
        except XmlRefused as exc:
            raise BookError(str(exc)) from None


def _check_drm(archive: Container) -> None:
    for name, what in _DRM_MARKERS.items():
        if name in archive:
            raise BookError(f"protected by DRM ({what}, {name}): it cannot be read here")
    if "META-INF/encryption.xml" not in archive:
        return
    root = archive.xml("META-INF/encryption.xml")
    for data in root.iter(f"{{{_ENC}}}EncryptedData"):
        method = data.find(f"{{{_ENC}}}EncryptionMethod")
        algorithm = method.get("Algorithm", "") if method is not None else ""
        if algorithm not in _FONT_OBFUSCATION:
            raise BookError(
                "protected by DRM (META-INF/encryption.xml encrypts its text): "
                "it cannot be read here"
            )


def _text(element: Element | None) -> str:
    return " ".join("".join(element.itertext()).split()) if element is not None else ""


def _metadata(metadata: Element | None) -> Metadata:
    found = Metadata()
    if metadata is None:
        return found
    # EPUB 3 says more through <meta refines="#id" property="…">.
    refines: dict[str, dict[str, str]] = {}
    for meta in metadata.iter(f"{{{OPF}}}meta", "meta"):
        target, prop = meta.get("refines", ""), meta.get("property", "")
        if target.startswith("#") and prop:
            refines.setdefault(target[1:], {})[prop] = _text(meta)
    titles = [(element, _text(element)) for element in metadata.iter(f"{{{DC}}}title")]
    main = [text for element, text in titles
            if refines.get(element.get("id", ""), {}).get("title-type") == "main" and text]
    found.title = (main or [text for _, text in titles if text] or [""])[0]
    creators: list[tuple[str, str]] = []
    for element in metadata.iter(f"{{{DC}}}creator"):
        refined = refines.get(element.get("id", ""), {})
        role = element.get(f"{{{OPF}}}role") or refined.get("role", "")
        if name := _text(element):
            creators.append((name, role))
    authors = [name for name, role in creators if role in ("", "aut")]
    found.authors = authors or [name for name, _ in creators]
    found.languages = [text for e in metadata.iter(f"{{{DC}}}language") if (text := _text(e))]
    # EPUB 2 may give several (opf:event="publication", "modification"…): publication first.
    dates = [(e.get(f"{{{OPF}}}event", "") != "publication", text)
             for e in metadata.iter(f"{{{DC}}}date") if (text := _text(e))]
    if dates:
        found.date = min(dates, key=lambda d: d[0])[1][:10]
    publishers = [text for e in metadata.iter(f"{{{DC}}}publisher") if (text := _text(e))]
    found.publisher = publishers[0] if publishers else None
    return found


def open_package(path: Path) -> Package:
    """The package of the EPUB at ``path``; :class:`BookError` with the user's line
    otherwise. The caller closes ``package.archive``."""
    archive = Container(path)
    try:
        return _read_package(archive)
    except BaseException:
        archive.close()
        raise


def _read_package(archive: Container) -> Package:
    if "META-INF/container.xml" not in archive:
        raise BookError("not an EPUB (no META-INF/container.xml in the archive)")
    _check_drm(archive)
    container = archive.xml("META-INF/container.xml")
    rootfile = next(
        (r for r in container.iter(f"{{{CONTAINER}}}rootfile", "rootfile")
         if r.get("media-type", _OPF_TYPE) == _OPF_TYPE),
        None,
    )
    full_path = rootfile.get("full-path", "") if rootfile is not None else ""
    located = resolve("", full_path) if full_path else None
    if located is None:
        raise BookError("not an EPUB (container.xml names no package document)")
    opf_path = located[0]
    opf = archive.xml(opf_path)
    if local(opf.tag) != "package":
        raise BookError(f"not an EPUB ({opf_path} is not a package document)")
    manifest: dict[str, Item] = {}
    by_path: dict[str, Item] = {}
    for element in opf.iter(f"{{{OPF}}}item", "item"):
        target = resolve(opf_path, element.get("href", ""))
        if target is None or not element.get("id"):
            continue  # outside the container, or unnamed: never read
        item = Item(element.get("id", ""), target[0], element.get("media-type", "").strip(),
                    frozenset(element.get("properties", "").split()))
        manifest[item.id] = item
        by_path[item.path] = item
    spine_element = opf.find(f"{{{OPF}}}spine")
    if spine_element is None:
        spine_element = opf.find("spine")
    spine: list[SpineItem] = []
    ncx = None
    if spine_element is not None:
        for ref in spine_element.iter(f"{{{OPF}}}itemref", "itemref"):
            item = manifest.get(ref.get("idref", ""))
            if item is not None:
                spine.append(SpineItem(item, ref.get("linear", "yes").strip() != "no"))
        ncx = manifest.get(spine_element.get("toc", ""))
    if ncx is None:
        ncx = next((i for i in manifest.values() if i.media_type == _NCX_TYPE), None)
    nav = next((i for i in manifest.values() if "nav" in i.properties), None)
    guide: dict[str, set[str]] = {}
    for reference in opf.iter(f"{{{OPF}}}reference", "reference"):
        target = resolve(opf_path, reference.get("href", ""))
        if target is not None:
            guide.setdefault(target[0], set()).add(reference.get("type", "").strip().lower())
    metadata_element = opf.find(f"{{{OPF}}}metadata")
    if metadata_element is None:
        metadata_element = opf.find("metadata")
    if not any(s.item.media_type in XHTML_TYPES for s in spine):
        raise BookError("not a readable EPUB (its spine lists no XHTML document)")
    return Package(
        archive=archive, opf_path=opf_path, version=opf.get("version", "").strip(),
        metadata=_metadata(metadata_element), manifest=manifest, spine=spine,
        nav=nav, ncx=ncx, guide=guide,
    )
