"""The glossary in the engine, with a hand-set "gloss" model (each source piece answered by
one target piece: "guerre" → "war", "maison" → "house", the rest echoed), real CTranslate2,
a real cache and a spy on the translator. The model is positional (target step t reads
source piece t), so replacements here keep the piece count of what they replace."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from reader.core.articles.article import Article, Paragraph, ParagraphKind
from reader.core.glossary.store import GlossaryStore, make_entry
from reader.core.translation.cache import TranslationCache
from reader.core.translation.engine import DecodingOptions, TranslationEngine
from reader.core.translation.results import ParagraphStatus
from tests.core.test_engine import RecordingPool

GLOSS = {"▁guerre": "▁war", "▁maison": "▁house", "▁ville": "▁town"}
MARKERS = ("<", ">", "▁", "id_", "⁇", "{", "[")


@pytest.fixture(scope="session")
def gloss_package(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from testkit.handset_package import build_handset_package

    return build_handset_package(tmp_path_factory.mktemp("gloss"), "fr", "en", glossary=GLOSS)


@pytest.fixture
def setup(gloss_package: Path, isolated_xdg: dict[str, Path]) -> Any:
    from reader.core.models.store import install_package

    install_package(gloss_package)
    store = GlossaryStore(":memory:")
    pool = RecordingPool()
    engine = TranslationEngine(TranslationCache(), options=DecodingOptions(), pool=pool,
                               glossary=store)
    return engine, pool, store


def article(*texts: str, path: str = "/tmp/a.md") -> Article:
    return Article(
        path=Path(path), title="t", language="fr", language_confidence=1.0,
        paragraphs=tuple(Paragraph(i, t, ParagraphKind.BODY, "fr", 1.0)
                         for i, t in enumerate(texts)),
    )


def translate(engine: TranslationEngine, art: Article) -> list[Any]:
    result, _ = engine.translate_article(art, "en")
    return result.paragraphs


def sources(pool: RecordingPool) -> list[str]:
    return ["".join(s).replace("▁", " ").strip() for c in pool.calls for s in c["source"]]


def is_term_decode(call: dict[str, Any]) -> bool:
    """A call of the glossary's decoder (it always names ``suppress_sequences``)."""
    return "suppress_sequences" in call["kwargs"]


def test_without_terms_the_model_glosses(setup: Any) -> None:
    engine, _pool, _ = setup
    (p,) = translate(engine, article("La guerre est grande. La maison aussi."))
    assert p.translation == "La war est grande. La house aussi."
    assert p.glossary == ()


def test_term_replaced_where_it_was_and_the_rest_redecoded(setup: Any) -> None:
    engine, pool, store = setup
    store.add(make_entry("guerre", "vol", "fr", "en"))
    (p,) = translate(engine, article("La guerre est grande."))
    assert p.translation == "La vol est grande."
    assert "war" not in p.translation
    assert [(m.target, m.target_start, m.target_end) for m in p.glossary] == [("vol", 3, 6)]
    # The ordinary pass (with attention, which locates the term), then one re-decode with
    # the prefix up to the term.
    calls = pool.calls
    assert len(calls) == 2 and all(c["kwargs"]["return_attention"] for c in calls)
    assert [is_term_decode(c) for c in calls] == [False, True]
    assert calls[1]["kwargs"]["target_prefix"] == [["▁L", "a", "▁vol"]]


def test_inflected_form_kept_term_and_several_terms(setup: Any) -> None:
    engine, _pool, store = setup
    store.add(make_entry("guerre", "vol", "fr", "en"))
    store.add(make_entry("maison", None))  # keep
    store.add(make_entry("ville", "zone"))
    paragraphs = translate(engine, article(
        "Les guerres de Zelensky.", "La maison et la guerre.", "La ville, la maison, la guerre."
    ))
    assert [p.translation for p in paragraphs] == [
        "Les vols de Zelensky.", "La maison et la vol.", "La zone, la maison, la vol."
    ]
    for p in paragraphs:
        assert not any(marker in p.translation for marker in MARKERS)
        assert all(m.found for m in p.glossary)
        assert "war" not in p.translation and "house" not in p.translation


