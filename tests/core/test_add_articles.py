"""Web pages in: extraction, fetching against a loopback server, the user's library."""

from __future__ import annotations

import http.server
import socket
from collections.abc import Iterator
from pathlib import Path

import pytest

from reader import paths
from reader.core.articles.article import ParagraphKind
from reader.core.articles.html_extract import clean_title
from reader.core.articles.parser import parse_file, parse_text
from reader.core.library import fetch
from reader.core.library.fetch import FetchError, fetch_page
from reader.core.library.listing import load_library
from reader.core.library.user_folder import (
    ORIGINALS,
    AddError,
    add_file,
    add_text,
    add_url,
    url_key,
)
from tests.data import news_pages as pages
from tests.data.news_server import NewsServer


@pytest.fixture
def silent_server() -> Iterator[str]:
    """A server that accepts connections and never answers (the kernel's backlog accepts)."""
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)
    yield f"http://127.0.0.1:{listener.getsockname()[1]}/article"
    listener.close()


def _library_files() -> list[Path]:
    folder = paths.user_library_dir()
    return sorted(p for p in folder.rglob("*") if p.is_file()) if folder.exists() else []


def _body_text(article) -> str:  # type: ignore[no-untyped-def]
    return "\n".join(
        p.text for p in article.paragraphs if p.kind is not ParagraphKind.BOILERPLATE
    )


# --------------------------------------------------------------------------- extraction


def test_news_page_is_extracted_without_its_chrome() -> None:
    article = parse_text(pages.news_page(), Path("page.html"))
    assert article.ok
    assert article.title == pages.TITLE
    assert article.date == pages.DATE
    assert article.byline == pages.AUTHOR
    assert article.site == pages.SITE
    text = _body_text(article)
    for paragraph in pages.ARTICLE_PARAGRAPHS:
        assert paragraph in text
    for chrome in [*pages.BOILERPLATE, "Politique", "Envoyer", "window.dataLayer"]:
        assert chrome not in text, chrome
    kinds = {p.text: p.kind for p in article.paragraphs}
    assert kinds[pages.QUOTE] is ParagraphKind.QUOTE
    assert kinds[pages.CAPTION] is ParagraphKind.CAPTION
    assert kinds[pages.TITLE] is ParagraphKind.TITLE
    assert [p.text for p in article.paragraphs].count(pages.TITLE) == 1
    assert kinds["Un calendrier par quartier"] is ParagraphKind.BODY


def test_unclosed_svg_in_a_share_button_keeps_the_body() -> None:
    article = parse_text(pages.news_page(unclosed_svg=True), Path("page.html"))
    text = _body_text(article)
    for paragraph in pages.ARTICLE_PARAGRAPHS:
        assert paragraph in text


def test_our_fallback_collector_also_survives_an_unclosed_svg() -> None:
    # A fragment too small for trafilatura goes through our own collector.
    page = (
        "<html><body><h1>Titre</h1><button><svg><path d='M0'></button>"
        "<p>Le corps de l’article.</p></body></html>"
    )
    assert [p.text for p in parse_text(page, Path("a.html")).paragraphs] == [
        "Titre", "Le corps de l’article."
    ]


def test_title_loses_the_site_name_but_keeps_french_colons() -> None:
    assert clean_title("Le gel des loyers - Le Monde", "Le Monde") == "Le gel des loyers"
    assert clean_title("Le Monde | Le gel des loyers", "Le Monde") == "Le gel des loyers"
    assert clean_title("Grève : le trafic perturbé", None) == "Grève : le trafic perturbé"
    assert (
        clean_title("Storm floods the coast - The New York Times", None)
        == "Storm floods the coast"
    )
    assert clean_title("Ukraine - Russie", None) == "Ukraine - Russie"


# --------------------------------------------------------------------------- fetching


