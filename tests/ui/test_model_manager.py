"""The model manager: offline index, download with progress and cancel, install from file."""

from __future__ import annotations

from PySide6.QtCore import Qt

from tests.ui.conftest import wait_translated


def test_offline_index_is_a_clear_message_not_a_crash(make_window, qtbot):
    window = make_window()
    dialog = window.open_model_manager()
    assert dialog.installed_list.topLevelItemCount() == 0
    assert "No model installed" in dialog.status.text()
    qtbot.mouseClick(dialog.fetch_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "offline" in dialog.status.text(), timeout=15_000)
    # One line for people: no address, no "[Errno 111] Connection refused".
    assert dialog.status.text() == "Can't reach the model index (offline?)"
    qtbot.waitUntil(dialog.fetch_button.isEnabled)
    assert dialog.available_list.topLevelItemCount() == 0


def test_download_installs_and_the_article_gets_translated(
    make_window, qtbot, package_index_server
):
    window = make_window()
    qtbot.waitUntil(window.pane.no_model_shown)
    dialog = window.open_model_manager()
    qtbot.mouseClick(dialog.fetch_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.available_list.topLevelItemCount() == 2, timeout=15_000)
    pairs = [dialog.available_list.topLevelItem(i).text(1) for i in range(2)]
    dialog.available_list.setCurrentItem(dialog.available_list.topLevelItem(pairs.index("fr→en")))
    qtbot.waitUntil(dialog.download_button.isEnabled)
    with qtbot.waitSignal(window.model_tasks.packagesChanged, timeout=15_000):
        qtbot.mouseClick(dialog.download_button, Qt.MouseButton.LeftButton)
    assert dialog.installed_list.topLevelItemCount() == 1
    assert dialog.installed_list.topLevelItem(0).text(1) == "fr→en"
    assert "Installed" in dialog.status.text()
    dialog.close()
    wait_translated(qtbot, window)
    assert not window.pane.no_model_shown()
    assert all(t is not None for t in window.pane.view.translations())


def test_cancelled_download_installs_nothing(make_window, qtbot, package_index_server):
    window = make_window()
    dialog = window.open_model_manager()
    tasks_worker = window.tasks_worker.worker

    def cancel_on_progress(job_id: int, done: int, total: int) -> None:
        tasks_worker.cancel(job_id)  # on the worker thread, between two chunks

    tasks_worker.progress.connect(cancel_on_progress, Qt.ConnectionType.DirectConnection)
    with qtbot.waitSignal(window.model_tasks.busyChanged, timeout=15_000,
                          check_params_cb=lambda busy: not busy):
        window.model_tasks.download("fr_en")
    tasks_worker.progress.disconnect(cancel_on_progress)
    assert dialog.status.text() == "Download cancelled."
    assert dialog.installed_list.topLevelItemCount() == 0
    assert not dialog.progress.isVisible()


def test_install_from_file_and_a_bad_file(make_window, qtbot, synthetic_packages, tmp_path):
    window = make_window()
    bad = tmp_path / "broken.argosmodel"
    bad.write_bytes(b"not a zip")
    messages: list[str] = []
    window.model_tasks.message.connect(lambda text, error: messages.append(text))
    with qtbot.waitSignal(window.model_tasks.packagesChanged, timeout=15_000):
        window.model_tasks.install_files([bad, synthetic_packages["en_es"]])
    assert any(m.startswith("Cannot install broken.argosmodel") for m in messages)
    assert any("English → Spanish" in m for m in messages)
    dialog = window.open_model_manager()
    assert dialog.installed_list.topLevelItemCount() == 1
