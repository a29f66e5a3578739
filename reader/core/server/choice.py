"""Which engine translates: this computer (on the CPU or the GPU) or a LibreTranslate
server the reader chose, and the server's API key, kept in a 0600 file of the app's.

One place for the CLI (``--device``, ``--server``, ``--api-key``), the window (Preferences:
"Compute", "Translate with") and the bench. Nothing is sent anywhere unless a server URL was
given or saved by the reader.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from reader.core.glossary.store import GlossaryStore
from reader.core.server.engine import ServerEngine
from reader.core.server.libretranslate import LibreTranslateClient, normalize_url
from reader.core.translation.cache import TranslationCache
from reader.core.translation.device import ComputeDevice, choose_device
from reader.core.translation.engine import TranslationEngine
from reader.core.translation.model_pool import ModelPool
from reader.core.translation.options import ACCURATE, DecodingOptions

_KEY_FILE = "libretranslate-keys.json"
_MAX_KEY_FILE = 64 * 1024


@dataclass(frozen=True, slots=True)
class EngineChoice:
    """``server`` None: this computer, on ``device`` (auto, cpu, cuda)."""

    device: str = "auto"
    server: str | None = None
    api_key: str | None = None


def where_label(engine: TranslationEngine) -> str:
    """Where the text is translated, in a few words: "this computer (CPU (no CUDA device))",
    "LibreTranslate at host:5000". Never probes: "this computer" alone until the device is
    chosen (at the first model load)."""
    if isinstance(engine, ServerEngine):
        return engine.where
    device = engine.pool.known_device
    return f"this computer ({device.label})" if device is not None else "this computer"


def device_label(engine: TranslationEngine) -> str:
    """For ``--json``: "cpu", "cuda" or "libretranslate" (after the translation: the device
    is chosen at the first model load)."""
    if isinstance(engine, ServerEngine):
        return "libretranslate"
    device = engine.pool.known_device
    return device.device if device is not None else "cpu"


def build_engine(
    choice: EngineChoice,
    cache: TranslationCache | None,
    *,
    options: DecodingOptions = ACCURATE,
    device: ComputeDevice | None = None,
    glossary: GlossaryStore | None = None,
) -> TranslationEngine:
    """The engine for ``choice``. Raises ``DeviceUnavailable`` (``--device cuda`` without a
    usable GPU) and ``ValueError`` (a malformed server address), each one line.
    ``device``: an already chosen device (tests inject the probes through ``choose_device``).
    ``glossary``: for the local models only (it steers our decoder through its attention,
    which a server does not send)."""
    if choice.server:
        client = LibreTranslateClient(choice.server, choice.api_key)
        return ServerEngine(client, cache, options=options)
    chosen = device or choose_device(choice.device)
    return TranslationEngine(cache, options=chosen.tune(options), pool=ModelPool(device=chosen),
                             glossary=glossary)


# -- the API key -------------------------------------------------------------------------


def key_file(folder: Path) -> Path:
    return folder / _KEY_FILE


def load_api_key(folder: Path, server: str) -> str | None:
    """The key saved for ``server`` (in ``folder``, the app's config folder), or None."""
    from reader.private_files import open_private

    data = open_private(key_file(folder), _MAX_KEY_FILE)
    if not data:
        return None
    try:
        keys = json.loads(data.decode("utf-8"))
        key = keys.get(normalize_url(server)) if isinstance(keys, dict) else None
    except (ValueError, UnicodeDecodeError):
        return None
    return key if isinstance(key, str) and key else None


def save_api_key(folder: Path, server: str, key: str | None) -> None:
    """Keep ``key`` for ``server`` (None or empty forgets it) in a 0600 file. OSError."""
    from reader.private_files import open_private, write_private

    path = key_file(folder)
    keys: dict[str, str] = {}
    data = open_private(path, _MAX_KEY_FILE)
    if data:
        try:
            loaded = json.loads(data.decode("utf-8"))
            if isinstance(loaded, dict):
                keys = {k: v for k, v in loaded.items()
                        if isinstance(k, str) and isinstance(v, str)}
        except (ValueError, UnicodeDecodeError):
            keys = {}
    url = normalize_url(server)
    if key:
        keys[url] = key
    else:
        keys.pop(url, None)
    write_private(path, json.dumps(keys, indent=1, sort_keys=True).encode("utf-8"))
