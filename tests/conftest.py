"""Shared fixtures.

Every test runs with its own XDG data/cache/config directories, so nothing a test does
touches the developer's real packages, cache or settings, and tests cannot see each other.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

REPO_ROOT = Path(__file__).resolve().parent.parent
SEEDS_DIR = REPO_ROOT / "seeds"


@pytest.fixture(autouse=True)
def isolated_xdg(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, Path]:
    dirs = {}
    for variable, name in (
        ("XDG_DATA_HOME", "data"),
        ("XDG_CACHE_HOME", "cache"),
        ("XDG_CONFIG_HOME", "config"),
    ):
        path = tmp_path / "xdg" / name
        path.mkdir(parents=True)
        monkeypatch.setenv(variable, str(path))
        dirs[variable] = path
    # argostranslate reads its index URL from the environment; make sure no test
    # can reach a real index by accident.
    monkeypatch.setenv("ARGOS_PACKAGE_INDEX", "http://127.0.0.1:9/")
    return dirs


@pytest.fixture(autouse=True, scope="session")
def one_qt_application(qapp: object) -> object:
    """pytest-qt's QApplication, made first: code under test that needs Qt (the PDF export,
    the test kit's PDF drawing) then finds it, instead of making a QGuiApplication that
    the widget tests later in the same process could not use."""
    return qapp


@pytest.fixture(scope="session")
def seeds_dir() -> Path:
    return SEEDS_DIR


@pytest.fixture(scope="session")
def seed_paths() -> list[Path]:
    return sorted(SEEDS_DIR.glob("*.txt"))


@pytest.fixture(scope="session")
def bad_corpus(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Case name → path of every awkward file (built once per session, in a tmp dir)."""
    from tests.data.make_bad_corpus import make_bad_corpus

    return make_bad_corpus(tmp_path_factory.mktemp("bad_corpus"))


@pytest.fixture(scope="session")
def bad_corpus_dir(bad_corpus: dict[str, Path]) -> Path:
    return bad_corpus["empty"].parent


# -- Argos packages: hand-set and random models, installs, a loopback package index ------------
# The packages tests install by default are hand-set echo models (testkit.handset_package):
# a translation is its source after the tokenizer's normalization (``echo_text``), so tests can
# assert every word. Random-weight models (gibberish that never stops) are in
# ``random_packages``, for the tests where that is the point.

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

    from reader.core.models.store import InstalledPackage
    from tests.data.news_server import NewsServer


