"""Text → Article: the rules drawn from the seed articles, formats, and robustness."""

from __future__ import annotations

from pathlib import Path

import pytest

from reader.core.articles import parser
from reader.core.articles.article import Article, ParagraphKind
from reader.core.articles.layout import is_boilerplate, is_caption
from reader.core.articles.parser import parse_file, parse_text
from reader.core.language import langid
from tests.data.make_bad_corpus import (
    ARABIC_BODY,
    ARABIC_TITLE,
    EMOJI_BODY,
    LONG_PARAGRAPH_CHARS,
)

K = ParagraphKind


def _seed(seeds_dir: Path, prefix: str) -> Path:
    (path,) = seeds_dir.glob(f"{prefix}_*.txt")
    return path


def _file_blocks(path: Path) -> list[str]:
    """The file's non-empty trimmed blocks, computed independently of the parser."""
    blocks: list[str] = []
    current: list[str] = []
    for line in path.read_text(encoding="utf-8").split("\n"):
        if line.strip():
            current.append(line)
        elif current:
            blocks.append("\n".join(current).strip())
            current = []
    if current:
        blocks.append("\n".join(current).strip())
    return blocks


def _texts(article: Article) -> list[str]:
    return [paragraph.text for paragraph in article.paragraphs]


def _kinds(article: Article) -> list[ParagraphKind]:
    return [paragraph.kind for paragraph in article.paragraphs]


def _parse(text: str, name: str = "article.txt", **kwargs: bool) -> Article:
    return parse_text(text, Path(name), **kwargs)


@pytest.fixture(scope="module")
def seeds(seeds_dir: Path) -> dict[str, Article]:
    """Each seed parsed in full mode (per-paragraph languages), keyed by its number."""
    return {prefix: parse_file(_seed(seeds_dir, prefix)) for prefix in SEED_METADATA}


# --------------------------------------------------------------------------- seeds

# What reading the seed files shows to be metadata: block indexes that are not
# paragraphs (breadcrumb, byline, repeated title) and the date glued to the headline.
SEED_METADATA: dict[str, tuple[list[int], str | None]] = {
    "000": ([], "2022-09"),
    "001": ([], None),
    "002": ([0, 2], None),
    "003": ([], "2023-05"),
    "004": ([1], None),
}


@pytest.mark.parametrize("prefix", sorted(SEED_METADATA))
def test_paragraphs_are_the_file_blocks_minus_metadata(
    seeds: dict[str, Article], seeds_dir: Path, prefix: str
) -> None:
    dropped, date = SEED_METADATA[prefix]
    blocks = _file_blocks(_seed(seeds_dir, prefix))
    expected = [block for index, block in enumerate(blocks) if index not in dropped]
    if date:
        assert expected[0].startswith(f"date {date} ")
        expected[0] = expected[0].removeprefix(f"date {date} ")
    article = seeds[prefix]
    assert _texts(article) == expected
    assert [paragraph.index for paragraph in article.paragraphs] == list(range(len(expected)))


@pytest.mark.parametrize("prefix", sorted(SEED_METADATA))
def test_every_seed_has_one_title_then_a_lede_and_is_french(
    seeds: dict[str, Article], prefix: str
) -> None:
    article = seeds[prefix]
    assert article.ok
    kinds = _kinds(article)
    assert kinds[0] is K.TITLE and kinds.count(K.TITLE) == 1
    assert kinds[1] is K.LEDE and kinds.count(K.LEDE) == 1
    assert article.title == article.paragraphs[0].text
    assert article.language == "fr" and article.language_confidence > 0.9


@pytest.mark.parametrize(("prefix", "date"), [("000", "2022-09"), ("003", "2023-05")])
def test_date_glued_to_the_headline(seeds: dict[str, Article], prefix: str, date: str) -> None:
    article = seeds[prefix]
    assert article.date == date
    assert "date" not in article.title and date not in article.title
    assert article.paragraphs[0].text == article.title


def test_000_title_and_captions(seeds: dict[str, Article]) -> None:
    article = seeds["000"]
    assert article.title.startswith("Les RUSSES vivant à quelques kilomètres")
    captions = [p.text for p in article.paragraphs if p.kind is K.CAPTION]
    assert len(captions) == 3
    assert captions[0].startswith("Les réfugiés affluent") and captions[0].endswith("Crédit : AP")
    assert captions[1].endswith("Crédit : AP")
    assert captions[2].endswith("Crédit : Reuters")
    assert article.paragraphs[-1].kind is K.CAPTION


