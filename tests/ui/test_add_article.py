"""The add-article dialog, paste/drop sources and the folder watch, with real widgets."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, QUrl

from reader import paths
from reader.ui.dialogs.add_article import AddArticleDialog, ArticleAdder, sources_from_mime
from reader.ui.folder_watch import FolderWatch
from reader.ui.workers import WorkerThread
from tests.data import news_pages as pages
from tests.data.news_server import NewsServer


@pytest.fixture
def worker() -> Iterator[WorkerThread]:
    thread = WorkerThread("test-add")
    yield thread
    thread.shutdown()


@pytest.fixture
def dialog(qtbot, worker: WorkerThread) -> AddArticleDialog:  # type: ignore[no-untyped-def]
    adder = ArticleAdder(worker, timeout=0.5)
    shown = AddArticleDialog(adder)
    qtbot.addWidget(shown)
    shown.show()
    return shown


def _library() -> list[Path]:
    folder = paths.user_library_dir()
    return sorted(p for p in folder.rglob("*") if p.is_file()) if folder.exists() else []


def test_dialog_adds_a_link(qtbot, dialog: AddArticleDialog, news_server: NewsServer) -> None:  # type: ignore[no-untyped-def]
    url = news_server.page("/ecoles.html", pages.news_page().encode())
    dialog.link.setText(url)
    with qtbot.waitSignal(dialog.articleAdded, timeout=10_000) as added:
        assert dialog.submit()
    path = Path(added.args[0])
    assert path.parent == paths.user_library_dir() and path.is_file()
    assert dialog.status.text().startswith("Added: ")
    qtbot.waitUntil(lambda: dialog.add_button.isEnabled())
    assert not dialog.bar.isVisible() and not dialog.cancel_button.isEnabled()


def test_dialog_refuses_what_is_not_a_link(dialog: AddArticleDialog) -> None:
    dialog.link.setText("le monde point fr")
    assert not dialog.submit()
    assert dialog.status.text() == (
        "Enter a link starting with http:// or https://, a file's path or a file:// address"
    )


@pytest.mark.parametrize("as_address", [False, True], ids=["path", "file-url"])
def test_dialog_adds_a_local_file_as_the_add_command_does(  # type: ignore[no-untyped-def]
    qtbot, dialog, tmp_path: Path, as_address: bool
) -> None:
    from reader.core.library.user_folder import add

    page = tmp_path / "saved page.html"
    page.write_text(pages.news_page(), encoding="utf-8")
    dialog.link.setText(page.as_uri() if as_address else str(page))
    with qtbot.waitSignal(dialog.articleAdded, timeout=10_000) as added:
        assert dialog.submit()
    path = Path(added.args[0])
    assert path.parent == paths.user_library_dir() and path.suffix == ".md"
    assert dialog.status.text() == f"Added: {path.name}"
    # `bilingual-reader add FILE` finds the very same article: same key, same file.
    again = add(str(page))
    assert again.already and again.path == path
    assert [p.name for p in _library()] == sorted(
        [path.name, f"{path.stem[-12:]}.html", f"{path.stem[-12:]}.json"]
    )


def test_dialog_says_one_line_for_a_missing_file(qtbot, dialog, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    missing = tmp_path / "gone.html"
    dialog.link.setText(missing.as_uri())
    with qtbot.waitSignal(dialog.adder.failed, timeout=10_000):
        assert dialog.submit()
    assert dialog.status.text().startswith(f"Could not add the article: {missing}")
    assert "\n" not in dialog.status.text()
    assert _library() == []


def test_dialog_says_one_line_when_the_server_is_silent_and_can_cancel(qtbot, dialog) -> None:  # type: ignore[no-untyped-def]
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(4)
    try:
        dialog.link.setText(f"http://127.0.0.1:{listener.getsockname()[1]}/a")
        with qtbot.waitSignal(dialog.adder.failed, timeout=10_000):
            dialog.submit()
        assert dialog.status.text().startswith("Could not add the article:")
        assert "timed out" in dialog.status.text() and "\n" not in dialog.status.text()
        # Cancel while a fetch is under way: nothing is added, the dialog says so.
        dialog.link.setText(f"http://127.0.0.1:{listener.getsockname()[1]}/b")
        dialog.submit()
        assert dialog.cancel_button.isEnabled()
        with qtbot.waitSignal(dialog.adder.busyChanged, timeout=10_000):
            dialog.cancel_button.click()
        assert dialog.status.text().startswith(("Cancelled", "Could not"))
    finally:
        listener.close()
    assert _library() == []


def test_offline_is_one_clear_line(qtbot, dialog) -> None:  # type: ignore[no-untyped-def]
    dialog.link.setText("http://no-such-host.invalid/article")
    with qtbot.waitSignal(dialog.adder.failed, timeout=15_000):
        dialog.submit()
    assert dialog.status.text() == "Offline: the article could not be fetched (no network)."


def test_paste_and_drop_sources() -> None:
    dropped = QMimeData()
    dropped.setUrls([QUrl("https://example.org/a.html"), QUrl.fromLocalFile("/tmp/x.txt")])
    assert sources_from_mime(dropped) == ["https://example.org/a.html"]
    links = QMimeData()
    links.setText("https://example.org/a\nhttp://example.org/b\n")
    assert sources_from_mime(links) == ["https://example.org/a", "http://example.org/b"]
    text = QMimeData()
    text.setText("Un titre\n\n" + "Un paragraphe assez long pour être un article. " * 2)
    assert len(sources_from_mime(text)) == 1
    short = QMimeData()
    short.setText("deux mots")
    assert sources_from_mime(short) == []


def test_pasted_text_becomes_an_article(qtbot, worker: WorkerThread) -> None:  # type: ignore[no-untyped-def]
    adder = ArticleAdder(worker)
    with qtbot.waitSignal(adder.added, timeout=10_000) as added:
        adder.add_all(["Titre collé\n\nLe gouver\u00adnement a annoncé hier un nouveau plan."])
    assert Path(added.args[0]).suffix == ".txt"


def test_folder_watch_sees_new_files_and_subfolders(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    tmp_path = tmp_path / "articles"
    tmp_path.mkdir()
    watch = FolderWatch(settle_ms=50)
    watch.watch([tmp_path, tmp_path / "missing"])
    assert watch.folders() == [str(tmp_path)]
    with qtbot.waitSignal(watch.changed, timeout=5_000):
        (tmp_path / "new.txt").write_text("Titre\n\nCorps.", encoding="utf-8")
    with qtbot.waitSignal(watch.changed, timeout=5_000):
        (tmp_path / "sub").mkdir()
    assert str(tmp_path / "sub") in watch.folders()
    with qtbot.waitSignal(watch.changed, timeout=5_000):
        (tmp_path / "sub" / "deep.md").write_text("# Titre\n\nCorps.", encoding="utf-8")
    (tmp_path / ".hidden").mkdir()
    qtbot.wait(200)
    assert str(tmp_path / ".hidden") not in watch.folders()


def test_cancel_frees_the_adder_at_once_on_a_dripping_server(qtbot, worker) -> None:  # type: ignore[no-untyped-def]
    import time

    from tests.data import raw_server as raw

    server = raw.RawServer(raw.drip(raw.page_reply(b""), pages.news_page().encode(), most=600))
    adder = ArticleAdder(worker, timeout=30)  # a 90 s deadline: only Cancel can end it soon
    dialog = AddArticleDialog(adder)
    qtbot.addWidget(dialog)
    try:
        dialog.link.setText(server.url + "/slow.html")
        with qtbot.waitSignal(adder.progress, timeout=5_000):  # bytes are arriving
            dialog.submit()
        start = time.monotonic()
        with qtbot.waitSignal(adder.busyChanged, timeout=2_000) as ended:
            dialog.cancel_button.click()
        assert ended.args == [False] and time.monotonic() - start < 0.5
        assert dialog.add_button.isEnabled() and not adder.busy
        assert dialog.status.text() == "Cancelled; nothing was added."
    finally:
        server.close()
    assert _library() == []
