"""Build real-format Argos Translate packages with small synthetic weights.

**The output of these models is gibberish by design.** The weights are random; nothing was
trained except the SentencePiece tokenizer. Use them to test structure, sentence alignment,
caching, progress, installation and speed — never wording.

What *is* guaranteed, so tests can rely on it:

- the ``.argosmodel`` file has the exact layout argostranslate expects (one top-level folder
  holding ``metadata.json``, a CTranslate2 ``model/`` directory, ``sentencepiece.model`` and
  ``README.md``), so the package store, argostranslate and CTranslate2 all accept it;
- the decoder can never emit ``</s>``, ``<s>``, ``<unk>``, the bare ``▁`` piece or padding
  pieces (their projection bias is hugely negative), so every sentence decodes to **exactly**
  ``max_decoding_length`` real pieces: output is never empty and its length is controlled
  by the caller;
- building is deterministic for a given ``seed`` and language pair.

``extra_vocab_to`` pads the CTranslate2 vocabulary with synthetic pieces (never produced, the
tokenizer does not know them) so a Transformer-base sized benchmark model (6+6 layers, d512,
8 heads, ffn 2048, 32k vocabulary, int8 ≈ 90 MB) has realistic embedding and softmax costs.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
import sys
import tempfile
import zipfile
import zlib
from pathlib import Path
from types import ModuleType

import numpy as np

from reader import paths

# Real Argos packages are named like this (e.g. translate-en_es-1_0); argostranslate derives
# nothing from it, but mirroring it keeps installed folders familiar.
PACKAGE_STEM = "translate-{from_code}_{to_code}-{version}"

# Pieces the decoder must never choose (see module docstring).
_FORBIDDEN_TARGET_PIECES = ("<unk>", "<s>", "</s>", "▁")
_FORBIDDEN_BIAS = -1.0e4  # far below any logit random weights of this scale can reach

# Used when the checkout's seeds/ folder is not there (installed wheel): the tokenizer only
# needs some French-looking text.
_FALLBACK_TEXT = """\
Les habitants de la ville se sont réunis ce matin devant la mairie pour protester.
Le gouvernement a annoncé de nouvelles mesures pour soutenir les entreprises en difficulté.
Selon les experts, la situation économique devrait s'améliorer au cours de l'année prochaine.
La guerre a provoqué le déplacement de milliers de personnes vers les pays voisins.
Le président a déclaré qu'il ne changerait pas de politique malgré les critiques.
Les élèves retourneront à l'école lundi après deux semaines de vacances.
"""

_LANGUAGE_NAMES = {
    "ar": "Arabic", "de": "German", "en": "English", "es": "Spanish", "fr": "French",
    "it": "Italian", "ja": "Japanese", "nl": "Dutch", "pl": "Polish", "pt": "Portuguese",
    "ru": "Russian", "uk": "Ukrainian", "zh": "Chinese",
}

# Trained tokenizers by content hash, so one pytest session trains once even when several
# output folders are used.
_SPM_MEMO: dict[str, bytes] = {}


def _seed_lines() -> list[str]:
    seeds = sorted(paths.samples_dir().glob("*.txt"))
    text = "\n".join(p.read_text(encoding="utf-8") for p in seeds) if seeds else _FALLBACK_TEXT
    # Keep English and Spanish-looking words in the vocabulary as well, so pivot legs
    # (en→es) do not tokenize everything to single characters.
    text += "\nThe people of the city gathered this morning.\nLa gente de la ciudad se reunió.\n"
    return [line.strip() for line in text.splitlines() if line.strip()]


def _train_sentencepiece(cache_dir: Path, vocab_size: int) -> bytes:
    import sentencepiece as spm

    lines = _seed_lines()
    digest = hashlib.sha256()
    digest.update(f"v1|{spm.__version__}|{vocab_size}|".encode())
    for line in lines:
        digest.update(line.encode("utf-8") + b"\n")
    key = digest.hexdigest()[:24]
    cached = cache_dir / f"sentencepiece-{key}.model"
    if key in _SPM_MEMO:
        data = _SPM_MEMO[key]
    elif cached.is_file():
        data = cached.read_bytes()
    else:
        buffer = io.BytesIO()
        spm.SentencePieceTrainer.train(
            sentence_iterator=iter(lines),
            model_writer=buffer,
            vocab_size=vocab_size,
            model_type="unigram",
            character_coverage=1.0,
            # One thread: training is then deterministic; it takes well under a second.
            num_threads=1,
            # A few kB of seed text cannot always fill the requested size; take what it gives.
            hard_vocab_limit=False,
            minloglevel=2,
        )
        data = buffer.getvalue()
    if not cached.is_file():
        # Each output folder keeps its own copy, so a later process reuses it.
        cache_dir.mkdir(parents=True, exist_ok=True)
        tmp = cached.with_suffix(f".tmp{os.getpid()}")
        tmp.write_bytes(data)
        os.replace(tmp, cached)
    _SPM_MEMO[key] = data
    return data


def train_tokenizer(dest_dir: Path, vocab_size: int) -> bytes:
    """The seed-trained SentencePiece model every builder here uses (cached by content in
    ``dest_dir/.sentencepiece-cache``)."""
    return _train_sentencepiece(Path(dest_dir) / ".sentencepiece-cache", vocab_size)


def import_ct2_specs() -> ModuleType:
    return _import_ct2_specs()


def _import_ct2_specs() -> ModuleType:
    """``ctranslate2.specs`` imports torch when it is installed (1-2 s, and the reader must
    stay torch-free). It only uses torch for bfloat16 conversion, so hide torch while the
    module loads; a later ``import torch`` elsewhere still works."""
    if "ctranslate2.specs" in sys.modules or "torch" in sys.modules:
        import ctranslate2.specs

        return ctranslate2.specs
    sys.modules["torch"] = None  # type: ignore[assignment]  # makes `import torch` fail
    try:
        import ctranslate2.specs
    finally:
        if "torch" in sys.modules and sys.modules["torch"] is None:
            del sys.modules["torch"]
    return ctranslate2.specs


def _pieces(model_bytes: bytes) -> list[str]:
    import sentencepiece as spm

    processor = spm.SentencePieceProcessor(model_proto=model_bytes)
    return [processor.id_to_piece(i) for i in range(processor.get_piece_size())]


def _fill_weights(
    spec: object, vocab: list[str], d_model: int, ffn_dim: int, rng: np.random.Generator
) -> None:
    """Give every required (None) variable of the spec a value of the right shape."""
    visit_spec = _import_ct2_specs().model_spec.visit_spec
    vocab_size = len(vocab)
    missing: list[tuple[object, str]] = []

    def collect(layer: object, name: str, value: object) -> None:
        if value is None:  # required and unset; OPTIONAL ones hold a marker string
            missing.append((layer, name))

    visit_spec(spec, collect)

    def normal(rows: int, cols: int) -> np.ndarray:
        # 1/sqrt(fan_in) keeps activations around unit scale through the layers.
        return rng.standard_normal((rows, cols), dtype=np.float32) * np.float32(cols**-0.5)

    d, f = d_model, ffn_dim
    for layer, name in missing:
        parts = name.split("/")
        attr = parts[-1]
        owner = parts[-2] if len(parts) > 1 else ""
        block = parts[-3] if len(parts) > 2 else ""
        value: np.ndarray
        if attr == "gamma":
            value = np.ones(d, dtype=np.float32)
        elif attr == "beta":
            value = np.zeros(d, dtype=np.float32)
        elif owner.startswith("embeddings") or owner == "projection":
            value = normal(vocab_size, d)
        elif block == "self_attention":
            value = normal(3 * d, d) if owner == "linear_0" else normal(d, d)
        elif block == "attention":  # encoder-decoder attention: query, fused key+value, out
            value = normal(2 * d, d) if owner == "linear_1" else normal(d, d)
        elif block == "ffn":
            value = normal(f, d) if owner == "linear_0" else normal(d, f)
        else:
            raise RuntimeError(f"synthetic package: no rule for required variable {name}")
        setattr(layer, attr, value)


def build_synthetic_package(
    dest_dir: Path,
    from_code: str,
    to_code: str,
    *,
    version: str = "1.0",
    d_model: int = 64,
    num_heads: int = 2,
    num_layers: tuple[int, int] = (1, 1),
    ffn_dim: int = 128,
    vocab_size: int = 800,
    quantization: str | None = None,
    extra_vocab_to: int | None = None,
    seed: int = 0,
    with_stanza: bool = False,
) -> Path:
    """Write ``dest_dir/translate-<from>_<to>-<version>.argosmodel`` and return its path.

    The SentencePiece model is trained once from ``seeds/*.txt`` and cached in
    ``dest_dir/.sentencepiece-cache`` (by content), so building several pairs is cheap.
    ``quantization`` is any CTranslate2 weight type (``"int8"``, ``"float16"``...).
    ``with_stanza`` adds a placeholder ``stanza/`` folder: enough for "has Stanza data"
    detection, not loadable by Stanza.
    """
    ct2_specs = _import_ct2_specs()
    if d_model % num_heads:
        raise ValueError("d_model must be a multiple of num_heads")
    dest_dir = Path(dest_dir)
    spm_bytes = train_tokenizer(dest_dir, vocab_size)
    vocab = _pieces(spm_bytes)
    if extra_vocab_to is not None and extra_vocab_to > len(vocab):
        # Pieces the tokenizer never produces and the decoder never picks (masked below):
        # they only make the embedding and softmax matrices realistically large.
        vocab += [f"<synthetic_{i:05d}>" for i in range(len(vocab), extra_vocab_to)]

    # Different pairs get different weights, so a pivot route does not just repeat its
    # first leg's output.
    rng = np.random.default_rng([seed, zlib.crc32(f"{from_code}_{to_code}".encode())])
    spec = ct2_specs.TransformerSpec.from_config(num_layers, num_heads)
    _fill_weights(spec, vocab, d_model, ffn_dim, rng)
    bias = np.zeros(len(vocab), dtype=np.float32)
    for index, piece in enumerate(vocab):
        if piece in _FORBIDDEN_TARGET_PIECES or piece.startswith("<synthetic_"):
            bias[index] = _FORBIDDEN_BIAS
    spec.decoder.projection.bias = bias
    spec.register_source_vocabulary(vocab)
    spec.register_target_vocabulary(vocab)
    spec.validate()
    # optimize() also aliases identical tensors (the layer norms), as the real converters do.
    spec.optimize(quantization=quantization)

    readme = (
        "Random weights, built by testkit.synthetic_package for tests and "
        "benchmarks. Its translations are gibberish by design.\n"
    )
    return write_argos_package(
        dest_dir, spec, spm_bytes, from_code, to_code,
        version=version, title="Synthetic", readme=readme, with_stanza=with_stanza,
    )


def write_argos_package(
    dest_dir: Path,
    spec: object,
    spm_bytes: bytes,
    from_code: str,
    to_code: str,
    *,
    version: str,
    title: str,
    readme: str,
    metadata_extra: dict[str, object] | None = None,
    with_stanza: bool = False,
) -> Path:
    """Zip an optimized CTranslate2 ``spec`` and a SentencePiece model into
    ``dest_dir/translate-<from>_<to>-<version>.argosmodel`` (the one place packages are
    laid out and zipped; every builder in ``testkit`` ends here)."""
    dest_dir = Path(dest_dir)
    dest_dir.mkdir(parents=True, exist_ok=True)
    stem = PACKAGE_STEM.format(
        from_code=from_code, to_code=to_code, version=version.replace(".", "_")
    )
    output = dest_dir / f"{stem}.argosmodel"
    with tempfile.TemporaryDirectory(prefix=".build-", dir=dest_dir) as work:
        root = Path(work) / stem
        (root / "model").mkdir(parents=True)
        spec.save(str(root / "model"))  # type: ignore[attr-defined]
        (root / "sentencepiece.model").write_bytes(spm_bytes)
        from_name = _LANGUAGE_NAMES.get(from_code, from_code)
        to_name = _LANGUAGE_NAMES.get(to_code, to_code)
        metadata: dict[str, object] = {
            "package_version": version,
            "argos_version": "1.9",
            "from_code": from_code,
            "from_name": from_name,
            "to_code": to_code,
            "to_name": to_name,
            "type": "translate",
            "links": [],
            "synthetic": True,
            **(metadata_extra or {}),
        }
        (root / "metadata.json").write_text(json.dumps(metadata, indent=2), encoding="utf-8")
        (root / "README.md").write_text(
            f"# {title} {from_name} → {to_name} package ({version})\n\n{readme}",
            encoding="utf-8",
        )
        if with_stanza:
            tokenize_dir = root / "stanza" / from_code / "tokenize"
            tokenize_dir.mkdir(parents=True)
            (root / "stanza" / "resources.json").write_text("{}", encoding="utf-8")
            (tokenize_dir / "PLACEHOLDER.txt").write_text(
                "Synthetic package: no real Stanza model here.\n", encoding="utf-8"
            )
        partial = Path(work) / "package.zip"
        with zipfile.ZipFile(partial, "w") as archive:
            for path in sorted(root.rglob("*")):
                arcname = path.relative_to(work).as_posix()
                if path.is_dir():
                    archive.write(path, arcname + "/")
                else:
                    # Level 1: the weights are noise and barely compress; a big model would
                    # otherwise spend seconds in zlib for nothing.
                    archive.write(path, arcname, zipfile.ZIP_DEFLATED, compresslevel=1)
        # Replace atomically: a half-written package must never look like a valid one.
        shutil.move(str(partial), str(output))
    return output