def test_000_quotes(seeds: dict[str, Article]) -> None:
    by_text = {p.text: p.kind for p in seeds["000"].paragraphs}
    assert by_text["“NOUS AVONS PEUR”"] is K.QUOTE
    opening_quote = [text for text, kind in by_text.items() if text.startswith("“")]
    assert opening_quote and all(by_text[text] is K.QUOTE for text in opening_quote)
    # A quotation inside a paragraph does not make it a quote.
    ekaterina = next(text for text in by_text if text.startswith("L’institutrice"))
    assert by_text[ekaterina] is K.BODY


def test_001_without_metadata_first_block_is_the_title(
    seeds: dict[str, Article], seeds_dir: Path
) -> None:
    article = seeds["001"]
    assert article.title == _file_blocks(_seed(seeds_dir, "001"))[0]
    assert (article.date, article.byline, article.section) == (None, None, None)


def test_002_breadcrumb_byline_and_boilerplate(seeds: dict[str, Article]) -> None:
    article = seeds["002"]
    title = (
        "Tournant alors que Zelensky salue la libération de 2 000 km alors que Poutine "
        "subit le pire revers"
    )
    assert article.section == "MONDE"
    assert article.byline == "Jessie Neal"
    assert article.title == title
    texts = _texts(article)
    assert texts.count(title) == 1
    assert not any(text.startswith("Home") or text == "par Jessie Neal" for text in texts)
    related, cookies = article.paragraphs[-2:]
    assert related.text == "Related Articles"
    assert cookies.text.startswith("This website uses cookies")
    for paragraph in (related, cookies):
        assert paragraph.kind is K.BOILERPLATE
        assert paragraph.language == "en" and paragraph.language_confidence > 0.5
    read_more = next(p for p in article.paragraphs if p.text.startswith("En savoir plus"))
    assert read_more.kind is K.BOILERPLATE
    assert _kinds(article).count(K.BOILERPLATE) == 3
    assert article.language == "fr"


def test_004_title_printed_twice_is_shown_once(seeds: dict[str, Article]) -> None:
    article = seeds["004"]
    assert _texts(article).count(article.title) == 1
    assert article.paragraphs[1].text != article.title
    assert article.paragraphs[1].text.startswith("Les autorités locales de Belgorod")


def test_full_mode_detects_each_paragraph_and_short_ones_inherit(
    seeds: dict[str, Article],
) -> None:
    article = seeds["002"]
    info = next(p for p in article.paragraphs if p.text == "INFO")
    assert (info.language, info.language_confidence) == ("fr", 0.0)
    long_ones = [p for p in article.paragraphs if len(p.text) > 200]
    assert long_ones and all(p.language == "fr" and p.language_confidence > 0.5 for p in long_ones)


def test_listing_mode_detects_only_the_article_and_boilerplate(seeds_dir: Path) -> None:
    article = parse_file(_seed(seeds_dir, "002"), paragraph_languages=False)
    assert article.language == "fr" and article.language_confidence > 0.9
    for paragraph in article.paragraphs:
        if paragraph.kind is K.BOILERPLATE:
            assert paragraph.language_confidence > 0.5  # judged, whatever its length
        else:
            assert (paragraph.language, paragraph.language_confidence) == ("fr", 0.0)
    assert [p.language for p in article.paragraphs[-2:]] == ["en", "en"]
    read_more = next(p for p in article.paragraphs if p.text.startswith("En savoir plus"))
    assert read_more.language == "fr"


def test_same_result_every_time(seeds: dict[str, Article], seeds_dir: Path) -> None:
    langid.detect_sample.cache_clear()
    assert parse_file(_seed(seeds_dir, "002")) == seeds["002"]


# --------------------------------------------------------------------------- rules


def test_blocks_are_separated_by_one_or_more_blank_lines() -> None:
    article = _parse("Titre\n\n\n\n  \n\t\nPremière ligne\nseconde ligne\n\n\n   Fin.  \n")
    assert _texts(article) == ["Titre", "Première ligne\nseconde ligne", "Fin."]


def test_article_language_excludes_boilerplate() -> None:
    banner = (
        "This website uses cookies to improve your experience. We'll assume you're ok with "
        "this, but you can opt-out if you wish. Accept Read More"
    )
    text = "\n\n".join(
        ["Le budget est adopté", "L’Assemblée a adopté le budget mardi soir après un long débat."]
        + [banner] * 12
    )
    article = _parse(text)
    assert _kinds(article)[2:] == [K.BOILERPLATE] * 12
    assert article.language == "fr"


