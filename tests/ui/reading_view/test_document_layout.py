"""A document's rows (QtGui only): every row placed from estimates, only the rows asked for
laid out, real heights replacing estimates, a bounded cache."""

from __future__ import annotations

from dataclasses import replace

from reader.ui.reading_view.document_layout import CACHE_ROWS, DocumentLayout
from reader.ui.reading_view.row_layout import LayoutOptions
from reader.ui.reading_view.types import Layout
from tests.ui.reading_view.conftest import synthetic_article, uppercase_translation


def test_a_huge_document_is_placed_without_laying_out_its_rows(qapp) -> None:  # type: ignore[no-untyped-def]
    article = synthetic_article(112_000)  # about what a 10 MB book holds
    doc = DocumentLayout(LayoutOptions(), 1200)
    doc.set_rows(article.paragraphs)
    assert len(doc) == 112_000 and doc.rows_laid_out == 0
    assert doc.content_height() > 112_000 * doc.typography.line_height()
    middle = doc.row_at(doc.content_height() / 2)
    assert 40_000 < middle < 72_000
    assert doc.rows_laid_out == 0  # placing and finding rows lays nothing out

    for index in range(middle, middle + 50):
        doc.row(index)
    for index in range(0, 112_000, 1000):
        doc.row(index)
    assert doc.rows_laid_out == 50 + 112
    assert doc.cached_rows() <= CACHE_ROWS
    # A new width or layout drops the laid-out rows and estimates again: nothing laid out.
    assert doc.configure(LayoutOptions(mode=Layout.INTERLEAVED), 1000)
    assert doc.cached_rows() == 0 and doc.rows_laid_out == 162
    assert not doc.configure(LayoutOptions(mode=Layout.INTERLEAVED), 1000)


def test_laying_out_replaces_the_estimate_and_moves_the_rows_below(qapp) -> None:  # type: ignore[no-untyped-def]
    article = synthetic_article(200)
    doc = DocumentLayout(LayoutOptions(), 1000)
    doc.set_rows(article.paragraphs)
    below = doc.top(11)
    estimated = doc.span(10)
    row = doc.row(10)
    assert doc.is_laid_out(10)
    assert doc.span(10) == row.height + doc.gap(10)
    assert abs(doc.top(11) - (below + doc.span(10) - estimated)) < 1e-6
    assert doc.height(10) == row.height
    assert doc.row_at(doc.top(10) + 1) == 10


def test_a_translation_lays_the_row_out_again_when_asked(qapp) -> None:  # type: ignore[no-untyped-def]
    article = synthetic_article(30)
    doc = DocumentLayout(LayoutOptions(), 1000)
    doc.set_rows(article.paragraphs)
    before = doc.row(3)
    placeholder = before.cells[1]
    assert placeholder.placeholder_lines > 0
    doc.set_translation(3, uppercase_translation(article.paragraphs[3]))
    assert not doc.is_laid_out(3)
    after = doc.row(3)
    assert after.cells[1].layout is not None and not after.cells[1].placeholder_lines
    assert doc.translations()[3] is not None and doc.translation(4) is None


def test_rows_placed_from_given_offsets_are_placed_as_from_the_paragraphs(qapp) -> None:  # type: ignore[no-untyped-def]
    article = synthetic_article(3000)
    measured, given = DocumentLayout(LayoutOptions(), 1000), DocumentLayout(LayoutOptions(), 1000)
    measured.set_rows(article.paragraphs)
    given.set_rows(article.paragraphs, article.text_offsets)
    assert [given.top(row) for row in range(0, 3000, 7)] == [
        measured.top(row) for row in range(0, 3000, 7)]
    assert given.content_height() == measured.content_height()
    # Offsets of another document (wrong count) are not used.
    given.set_rows(article.paragraphs, article.text_offsets[:-1])
    assert given.content_height() == measured.content_height()


def test_translations_land_only_on_their_own_paragraphs_row(qapp) -> None:  # type: ignore[no-untyped-def]
    article = synthetic_article(10)
    doc = DocumentLayout(LayoutOptions(), 1000)
    doc.set_rows(article.paragraphs)
    own = [uppercase_translation(p) for p in article.paragraphs]
    stale = replace(own[3], source="Un autre texte.")
    assert doc.add_translations([own[1], stale, own[5]]) == [1, 5]
    assert doc.translation(3) is None
    # Many at once: a stale one is left out, the others are set.
    many = [*own[:3], stale, *own[4:]]
    assert doc.set_translations(many) == 9
    assert doc.translation(3) is None and doc.translation(4) is own[4]
    assert doc.set_translations(own[:5]) == 0  # not one per row
