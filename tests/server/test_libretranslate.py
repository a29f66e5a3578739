"""The LibreTranslate path against a real LibreTranslate 1.9.6 on 127.0.0.1 (echo packages):
the client's batches and limits, each failure in one line, and the engine's paragraphs,
alignment, cache and post-edits through the server.

LibreTranslate post-edits its output (the source's final punctuation and case are copied
onto the translation), so the sentences here are ones whose echo it keeps as they are.
"""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from reader.core.articles.article import Article, Paragraph, ParagraphKind, source_hash
from reader.core.server.engine import SERVER_DECODING, ServerEngine
from reader.core.server.libretranslate import (
    LibreTranslateClient,
    ServerError,
    cut_text,
    normalize_url,
)
from reader.core.translation.cache import TranslationCache
from reader.core.translation.results import (
    ParagraphReady,
    ParagraphStatus,
    TranslationFinished,
)
from tests.server.conftest import StartServer
from tests.server.lt_process import LibreTranslateServer

S1 = "La maison est grande."
S2 = "Le chat dort sur le canapé."
S3 = "Nous partons demain matin."
S4 = "Il fait beau aujourd'hui."
S5 = "Elle lit un livre."


def article(*paragraphs: str) -> Article:
    return Article(
        path=Path("server.txt"), title="t", language="fr",
        paragraphs=tuple(Paragraph(i, text, ParagraphKind.BODY, "fr", 0.9)
                         for i, text in enumerate(paragraphs)),
    )


def events_of(engine: ServerEngine, art: Article, **kwargs: Any) -> list[Any]:
    return list(engine.translate(art, "en", **kwargs))


def readies(events: list[Any]) -> list[Any]:
    return [event.paragraph for event in events if isinstance(event, ParagraphReady)]


def finished(events: list[Any]) -> TranslationFinished:
    return next(event for event in events if isinstance(event, TranslationFinished))


# -- the client ----------------------------------------------------------------------------


def test_languages_and_pairs(lt_server: LibreTranslateServer) -> None:
    client = LibreTranslateClient(lt_server.url)
    languages = client.languages()
    assert languages["fr"] == ("French", frozenset({"en"}))
    assert languages["en"] == ("English", frozenset({"fr"}))
    assert client.pairs() == [("en", "fr"), ("fr", "en")]
    assert client.char_limit() is None  # the default server publishes no limit


def test_sentences_come_back_in_order_exactly(
    lt_server: LibreTranslateServer, echo: Any
) -> None:
    client = LibreTranslateClient(lt_server.url, batch_size=2)
    sentences = [S1, S2, S3, S4, S5]
    assert [echo(s) for s in sentences] == sentences  # the echo model keeps these as they are
    assert client.translate(sentences, "fr", "en") == sentences
    assert client.translate([S1], "en", "fr") == [S1]


def test_char_limit_cuts_a_long_sentence_between_words(
    start_lt: StartServer,
) -> None:
    server = start_lt("--char-limit", "30")
    client = LibreTranslateClient(server.url)
    assert client.char_limit() == 30
    long = "le chat dort sur le canapé et la maison est grande et nous partons demain"
    pieces = cut_text(long, 30)
    assert all(len(piece) <= 30 for piece in pieces) and len(pieces) == 3
    assert " ".join(pieces) == long
    assert client.translate([long, "la maison"], "fr", "en") == [long, "la maison"]


def test_batch_limit_is_learnt_from_the_server(start_lt: StartServer) -> None:
    server = start_lt("--batch-limit", "2")
    client = LibreTranslateClient(server.url, batch_size=16)
    assert client.translate([S1, S2, S3, S4, S5], "fr", "en") == [S1, S2, S3, S4, S5]
    assert client.batch_size == 2


def test_bad_key_is_one_line_and_a_good_key_works(start_lt: StartServer) -> None:
    server = start_lt(keys={"good-key": "100", "short-key": "100:30"})
    good = LibreTranslateClient(server.url, "good-key")
    assert good.translate([S1], "fr", "en") == [S1]
    # A key with its own character limit (not published): learnt from the 400, then cut.
    short = LibreTranslateClient(server.url, "short-key")
    long = "le chat dort sur le canapé et la maison est grande et nous partons demain"
    assert short.char_limit() is None
    assert short.translate([S1, long, S2], "fr", "en") == [S1, long, S2]
    assert short.char_limit() == 30
    bad = LibreTranslateClient(server.url, "wrong-key")
    with pytest.raises(ServerError) as raised:
        bad.translate([S1, S2], "fr", "en")
    assert str(raised.value) == (
        f"the LibreTranslate server at 127.0.0.1:{server.port} refused the API key "
        "(Invalid API key)"
    )
    assert raised.value.kind == "bad-key" and raised.value.done == []


