"""Network I/O under hostile servers: dripping replies, cancel, encodings, malformed replies.

Every server is a real socket on 127.0.0.1 (tests/data/raw_server.py) answering with exactly
the bytes a test chooses; the fetch under test is the real one.
"""

from __future__ import annotations

import gzip
import json
import socket
import threading
import time
import zlib
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from reader import paths
from reader.cli import main
from reader.core.library import fetch
from reader.core.library.fetch import FetchError, fetch_page
from reader.core.models.store import PackageError, fetch_index
from tests.data import news_pages as pages
from tests.data import raw_server as raw
from tests.data.raw_server import RawServer

TIMEOUT = 0.4  # per wait; the whole fetch ends at DEADLINE_FACTOR × this
DEADLINE = fetch.DEADLINE_FACTOR * TIMEOUT
MARGIN = 1.0  # scheduling slack on a loaded 2-core machine
PAGE = pages.news_page().encode()


@pytest.fixture
def serve() -> Iterator[Callable[..., str]]:
    servers: list[RawServer] = []

    def start(answer: raw.Answer, read_request: bool = True) -> str:
        server = RawServer(answer, read_request=read_request)
        servers.append(server)
        return server.url + "/article.html"

    yield start
    for server in servers:
        server.close()


# -- deadline ------------------------------------------------------------------------------

DRIPS = {
    "status line": raw.drip(b"", raw.page_reply(PAGE)),
    "headers": raw.drip(b"HTTP/1.1 200 OK\r\n", b"X-Slow: " + b"a" * 1000 + b"\r\n"),
    "body without a length": raw.drip(raw.page_reply(b""), PAGE),
    "body with a length": raw.drip(raw.page_reply(b"", f"Content-Length: {len(PAGE)}"), PAGE),
}


@pytest.mark.parametrize("part", list(DRIPS))
def test_a_dripping_server_is_cut_off_at_the_deadline(serve, part: str) -> None:  # type: ignore[no-untyped-def]
    url = serve(DRIPS[part])  # one byte every 50 ms: no single read ever times out
    start = time.monotonic()
    with pytest.raises(FetchError) as failed:
        fetch_page(url, timeout=TIMEOUT)
    took = raw.elapsed(start)
    assert str(failed.value) == f"cannot reach {url}: timed out"
    assert DEADLINE - 0.1 < took < DEADLINE + MARGIN


