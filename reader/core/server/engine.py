"""The translation engine with a LibreTranslate server in place of the local models.

Everything but the decoding is the local engine's own: paragraphs are planned, split into
sentences and de-duplicated here, the cache and the reader's post-edits are read and written
as usual, and each paragraph comes back with its sentence alignment. Only the sentences go
to the server (``reader.core.server.libretranslate``), one window per request, so a
failure (rate limit, bad key, the server gone) loses at most that request: every paragraph
completed before it is shown and cached; the rest is marked failed, never cached.

A server pair is a route of one pseudo-package whose cache key names the server and the pair
(``libretranslate-fr_en@http://host:5000``). LibreTranslate exposes no model versions, so a
cached server translation stays until the reader clears the cache (``cache clear``) or
re-translates (``--no-cache``); another server (another URL) never shares cached text. The
decoding options (beam, length limits) are the server's business: one fixed decoding key.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from reader.core.articles.article import Article
from reader.core.models.store import InstalledPackage, MissingModelError, PackageError
from reader.core.server.libretranslate import (
    LibreTranslateClient,
    ServerCancelled,
    ServerError,
)
from reader.core.translation.cache import SentenceEntry, TranslationCache
from reader.core.translation.decoder import Decoder, Flight, Unit
from reader.core.translation.engine import TranslationEngine
from reader.core.translation.model_pool import ModelPool, Route
from reader.core.translation.options import ACCURATE, DecodingOptions
from reader.core.translation.results import EngineEvent, TranslationCancelled

SERVER_DECODING = "libretranslate;format=text"


@dataclass(frozen=True, slots=True)
class ServerOptions(DecodingOptions):
    """Decoding options for a server: only the batching knobs matter to us."""

    def cache_key(self) -> str:
        return SERVER_DECODING


def server_options(options: DecodingOptions, batch_size: int) -> ServerOptions:
    """One window per request, so a failure loses one request's sentences at most."""
    fields = {name: getattr(options, name) for name in DecodingOptions.__dataclass_fields__}
    return replace(ServerOptions(**fields),
                   window_sentences=min(options.window_sentences, batch_size),
                   max_input_tokens=1_000_000)


class _SentenceTokenizer:
    """A sentence is one "token": the server gets it whole (``cut_text`` splits one over its
    character limit)."""

    def encode(self, text: str) -> list[str]:
        return [text]

    def decode(self, tokens: list[str]) -> str:
        return " ".join(tokens)


def server_package(
    client: LibreTranslateClient, from_code: str, to_code: str, names: dict[str, str] | None = None
) -> InstalledPackage:
    names = names or {}
    return InstalledPackage(
        code=f"libretranslate-{from_code}_{to_code}",
        from_code=from_code,
        from_name=names.get(from_code, from_code),
        to_code=to_code,
        to_name=names.get(to_code, to_code),
        version=client.url,  # the route key, hence the cache key, names the server
        path=Path("libretranslate") / client.label / f"{from_code}_{to_code}",
        size_bytes=0,
        target_prefix="",
        has_stanza=False,
    )


class ServerPool(ModelPool):
    """No models: sentence "tokenizers" only, and the client."""

    def __init__(self, client: LibreTranslateClient) -> None:
        super().__init__(inter_threads=1)
        self.client = client
        self._sentences = _SentenceTokenizer()

    def translator(self, package: InstalledPackage) -> object:  # type: ignore[override]
        raise PackageError(f"{package.code} is translated by a server, not a local model")

    def tokenizer(self, package: InstalledPackage) -> _SentenceTokenizer:  # type: ignore[override]
        return self._sentences


