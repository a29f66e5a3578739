"""PDFs as articles through the CLI: ``list``, ``translate --json`` (exact with the echo
model), ``export`` and ``add``, on a two-column PDF the test draws."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from reader.cli import main
from testkit.pdf_pages import CUTTABLE, EXPECTED, HEADER, TITLE, Layout, typeset, write_pdf


def cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def magazine(tmp_path: Path) -> Path:
    pages = typeset(CUTTABLE[:6], Layout(title=TITLE, bottom=330.0))
    return write_pdf(tmp_path / "revue.pdf", pages)


def test_list_shows_a_pdf_as_an_article(magazine: Path, capsys) -> None:
    (magazine.parent / "scan.pdf").write_bytes(b"%PDF-1.4\n" + b"x" * 100)
    code, out, _ = cli(capsys, "list", str(magazine.parent), "--json")
    assert code == 0
    rows = {Path(row["path"]).name: row for row in json.loads(out)}
    assert rows["revue.pdf"]["title"] == TITLE
    assert rows["revue.pdf"]["language"] == "fr"
    assert rows["revue.pdf"].get("error") in (None, "")
    assert rows["scan.pdf"]["error"]


def test_translate_json_of_a_pdf_is_the_echo_models_exact_output(
    magazine: Path, install_fr_en, echo, capsys
) -> None:
    code, out, _ = cli(capsys, "translate", str(magazine), "--json")
    assert code == 0
    [article] = json.loads(out)
    sources = [p["source"] for p in article["paragraphs"]]
    assert sources == [TITLE, *EXPECTED[:6]]
    assert not any(HEADER in s for s in sources)
    for paragraph in article["paragraphs"]:
        assert paragraph["status"] == "translated"
        assert paragraph["translation"] == echo(paragraph["source"])


def test_export_of_a_pdf_article_is_a_bilingual_pdf(
    magazine: Path, install_fr_en, echo, tmp_path: Path, capsys
) -> None:
    pypdf = pytest.importorskip("pypdf")
    out = tmp_path / "bilingue.pdf"
    code, _, err = cli(capsys, "export", str(magazine), "-o", str(out), "--layout", "interleaved")
    assert code == 0, err
    text = " ".join(" ".join(
        (page.extract_text() or "").split()) for page in pypdf.PdfReader(str(out)).pages)
    # The original's words and the echo model's translation of them, and no running header.
    assert "Jean-Pierre Martin" in text
    assert " ".join(echo(EXPECTED[3]).split()[:4]) in text
    assert HEADER not in text


def test_add_keeps_the_pdf_as_original_and_its_article_as_markdown(
    magazine: Path, tmp_path: Path, capsys
) -> None:
    from reader.core.library.formats import read_file
    from reader.core.library.user_folder import ORIGINALS, AddError, add_file

    folder = tmp_path / "library"
    added = add_file(magazine, folder=folder)
    assert added.path.suffix == ".md" and not added.already
    assert [p.text for p in read_file(added.path).paragraphs] == [TITLE, *EXPECTED[:6]]
    originals = sorted(p.suffix for p in (folder / ORIGINALS).iterdir())
    assert originals == [".json", ".pdf"]
    assert add_file(magazine, folder=folder).already
    scan = tmp_path / "scan.pdf"
    scan.write_bytes(b"%PDF-1.4\n" + b"x" * 100)
    with pytest.raises(AddError, match=r"scan\.pdf: damaged PDF"):
        add_file(scan, folder=folder)
    # Through the CLI, into the user's own library.
    code, out, err = cli(capsys, "add", str(magazine))
    assert code == 0, err
    assert TITLE in out
