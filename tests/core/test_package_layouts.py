"""Every real package layout installs and translates; broken tokenizers and models are refused
at install with one line; the real index (a snapshot, no weights) is parsed and routed.

Packages are built by testkit (random weights: output is gibberish by design) and
rewritten into each layout by testkit.package_layouts.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from reader import paths
from reader.core.articles.parser import parse_text
from reader.core.models import store as packages
from reader.core.models.store import InstalledPackage, PackageError
from reader.core.models.tokenizers import SentencePieceTokenizer
from reader.core.translation.engine import ModelPool, ParagraphReady, TranslationEngine
from reader.core.translation.results import ParagraphStatus
from testkit.package_layouts import learn_bpe_codes, relayout
from tests.conftest import REPO_ROOT, PackageIndexServer

INDEX_SNAPSHOT = REPO_ROOT / "tests" / "data" / "argospm-index.json"
FRENCH = (
    "Le gouvernement a annoncé mercredi une série de mesures. Les syndicats ont réagi "
    "aussitôt. La discussion reprendra lundi."
)
ENGLISH = "The government announced new measures on Wednesday. The unions reacted at once."


def translate(text: str, source: str, target: str) -> list[ParagraphStatus]:
    article = parse_text(text, Path("article.txt")).with_source_language(source)
    engine = TranslationEngine(None, pool=ModelPool())
    events = list(engine.translate(article, target, use_cache=False))
    ready = [event.paragraph for event in events if isinstance(event, ParagraphReady)]
    assert ready and all(paragraph.translation.strip() for paragraph in ready)
    return [paragraph.status for paragraph in ready]


def nothing_installed() -> bool:
    root = paths.packages_dir()
    return not root.exists() or not [p for p in root.iterdir() if not p.name.startswith(".")]


def test_bare_folder_zip_installs_and_translates(
    synthetic_packages: dict[str, Path], isolated_xdg: dict[str, Path], tmp_path: Path
) -> None:
    bare = relayout(synthetic_packages["en_es"], tmp_path / "en_es.argosmodel", folder="en_es")
    installed = packages.install_package(bare)
    assert installed.code == "translate-en_es"
    assert installed.path.name == "translate-en_es-1_0"  # named from its metadata
    assert translate(ENGLISH, "en", "es") == [ParagraphStatus.TRANSLATED]


def test_versioned_folder_with_stanza_and_readme(
    synthetic_packages: dict[str, Path], isolated_xdg: dict[str, Path], tmp_path: Path
) -> None:
    from testkit.handset_package import build_echo_package

    # The echo model stops like trained weights (random ones never do: "truncated").
    built = build_echo_package(tmp_path, "fr", "en", version="1.9", with_stanza=True)
    assert built.name == "translate-fr_en-1_9.argosmodel"
    installed = packages.install_package(built)
    assert installed.has_stanza and (installed.path / "README.md").is_file()
    assert translate(FRENCH, "fr", "en") == [ParagraphStatus.TRANSLATED]


def test_opus_mt_bpe_package_installs_and_translates(
    synthetic_packages: dict[str, Path], isolated_xdg: dict[str, Path], tmp_path: Path
) -> None:
    seeds = [line for path in (REPO_ROOT / "seeds").glob("*.txt") for line in
             path.read_text("utf-8").splitlines()]
    codes = learn_bpe_codes(seeds, merges=200).encode()
    converted = relayout(
        synthetic_packages["fr_en"],
        tmp_path / "translate-fr_en-1_0.argosmodel",
        drop={"sentencepiece.model"},
        add={"bpe.model": codes, "stanza/resources.json": b"{}", "README.md": b"# OPUS-MT\n"},
    )
    installed = packages.install_package(converted)
    assert (installed.path / "bpe.model").is_file()
    assert not (installed.path / "sentencepiece.model").exists()
    assert translate(FRENCH, "fr", "en") == [ParagraphStatus.TRANSLATED]


@pytest.mark.parametrize(
    ("replace", "content", "reason"),
    [
        ("bpe.model", b"#version: 0.2\nthree units here\n", "tokenizer (bpe.model)"),
        ("bpe.model", b"\xff\xfe\x00\x01", "cannot load the tokenizer (bpe.model)"),
        ("bpe.model", b"", "cannot load the tokenizer (bpe.model)"),
        ("sentencepiece.model", b"not a model", "cannot load the tokenizer (sentencepiece"),
        ("model/model.bin", b"\x00" * 64, "model is refused: model.bin has unsupported binary"),
    ],
)
def test_broken_tokenizer_or_model_is_refused_at_install(
    synthetic_packages: dict[str, Path],
    isolated_xdg: dict[str, Path],
    tmp_path: Path,
    replace: str,
    content: bytes,
    reason: str,
) -> None:
    drop = {replace, "sentencepiece.model"} if replace == "bpe.model" else {replace}
    broken = relayout(
        synthetic_packages["fr_en"],
        tmp_path / "translate-fr_en-1_0.argosmodel",
        drop=drop,
        add={replace: content},
    )
    with pytest.raises(PackageError) as raised:
        packages.install_package(broken)
    message = str(raised.value)
    assert message.startswith("cannot install translate-fr_en-1_0.argosmodel: ")
    assert reason in message and "\n" not in message
    assert nothing_installed()


def test_a_tokenizer_broken_after_install_fails_the_paragraphs_not_the_engine(
    install_fr_en: InstalledPackage,
) -> None:
    # Damaged on disk after a good install: the engine reports it, nothing escapes.
    (install_fr_en.path / "sentencepiece.model").unlink()
    (install_fr_en.path / "bpe.model").write_text("#version: 0.2\nbad line here\n")
    article = parse_text(FRENCH, Path("a.txt")).with_source_language("fr")
    events = list(TranslationEngine(None, pool=ModelPool()).translate(article, "en"))
    finished = events[-1]
    assert "cannot load the tokenizer (bpe.model)" in (finished.error or "")
    assert all(
        event.paragraph.status is ParagraphStatus.FAILED
        for event in events
        if isinstance(event, ParagraphReady)
    )


def test_source_side_sentencepiece_decodes_target_pieces_it_lacks(
    install_fr_en: InstalledPackage,
) -> None:
    tokenizer = SentencePieceTokenizer(install_fr_en.path / "sentencepiece.model")
    # Target pieces of an OPUS-MT model that the source-side model does not know.
    decoded = tokenizer.decode(["▁Guten", "▁Tag", "!", "▁", "<0xE4>", "<0xBD>", "<0xA0>"])
    assert decoded == "Guten Tag! 你"
    assert "⁇" not in decoded
    known = tokenizer.encode("Le gouvernement")
    assert tokenizer.decode(known) == "Le gouvernement"


def test_ipfs_links_are_skipped_and_http_links_tried_in_turn(
    package_index_server: PackageIndexServer, synthetic_packages: dict[str, Path]
) -> None:
    name = synthetic_packages["en_es"].name
    index = json.loads(package_index_server.files["index.json"])
    entry = next(e for e in index if e["from_code"] == "en")
    entry["links"] = [
        "ipfs://QmV5bmf8iqKpoGoyuTzEppaSWdceuW6zgiePaUr5ThPCpW",
        package_index_server.link("missing/" + name),
        package_index_server.link(name),
    ]
    package_index_server.set_index(index)
    assert packages.download_package("en_es").code == "translate-en_es"
    asked = [r for r in package_index_server.requests if r != "index.json"]
    assert asked == ["missing/" + name, name]

    entry["links"] = ["ipfs://QmV5bmf8iqKpoGoyuTzEppaSWdceuW6zgiePaUr5ThPCpW"]
    package_index_server.set_index(index)
    with pytest.raises(PackageError, match="no HTTP download link for translate-en_es"):
        packages.download_package("en_es")


def test_every_entry_of_the_real_index_is_parsed_and_routed(
    package_index_server: PackageIndexServer,
) -> None:
    snapshot = json.loads(INDEX_SNAPSHOT.read_text("utf-8"))
    package_index_server.files["index.json"] = INDEX_SNAPSHOT.read_bytes()
    available = packages.fetch_index()
    assert len(available) == len(snapshot) > 90
    assert {(a.from_code, a.to_code) for a in available} == {
        (e["from_code"], e["to_code"]) for e in snapshot
    }
    for info in available:
        assert info.code == f"translate-{info.from_code}_{info.to_code}"
        assert info.version and any(link.startswith("https://") for link in info.links)
    # Every pair of the index's languages: direct when the index has it, else through English.
    as_installed = [
        InstalledPackage(
            code=a.code, from_code=a.from_code, from_name=a.from_name, to_code=a.to_code,
            to_name=a.to_name, version=a.version, path=Path("/nonexistent") / a.code,
            size_bytes=0, target_prefix="", has_stanza=False,
        )
        for a in available
    ]
    direct = {(a.from_code, a.to_code) for a in available}
    languages = {code for pair in direct for code in pair}
    routed = 0
    for source in sorted(languages):
        for target in sorted(languages - {source}):
            route = packages.resolve_route(source, target, as_installed)
            if (source, target) in direct:
                assert [(p.from_code, p.to_code) for p in route] == [(source, target)]
            else:
                assert [(p.from_code, p.to_code) for p in route] == [
                    (source, "en"), ("en", target)
                ]
            routed += 1
    assert routed == len(languages) * (len(languages) - 1)
    assert {"nb", "zt", "zh", "ja", "ar", "hi", "th", "el", "fa", "ur"} <= languages


@pytest.mark.parametrize(("target", "joiner"), [("zh", ""), ("ja", ""), ("ar", " ")])
def test_sentences_translated_into_chinese_or_japanese_are_joined_without_spaces(
    isolated_xdg: dict[str, Path], tmp_path: Path, target: str, joiner: str
) -> None:
    from testkit.synthetic_package import build_synthetic_package

    packages.install_package(build_synthetic_package(tmp_path, "fr", target))
    article = parse_text(FRENCH, Path("a.txt")).with_source_language("fr")
    events = TranslationEngine(None, pool=ModelPool()).translate(article, target)
    [paragraph] = [e.paragraph for e in events if isinstance(e, ParagraphReady)]
    assert len(paragraph.sentences) == 3
    assert paragraph.translation == joiner.join(pair.target for pair in paragraph.sentences)
    for pair in paragraph.sentences:
        assert paragraph.translation[pair.target_start : pair.target_end] == pair.target


def test_a_norwegian_article_asks_for_the_index_code_nb(isolated_xdg: dict[str, Path]) -> None:
    from reader.core.models.store import MissingModelError

    norwegian = (
        "Regjeringen kunngjorde i morges at skolene holdes stengt i to dager på grunn av det "
        "kraftige snøfallet. Innbyggerne blir bedt om å holde seg hjemme så langt det er "
        "mulig, og kollektivtrafikken går etter en redusert rutetabell hele uken."
    )
    article = parse_text(f"Snøfall i Oslo\n\n{norwegian}", Path("oslo.txt"))
    assert article.language == "nb"
    with pytest.raises(MissingModelError, match="nb_en"):
        next(TranslationEngine(None, pool=ModelPool()).translate(article, "en"))
