"""Generate the corpus of awkward input files the parser and the library must survive.

Nothing binary or big is committed: tests build the corpus in a temporary folder
(the ``bad_corpus`` fixture); run this script to get a copy to try by hand::

    python tests/data/make_bad_corpus.py [DEST]   # default: tests/data/bad/
"""

from __future__ import annotations

import codecs
import os
import random
import sys
from pathlib import Path

SEEDS_DIR = Path(__file__).resolve().parents[2] / "seeds"

# Accents, apostrophe and quotes in every legacy-encoding case, so a mojibake shows.
FRENCH_TITLE = "Le gouvernement français présente son budget"
FRENCH_BODY = (
    "Le ministre de l’Économie a déclaré : “Nous allons réduire le déficit…” "
    "Les députés de l’opposition ont critiqué un texte jugé trop optimiste à l’été."
)
# Latin-1 has no curly quotes or ellipsis: its own text uses straight ones.
LATIN1_BODY = (
    "Le ministre de l'Économie a déclaré : « Nous allons réduire le déficit. » "
    "Les députés de l'opposition ont critiqué un texte jugé trop optimiste à l'été."
)
ARABIC_TITLE = "الحكومة تعلن عن ميزانية جديدة"
ARABIC_BODY = (
    "أعلنت الحكومة اليوم عن ميزانية جديدة للعام المقبل تتضمن زيادة في الإنفاق على التعليم "
    "والصحة، وقال وزير المالية إن الهدف هو خفض العجز تدريجيا خلال السنوات القادمة."
)
EMOJI_BODY = (
    "Les supporters ont fêté la victoire dans les rues de Marseille toute la nuit 🎉⚽🔥 "
    "et la police n’a signalé aucun incident majeur 👍🏽 selon la préfecture."
)
HTML_PAGE = """<!DOCTYPE html>
<html lang="fr">
<head>
  <meta charset="utf-8">
  <title>Grève à la SNCF | Le Journal</title>
  <style>p { color: red; } .secret { display: none }</style>
  <script>var tracking = "ne doit pas apparaître"; if (a < b && c > d) {}</script>
</head>
<body>
  <header><a href="/">Le Journal</a> Accueil</header>
  <nav><ul><li>Politique</li><li>Économie</li></ul></nav>
  <article>
    <h1>Grève à la SNCF : le trafic très perturbé</h1>
    <p>Les syndicats de cheminots appellent à une grève reconductible &agrave; partir
       de lundi, une mobilisation &laquo;&nbsp;historique&nbsp;&raquo; selon la
       CGT&#8209;Cheminots.</p>
    <figure><img src="train.jpg" alt="">
      <figcaption>Un TGV en gare de Lyon. Photo : AFP</figcaption></figure>
    <blockquote><p>Nous ne lâcherons rien tant que le gouvernement n’aura pas reculé.</p>
    </blockquote>
    <h2>Des négociations au point mort</h2>
    <p>Le ministre des Transports &amp; la direction se disent ouverts au dialogue,<br>
       mais aucune date n’a été fixée.</p>
    <ul><li>Trains régionaux : un sur trois.</li><li>TGV : deux sur cinq.</li></ul>
  </article>
  <aside>Publicité : abonnez-vous</aside>
  <noscript>Activez JavaScript</noscript>
  <footer>© 2024 Le Journal</footer>
  <script>document.write("ne doit pas apparaître non plus")</script>
</body>
</html>
"""
MARKDOWN_ARTICLE = """# La Banque centrale relève ses taux

La Banque centrale européenne a relevé jeudi ses taux directeurs d’un quart de point.
C’est la dixième hausse consécutive depuis l’été 2022.

## Une inflation encore trop forte

« Nous ne sommes pas encore arrivés à destination », a prévenu la présidente de l’institution.

Les marchés s’attendaient largement à cette décision, annoncée depuis plusieurs semaines.
"""

TEN_MB = 10 * 1024 * 1024
LONG_PARAGRAPH_CHARS = 50_000


def _seed_paragraphs() -> list[str]:
    paragraphs: list[str] = []
    for seed in sorted(SEEDS_DIR.glob("*.txt")):
        text = seed.read_text(encoding="utf-8")
        paragraphs.extend(block.strip() for block in text.split("\n\n") if block.strip())
    return paragraphs


def _big_article(size: int) -> str:
    paragraphs = _seed_paragraphs()
    parts = ["Un très long article fait de paragraphes répétés"]
    total = len(parts[0].encode("utf-8"))
    i = 0
    while total < size:
        paragraph = paragraphs[i % len(paragraphs)]
        parts.append(paragraph)
        total += len(paragraph.encode("utf-8")) + 2
        i += 1
    return "\n\n".join(parts) + "\n"