def test_term_inside_a_longer_word_is_left_alone(setup: Any) -> None:
    engine, pool, store = setup
    store.add(make_entry("guerre", "vol"))
    (p,) = translate(engine, article("La guerrelle est grande."))
    plain_engine = TranslationEngine(None, pool=RecordingPool())
    (q,) = translate(plain_engine, article("La guerrelle est grande."))
    assert p.translation == q.translation and p.glossary == ()
    assert not any(is_term_decode(c) for c in pool.calls)


def test_untouched_sentences_byte_identical_and_not_redecoded(setup: Any) -> None:
    engine, pool, store = setup
    store.add(make_entry("guerre", "vol"))
    text = "La maison est grande. La guerre est finie. Il pleut."
    (p,) = translate(engine, article(text))
    plain = TranslationEngine(None, pool=RecordingPool())
    (q,) = translate(plain, article(text))
    assert [s.target for s in q.sentences] == ["La house est grande.", "La war est finie.",
                                               "Il pleut."]
    assert [s.target for s in p.sentences] == ["La house est grande.", "La vol est finie.",
                                               "Il pleut."]
    ordinary = [c for c in pool.calls if not is_term_decode(c)]
    with_terms = [c for c in pool.calls if is_term_decode(c)]
    # Every sentence went through the ordinary pass once, exactly as without a glossary;
    # only the sentence with the term was decoded again (once).
    assert sorted(s for c in ordinary for s in map(tuple, c["source"])) == sorted(
        tuple(s) for c in plain.pool.calls for s in c["source"]  # type: ignore[attr-defined]
    )
    assert [s for c in with_terms for s in c["source"]] == [
        ["▁L", "a", "▁guerre", "▁est", "▁f", "in", "i", "e", "."]]


def test_a_change_retranslates_only_the_paragraphs_with_that_term(setup: Any) -> None:
    engine, pool, store = setup
    store.add(make_entry("guerre", "vol"))
    art = article("La guerre est grande.", "La maison est belle.", "Il pleut fort.")
    first = translate(engine, art)
    assert [p.status for p in first] == [ParagraphStatus.TRANSLATED] * 3
    pool.recorders.clear()
    again = translate(engine, art)
    assert [p.status for p in again] == [ParagraphStatus.CACHED] * 3 and pool.calls == []
    assert again[0].translation == "La vol est grande." and again[0].glossary[0].found

    store.add(make_entry("maison", "zone"))  # new entry: only paragraph 1
    after_add = translate(engine, art)
    assert [p.status for p in after_add] == [
        ParagraphStatus.CACHED, ParagraphStatus.TRANSLATED, ParagraphStatus.CACHED]
    assert after_add[1].translation == "La zone est belle."
    assert sources(pool) == ["La maison est belle."] * 2  # first pass + re-decode

    pool.recorders.clear()
    store.remove("guerre")  # removed: only paragraph 0
    after_remove = translate(engine, art)
    assert [p.status for p in after_remove] == [
        ParagraphStatus.TRANSLATED, ParagraphStatus.CACHED, ParagraphStatus.CACHED]
    assert after_remove[0].translation == "La war est grande."
    assert sources(pool) == ["La guerre est grande."]


def test_a_contradicting_post_edit_is_flagged_never_changed(setup: Any) -> None:
    engine, _pool, store = setup
    art = article("La maison est belle.")
    (p,) = translate(engine, art)
    engine.set_edit(p, "en", "The home is lovely.")
    store.add(make_entry("maison", "zone"))
    (edited,) = translate(engine, art)
    assert edited.status is ParagraphStatus.EDITED
    assert edited.translation == "The home is lovely."
    assert edited.glossary_conflict
    data = edited.to_json()
    assert data["glossary_conflict"] is True
    assert data["glossary"] == [{"source_span": [3, 9], "target": "zone",
                                 "target_span": None, "keep": False}]
    engine.set_edit(p, "en", "The zone is lovely.")
    (agreeing,) = translate(engine, art)
    assert not agreeing.glossary_conflict and agreeing.glossary[0].target_start == 4


def test_article_scoped_entry(setup: Any) -> None:
    engine, _pool, store = setup
    store.add(make_entry("guerre", "vol", scope="/tmp/a.md"))
    (a,) = translate(engine, article("La guerre est grande.", path="/tmp/a.md"))
    (b,) = translate(engine, article("La guerre est grande.", path="/tmp/b.md"))
    assert (a.translation, b.translation) == ("La vol est grande.", "La war est grande.")
