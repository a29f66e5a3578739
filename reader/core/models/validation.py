"""Checks on a package's files before any native code reads them.

CTranslate2 trusts ``model.bin``: it allocates each variable from the dimensions it reads and
then copies the stored byte count into that buffer, reads names up to a NUL that may not be
there, and divides by ``num_heads`` or indexes layers by ``alignment_layer`` without checks.
A crafted header therefore ends the process with SIGFPE or SIGSEGV. :func:`check_model_dir`
walks the header the way CTranslate2's ``Model::load`` does (``src/models/model.cc``), seeking
over the data, and refuses anything CTranslate2 would misread. It also refuses JSON that
would overflow a recursive parser (``config.json``, vocabularies) or not be what it claims.

:func:`read_regular` and :func:`loads_bounded` are the only way package metadata is read:
never a FIFO or device (the opened file is checked, not the path), never unbounded, never
recursive. Pure Python, no imports of CTranslate2.
"""

from __future__ import annotations

import errno
import json
import os
import re
import stat
import struct
from dataclasses import dataclass
from pathlib import Path

from reader.core.util.bounded import BodyTooLarge, capped_chunks

MAX_JSON_DEPTH = 32
MAX_CONFIG_BYTES = 1024**2
MAX_VOCABULARY_BYTES = 64 * 1024**2
MAX_VARIABLES = 100_000
# CTranslate2's DataType enum (include/ctranslate2/types.h): id → item size in bytes.
DTYPE_SIZES = {0: 4, 1: 1, 2: 2, 3: 4, 4: 2, 5: 2}
# The binary versions this reader understands (CTranslate2 4.x writes 6).
SUPPORTED_VERSIONS = range(2, 7)
# Argos packages are encoder-decoder Transformers; other specs are not translation models.
KNOWN_SPECS = {"TransformerSpec"}


class ModelRefused(Exception):
    """Why a package's files are refused: one line for the user."""


# -- files and JSON ---------------------------------------------------------------------------


def read_regular(path: Path, max_bytes: int) -> bytes:
    """The bytes of ``path`` if it is a regular file of at most ``max_bytes``.

    Opened non-blocking and checked with ``fstat`` on the opened descriptor, so a FIFO or a
    device (or a file swapped for one after a check of the path) is refused, never waited on.
    Raises FileNotFoundError when missing, ModelRefused for anything else.
    """
    try:
        descriptor = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
    except FileNotFoundError:
        raise
    except OSError as error:
        if error.errno == errno.ENXIO:  # a FIFO with no writer, a socket
            raise ModelRefused(f"{path.name} is not a regular file") from None
        raise ModelRefused(f"{path.name} cannot be read ({error.strerror})") from None
    try:
        info = os.fstat(descriptor)
        if not stat.S_ISREG(info.st_mode):
            raise ModelRefused(f"{path.name} is not a regular file")
        if info.st_size > max_bytes:
            raise ModelRefused(f"{path.name} is too large ({info.st_size} bytes)")
        try:
            return b"".join(capped_chunks(
                lambda count: os.read(descriptor, count), max_bytes, 1024**2
            ))
        except BodyTooLarge:
            raise ModelRefused(f"{path.name} is too large") from None
    except OSError as error:
        raise ModelRefused(f"{path.name} cannot be read ({error.strerror})") from None
    finally:
        os.close(descriptor)


_JSON_STRING = re.compile(r'"(?:[^"\\]|\\.)*"', re.DOTALL)
_JSON_BRACKET = re.compile(r"[\[\]{}]")


def json_depth(text: str) -> int:
    """The deepest nesting of ``[``/``{`` in ``text``, strings skipped (no recursion)."""
    depth = deepest = 0
    for match in _JSON_BRACKET.finditer(_JSON_STRING.sub('""', text)):
        depth += 1 if match.group() in "[{" else -1
        deepest = max(deepest, depth)
    return deepest