def _long_paragraph() -> str:
    sentences = [
        "La délégation a visité successivement les villages de la région frontalière.",
        "Les habitants ont raconté des nuits entières passées dans les caves humides.",
        "Un responsable local a promis l’arrivée prochaine de générateurs électriques.",
    ]
    words: list[str] = []
    total = 0
    i = 0
    while total < LONG_PARAGRAPH_CHARS:
        sentence = sentences[i % len(sentences)]
        words.append(sentence)
        total += len(sentence) + 1
        i += 1
    return " ".join(words)[:LONG_PARAGRAPH_CHARS]


def make_bad_corpus(dest: Path) -> dict[str, Path]:
    """Write every awkward case into ``dest``; returns case name → path."""
    dest = Path(dest)
    dest.mkdir(parents=True, exist_ok=True)
    cases: dict[str, Path] = {}

    def write(name: str, filename: str, data: bytes) -> None:
        path = dest / filename
        path.write_bytes(data)
        cases[name] = path

    rng = random.Random(1234)
    write("binary_junk", "binary_junk.txt", rng.randbytes(4096))
    write(
        "png_renamed",
        "photo.txt",
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + rng.randbytes(200),
    )
    write("pdf_renamed", "report.txt", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n")
    # Control characters but no NUL and no magic number: caught by the ratio test.
    write(
        "control_chars",
        "controls.txt",
        bytes(rng.choice([1, 2, 3, 4, 5, 6, 7, 8, 14, 15, 16, 65, 66]) for _ in range(2000)),
    )

    article = f"{FRENCH_TITLE}\n\n{FRENCH_BODY}\n"
    write("latin1", "latin1.txt", f"{FRENCH_TITLE}\n\n{LATIN1_BODY}\n".encode("latin-1"))
    write("cp1252", "cp1252.txt", article.encode("cp1252"))
    write("utf16_le", "utf16le.txt", codecs.BOM_UTF16_LE + article.encode("utf-16-le"))
    write("utf16_be", "utf16be.txt", codecs.BOM_UTF16_BE + article.encode("utf-16-be"))
    write("utf16_le_no_bom", "utf16le_nobom.txt", article.encode("utf-16-le"))
    write("utf32_le", "utf32le.txt", codecs.BOM_UTF32_LE + article.encode("utf-32-le"))
    write("utf8_bom", "utf8bom.txt", codecs.BOM_UTF8 + article.encode("utf-8"))
    write("crlf", "crlf.txt", article.replace("\n", "\r\n").encode("utf-8"))
    write("lone_cr", "cr.txt", article.replace("\n", "\r").encode("utf-8"))
    write("empty", "empty.txt", b"")
    write("whitespace", "blank.txt", b"  \n\n\t \r\n   \n")
    write("big", "big.txt", _big_article(TEN_MB).encode("utf-8"))
    write(
        "long_paragraph",
        "long_paragraph.txt",
        f"Un paragraphe interminable\n\n{_long_paragraph()}\n".encode(),
    )
    write("html", "page.html", HTML_PAGE.encode("utf-8"))
    write("markdown", "article.md", MARKDOWN_ARTICLE.encode("utf-8"))
    write("arabic", "arabic.txt", f"{ARABIC_TITLE}\n\n{ARABIC_BODY}\n".encode())
    write("emoji", "emoji.txt", f"Victoire 🎉 à Marseille\n\n{EMOJI_BODY}\n".encode())
    write("nul_bytes", "nul.txt", f"{FRENCH_TITLE}\n\n".encode() + b"Le\x00texte\x00" * 20)

    directory = dest / "x.txt"
    directory.mkdir(exist_ok=True)
    cases["directory"] = directory

    loop = dest / "loop.txt"
    if not loop.is_symlink():
        os.symlink(loop.name, loop)  # points at itself: ELOOP on open
    cases["symlink_loop"] = loop

    # A folder holding a link back to its parent: scanning must not go round forever.
    nested = dest / "nested"
    nested.mkdir(exist_ok=True)
    (nested / "inner.txt").write_text(article, encoding="utf-8")
    cases["nested_file"] = nested / "inner.txt"
    back = nested / "up"
    if not back.is_symlink():
        os.symlink("..", back)
    cases["dir_loop"] = back

    # Not articles to a folder scan: hidden, and an unsupported suffix.
    (dest / ".hidden.txt").write_text(article, encoding="utf-8")
    cases["hidden"] = dest / ".hidden.txt"
    (dest / "notes.docx").write_bytes(b"PK\x03\x04" + rng.randbytes(64))
    cases["unsupported_suffix"] = dest / "notes.docx"
    return cases


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parent / "bad"
    for case, path in sorted(make_bad_corpus(target).items()):
        print(f"{case:20} {path}")
