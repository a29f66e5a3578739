"""Other ways to translate a sentence or a word, and a chosen one kept as a post-edit.

- **Sentence alternatives**: the n best hypotheses of a beam (``num_hypotheses``, the beam
  widened to n when the engine's is narrower). The first is always the translation shown;
  the others follow in the model's order, without repeats.
- **Word alternatives**: the translation's pieces before the word are forced
  (``target_prefix``) and CTranslate2 returns, with ``return_alternatives``, the most likely
  pieces at that position, each hypothesis decoded again to the end of the sentence after
  it (so the rest of the sentence follows the chosen word). The first is the model's own
  continuation from the prefix.
- **Choosing** one replaces that sentence's span in the paragraph's translation and stores
  the paragraph as the reader's post-edit (``TranslationEngine.set_edit``: the same rules
  and the same table as an edit typed by hand).

A pivot route (fr→en→de) translates the first legs as usual and offers alternatives of the
last one. Everything here decodes and may wait for the cache: call it off the GUI thread.
:func:`decode_with_prefix` is the public "force these pieces, decode the rest" helper (the
glossary reuses it). Nothing here imports Qt.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from reader.core.models.store import InstalledPackage, PackageError
from reader.core.translation.decoder import clean_output
from reader.core.words.alignment import piece_spans, span_tokenizer, word_groups

if TYPE_CHECKING:
    from reader.core.translation.decoder import Decoder
    from reader.core.translation.engine import TranslationEngine
    from reader.core.translation.model_pool import Route
    from reader.core.translation.results import ParagraphTranslation

DEFAULT_COUNT = 5
MAX_COUNT = 16


@dataclass(frozen=True, slots=True)
class WordAlternative:
    """One alternative at a target position: the word there and the whole sentence with
    it (the rest decoded again after it); ``start``: where the word begins in the sentence
    (as near as the decoded text tells); ``pieces`` are the model's."""

    word: str
    sentence: str
    pieces: tuple[str, ...]
    start: int = 0

    def to_json(self) -> dict[str, object]:
        return {"word": self.word, "sentence": self.sentence, "start": self.start}


def _check_count(count: int) -> int:
    if not 1 <= count <= MAX_COUNT:
        raise ValueError(f"the number of alternatives must be between 1 and {MAX_COUNT}")
    return count


def _last_leg(decoder: Decoder, route: Route, source: str) -> tuple[InstalledPackage, str]:
    """The package whose alternatives are offered and its input: the source itself, or for
    a pivot route the earlier legs' translation of it."""
    text = source
    for package in route.packages[:-1]:
        tokenizer = decoder.pool.tokenizer(package)
        texts, _ = decoder.translate_tokens(
            package, tokenizer, [tokenizer.encode(text)], lambda: False
        )
        text = texts[0]
    return route.packages[-1], text


def _source_pieces(decoder: Decoder, package: InstalledPackage, text: str) -> list[str]:
    pieces = decoder.pool.tokenizer(package).encode(text)
    if not pieces:
        raise PackageError("the sentence has nothing to translate")
    if len(pieces) > decoder.options.max_input_tokens:
        raise PackageError(
            f"the sentence is too long for alternatives ({len(pieces)} pieces, at most "
            f"{decoder.options.max_input_tokens})"
        )
    return pieces


def decode_with_prefix(
    decoder: Decoder,
    package: InstalledPackage,
    source_pieces: list[str],
    prefix: Sequence[str],
    *,
    alternatives: int = 0,
) -> list[list[str]]:
    """Translate ``source_pieces`` with the target forced to start with ``prefix`` (pieces,
    without the package's own target prefix) and decoded to the end after it, with the
    engine's beam and length penalty. With ``alternatives`` = n > 0, up to n hypotheses
    that differ at position ``len(prefix)`` (``return_alternatives``), model's order; else
    the single best. Returns each hypothesis's pieces, the prefix included."""
    options = decoder.options
    lead = [package.target_prefix] if package.target_prefix else []
    forced = lead + list(prefix)
    result = decoder.pool.translator(package).translate_batch(
        [source_pieces],
        target_prefix=[forced] if forced else None,
        beam_size=options.beam_size,
        num_hypotheses=max(1, alternatives),
        return_alternatives=alternatives > 0,
        length_penalty=options.length_penalty,
        replace_unknowns=options.replace_unknowns,
        max_decoding_length=max(
            options.retry_decoding_length(len(source_pieces)), len(forced) + 8
        ),
        max_input_length=0,
    )[0]
    return [list(h)[len(lead):] for h in result.hypotheses]


def _text(decoder: Decoder, package: InstalledPackage, pieces: Sequence[str]) -> str:
    return clean_output(decoder.pool.tokenizer(package).decode(list(pieces)), "")


