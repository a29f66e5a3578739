"""The anchor: argostranslate's own ``translate()``, called once per paragraph, as its users do.

Two patches make it a like-for-like, offline baseline; nothing else of argostranslate changes
(its per-paragraph ``CachedTranslation`` → ``PackageTranslation`` → ``apply_packaged_translation``
path, its tokenizer, its ``translate_batch`` arguments: beam ``ARGOS_BEAM_SIZE`` 4,
``max_batch_size=ARGOS_BATCH_SIZE`` 32 with ``batch_type="tokens"``, length penalty 0.2,
``return_scores=True``):

1. **Offline sentence splitting.** ``PackageTranslation.__init__`` builds a
   ``MiniSBDSentencizer``, which downloads an ONNX model on its first ``split_sentences`` (a
   ``URLError`` offline). After ``get_installed_languages()`` we replace that object's
   ``sentencizer`` attribute with :class:`OfflineSentencizer`, which calls our own splitter
   (``reader.core.text.sentences.sentences``). Both sides therefore see exactly the same sentences.
2. **The same decoding-length limit.** argostranslate sets no ``max_decoding_length``
   (CTranslate2's default is 256), and a synthetic model never emits ``</s>``, so every
   sentence would run to 256 tokens. We pre-set the ``PackageTranslation.translator``
   attribute (which argostranslate fills lazily, only when it is ``None``) with
   :class:`LimitEqualTranslator`: it re-does CTranslate2's own token batching (``rebatch_input``
   in ``src/batch_reader.cc``: sort by source length, longest first; add examples while
   ``(n + 1) * longest <= 32``) and sends each of those batches to the real
   ``ctranslate2.Translator.translate_batch`` on its own (``max_batch_size=0``) with
   ``max_decoding_length = DecodingOptions.max_decoding_length(longest source in the batch)``,
   exactly our engine's formula. The batches, their order and every other argument are what
   CTranslate2 would have used.

The real ``ctranslate2.Translator`` is built with the arguments argostranslate uses
(``device`` and ``compute_type`` from its settings), except the threads: argostranslate's
``inter_threads`` 1 and ``intra_threads`` 0 (CTranslate2 chooses: 4 threads, oversubscribing a
2-core machine) become our ``ModelPool``'s layout, one single-threaded worker per core, so both
sides have the same threads. The re-made batches are submitted asynchronously, as CTranslate2
itself hands the sub-batches of one ``translate_batch`` call to its free workers.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from reader.core.text.sentences import sentences as offline_sentences
from reader.core.translation.engine import DecodingOptions

# argostranslate's defaults (settings.py); asserted at set-up so a changed default is noticed.
ARGOS_BATCH_TOKENS = 32
ARGOS_BEAM_SIZE = 4


class OfflineSentencizer:
    """Stands in for argostranslate's ``ISentenceBoundaryDetectionModel``: same method, no
    download, and the very splitter our engine uses."""

    def split_sentences(self, text: str) -> list[str]:
        return offline_sentences(text)

    def __str__(self) -> str:
        return "OfflineSentencizer(reader.core.text.sentences)"


def ct2_token_batches(lengths: Sequence[int], max_batch_tokens: int) -> list[list[int]]:
    """Indices of the batches CTranslate2 forms for ``batch_type="tokens"``.

    A transcription of ``rebatch_input`` + ``fill_batch_with_fixed_increment``: padding
    counts, so a batch costs ``size * longest``; an example that alone exceeds the budget
    still gets a batch of its own."""
    order = sorted(range(len(lengths)), key=lambda i: lengths[i], reverse=True)
    batches: list[list[int]] = []
    batch: list[int] = []
    longest = 0
    for index in order:
        longest_if_added = max(longest, lengths[index])
        if batch and (len(batch) + 1) * longest_if_added > max_batch_tokens:
            batches.append(batch)
            batch, longest_if_added = [], lengths[index]
        batch.append(index)
        longest = longest_if_added
    if batch:
        batches.append(batch)
    return batches


class LimitEqualTranslator:
    """Wraps a ``ctranslate2.Translator`` so argostranslate's calls get our length limit.

    Counts what it did (batches, sentences, generated tokens) so the report can show that
    both sides did comparable work."""

    def __init__(self, translator: Any, options: DecodingOptions) -> None:
        self._translator = translator
        self._options = options
        self.batches = 0
        self.sentences = 0
        self.generated_tokens = 0

    def __getattr__(self, name: str) -> Any:
        return getattr(self._translator, name)

    def translate_batch(self, source: list[list[str]], **kwargs: Any) -> list[Any]:
        budget = int(kwargs.pop("max_batch_size", 0) or 0)
        batch_type = kwargs.pop("batch_type", "examples")
        if batch_type != "tokens" or budget <= 0:
            raise RuntimeError(
                f"argostranslate changed its batching ({batch_type!r}, {budget}); "
                "update bench.baseline"
            )
        prefix = kwargs.pop("target_prefix", None)
        submitted = []
        for batch in ct2_token_batches([len(tokens) for tokens in source], budget):
            longest = max(len(source[i]) for i in batch)
            pending = self._translator.translate_batch(
                [source[i] for i in batch],
                target_prefix=[prefix[i] for i in batch] if prefix else None,
                max_batch_size=0,
                max_decoding_length=self._options.max_decoding_length(longest),
                asynchronous=True,  # as CTranslate2 dispatches its own batches to workers
                **kwargs,
            )
            submitted.append((batch, pending))
        results: list[Any] = [None] * len(source)
        for batch, pending in submitted:
            self.batches += 1
            for i, async_result in zip(batch, pending, strict=True):
                result = async_result.result()
                results[i] = result
                self.sentences += 1
                self.generated_tokens += len(result.hypotheses[0])
        return results


class ArgosBaseline:
    """argostranslate's fr→en ``translate()`` on the installed package, made offline and
    limit-equal (see the module docstring). Call :meth:`translate` per paragraph."""

    def __init__(
        self, package_path: Path, options: DecodingOptions, workers: int, threads_per_worker: int
    ) -> None:
        import ctranslate2

        from reader.core.models import store as packages

        # Point argostranslate's import-time folders at the bench's throwaway XDG dirs.
        settings = packages.sync_argos_settings()
        if settings.batch_size != ARGOS_BATCH_TOKENS or settings.beam_size != ARGOS_BEAM_SIZE:
            raise RuntimeError(
                f"argostranslate defaults changed (batch {settings.batch_size}, beam "
                f"{settings.beam_size}); the anchor must use its users' defaults"
            )
        if options.beam_size != settings.beam_size:
            raise ValueError("compare like with like: use our engine at argostranslate's beam")
        settings.inter_threads = workers
        settings.intra_threads = threads_per_worker
        from argostranslate import translate as argos_translate

        argos_translate.get_installed_languages.cache_clear()
        argos_translate.installed_translates.clear()
        translation = argos_translate.get_translation_from_codes("fr", "en")
        cached = translation  # CachedTranslation(PackageTranslation)
        inner = getattr(cached, "underlying", None)
        if inner is None or not hasattr(inner, "sentencizer"):
            raise RuntimeError("argostranslate's fr→en translation is not a package translation")
        if Path(inner.pkg.package_path).resolve() != Path(package_path).resolve():
            raise RuntimeError(
                f"argostranslate picked {inner.pkg.package_path}, not the bench model"
            )
        inner.sentencizer = OfflineSentencizer()
        self.translator = LimitEqualTranslator(
            ctranslate2.Translator(
                str(Path(package_path) / "model"),
                device=settings.device,
                inter_threads=workers,
                intra_threads=threads_per_worker,
                compute_type=settings.compute_type,
            ),
            options,
        )
        inner.translator = self.translator
        self._cached = cached
        self._translate = argos_translate.translate

    def reset(self) -> None:
        """Forget argostranslate's one-call paragraph memo, so repeats redo the work."""
        self._cached.cache = {}

    def translate(self, paragraph: str) -> str:
        return str(self._translate(paragraph, "fr", "en"))
