"""The hand-set packages themselves, driven through plain CTranslate2: exact output."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import ctranslate2
import pytest
import sentencepiece as spm

from testkit.handset_package import build_handset_package, echo_text

SENTENCES = [
    "Les habitants de la ville se sont réunis ce matin devant la mairie.",
    "Le président a déclaré qu’il ne changerait pas de politique malgré les critiques.",
    "Oui.",
]


Opened = tuple[ctranslate2.Translator, spm.SentencePieceProcessor]


def _open(package: Path, tmp_path: Path) -> Opened:
    with zipfile.ZipFile(package) as archive:
        archive.extractall(tmp_path)
    root = next(tmp_path.iterdir())
    assert json.loads((root / "metadata.json").read_text())["type"] == "translate"
    return (
        ctranslate2.Translator(str(root / "model"), compute_type="auto"),
        spm.SentencePieceProcessor(model_file=str(root / "sentencepiece.model")),
    )


@pytest.mark.parametrize(("repeat", "quantization"), [(1, None), (1, "int8"), (2, "int8")])
def test_output_is_each_piece_repeat_times_then_end(
    tmp_path: Path, repeat: int, quantization: str | None
) -> None:
    package = build_handset_package(tmp_path / "out", repeat=repeat, quantization=quantization)
    translator, tokenizer = _open(package, tmp_path / "x")
    sources = [tokenizer.encode(text, out_type=str) for text in SENTENCES]
    for beam in (1, 4):
        results = translator.translate_batch(
            sources, beam_size=beam, return_end_token=True, max_decoding_length=512
        )
        for source, result in zip(sources, results, strict=True):
            assert result.hypotheses[0] == [p for p in source for _ in range(repeat)] + ["</s>"]


def test_echo_text_is_the_tokenizer_normalization(tmp_path: Path) -> None:
    package = build_handset_package(tmp_path / "out")
    with zipfile.ZipFile(package) as archive:
        model = archive.read(next(n for n in archive.namelist() if n.endswith(".model")))
    assert echo_text("Les\u00a0habitants  de\u2009la\nville", model) == "Les habitants de la ville"


def test_glossary_answers_known_pieces_and_echoes_the_rest(tmp_path: Path) -> None:
    glossary = {"▁la": "▁the", "▁le": "▁the", "▁ville": "▁town"}
    package = build_handset_package(tmp_path / "out", glossary=glossary)
    translator, tokenizer = _open(package, tmp_path / "x")
    source = tokenizer.encode("le maire de la ville", out_type=str)
    [result] = translator.translate_batch([source], beam_size=4)
    expected = [glossary.get(piece, piece) for piece in source]
    assert result.hypotheses[0] == expected
    assert expected.count("▁the") == 2  # two pieces glossed alike keep apart answers


def test_refuses_shapes_it_cannot_set(tmp_path: Path) -> None:
    with pytest.raises(ValueError):
        build_handset_package(tmp_path, d_model=32, num_heads=4)
    with pytest.raises(ValueError):
        build_handset_package(tmp_path, repeat=0)