def sentence_alternatives(
    decoder: Decoder, route: Route, source: str, current: str, count: int = DEFAULT_COUNT
) -> list[str]:
    """Up to ``count`` translations of the sentence ``source``: ``current`` (the one
    shown) first, then the beam's other hypotheses in the model's order, none twice."""
    _check_count(count)
    package, text = _last_leg(decoder, route, source)
    pieces = _source_pieces(decoder, package, text)
    options = decoder.options
    lead = [package.target_prefix] if package.target_prefix else []
    result = decoder.pool.translator(package).translate_batch(
        [pieces],
        target_prefix=[lead] if lead else None,
        beam_size=max(options.beam_size, count),
        num_hypotheses=count,
        length_penalty=options.length_penalty,
        replace_unknowns=options.replace_unknowns,
        max_decoding_length=options.retry_decoding_length(len(pieces)),
        max_input_length=0,
    )[0]
    found = [current]
    for hypothesis in result.hypotheses:
        candidate = _text(decoder, package, list(hypothesis)[len(lead):])
        if candidate and candidate not in found:
            found.append(candidate)
    return found[:count]


def target_pieces(
    decoder: Decoder, package: InstalledPackage, source_pieces: list[str], target: str
) -> list[tuple[str, int, int]]:
    """The pieces of ``target`` with their character spans: the model's own when its best
    translation of the source spells ``target`` (they may be pieces the tokenizer would
    not make), else ``target`` encoded with the package's tokenizer."""
    best = decode_with_prefix(decoder, package, source_pieces, [])[0]
    spans = piece_spans(best, target)
    if spans is not None:
        return spans
    return span_tokenizer(decoder.pool.tokenizer(package)).encode_spans(target)


def word_alternatives(
    decoder: Decoder,
    route: Route,
    source: str,
    target: str,
    position: int,
    count: int = DEFAULT_COUNT,
) -> list[WordAlternative]:
    """Alternatives for the word of ``target`` (the sentence's translation) at character
    ``position``: the pieces before it forced, up to ``count`` pieces tried there, the rest
    of each sentence decoded again. Raises ``PackageError`` when ``position`` is on no word
    or the package cannot be used."""
    _check_count(count)
    package, text = _last_leg(decoder, route, source)
    source_pieces = _source_pieces(decoder, package, text)
    pieces = target_pieces(decoder, package, source_pieces, target)
    word = next(
        (g for g in word_groups(pieces) if g.start <= position < g.stop and g.stop > g.start),
        None,
    )
    if word is None:
        raise PackageError(f"no word at position {position} of the translation")
    prefix = [p for p, _, _ in pieces[: word.first]]
    hypotheses = decode_with_prefix(
        decoder, package, source_pieces, prefix, alternatives=count
    )
    found: list[WordAlternative] = []
    seen: set[str] = set()
    at = len(prefix)
    for hypothesis in hypotheses:
        if len(hypothesis) <= at or hypothesis[:at] != prefix:
            continue  # nothing at the position (the sentence ended) or not kept
        sentence = _text(decoder, package, hypothesis)
        if not sentence or sentence in seen:
            continue
        seen.add(sentence)
        spans = [(p, 0, 0) for p in hypothesis]
        group = next((g for g in word_groups(spans) if g.first <= at < g.end), None)
        first = group.first if group else at
        chosen = hypothesis[first : group.end] if group else hypothesis[at : at + 1]
        word_text = _text(decoder, package, chosen)
        before = len(_text(decoder, package, hypothesis[:first]))
        start = sentence.find(word_text, before) if word_text else -1
        found.append(WordAlternative(
            word_text, sentence, tuple(hypothesis), start if start >= 0 else before
        ))
    return found


def replace_sentence(paragraph: ParagraphTranslation, index: int, text: str) -> str:
    """The paragraph's translation with sentence ``index``'s span replaced by ``text``."""
    if not 0 <= index < len(paragraph.sentences):
        raise PackageError(
            f"sentence {index} is not in the paragraph (it has {len(paragraph.sentences)})"
        )
    if not text.strip():
        raise PackageError("an alternative needs text")
    pair = paragraph.sentences[index]
    translation = paragraph.translation
    return translation[: pair.target_start] + text.strip() + translation[pair.target_end :]


def choose(
    engine: TranslationEngine,
    paragraph: ParagraphTranslation,
    target: str,
    index: int,
    text: str,
) -> bool:
    """Store the paragraph with sentence ``index`` reading ``text`` as the reader's
    post-edit. True once written; False when kept in memory to retry (as ``set_edit``)."""
    return engine.set_edit(paragraph, target, replace_sentence(paragraph, index, text))