def loads_bounded(data: bytes, name: str, max_depth: int | None = MAX_JSON_DEPTH) -> object:
    """Parse JSON that nests at most ``max_depth`` deep; ModelRefused otherwise.

    The depth is measured first, iteratively: Python's parser (and CTranslate2's) recurse
    per level, and 100,000 nested ``[`` would exhaust the stack. ``max_depth=None`` skips
    that pass, for a caller that checks the shape itself (Python's parser still refuses
    deep nesting, as a RecursionError, caught).
    """
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise ModelRefused(f"{name} is not UTF-8 text") from None
    if max_depth is not None and json_depth(text) > max_depth:
        raise ModelRefused(f"{name} nests deeper than {max_depth} levels")
    try:
        return json.loads(text)
    except (ValueError, RecursionError) as error:
        reason = str(error).splitlines()[0] if str(error) else type(error).__name__
        raise ModelRefused(f"{name} is not valid JSON ({reason})") from None


def read_json_object(path: Path, max_bytes: int = MAX_CONFIG_BYTES) -> dict[str, object]:
    """A small JSON object file read with :func:`read_regular` and :func:`loads_bounded`."""
    value = loads_bounded(read_regular(path, max_bytes), path.name)
    if not isinstance(value, dict):
        raise ModelRefused(f"{path.name} is not a JSON object")
    return value


# -- model.bin --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Variable:
    name: str
    dims: tuple[int, ...]
    dtype: int
    value: int | None  # scalars of integer type, for the attribute checks


class _Reader:
    def __init__(self, file: object, size: int) -> None:
        self.file = file
        self.size = size

    def take(self, count: int, what: str) -> bytes:
        data = self.file.read(count)  # type: ignore[attr-defined]
        if len(data) != count:
            raise ModelRefused(f"model.bin is truncated (in {what})")
        return data

    def u8(self, what: str) -> int:
        return self.take(1, what)[0]

    def u16(self, what: str) -> int:
        return int(struct.unpack("<H", self.take(2, what))[0])

    def u32(self, what: str) -> int:
        return int(struct.unpack("<I", self.take(4, what))[0])

    def string(self, what: str) -> str:
        length = self.u16(what)
        raw = self.take(length, what)
        # CTranslate2 builds a C string from these bytes: it must end in its one NUL.
        if length == 0 or raw[-1] != 0 or 0 in raw[:-1]:
            raise ModelRefused(f"model.bin has a malformed name (in {what})")
        try:
            return raw[:-1].decode("utf-8")
        except UnicodeDecodeError:
            raise ModelRefused(f"model.bin has a name that is not UTF-8 (in {what})") from None

    def skip(self, count: int, what: str) -> None:
        position = self.file.tell()  # type: ignore[attr-defined]
        if position + count > self.size:
            raise ModelRefused(f"model.bin is truncated ({what} runs past the end of the file)")
        self.file.seek(count, os.SEEK_CUR)  # type: ignore[attr-defined]


