"""The tokenizers of Argos packages: SentencePiece (Argos-trained and most OPUS-MT-converted
packages) and BPE (older and some OPUS-MT-converted packages, Moses-tokenized).

Loaded eagerly: argostranslate's own tokenizers read their model on first use, so a broken
``bpe.model`` used to fail in the middle of a translation with a traceback. Here a tokenizer
that cannot be loaded is a :class:`PackageError` (one line) when it is built, which the
package store does at install time and the engine on first use.

Only the *source* side needs a model: OPUS-MT-converted packages ship the source-side
SentencePiece model alone, so target pieces the model does not know are joined by hand
(SentencePiece would turn each into "⁇").
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Protocol

from reader.core.models.errors import PackageError


class Tokenizer(Protocol):
    def encode(self, text: str) -> list[str]: ...

    def decode(self, tokens: list[str]) -> str: ...


_BYTE_PIECE = re.compile(r"<0x([0-9A-Fa-f]{2})>")


def _join_pieces(tokens: list[str]) -> str:
    """Decode pieces without a vocabulary: "▁" is a space, ``<0xE4>`` pieces are UTF-8 bytes
    (SentencePiece's byte fallback, which Chinese and Japanese output relies on)."""
    data = bytearray()
    for token in tokens:
        byte = _BYTE_PIECE.fullmatch(token)
        if byte:
            data.append(int(byte.group(1), 16))
        else:
            data.extend(token.replace("▁", " ").encode("utf-8"))
    return data.decode("utf-8", errors="replace").strip()


class SentencePieceTokenizer:
    def __init__(self, model_file: Path) -> None:
        import sentencepiece

        self._processor = sentencepiece.SentencePieceProcessor(model_file=str(model_file))
        self._unknown = self._processor.unk_id()

    def encode(self, text: str) -> list[str]:
        return list(self._processor.encode(text, out_type=str))

    def encode_spans(self, text: str) -> list[tuple[str, int, int]]:
        """The pieces of ``text`` with the character span each covers in ``text`` itself
        (not in its NFKC-normalized form): what word alignment maps attention back onto."""
        proto = self._processor.encode(text, out_type="proto")
        data = text.encode("utf-8")
        # SentencePiece reports byte offsets; count characters up to each one.
        chars = [0] * (len(data) + 1)
        position = 0
        for index in range(len(data) + 1):
            chars[index] = position
            if index < len(data) and (data[index] & 0xC0) != 0x80:
                position += 1
        return [(p.piece, chars[p.begin], chars[p.end]) for p in proto.pieces]

    def decode(self, tokens: list[str]) -> str:
        processor = self._processor
        unknown = self._unknown
        if any(
            processor.piece_to_id(token) == unknown and token != "<unk>" for token in tokens
        ):
            return _join_pieces(tokens)  # a target piece the source-side model lacks
        return str(processor.decode_pieces(tokens)).replace("▁", " ")


class BPETokenizer:
    """BPE with Moses pre-tokenization, as argostranslate does it (its tokenizer module is
    torch-free), loaded at once instead of on first use."""

    def __init__(self, model_file: Path, from_code: str, to_code: str) -> None:
        from argostranslate.tokenizer import BPETokenizer as ArgosBPETokenizer

        _check_bpe_codes(model_file)
        self._inner = ArgosBPETokenizer(model_file, from_code, to_code)
        self._inner.lazy_load()

    def encode(self, text: str) -> list[str]:
        return list(self._inner.encode(text))

    def decode(self, tokens: list[str]) -> str:
        return str(self._inner.decode(tokens))


def _check_bpe_codes(model_file: Path) -> None:
    """Refuse a codes file subword-nmt's reader would choke on: it calls ``sys.exit(1)``
    on a bad line (a SystemExit no ``except Exception`` catches)."""
    lines = model_file.read_text(encoding="utf-8").splitlines()
    if lines and lines[0].startswith("#version:"):
        lines = lines[1:]
    if not lines:
        raise ValueError("no BPE merges in the file")
    for number, line in enumerate(lines, start=1):
        if len(line.strip("\r\n ").split(" ")) != 2:
            raise ValueError(f"line {number} is not a pair of subword units")


def load_tokenizer(package_dir: Path, from_code: str, to_code: str) -> Tokenizer:
    """The tokenizer of the package in ``package_dir``; :class:`PackageError` if it has none
    or it cannot be read."""
    sp_model = package_dir / "sentencepiece.model"
    bpe_model = package_dir / "bpe.model"
    try:
        if sp_model.is_file():
            return SentencePieceTokenizer(sp_model)
        if bpe_model.is_file():
            return BPETokenizer(bpe_model, from_code, to_code)
    # A damaged model file makes these third-party readers raise whatever their parsing hits
    # (OSError, UnicodeDecodeError, IndexError, RuntimeError from the C++ side…).
    except Exception as error:
        name = sp_model.name if sp_model.is_file() else bpe_model.name
        reason = str(error).splitlines()[0] if str(error) else type(error).__name__
        raise PackageError(f"cannot load the tokenizer ({name}): {reason}") from error
    raise PackageError("no tokenizer (sentencepiece.model or bpe.model)")