@pytest.mark.parametrize(
    ("block", "byline"),
    [("Par Marie Dupont", "Marie Dupont"), ("By Jane Doe", "Jane Doe"), ("par AFP", "AFP")],
)
def test_byline_after_the_title(block: str, byline: str) -> None:
    article = _parse(f"Le titre de l’article\n\n{block}\n\nLe premier paragraphe du texte.")
    assert article.byline == byline
    assert _texts(article) == ["Le titre de l’article", "Le premier paragraphe du texte."]


@pytest.mark.parametrize(
    "block",
    [
        "Par ailleurs, la situation reste tendue.",
        "Par un correspondant de notre journal à Kiev en Ukraine",
        "by the way",
    ],
)
def test_sentences_starting_like_a_byline_stay_paragraphs(block: str) -> None:
    article = _parse(f"Le titre de l’article\n\n{block}\n\nLe paragraphe suivant.")
    assert article.byline is None
    assert _texts(article)[1] == block


@pytest.mark.parametrize(
    ("crumb", "section"),
    [
        ("Accueil › Économie › Le titre de l’article", "Économie"),
        ("Home » MONDE » Le titre de l’article", "MONDE"),
        ("Home » Sport", "Sport"),
        ("Monde » Europe » Le titre de l’article", "Monde"),
    ],
)
def test_breadcrumbs_give_the_section(crumb: str, section: str) -> None:
    article = _parse(f"{crumb}\n\nLe titre de l’article\n\nLe corps du texte ici.")
    assert article.section == section
    assert _texts(article) == ["Le titre de l’article", "Le corps du texte ici."]


def test_guillemets_in_a_title_are_not_a_breadcrumb() -> None:
    title = "Les autorités déclarent une « opération » en réponse à un « raid » ce lundi"
    article = _parse(f"{title}\n\n{title}\n\nLe corps.")
    assert article.section is None
    assert _texts(article) == [title, "Le corps."]


def test_date_only_block_is_metadata() -> None:
    article = _parse("date 2024-01-15\n\nLe titre\n\nLe corps du texte.")
    assert article.date == "2024-01-15"
    assert _texts(article) == ["Le titre", "Le corps du texte."]


@pytest.mark.parametrize(
    "text",
    [
        "Des chars détruits près d’Izium Crédit : AP",
        "Des chars détruits près d’Izium Crédit : Reuters",
        "Des chars détruits près d’Izium Photo : Reuters/Jean Dupont",
        "Des chars détruits près d’Izium Credit: Getty Images",
        "Des chars détruits près d’Izium (Photo: AFP)",
    ],
)
def test_captions(text: str) -> None:
    assert is_caption(text)
    article = _parse(f"Titre\n\n{text}\n\nLe premier paragraphe.")
    assert _kinds(article) == [K.TITLE, K.CAPTION, K.LEDE]
    assert _texts(article)[1] == text


@pytest.mark.parametrize(
    "text",
    [
        "Il a publié une photo : un drapeau bleu et jaune flottant sur la mairie.",
        "Crédit : AP, a précisé l’agence dans un long communiqué publié ce matin.\nSuite.",
        "Le crédit : une question de confiance entre la banque et ses clients depuis toujours",
    ],
)
def test_not_captions(text: str) -> None:
    assert not is_caption(text)


@pytest.mark.parametrize("opener", ["“", "«", '"'])
def test_paragraph_opening_with_a_quotation_mark_is_a_quote(opener: str) -> None:
    article = _parse(f"Titre\n\nLe premier paragraphe.\n\n{opener}Nous tiendrons bon, dit-il.")
    assert _kinds(article) == [K.TITLE, K.LEDE, K.QUOTE]


@pytest.mark.parametrize(
    "text",
    [
        "Related Articles",
        "Read More",
        "Accept",
        "Subscribe",
        "Sign up for our newsletter",
        "Lire aussi : Le Kremlin dément toute retraite",
        "À lire aussi",
        "En savoir plus sur le blog en direct d’Express.co.uk ICI.",
        "Ce site utilise des cookies pour améliorer votre expérience de navigation.",
        "This website uses cookies to improve your experience. Accept Read More",
        "© 2024 Le Journal. Tous droits réservés.",
        "January 13, 2020 at 08:45 AM | categories: Python, Mercurial | View Comments",
        "12 mars 2024 | Société | 3 commentaires",
    ],
)
def test_boilerplate(text: str) -> None:
    assert is_boilerplate(text)


