"""Fixtures for the LibreTranslate tests: the venv (skip with the reason when it is not
there), echo packages both ways, a shared plain server for the session, and a factory for
servers with limits or keys (each its own process, stopped at the end)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.server.lt_process import LibreTranslateServer, Unavailable, find_python


@pytest.fixture(scope="session")
def lt_python() -> Path:
    try:
        return find_python()
    except Unavailable as reason:
        pytest.skip(str(reason))


@pytest.fixture(scope="session")
def lt_packages(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    from testkit.handset_package import build_echo_package

    out = tmp_path_factory.mktemp("lt-packages")
    return [build_echo_package(out, "fr", "en"), build_echo_package(out, "en", "fr")]


StartServer = Callable[..., LibreTranslateServer]


@pytest.fixture(scope="session")
def start_lt(
    lt_python: Path, lt_packages: list[Path], tmp_path_factory: pytest.TempPathFactory
) -> Iterator[StartServer]:
    started: list[LibreTranslateServer] = []

    def start(*args: str, keys: dict[str, str] | None = None) -> LibreTranslateServer:
        root = tmp_path_factory.mktemp("lt-server")
        try:
            server = LibreTranslateServer(lt_python, root, lt_packages, args=args, keys=keys)
        except Unavailable as reason:
            pytest.skip(str(reason))
        started.append(server)
        return server

    yield start
    for server in started:
        server.stop()


@pytest.fixture(scope="session")
def lt_server(start_lt: StartServer) -> LibreTranslateServer:
    """A plain server (no limits, no keys), shared by the session's tests."""
    return start_lt()