def read_header(model_bin: Path) -> tuple[str, dict[str, Variable], dict[str, str]]:
    """(spec name, variables by name, aliases) of a ``model.bin``; ModelRefused if malformed."""
    try:
        descriptor = os.open(model_bin, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
    except OSError as error:
        raise ModelRefused(f"model.bin cannot be opened ({error.strerror})") from None
    with os.fdopen(descriptor, "rb") as file:
        info = os.fstat(file.fileno())
        if not stat.S_ISREG(info.st_mode):
            raise ModelRefused("model.bin is not a regular file")
        reader = _Reader(file, info.st_size)
        version = reader.u32("the version")
        if version not in SUPPORTED_VERSIONS:
            raise ModelRefused(f"model.bin has unsupported binary version {version}")
        spec = reader.string("the spec name")
        if spec not in KNOWN_SPECS:
            raise ModelRefused(f"model.bin is a {spec!r}, not a translation Transformer")
        reader.u32("the spec revision")
        count = reader.u32("the variable count")
        if count > MAX_VARIABLES:
            raise ModelRefused(f"model.bin claims {count} variables")
        variables: dict[str, Variable] = {}
        for index in range(count):
            where = f"variable {index}"
            name = reader.string(where)
            where = f"variable {name}"
            rank = reader.u8(where)
            dims = tuple(reader.u32(where) for _ in range(rank))
            if version >= 4:
                dtype = reader.u8(where)
                if dtype not in DTYPE_SIZES:
                    raise ModelRefused(f"model.bin: {name} has unknown data type {dtype}")
                item = DTYPE_SIZES[dtype]
                size = reader.u32(where)
            else:
                item = reader.u8(where)
                dtype = {4: 0, 2: 2, 1: 1}.get(item, -1)
                if dtype < 0:
                    raise ModelRefused(f"model.bin: {name} has unknown item size {item}")
                size = reader.u32(where) * item
            elements = 1
            for dim in dims:
                elements *= dim
            # CTranslate2 allocates elements × item and copies `size` bytes into it.
            if size != elements * item:
                raise ModelRefused(
                    f"model.bin: {name} stores {size} bytes but its shape "
                    f"{list(dims)} × {item} needs {elements * item}"
                )
            value = None
            if rank == 0 and dtype in (1, 2, 3):
                raw = reader.take(size, where)
                value = int.from_bytes(raw, "little", signed=True)
            else:
                reader.skip(size, where)
            if name in variables:
                raise ModelRefused(f"model.bin defines {name} twice")
            variables[name] = Variable(name, dims, dtype, value)
        aliases: dict[str, str] = {}
        if version >= 3:
            for index in range(reader.u32("the alias count")):
                alias = reader.string(f"alias {index}")
                aliases[alias] = reader.string(f"alias {alias}")
    return spec, variables, aliases


def _layer_count(variables: dict[str, Variable], scope: str) -> int:
    numbers = {
        int(match.group(1))
        for name in variables
        if (match := re.match(rf"{scope}/layer_(\d+)/", name))
    }
    if not numbers:
        raise ModelRefused(f"model.bin has no {scope} layers")
    if numbers != set(range(len(numbers))):
        raise ModelRefused(f"model.bin's {scope} layers are not numbered 0…{len(numbers) - 1}")
    return len(numbers)


def _attribute(variables: dict[str, Variable], name: str, default: int | None) -> int | None:
    variable = variables.get(name)
    if variable is None:
        return default
    if variable.value is None:
        raise ModelRefused(f"model.bin: {name} is not an integer scalar")
    return variable.value


def _rows(variables: dict[str, Variable], names: tuple[str, ...]) -> tuple[str, int, int] | None:
    for name in names:
        variable = variables.get(name)
        if variable is not None:
            if len(variable.dims) != 2 or 0 in variable.dims:
                raise ModelRefused(f"model.bin: {name} is not a non-empty matrix")
            return name, variable.dims[0], variable.dims[1]
    return None


def check_transformer(variables: dict[str, Variable], aliases: dict[str, str]) -> None:
    """The structural facts CTranslate2 relies on without checking them."""
    for alias, target in aliases.items():
        if target not in variables:
            raise ModelRefused(f"model.bin: alias {alias} names a missing variable {target}")
    # The writer stores identical tensors once and names the others as aliases.
    variables = {**variables, **{alias: variables[target] for alias, target in aliases.items()}}
    layers = {scope: _layer_count(variables, scope) for scope in ("encoder", "decoder")}
    embeddings = _rows(variables, ("encoder/embeddings_0/weight", "encoder/embeddings/weight"))
    if embeddings is None:
        raise ModelRefused("model.bin has no encoder embeddings")
    d_model = embeddings[2]
    for scope in ("encoder", "decoder"):
        heads = _attribute(variables, f"{scope}/num_heads", None)
        if heads is None:
            heads = _attribute(variables, "num_heads", 8)  # old single-attribute models
        assert heads is not None
        if heads <= 0 or d_model % heads:
            raise ModelRefused(
                f"model.bin: {scope} num_heads is {heads} (must be > 0 and divide {d_model})"
            )
        heads_kv = _attribute(variables, f"{scope}/num_heads_kv", heads)
        assert heads_kv is not None
        if heads_kv <= 0 or heads % heads_kv:
            raise ModelRefused(f"model.bin: {scope} num_heads_kv is {heads_kv}")
        if scope == "decoder":
            alignment_layer = _attribute(variables, "decoder/alignment_layer", -1)
            assert alignment_layer is not None
            if not -layers["decoder"] <= alignment_layer < layers["decoder"]:
                raise ModelRefused(
                    f"model.bin: alignment_layer {alignment_layer} is outside the "
                    f"{layers['decoder']} decoder layers"
                )
            alignment_heads = _attribute(variables, "decoder/alignment_heads", 1)
            assert alignment_heads is not None
            if not 0 <= alignment_heads <= heads:
                raise ModelRefused(
                    f"model.bin: alignment_heads {alignment_heads} is outside 0…{heads} heads"
                )
    for name, variable in variables.items():
        # Every matrix and vector of a layer works on d_model-sized rows or columns.
        if name.endswith(("/gamma", "/beta")) and variable.dims != (d_model,):
            raise ModelRefused(f"model.bin: {name} has shape {list(variable.dims)}, "
                                   f"expected [{d_model}]")
        if name.endswith("/bias") and variable.dtype in (0, 4, 5):
            weight = variables.get(name[: -len("bias")] + "weight")
            if weight is not None and (len(weight.dims) != 2 or variable.dims != weight.dims[:1]):
                raise ModelRefused(f"model.bin: {name} does not match its weight's shape")
        if (name.endswith("/weight") and "embeddings" not in name
                and len(variable.dims) == 2 and d_model not in variable.dims):
            raise ModelRefused(f"model.bin: {name} has shape {list(variable.dims)}, "
                               f"with no side of d_model {d_model}")


def _token_list(data: bytes, name: str) -> list[str]:
    """A JSON vocabulary: a flat list of strings, else ModelRefused. No depth pre-pass: a
    flat list is all CTranslate2 then reads, and the pre-pass's one regular expression over
    a 700 KB vocabulary held the GIL for 30 ms, a stall in the window while a model loads."""
    value = loads_bounded(data, name, max_depth=None)
    if not isinstance(value, list) or not all(isinstance(t, str) for t in value):
        raise ModelRefused(f"{name} is not a list of tokens")
    return value


def _vocabulary_size(model_dir: Path, stems: tuple[str, ...]) -> int | None:
    for stem in stems:
        json_file = model_dir / f"{stem}.json"
        if json_file.exists():
            return len(_token_list(read_regular(json_file, MAX_VOCABULARY_BYTES), json_file.name))
        text_file = model_dir / f"{stem}.txt"
        if text_file.exists():
            return len(read_regular(text_file, MAX_VOCABULARY_BYTES).splitlines())
    return None


def check_model_dir(model_dir: Path) -> None:
    """Refuse (ModelRefused, one line) a CTranslate2 model folder CTranslate2 would misread."""
    config = model_dir / "config.json"
    if config.exists() or config.is_symlink():
        read_json_object(config)
    _spec, variables, aliases = read_header(model_dir / "model.bin")
    check_transformer(variables, aliases)
    variables = {**variables, **{alias: variables[target] for alias, target in aliases.items()}}
    source = _vocabulary_size(model_dir, ("source_vocabulary", "shared_vocabulary"))
    target = _vocabulary_size(model_dir, ("target_vocabulary", "shared_vocabulary"))
    if source is None or target is None:
        raise ModelRefused("the model has no vocabulary file")
    # Token ids index the embedding rows: a longer vocabulary reads past them.
    checks = (
        (source, ("encoder/embeddings_0/weight", "encoder/embeddings/weight"), "source"),
        (target, ("decoder/embeddings/weight",), "target"),
        (target, ("decoder/projection/weight",), "target"),
    )
    for size, names, side in checks:
        found = _rows(variables, names)
        if found is not None and size > found[1]:
            raise ModelRefused(
                f"the {side} vocabulary has {size} tokens but {found[0]} has {found[1]} rows"
            )
