"""First run: one click downloads the model the article needs (real loopback index)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from reader.core.models.store import installed_packages
from reader.ui.dialogs.model_manager import ModelTasks
from reader.ui.panels.first_run import ModelOffer
from reader.ui.workers import WorkerThread
from tests.ui.conftest import wait_translated


@pytest.fixture
def tasks_thread() -> Iterator[WorkerThread]:
    thread = WorkerThread("tasks")
    yield thread
    thread.shutdown()


@pytest.fixture
def tasks(tasks_thread: WorkerThread) -> ModelTasks:
    return ModelTasks(tasks_thread)


@pytest.fixture
def offer(qtbot, tasks: ModelTasks) -> ModelOffer:  # type: ignore[no-untyped-def]
    widget = ModelOffer(tasks)
    qtbot.addWidget(widget)
    widget.show()
    return widget


def _downloads(tasks: ModelTasks) -> list[tuple[int, int]]:
    seen: list[tuple[int, int]] = []
    tasks.downloadProgress.connect(lambda done, total: seen.append((done, total)))
    return seen


def test_one_click_downloads_and_installs_the_pair(qtbot, offer: ModelOffer, tasks: ModelTasks,
                                                   package_index_server) -> None:
    offer.offer("fr", "en")
    assert offer.download_button.text() == "Download French → English"
    assert offer.file_button.isVisible() and not offer.cancel_button.isVisible()
    seen = _downloads(tasks)
    with qtbot.waitSignal(tasks.packagesChanged, timeout=30_000):
        qtbot.mouseClick(offer.download_button, Qt.MouseButton.LeftButton)
        assert offer.cancel_button.isVisible() and offer.progress.isVisible()
    assert [p.code for p in installed_packages()] == ["translate-fr_en"]
    # Progress in bytes, against the size the server announced.
    size = len(package_index_server.files["translate-fr_en-1_0.argosmodel"])
    assert seen and seen[-1] == (size, size)
    assert offer.status.text().startswith("Installed French → English")
    qtbot.waitUntil(lambda: not offer.is_downloading())
    assert offer.download_button.isVisible() and not offer.cancel_button.isVisible()


def test_cancel_stops_the_download_and_installs_nothing(
    qtbot, offer: ModelOffer, tasks: ModelTasks, tasks_thread: WorkerThread,
    package_index_server,
) -> None:
    offer.offer("fr", "en")
    worker = tasks_thread.worker
    # Cancel from the worker thread at the first chunk, so it lands mid-download however
    # fast the loopback server is (the button calls the same cancel_download()).
    worker.progress.connect(lambda *_: tasks.cancel_download(),
                            Qt.ConnectionType.DirectConnection)
    qtbot.mouseClick(offer.download_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not offer.is_downloading(), timeout=30_000)
    assert offer.status.text() == "Download cancelled."
    assert installed_packages() == []
    assert offer.download_button.isVisible()


def test_cancel_button_is_wired(qtbot, offer: ModelOffer, package_index_server) -> None:
    offer.offer("fr", "en")
    qtbot.mouseClick(offer.download_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(offer.cancel_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not offer.is_downloading(), timeout=30_000)
    # Either the click beat the (fast, loopback) download or it came too late; both end
    # in a consistent state with a clear line.
    text = offer.status.text()
    assert text == "Download cancelled." or text.startswith("Installed French → English")
    assert (installed_packages() == []) == (text == "Download cancelled.")


def test_offline_is_one_clear_line_and_keeps_the_file_choice(qtbot, offer: ModelOffer) -> None:
    # tests/conftest.py points ARGOS_PACKAGE_INDEX at a closed loopback port.
    offer.offer("fr", "en")
    qtbot.mouseClick(offer.download_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not offer.is_downloading(), timeout=30_000)
    assert offer.status.text().startswith("Offline: cannot reach the model index.")
    assert "\n" not in offer.status.text()
    assert offer.file_button.isVisible() and offer.download_button.isVisible()


def test_install_from_file(qtbot, offer: ModelOffer, tasks: ModelTasks,
                           synthetic_packages: dict[str, Path]) -> None:
    offer.offer("fr", "en")
    with qtbot.waitSignal(tasks.packagesChanged, timeout=30_000):
        offer.install_files([synthetic_packages["fr_en"]])
    assert [p.code for p in installed_packages()] == ["translate-fr_en"]


def test_another_pair_resets_the_offer(offer: ModelOffer) -> None:
    offer.offer("fr", "en")
    offer.status.setText("something from before")
    offer.offer("de", "en")
    assert offer.download_button.text() == "Download German → English"
    assert offer.status.text() == ""


def test_window_first_run_one_click_then_reads_side_by_side(make_window, qtbot,
                                                            package_index_server) -> None:
    window = make_window()
    qtbot.waitUntil(window.pane.no_model_shown)
    offer = window.model_offer
    assert offer.isVisible() and offer.download_button.text() == "Download French → English"
    with qtbot.waitSignal(window.model_tasks.packagesChanged, timeout=30_000):
        qtbot.mouseClick(offer.download_button, Qt.MouseButton.LeftButton)
    wait_translated(qtbot, window)
    assert not window.pane.no_model_shown()
    assert not offer.isVisible()
