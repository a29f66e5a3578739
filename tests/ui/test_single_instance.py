"""One window per user: a second launch hands its files over a real local socket."""

from __future__ import annotations

import os
import shutil
import socket
import stat
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from PySide6.QtCore import QDir, QProcess, QTimer
from PySide6.QtWidgets import QApplication, QWidget

from reader.core.library.listing import load_library
from reader.ui import app as app_module
from reader.ui.single_instance import InstanceServer, bring_to_front, hand_over, server_name
from reader.ui.window.shell import MainWindow
from tests.other_user import other_user, run_as

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
    monkeypatch.delenv("XDG_RUNTIME_DIR", raising=False)
    first = server_name()
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "other"))
    assert server_name() != first


def test_the_socket_lives_in_a_private_folder(isolated_xdg: dict[str, Path],
                                              monkeypatch: pytest.MonkeyPatch,
                                              tmp_path: Path) -> None:
    old_umask = os.umask(0)
    cache = Path(tempfile.mkdtemp(dir="/tmp"))
    try:
        # No XDG_RUNTIME_DIR: a 0700 folder of the user's in the cache folder (short
        # enough for a socket's path; a test's tmp_path is not).
        monkeypatch.delenv("XDG_RUNTIME_DIR", raising=False)
        monkeypatch.setenv("XDG_CACHE_HOME", str(cache))
        name = Path(server_name())
        assert name.parent == cache / "bilingual-reader" / "instance"
        assert stat.S_IMODE(name.parent.stat().st_mode) == 0o700
        assert stat.S_IMODE(name.parent.parent.stat().st_mode) == 0o700
        # A private runtime folder is used as it is.
        runtime = tmp_path / "run"
        runtime.mkdir(mode=0o700)
        monkeypatch.setenv("XDG_RUNTIME_DIR", str(runtime))
        assert Path(server_name()).parent == runtime
        # One that others may enter is not trusted with the socket.
        runtime.chmod(0o755)
        assert Path(server_name()).parent == name.parent
        # Too long a path for a socket: a private folder of the user's in /tmp.
        monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / ("long" * 20)))
        folder = Path(server_name()).parent
        assert folder == Path("/tmp") / f"bilingual-reader-{os.geteuid()}"
        assert folder.stat().st_uid == os.geteuid()
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    finally:
        os.umask(old_umask)
        shutil.rmtree(cache, ignore_errors=True)


# A listener of another user's: answers "ok" to anything, then prints what it was sent.
SQUATTER = """
import os, socket, sys
path = sys.argv[1]
server = socket.socket(socket.AF_UNIX)
server.bind(path)
os.chmod(path, 0o777)
server.listen(4)
print("listening", flush=True)
server.settimeout(float(sys.argv[2]))
got = b""
try:
    peer, _ = server.accept()
    peer.settimeout(2)
    try:
        while chunk := peer.recv(65536):
            got += chunk
            peer.sendall(b"ok\\n")
    except (socket.timeout, OSError):
        pass
except socket.timeout:
    pass
print(repr(got), flush=True)
"""


@pytest.fixture
def shared_folder() -> Path:
    """A sticky world-writable folder, as /tmp is, that both users can reach."""
    folder = Path(tempfile.mkdtemp(prefix="br-shared-", dir="/tmp"))
    folder.chmod(0o1777)
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


def _squat(path: Path, wait_s: float = 15) -> subprocess.Popen[bytes]:
    squatter = run_as(other_user(), SQUATTER, str(path), str(wait_s))
    assert squatter.stdout is not None
    assert squatter.stdout.readline() == b"listening\n"
    return squatter


def test_a_launch_sends_nothing_to_another_users_listener(qapp, shared_folder: Path) -> None:  # type: ignore[no-untyped-def]
    squatter = _squat(shared_folder / "squatted")
    assert hand_over([Path("/home/victim/secret.txt")], name=str(shared_folder / "squatted"),
                     timeout_ms=2000) is False  # the launch opens its own window
    out, _ = squatter.communicate(timeout=30)
    assert out.splitlines()[-1] == b"b''"  # not a byte of the paths


def test_a_squatted_runtime_folder_is_not_used(qapp, shared_folder: Path,  # type: ignore[no-untyped-def]
                                               isolated_xdg: dict[str, Path],
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    """Another user's XDG_RUNTIME_DIR (set by mistake or malice), with a listener at the
    very name the app would use there: the launch finds no window, sends nothing, and its
    own window listens in the user's private folder."""
    user = other_user()
    runtime = shared_folder / "run"
    runtime.mkdir(mode=0o700)
    os.chown(runtime, user.pw_uid, user.pw_gid)
    monkeypatch.delenv("XDG_RUNTIME_DIR", raising=False)
    leaf = Path(server_name()).name
    squatter = _squat(runtime / leaf, wait_s=3)
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(runtime))
    assert not server_name().startswith(str(runtime))
    assert hand_over([Path("/home/victim/secret.txt")], timeout_ms=2000) is False
    instance = InstanceServer()
    assert instance.listen()  # the launch's own window
    instance.close()
    out, _ = squatter.communicate(timeout=30)
    assert out.splitlines()[-1] == b"b''"


# Another user's launch: sends paths, prints the reply it got.
INTRUDER = """
import socket, sys
client = socket.socket(socket.AF_UNIX)
client.connect(sys.argv[1])
client.settimeout(3)
try:  # the window may hang up first: nothing can be sent then, nothing comes back
    client.sendall(b'{"paths": ["/tmp/planted.txt"]}\\n')
    reply = client.recv(100)
except (socket.timeout, OSError):
    reply = b""
print(repr(reply), flush=True)
"""


def test_the_window_ignores_another_users_connection(qtbot, shared_folder: Path) -> None:  # type: ignore[no-untyped-def]
    instance = InstanceServer(str(shared_folder / "window"))
    assert instance.listen()
    (shared_folder / "window").chmod(0o777)  # as if the socket's mode did not protect it
    received: list[list[Path]] = []
    instance.pathsReceived.connect(received.append)
    intruder = run_as(other_user(), INTRUDER, str(shared_folder / "window"))
    qtbot.waitUntil(lambda: intruder.poll() is not None, timeout=30_000)
    out, _ = intruder.communicate()
    instance.close()
    assert out.splitlines()[-1] == b"b''"  # no "ok": the paths were not taken
    assert received == []


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
