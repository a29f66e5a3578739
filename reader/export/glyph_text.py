"""Which text each shaped glyph stands for, for the glyphs Qt leaves out of a ToUnicode map.

Qt's ToUnicode map names only glyphs the font's cmap reaches. Shaping makes others: a
Devanagari conjunct (क्ष), a vowel sign's width variant (ि), Arabic lam-alef with a hamza:
``pdftotext`` drops them. Here the typeset texts are shaped again with the same fonts; each
glyph of a cluster that no character of the cluster maps to directly stands for the
cluster's other characters. The PDF's embedded subset renumbers glyphs, so a subset glyph is
matched to the font's glyph by its outline.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable

from PySide6.QtCore import QByteArray
from PySide6.QtGui import QFont, QPainterPath, QRawFont, QTextLayout

from reader.core.text.writing_systems import Script, beyond_latin, script_counts
from reader.fonts import font_for_text

_SIZE = 1000.0  # pixel size both fonts are compared at
# Scripts whose shaping makes glyphs no character maps to (Latin, Han, Kana need none).
_SHAPED = frozenset(Script) - {Script.LATIN, Script.HAN, Script.KANA, Script.OTHER}

_TOLERANCE = 12.0  # pixels at _SIZE (1.2% of the em): the subset is drawn a little apart

# A glyph's outline: its elements' kinds (the key) and their points.
Outline = tuple[tuple[int, ...], tuple[float, ...]]


def _outline(raw: QRawFont, glyph: int) -> Outline:
    path: QPainterPath = raw.pathForGlyph(glyph)
    elements = [path.elementAt(i) for i in range(path.elementCount())]
    kinds = tuple(int(element.type.value) for element in elements)
    points = tuple(value for element in elements for value in (element.x, element.y))
    return kinds, points


def _same(a: tuple[float, ...], b: tuple[float, ...]) -> bool:
    return all(abs(x - y) <= _TOLERANCE for x, y in zip(a, b, strict=True))


class GlyphTexts:
    """``glyph_texts(font_data, mapped)``: subset glyph → text for an embedded font's glyphs
    not in ``mapped`` (those its ToUnicode map already names)."""

    def __init__(self, texts: Iterable[str], families: Iterable[str]) -> None:
        self._texts = [t for t in dict.fromkeys(texts) if t and beyond_latin(t)]
        self._families = list(families)
        self._shaped_glyphs: dict[tuple[str, int], tuple[QRawFont, str]] | None = None
        self._outlines: dict[tuple[str, int], Outline] = {}

    def _shaped(self) -> dict[tuple[str, int], tuple[QRawFont, str]]:
        """Every shaped glyph no character maps to, once: (face, glyph) → the face at the
        comparison size and the text the glyph stands for."""
        found: dict[tuple[str, int], tuple[QRawFont, str]] = {}
        # Shaping does not cross a space: each distinct word is shaped once, alone (a long
        # line's glyphRuns cost grows with the line).
        words = dict.fromkeys(word for text in self._texts for word in text.split())
        for text in words:
            if not _SHAPED & set(script_counts(text)):
                continue
            for family, bold in ((f, b) for f in self._families for b in (False, True)):
                font = QFont(family)
                font.setBold(bold)  # titles and ledes are bold: other outlines
                layout = QTextLayout(text, font_for_text(font, text))
                layout.beginLayout()
                line = layout.createLine()
                line.setLineWidth(1e9)
                layout.endLayout()
                # Qt gives no cluster map: glyphRuns(i, 1) are the glyphs of character i's
                # cluster up to its own; consecutive characters whose glyphs start alike
                # are one cluster, and the longest list is all of its glyphs.
                clusters: list[tuple[QRawFont, list[int], list[tuple[str, list[int]]]]] = []
                for position, ch in enumerate(text):
                    for run in layout.glyphRuns(position, 1):
                        glyphs = list(run.glyphIndexes())
                        if not glyphs:
                            continue
                        raw = run.rawFont()
                        last = clusters[-1] if clusters else None
                        if last is not None and last[1][0] == glyphs[0] and \
                                last[0].familyName() == raw.familyName():
                            if len(glyphs) > len(last[1]):
                                last[1][:] = glyphs
                            last[2].append((ch, glyphs))
                        else:
                            clusters.append((raw, glyphs, [(ch, glyphs)]))
                direct: dict[str, set[int]] = {}
                for raw, glyphs, members in clusters:
                    key = f"{raw.familyName()}/{raw.styleName()}"
                    if key not in direct:
                        direct[key] = set(raw.glyphIndexesForString(text))
                    spare = [g for g in glyphs if g not in direct[key]]
                    if not spare:
                        continue
                    # A character whose own glyph is not in its cluster is drawn by a spare
                    # glyph: the last one up to it (a vowel sign's variant, a conjunct).
                    owned: dict[int, str] = {}
                    for ch, upto in members:
                        if raw.glyphIndexesForString(ch)[0] in glyphs:
                            continue
                        mine = [g for g in upto if g in spare] or spare
                        owned[mine[-1]] = owned.get(mine[-1], "") + ch
                    key = f"{raw.familyName()}/{raw.styleName()}"
                    for glyph, owned_text in owned.items():
                        if (key, glyph) not in found:
                            sized = QRawFont(raw)
                            sized.setPixelSize(_SIZE)
                            found[key, glyph] = (sized, owned_text)
        return found

    def __call__(self, font_data: bytes, mapped: Collection[int]) -> dict[int, str]:
        if not self._texts:
            return {}
        subset = QRawFont(QByteArray(font_data), _SIZE)
        maxp = bytes(subset.fontTable("maxp").data()) if subset.isValid() else b""
        if len(maxp) < 6:
            return {}
        glyphs = [g for g in range(1, int.from_bytes(maxp[4:6], "big")) if g not in mapped]
        if not glyphs:
            return {}
        if self._shaped_glyphs is None:
            self._shaped_glyphs = self._shaped()
        wanted = {glyph: _outline(subset, glyph) for glyph in glyphs}
        sizes = {len(kinds) for kinds, _ in wanted.values() if kinds}
        texts: dict[int, str] = {}
        for (key, shaped), (raw, text) in self._shaped_glyphs.items():
            # Counting a path's elements is cheap; reading them all is not.
            if raw.pathForGlyph(shaped).elementCount() not in sizes:
                continue
            if (key, shaped) not in self._outlines:
                self._outlines[key, shaped] = _outline(raw, shaped)
            kinds, points = self._outlines[key, shaped]
            for glyph, (subset_kinds, subset_points) in wanted.items():
                if glyph not in texts and kinds == subset_kinds and _same(points, subset_points):
                    texts[glyph] = text
        return texts
