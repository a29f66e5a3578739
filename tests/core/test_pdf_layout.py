"""The PDF rebuilding rules on hand-made lines: hyphens, page numbers, gutters, running lines."""

from __future__ import annotations

import pytest

from reader.core.pdf.hyphens import Vocabulary, join_lines
from reader.core.pdf.layout import (
    Page,
    TextLine,
    find_gutters,
    is_page_number,
    reading_order,
    remove_running_lines,
)
from reader.core.pdf.paragraphs import sensible_title


@pytest.mark.parametrize(
    ("lines", "joined"),
    [
        (["une experi-", "ment"], "une experiment"),
        (["c’est peut-", "être"], "c’est peut-être"),
        (["le porte-", "monnaie"], "le porte-monnaie"),
        (["Jean-", "Pierre"], "Jean-Pierre"),
        (["le COVID-", "19"], "le COVID- 19"),  # a digit after: not a cut word, left spaced
        (["Beau-", "coup"], "Beaucoup"),
        (["meil-", "leur"], "meilleur"),
        (["c’est-à-", "dire"], "c’est-à-dire"),
        (["arc-en-", "ciel"], "arc-en-ciel"),
        (["viendra-t-", "il"], "viendra-t-il"),
        (["celui-", "ci"], "celui-ci"),
        (["mer-", "ci"], "merci"),
        (["l’expé\u00ad", "rience"], "l’expérience"),
        (["de 2019 -", "2020"], "de 2019 - 2020"),
        (["la fin —", "enfin"], "la fin — enfin"),
        (["les Franco-", "Allemands"], "les Franco-Allemands"),
    ],
)
def test_line_end_hyphens(lines: list[str], joined: str) -> None:
    assert join_lines(lines, Vocabulary()) == joined


def test_the_document_decides_first() -> None:
    vocabulary = Vocabulary(["un anti-inflammatoire puissant", "une contremarque"])
    assert join_lines(["un anti-", "inflammatoire"], vocabulary) == "un anti-inflammatoire"
    assert join_lines(["une contre-", "marque"], vocabulary) == "une contremarque"
    # A cut word at a line end is no evidence: "porte-" here is the typesetter's.
    cut = Vocabulary(["ils porte-", "ront", "ils porteront demain"])
    assert join_lines(["ils porte-", "ront"], cut) == "ils porteront"


@pytest.mark.parametrize(
    "text", ["12", "- 12 -", "Page 12", "p. 3", "12 / 40", "3 sur 10", "xii", "(4)", "[7]"]
)
def test_page_numbers(text: str) -> None:
    assert is_page_number(text)


@pytest.mark.parametrize(
    "text", ["12 avril", "Chapitre 3", "2026 : l’année", "Vive la paix", "L", "MIX"]
)
def test_not_page_numbers(text: str) -> None:
    assert not is_page_number(text)


def _line(x0: float, top: float, text: str, width: float = 200.0, size: float = 10.0) -> TextLine:
    return TextLine(x0, x0 + width, top, top + size, text, size)


def test_gutter_between_two_columns_with_a_title_across() -> None:
    lines = [_line(50, 60, "Un titre sur toute la largeur", width=480, size=20)]
    for k in range(10):
        lines.append(_line(50, 100 + 12 * k, f"gauche {k}"))
        lines.append(_line(310, 100 + 12 * k, f"droite {k}"))
    gutters = find_gutters(lines)
    assert len(gutters) == 1
    g0, g1 = gutters[0]
    assert 250 <= g0 < g1 <= 310
    order = [line.text for chunk in reading_order(Page(1, 595, 842, lines)) for line in chunk.lines]
    assert order == [
        "Un titre sur toute la largeur",
        *(f"gauche {k}" for k in range(10)),
        *(f"droite {k}" for k in range(10)),
    ]


def test_no_gutter_in_a_single_column_of_ragged_lines() -> None:
    lines = [_line(50, 100 + 12 * k, f"ligne {k}", width=300 + 40 * (k % 5)) for k in range(30)]
    assert find_gutters(lines) == []


def test_running_lines_need_the_same_height_and_distance_from_the_body() -> None:
    def page(number: int, first_body_line: str) -> Page:
        lines = [_line(50, 30, "Le Journal — numéro 1234"), _line(290, 810, f"{number}", 10)]
        lines += [_line(50, 100 + 12 * k, f"corps {number}.{k}") for k in range(20)]
        # The body's first line repeats on both pages, but it is body: not set apart.
        lines[2] = _line(50, 100, first_body_line)
        return Page(number, 595, 842, lines)

    kept = remove_running_lines([page(1, "Même début"), page(2, "Même début")])
    for result in kept:
        texts = [line.text for line in result.lines]
        assert "Le Journal — numéro 1234" not in texts
        assert str(result.number) not in texts
        assert texts[0] == "Même début"
        assert len(texts) == 20


@pytest.mark.parametrize(
    ("title", "kept"),
    [
        ("Rapport sur l’énergie", "Rapport sur l’énergie"),
        ("Microsoft Word - rapport.docx", None),
        ("untitled", None),
        ("brouillon_v3.pdf", None),
        ("  ", None),
        ("12", None),
    ],
)
def test_sensible_metadata_titles(title: str, kept: str | None) -> None:
    assert sensible_title(title) == kept
