"""Argos packages whose Transformer weights are set by hand, so their output is exactly known.

Random weights (``synthetic_package``) never emit ``</s>``: they test structure, never
wording, and every sentence decodes to the length limit. These models stop the way trained
ones do and translate predictably, so tests can assert every word and the benchmark decodes
a realistic number of tokens:

- :func:`build_echo_package`: the translation is the input, piece for piece, then ``</s>``;
  after the engine's SentencePiece decoding that is :func:`echo_text` of the source;
- ``repeat=k``: every piece comes k times (output k times longer than the input), the shape
  of a pair whose answers run long (CJK → English, chatty targets);
- ``glossary=``: each source piece is answered with a target word (screenshots only: see
  ``scripts/build_gloss_model.py``);
- the bench model is the echo model at fr_en 1.9's shape (int8, 6+6 layers, d_model 512,
  8 heads, FFN 2048, 32k vocabulary): zero layers cost what trained ones cost.

How (one cross-attention head does all the work):

- d_model is split into a *token part* (``code_dims`` dimensions) and a *position part*
  (``pos_dims``); the rest stays zero. Every vocabulary piece gets a random ±1 code, stored
  as the pair (c, −c) so it has zero mean, and position p gets sinusoids stored as
  (sin, cos, −sin, −cos), also zero-mean with a constant norm: every layer norm on the way is
  then just a constant scaling, and nothing mixes the two parts.
- Source embeddings hold the code in the token part; the encoder's position encodings hold
  the sinusoids in the position part. Encoder layers are all zero: with pre-norm residuals
  they pass their input through. ``add_source_eos`` puts ``</s>`` at source position n.
- Target embeddings are zero; the decoder's position encoding at step t is the sinusoid of
  source position ``t // k``. In the first decoder layer, cross-attention queries and keys
  are the position part times a sharpness factor (step t attends source position t // k
  alone), values carry the token part, and the output projection writes it back. Every
  other weight is zero.
- Output projection row of target piece v = α × code of the source piece it answers, so the
  logit of the right piece beats every other by a wide margin (codes are distinct). Pieces
  that answer nothing (the 32k padding) get a hugely negative bias.
- The alignment layer is the first one, so ``replace_unknowns`` copies the right source
  piece for ``<unk>``.

Step n (or n·k) attends ``</s>`` and emits it: decoding stops, as trained models do.
"""

from __future__ import annotations

import math
import zlib
from collections.abc import Mapping
from pathlib import Path

import numpy as np

from testkit.synthetic_package import (
    import_ct2_specs,
    train_tokenizer,
    write_argos_package,
)

# Source positions the attention tells apart exactly (inputs are cut at 200 tokens by the
# engine; the position encodings must also cover the longest decoding limit a caller asks).
MAX_POSITIONS = 2048
_FORBIDDEN_BIAS = -1.0e4
# Logit scale per code dimension: with codes at least 2 bits apart the right piece leads by
# hundreds of logits, so beam search never prefers anything else.
_PROJECTION_SCALE = 8.0
# Attention sharpness: the nearest wrong position scores this many logits below the right one.
_MIN_ATTENTION_GAP = 40.0

# The fr_en 1.9 compute shape (Transformer-base), for bench/.
BENCH_SHAPE: dict[str, object] = {
    "d_model": 512,
    "num_heads": 8,
    "num_layers": (6, 6),
    "ffn_dim": 2048,
    "extra_vocab_to": 32000,
    "quantization": "int8",
}


def _frequencies(pos_dims: int) -> np.ndarray:
    """Angular frequencies whose cosine sum peaks at offset 0 alone over MAX_POSITIONS:
    periods from 3 positions up to twice the range, geometrically spaced."""
    count = pos_dims // 4
    periods = 3.0 * (2.0 * MAX_POSITIONS / 3.0) ** (np.arange(count) / max(1, count - 1))
    return (2.0 * np.pi / periods).astype(np.float64)


