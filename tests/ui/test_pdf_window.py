"""A PDF in the window: listed with its title, opened as an article (paragraphs in reading
order, no running header), translated with the echo model; a scanned PDF shows its one line."""

from __future__ import annotations

from pathlib import Path

from reader.core.translation.results import ParagraphStatus
from testkit.pdf_pages import CUTTABLE, EXPECTED, HEADER, TITLE, Layout, typeset, write_pdf


def test_a_pdf_opens_as_an_article_and_is_translated(
    make_window, qtbot, install_fr_en, echo, tmp_path: Path
) -> None:
    folder = tmp_path / "pdfs"  # (tmp_path holds the test's XDG folders too)
    folder.mkdir()
    write_pdf(folder / "revue.pdf", typeset(CUTTABLE[:5], Layout(title=TITLE, bottom=330.0)))
    write_pdf(folder / "scan.pdf", [[]], images={1: (40, 40, 500, 700)})
    window = make_window([folder], wait=False)
    qtbot.waitUntil(lambda: window.library.model.rowCount() == 2, timeout=30_000)
    articles = {a.path.name: a for a in window.library.model.articles()}
    assert articles["revue.pdf"].title == TITLE
    assert articles["scan.pdf"].error == "no text layer; OCR is not supported"

    window.select_row(window.library.proxy.row_of(articles["revue.pdf"].key))
    view = window.pane.view
    qtbot.waitUntil(
        lambda: view.article() is not None and view.article().path.name == "revue.pdf"
        and all(t is not None for t in view.translations()),
        timeout=30_000,
    )
    texts = [p.text for p in view.article().paragraphs]
    assert texts == [TITLE, *EXPECTED[:5]]
    assert not any(HEADER in text for text in texts)
    for paragraph, translation in zip(view.article().paragraphs, view.translations(), strict=True):
        assert translation.status in (ParagraphStatus.TRANSLATED, ParagraphStatus.CACHED)
        assert translation.shown == echo(paragraph.text)

    window.select_row(window.library.proxy.row_of(articles["scan.pdf"].key))
    assert window.pane.view.row_count() == 0
    assert "no text layer; OCR is not supported" in window.pane.meta.text()
