"""A book's table of contents and landmarks: the EPUB 3 navigation document, or the NCX.

Both become the same flat list of :class:`TocEntry` (nested entries follow their parent,
with their depth), each pointing at a document of the container and perhaps an anchor in
it. Landmarks (EPUB 3 ``<nav epub:type="landmarks">``) say which document is the cover,
the table of contents, the copyright page or the start of the body, as the EPUB 2
``<guide>`` does (:mod:`reader.core.books.package`).
"""

from __future__ import annotations

from dataclasses import dataclass

from reader.core.books.package import BookError, Package, resolve
from reader.core.books.safe_xml import EPUB_TYPE, NCX, XHTML, Element, local
from reader.core.text.small_caps import normalize_small_caps

# Entries beyond this many are ignored (a generated NCX listing every page).
MAX_ENTRIES = 5000


@dataclass(frozen=True, slots=True)
class TocEntry:
    title: str
    path: str
    fragment: str
    depth: int


@dataclass(slots=True)
class Navigation:
    entries: list[TocEntry]
    # Document path → landmark types ("cover", "toc", "bodymatter", "copyright-page"…).
    landmarks: dict[str, set[str]]


def _label(element: Element) -> str:
    return normalize_small_caps(" ".join("".join(element.itertext()).split()))


def _nav_list(ol: Element, base: str, depth: int, out: list[TocEntry]) -> None:
    for li in ol.iterchildren(f"{{{XHTML}}}li"):
        if len(out) >= MAX_ENTRIES:
            return
        link = li.find(f"{{{XHTML}}}a")
        if link is not None:
            target = resolve(base, link.get("href", ""))
            if target is not None:
                out.append(TocEntry(_label(link), target[0], target[1], depth))
        # (A heading without a link, <span>Part One</span>: its children still count.)
        for child in li.iterchildren(f"{{{XHTML}}}ol"):
            _nav_list(child, base, depth + 1, out)


def _from_nav(package: Package) -> Navigation | None:
    if package.nav is None:
        return None
    try:
        root = package.archive.xml(package.nav.path)
    except BookError:
        return None  # a broken nav: the NCX or the headings will do
    entries: list[TocEntry] = []
    landmarks: dict[str, set[str]] = {}
    for nav in root.iter(f"{{{XHTML}}}nav"):
        kinds = set(nav.get(EPUB_TYPE, "").split())
        ol = nav.find(f"{{{XHTML}}}ol")
        if ol is None:
            continue
        if "toc" in kinds and not entries:
            _nav_list(ol, package.nav.path, 0, entries)
        elif "landmarks" in kinds:
            for link in ol.iter(f"{{{XHTML}}}a"):
                target = resolve(package.nav.path, link.get("href", ""))
                if target is not None:
                    landmarks.setdefault(target[0], set()).update(link.get(EPUB_TYPE, "").split())
    return Navigation(entries, landmarks)


def _ncx_points(parent: Element, base: str, depth: int, out: list[TocEntry]) -> None:
    for point in parent.iterchildren(f"{{{NCX}}}navPoint"):
        if len(out) >= MAX_ENTRIES:
            return
        label = point.find(f"{{{NCX}}}navLabel")
        content = point.find(f"{{{NCX}}}content")
        target = resolve(base, content.get("src", "")) if content is not None else None
        if target is not None:
            title = _label(label) if label is not None else ""
            out.append(TocEntry(title, target[0], target[1], depth))
        _ncx_points(point, base, depth + 1, out)


def _from_ncx(package: Package) -> Navigation | None:
    if package.ncx is None:
        return None
    try:
        root = package.archive.xml(package.ncx.path)
    except BookError:
        return None
    nav_map = root.find(f"{{{NCX}}}navMap")
    if nav_map is None or local(root.tag) != "ncx":
        return None
    entries: list[TocEntry] = []
    _ncx_points(nav_map, package.ncx.path, 0, entries)
    return Navigation(entries, {})


def read_navigation(package: Package) -> Navigation:
    """The table of contents from the nav document, else the NCX (an EPUB 3 book often
    carries both; a nav without a usable list falls back too); empty when neither helps.
    Landmarks come from the nav document only."""
    nav = _from_nav(package)
    if nav is not None and nav.entries:
        return nav
    ncx = _from_ncx(package)
    if ncx is not None and ncx.entries:
        if nav is not None:
            ncx.landmarks = nav.landmarks
        return ncx
    return nav or Navigation([], {})
