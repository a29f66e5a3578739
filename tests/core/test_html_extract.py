"""Web-page extraction: prose directly in <body> after a heading, and the fallback to our
own parser (with one line naming the missing package) when trafilatura cannot be imported."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from reader.core.articles.article import ParagraphKind
from reader.core.articles.html_extract import extract_article, import_failure
from reader.core.articles.parser import parse_text

REPO = Path(__file__).resolve().parents[2]

FIRST = (
    "Les offres de la semaine portent sur les trains de nuit entre Paris et Vienne, avec des "
    "couchettes à moitié prix pour les réservations faites avant la fin du mois de mars."
)
SECOND = (
    "Les compagnies aériennes répondent par des billets à trente euros vers Lisbonne et Porto, "
    "mais les bagages en soute restent payants et les horaires ne conviennent pas à tous."
)
THIRD = (
    "Les associations de voyageurs rappellent que les conditions d’échange changent d’une "
    "offre à l’autre et conseillent de les lire avant de payer quoi que ce soit en ligne."
)

# The shape of a deals page: the text sits directly in <body> after each heading, in no
# paragraph, with <br> between its parts.
DEALS_PAGE = f"""<!DOCTYPE html>
<html lang="fr"><head><meta charset="utf-8"><title>Les bons plans du voyage</title></head>
<body>
<h1>Les bons plans du voyage</h1>
{FIRST}<br><br>
{SECOND}
<h2>À savoir</h2>
{THIRD}
</body></html>
"""


def test_text_after_a_top_level_heading_is_kept() -> None:
    found = extract_article(DEALS_PAGE)
    assert found is not None
    # Two <br> in a row end a paragraph.
    assert [(block.text, block.hint) for block in found.blocks] == [
        ("Les bons plans du voyage", "heading"),
        (FIRST, None),
        (SECOND, None),
        ("À savoir", "heading"),
        (THIRD, None),
    ]
    article = parse_text(DEALS_PAGE, Path("deals.html"))
    assert article.title == "Les bons plans du voyage"
    assert [(p.text, p.kind) for p in article.paragraphs] == [
        ("Les bons plans du voyage", ParagraphKind.TITLE),
        (FIRST, ParagraphKind.LEDE),
        (SECOND, ParagraphKind.BODY),
        ("À savoir", ParagraphKind.BODY),
        (THIRD, ParagraphKind.BODY),
    ]


def test_one_line_break_in_loose_text_stays_a_line_break() -> None:
    found = extract_article(DEALS_PAGE.replace("<br><br>", "<br>"))
    assert found is not None
    assert [block.text for block in found.blocks][1:3] == [f"{FIRST}\n{SECOND}", "À savoir"]


def test_an_import_error_names_the_missing_package_in_one_line() -> None:
    # lxml's own way of raising it: a two-line message, the original error suppressed.
    try:
        try:
            import lxml_html_clean_not_installed  # type: ignore[import-not-found]  # noqa: F401
        except ImportError:
            raise ImportError(
                "lxml.html.clean module is now a separate project lxml_html_clean.\n"
                "Install lxml[html_clean] or lxml_html_clean directly."
            ) from None
    except ImportError as error:
        message = import_failure(error)
    assert message == (
        "web pages are read without trafilatura (lxml_html_clean_not_installed is missing: "
        "lxml.html.clean module is now a separate project lxml_html_clean. "
        "Install lxml[html_clean] or lxml_html_clean directly.)"
    )


# Run in a fresh interpreter: lxml_html_clean made unimportable before anything imports it,
# so the real import chain (trafilatura → justext → lxml.html.clean) fails as in a broken
# install, and the real command line lists the page.
_WITHOUT_HTML_CLEAN = """
import sys
sys.modules["lxml_html_clean"] = None  # "import lxml_html_clean" now fails
from reader.cli import main
sys.exit(main(sys.argv[1:]))
"""


def test_a_missing_package_falls_back_to_our_parser_with_one_line(tmp_path: Path) -> None:
    page = tmp_path / "deals.html"
    page.write_text(DEALS_PAGE, encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-c", _WITHOUT_HTML_CLEAN, "list", str(page), "--json", "--paragraphs"],
        capture_output=True, text=True, timeout=120, cwd=REPO, env=os.environ.copy(),
    )
    assert result.returncode == 0, result.stderr
    # One line, lxml's second line (what to install) included; lxml spells the extra
    # html_clean or html-clean depending on its version.
    assert result.stderr.count("\n") == 1
    assert result.stderr.startswith(
        "bilingual-reader: warning: web pages are read without trafilatura "
        "(lxml_html_clean is missing: "
        "lxml.html.clean module is now a separate project lxml_html_clean. Install lxml["
    )
    assert result.stderr.endswith("] or lxml_html_clean directly.)\n")
    # Our own parser read the page: its title and every paragraph.
    [listed] = json.loads(result.stdout)
    assert listed["error"] is None
    assert listed["title"] == "Les bons plans du voyage"
    assert [(p["kind"], p["text"]) for p in listed["paragraphs"]] == [
        ("title", "Les bons plans du voyage"),
        ("lede", f"{FIRST}\n{SECOND}"),  # our parser keeps each <br> as a line break
        ("body", "À savoir"),
        ("body", THIRD),
    ]