def test_fetch_sends_an_honest_user_agent_and_decodes_the_declared_charset(
    news_server: NewsServer,
) -> None:
    latin = pages.news_page(charset="iso-8859-1").replace("’", "'").replace("…", "...")
    url = news_server.page("/latin.html", latin.encode("latin-1"), "text/html")
    page = fetch_page(url, timeout=5)
    assert page.charset == "iso-8859-1"
    assert "rénovation" in page.text
    assert news_server.requests[-1][1].startswith("bilingual-reader/")
    header_url = news_server.page(
        "/cp.html", latin.encode("cp1252"), "text/html; charset=windows-1252"
    )
    assert "rénovation" in fetch_page(header_url, timeout=5).text


@pytest.mark.parametrize(
    ("setup", "message"),
    [
        (lambda s: s.url + "/missing.html", "HTTP 404"),
        (lambda s: s.page("/photo.png", b"\x89PNG\r\n\x1a\n" + b"0" * 100, "image/png"),
         "not a web page (image/png)"),
        (lambda s: s.page("/huge.html", b"<p>" + b"x" * 300_000 + b"</p>"), "page too large"),
        (lambda s: s.redirect("/loop-a", "/loop-b") and s.redirect("/loop-b", "/loop-a"),
         "redirect"),
        (lambda s: "ftp://127.0.0.1/file.html", "only http and https"),
        (lambda s: s.redirect("/to-file", "file:///etc/passwd"), "outside the web"),
    ],
)
def test_fetch_failures_are_one_line(news_server: NewsServer, setup, message: str) -> None:  # type: ignore[no-untyped-def]
    url = setup(news_server)
    with pytest.raises(FetchError) as failed:
        fetch_page(url, timeout=5, max_bytes=200_000)
    assert message in str(failed.value)
    assert "\n" not in str(failed.value)


def test_redirect_chain_is_followed_within_the_limit(news_server: NewsServer) -> None:
    news_server.page("/article.html", pages.news_page().encode())
    news_server.redirect("/r1", "/r2")
    news_server.redirect("/r2", "/article.html")
    page = fetch_page(news_server.url + "/r1", timeout=5)
    assert page.final_url.endswith("/article.html")
    for hop in range(fetch.MAX_REDIRECTS + 1):
        news_server.redirect(f"/hop{hop}", f"/hop{hop + 1}")
    news_server.page(f"/hop{fetch.MAX_REDIRECTS + 1}", pages.news_page().encode())
    with pytest.raises(FetchError, match="redirect"):
        fetch_page(news_server.url + "/hop0", timeout=5)


def test_size_cap_holds_without_a_content_length(news_server: NewsServer) -> None:
    def stream(handler: http.server.BaseHTTPRequestHandler) -> None:
        handler.send_response(200)
        handler.send_header("Content-Type", "text/html")
        handler.end_headers()
        for _ in range(40):
            handler.wfile.write(b"<p>" + b"y" * 10_000 + b"</p>")

    news_server.routes["/stream.html"] = stream
    with pytest.raises(FetchError, match="too large"):
        fetch_page(news_server.url + "/stream.html", timeout=5, max_bytes=100_000)


def test_a_server_that_never_answers_times_out(silent_server: str) -> None:
    with pytest.raises(FetchError, match="timed out"):
        fetch_page(silent_server, timeout=0.3)


def test_unreachable_host_is_one_line() -> None:
    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with pytest.raises(FetchError) as failed:
        fetch_page(f"http://127.0.0.1:{port}/", timeout=2)
    assert str(failed.value) == f"cannot reach http://127.0.0.1:{port}/: connection refused"


# --------------------------------------------------------------------------- the library


def test_add_url_keeps_the_original_and_the_article(news_server: NewsServer) -> None:
    url = news_server.page("/2024/03/ecoles.html", pages.news_page().encode())
    added = add_url(url, timeout=5)
    assert not added.already
    folder = paths.user_library_dir()
    assert added.path.parent == folder and added.path.suffix == ".md"
    assert added.path.name.startswith("lyon-lance-la-renovation")
    key = url_key(url)
    assert (folder / ORIGINALS / f"{key}.html").read_bytes() == pages.news_page().encode()
    assert url in (folder / ORIGINALS / f"{key}.json").read_text()
    article = parse_file(added.path)
    assert (article.title, article.date, article.byline, article.site, article.url) == (
        pages.TITLE, pages.DATE, pages.AUTHOR, pages.SITE, url
    )
    kinds = {p.text: p.kind for p in article.paragraphs}
    assert kinds[pages.QUOTE] is ParagraphKind.QUOTE
    assert kinds[pages.CAPTION] is ParagraphKind.CAPTION
    for paragraph in pages.ARTICLE_PARAGRAPHS:
        assert paragraph in kinds
    # The default library now shows the samples and this article.
    listed = load_library(paths.default_library_paths(), remember_languages=False)
    assert added.path in [a.path for a in listed]
    assert any(a.path.parent == paths.default_library_dir() for a in listed)