def _position_features(positions: np.ndarray, pos_dims: int) -> np.ndarray:
    """(len(positions), pos_dims): per frequency (sin, cos, −sin, −cos), norm √(pos_dims/2)."""
    omega = _frequencies(pos_dims)
    angles = positions[:, None].astype(np.float64) * omega[None, :]
    sin, cos = np.sin(angles), np.cos(angles)
    features = np.stack([sin, cos, -sin, -cos], axis=2).reshape(len(positions), -1)
    out = np.zeros((len(positions), pos_dims), dtype=np.float64)
    out[:, : features.shape[1]] = features
    return out


def _attention_gap(pos_dims: int) -> float:
    """The smallest score drop (in units of the raw dot product) from the right source
    position to any other, over every offset in range."""
    omega = _frequencies(pos_dims)
    offsets = np.arange(1, MAX_POSITIONS, dtype=np.float64)
    drop = 2.0 * (1.0 - np.cos(offsets[:, None] * omega[None, :])).sum(axis=1)
    return float(drop.min())


def _codes(count: int, bits: int, rng: np.random.Generator) -> np.ndarray:
    """``count`` distinct ±1 codes of ``bits`` bits, each at least 2 bits from every other
    (so two pieces never answer alike), as float32 (count, bits)."""
    if count > 2 ** (bits - 2):
        raise ValueError(f"{count} codes do not fit in {bits} bits with a margin")
    codes = np.sign(rng.standard_normal((count, bits))).astype(np.float32)
    codes[codes == 0] = 1.0
    # Re-draw the few that land too close to an earlier one (checked in blocks: 32k codes
    # would make one full distance matrix 4 GB).
    for _ in range(64):
        bad = np.zeros(count, dtype=bool)
        for start in range(0, count, 2048):
            block = codes[start : start + 2048]
            dots = block @ codes.T  # bits - 2 × hamming distance
            for row in range(block.shape[0]):
                dots[row, start + row] = -bits
            bad[start : start + 2048] = (dots > bits - 4).any(axis=1)
        # Only one of each close pair needs a new code.
        indices = np.flatnonzero(bad)
        if not len(indices):
            return codes
        redo = indices[len(indices) // 2 :] if len(indices) > 1 else indices
        codes[redo] = np.sign(rng.standard_normal((len(redo), bits))).astype(np.float32)
        codes[codes == 0] = 1.0
    raise RuntimeError("could not draw distinct codes")


def echo_text(text: str, sp_model: Path | bytes) -> str:
    """What an echo model's translation of ``text`` reads as through the engine: the text
    after the tokenizer's own normalization (NFKC, spaces collapsed), i.e. SentencePiece
    encode then decode."""
    import sentencepiece as spm

    if isinstance(sp_model, bytes):
        processor = spm.SentencePieceProcessor(model_proto=sp_model)
    else:
        processor = spm.SentencePieceProcessor(model_file=str(sp_model))
    pieces = processor.encode(text, out_type=str)
    return str(processor.decode_pieces(pieces)).replace("▁", " ").strip()


def build_handset_package(
    dest_dir: Path,
    from_code: str = "fr",
    to_code: str = "en",
    *,
    version: str = "1.0",
    repeat: int = 1,
    glossary: Mapping[str, str] | None = None,
    d_model: int = 64,
    num_heads: int = 2,
    num_layers: tuple[int, int] = (1, 1),
    ffn_dim: int = 128,
    vocab_size: int = 800,
    extra_vocab_to: int | None = None,
    quantization: str | None = None,
    seed: int = 0,
    sp_model: bytes | None = None,
    with_stanza: bool = False,
) -> Path:
    """Write a hand-set ``translate-<from>_<to>-<version>.argosmodel`` and return its path.

    ``repeat``: each source piece comes out this many times. ``glossary`` maps source pieces
    (SentencePiece spelling, e.g. ``"▁maison"``) to target pieces (``"▁house"``); pieces it
    does not name are echoed. The tokenizer is the seed-trained one every test package uses,
    unless ``sp_model`` (a serialized SentencePiece model) is given. ``with_stanza`` adds
    the placeholder ``stanza/`` folder the random builder can add.
    """
    if repeat < 1:
        raise ValueError("repeat must be at least 1")
    if d_model % num_heads:
        raise ValueError("d_model must be a multiple of num_heads")
    head_dim = d_model // num_heads
    # Both parts live in head 0's slice of the attention (queries/keys from the position
    # part, values from the token part), so each is at most one head wide.
    code_dims = min(head_dim, d_model // 2) // 2 * 2
    pos_dims = min(head_dim, d_model - code_dims) // 4 * 4
    if code_dims < 16 or pos_dims < 16:
        raise ValueError("d_model / num_heads too small for a hand-set model (need 32+)")
    specs = import_ct2_specs()
    dest_dir = Path(dest_dir)
    spm_bytes = sp_model if sp_model is not None else train_tokenizer(dest_dir, vocab_size)
    import sentencepiece as spm

    processor = spm.SentencePieceProcessor(model_proto=spm_bytes)
    source_vocab = [processor.id_to_piece(i) for i in range(processor.get_piece_size())]
    real = len(source_vocab)
    if extra_vocab_to is not None and extra_vocab_to > real:
        source_vocab += [f"<synthetic_{i:05d}>" for i in range(real, extra_vocab_to)]
    answers = dict(glossary or {})
    # Target piece i answers source piece i: the glossary's word, else the piece itself. Two
    # source pieces glossed alike ("le", "la" → "the") get one target entry each, so each
    # keeps its own projection row (CTranslate2 reads the target vocabulary by id).
    target_vocab = [answers.get(piece, piece) for piece in source_vocab]

    rng = np.random.default_rng([seed, zlib.crc32(f"handset|{from_code}_{to_code}".encode())])
    bits = code_dims // 2
    half = _codes(real, bits, rng)
    codes = np.zeros((len(source_vocab), code_dims), dtype=np.float32)
    codes[:real] = np.concatenate([half, -half], axis=1)
    tok = slice(0, code_dims)
    pos = slice(code_dims, code_dims + pos_dims)

    spec = specs.TransformerSpec.from_config(num_layers, num_heads, alignment_layer=0)
    spec.config.add_source_eos = True
    d, f = d_model, ffn_dim
    zeros = np.zeros

    # Embeddings: CTranslate2 multiplies them by sqrt(d_model); undo that so codes are ±1.
    src_embeddings = zeros((len(source_vocab), d), dtype=np.float32)
    src_embeddings[:, tok] = codes / math.sqrt(d)
    spec.encoder.embeddings[0].weight = src_embeddings
    spec.decoder.embeddings.weight = zeros((len(target_vocab), d), dtype=np.float32)
    positions = np.arange(MAX_POSITIONS)
    enc_pos = zeros((MAX_POSITIONS, d), dtype=np.float32)
    enc_pos[:, pos] = _position_features(positions, pos_dims)
    dec_pos = zeros((MAX_POSITIONS, d), dtype=np.float32)
    dec_pos[:, pos] = _position_features(positions // repeat, pos_dims)
    spec.encoder.position_encodings.encodings = enc_pos
    spec.decoder.position_encodings.encodings = dec_pos

    def zero_layer(layer: object, cross: bool) -> None:
        for norm_owner in ("self_attention", "attention", "ffn"):
            owner = getattr(layer, norm_owner, None)
            if owner is None:
                continue
            owner.layer_norm.gamma = np.ones(d, dtype=np.float32)
            owner.layer_norm.beta = zeros(d, dtype=np.float32)
        attention = layer.self_attention  # type: ignore[attr-defined]
        attention.linear[0].weight = zeros((3 * d, d), dtype=np.float32)
        attention.linear[0].bias = zeros(3 * d, dtype=np.float32)
        attention.linear[1].weight = zeros((d, d), dtype=np.float32)
        attention.linear[1].bias = zeros(d, dtype=np.float32)
        if cross:
            cross_attention = layer.attention  # type: ignore[attr-defined]
            cross_attention.linear[0].weight = zeros((d, d), dtype=np.float32)
            cross_attention.linear[0].bias = zeros(d, dtype=np.float32)
            cross_attention.linear[1].weight = zeros((2 * d, d), dtype=np.float32)
            cross_attention.linear[1].bias = zeros(2 * d, dtype=np.float32)
            cross_attention.linear[2].weight = zeros((d, d), dtype=np.float32)
            cross_attention.linear[2].bias = zeros(d, dtype=np.float32)
        ffn = layer.ffn  # type: ignore[attr-defined]
        ffn.linear_0.weight = zeros((f, d), dtype=np.float32)
        ffn.linear_0.bias = zeros(f, dtype=np.float32)
        ffn.linear_1.weight = zeros((d, f), dtype=np.float32)
        ffn.linear_1.bias = zeros(d, dtype=np.float32)

    for layer in spec.encoder.layer:
        zero_layer(layer, cross=False)
    for layer in spec.decoder.layer:
        zero_layer(layer, cross=True)
    for norm in (spec.encoder.layer_norm, spec.decoder.layer_norm):
        norm.gamma = np.ones(d, dtype=np.float32)
        norm.beta = zeros(d, dtype=np.float32)

    # Layer norms scale each vector by 1/rms; both parts have constant norms, so these are
    # the constant factors the hand-set weights see (layer-norm epsilon is negligible).
    enc_rms = math.sqrt((code_dims + pos_dims / 2) / d)
    dec_rms = math.sqrt((pos_dims / 2) / d)
    first = spec.decoder.layer[0].attention
    # Queries: CTranslate2 divides scores by sqrt(head_dim); the raw dot product of two
    # position vectors drops by at least _attention_gap from the right position to others.
    sharpness = _MIN_ATTENTION_GAP * math.sqrt(head_dim) / _attention_gap(pos_dims)
    query = first.linear[0].weight
    key_value = first.linear[1].weight
    for j in range(pos_dims):
        query[j, code_dims + j] = sharpness * dec_rms
        key_value[j, code_dims + j] = enc_rms
    for j in range(code_dims):
        key_value[d + j, j] = enc_rms  # values: the token part, back at unit scale
    first.linear[2].weight[tok, tok] = np.eye(code_dims, dtype=np.float32)

    # Projection: after the final layer norm the token part is code / out_rms.
    out_rms = math.sqrt((code_dims + pos_dims / 2) / d)
    projection = zeros((len(target_vocab), d), dtype=np.float32)
    bias = np.full(len(target_vocab), _FORBIDDEN_BIAS, dtype=np.float32)
    projection[:real, tok] = codes[:real] * _PROJECTION_SCALE * out_rms
    bias[:real] = 0.0
    spec.decoder.projection.weight = projection
    spec.decoder.projection.bias = bias

    spec.register_source_vocabulary(source_vocab)
    spec.register_target_vocabulary(target_vocab)
    spec.validate()
    spec.optimize(quantization=quantization)

    kind = "gloss" if glossary else ("echo" if repeat == 1 else f"repeat×{repeat}")
    readme = (
        f"Hand-set weights ({kind}), built by testkit.handset_package for tests and "
        "benchmarks: the output is the input piece by piece"
        + (f", each piece {repeat} times" if repeat > 1 else "")
        + (", with glossary words in place of known pieces" if glossary else "")
        + ". Not a translation model.\n"
    )
    return write_argos_package(
        dest_dir,
        spec,
        spm_bytes,
        from_code,
        to_code,
        version=version,
        title=f"Hand-set ({kind})",
        readme=readme,
        metadata_extra={"handset": kind},
        with_stanza=with_stanza,
    )


def build_echo_package(dest_dir: Path, from_code: str = "fr", to_code: str = "en",
                       **options: object) -> Path:
    """The echo model: translation = input after tokenizer normalization (``echo_text``)."""
    return build_handset_package(dest_dir, from_code, to_code, **options)  # type: ignore[arg-type]


def build_repeat_package(dest_dir: Path, from_code: str = "fr", to_code: str = "en",
                         repeat: int = 2, **options: object) -> Path:
    """Each source piece comes ``repeat`` times: output ``repeat`` times longer."""
    return build_handset_package(
        dest_dir, from_code, to_code, repeat=repeat, **options  # type: ignore[arg-type]
    )


def build_bench_echo_package(dest_dir: Path, **options: object) -> Path:
    """The echo model at fr_en 1.9's compute shape (``BENCH_SHAPE``)."""
    return build_handset_package(dest_dir, "fr", "en", **{**BENCH_SHAPE, **options})  # type: ignore[arg-type]


__all__ = [
    "BENCH_SHAPE",
    "MAX_POSITIONS",
    "build_bench_echo_package",
    "build_echo_package",
    "build_handset_package",
    "build_repeat_package",
    "echo_text",
]
