"""The exporter and the library search, each alone with the window's services."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QMainWindow, QWidget

from reader.core.articles.parser import parse_file
from reader.core.library.search import find_all
from reader.ui import settings as keys
from reader.ui.settings import ArticleState
from reader.ui.window.export import Exporter
from reader.ui.window.progress import TaskProgress
from reader.ui.window.search import LibrarySearch
from tests.ui.conftest import seed_library


def test_exporter_writes_the_listed_articles_as_read(install_fr_en, services, qtbot,
                                                     seed_paths, tmp_path: Path):
    parent = QWidget()
    qtbot.addWidget(parent)
    progress = TaskProgress("export")
    articles = [parse_file(p, paragraph_languages=False) for p in seed_paths[:2]]
    # The reader said the second article is English: it is exported as it is read.
    services.settings.set_article_state(articles[1].key, ArticleState(source_language="en"))
    services.settings.set(keys.LAYOUT, "interleaved")
    messages: list[str] = []
    exporter = Exporter(services, progress, lambda: articles[0], lambda: articles, parent)
    exporter.message.connect(messages.append)
    output = tmp_path / "two.pdf"
    with qtbot.waitSignal(exporter.exportFinished, timeout=60_000) as finished:
        assert exporter.start(output, articles) is not None
        assert exporter.busy()
    assert finished.args == [True]
    assert output.read_bytes().startswith(b"%PDF")
    assert messages[-1].startswith(f"Exported {output}")
    assert not exporter.busy() and not progress.isVisible()


def test_exporter_cancel_writes_nothing(install_fr_en, services, qtbot, seed_paths,
                                        tmp_path: Path):
    parent = QWidget()
    qtbot.addWidget(parent)
    articles = [parse_file(p, paragraph_languages=False) for p in seed_paths]
    exporter = Exporter(services, TaskProgress("export"), lambda: None, lambda: articles,
                        parent)
    output = tmp_path / "cancelled.pdf"
    with qtbot.waitSignal(exporter.exportFinished, timeout=60_000) as finished:
        exporter.start(output, articles)
        exporter.cancel()
    assert finished.args == [False]
    assert not output.exists()


def test_library_search_finds_and_offers_hits(services, qtbot, seed_paths):
    window = QMainWindow()
    qtbot.addWidget(window)
    library = seed_library(services, seed_paths)
    search = LibrarySearch(services, library, window)
    window.show()
    search.open()
    assert search.dock.isVisible()
    with qtbot.waitSignal(search.searchFinished, timeout=10_000) as finished:
        search.panel.edit.setText("ces jours-ci")  # as typed: the panel debounces
    assert finished.args[0] >= 2 and search.jobs_run == 1
    hits = search.panel.model.hits()
    assert {h.article_path.name[:3] for h in hits} >= {"001", "002"}
    with qtbot.waitSignal(search.hitActivated) as activated:
        search.panel.hitActivated.emit(hits[0])
    assert activated.args == [hits[0]]
    # Typed on before the results came: only the last query's results are shown.
    with qtbot.waitSignal(search.searchFinished, timeout=10_000):
        search.panel.edit.setText("zelensky")
        search.search("zelensky")
        search.panel.edit.setText("ete")
    assert search.panel.shown_query() == "ete"  # accents folded: finds "été"
    assert search.panel.model.hits()
    assert all(find_all(h.snippet, "ete") for h in search.panel.model.hits())
    search.close()
    assert not search.dock.isVisible()