def test_adding_the_same_link_again_makes_no_copy(news_server: NewsServer) -> None:
    url = news_server.page("/a.html", pages.news_page().encode())
    first = add_url(url, timeout=5)
    before = _library_files()
    again = add_url(url + "#comments", timeout=5)
    assert again.already and again.path == first.path
    assert _library_files() == before
    assert len(news_server.requests) == 1  # not even fetched again


def test_a_failed_add_leaves_the_library_unchanged(news_server: NewsServer) -> None:
    add_url(news_server.page("/ok.html", pages.news_page().encode()), timeout=5)
    before = _library_files()
    with pytest.raises(FetchError):
        add_url(news_server.url + "/gone.html", timeout=5)
    empty = news_server.page("/empty.html", b"<html><body><nav>Menu</nav></body></html>")
    with pytest.raises(AddError, match="no article text"):
        add_url(empty, timeout=5)
    assert _library_files() == before


def test_add_file_and_pasted_text(tmp_path: Path) -> None:
    saved = tmp_path / "saved page.html"
    saved.write_text(pages.news_page(unclosed_svg=True), encoding="utf-8")
    added = add_file(saved)
    assert parse_file(added.path).title == pages.TITLE
    assert add_file(saved).already
    note = tmp_path / "note.txt"
    note.write_text("Un titre\n\nUn paragraphe du texte.\n", encoding="utf-8")
    copied = add_file(note)
    assert copied.path.suffix == ".txt" and copied.path.read_bytes() == note.read_bytes()
    pasted = add_text("Titre collé\n\nLe gouver\u00adnement a parlé.")
    assert [p.text for p in parse_file(pasted.path).paragraphs] == [
        "Titre collé", "Le gouvernement a parlé."
    ]
    with pytest.raises(AddError):
        add_text("   ")
    with pytest.raises(AddError, match="no such file"):
        add_file(tmp_path / "nope.txt")


def test_french_and_english_promos_inside_the_article_are_boilerplate() -> None:
    extra = (
        "<p>En vidéo, quatre conseils pour bien dormir</p>"
        "<p>À lire aussi : le plan vélo de la métropole</p>"
        "<p>Watch: the mayor explains her plan</p>"
    )
    article = parse_text(pages.news_page(extra_body=extra), Path("page.html"))
    kinds = {p.text: p.kind for p in article.paragraphs}
    for promo in ("En vidéo, quatre conseils pour bien dormir",
                  "À lire aussi : le plan vélo de la métropole",
                  "Watch: the mayor explains her plan"):
        assert kinds[promo] is ParagraphKind.BOILERPLATE, promo
    assert kinds[pages.ARTICLE_PARAGRAPHS[-1]] is ParagraphKind.BODY


def test_extraction_never_uses_the_network(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("the extractor tried to use the network")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    article = parse_text(pages.news_page(), Path("page.html"), url="https://example.org/a")
    assert article.title == pages.TITLE and article.date == pages.DATE


def test_trafilatura_is_not_imported_to_list_text_or_start_the_window() -> None:
    import subprocess
    import sys

    code = (
        "import sys; import reader.cli, reader.core.library.listing, reader.ui.window\n"
        "from reader.core.library.listing import load_library\n"
        "load_library(['seeds'], remember_languages=False)\n"
        "assert 'trafilatura' not in sys.modules and 'lxml' not in sys.modules\n"
    )
    repo = Path(__file__).resolve().parents[2]
    result = subprocess.run([sys.executable, "-c", code], cwd=repo, capture_output=True,
                            text=True, timeout=120)
    assert result.returncode == 0, result.stderr