@pytest.mark.parametrize(
    "text",
    [
        "Les enfants ont mangé des cookies au chocolat pendant la récréation.",
        "Il faut lire aussi les rapports des observateurs, estime le chercheur, car ils "
        "contredisent la version officielle sur de nombreux points importants et détaillés "
        "que personne n’avait relevés jusque-là malgré des mois d’enquête sur place dans la "
        "région, dans les villages et jusque dans les tranchées du front.",
        "Ukraine EN DIRECT : Taïwan porte un coup de marteau à la Russie",
        "INFO",
        "Le vote a eu lieu mardi | les élus ont rejeté le texte, faute de 3 commentaires "
        "favorables des commissions, selon le rapport publié ce matin par le Sénat et relu "
        "par la rédaction | 3 commentaires",
    ],
)
def test_not_boilerplate(text: str) -> None:
    assert not is_boilerplate(text)


def test_boilerplate_is_always_detected_and_never_the_lede() -> None:
    article = _parse(
        "Titre de l’article\n\nRelated Articles\n\nLe premier vrai paragraphe.",
        paragraph_languages=False,
    )
    assert _kinds(article) == [K.TITLE, K.BOILERPLATE, K.LEDE]
    assert article.paragraphs[1].language == "en"


def test_per_paragraph_detection_has_a_budget(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[bool] = []
    real_detect = langid.detect

    def spy(text: str, **kwargs: object) -> tuple[str, float]:
        if "max_chars" not in kwargs:  # not the article-level call
            calls.append(bool(kwargs.get("force")))
        return real_detect(text, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(parser, "MAX_PARAGRAPH_DETECTIONS", 3)
    monkeypatch.setattr(langid, "detect", spy)
    body = [
        f"Le conseil municipal numéro {i} a voté le budget de la ville pour l’année prochaine."
        for i in range(10)
    ]
    article = _parse("\n\n".join(["Le titre du jour", *body, "Related Articles"]))
    assert calls.count(False) == 3
    assert calls.count(True) == 1
    assert article.paragraphs[-1].language == "en"
    judged = [p for p in article.paragraphs[1:-1] if p.language_confidence > 0]
    assert len(judged) == 2  # the title took one of the three
    assert all(p.language == "fr" for p in article.paragraphs[:-1])


def test_identical_paragraphs_are_detected_once(monkeypatch: pytest.MonkeyPatch) -> None:
    calls = 0
    real_detect = langid.detect

    def spy(text: str, **kwargs: object) -> tuple[str, float]:
        nonlocal calls
        if "max_chars" not in kwargs:  # not the article-level call
            calls += 1
        return real_detect(text, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(langid, "detect", spy)
    paragraph = "Le conseil municipal a voté le budget de la ville pour l’année prochaine."
    article = _parse("\n\n".join(["Titre", *[paragraph] * 50]))
    assert calls == 2
    assert len({(p.language, p.language_confidence) for p in article.paragraphs[1:]}) == 1


# --------------------------------------------------------------------------- formats


def test_markdown_headings(bad_corpus: dict[str, Path]) -> None:
    article = parse_file(bad_corpus["markdown"])
    assert article.title == "La Banque centrale relève ses taux"
    texts = _texts(article)
    assert texts[0] == article.title
    assert "Une inflation encore trop forte" in texts
    assert not any(text.lstrip().startswith("#") for text in texts)
    assert _kinds(article)[:2] == [K.TITLE, K.LEDE]
    assert any(p.kind is K.QUOTE for p in article.paragraphs)


def test_markdown_variants() -> None:
    glued = _parse("Intro du site\n\n# Le titre #\nLe premier paragraphe.", "a.md")
    assert _texts(glued) == ["Intro du site", "Le titre", "Le premier paragraphe."]
    assert _kinds(glued) == [K.BODY, K.TITLE, K.LEDE]
    setext = _parse("Le titre\n========\n\nLe corps.\n\n---\n\nLa suite.", "a.markdown")
    assert _texts(setext) == ["Le titre", "Le corps.", "La suite."]
    # Outside Markdown files a "#" is just text.
    assert _texts(_parse("# Pas un titre\n\nCorps.", "a.txt"))[0] == "# Pas un titre"


def test_html_page(bad_corpus: dict[str, Path]) -> None:
    article = parse_file(bad_corpus["html"])
    assert article.ok
    texts = _texts(article)
    joined = "\n".join(texts)
    for hidden in ("tracking", "ne doit pas", "color: red", "Politique", "abonnez-vous",
                   "Activez JavaScript", "© 2024", "Le Journal", "<", "&agrave;", "&amp;"):
        assert hidden not in joined, hidden
    assert article.title == "Grève à la SNCF : le trafic très perturbé"
    assert texts.count(article.title) == 1
    lede = article.paragraphs[1]
    assert lede.kind is K.LEDE
    assert "grève reconductible à partir de lundi" in lede.text
    assert "«\u00a0historique\u00a0»" in lede.text
    kinds = dict(zip(texts, _kinds(article), strict=True))
    assert kinds["Un TGV en gare de Lyon. Photo : AFP"] is K.CAPTION
    assert kinds["Nous ne lâcherons rien tant que le gouvernement n’aura pas reculé."] is K.QUOTE
    assert "Trains régionaux : un sur trois." in texts and "TGV : deux sur cinq." in texts
    assert (
        "Le ministre des Transports & la direction se disent ouverts au dialogue,\n"
        "mais aucune date n’a été fixée." in texts
    )


def test_html_title_element_without_h1() -> None:
    page = (
        "<html><head><title>Mon titre</title></head><body>"
        "<p>Le premier paragraphe de l’article.</p></body></html>"
    )
    article = _parse(page, "page.htm")
    assert _texts(article) == ["Mon titre", "Le premier paragraphe de l’article."]
    assert _kinds(article) == [K.TITLE, K.LEDE]
    shown = page.replace("<body>", "<body><p>Mon titre</p>")
    assert _texts(_parse(shown, "page.html")) == _texts(article)


def test_html_is_recognised_by_content() -> None:
    page = "<!DOCTYPE html><html><body><h1>Un titre</h1><p>Un paragraphe.</p></body></html>"
    assert _texts(_parse(page, "saved.txt")) == ["Un titre", "Un paragraphe."]


def test_html_without_text() -> None:
    article = _parse("<html><script>alert(1)</script></html>", "x.html")
    assert article.error == "no article text found"


# --------------------------------------------------------------------------- robustness


def test_ten_megabyte_article(bad_corpus: dict[str, Path]) -> None:
    path = bad_corpus["big"]
    assert path.stat().st_size >= 10 * 1024 * 1024
    article = parse_file(path, paragraph_languages=False)
    assert article.ok and article.language == "fr"
    assert len(article.paragraphs) == len(_file_blocks(path))
    full = parse_file(path, paragraph_languages=True)
    assert _texts(full) == _texts(article)


def test_one_huge_paragraph(bad_corpus: dict[str, Path]) -> None:
    article = parse_file(bad_corpus["long_paragraph"])
    assert _kinds(article) == [K.TITLE, K.LEDE]
    assert len(article.paragraphs[1].text) == LONG_PARAGRAPH_CHARS
    assert article.paragraphs[1].language == "fr"


def test_arabic_right_to_left(bad_corpus: dict[str, Path]) -> None:
    article = parse_file(bad_corpus["arabic"])
    assert _texts(article) == [ARABIC_TITLE, ARABIC_BODY]
    assert article.language == "ar"
    assert article.paragraphs[1].language == "ar"


def test_emoji_survive(bad_corpus: dict[str, Path]) -> None:
    article = parse_file(bad_corpus["emoji"])
    assert _texts(article) == ["Victoire 🎉 à Marseille", EMOJI_BODY]
    assert article.language == "fr"


def test_nul_and_control_characters_in_text_are_dropped() -> None:
    article = _parse("Un\x00 titre\n\nLe corps\x00 du texte\x07 continue.")
    assert _texts(article) == ["Un titre", "Le corps du texte continue."]


def test_empty_text() -> None:
    assert _parse("  \n\n \t").error == "empty file"
    assert _parse("\x00\x00").error == "empty file"


def test_parse_file_never_raises(bad_corpus: dict[str, Path]) -> None:
    for name, path in bad_corpus.items():
        article = parse_file(path, paragraph_languages=False)
        assert article.path == path
        if article.error is not None:
            assert article.error and "\n" not in article.error, name
            assert article.paragraphs == ()
        else:
            assert article.paragraphs, name


def test_a_parser_bug_becomes_an_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "a.txt"
    path.write_text("Titre\n\nCorps.", encoding="utf-8")

    def broken(*args: object, **kwargs: object) -> None:
        raise ValueError("boom")

    monkeypatch.setattr(parser, "layout", broken)
    assert parse_file(path).error == "could not parse (ValueError)"
