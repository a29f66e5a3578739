"""A book (EPUB) in the window: one library entry, its chapters to navigate, the position
remembered, search, a post-edit and the PDF export working on it as on an article."""

from __future__ import annotations

from pathlib import Path

from pypdf import PdfReader
from PySide6.QtWidgets import QWidget

from reader.core.articles.article import ArticleKind
from reader.core.translation.results import ParagraphStatus
from reader.ui.window.actions import ActionId
from reader.ui.window.export import Exporter
from reader.ui.window.progress import TaskProgress
from testkit.epub_books import Doc, build_epub
from tests.ui.conftest import wait_translated

CHAPTERS = [
    ("Chapitre premier", ["La maison est grande et le jardin est beau.",
                          "Le matin, la rivière brille sous les arbres."]),
    ("Chapitre deux", ["Le soir, les voisins viennent boire un café.",
                       "Personne ne parle de la lettre du notaire.",
                       "Le chien dort devant la porte fermée."]),
    ("Chapitre trois", ["Au printemps, la famille quitta le village pour toujours."]),
]


def _book(folder: Path) -> Path:
    docs = [Doc(f"c{n}.xhtml", f"<h1>{title}</h1>" + "".join(f"<p>{p}</p>" for p in paras), title)
            for n, (title, paras) in enumerate(CHAPTERS, 1)]
    return build_epub(folder / "roman.epub", docs, title="Le Roman",
                      creators=[("Anne Auteur", "aut")])


def test_a_book_is_read_by_chapter_searched_edited_and_remembered(
    make_window, qtbot, tmp_path, install_fr_en, echo
):
    folder = tmp_path / "books"
    folder.mkdir()
    path = _book(folder)
    # Short enough that a chapter is a page: the book scrolls.
    window = make_window([folder], wait=False, size=(1100, 330))
    wait_translated(qtbot, window)
    assert window.library.model.rowCount() == 1
    pane, view = window.pane, window.pane.view
    book = view.article()
    assert book is not None and book.kind is ArticleKind.BOOK
    assert [p.text for p in book.paragraphs][:3] == [
        "Chapitre premier", *CHAPTERS[0][1]]
    # The header names the book (its headings are its chapters'), the bar lists them.
    assert pane.title.isVisible() and pane.title.text() == "Le Roman"
    assert "3 chapters" in pane.meta.text() and "Anne Auteur" in pane.meta.text()
    bar = pane.chapter_bar
    assert bar.isVisible()
    assert [bar.combo.itemText(i) for i in range(bar.combo.count())] == [
        t for t, _ in CHAPTERS]
    # Every paragraph translated, as an article's (the echo model: exact output).
    assert view.translation(4).translation == echo(CHAPTERS[1][1][0])

    # Next chapter (Alt+PgDown): the view goes to its heading, the bar follows.
    window.actions[ActionId.NEXT_CHAPTER].trigger()
    assert view.current_paragraph() == 3 and bar.current_chapter() == 1
    window.actions[ActionId.NEXT_CHAPTER].trigger()
    assert view.current_paragraph() == 7 and bar.current_chapter() == 2
    window.actions[ActionId.PREVIOUS_CHAPTER].trigger()
    assert view.current_paragraph() == 3
    bar.combo.activated.emit(0)
    assert view.current_paragraph() == 0 and bar.current_chapter() == 0

    # Find in the book; search across the library finds the paragraph of chapter two.
    pane.open_find()
    qtbot.keyClicks(pane.find_bar.edit, "notaire")
    assert pane.find_bar.count.text() == "1 of 2"  # the original and its (echo) translation
    pane.close_find()
    window.search.open()
    with qtbot.waitSignal(window.searchFinished, timeout=10_000):
        window.search.panel.edit.setText("notaire")  # as typed: the panel debounces
    (hit,) = [h for h in window.search.panel.model.hits() if h.side == "source"]
    assert hit.article_path == path and hit.paragraph_index == 5

    # A post-edit in chapter two is kept, as on an article.
    view.go_to_paragraph(5)
    assert bar.current_chapter() == 1
    view.flush()
    assert view.edit_row(5)
    view.editor().selectAll()
    qtbot.keyClicks(view.editor(), "Nobody mentions the notary's letter.")
    with qtbot.waitSignal(window.editSaved):
        view.commit_edit()
    assert view.translation(5).status is ParagraphStatus.EDITED
    window.actions[ActionId.NEXT_CHAPTER].trigger()
    view.flush()
    position = view.top_position()[0]
    assert position >= 5 and bar.current_chapter() == 2
    window.close()

    # The next start opens the book where it was left, its chapter shown, the edit kept.
    again = make_window([folder], wait=False, size=(1100, 330))
    wait_translated(qtbot, again)
    assert again.pane.view.top_position()[0] == position
    assert again.pane.chapter_bar.current_chapter() == again.pane.view.article().chapter_at(
        position)
    assert again.pane.view.translation(5).translation == "Nobody mentions the notary's letter."


def test_a_book_exports_to_pdf_with_its_chapters(install_fr_en, services, qtbot, tmp_path):
    from reader.core.library.formats import read_file

    parent = QWidget()
    qtbot.addWidget(parent)
    book = read_file(_book(tmp_path), paragraph_languages=False)
    exporter = Exporter(services, TaskProgress("export"), lambda: book, lambda: [book], parent)
    output = tmp_path / "roman.pdf"
    with qtbot.waitSignal(exporter.exportFinished, timeout=60_000) as finished:
        exporter.start(output, [book])
    assert finished.args == [True]
    text = " ".join(" ".join(page.extract_text().split()) for page in PdfReader(output).pages)
    # The book's title heads it; every chapter heading and paragraph is there, in order.
    assert text.index("Le Roman") < text.index("Chapitre premier") < text.index(
        "Chapitre deux") < text.index("notaire") < text.index("Chapitre trois")


def test_background_translation_translates_a_book_whole(install_fr_en, services, qtbot,
                                                        tmp_path, seed_paths):
    from tests.ui.test_background import Background

    book = _book(tmp_path)
    bg = Background(services, [seed_paths[0], book])
    key = book.resolve().as_posix()
    assert key in bg.keys
    with qtbot.waitSignal(bg.part.allDone, timeout=120_000):
        bg.part.start()
    assert key in bg.done and bg.fully_cached(key)
    translated = services.engine.peek(services.reading_article(bg.model.article(key)), "en")
    assert len(translated) == 9 and all(t is not None for t in translated)