def test_the_package_index_has_the_same_deadline(serve, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    url = serve(raw.drip(raw.page_reply(b"", "Content-Type: application/json"), b"[" * 2000))
    monkeypatch.setenv("ARGOS_PACKAGE_INDEX", url.rsplit("/", 1)[0] + "/")
    start = time.monotonic()
    with pytest.raises(PackageError, match="Can't reach the model index") as refused:
        fetch_index(timeout=TIMEOUT)
    assert raw.elapsed(start) < DEADLINE + MARGIN
    assert refused.value.details.endswith("timed out")


def test_cancel_from_another_thread_ends_the_fetch_at_once(serve) -> None:  # type: ignore[no-untyped-def]
    url = serve(raw.drip(raw.page_reply(b""), PAGE))
    stop = threading.Event()
    threading.Timer(0.3, stop.set).start()
    start = time.monotonic()
    with pytest.raises(FetchError, match=r"^cancelled$"):
        fetch_page(url, timeout=30, cancelled=stop.is_set)  # a 90 s deadline
    assert raw.elapsed(start) < 0.3 + 0.5


def test_cancel_stops_a_connect_that_hangs() -> None:
    # A listener whose backlog is full: the kernel drops further SYNs, connect() hangs.
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(0)
    fillers = []
    try:
        for _ in range(4):
            filler = socket.socket()
            filler.setblocking(False)
            filler.connect_ex(listener.getsockname())
            fillers.append(filler)
        stop = threading.Event()
        threading.Timer(0.3, stop.set).start()
        start = time.monotonic()
        with pytest.raises(FetchError, match=r"^cancelled$"):
            fetch_page(f"http://127.0.0.1:{listener.getsockname()[1]}/", timeout=30,
                       cancelled=stop.is_set)
        assert raw.elapsed(start) < 0.3 + 0.5
    finally:
        for filler in fillers:
            filler.close()
        listener.close()


# -- encodings -----------------------------------------------------------------------------

ENCODED = {
    "gzip": gzip.compress(PAGE),
    "deflate": zlib.compress(PAGE),
    "deflate-raw": zlib.compress(PAGE)[2:-4],  # what some servers send as "deflate"
}


@pytest.mark.parametrize("name", list(ENCODED))
def test_gzip_and_deflate_bodies_are_decoded(serve, name: str) -> None:  # type: ignore[no-untyped-def]
    body = ENCODED[name]
    encoding = name.split("-")[0]
    url = serve(raw.send(raw.page_reply(
        body, f"Content-Encoding: {encoding}", f"Content-Length: {len(body)}")))
    page = fetch_page(url, timeout=5)
    assert page.data == PAGE
    assert pages.TITLE in page.text


def test_a_gzip_bomb_is_refused_in_one_line(serve) -> None:  # type: ignore[no-untyped-def]
    bomb = gzip.compress(b"\0" * (200 * 1024 * 1024), compresslevel=9)  # 200 MB in ~200 kB
    url = serve(raw.send(raw.page_reply(bomb, "Content-Encoding: gzip")))
    with pytest.raises(FetchError) as failed:
        fetch_page(url, timeout=5)
    assert str(failed.value) == f"{url}: page too large (over 8 MB)"


@pytest.mark.parametrize(
    ("encoding", "body", "message"),
    [
        ("gzip", b"not gzip at all", "damaged gzip data"),
        ("gzip", gzip.compress(PAGE)[:200], "truncated gzip data"),
        ("br", b"\x0b\x02\x80hello", "unsupported content encoding (br)"),
        ("gzip, gzip", gzip.compress(gzip.compress(PAGE)), "unsupported content encoding"),
    ],
)
def test_a_body_we_cannot_decode_is_refused_not_stored(serve, encoding, body, message) -> None:  # type: ignore[no-untyped-def]
    url = serve(raw.send(raw.page_reply(body, f"Content-Encoding: {encoding}")))
    with pytest.raises(FetchError) as failed:
        fetch_page(url, timeout=5)
    assert str(failed.value).startswith(f"{url}: {message}")


# -- malformed replies: one line naming the link, the next link still added -----------------

def _many_headers() -> bytes:
    return raw.page_reply(PAGE, *(f"X-H{i}: {i}" for i in range(150)))


MALFORMED: dict[str, Callable[[Callable[..., str]], tuple[str, str]]] = {
    "over 100 headers": lambda serve: (serve(raw.send(_many_headers())),
                                       "not valid HTTP (got more than 100 headers)"),
    "a bad status line": lambda serve: (serve(raw.send(b"HTTP/1.1 two hundred\r\n\r\n")),
                                        "not valid HTTP"),
    "a header line too long": lambda serve: (
        serve(raw.send(b"HTTP/1.1 200 OK\r\nX-Long: " + b"a" * 70_000 + b"\r\n\r\n")),
        "not valid HTTP"),
    "a truncated body": lambda serve: (
        serve(raw.send(raw.page_reply(PAGE[:100], f"Content-Length: {len(PAGE)}"))),
        "the server closed the connection before sending everything it announced"),
    "no reply": lambda serve: (serve(raw.send(b"")), "the server closed the connection"),
    "TLS to a plain server": lambda serve: (
        serve(raw.send(raw.page_reply(PAGE)), False).replace("http://", "https://"),
        "secure connection failed"),
    "silence": lambda serve: (serve(raw.wait(10)), "timed out"),
    "a bad IPv6 literal": lambda serve: ("http://[::1/article.html", "not a valid link"),
    "a bad port": lambda serve: ("http://127.0.0.1:99999/a.html", "not a valid link"),
    "a space in the link": lambda serve: ("http://127.0.0.1/a b.html", "not a valid link"),
    "a refused connection": lambda serve: (f"http://127.0.0.1:{_closed_port()}/a.html",
                                           "connection refused"),
}


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _library() -> list[Path]:
    folder = paths.user_library_dir()
    return sorted(folder.glob("*.md")) if folder.exists() else []


@pytest.mark.parametrize("case", list(MALFORMED))
def test_each_malformed_reply_is_one_line_and_the_next_link_is_added(  # type: ignore[no-untyped-def]
    serve, capsys, case: str
) -> None:
    bad, reason = MALFORMED[case](serve)
    good = serve(raw.send(raw.page_reply(PAGE, f"Content-Length: {len(PAGE)}")))
    code = main(["add", bad, good, "--timeout", str(TIMEOUT)])
    out, err = capsys.readouterr()
    assert code == 1
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert bad in lines[0] and reason in lines[0], lines[0]
    assert "Error" not in lines[0] and "Exception" not in lines[0]
    assert out.startswith("added: " + pages.TITLE)
    assert len(_library()) == 1


def test_a_typed_non_ascii_path_is_sent_encoded(news_server) -> None:  # type: ignore[no-untyped-def]
    news_server.page("/%C3%A9t%C3%A9.html", PAGE)
    page = fetch_page(news_server.url + "/été.html", timeout=5)
    assert pages.TITLE in page.text and news_server.requests[-1][0] == "/%C3%A9t%C3%A9.html"


def test_an_idna_charset_still_gives_the_article(serve) -> None:  # type: ignore[no-untyped-def]
    # Python decodes "idna" as a codec and raises on a page: the label is ignored instead.
    url = serve(raw.send(raw.page_reply(PAGE).replace(b"charset=utf-8", b"charset=idna")))
    page = fetch_page(url, timeout=5)
    assert page.charset == "utf-8" and pages.TITLE in page.text


def _index_pointing_at(serve, monkeypatch, link: str) -> None:  # type: ignore[no-untyped-def]
    entry = {"package_version": "1.0", "argos_version": "1.9", "from_code": "fr",
             "from_name": "French", "to_code": "en", "to_name": "English", "links": [link]}
    body = json.dumps([entry]).encode()
    index = serve(raw.send(raw.page_reply(body, "Content-Type: application/json")))
    monkeypatch.setenv("ARGOS_PACKAGE_INDEX", index.rsplit("/", 1)[0] + "/")


def test_a_dripping_model_download_is_cut_off_and_cancel_is_prompt(serve, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from reader.core.models.store import DownloadCancelled, download_package

    link = serve(raw.drip(raw.page_reply(b"", "Content-Type: application/zip"), b"PK" * 1000))
    _index_pointing_at(serve, monkeypatch, link)
    start = time.monotonic()
    with pytest.raises(PackageError, match="Can't reach the download server") as refused:
        download_package("fr_en", timeout=TIMEOUT)
    assert "timed out" in refused.value.details
    assert raw.elapsed(start) < 2 * DEADLINE + MARGIN  # the index, then the file
    stop = threading.Event()
    threading.Timer(0.5, stop.set).start()
    start = time.monotonic()
    with pytest.raises(DownloadCancelled):
        download_package("fr_en", timeout=30, is_cancelled=stop.is_set)
    assert raw.elapsed(start) < 0.5 + 0.5
    assert not list(paths.data_home().rglob("*.part"))  # the partial file is gone


def test_a_name_lookup_that_hangs_is_bounded_too(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    # The one injected fault: a resolver that does not answer for 5 s (no DNS server can
    # be made to hang on 127.0.0.1 without root); everything else is the real path.
    real = socket.getaddrinfo
    released = threading.Event()

    def slow(host, *args, **kwargs):  # type: ignore[no-untyped-def]
        if host == "slow.invalid":
            released.wait(5)
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
        return real(host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", slow)
    try:
        start = time.monotonic()
        with pytest.raises(FetchError) as failed:
            fetch_page("http://slow.invalid/a.html", timeout=TIMEOUT)
        assert str(failed.value) == "cannot reach http://slow.invalid/a.html: timed out"
        assert raw.elapsed(start) < DEADLINE + MARGIN
        stop = threading.Event()
        threading.Timer(0.3, stop.set).start()
        start = time.monotonic()
        with pytest.raises(FetchError, match=r"^cancelled$"):
            fetch_page("http://slow.invalid/a.html", timeout=30, cancelled=stop.is_set)
        assert raw.elapsed(start) < 0.3 + 0.5
    finally:
        released.set()


@pytest.fixture
def tls_files(tmp_path: Path) -> tuple[Path, Path]:
    import shutil
    import subprocess

    if shutil.which("openssl") is None:
        pytest.skip("needs the openssl command to make a certificate")
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", str(key),
         "-out", str(cert), "-days", "1", "-subj", "/CN=127.0.0.1",
         "-addext", "subjectAltName=IP:127.0.0.1"],
        check=True, capture_output=True, timeout=60,
    )
    return cert, key


def test_a_dripping_tls_server_is_cut_off_at_the_deadline(tls_files, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import http.server
    import ssl

    cert, key = tls_files
    stop = threading.Event()

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.end_headers()
            for i in range(400):  # 20 s at most
                if stop.wait(0.05):
                    return
                self.wfile.write(PAGE[i:i + 1])
                self.wfile.flush()

        def log_message(self, format: str, *args: object) -> None:
            pass

    class Server(http.server.ThreadingHTTPServer):
        daemon_threads = True

        def handle_error(self, request: object, client_address: object) -> None:
            pass

    server = Server(("127.0.0.1", 0), Handler)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.02})
    thread.start()
    monkeypatch.setenv("SSL_CERT_FILE", str(cert))  # trust it for this test only
    try:
        url = f"https://127.0.0.1:{server.server_address[1]}/slow.html"
        start = time.monotonic()
        with pytest.raises(FetchError) as failed:
            fetch_page(url, timeout=TIMEOUT)
        assert str(failed.value) == f"cannot reach {url}: timed out"
        assert DEADLINE - 0.1 < raw.elapsed(start) < DEADLINE + MARGIN
    finally:
        stop.set()
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
