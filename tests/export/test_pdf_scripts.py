"""French → Arabic and French → Chinese PDFs show every glyph, Arabic right-aligned.

The fr→ar and fr→zh packages are real-format synthetic ones (random weights, gibberish in
Latin pieces); the Arabic and Chinese text comes from post-edits (hand-written), which the
export prints instead of the machine text — the same path any translation takes. The PDF is
read back with poppler: fonts embedded, text extracted, word positions.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import unicodedata
from pathlib import Path

import pytest

from reader.core.articles.parser import parse_text
from reader.core.models.store import install_package
from reader.core.translation.cache import TranslationCache
from reader.core.translation.engine import FAST, ParagraphReady, TranslationEngine
from reader.export.pdf import ExportRequest, export_articles

POPPLER = shutil.which("pdftotext") is not None and shutil.which("pdffonts") is not None
A4_WIDTH_PT = 595.28
MARGIN_PT = 18 * 72 / 25.4

FRENCH = """Sommet de Paris : les ministres s'accordent sur le climat

Les ministres de quarante pays se sont retrouvés lundi à Paris pour un sommet sur le climat.

Ils ont signé un accord qui prévoit de réduire les émissions de moitié d'ici 2035. Les
associations saluent un premier pas.

« Nous devons agir maintenant », a déclaré la présidente du sommet.
"""

EDITS = {
    "ar": [
        "قمة باريس: الوزراء يتفقون على المناخ",
        "اجتمع وزراء أربعين دولة يوم الاثنين في باريس لحضور قمة حول المناخ.",
        "ووقعوا اتفاقا ينص على خفض الانبعاثات إلى النصف بحلول عام 2035. "
        "ورحبت الجمعيات بهذه الخطوة الأولى التي طال انتظارها من قبل الجميع في المنطقة.",
        "« يجب أن نتحرك الآن »، قالت رئيسة القمة.",
    ],
    "zh": [
        "巴黎峰会：各国部长就气候问题达成一致",
        "四十个国家的部长周一在巴黎举行气候峰会。",
        "他们签署了一项协议，计划到2035年将排放量减少一半。各协会对这第一步表示欢迎。",
        "“我们必须现在就行动，”峰会主席说。",
    ],
}
FONT_FAMILY = {"ar": "NotoNaskhArabic", "zh": "NotoSerifCJK"}


@pytest.fixture(autouse=True)
def _qt_app(qapp: object) -> None:
    """The widget tests that run later in this process need a full QApplication."""


def export_with_edits(target: str, tmp_path: Path, layout: str = "side-by-side") -> Path:
    from testkit.synthetic_package import build_synthetic_package

    install_package(build_synthetic_package(tmp_path / "models", "fr", target))
    article = parse_text(FRENCH, tmp_path / "sommet.txt")
    assert article.language == "fr" and len(article.paragraphs) == 4
    engine = TranslationEngine(TranslationCache(), options=FAST)
    ready = [
        event.paragraph
        for event in engine.translate(article, target)
        if isinstance(event, ParagraphReady)
    ]
    for paragraph, text in zip(ready, EDITS[target], strict=True):
        engine.set_edit(paragraph, target, text)
    output = tmp_path / f"sommet-{target}.pdf"
    report = export_articles(engine, [article], ExportRequest(output, target, layout))
    assert report.ok, report.messages
    assert report.messages == []  # no "install a font" line: every script has a face
    return output


def covered(text: str) -> list[str]:
    """Characters of ``text`` no face of the font chosen for it has a glyph for."""
    from PySide6.QtGui import QFont, QRawFont

    from reader.fonts import font_for_text, register_bundled_fonts

    font = font_for_text(QFont(register_bundled_fonts()[0]), text)
    raws = [QRawFont.fromFont(QFont(family)) for family in font.families()]
    assert all(raw.isValid() for raw in raws)
    missing = []
    for ch in text:
        if ch.isspace():
            continue
        if not any(raw.supportsCharacter(ord(ch)) for raw in raws):
            missing.append(ch)
    return missing


def poppler_words(path: Path) -> list[tuple[float, float, float, str]]:
    out = subprocess.run(
        ["pdftotext", "-bbox", str(path), "-"], check=True, capture_output=True, text=True
    ).stdout
    return [
        (float(x1), float(y1), float(x2), word)
        for x1, y1, x2, word in re.findall(
            r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="[\d.]+">(.*?)</word>',
            out,
        )
    ]


@pytest.mark.parametrize("target", ["ar", "zh"])
def test_every_glyph_of_the_target_script_has_a_face(target: str) -> None:
    from reader.fonts import installed_families

    if target == "zh" and not any("CJK" in family for family in installed_families()):
        pytest.skip("no Noto CJK face installed (fonts-noto-cjk)")
    for text in EDITS[target]:
        assert covered(text) == [], text


@pytest.mark.skipif(not POPPLER, reason="poppler-utils (pdftotext, pdffonts) not installed")
@pytest.mark.parametrize("target", ["ar", "zh"])
def test_french_to_arabic_and_chinese_pdfs_show_every_glyph(
    target: str, tmp_path: Path, isolated_xdg: dict[str, Path]
) -> None:
    from reader.fonts import installed_families

    needed = {"ar": "Noto Naskh Arabic", "zh": "Noto Serif CJK SC"}[target]
    if needed not in installed_families():
        pytest.skip(f"system font {needed!r} not installed (fonts-noto-core / fonts-noto-cjk)")
    pdf = export_with_edits(target, tmp_path)
    fonts = subprocess.run(
        ["pdffonts", str(pdf)], check=True, capture_output=True, text=True
    ).stdout
    rows = [line.split() for line in fonts.splitlines()[2:]]
    names = [row[0] for row in rows]
    assert any(FONT_FAMILY[target] in name for name in names), fonts
    assert all("Type 3" not in line for line in fonts.splitlines()), fonts
    assert all(row[-5] == "yes" for row in rows), fonts  # every font embedded
    text = subprocess.run(
        ["pdftotext", str(pdf), "-"], check=True, capture_output=True, text=True
    ).stdout
    # The text layer gives base letters and unified ideographs (pdf_text.py); poppler wraps
    # right-to-left runs in bidi marks.
    squashed = re.sub(r"[\s\u202a-\u202e]+", "", unicodedata.normalize("NFC", text))
    for edit in EDITS[target]:
        # Every word of the translation, the header's translated title included, is text in
        # the PDF (order aside: poppler's reading order of mixed-direction lines varies).
        # Chinese lines break anywhere and the columns' lines interleave in poppler's text:
        # each character must be there (the one-line header title is checked whole below).
        units = list(re.sub(r"\W", "", edit)) if target == "zh" else re.findall(r"\w+", edit)
        for word in units:
            # Noto Naskh draws lam-alef as a lam and an alef without advance laid over it;
            # poppler orders that alef by position, away from its word (the letters are all
            # there: tests/export/test_pdf_text_layer.py counts them).
            for part in re.split("ل[اأإآ]", word):
                assert part in squashed, word
    title = re.sub(r"\W", "", EDITS[target][0].split(":")[-1].split("：")[-1])
    assert all(part in squashed for part in re.split("ل[اأإآ]", title))


@pytest.mark.skipif(not POPPLER, reason="poppler-utils (pdftotext) not installed")
def test_arabic_paragraphs_are_right_aligned(
    tmp_path: Path, isolated_xdg: dict[str, Path]
) -> None:
    from reader.fonts import installed_families

    if "Noto Naskh Arabic" not in installed_families():
        pytest.skip("system font 'Noto Naskh Arabic' not installed (fonts-noto-core)")
    pdf = export_with_edits("ar", tmp_path)
    words = [
        (x1, y, x2, unicodedata.normalize("NFKC", text))
        for x1, y, x2, text in poppler_words(pdf)
    ]
    # Lines: words whose tops are within 4 pt (poppler cuts Arabic into one word per glyph).
    lines: list[list[tuple[float, float, float, str]]] = []
    for word in sorted(words, key=lambda w: w[1]):
        if lines and word[1] - lines[-1][0][1] < 4:
            lines[-1].append(word)
        else:
            lines.append([word])
    arabic = [line for line in lines if any(re.search("[\u0600-\u06ff]", w[3]) for w in line)]
    assert len(arabic) >= 6  # the title and the paragraphs' lines
    right_edge = A4_WIDTH_PT - MARGIN_PT
    ends = [max(w[2] for w in line) for line in arabic]
    starts = [min(w[0] for w in line) for line in arabic]
    # Every Arabic line ends at the right margin (the short last lines too); the lines are
    # ragged on the left: right-aligned, not justified.
    assert all(abs(end - right_edge) < 2 for end in ends), (ends, right_edge)
    assert max(starts) - min(starts) > 30, starts
    # Numbers inside stay in reading order: "2035" is the right-most word of its line.
    line_2035 = next(line for line in arabic if any(w[3] == "2035" for w in line))
    assert max(line_2035, key=lambda w: w[2])[3] == "2035"
    # The French column is untouched: left-aligned at the left margin.
    french = [w for w in words if w[0] < A4_WIDTH_PT / 2 and re.search("[a-zé]{3}", w[3])]
    assert min(w[0] for w in french) == pytest.approx(MARGIN_PT, abs=2)


def test_a_script_without_any_installed_face_names_the_package_to_install(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from reader import fonts

    fonts.register_bundled_fonts()
    without_cjk = frozenset(f for f in fonts.installed_families() if "CJK" not in f)
    monkeypatch.setattr(fonts, "_installed", without_cjk - {"WenQuanYi Zen Hei",
                                                            "Droid Sans Fallback"})
    messages = fonts.missing_font_messages(["Le titre", "巴黎峰会", "قمة باريس"])
    assert messages == [
        "no font for Han text is installed: install Noto Serif CJK SC "
        "(Debian/Ubuntu: sudo apt-get install fonts-noto-cjk)"
    ]
    # Arabic never needs one: the bundled DejaVu Sans has its glyphs.
    assert fonts.missing_font_messages(["قمة باريس", "Titre"]) == []