class ServerDecoder(Decoder):
    """Sends each window's sentences to the server (at collection: one request at a time).

    Each answered request goes to the sentence memory at once: a paragraph whose later
    sentences fail (rate limit, server gone) is not cached, but its sentences the server
    did translate are, and the next run asks the server only for the rest."""

    def __init__(self, pool: ServerPool, options: DecodingOptions,
                 cache: TranslationCache | None = None) -> None:
        super().__init__(pool, options)
        self.client = pool.client
        self.cache = cache

    def submit_units(self, units: list[Unit]) -> Flight:
        flight = Flight(units)
        for unit in units:
            flight.by_route.setdefault(unit.route.key, (unit.route, []))[1].append(unit)
        return flight

    def collect_units(self, flight: Flight, cancelled: Callable[[], bool]) -> None:
        for route, units in flight.by_route.values():
            if cancelled():
                raise TranslationCancelled
            package = route.packages[0]
            texts = [unit.tokens[0] if unit.tokens else "" for unit in units]
            try:
                translated = self.client.translate(
                    texts, package.from_code, package.to_code, cancelled=cancelled
                )
            except ServerCancelled as cancelled_error:
                self._remember(route, units, cancelled_error.done)
                raise TranslationCancelled from None
            except ServerError as error:
                self._remember(route, units, error.done)
                raise
            self._remember(route, units, translated)
            for unit, text in zip(units, translated, strict=True):
                unit.result = text

    def _remember(self, route: Route, units: list[Unit], texts: Sequence[str]) -> None:
        if self.cache is None or not texts:
            return
        decoding = self.options.cache_key()
        self.cache.put_many([], [SentenceEntry(route.key, decoding, unit.key, text)
                                 for unit, text in zip(units, texts, strict=False) if text])


class ServerEngine(TranslationEngine):
    """A :class:`TranslationEngine` whose sentences a LibreTranslate server translates."""

    def __init__(
        self,
        client: LibreTranslateClient,
        cache: TranslationCache | None = None,
        *,
        options: DecodingOptions = ACCURATE,
    ) -> None:
        super().__init__(
            cache,
            options=server_options(options, client.batch_size),
            pool=ServerPool(client),
        )
        self.client = client

    @property
    def where(self) -> str:
        """For the window and the CLI: where the text goes."""
        return f"LibreTranslate at {self.client.label}"

    def installed(self) -> list[InstalledPackage]:
        """The server's pairs as pseudo-packages, once known (:meth:`learn`); empty before.
        Never asks the server: the window calls this on the GUI thread."""
        languages = self.client.known_languages
        if languages is None:
            return []
        names = {code: name for code, (name, _) in languages.items()}
        return [server_package(self.client, source, target, names)
                for source, (_, targets) in sorted(languages.items())
                for target in sorted(targets)]

    def learn(self, cancelled: Callable[[], bool] | None = None) -> list[InstalledPackage]:
        """Ask the server for its pairs (network: not on the GUI thread); ServerError."""
        self.client.languages(cancelled)
        return self.installed()

    def route(self, from_code: str, to_code: str) -> Route:
        # No network here (``peek`` runs on the GUI thread): checked against the server's
        # list once it is known; the server refuses an unknown pair in one line anyway.
        known = self.client.known_languages
        if known is not None and (from_code not in known or to_code not in known[from_code][1]):
            raise MissingModelError(
                from_code, to_code,
                f"the LibreTranslate server at {self.client.label} does not translate "
                f"{from_code} → {to_code}",
            )
        return Route((server_package(self.client, from_code, to_code),))

    def translate_many(
        self,
        articles: Sequence[Article],
        target: str,
        *,
        use_cache: bool = True,
        is_cancelled: Callable[[], bool] | None = None,
        only: Sequence[Iterable[int] | None] | None = None,
    ) -> list[Iterator[EngineEvent]]:
        try:
            self.client.languages(is_cancelled)  # learn the pairs first (one request)
        except ServerCancelled:
            pass  # the streams end cancelled at their first step
        except ServerError:
            raise
        return super().translate_many(
            articles, target, use_cache=use_cache, is_cancelled=is_cancelled, only=only
        )

    def make_decoder(self) -> Decoder:
        assert isinstance(self.pool, ServerPool)
        return ServerDecoder(self.pool, self.options, self.cache)

    def refresh_packages(self) -> None:
        super().refresh_packages()
        self.client.forget()


__all__ = ["SERVER_DECODING", "ServerEngine", "ServerOptions", "server_package"]