@pytest.fixture(scope="session")
def synthetic_packages(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Tiny real-format echo .argosmodel files, built once per run (well under a second each).

    Keys: "fr_en", "en_es", "fr_de" (all 1.0) and "fr_en-1.1"; "fr_en-x3" is fr→en 1.0 that
    says every piece three times (its answers outrun the first decoding limit).
    """
    from testkit.handset_package import build_echo_package, build_repeat_package

    out = tmp_path_factory.mktemp("argos-packages")
    return {
        "fr_en": build_echo_package(out, "fr", "en"),
        "en_es": build_echo_package(out, "en", "es"),
        "fr_de": build_echo_package(out, "fr", "de"),
        "fr_en-1.1": build_echo_package(out, "fr", "en", version="1.1", seed=1),
        "fr_en-x3": build_repeat_package(out / "x3", "fr", "en", repeat=3),
    }


@pytest.fixture(scope="session")
def random_packages(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Random-weight packages: gibberish that never emits ``</s>`` (worst cases, bad models).

    Keys: "fr_en", "en_es".
    """
    from testkit.synthetic_package import build_synthetic_package

    out = tmp_path_factory.mktemp("random-packages")
    return {
        "fr_en": build_synthetic_package(out, "fr", "en"),
        "en_es": build_synthetic_package(out, "en", "es"),
    }


@pytest.fixture(scope="session")
def echo(synthetic_packages: dict[str, Path]) -> Callable[[str], str]:
    """``echo(text)``: what the echo packages translate ``text`` to."""
    import zipfile

    from testkit.handset_package import echo_text

    with zipfile.ZipFile(synthetic_packages["fr_en"]) as archive:
        name = next(n for n in archive.namelist() if n.endswith("/sentencepiece.model"))
        model = archive.read(name)
    return lambda text: echo_text(text, model)


@pytest.fixture
def install_fr_en(
    synthetic_packages: dict[str, Path], isolated_xdg: dict[str, Path]
) -> InstalledPackage:
    """fr→en 1.0 installed in this test's own XDG data dir; returns the InstalledPackage."""
    from reader.core.models.store import install_package

    return install_package(synthetic_packages["fr_en"])


@pytest.fixture
def install_pivot(
    synthetic_packages: dict[str, Path], isolated_xdg: dict[str, Path]
) -> tuple[InstalledPackage, InstalledPackage]:
    """fr→en and en→es installed (fr→es goes through English); returns both packages."""
    from reader.core.models.store import install_package

    return (
        install_package(synthetic_packages["fr_en"]),
        install_package(synthetic_packages["en_es"]),
    )


class PackageIndexServer:
    """A loopback HTTP server: ``files`` maps URL paths (no leading slash) to bytes.

    ``url`` is the index base (what ARGOS_PACKAGE_INDEX holds); ``requests`` records every
    path asked for. Tests may add or replace files while it runs.
    """

    def __init__(self) -> None:
        import http.server
        import threading

        self.files: dict[str, bytes] = {}
        self.requests: list[str] = []
        server = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                name = self.path.lstrip("/")
                server.requests.append(name)
                body = server.files.get(name)
                if body is None:
                    self.send_error(404)
                    return
                self.send_response(200)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                # In pieces, so a client can give up half-way (cancellation tests).
                for start in range(0, len(body), 16 * 1024):
                    self.wfile.write(body[start : start + 16 * 1024])

            def log_message(self, format: str, *args: object) -> None:
                pass  # keep test output clean

        class Server(http.server.ThreadingHTTPServer):
            daemon_threads = True

            def handle_error(self, request: object, client_address: object) -> None:
                pass  # a client that hangs up mid-body (cancel) is expected, not an error

        self._httpd = Server(("127.0.0.1", 0), Handler)
        self.port = self._httpd.server_address[1]
        self.url = f"http://127.0.0.1:{self.port}/"
        # A short poll interval: shutdown() waits for the next poll (0.5 s by default).
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )
        self._thread.start()

    def link(self, name: str) -> str:
        return self.url + name

    def set_index(self, entries: list[dict[str, object]]) -> None:
        import json

        self.files["index.json"] = json.dumps(entries).encode()

    def close(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join(timeout=5)


@pytest.fixture
def package_index_server(
    synthetic_packages: dict[str, Path],
    isolated_xdg: dict[str, Path],
    monkeypatch: pytest.MonkeyPatch,
) -> Iterator[PackageIndexServer]:
    """A package index on 127.0.0.1 listing fr_en (first link dead, second good) and en_es.

    ARGOS_PACKAGE_INDEX points at it for the test; it shuts down afterwards.
    """
    server = PackageIndexServer()
    entries: list[dict[str, object]] = []
    for key, dead_first in (("fr_en", True), ("en_es", False)):
        file = synthetic_packages[key]
        server.files[file.name] = file.read_bytes()
        from_code, to_code = key.split("_")
        links = [server.link(file.name)]
        if dead_first:
            links.insert(0, server.link("gone/" + file.name))
        entries.append(
            {
                "package_version": "1.0",
                "argos_version": "1.9",
                "from_code": from_code,
                "from_name": {"fr": "French", "en": "English"}[from_code],
                "to_code": to_code,
                "to_name": {"en": "English", "es": "Spanish"}[to_code],
                "links": links,
            }
        )
    server.set_index(entries)
    monkeypatch.setenv("ARGOS_PACKAGE_INDEX", server.url)
    try:
        yield server
    finally:
        server.close()


@pytest.fixture
def news_server() -> Iterator[NewsServer]:
    """A loopback web server serving the saved news pages a test gives it."""
    from tests.data.news_server import NewsServer

    server = NewsServer()
    yield server
    server.close()
