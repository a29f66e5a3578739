"""The cost of word alignment (issue #24: goal ≤ 10% of translation time).

Side by side in one run, pair by pair, alternating which side goes first, on the seed
articles' sentences with the hand-set echo model at fr_en 1.9's shape (int8):

- ``plain``: the distinct sentences in ``translate_batch`` calls of 16 (the engine's beam,
  length penalty and threads, CTranslate2's own token batching), no attention;
- ``attention``: the same call with ``return_attention=True``, plus the links computed from
  it in Python (words merged, masses summed): what aligning in the translation pass costs;
- ``on demand``: ``alignment.align_sentences`` over the same sentence pairs, as
  ``translate --words`` and the window do for a cached translation without words (a
  second decode with attention, then the links).

Limits: the echo model's attention is one-hot, and its decoder stops exactly at the source
length; a trained model's cost differs with its lengths. Timings on a shared machine are
noisy: the three sides run back to back on each chunk of 16 sentences, in turning order,
and the ratios are of the totals.

    python -m bench.words [--quick]
"""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import Any

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import env
from bench.env import progress


def _sentences(engine: Any, tokenizer: Any) -> list[str]:
    from reader.core.articles.parser import parse_file
    from reader.core.text.sentences import split_sentences

    seen: dict[str, None] = {}
    for path in sorted(env.SEEDS_DIR.glob("*.txt")):
        article = parse_file(path, paragraph_languages=True)
        for paragraph, ready in zip(article.paragraphs, engine.peek(article, "en"), strict=True):
            if ready is not None:
                continue  # passthrough: never reaches a model
            for start, end in split_sentences(paragraph.text, paragraph.language):
                sentence = paragraph.text[start:end]
                if tokenizer.encode(sentence):
                    seen.setdefault(sentence, None)
    return list(seen)


def words_cost(quick: bool, model_cache: Path) -> dict[str, Any]:
    from reader.core.models.store import install_package
    from reader.core.translation.decoder import Decoder
    from reader.core.translation.engine import TranslationEngine
    from reader.core.translation.model_pool import ModelPool
    from reader.core.words.alignment import align_sentences, links_for, piece_spans

    pool = ModelPool()
    engine = TranslationEngine(None, pool=pool)
    if not engine.installed():  # alone (python -m bench.words); the suite installed it
        install_package(env.cached_model(model_cache, "int8"))
        engine.refresh_packages()
    [package] = engine.route("fr", "en").packages
    decoder = Decoder(pool, engine.options)
    route = engine.route("fr", "en")
    tokenizer = pool.tokenizer(package)
    translator = pool.translator(package)
    options = engine.options
    sentences = _sentences(engine, tokenizer)
    spans = [tokenizer.encode_spans(s) for s in sentences]
    sources = [[p for p, _, _ in s] for s in spans]

    def translate(chunk: list[int], attention: bool) -> Any:
        return translator.translate_batch(
            [sources[i] for i in chunk], beam_size=options.beam_size,
            length_penalty=options.length_penalty, replace_unknowns=options.replace_unknowns,
            max_decoding_length=options.max_decoding_length(max(len(sources[i]) for i in chunk)),
            max_batch_size=options.max_batch_tokens, batch_type="tokens",
            return_attention=attention,
        )

    def plain(chunk: list[int]) -> None:
        translate(chunk, False)

    def with_attention(chunk: list[int]) -> None:
        for i, result in zip(chunk, translate(chunk, True), strict=True):
            pieces = list(result.hypotheses[0])
            text = tokenizer.decode(pieces).strip()
            target = piece_spans(pieces, text) or []
            links_for(sentences[i], spans[i], text, target, result.attention[0])

    everything = list(range(len(sentences)))
    targets = [tokenizer.decode(list(r.hypotheses[0])).strip()
               for r in translate(everything, False)]

    def on_demand(chunk: list[int]) -> None:
        align_sentences(decoder, route, [(sentences[i], targets[i]) for i in chunk])

    # Small chunks, the three sides back to back on each (the order turning), so the load
    # of a shared machine, which swings over seconds, weighs on all three alike.
    size = 16
    chunks = [everything[i : i + size] for i in range(0, len(everything), size)]
    repeats = 2 if quick else 5
    sides = [("plain", plain), ("attention", with_attention), ("on_demand", on_demand)]
    totals = {name: [0.0] * repeats for name, _ in sides}
    turn = 0
    for number in range(repeats):
        for chunk in chunks:
            turn += 1
            order = sides[turn % 3 :] + sides[: turn % 3]
            for name, fn in order:
                start = time.perf_counter()
                fn(chunk)
                totals[name][number] += time.perf_counter() - start
        progress(f"words pass {number + 1}/{repeats}: "
                 + ", ".join(f"{k} {v[number]:.2f}s" for k, v in totals.items()))
    plain_s, attention_s, demand_s = (sum(totals[n]) for n in ("plain", "attention", "on_demand"))
    return {
        "sentences": len(sentences),
        "source_pieces": sum(len(s) for s in sources),
        "threads": pool.inter_threads,
        "beam_size": options.beam_size,
        "passes": repeats,
        "chunk_sentences": size,
        "seconds_per_pass": {name: env.median(values) for name, values in totals.items()},
        "runs": totals,
        "attention_ratio": attention_s / plain_s,
        "on_demand_ratio": demand_s / plain_s,
        "goal": "attention_ratio <= 1.10",
    }


def main(argv: list[str] | None = None) -> int:
    return env.run_alone(
        "python -m bench.words", __doc__ or "", words_cost, "2 passes instead of 5", argv
    )


if __name__ == "__main__":
    sys.exit(main())
