"""Text hygiene: invisible characters and hard-wrapped plain text."""

from __future__ import annotations

import textwrap
from pathlib import Path

from reader.core.articles.article import ParagraphKind
from reader.core.articles.parser import parse_text
from reader.core.text.hygiene import reflow, reflow_block, strip_invisible

PROSE = (
    "Les troupes du tyran ont perdu plus de territoire en quelques jours qu’elles n’en ont "
    "gagné en plus de six mois de guerre alors que les soldats russes organisent une retraite "
    "précipitée au milieu d’un époustouflant blitz ukrainien, selon les services de "
    "renseignement britanniques qui suivent la situation de près."
)


def test_soft_hyphens_and_zero_width_characters_are_removed() -> None:
    assert strip_invisible("gouver\u00adnement") == "gouvernement"
    assert strip_invisible("a\u200bb\u2060c\ufeffd") == "abcd"
    assert strip_invisible("zero\u200cwidth\u200d") == "zerowidth"
    # Joiners inside Persian and emoji sequences are part of the text.
    assert strip_invisible("می\u200cخواهم") == "می\u200cخواهم"
    assert strip_invisible("👩\u200d💻") == "👩\u200d💻"


def test_soft_hyphens_never_reach_paragraphs_of_any_format() -> None:
    for name, text in (
        ("a.txt", "Le titre\n\nLe gouver\u00adnement a an\u200bnoncé."),
        ("a.md", "# Le titre\n\nLe gouver\u00adnement a an\u200bnoncé."),
        ("a.html", "<html><body><h1>Le titre</h1><p>Le gouver&shy;nement a an&#8203;noncé.</p>"
                   "</body></html>"),
    ):
        article = parse_text(text, Path(name))
        body = article.paragraphs[-1].text
        assert body == "Le gouvernement a annoncé.", name


def test_hard_wrapped_prose_is_one_paragraph() -> None:
    for width in (60, 72, 76):
        wrapped = textwrap.fill(PROSE, width)
        assert "\n" in wrapped
        assert reflow_block(wrapped) == PROSE, width


def test_hyphen_at_a_wrap_is_kept_and_joined() -> None:
    wrapped = textwrap.fill(PROSE.replace("quelques", "peut-être quelques"), 60,
                            break_on_hyphens=True)
    assert "peut-être" in reflow_block(wrapped)


def test_verse_lists_and_indented_blocks_stay_lines() -> None:
    verse = "Demain, dès l’aube, à l’heure où blanchit la campagne,\nJe partirai. Vois-tu, je " \
            "sais que tu m’attends.\nJ’irai par la forêt, j’irai par la montagne.\nJe ne puis " \
            "demeurer loin de toi plus longtemps."
    assert reflow_block(verse) == verse
    short = "Marie Dupont\n12 rue des Lilas\n75011 Paris"
    assert reflow_block(short) == short
    listing = "- le pain\n- le vin\n- le fromage"
    assert reflow_block(listing) == listing
    indented = "    def f():\n        return 1\n    print(f())"
    assert reflow_block(indented) == indented


def test_indented_wrapped_prose_is_joined() -> None:
    for indent in ("\t", "\t\t", "    "):
        block = textwrap.indent(textwrap.fill(PROSE, 72), indent)
        assert block.count("\n") == 4
        assert reflow_block(block) == PROSE
    # The whole of a file indented by a tab reads as its paragraphs.
    text = "Le titre\n\n" + textwrap.indent(textwrap.fill(PROSE, 70), "\t") + "\n"
    assert [p.text for p in parse_text(text, Path("a.txt")).paragraphs] == ["Le titre", PROSE]


def test_first_line_indents_keep_their_paragraphs_apart() -> None:
    second = "La mesure, réclamée par les associations depuis l’automne, coûtera deux " \
             "milliards d’euros à l’État et aux bailleurs sociaux, selon le ministère."
    block = "\n".join(
        "\t" + textwrap.fill(text, 72) for text in (PROSE, second)
    )
    assert reflow_block(block) == PROSE + "\n" + second


def test_indented_verse_code_and_tables_stay_lines() -> None:
    verse = "\tDemain, dès l’aube, à l’heure où blanchit la campagne,\n\tJe partirai. Vois-tu, " \
            "je sais que tu m’attends.\n\tJ’irai par la forêt, j’irai par la montagne.\n" \
            "\tJe ne puis demeurer loin de toi plus longtemps."
    assert reflow_block(verse) == verse
    code = "\tfor line in lines:\n\t\tif line.strip():\n\t\t\tout.append(line)\n\treturn out"
    assert reflow_block(code) == code
    # Wrapped, but code: its symbols say so.
    wrapped_code = textwrap.indent(textwrap.fill("x = " + " + ".join(["valeur"] * 30), 60), "\t")
    assert reflow_block(wrapped_code) == wrapped_code
    listing = "\t- le pain\n\t- le vin\n\t- le fromage"
    assert reflow_block(listing) == listing


def test_a_wrapped_list_item_is_joined_but_items_stay_apart() -> None:
    item = textwrap.fill("- " + PROSE, 72, subsequent_indent="  ")
    text = item + "\n- un second point"
    out = reflow_block(text).split("\n")
    assert out == ["- " + PROSE, "- un second point"]


def test_reflow_keeps_blocks_apart() -> None:
    text = textwrap.fill(PROSE, 72) + "\n\n" + textwrap.fill(PROSE, 72)
    assert reflow(text) == PROSE + "\n\n" + PROSE


def test_a_wrapped_text_file_reads_as_paragraphs() -> None:
    text = "Le titre\n\n" + textwrap.fill(PROSE, 75) + "\n\n" + textwrap.fill(PROSE, 75) + "\n"
    article = parse_text(text, Path("mail.txt"))
    assert [p.text for p in article.paragraphs] == ["Le titre", PROSE, PROSE]
    assert [p.kind for p in article.paragraphs] == [
        ParagraphKind.TITLE, ParagraphKind.LEDE, ParagraphKind.BODY
    ]
    markdown = parse_text("# Le titre\n\n" + textwrap.fill(PROSE, 75), Path("a.md"))
    assert markdown.paragraphs[-1].text == PROSE


def test_controls_and_invisible_characters_go_in_one_pass_as_in_two() -> None:
    import random
    import re

    from reader.core.text.hygiene import strip_invisible

    controls = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")
    pool = "ab é\n\t\r\x0b\x0c\x00\x01\x1f\x7f\x80\u00ad\u200b\u200c\u200d\u2060\ufeff\u180eفا"
    rng = random.Random(5)
    for _ in range(3000):
        text = "".join(rng.choice(pool) for _ in range(rng.randrange(30)))
        assert strip_invisible(text, controls=True) == strip_invisible(controls.sub("", text))
