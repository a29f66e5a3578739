"""One window per user: a second launch hands its files over a real local socket."""

from __future__ import annotations

import os
import socket
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QDir, QProcess, QTimer
from PySide6.QtWidgets import QApplication, QWidget

from reader.core.library import load_library
from reader.ui import app as app_module
from reader.ui.main_window import MainWindow
from reader.ui.single_instance import InstanceServer, bring_to_front, hand_over, server_name

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def server(qtbot, tmp_path: Path):  # type: ignore[no-untyped-def]
    # A name of its own per test (the real one depends on XDG_DATA_HOME, isolated too).
    instance = InstanceServer(f"br-test-{os.getpid()}-{tmp_path.name}")
    assert instance.listen()
    yield instance
    instance.close()


def _hand_over_from_child(name: str, args: list[str], cwd: Path) -> QProcess:
    """A second process (as a second launch would be) handing ``args`` over; async, so
    this process's event loop keeps serving the socket."""
    process = QProcess()
    process.setWorkingDirectory(str(cwd))
    code = (
        "import sys\nfrom pathlib import Path\n"
        "from PySide6.QtCore import QCoreApplication\n"
        "from reader.ui.single_instance import hand_over\n"
        "app = QCoreApplication([])\n"
        "sys.exit(0 if hand_over([Path(a) for a in sys.argv[2:]], sys.argv[1]) else 3)\n"
    )
    process.start(sys.executable, ["-c", code, name, *args])
    return process


def test_second_process_hands_its_paths_over(qtbot, server: InstanceServer,
                                             tmp_path: Path) -> None:
    process = _hand_over_from_child(server.name, ["a.txt", str(tmp_path / "b")], tmp_path)
    with qtbot.waitSignal(server.pathsReceived, timeout=30_000) as received:
        pass
    # Relative paths were made absolute in the sender's working directory.
    assert received.args[0] == [tmp_path / "a.txt", tmp_path / "b"]
    qtbot.waitUntil(lambda: process.state() == QProcess.ProcessState.NotRunning,
                    timeout=30_000)
    assert process.exitCode() == 0  # the server replied: the second launch exits


def test_nobody_listening_means_open_a_window(qapp) -> None:  # type: ignore[no-untyped-def]
    assert hand_over([Path("x.txt")], name=f"br-nobody-{os.getpid()}", timeout_ms=500) is False


def test_stale_socket_of_a_crashed_instance_is_replaced(qtbot, tmp_path: Path) -> None:
    name = f"br-stale-{os.getpid()}"
    stale = Path(QDir.tempPath()) / name
    # What a crash leaves: a bound socket file nobody listens on.
    leftover = socket.socket(socket.AF_UNIX)
    leftover.bind(str(stale))
    leftover.close()
    try:
        assert hand_over([], name=name, timeout_ms=500) is False
        instance = InstanceServer(name)
        assert instance.listen()
        process = _hand_over_from_child(name, [], tmp_path)
        with qtbot.waitSignal(instance.pathsReceived, timeout=30_000) as received:
            pass
        assert received.args[0] == []  # no files: only "bring the window forward"
        qtbot.waitUntil(lambda: process.state() == QProcess.ProcessState.NotRunning,
                        timeout=30_000)
        instance.close()
    finally:
        stale.unlink(missing_ok=True)


def test_garbage_is_ignored_and_the_server_keeps_working(qtbot, server: InstanceServer,
                                                         tmp_path: Path) -> None:
    client = socket.socket(socket.AF_UNIX)
    client.connect(str(Path(QDir.tempPath()) / server.name))
    client.sendall(b"\xff not json\n")
    received: list[list[Path]] = []
    server.pathsReceived.connect(received.append)
    process = _hand_over_from_child(server.name, ["c.txt"], tmp_path)
    qtbot.waitUntil(lambda: bool(received), timeout=30_000)
    client.close()
    assert received == [[tmp_path / "c.txt"]]
    qtbot.waitUntil(lambda: process.state() == QProcess.ProcessState.NotRunning,
                    timeout=30_000)


def test_name_is_per_user_and_per_data_folder(isolated_xdg: dict[str, Path],
                                              monkeypatch: pytest.MonkeyPatch,
                                              tmp_path: Path) -> None:
    first = server_name()
    assert str(os.getuid()) in first
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "other"))
    assert server_name() != first


def test_bring_to_front_restores_a_minimized_window(qtbot) -> None:  # type: ignore[no-untyped-def]
    window = QWidget()
    qtbot.addWidget(window)
    window.showMinimized()
    bring_to_front(window)
    assert window.isVisible() and not window.isMinimized()


def _article(folder: Path, name: str, title: str) -> Path:
    path = folder / name
    path.write_text(
        f"{title}\n\nLe conseil municipal a voté mardi soir un nouveau budget pour la ville. "
        "Les habitants pourront donner leur avis lors d'une réunion publique.\n\n"
        "Le maire a promis de répondre à toutes les questions avant la fin du mois.\n",
        encoding="utf-8",
    )
    return path


def test_launch_opens_the_file_and_a_second_launch_hands_its_file_over(
    qapp, tmp_path: Path  # type: ignore[no-untyped-def]
) -> None:
    """``bilingual-reader FILE`` end to end: the window opens on FILE (its title in the
    window title, added to the samples); ``bilingual-reader OTHER`` run as a second
    process hands OTHER to this window, which opens it, and exits 0."""
    first = _article(tmp_path, "premier.txt", "Le premier article du lecteur")
    second = _article(tmp_path, "second.txt", "Un second article envoyé par le bureau")
    titles = {p: load_library([p])[0].display_title for p in (first, second)}
    steps: list[str] = []
    launcher = QProcess()
    launcher.setWorkingDirectory(str(tmp_path))

    def window() -> MainWindow | None:
        found = [w for w in QApplication.topLevelWidgets()
                 if isinstance(w, MainWindow) and w.isVisible()]
        return found[0] if found else None

    def poll() -> None:
        shown = window()
        if shown is None:
            QTimer.singleShot(20, poll)
            return
        if not steps and shown.windowTitle() == f"{titles[first]} — Bilingual Reader":
            steps.append(f"opened first; {shown.library.model.rowCount()} rows")
            launcher.start(sys.executable, ["-m", "reader", second.name])
        elif len(steps) == 1 and shown.windowTitle() == f"{titles[second]} — Bilingual Reader":
            launcher.waitForFinished(30_000)
            rows = shown.library.model.rowCount()
            steps.append(f"opened second; launcher exit {launcher.exitCode()}; {rows} rows")
            shown.close()
            return
        QTimer.singleShot(20, poll)

    def give_up() -> None:
        steps.append("timed out")
        if window() is not None:
            window().close()  # type: ignore[union-attr]

    QTimer.singleShot(0, poll)
    # An object, stopped afterwards: a pending single-shot would fire in a later test.
    deadline = QTimer()
    deadline.setSingleShot(True)
    deadline.timeout.connect(give_up)
    deadline.start(60_000)
    try:
        assert app_module.run([first]) == 0
    finally:
        deadline.stop()
    assert steps == ["opened first; 6 rows", "opened second; launcher exit 0; 7 rows"], steps
