"""Scripts without italics stay upright, and right-to-left paragraphs carry their indents
and margin marks on the right (window and PDF)."""

from __future__ import annotations

from PySide6.QtCore import QBuffer, QByteArray, QIODevice

from reader.core.articles.article import ParagraphKind
from reader.core.presentation.row_display import row_display
from reader.core.text.writing_systems import has_italics
from reader.core.translation.results import ParagraphStatus, ParagraphTranslation
from reader.ui.reading_view.row_layout import INTERLEAVED_INDENT, LayoutOptions, RowLayouter
from reader.ui.reading_view.types import Layout, Side

FRENCH = "« Nous devons agir maintenant », a déclaré la présidente du sommet."
ARABIC = "« يجب أن نتحرك الآن »، قالت رئيسة القمة."


def _row(kind: ParagraphKind, target: str = ARABIC):  # type: ignore[no-untyped-def]
    translation = ParagraphTranslation(
        0, FRENCH, target, kind, ParagraphStatus.TRANSLATED, "fr", ()
    )
    layouter = RowLayouter(LayoutOptions(mode=Layout.INTERLEAVED), 1000)
    row = layouter.lay_out(row_display(FRENCH, translation), kind)
    source, translated = row.cell(Side.SOURCE), row.cell(Side.TARGET)
    assert source is not None and translated is not None
    return source, translated


def test_scripts_with_and_without_italics() -> None:
    assert has_italics(FRENCH) and has_italics("Москва") and has_italics("2035 — !")
    for text in (ARABIC, "שרים מארבעים מדינות", "四十个国家的部长", "パリ首脳会議", "पेरिस शिखर"):
        assert not has_italics(text), text


def test_an_arabic_quote_is_upright_and_indented_from_the_right(qapp) -> None:  # type: ignore[no-untyped-def]
    source, translated = _row(ParagraphKind.QUOTE)
    assert source.layout is not None and translated.layout is not None
    assert source.layout.font().italic()  # the French quote keeps its italics
    assert not translated.layout.font().italic()
    assert translated.right_to_left and not source.right_to_left
    # The interleaved indent is on the right: the block starts at the column's left edge
    # and stops short of its right edge.
    assert translated.x == source.x
    assert translated.width == source.width - INTERLEAVED_INDENT


def test_a_left_to_right_translation_is_indented_from_the_left(qapp) -> None:  # type: ignore[no-untyped-def]
    source, translated = _row(ParagraphKind.BODY, "« We must act now », said the chair.")
    assert not translated.right_to_left
    assert translated.x == source.x + INTERLEAVED_INDENT


def test_the_pdf_sets_arabic_upright_at_the_french_size(qapp) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtGui import QPdfWriter

    from reader.export.typesetter import _SOURCE_STYLES, Typesetter, _translation_style

    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    typesetter = Typesetter(QPdfWriter(buffer), "interleaved", False)
    style = _translation_style(_SOURCE_STYLES[ParagraphKind.BODY], interleaved=True)
    assert style.italic  # interleaved translations are italic…
    french = typesetter.para("We must act now.", style, 1000).layout.font()
    arabic = typesetter.para(ARABIC, style, 1000).layout.font()
    assert french.italic() and not arabic.italic()  # …except in a script without italics
    assert arabic.pointSizeF() == french.pointSizeF() == style.size
