"""A real LibreTranslate 1.9.6, started on 127.0.0.1 from its own venv, with hand-set echo
packages (fr→en and en→fr: with two packages it never fetches the model index at boot).

LibreTranslate is AGPL: it runs as a separate process only; we talk HTTP to it.

Its sentence splitter (MiniSBD) would download a French model on the first translation (a
failure offline). Each package here carries ``minisbd/nosplit.onnx`` (beside this file,
683 bytes, made by ``make_nosplit_onnx.py`` beside it, which needs the ``onnx``
package: committed, so the tests do not): a
MiniSBD model that never splits, which MiniSBD prefers to the download. We send one
sentence per ``q`` item anyway, so it is what we want the server to do.

The venv: ``$BILINGUAL_READER_LT_VENV``, else ``.lt-venv`` in the checkout (ignored by git;
``.ci/run`` makes it: ``python3 -m venv .lt-venv && .lt-venv/bin/pip install
libretranslate==1.9.6``). With ``BILINGUAL_READER_LT_INSTALL=1`` the fixture makes it itself
when it is missing (about 3 minutes with pip's cache warm).
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import time
import urllib.request
import zipfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO_ROOT = HERE.parent.parent
NOSPLIT_ONNX = HERE / "nosplit.onnx"
LT_VERSION = "1.9.6"
START_TIMEOUT = 60.0


class Unavailable(Exception):
    """LibreTranslate cannot be used here; ``str()`` is the reason to skip with."""


def venv_dir() -> Path:
    configured = os.environ.get("BILINGUAL_READER_LT_VENV")
    return Path(configured) if configured else REPO_ROOT / ".lt-venv"


def find_python() -> Path:
    """The LibreTranslate venv's python (made when BILINGUAL_READER_LT_INSTALL=1)."""
    venv = venv_dir()
    python = venv / "bin" / "python"
    if not python.exists() and os.environ.get("BILINGUAL_READER_LT_INSTALL") == "1":
        try:
            subprocess.run(["python3", "-m", "venv", str(venv)], check=True,
                           capture_output=True, timeout=120)
            subprocess.run([str(python), "-m", "pip", "install", "-q",
                            f"libretranslate=={LT_VERSION}"], check=True,
                           capture_output=True, timeout=900)
        except (OSError, subprocess.SubprocessError) as error:
            raise Unavailable(f"cannot install LibreTranslate {LT_VERSION} in {venv}: "
                              f"{error}") from None
    if not python.exists():
        raise Unavailable(
            f"LibreTranslate {LT_VERSION} is not installed in {venv} (python3 -m venv "
            f".lt-venv && .lt-venv/bin/pip install libretranslate=={LT_VERSION}, or set "
            "BILINGUAL_READER_LT_VENV)")
    probe = subprocess.run(
        [str(python), "-c", "import importlib.metadata as m; print(m.version('libretranslate'))"],
        capture_output=True, text=True, timeout=60)
    if probe.returncode != 0 or probe.stdout.strip() != LT_VERSION:
        raise Unavailable(f"{venv} has no LibreTranslate {LT_VERSION} "
                          f"({(probe.stdout or probe.stderr).strip()[-200:]})")
    return python


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class LibreTranslateServer:
    """One server process in its own folder (packages, XDG folders, key DB, log)."""

    def __init__(self, python: Path, root: Path, packages: list[Path], *,
                 args: tuple[str, ...] = (), keys: dict[str, str] | None = None) -> None:
        """``keys``: API key → "REQ_LIMIT" or "REQ_LIMIT:CHAR_LIMIT" (in its key DB)."""
        self.python = python
        self.root = root
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = root / "server.log"
        pkgdir = root / "packages"
        pkgdir.mkdir(parents=True, exist_ok=True)
        for archive in packages:
            with zipfile.ZipFile(archive) as package:
                package.extractall(pkgdir)  # our own archives
                top = package.namelist()[0].split("/")[0]
            (pkgdir / top / "minisbd").mkdir(exist_ok=True)
            shutil.copy(NOSPLIT_ONNX, pkgdir / top / "minisbd" / "nosplit.onnx")
        self.env = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "HOME": str(root),
            "XDG_DATA_HOME": str(root / "data"),
            "XDG_CONFIG_HOME": str(root / "config"),
            "XDG_CACHE_HOME": str(root / "cache"),
            "ARGOS_PACKAGES_DIR": str(pkgdir),
            "PYTHONUNBUFFERED": "1",
        }
        command = [str(python), "-m", "libretranslate.main", "--host", "127.0.0.1",
                   "--port", str(self.port), "--load-only", "fr,en", "--disable-web-ui",
                   *args]
        if keys is not None:
            database = root / "db" / "api_keys.db"
            database.parent.mkdir(exist_ok=True)
            script = ("import sys\nfrom libretranslate.api_keys import Database\n"
                      "db = Database(sys.argv[1])\n"
                      "for pair in sys.argv[2:]:\n"
                      "    key, limits = pair.rsplit('=', 1)\n"
                      "    req, _, chars = limits.partition(':')\n"
                      "    db.add(int(req), key, int(chars) if chars else None)\n")
            subprocess.run([str(python), "-c", script, str(database),
                            *(f"{key}={limit}" for key, limit in keys.items())],
                           check=True, cwd=root, env=self.env, capture_output=True, timeout=60)
            command += ["--api-keys", "--api-keys-db-path", str(database)]
        self._log = open(self.log, "wb")  # noqa: SIM115 (closed in stop)
        self.process = subprocess.Popen(command, cwd=root, env=self.env, stdout=self._log,
                                        stderr=subprocess.STDOUT)
        self._wait_ready()

    def _wait_ready(self) -> None:
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                tail = self.log.read_text(errors="replace")[-600:]
                self.stop()
                raise Unavailable(f"LibreTranslate exited ({self.process.returncode}): {tail}")
            try:
                with urllib.request.urlopen(self.url + "/languages", timeout=2) as reply:
                    reply.read()
                return
            except OSError:
                time.sleep(0.1)
        self.stop()
        raise Unavailable(f"LibreTranslate did not answer within {START_TIMEOUT:.0f} s")

    def kill(self) -> None:
        """The server goes away at once (SIGKILL), as a crashed or unplugged one would."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait(timeout=30)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.kill()
        self._log.close()
