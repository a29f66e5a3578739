"""`add URL|FILE…` and `list --paragraphs`; an added page translated and exported."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from reader import paths
from reader.cli import main
from tests.data import news_pages as pages

REPO = Path(__file__).resolve().parents[2]


def cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def _library() -> list[Path]:
    folder = paths.user_library_dir()
    return sorted(p for p in folder.rglob("*") if p.is_file()) if folder.exists() else []


def test_add_url_then_list_shows_samples_and_the_article(news_server, capsys) -> None:
    url = news_server.page("/ecoles.html", pages.news_page().encode())
    code, out, err = cli(capsys, "add", url)
    assert code == 0, err
    assert out.startswith("added: " + pages.TITLE)
    code, out, _ = cli(capsys, "add", url)
    assert code == 0 and out.startswith("already in the library: ")
    code, out, _ = cli(capsys, "list", "--json")
    listed = json.loads(out)
    assert len(listed) == 6  # the five samples and the added article
    [mine] = [a for a in listed if a["url"] == url]
    assert (mine["title"], mine["date"], mine["byline"], mine["site"]) == (
        pages.TITLE, pages.DATE, pages.AUTHOR, pages.SITE
    )


def test_unreachable_url_is_one_line_exit_1_library_unchanged(news_server, capsys) -> None:
    cli(capsys, "add", news_server.page("/ok.html", pages.news_page().encode()))
    before = _library()
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    code, out, err = cli(capsys, "add", f"http://127.0.0.1:{port}/article", "--timeout", "2")
    assert code == 1 and out == ""
    assert len(err.strip().splitlines()) == 1 and "cannot reach http://127.0.0.1:" in err
    code, _, err = cli(capsys, "add", news_server.url + "/404.html")
    assert code == 1 and "HTTP 404" in err
    assert _library() == before


def test_list_paragraphs_gives_text_and_kind(tmp_path, capsys) -> None:
    prose = ("Le conseil municipal a adopté hier soir le budget de la ville pour l’année "
             "prochaine, après un débat de plus de quatre heures sur les investissements.")
    (tmp_path / "mail.txt").write_text(
        "Le budget adopté\n\n" + textwrap.fill(prose, 72) + "\n", encoding="utf-8"
    )
    code, out, _ = cli(capsys, "list", str(tmp_path), "--json", "--paragraphs")
    assert code == 0
    [article] = json.loads(out)
    assert article["paragraphs"] == [
        {"index": 0, "kind": "title", "language": "fr", "text": "Le budget adopté"},
        {"index": 1, "kind": "lede", "language": "fr", "text": prose},
    ]
    code, out, _ = cli(capsys, "list", str(tmp_path), "--json")
    assert json.loads(out)[0]["paragraphs"] == 2  # without the flag: the count, as before
    code, out, _ = cli(capsys, "list", str(tmp_path), "--paragraphs")
    assert "lede" in out and prose in out


def test_added_page_translates_and_exports(news_server, install_fr_en, tmp_path, capsys) -> None:
    url = news_server.page("/ecoles.html", pages.news_page(unclosed_svg=True).encode())
    assert cli(capsys, "add", url)[0] == 0
    [article_file] = [p for p in paths.user_library_dir().glob("*.md")]
    code, out, err = cli(capsys, "translate", str(article_file), "--json", "--quality", "fast")
    assert code == 0, err
    [translated] = json.loads(out)
    sources = [p["source"] for p in translated["paragraphs"]]
    for paragraph in pages.ARTICLE_PARAGRAPHS:
        assert paragraph in sources
    assert all(p["translation"] for p in translated["paragraphs"] if p["status"] == "translated")
    pdf = tmp_path / "out.pdf"
    # In a process of its own: the export creates a QGuiApplication, which would outlive
    # this test and upset the window tests that need a QApplication.
    result = subprocess.run(
        [sys.executable, "-m", "reader", "export", str(article_file), "-o", str(pdf),
         "--quality", "fast"],
        capture_output=True, text=True, timeout=180, cwd=REPO, env=os.environ.copy(),
    )
    assert result.returncode == 0, result.stderr
    from pypdf import PdfReader

    text = " ".join(page.extract_text() for page in PdfReader(pdf).pages)
    assert "rénovation" in text and "Lyon" in text


def test_add_takes_a_file_url_as_it_takes_the_path(tmp_path: Path, capsys) -> None:
    page = tmp_path / "une page sauvée.html"
    page.write_text(pages.news_page(), encoding="utf-8")
    code, out, err = cli(capsys, "add", page.as_uri())  # spaces and accents percent-encoded
    assert code == 0, err
    assert out.startswith(f"added: {pages.TITLE}  [")
    added = _library()
    code, out, err = cli(capsys, "add", str(page))
    assert code == 0 and out.startswith("already in the library: ") and err == ""
    assert _library() == added
    code, out, err = cli(capsys, "add", (tmp_path / "absent.html").as_uri())
    assert code == 1 and out == ""
    assert err.count("\n") == 1 and f"{tmp_path / 'absent.html'}" in err
