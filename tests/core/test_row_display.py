"""The one row-display rule (no Qt): what a row shows, for the reading view and the exports."""

from __future__ import annotations

from pathlib import Path

import pytest

from reader.core.articles.article import ParagraphKind
from reader.core.articles.parser import parse_file
from reader.core.presentation.export_document import (
    FAILED_PLACEHOLDER,
    PENDING_PLACEHOLDER,
    build_article,
)
from reader.core.presentation.row_display import (
    TRUNCATED_NOTE,
    PassthroughReason,
    RowState,
    is_untranslatable,
    row_display,
    status_mark,
)
from reader.core.translation.results import (
    ArticleTranslation,
    ParagraphStatus,
    ParagraphTranslation,
)

SEED_002 = Path(__file__).resolve().parents[2] / "seeds" / "002_5cd07c1ed0724f90.txt"


def _translation(source: str, text: str, status: ParagraphStatus,
                 language: str = "fr") -> ParagraphTranslation:
    return ParagraphTranslation(0, source, text, ParagraphKind.BODY, status, language)


@pytest.mark.parametrize(
    ("status", "text", "state", "target"),
    [
        (ParagraphStatus.TRANSLATED, "The cat sleeps.", RowState.TRANSLATED, "The cat sleeps."),
        (ParagraphStatus.CACHED, "The cat sleeps.", RowState.TRANSLATED, "The cat sleeps."),
        (ParagraphStatus.EDITED, "My own words.", RowState.EDITED, "My own words."),
        (ParagraphStatus.FAILED, "", RowState.FAILED, ""),
        (ParagraphStatus.PENDING, "", RowState.MISSING, ""),
        (ParagraphStatus.TRUNCATED, "The cat", RowState.TRANSLATED, "The cat"),
    ],
)
def test_each_status_shows_one_thing(
    status: ParagraphStatus, text: str, state: RowState, target: str
) -> None:
    display = row_display("Le chat dort.", _translation("Le chat dort.", text, status))
    assert (display.state, display.target, display.source) == (state, target, "Le chat dort.")
    assert not display.shared
    assert display.edited is (state is RowState.EDITED)
    assert display.has_target_text is (state in (RowState.TRANSLATED, RowState.EDITED))


def test_only_a_cut_translation_carries_the_mark() -> None:
    cut = row_display("Le chat dort.", _translation("Le chat dort.", "The cat",
                                                     ParagraphStatus.TRUNCATED))
    assert cut.mark == TRUNCATED_NOTE == status_mark(ParagraphStatus.TRUNCATED)
    for status in ParagraphStatus:
        if status is not ParagraphStatus.TRUNCATED:
            assert status_mark(status) is None


def test_no_translation_yet_is_missing() -> None:
    display = row_display("Le chat dort.", None)
    assert display.state is RowState.MISSING and display.target == ""


def test_passthrough_is_shown_once_and_says_why() -> None:
    english = row_display("The cat sleeps.", _translation(
        "The cat sleeps.", "The cat sleeps.", ParagraphStatus.PASSTHROUGH, "en"))
    assert english.shared and english.target == ""
    assert english.passthrough_reason is PassthroughReason.ALREADY_TARGET
    assert english.source_language == "en"
    number = row_display("12 345", _translation("12 345", "12 345",
                                                ParagraphStatus.PASSTHROUGH))
    assert number.passthrough_reason is PassthroughReason.NOTHING_TO_TRANSLATE


@pytest.mark.parametrize(
    ("text", "expected"),
    [("", True), ("  12,5 % ", True), ("https://example.org/a", True), ("a@b.fr", True),
     ("Le chat", False), ("été", False)],
)
def test_untranslatable_text(text: str, expected: bool) -> None:
    assert is_untranslatable(text) is expected


def test_the_export_prints_what_the_rule_says() -> None:
    """The exports call the same function: each exported row's text and marks follow the
    state the reading view is given for that paragraph."""
    article = parse_file(SEED_002, paragraph_languages=True)
    statuses = [ParagraphStatus.TRANSLATED, ParagraphStatus.EDITED, ParagraphStatus.FAILED]
    paragraphs = []
    for p in article.paragraphs:
        if p.language == "en":
            paragraphs.append(ParagraphTranslation(p.index, p.text, p.text, p.kind,
                                                   ParagraphStatus.PASSTHROUGH, "en"))
            continue
        if p.index % 7 == 5:
            continue  # never reached: missing
        status = statuses[p.index % 3]
        text = "" if status is ParagraphStatus.FAILED else f"EN {p.index}"
        paragraphs.append(ParagraphTranslation(p.index, p.text, text, p.kind, status, "fr"))
    translation = ArticleTranslation(article, "en", paragraphs=paragraphs)
    by_index = {t.index: t for t in paragraphs}
    exported = build_article(translation)
    assert exported.rows
    seen = set()
    for row in exported.rows:
        display = row_display(article.paragraphs[row.index].text, by_index.get(row.index))
        seen.add(display.state)
        assert row.passthrough is display.shared
        assert row.edited is display.edited
        if display.has_target_text:
            assert row.shown == display.target and not row.missing
        elif display.state is RowState.FAILED:
            assert row.shown == FAILED_PLACEHOLDER
        elif display.state is RowState.MISSING:
            assert row.shown == PENDING_PLACEHOLDER
        else:
            assert row.shown == row.source and row.note and "already" in row.note
    assert seen == set(RowState)
