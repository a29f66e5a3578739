"""Export EPUB… in the window: the exporter writes a book or an article to an EPUB on the
tasks worker, in the layout on screen (translation only stays translation only)."""

from __future__ import annotations

import zipfile
from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QWidget

from reader.core.library.formats import read_file
from reader.ui import settings as keys
from reader.ui.window.export import Exporter
from reader.ui.window.progress import TaskProgress
from testkit.epub_books import Doc, build_epub


def _book(folder: Path) -> Path:
    docs = [Doc("c1.xhtml", "<h1>Un</h1><p>La maison est grande.</p>", "Un"),
            Doc("c2.xhtml", "<h1>Deux</h1><p>Il pleut sur le village.</p>", "Deux")]
    return build_epub(folder / "roman.epub", docs, title="Le Roman")


def test_export_epub_asks_where_and_writes_the_book(install_fr_en, services, qtbot,
                                                    tmp_path: Path, monkeypatch, echo):
    parent = QWidget()
    qtbot.addWidget(parent)
    book = read_file(_book(tmp_path), paragraph_languages=False)
    services.settings.set(keys.LAYOUT, "translation-only")
    progress = TaskProgress("export")
    exporter = Exporter(services, progress, lambda: book, lambda: [book], parent)
    messages: list[str] = []
    exporter.message.connect(messages.append)
    chosen = tmp_path / "roman-en"  # no suffix typed: .epub is added
    asked: list[str] = []

    def save_dialog(*args: object, **kwargs: object) -> tuple[str, str]:
        asked.append(str(args[3]))  # the filter offered
        return str(chosen), "EPUB (*.epub)"

    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(save_dialog))
    with qtbot.waitSignal(exporter.exportFinished, timeout=60_000) as finished:
        exporter.export_open_epub()
    assert finished.args == [True] and asked == ["EPUB (*.epub)"]
    output = tmp_path / "roman-en.epub"
    assert messages[-1] == f"Exported {output}"
    assert not progress.isVisible()
    with zipfile.ZipFile(output) as archive:
        assert archive.namelist()[0] == "mimetype"
        chapter = archive.read("OEBPS/ch002.xhtml").decode()
        opf = archive.read("OEBPS/content.opf").decode()
    # Translation only, as on screen: the translation, not the original.
    assert f'<p class="tr" lang="en" xml:lang="en">{echo("Il pleut sur le village.")}</p>' \
        in chapter
    assert 'class="src"' in chapter  # the heading: its echo equals it, so it stays original
    assert "Il pleut sur le village.</p>" not in chapter.replace(
        f">{echo('Il pleut sur le village.')}</p>", "")
    assert "<dc:language>en</dc:language>\n<dc:language>fr</dc:language>" in opf


def test_export_epub_without_an_open_article_says_so(services, qtbot):
    parent = QWidget()
    qtbot.addWidget(parent)
    exporter = Exporter(services, TaskProgress("export"), lambda: None, lambda: [], parent)
    messages: list[str] = []
    exporter.message.connect(messages.append)
    exporter.export_open_epub()
    assert messages == ["Open an article or a book to export it."] and not exporter.busy()


def test_the_file_menu_offers_export_epub_beside_export_pdf(make_window, qtbot, install_fr_en,
                                                             tmp_path: Path, monkeypatch):
    from reader.ui.window.actions import ActionId
    from tests.ui.conftest import wait_translated

    window = make_window(wait=False)
    wait_translated(qtbot, window)
    file_menu = window.menuBar().actions()[0].menu()
    names = [a.objectName() for a in file_menu.actions()]
    assert names[names.index("export") + 1] == "export-epub"
    action = window.actions[ActionId.EXPORT_EPUB]
    assert action.text() == "Export EPUB…" and action.shortcut().toString() == "Ctrl+Alt+E"
    output = tmp_path / "article.epub"
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        staticmethod(lambda *a, **k: (str(output), "EPUB (*.epub)")))
    with qtbot.waitSignal(window.exportFinished, timeout=30_000) as finished:
        action.trigger()
    assert finished.args == [True]
    assert window.last_message == f"Exported {output}"
    with zipfile.ZipFile(output) as archive:
        assert archive.read("mimetype") == b"application/epub+zip"
        assert "OEBPS/ch001.xhtml" in archive.namelist()


def test_the_listed_articles_go_to_one_epub_when_the_reader_picks_epub(
        install_fr_en, services, qtbot, seed_paths, tmp_path: Path, monkeypatch):
    from reader.core.articles.parser import parse_file

    parent = QWidget()
    qtbot.addWidget(parent)
    articles = [parse_file(p, paragraph_languages=False) for p in seed_paths[:2]]
    exporter = Exporter(services, TaskProgress("export"), lambda: None, lambda: articles,
                        parent)
    offered: list[str] = []

    def save_dialog(*args: object, **kwargs: object) -> tuple[str, str]:
        offered.append(str(args[3]))
        return str(tmp_path / "reading-list"), "EPUB (*.epub)"

    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(save_dialog))
    with qtbot.waitSignal(exporter.exportFinished, timeout=60_000) as finished:
        exporter.export_listed()
    assert finished.args == [True] and offered == ["PDF (*.pdf);;EPUB (*.epub)"]
    with zipfile.ZipFile(tmp_path / "reading-list.epub") as archive:
        chapters = sorted(n for n in archive.namelist() if n.startswith("OEBPS/ch"))
    assert chapters == ["OEBPS/ch001.xhtml", "OEBPS/ch002.xhtml"]
