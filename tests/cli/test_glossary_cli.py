"""``glossary`` on the command line, and ``translate --json`` obeying it (echo model)."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

from reader.core.glossary.store import glossary_path
from tests.cli.test_cli import cli


def test_add_list_remove_export_import(isolated_xdg, tmp_path, capsys) -> None:
    assert cli(capsys, "glossary", "add", "guerre", "conflict", "--from", "fr", "--to", "en") == (
        0, "added: guerre → conflict\n", "")
    assert cli(capsys, "glossary", "add", "Zelensky", "--keep")[1] == (
        "added: Zelensky kept as written\n")
    article = tmp_path / "a.md"
    article.write_text("# T\n\nLa guerre.\n", encoding="utf-8")
    assert cli(capsys, "glossary", "add", "maison", "home", "--article", str(article))[0] == 0
    assert stat.S_IMODE(os.stat(glossary_path()).st_mode) == 0o600
    _, out, _ = cli(capsys, "glossary", "list")
    assert out.splitlines() == [
        "guerre\tconflict\tfr→en", f"maison\thome\t*→*  [{article.resolve()}]",
        "Zelensky\t(keep)\t*→*",
    ]
    _code, out, _ = cli(capsys, "glossary", "list", "--json")
    assert json.loads(out)[2] == {"source": "Zelensky", "target": None, "keep": True,
                                  "from": "*", "to": "*", "article": None}
    exported = tmp_path / "g.csv"
    assert cli(capsys, "glossary", "export", str(exported))[0] == 0
    assert exported.read_text().splitlines()[:2] == [
        "source,target,from,to,article", "guerre,conflict,fr,en,"]
    assert cli(capsys, "glossary", "remove", "GUERRE")[1] == "removed: 1 entry for GUERRE\n"
    assert cli(capsys, "glossary", "remove", "guerre") == (
        1, "", "bilingual-reader: error: no glossary entry for 'guerre'\n")
    assert cli(capsys, "glossary", "import", str(exported))[1] == (
        "imported: 1 new or changed of 3\n")
    tsv = tmp_path / "g.tsv"
    tsv.write_text("paix\tpeace\nbad\n\t\tx\n", encoding="utf-8")
    assert cli(capsys, "glossary", "import", str(tsv)) == (
        1, "", "bilingual-reader: error: g.tsv, line 3: the source term is empty\n")


def test_usage_errors_exit_2(isolated_xdg, tmp_path, capsys) -> None:
    code, _, err = cli(capsys, "glossary", "add", "guerre")
    assert code == 2 and "give a TARGET, or --keep" in err
    code, _, err = cli(capsys, "glossary", "add", "guerre", "war", "--keep")
    assert code == 2
    code, _, err = cli(capsys, "glossary", "add", "!!", "war")
    assert (code, err) == (2, "bilingual-reader glossary add: error: the source term '!!' has "
                              "no letter or digit\n")
    code, _, err = cli(capsys, "glossary", "import", str(tmp_path / "x.txt"))
    assert code == 2 and "expected a .csv or .tsv file" in err


def test_translate_json_carries_the_glossary(install_fr_en, tmp_path, capsys) -> None:
    article = tmp_path / "a.txt"
    article.write_text("Titre\n\nLa guerre est grande. Il pleut.\n\nLe ciel est bleu.\n",
                       encoding="utf-8")
    _, out, _ = cli(capsys, "translate", str(article), "--json")
    plain = json.loads(out)[0]["paragraphs"]
    assert cli(capsys, "glossary", "add", "guerre", "vol", "--from", "fr")[0] == 0
    _code, out, _ = cli(capsys, "translate", str(article), "--json")
    paragraphs = json.loads(out)[0]["paragraphs"]
    with_term = next(p for p in paragraphs if "guerre" in p["source"])
    assert with_term["translation"] == "La vol est grande. Il pleut."
    assert with_term["status"] == "translated"
    assert with_term["glossary"] == [{"source_span": [3, 9], "target": "vol",
                                      "target_span": [3, 6], "keep": False}]
    # The others are read back from the cache as they were, without a glossary key.
    others = [p for p in paragraphs if "guerre" not in p["source"]]
    assert [p["translation"] for p in others] == [
        p["translation"] for p in plain if "guerre" not in p["source"]]
    assert all(p["status"] != "translated" for p in others)
    assert all("glossary" not in p for p in others)
    assert Path(glossary_path()).exists()


def test_export_carries_the_glossary(install_fr_en, tmp_path, capsys) -> None:
    article = tmp_path / "a.txt"
    article.write_text("Titre\n\nLa guerre est grande. Il pleut sur la ville depuis le matin.\n\n"
                       "Le ciel est bleu et les enfants jouent dans le jardin.\n",
                       encoding="utf-8")
    assert cli(capsys, "glossary", "add", "guerre", "vol")[0] == 0
    out = tmp_path / "a.pdf"
    code, _, err = cli(capsys, "export", str(article), "-o", str(out), "--also", "md,html")
    assert code == 0, err
    markdown = out.with_suffix(".md").read_text(encoding="utf-8")
    html = out.with_suffix(".html").read_text(encoding="utf-8")
    assert "La vol est grande." in markdown and "La vol est grande." in html
    assert "guerre est grande" in markdown  # the original beside it
