"""``translate`` and ``export`` with ``--server`` against a real LibreTranslate (echo
packages): exact text, the device field, where the text went, the saved or given API key,
and one line when the server cannot be used."""

from __future__ import annotations

import json
import socket
from pathlib import Path

import pytest

from reader import paths
from reader.cli import main
from reader.core.server.choice import save_api_key
from tests.server.conftest import StartServer
from tests.server.lt_process import LibreTranslateServer

ARTICLE = (
    "La maison\n\n"
    "La maison est grande. Le chat dort sur le canapé.\n\n"
    "Nous partons demain matin. Il fait beau aujourd'hui.\n\n"
    "Elle lit un livre.\n"
)
EXPECTED = [
    "La maison",
    "La maison est grande. Le chat dort sur le canapé.",
    "Nous partons demain matin. Il fait beau aujourd'hui.",
    "Elle lit un livre.",
]


def cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def article(tmp_path: Path) -> Path:
    path = tmp_path / "maison.txt"
    path.write_text(ARTICLE, encoding="utf-8")
    return path


def test_translate_json_through_the_server(lt_server: LibreTranslateServer, article: Path,
                                           capsys) -> None:
    code, out, err = cli(capsys, "translate", "--json", str(article), "--server", lt_server.url)
    assert code == 0, err
    (result,) = json.loads(out)
    assert result["device"] == "libretranslate"
    assert result["packages"] == [{"code": "libretranslate-fr_en", "from": "fr", "to": "en",
                                   "version": lt_server.url}]
    assert [p["translation"] for p in result["paragraphs"]] == EXPECTED
    assert [p["status"] for p in result["paragraphs"]] == ["translated"] * 4
    assert [(s["source"], s["target"]) for s in result["paragraphs"][1]["sentences"]] == [
        ("La maison est grande.", "La maison est grande."),
        ("Le chat dort sur le canapé.", "Le chat dort sur le canapé.")]
    assert err == f"bilingual-reader: translated on LibreTranslate at 127.0.0.1:{lt_server.port}\n"
    # Again: from the cache (same server, same pair).
    code, out, _ = cli(capsys, "translate", "--json", str(article), "--server", lt_server.url)
    assert [p["status"] for p in json.loads(out)[0]["paragraphs"]] == ["cached"] * 4


def test_the_glossary_is_said_not_to_apply_through_a_server(
    lt_server: LibreTranslateServer, article: Path, capsys
) -> None:
    assert cli(capsys, "glossary", "add", "maison", "home", "--from", "fr", "--to", "en")[0] == 0
    code, out, err = cli(capsys, "translate", "--json", str(article), "--server", lt_server.url)
    assert code == 0, err
    (result,) = json.loads(out)
    assert [p["translation"] for p in result["paragraphs"]] == EXPECTED  # the server's text
    assert all("glossary" not in p for p in result["paragraphs"])
    assert err.splitlines() == [
        "bilingual-reader: warning: your glossary (1 entry) is not applied when a server "
        "translates",
        f"bilingual-reader: translated on LibreTranslate at 127.0.0.1:{lt_server.port}",
    ]


def test_export_through_the_server(lt_server: LibreTranslateServer, article: Path,
                                   tmp_path: Path, capsys, qapp) -> None:
    # qapp: a QApplication before the export would make a bare QGuiApplication, which the
    # window tests run later in this process cannot use.
    pdf = tmp_path / "out.pdf"
    code, _, err = cli(capsys, "export", str(article), "-o", str(pdf), "--server",
                         lt_server.url, "--also", "md")
    assert code == 0, err
    assert pdf.read_bytes().startswith(b"%PDF")
    markdown = next(tmp_path.glob("*.md")).read_text(encoding="utf-8")
    for text in EXPECTED[1:]:
        assert text in markdown


def test_saved_key_is_used_and_a_wrong_one_is_one_line(start_lt: StartServer, article: Path,
                                                      capsys) -> None:
    server = start_lt(keys={"good-key": "100"})
    code, out, err = cli(capsys, "translate", str(article), "--server", server.url,
                         "--api-key", "wrong")
    assert code == 1
    line = (f"the LibreTranslate server at 127.0.0.1:{server.port} refused the API key "
            "(Invalid API key)")
    assert f"bilingual-reader: {article}: translation failed: {line}" in err.splitlines()
    save_api_key(paths.app_config_dir(), server.url, "good-key")  # as Preferences does
    code, out, err = cli(capsys, "translate", str(article), "--server", server.url)
    assert code == 0, err
    assert "→ Elle lit un livre." in out


def test_no_server_there_is_one_line(article: Path, capsys) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    code, out, err = cli(capsys, "translate", str(article), "--server",
                         f"http://127.0.0.1:{port}")
    assert (code, out) == (1, "")
    assert err == (f"bilingual-reader: error: cannot reach the LibreTranslate server at "
                   f"127.0.0.1:{port} (connection refused)\n")
