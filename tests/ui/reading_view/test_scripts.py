"""Arabic and Chinese in the reading view (QtGui only): a face for the script, Arabic laid out
from the right, hovering and highlighting where the Arabic words are."""

from __future__ import annotations

from pathlib import Path

import pytest

from reader.core.articles.article import Article, Paragraph, ParagraphKind
from reader.core.text.sentences import joiner_for, split_sentences
from reader.core.translation.results import (
    ParagraphStatus,
    ParagraphTranslation,
    pairs_from_sentences,
)
from reader.ui.reading_view.document_layout import DocumentLayout
from reader.ui.reading_view.row_layout import LayoutOptions, hit_cell, point_for, span_rects
from reader.ui.reading_view.types import Side

FRENCH = ("Les ministres se sont retrouvés lundi à Paris pour un sommet sur le climat. "
          "Ils ont signé un accord.")
TRANSLATIONS = {
    "ar": "اجتمع الوزراء يوم الاثنين في باريس لحضور قمة حول المناخ. ووقعوا اتفاقا.",
    "zh": "部长们周一在巴黎举行气候峰会。他们签署了一项协议。",
}


def laid_out(target: str):  # type: ignore[no-untyped-def]
    paragraph = Paragraph(0, FRENCH, ParagraphKind.BODY, "fr")
    article = Article(Path("sommet.txt"), "Sommet", paragraphs=(paragraph,), language="fr")
    text = TRANSLATIONS[target]
    targets = [text[a:b] for a, b in split_sentences(text, target)]
    translation, pairs = pairs_from_sentences(
        FRENCH, split_sentences(FRENCH, "fr"), targets, joiner_for(target)
    )
    doc = DocumentLayout(LayoutOptions(), 1000)
    doc.set_rows(article.paragraphs)
    doc.set_translation(0, ParagraphTranslation(
        0, FRENCH, translation, ParagraphKind.BODY, ParagraphStatus.TRANSLATED, "fr", pairs
    ))
    return doc.row(0), pairs


@pytest.mark.parametrize(("target", "face"), [("ar", "Arabic"), ("zh", "CJK")])
def test_the_translation_gets_a_face_for_its_script(qapp, target: str, face: str) -> None:  # type: ignore[no-untyped-def]
    from reader.fonts import installed_families

    if not any(face in family for family in installed_families()):
        pytest.skip(f"no Noto {face} face installed (fonts-noto-core / fonts-noto-cjk)")
    row, _ = laid_out(target)
    cell = row.cell(Side.TARGET)
    assert cell is not None and cell.layout is not None
    assert any(face in family for family in cell.layout.font().families())
    source = row.cell(Side.SOURCE)
    assert source is not None and source.layout is not None
    assert source.layout.font().families() == [source.layout.font().family()]  # French: as is


def test_arabic_reads_from_the_right_and_hovers_where_its_words_are(qapp) -> None:  # type: ignore[no-untyped-def]
    row, pairs = laid_out("ar")
    cell = row.cell(Side.TARGET)
    assert cell is not None and cell.layout is not None
    right = cell.x + cell.width
    # The first character is drawn at the right edge, the last sentence ends further left.
    first = point_for(row, Side.TARGET, 0)
    last = point_for(row, Side.TARGET, pairs[-1].target_end - 1)
    assert first is not None and last is not None
    assert right - first.x() < 20 and last.x() < first.x()
    # Hovering the first word finds it; the empty left part of a short line finds nothing.
    hit = hit_cell(row, first.x(), first.y())
    assert hit == (Side.TARGET, 0) or (hit is not None and hit[1] <= 1)
    line = cell.layout.lineAt(cell.layout.lineCount() - 1)
    if line.naturalTextRect().left() > 40:
        assert hit_cell(row, cell.x + 5, cell.y + line.y() + line.height() / 2) is None
    # The highlight of the second sentence lies within the line's text, not in its margin.
    rects = span_rects(row, Side.TARGET, pairs[1].target_start, pairs[1].target_end)
    assert rects and all(rect.width() > 10 for rect in rects)
    assert all(rect.right() <= right + 3 for rect in rects)
