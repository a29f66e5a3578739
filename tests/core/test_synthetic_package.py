"""The synthetic Argos packages: real format, loadable, length-controlled gibberish."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest

from testkit.synthetic_package import build_synthetic_package

SENTENCES = [
    "Les troupes du tyran ont perdu plus de territoire en quelques jours.",
    "Bonjour.",
    "Une fusée russe lancée à Kharkiv depuis la région de Belgorod.",
]


def _extract(package: Path, where: Path) -> Path:
    with zipfile.ZipFile(package) as archive:
        archive.extractall(where)
        (top,) = {name.split("/")[0] for name in archive.namelist()}
    return where / top


def _translate(root: Path, length: int, beam_size: int = 1) -> list[list[str]]:
    import ctranslate2
    import sentencepiece

    tokenizer = sentencepiece.SentencePieceProcessor(model_file=str(root / "sentencepiece.model"))
    translator = ctranslate2.Translator(str(root / "model"))
    tokens = [tokenizer.encode(s, out_type=str) for s in SENTENCES]
    results = translator.translate_batch(
        tokens, max_decoding_length=length, beam_size=beam_size
    )
    return [result.hypotheses[0] for result in results]


def test_layout_is_a_real_argos_package(random_packages: dict[str, Path]) -> None:
    package = random_packages["fr_en"]
    assert package.name == "translate-fr_en-1_0.argosmodel"
    with zipfile.ZipFile(package) as archive:
        names = set(archive.namelist())
        metadata = json.loads(archive.read("translate-fr_en-1_0/metadata.json"))
    assert {name.split("/")[0] for name in names} == {"translate-fr_en-1_0"}
    for required in (
        "metadata.json", "README.md", "sentencepiece.model", "model/model.bin",
        "model/config.json", "model/shared_vocabulary.json",
    ):
        assert f"translate-fr_en-1_0/{required}" in names
    assert metadata["type"] == "translate"
    assert (metadata["from_code"], metadata["to_code"]) == ("fr", "en")
    assert (metadata["from_name"], metadata["to_name"]) == ("French", "English")
    assert metadata["package_version"] == "1.0"


def test_argostranslate_reads_it(random_packages: dict[str, Path], tmp_path: Path) -> None:
    import argostranslate.package

    root = _extract(random_packages["en_es"], tmp_path)
    package = argostranslate.package.Package(root)
    assert (package.from_code, package.to_code, package.package_version) == ("en", "es", "1.0")
    assert argostranslate.package.argospm_package_name(package) == "translate-en_es"
    assert package.tokenizer.encode("Bonjour tout le monde")  # the shipped SentencePiece model


@pytest.mark.parametrize(("length", "beam_size"), [(4, 1), (11, 1), (7, 4)])
def test_output_length_is_exactly_the_decoding_limit(
    random_packages: dict[str, Path], tmp_path: Path, length: int, beam_size: int
) -> None:
    root = _extract(random_packages["fr_en"], tmp_path)
    for hypothesis in _translate(root, length, beam_size):
        assert len(hypothesis) == length
        assert not {"<s>", "</s>", "<unk>", "▁"} & set(hypothesis)
        assert "".join(hypothesis).replace("▁", "").strip()  # never blank


def test_deterministic_and_pair_specific(tmp_path: Path) -> None:
    first = build_synthetic_package(tmp_path / "a", "fr", "en")
    again = build_synthetic_package(tmp_path / "b", "fr", "en")
    other = build_synthetic_package(tmp_path / "c", "fr", "de")
    weights = "translate-{}-1_0/model/model.bin"
    with zipfile.ZipFile(first) as a, zipfile.ZipFile(again) as b, zipfile.ZipFile(other) as c:
        assert a.read(weights.format("fr_en")) == b.read(weights.format("fr_en"))
        assert a.read(weights.format("fr_en")) != c.read(weights.format("fr_de"))


def test_tokenizer_trained_once_per_folder(tmp_path: Path) -> None:
    tmp_path = tmp_path / "out"
    build_synthetic_package(tmp_path, "fr", "en")
    cached = list((tmp_path / ".sentencepiece-cache").glob("*.model"))
    assert len(cached) == 1
    stamp = cached[0].stat().st_mtime_ns
    build_synthetic_package(tmp_path, "en", "es")
    assert [p.stat().st_mtime_ns for p in (tmp_path / ".sentencepiece-cache").glob("*")] == [stamp]
    # Only finished packages (and the cache) are left behind.
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        ".sentencepiece-cache", "translate-en_es-1_0.argosmodel", "translate-fr_en-1_0.argosmodel",
    ]


def test_tiny_build_makes_a_package(tmp_path: Path) -> None:
    built = build_synthetic_package(tmp_path, "fr", "it")
    assert built.suffix == ".argosmodel" and built.stat().st_size > 10_000


def test_int8_padded_vocabulary_and_stanza(tmp_path: Path) -> None:
    package = build_synthetic_package(
        tmp_path, "fr", "en", version="2.0", quantization="int8", extra_vocab_to=1500,
        with_stanza=True,
    )
    root = _extract(package, tmp_path / "x")
    vocabulary = json.loads((root / "model" / "shared_vocabulary.json").read_text("utf-8"))
    assert len(vocabulary) == 1500
    assert (root / "stanza").is_dir()
    for hypothesis in _translate(root, 6):
        assert len(hypothesis) == 6
        assert not any(piece.startswith("<synthetic_") for piece in hypothesis)
