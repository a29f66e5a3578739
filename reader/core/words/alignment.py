"""Word alignment from the model's cross-attention: which source word(s) each target word
came from, as character spans, for the window's word hover and ``translate --json --words``.

How: CTranslate2 returns with ``return_attention=True``, per target piece, the alignment
head's attention over the source pieces (rows sum to 1; no row or column for ``</s>``). The
translation pass asks for it with every sentence and stores the links it makes (see
``reader.core.translation.run_steps``); this module makes the missing ones: the sentence is
translated again with attention (the engine's settings, so normally the very translation
shown, in the model's own pieces), or, when the text shown is one the model would not write
(a chosen alternative, other settings), its pieces are decoded *forced* (``target_prefix``).
Pieces are merged into words and the attention summed into word-to-word masses:

- a word is a run of SentencePiece pieces, a new one starting at each piece that begins
  with ``▁``; a piece of punctuation or symbols alone (``.``, ``,``, ``'``, ``«``, ``-``)
  belongs to no word and ends the current one ("L'homme" is two words, "dit-il" too);
- the mass of source word s for target word t is the attention of t's pieces on s's pieces,
  summed and divided by the number of t's pieces (so it lies between 0 and 1);
- t is linked to the source word with the highest mass, and to any other whose mass is at
  least half of that, provided the mass reaches ``MIN_MASS``; a target word with no source
  word that strong is left unlinked (rather than linked to a guess).

Limits: attention is a proxy (trained models spread it, and the alignment head can look one
word off around reordering); scripts written without spaces (Chinese, Japanese) have pieces
without ``▁`` inside a sentence, so a whole clause may be one "word"; only SentencePiece
packages are aligned (BPE packages get no words); a sentence cut into pieces for being
over-long (``DecodingOptions.max_input_tokens``) gets no words; a pivot route (fr→en→de)
is aligned leg by leg and the links composed through the English words.

Links are kept in the cache per sentence pair (``WordStore``): keyed on the route and on
the exact source and target sentence texts, so a cached translation without them is aligned
once, when words are first asked for, and an edited sentence is aligned afresh.

The rule itself is plain functions in ``reader.core.translation.word_links`` (the
translation pass aligns with them too, on the attention it decodes with); they are
re-exported here. Public API (the glossary reuses it): :func:`word_groups`,
:func:`link_words`, :func:`links_for`, :func:`piece_spans`, :func:`forced_attention`,
:func:`align_sentences` and :func:`paragraph_words`. Nothing here imports Qt.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Protocol

from reader.core.articles.article import source_hash
from reader.core.models.store import InstalledPackage, PackageError
from reader.core.translation.word_links import (
    MIN_MASS,
    SHARE_OF_BEST,
    Span,
    WordGroup,
    WordLink,
    link_words,
    links_for,
    links_from_text,
    links_to_text,
    pair_key,
    piece_spans,
    trim_spans,
    word_groups,
)

if TYPE_CHECKING:
    from reader.core.translation.decoder import Decoder
    from reader.core.translation.model_pool import Route
    from reader.core.translation.results import ParagraphTranslation


class SpanTokenizer(Protocol):
    """A tokenizer that tells where each piece lies in the text (SentencePiece's does)."""

    def encode_spans(self, text: str) -> list[tuple[str, int, int]]: ...


def span_tokenizer(tokenizer: object) -> SpanTokenizer:
    if not hasattr(tokenizer, "encode_spans"):
        raise PackageError("word alignment needs a SentencePiece package (this one uses BPE)")
    return tokenizer  # type: ignore[return-value]


def forced_attention(
    decoder: Decoder,
    package: InstalledPackage,
    pairs: Sequence[tuple[list[str], list[str]]],
) -> list[list[list[float]]]:
    """Decode each (source pieces, target pieces) pair with the target forced, in one
    batch, and return each pair's attention rows for its target pieces (the package's
    own target prefix, if any, is added and its row dropped)."""
    if not pairs:
        return []
    translator = decoder.pool.translator(package)
    lead = [package.target_prefix] if package.target_prefix else []
    prefixes = [lead + target for _, target in pairs]
    results = translator.translate_batch(
        [source or ["▁"] for source, _ in pairs],
        target_prefix=prefixes,
        beam_size=1,
        # Forced to the end: one step more for ``</s>`` (nothing is decoded past it).
        max_decoding_length=max(len(p) for p in prefixes) + 1,
        max_input_length=0,
        max_batch_size=0,
        return_attention=True,
    )
    rows: list[list[list[float]]] = []
    for result, (_, target) in zip(results, pairs, strict=True):
        attention = list(result.attention[0]) if result.attention else []
        rows.append([list(row) for row in attention[len(lead) : len(lead) + len(target)]])
    return rows


def _align_leg(
    decoder: Decoder, package: InstalledPackage, pairs: Sequence[tuple[str, str]]
) -> list[list[WordLink]]:
    """Links for (source, target) pairs with one package. The source is translated again
    with attention (the engine's settings, so usually the very translation shown, in the
    model's own pieces); a pair whose target reads otherwise (an edit, other settings) is
    decoded again with its target forced, re-encoded with the package's tokenizer."""
    tokenizer = span_tokenizer(decoder.pool.tokenizer(package))
    options = decoder.options
    sources = [tokenizer.encode_spans(source) for source, _ in pairs]
    wanted = [
        i for i, (s, (_, t)) in enumerate(zip(sources, pairs, strict=True))
        if s and t.strip() and len(s) <= options.max_input_tokens
    ]
    out: list[list[WordLink]] = [[] for _ in pairs]
    if not wanted:
        return out
    translator = decoder.pool.translator(package)
    lead = [package.target_prefix] if package.target_prefix else []
    results = translator.translate_batch(
        [[p for p, _, _ in sources[i]] for i in wanted],
        target_prefix=[lead] * len(wanted) if lead else None,
        beam_size=options.beam_size,
        length_penalty=options.length_penalty,
        replace_unknowns=options.replace_unknowns,
        max_decoding_length=options.retry_decoding_length(
            max(len(sources[i]) for i in wanted)
        ),
        max_input_length=0,
        max_batch_size=0,
        return_attention=True,
    )
    forced: list[int] = []
    for i, result in zip(wanted, results, strict=True):
        source, target = pairs[i]
        hypothesis = list(result.hypotheses[0])[len(lead):]
        spans = piece_spans(hypothesis, target)
        if spans is None or not result.attention:
            forced.append(i)
            continue
        rows = list(result.attention[0])[len(lead) : len(lead) + len(hypothesis)]
        out[i] = links_for(source, sources[i], target, spans, rows)
    targets = {i: tokenizer.encode_spans(pairs[i][1]) for i in forced}
    attention = forced_attention(
        decoder, package,
        [([p for p, _, _ in sources[i]], [p for p, _, _ in targets[i]]) for i in forced],
    )
    for i, rows in zip(forced, attention, strict=True):
        source, target = pairs[i]
        out[i] = links_for(source, sources[i], target, targets[i], rows)
    return out


def compose(first: Sequence[WordLink], second: Sequence[WordLink]) -> list[WordLink]:
    """Links source→target through a middle text: (s, m) in ``first`` and (m, t) in
    ``second`` with the same middle span give (s, t)."""
    by_middle: dict[Span, list[Span]] = {}
    for link in first:
        by_middle.setdefault((link.target_start, link.target_end), []).append(
            (link.source_start, link.source_end)
        )
    seen: set[tuple[int, int, int, int]] = set()
    out: list[WordLink] = []
    for link in second:
        for s0, s1 in by_middle.get((link.source_start, link.source_end), []):
            key = (s0, s1, link.target_start, link.target_end)
            if key not in seen:
                seen.add(key)
                out.append(WordLink(*key))
    out.sort(key=lambda k: (k.target_start, k.source_start))
    return out


def align_sentences(
    decoder: Decoder,
    route: Route,
    pairs: Sequence[tuple[str, str]],
    *,
    middle: Callable[[list[str]], list[str]] | None = None,
) -> list[list[WordLink]]:
    """Word links for each (source sentence, its translation), spans in the sentence texts.

    A pivot route needs the middle texts: ``middle(sources)`` (default: the first leg's
    translation by ``decoder``). Raises ``PackageError`` for a package without SentencePiece
    or one that cannot be loaded."""
    if len(route.packages) == 1:
        return _align_leg(decoder, route.packages[0], pairs)
    sources = [source for source, _ in pairs]
    texts = sources
    legs: list[list[list[WordLink]]] = []
    for number, package in enumerate(route.packages):
        if number == len(route.packages) - 1:
            nexts = [target for _, target in pairs]
        elif middle is not None and number == 0:
            nexts = middle(texts)
        else:
            tokenizer = decoder.pool.tokenizer(package)
            nexts, _ = decoder.translate_tokens(
                package, tokenizer, [tokenizer.encode(t) for t in texts], lambda: False
            )
        legs.append(_align_leg(decoder, package, list(zip(texts, nexts, strict=True))))
        texts = nexts
    links = legs[0]
    for leg in legs[1:]:
        links = [compose(a, b) for a, b in zip(links, leg, strict=True)]
    return links


class WordStore(Protocol):
    """Where links are kept (``TranslationCache``), as :func:`links_to_text` text."""

    def get_word_links(self, route: str, keys: Sequence[str]) -> dict[str, str]: ...

    def put_word_links(self, route: str, rows: dict[str, tuple[str, str]]) -> bool:
        """``rows``: pair key → (the source sentence's ``source_hash``, the links as text);
        the source hash lets clearing an article's translations clear its links too."""
        ...


def paragraph_words(
    decoder: Decoder,
    route: Route,
    paragraph: ParagraphTranslation,
    store: WordStore | None = None,
) -> tuple[tuple[WordLink, ...], ...]:
    """Word links for each sentence of ``paragraph`` (as ``paragraph.sentences``), spans in
    the paragraph's source and translation, like the sentence spans. From ``store`` where it
    has them; the rest decoded with attention (one batch, see ``_align_leg``) and stored.
    A paragraph without sentence alignment (passthrough, the reader's own edit) has none."""
    pairs = paragraph.sentences
    if not pairs:
        return ()
    keys = [pair_key(pair.source, pair.target) for pair in pairs]
    known: dict[str, tuple[WordLink, ...]] = {}
    if store is not None:
        known = {
            key: links_from_text(text)
            for key, text in store.get_word_links(route.key, keys).items()
        }
    missing = [i for i, key in enumerate(keys) if key not in known]
    if missing:
        found = align_sentences(
            decoder, route, [(pairs[i].source, pairs[i].target) for i in missing]
        )
        fresh = {keys[i]: tuple(links) for i, links in zip(missing, found, strict=True)}
        known.update(fresh)
        if store is not None:
            store.put_word_links(route.key, {
                keys[i]: (source_hash(pairs[i].source), links_to_text(fresh[keys[i]]))
                for i in missing
            })
    return tuple(
        tuple(link.shifted(pair.source_start, pair.target_start) for link in known[key])
        for pair, key in zip(pairs, keys, strict=True)
    )


__all__ = [
    "MIN_MASS",
    "SHARE_OF_BEST",
    "WordGroup",
    "WordLink",
    "WordStore",
    "align_sentences",
    "compose",
    "forced_attention",
    "link_words",
    "links_for",
    "links_from_text",
    "links_to_text",
    "pair_key",
    "paragraph_words",
    "piece_spans",
    "span_tokenizer",
    "trim_spans",
    "word_groups",
]
