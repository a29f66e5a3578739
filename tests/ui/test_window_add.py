"""The window's wiring of adding articles: Ctrl+N, Ctrl+V, a dropped link, the watch."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDropEvent
from PySide6.QtWidgets import QApplication

from reader import paths
from tests.data import news_pages as pages


def _titles(window) -> list[str]:  # type: ignore[no-untyped-def]
    return [a.display_title for a in window.library.model.articles()]


def test_default_library_is_samples_plus_added(qtbot, make_window, news_server) -> None:  # type: ignore[no-untyped-def]
    window = make_window()
    samples = window.library.model.rowCount()
    dialog = window.show_add_article()
    assert dialog.isVisible()
    dialog.link.setText(news_server.page("/a.html", pages.news_page().encode()))
    dialog.submit()
    qtbot.waitUntil(lambda: pages.TITLE in _titles(window), timeout=10_000)
    assert window.library.model.rowCount() == samples + 1
    # A restart shows the samples and the reader's library together.
    again = make_window()
    assert pages.TITLE in _titles(again) and again.library.model.rowCount() == samples + 1


def test_ctrl_v_pastes_a_link_and_a_drop_adds_one(qtbot, make_window, news_server) -> None:  # type: ignore[no-untyped-def]
    window = make_window()
    QApplication.clipboard().setText(news_server.page("/b.html", pages.news_page().encode()))
    window.setFocus()
    qtbot.keyClick(window, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: pages.TITLE in _titles(window), timeout=10_000)
    other = pages.news_page().replace(pages.TITLE, "Villeurbanne ouvre trois crèches")
    mime = QMimeData()
    mime.setUrls([QUrl(news_server.page("/c.html", other.encode()))])
    drop = QDropEvent(QPointF(50, 50), Qt.DropAction.CopyAction, mime,
                      Qt.MouseButton.NoButton, Qt.KeyboardModifier.NoModifier)
    window.dropEvent(drop)
    qtbot.waitUntil(lambda: "Villeurbanne ouvre trois crèches" in _titles(window), timeout=10_000)


def test_paste_of_nothing_useful_says_so(make_window) -> None:  # type: ignore[no-untyped-def]
    window = make_window()
    QApplication.clipboard().setText("ok")
    assert window.paste_article() == 0
    assert window.last_message.startswith("Nothing to add")


def test_opened_folder_is_watched(qtbot, make_window, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "a.txt").write_text("Premier titre\n\nUn paragraphe.", encoding="utf-8")
    window = make_window()
    window.library.open_folder(folder)
    qtbot.waitUntil(lambda: _titles(window) == ["Premier titre"], timeout=10_000)
    (folder / "b.txt").write_text("Second titre\n\nUn autre paragraphe.", encoding="utf-8")
    qtbot.waitUntil(lambda: "Second titre" in _titles(window), timeout=10_000)
    assert paths.user_library_dir() != folder


def test_closing_the_window_does_not_wait_for_a_fetch(qtbot, make_window) -> None:  # type: ignore[no-untyped-def]
    import time

    from tests.data import raw_server as raw

    server = raw.RawServer(raw.drip(raw.page_reply(b""), pages.news_page().encode(), most=600))
    try:
        window = make_window()
        adder = window.article_adder  # the default 20 s timeout: a 60 s deadline
        with qtbot.waitSignal(adder.progress, timeout=5_000):
            adder.add(server.url + "/slow.html")
        start = time.monotonic()
        window.close()
        assert window.is_shut_down() and time.monotonic() - start < 1.0
    finally:
        server.close()


def test_a_missing_extraction_package_says_so_once_and_the_page_is_added(  # type: ignore[no-untyped-def]
    qtbot, make_window, tmp_path: Path, monkeypatch
) -> None:
    import sys

    from reader.core.articles import html_extract

    monkeypatch.setattr(html_extract, "notices", [])
    monkeypatch.setitem(sys.modules, "trafilatura", None)  # "import trafilatura" fails
    window = make_window()
    page = tmp_path / "page.html"
    page.write_text(pages.news_page(), encoding="utf-8")
    dialog = window.show_add_article()
    dialog.link.setText(str(page))
    dialog.submit()
    qtbot.waitUntil(lambda: pages.TITLE in _titles(window), timeout=10_000)
    notice = (
        "web pages are read without trafilatura (trafilatura is missing: "
        "import of trafilatura halted; None in sys.modules)"
    )
    qtbot.waitUntil(lambda: window.last_message == notice, timeout=5_000)
    assert html_extract.notices == [notice]
    window.show_message("something else")
    page2 = tmp_path / "other.html"
    page2.write_text(pages.news_page().replace(pages.TITLE, "Villeurbanne ouvre trois crèches"),
                     encoding="utf-8")
    dialog.link.setText(str(page2))
    dialog.submit()
    qtbot.waitUntil(lambda: "Villeurbanne ouvre trois crèches" in _titles(window), timeout=10_000)
    assert window.last_message.startswith("Added: ")  # said once, not at every page
