"""The PDF's text layer reads back as what was typeset, in every script.

Qt's ToUnicode maps give Han characters as Kangxi radicals (人 as ⼈) and Arabic letters as
presentation forms; ``reader.export.pdf_text`` rewrites them. Checked end to end: a real
fr→X export (synthetic package, hand-written post-edits as the translation), read back with
``pdftotext``; at least 99% of the typeset characters come back as the same code points
(counted as a multiset: poppler's order of right-to-left and interleaved columns varies).
"""

from __future__ import annotations

import re
import shutil
import subprocess
import unicodedata
from collections import Counter
from pathlib import Path

import pytest

from reader.export.pdf_text import fix_text_layer, parse_cmap, preferred, write_cmap
from tests.export.test_pdf_scripts import EDITS, export_with_edits

POPPLER = shutil.which("pdftotext") is not None

TEXTS = {
    **EDITS,
    "ja": [
        "パリ首脳会議：各国の大臣が気候について合意",
        "四十か国の大臣が月曜日にパリで気候に関する首脳会議を開いた。",
        "彼らは二〇三五年までに排出量を半分に減らす協定に署名した。人々は最初の一歩を歓迎した。",
        "「私たちは今すぐ行動しなければならない」と議長は述べた。",
    ],
    "he": [
        "פסגת פריז: השרים מסכימים על האקלים",
        "שרים מארבעים מדינות נפגשו ביום שני בפריז לפסגת אקלים.",
        "הם חתמו על הסכם שמטרתו לצמצם את הפליטות בחצי עד שנת 2035. העמותות בירכו על הצעד הראשון.",
        "״עלינו לפעול עכשיו״, אמרה יושבת הראש של הפסגה.",
    ],
    "hi": [
        "पेरिस शिखर सम्मेलन: मंत्री जलवायु पर सहमत",
        "चालीस देशों के मंत्री सोमवार को पेरिस में जलवायु शिखर सम्मेलन के लिए मिले।",
        "उन्होंने एक समझौते पर हस्ताक्षर किए जो 2035 तक उत्सर्जन को आधा करने का लक्ष्य रखता है।",
        "“हमें अभी कार्य करना चाहिए,” सम्मेलन की अध्यक्ष ने कहा।",
    ],
}
# The face each script needs (the bundled DejaVu has Arabic and Hebrew).
NEEDED = {"zh": "Noto Serif CJK SC", "ja": "Noto Serif CJK JP", "hi": "Noto Sans Devanagari"}


def _extracted(pdf: Path) -> str:
    text = subprocess.run(
        ["pdftotext", str(pdf), "-"], check=True, capture_output=True, text=True
    ).stdout
    return unicodedata.normalize("NFC", text)


def _readback(typeset: list[str], extracted: str) -> tuple[float, Counter[str]]:
    """Share of the typeset non-ASCII characters found as the same code points, and those
    missing (multiset: a character typeset twice must come back twice)."""
    wanted = Counter(
        ch for text in typeset for ch in unicodedata.normalize("NFC", text)
        if not ch.isspace() and not ch.isascii()
    )
    got = Counter(ch for ch in extracted if not ch.isspace())
    missing = wanted - got
    return 1 - sum(missing.values()) / sum(wanted.values()), missing


@pytest.fixture(autouse=True)
def _qt_app(qapp: object) -> None:
    """The widget tests that run later in this process need a full QApplication."""


@pytest.mark.skipif(not POPPLER, reason="poppler-utils (pdftotext) not installed")
@pytest.mark.parametrize("layout", ["side-by-side", "interleaved"])
@pytest.mark.parametrize("target", ["zh", "ja", "ar", "he", "hi"])
def test_pdftotext_reads_back_the_typeset_characters(
    target: str, layout: str, tmp_path: Path, isolated_xdg: dict[str, Path],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from reader.fonts import installed_families
    from tests.export import test_pdf_scripts

    needed = NEEDED.get(target)
    if needed and needed not in installed_families():
        pytest.skip(f"system font {needed!r} not installed (fonts-noto-core / fonts-noto-cjk)")
    monkeypatch.setitem(test_pdf_scripts.EDITS, target, TEXTS[target])
    pdf = export_with_edits(target, tmp_path, layout)
    share, missing = _readback(TEXTS[target], _extracted(pdf))
    assert share >= 0.99, (share, missing)
    # None of the look-alikes Qt's own maps give.
    text = _extracted(pdf)
    assert not re.search("[\u2e80-\u2fdf\uf900-\ufaff\ufb1d-\ufdff\ufe70-\ufeff]", text)


def test_a_shared_glyph_reads_as_the_typeset_character() -> None:
    # 人 and the Kangxi radical ⼈ share a glyph; Qt names the radical (the lower code point).
    assert preferred("\u2f08", frozenset("人")) == "人"
    # A radical that was typeset itself stays a radical.
    assert preferred("\u2f08", frozenset("\u2f08")) == "\u2f08"
    # A compatibility ideograph reads as its unified ideograph.
    assert preferred("\uf900", frozenset()) == "\u8c48"
    # Arabic contextual forms and the lam-alef ligature read as base letters.
    assert preferred("\ufe91", frozenset()) == "\u0628"  # beh, initial
    assert preferred("\ufefb", frozenset()) == "\u0644\u0627"  # lam-alef
    # Hebrew presentation forms: the letter with its point, composed.
    assert preferred("\ufb2a", frozenset()) == "\u05e9\u05c1"
    # Anything outside those blocks is left alone (², a Latin letter, a unified ideograph).
    for text in ("²", "é", "人", "ab"):
        assert preferred(text, frozenset()) == text


def test_cmap_round_trip_covers_ranges_and_arrays() -> None:
    cmap = (
        b"2 beginbfrange\n<0003> <0005> <0041>\n<0010> <0011> [<2F08> <FEFB>]\nendbfrange\n"
        b"1 beginbfchar\n<0020> <D835DC00>\nendbfchar\n"
    )
    mapping = parse_cmap(cmap)
    assert mapping == {3: "A", 4: "B", 5: "C", 16: "\u2f08", 17: "\ufefb", 32: "\U0001d400"}
    assert parse_cmap(write_cmap(mapping)) == mapping


def test_a_pdf_without_to_unicode_maps_is_unchanged_and_garbage_is_refused() -> None:
    from reader.export.pdf_text import TextLayerError

    body = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\n"
    xref = len(body)
    pdf = (
        body + b"xref\n0 2\n0000000000 65535 f \n0000000009 00000 n \n"
        b"trailer\n<< /Size 2 /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % xref
    )
    assert fix_text_layer(pdf, ["人"]) == pdf
    with pytest.raises(TextLayerError):
        fix_text_layer(b"not a pdf", ["人"])
    # A ToUnicode stream that does not inflate is refused, not guessed at.
    stream = b"2 0 obj\n<< /Length 4 /Filter /FlateDecode >>\nstream\nxxxx\nendstream\nendobj\n"
    body = b"%PDF-1.4\n1 0 obj\n<< /ToUnicode 2 0 R >>\nendobj\n"
    at = len(body)
    body += stream
    xref = len(body)
    pdf = (
        body + b"xref\n0 3\n0000000000 65535 f \n0000000009 00000 n \n%010d 00000 n \n" % at
        + b"trailer\n<< /Size 3 /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % xref
    )
    with pytest.raises(TextLayerError):
        fix_text_layer(pdf, ["人"])
