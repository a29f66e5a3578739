"""The steps of one article's run, as plain functions over its settings and paragraphs:
prepare paragraphs (sentences, tokens), drop repeated inputs, recall the sentence memory,
assemble and cache finished paragraphs, fail the rest. :mod:`~reader.core.translation.article_run`
drives them window by window."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field

from reader.core.articles.article import Paragraph, source_hash
from reader.core.glossary.marks import with_marks
from reader.core.glossary.terms import Matcher, TermMatch, fingerprint
from reader.core.text.sentences import joiner_for, split_long_text, split_sentences
from reader.core.translation.batching import token_chunks
from reader.core.translation.cache import CacheEntry, SentenceEntry, TranslationCache
from reader.core.translation.decoder import Decoder, Unit
from reader.core.translation.model_pool import ModelPool, Route
from reader.core.translation.options import DecodingOptions
from reader.core.translation.results import (
    PackageRef,
    ParagraphReady,
    ParagraphStatus,
    ParagraphTranslation,
    SentencePair,
    TranslationCancelled,
    pairs_from_sentences,
)
from reader.core.translation.word_links import links_for, links_to_text, pair_key, piece_spans

# Paragraphs needing the model are prepared in chunks of 64, 128, … up to 2,048 (a chunk of
# a book's one-sentence paragraphs is ~10 ms of work per 100), checking for cancellation
# every 32 paragraphs: a window closed while a book is prepared waits for no more.
_FIRST_PREPARE_CHUNK = 64
_MAX_PREPARE_CHUNK = 2048
_PREPARE_CHECK_EVERY = 32


@dataclass(frozen=True, slots=True)
class RunSettings:
    """What every article of one call shares."""

    target: str
    use_cache: bool
    cancelled: Callable[[], bool]
    cache: TranslationCache | None
    decoder: Decoder  # with the options and the pool of models the call decodes with

    @property
    def options(self) -> DecodingOptions:
        return self.decoder.options

    @property
    def pool(self) -> ModelPool:
        return self.decoder.pool


@dataclass(frozen=True, slots=True)
class RunPlan:
    """One article sorted by the engine: what is ready without a model (passthrough, edits,
    cached text), and the paragraphs that need one, with their language and route."""

    refs: tuple[PackageRef, ...]
    ready: list[ParagraphTranslation | None]
    needs_model: list[tuple[Paragraph, str, Route]]
    wanted: list[int]  # the paragraphs asked for, in document order
    # The glossary's terms for this article, by source language.
    matchers: dict[str, Matcher] = field(default_factory=dict)


@dataclass(slots=True)
class PendingParagraph:
    paragraph: Paragraph
    language: str
    route: Route
    spans: list[tuple[int, int]]
    # For each sentence, the units whose translations join into its translation.
    sentence_units: list[list[Unit]] = field(default_factory=list)
    cache_hash: str = ""  # the paragraph's hash, salted when glossary terms apply
    terms: tuple[TermMatch, ...] = ()  # the glossary terms in the paragraph

    def done(self) -> bool:
        return all(unit.result is not None for units in self.sentence_units for unit in units)


# Windows queued in CTranslate2 at once, over all articles of a run: one collected, one
# waiting behind it. CTranslate2 takes asynchronous batches first in, first out, so window
# n+1's batches are waiting when window n's last batch frees a worker (no idle worker at a

def prepare(
    settings: RunSettings,
    needs_model: Sequence[tuple[Paragraph, str, Route]],
    matchers: Mapping[str, Matcher] | None = None,
) -> list[PendingParagraph]:
    """Split paragraphs into sentences and tokenize them; an over-long sentence is cut at
    clauses, then between words. A sentence (or clause) with glossary terms (``matchers``)
    gets them on its unit and a salted key (``reader.core.glossary.terms.fingerprint``)."""
    limit = settings.options.max_input_tokens
    pending: list[PendingParagraph] = []
    for number, (paragraph, language, route) in enumerate(needs_model):
        if number % _PREPARE_CHECK_EVERY == 0 and settings.cancelled():
            raise TranslationCancelled  # a chunk of a book is a fraction of a second
        tokenizer = settings.pool.tokenizer(route.packages[0])
        spans = split_sentences(paragraph.text, language)
        item = PendingParagraph(paragraph, language, route, spans)
        matcher = (matchers or {}).get(language)
        item.terms = tuple(matcher.find(paragraph.text)) if matcher else ()
        item.cache_hash = salted_hash(paragraph.text, paragraph.hash, item.terms)
        for start, end in spans:
            sentence = paragraph.text[start:end]
            tokens = tokenizer.encode(sentence)
            # Each sentence is encoded once; only one over the limit is cut at clauses
            # (and its pieces encoded).
            encoded = [(sentence, tokens)] if len(tokens) <= limit else [
                (piece, tokenizer.encode(piece)) for piece in split_long_text(
                    sentence, lambda text, tk=tokenizer: len(tk.encode(text)) <= limit
                )
            ]
            units: list[Unit] = []
            for piece, tokens in encoded:
                # A clause with no punctuation to cut at: cut between words (no glossary
                # there: the terms' places are known in whole clauses only).
                terms = tuple(matcher.find(piece)) if matcher and len(tokens) <= limit else ()
                for offset, chunk in token_chunks(tokens, limit):
                    key = source_hash(piece if len(tokens) <= limit else f"{piece}\0w{offset}")
                    if terms:
                        key = source_hash(f"{piece}\0glossary:{fingerprint(terms)}")
                    units.append(Unit(chunk, route, key, terms, piece if terms else ""))
            item.sentence_units.append(units)
        pending.append(item)
    return pending


def recall(settings: RunSettings, units: list[Unit]) -> None:
    """Fill in the units the sentence memory already knows (one query per route)."""
    cache = settings.cache
    if cache is None:
        return
    by_route: dict[str, list[Unit]] = {}
    for unit in units:
        by_route.setdefault(unit.route.key, []).append(unit)
    for route_key, route_units in by_route.items():
        known = cache.get_sentences(
            route_key, settings.options.cache_key(), [unit.key for unit in route_units]
        )
        for unit in route_units:
            remembered = known.get(unit.key)
            if remembered:
                unit.result = remembered
                unit.from_memory = True



def complete(
    settings: RunSettings,
    completed: list[PendingParagraph],
    ready: list[ParagraphTranslation | None],
) -> int:
    """Assemble finished paragraphs, cache them with their new sentences in one
    transaction, and return how many needed the model in this run."""
    decoding = settings.options.cache_key()
    entries: list[CacheEntry] = []
    remembered: dict[tuple[str, str], SentenceEntry] = {}
    word_rows: dict[str, dict[str, tuple[str, str]]] = {}
    by_model = 0
    # Chinese and Japanese sentences follow each other without a space.
    joiner = joiner_for(settings.target)
    for item in completed:
        units = [unit for sentence in item.sentence_units for unit in sentence]
        sentence_texts = [
            joiner.join(unit.result or "" for unit in sentence).strip()
            for sentence in item.sentence_units
        ]
        translation, pairs = pairs_from_sentences(
            item.paragraph.text, item.spans, sentence_texts, joiner
        )
        ok = bool(translation.strip()) and all(sentence_texts)
        truncated = any(unit.truncated for unit in units)
        from_memory = all(unit.from_memory for unit in units)
        by_model += not from_memory
        status = ParagraphStatus.CACHED if from_memory else ParagraphStatus.TRANSLATED
        if not ok:
            status = ParagraphStatus.FAILED
        elif truncated:
            status = ParagraphStatus.TRUNCATED
        ready[item.paragraph.index] = with_marks(paragraph_result(
            item.paragraph,
            item.language,
            status,
            translation if ok else "",
            sentences=pairs if ok else (),
        ), item.terms)
        if not ok or truncated:
            continue  # never cache a failed, empty or cut result
        word_rows.setdefault(item.route.key, {}).update(
            sentence_links(settings, item, pairs)
        )
        entries.append(
            CacheEntry(
                route=item.route.key,
                decoding=decoding,
                source_hash=item.cache_hash or item.paragraph.hash,
                source_lang=item.language,
                target_lang=settings.target,
                source_text=item.paragraph.text,
                translation=translation,
                sentences=pairs,
            )
        )
        for unit in units:
            if not unit.from_memory and unit.result and not unit.truncated:
                remembered[(unit.route.key, unit.key)] = SentenceEntry(
                    unit.route.key, decoding, unit.key, unit.result
                )
    if entries and settings.cache is not None:
        settings.cache.put_many(entries, remembered.values())
        for route_key, rows in word_rows.items():
            if rows:
                settings.cache.put_word_links(route_key, rows)
    for item in completed:  # attention is only kept until its sentence is aligned
        for unit in (unit for sentence in item.sentence_units for unit in sentence):
            unit.pieces = unit.attention = None
    return by_model


def sentence_links(
    settings: RunSettings, item: PendingParagraph, pairs: Sequence[SentencePair]
) -> dict[str, tuple[str, str]]:
    """Word links of the paragraph's sentences decoded with attention in this run (one
    unit each, a SentencePiece package): pair key → (source hash, links as text), for the
    cache. The others (remembered, cut for length, pivots) are aligned when asked for."""
    if settings.cache is None or len(item.route.packages) != 1:
        return {}
    tokenizer = settings.pool.tokenizer(item.route.packages[0])
    if not hasattr(tokenizer, "encode_spans"):
        return {}
    rows: dict[str, tuple[str, str]] = {}
    for pair, units in zip(pairs, item.sentence_units, strict=True):
        unit = units[0] if len(units) == 1 else None
        if unit is None or unit.attention is None or unit.pieces is None:
            continue
        target = piece_spans(unit.pieces, pair.target)
        if target is None:
            continue
        links = links_for(
            pair.source, tokenizer.encode_spans(pair.source), pair.target, target,
            unit.attention,
        )
        rows[pair_key(pair.source, pair.target)] = (
            source_hash(pair.source), links_to_text(links)
        )
    return rows



def fail_rest(
    ready: list[ParagraphTranslation | None],
    wanted: list[int],
    needs_model: list[tuple[Paragraph, str, Route]],
    emitted: int,
) -> Iterator[ParagraphReady]:
    """Every wanted paragraph not handed out yet: its text if ready, else failed."""
    unfinished = {
        paragraph.index: (paragraph, language) for paragraph, language, _ in needs_model
    }
    for index in wanted[emitted:]:
        result = ready[index]
        if result is None:
            paragraph, language = unfinished[index]
            result = paragraph_result(paragraph, language, ParagraphStatus.FAILED, "")
        yield ParagraphReady(result)



def unique_units(
    pending: list[PendingParagraph], seen: dict[tuple[str, str], Unit]
) -> list[Unit]:
    """Identical inputs on the same route are translated once and read the same everywhere.

    ``seen`` holds the inputs of the chunks prepared before (updated here); the units
    returned are the new ones, in document order."""
    ordered: list[Unit] = []
    for item in pending:
        for units in item.sentence_units:
            for position, unit in enumerate(units):
                # The unit's key hashes its text (and its place in an over-long sentence):
                # same route and key, same tokens. Two strings, not a tuple of tokens, are
                # kept for the whole run (a book's are ~100,000).
                key = (item.route.key, unit.key)
                shared = seen.get(key)
                if shared is None:
                    seen[key] = unit
                    ordered.append(unit)
                else:
                    units[position] = shared
    return ordered


def paragraph_result(
    paragraph: Paragraph,
    language: str,
    status: ParagraphStatus,
    translation: str,
    *,
    sentences: tuple[SentencePair, ...] = (),
    machine_translation: str | None = None,
    unsaved: bool = False,
) -> ParagraphTranslation:
    return ParagraphTranslation(
        index=paragraph.index,
        source=paragraph.text,
        translation=translation,
        kind=paragraph.kind,
        status=status,
        source_language=language,
        sentences=sentences,
        machine_translation=machine_translation,
        unsaved=unsaved,
    )


def prepare_chunks(
    needs_model: list[tuple[Paragraph, str, Route]],
) -> Iterator[list[tuple[Paragraph, str, Route]]]:
    """``needs_model`` in growing chunks: the first small (the first window starts after
    it), later ones larger (fewer cache queries, a better estimate of the total)."""
    start, size = 0, _FIRST_PREPARE_CHUNK
    while start < len(needs_model):
        yield needs_model[start : start + size]
        start += size
        size = min(2 * size, _MAX_PREPARE_CHUNK)


def salted_hash(text: str, plain: str, terms: Sequence[TermMatch]) -> str:
    """The cache key of a paragraph: its hash, salted with the glossary terms it contains
    (none: ``plain``, the key it has without a glossary, so it stays cached)."""
    salt = fingerprint(terms)
    return source_hash(f"{text}\0glossary:{salt}") if salt else plain