def test_unknown_pair_is_refused_in_one_line(lt_server: LibreTranslateServer) -> None:
    client = LibreTranslateClient(lt_server.url)
    with pytest.raises(ServerError) as raised:
        client.translate([S1], "fr", "de")
    assert str(raised.value) == (
        f"the LibreTranslate server at 127.0.0.1:{lt_server.port} refused the request "
        "(de is not supported)"
    )


def test_nothing_listening_is_one_line() -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]  # closed at once: nothing listens there
    client = LibreTranslateClient(f"http://127.0.0.1:{port}")
    with pytest.raises(ServerError) as raised:
        client.languages()
    assert str(raised.value) == (
        f"cannot reach the LibreTranslate server at 127.0.0.1:{port} (connection refused)"
    )


@pytest.fixture
def silent_server() -> Iterator[int]:
    """Accepts connections and never answers (a hung server)."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)
    held: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        listener.settimeout(0.05)
        while not stop.is_set():
            try:
                held.append(listener.accept()[0])
            except OSError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield listener.getsockname()[1]
    stop.set()
    thread.join()
    for conn in held:
        conn.close()
    listener.close()


def test_a_server_that_never_answers_times_out_in_one_line(silent_server: int) -> None:
    client = LibreTranslateClient(f"http://127.0.0.1:{silent_server}", timeout=0.3)
    with pytest.raises(ServerError) as raised:
        client.languages()
    assert str(raised.value) == (
        f"the LibreTranslate server at 127.0.0.1:{silent_server} did not answer in time"
    )
    assert raised.value.kind == "timeout"


def test_addresses() -> None:
    assert normalize_url("example.org:5000/") == "http://example.org:5000"
    assert normalize_url("HTTPS://LT.Example.org/lt/") == "https://lt.example.org/lt"
    for bad in ("ftp://x", "http://", "http://u:p@host", "http://h/?q=1"):
        with pytest.raises(ValueError):
            normalize_url(bad)


# -- the engine through the server ---------------------------------------------------------


def test_engine_aligns_caches_and_keeps_post_edits(lt_server: LibreTranslateServer) -> None:
    cache = TranslationCache()
    engine = ServerEngine(LibreTranslateClient(lt_server.url), cache)
    art = article(f"{S1} {S2}", S3, f"{S4} {S5}")
    first = events_of(engine, art)
    results = readies(first)
    assert [r.status for r in results] == [ParagraphStatus.TRANSLATED] * 3
    assert [r.translation for r in results] == [f"{S1} {S2}", S3, f"{S4} {S5}"]
    assert [(p.source, p.target) for p in results[0].sentences] == [(S1, S1), (S2, S2)]
    assert finished(first).translated == 3 and finished(first).error is None
    # The cache key names the server and the pair; the decoding key is the server's.
    route = f"libretranslate-fr_en@{lt_server.url}"
    assert engine.route("fr", "en").key == route
    assert set(cache.get_many(route, SERVER_DECODING, [p.hash for p in art.paragraphs])) == {
        p.hash for p in art.paragraphs}
    # Again: all from the cache, not one request (the server's log is not read: the
    # statuses say it).
    again = readies(events_of(engine, art))
    assert [r.status for r in again] == [ParagraphStatus.CACHED] * 3
    # A post-edit wins over the server's text.
    assert engine.set_edit(again[1], "en", "We leave tomorrow morning.")
    edited = readies(events_of(engine, art))
    assert edited[1].status is ParagraphStatus.EDITED
    assert edited[1].translation == "We leave tomorrow morning."
    # Another server never shares the cached text.
    other = ServerEngine(LibreTranslateClient("http://127.0.0.1:9"), cache)
    assert other.route("fr", "en").key != route


def test_rate_limit_keeps_what_was_translated(start_lt: StartServer) -> None:
    # --req-limit 4 per minute; a list q costs len(q): windows of 2 sentences pass twice,
    # the third request is refused. The last paragraph's first sentence (S4) came back in
    # the second request: it stays in the sentence memory, the paragraph is not cached.
    server = start_lt("--req-limit", "4")
    cache = TranslationCache()
    engine = ServerEngine(LibreTranslateClient(server.url, batch_size=2), cache)
    art = article(S1, S2, S3, f"{S4} {S5}")
    events = events_of(engine, art)
    results = readies(events)
    assert [r.status for r in results] == [ParagraphStatus.TRANSLATED] * 3 + [
        ParagraphStatus.FAILED]
    assert [r.translation for r in results] == [S1, S2, S3, ""]
    assert finished(events).error == (
        f"the LibreTranslate server at 127.0.0.1:{server.port} limits how often it "
        "translates (Slowdown: 4 per 1 minute): try again in a minute"
    )
    route = f"libretranslate-fr_en@{server.url}"
    cached = cache.get_many(route, SERVER_DECODING, [p.hash for p in art.paragraphs])
    assert set(cached) == {p.hash for p in art.paragraphs[:3]}  # nothing for the failed one
    memory = cache.get_sentences(route, SERVER_DECODING, [source_hash(S4), source_hash(S5)])
    assert memory == {source_hash(S4): S4}


def test_server_killed_mid_run(start_lt: StartServer) -> None:
    server = start_lt()
    cache = TranslationCache()
    engine = ServerEngine(LibreTranslateClient(server.url, batch_size=2), cache)
    art = article(S1, S2, S3, S4, S5)
    events: list[Any] = []
    for event in engine.translate(art, "en"):
        events.append(event)
        if isinstance(event, ParagraphReady) and event.paragraph.index == 1:
            server.kill()  # after the first request: the next one finds nobody
    results = readies(events)
    assert [r.status for r in results] == [ParagraphStatus.TRANSLATED] * 2 + [
        ParagraphStatus.FAILED] * 3
    assert finished(events).error == (
        f"cannot reach the LibreTranslate server at 127.0.0.1:{server.port} "
        "(connection refused)"
    )
    cached = cache.get_many(f"libretranslate-fr_en@{server.url}", SERVER_DECODING,
                            [p.hash for p in art.paragraphs])
    assert set(cached) == {art.paragraphs[0].hash, art.paragraphs[1].hash}


def test_cancel_stops_between_requests(lt_server: LibreTranslateServer) -> None:
    engine = ServerEngine(LibreTranslateClient(lt_server.url, batch_size=1), TranslationCache())
    art = article(S1, S2, S3)
    seen: list[Any] = []
    stop = threading.Event()
    for event in engine.translate(art, "en", is_cancelled=stop.is_set):
        seen.append(event)
        if isinstance(event, ParagraphReady):
            stop.set()
    assert finished(seen).cancelled
    assert [r.translation for r in readies(seen)][:1] == [S1]


# -- the API key and the choice ------------------------------------------------------------


def test_api_key_is_kept_0600_per_server(tmp_path: Path) -> None:
    from reader.core.server.choice import key_file, load_api_key, save_api_key

    folder = tmp_path / "config"
    assert load_api_key(folder, "http://lt.example:5000") is None
    save_api_key(folder, "lt.example:5000/", "secret-1")
    save_api_key(folder, "https://other.example", "secret-2")
    assert load_api_key(folder, "http://lt.example:5000") == "secret-1"
    assert load_api_key(folder, "https://other.example/") == "secret-2"
    assert key_file(folder).stat().st_mode & 0o777 == 0o600
    assert folder.stat().st_mode & 0o777 == 0o700
    save_api_key(folder, "http://lt.example:5000", None)
    assert load_api_key(folder, "http://lt.example:5000") is None
    assert load_api_key(folder, "https://other.example") == "secret-2"


def test_choice_of_a_server_builds_the_server_engine(lt_server: LibreTranslateServer) -> None:
    from reader.core.server.choice import (
        EngineChoice,
        build_engine,
        device_label,
        where_label,
    )

    engine = build_engine(EngineChoice(server=lt_server.url), TranslationCache())
    assert isinstance(engine, ServerEngine)
    assert where_label(engine) == f"LibreTranslate at 127.0.0.1:{lt_server.port}"
    assert device_label(engine) == "libretranslate"
    assert engine.installed() == []  # not asked yet: never on the caller's thread
    assert [p.code for p in engine.learn()] == ["libretranslate-en_fr", "libretranslate-fr_en"]
    assert [p.to_name for p in engine.installed()] == ["French", "English"]
    with pytest.raises(Exception, match="does not translate fr → de"):
        engine.route("fr", "de")
