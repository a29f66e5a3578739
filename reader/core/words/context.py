"""A word in its context, ready to be saved: the sentence it was read in, that sentence's
translation, the target word the alignment links it to, its lemma and dictionary meaning.

Used by ``words add`` and by the window's "Save word" (on a worker thread: translating a
paragraph and aligning it may run the model). No Qt.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from typing import TYPE_CHECKING

from reader.core.text.sentences import split_sentences
from reader.core.words.saved import SavedWord

if TYPE_CHECKING:
    from reader.core.articles.article import Article
    from reader.core.translation.results import ParagraphTranslation, SentencePair
    from reader.core.words.alignment import WordLink
    from reader.core.words.dictionaries import Definition


def find_word(text: str, word: str, start: int = 0) -> int:
    """Offset of the first whole-word occurrence of ``word`` in ``text`` (any case), or -1."""
    match = re.compile(rf"(?<!\w){re.escape(word.strip())}(?!\w)", re.IGNORECASE).search(
        text, start
    )
    return match.start() if match and word.strip() else -1


def locate(article: Article, word: str) -> tuple[int, int] | None:
    """(paragraph index, offset) of the first occurrence of ``word`` in ``article``."""
    for paragraph in article.paragraphs:
        offset = find_word(paragraph.text, word)
        if offset >= 0:
            return paragraph.index, offset
    return None


def sentence_span(text: str, offset: int, language: str | None) -> tuple[int, int]:
    """The span of the sentence of ``text`` holding ``offset`` (the offline splitter's)."""
    for start, end in split_sentences(text, language):
        if start <= offset < end:
            return start, end
    return 0, len(text)


def pair_at(translation: ParagraphTranslation | None, offset: int) -> SentencePair | None:
    """The sentence pair whose source holds ``offset``, when the translation has them."""
    if translation is None:
        return None
    for pair in translation.sentences:
        if pair.source_start <= offset < pair.source_end:
            return pair
    return None


def aligned_target(links: Sequence[WordLink], translation: str, start: int, end: int) -> str:
    """The target words linked to the source word ``[start, end)`` (paragraph frame), in
    the translation's order, joined by spaces; "" when none is."""
    spans = sorted({
        (link.target_start, link.target_end) for link in links
        if link.source_start < end and start < link.source_end
    })
    return " ".join(translation[a:b] for a, b in spans)


def meaning_of(definition: Definition | None, limit: int = 3) -> str:
    """The first ``limit`` dictionary entries' texts, one after the other."""
    if definition is None:
        return ""
    return "\n\n".join(entry.text for entry in definition.entries[:limit])


def saved_word(
    article: Article,
    paragraph_index: int,
    offset: int,
    word: str,
    *,
    language: str,
    target_language: str,
    translation: ParagraphTranslation | None = None,
    links: Sequence[WordLink] = (),
    definition: Definition | None = None,
) -> SavedWord:
    """The word at ``offset`` of paragraph ``paragraph_index`` with its context: the
    sentence (the translation's own sentence alignment when there is one, else the offline
    splitter's), the sentence's translation (empty without an alignment: a post-edit or no
    translation has no sentence to match), the aligned target word when ``links`` have it."""
    text = article.paragraphs[paragraph_index].text
    pair = pair_at(translation, offset) if translation is not None else None
    if pair is not None and translation is not None and translation.source == text:
        start, sentence, translated = pair.source_start, pair.source, pair.target
        target_word = aligned_target(links, translation.translation, offset, offset + len(word))
    else:
        start, end = sentence_span(text, offset, language)
        sentence, translated, target_word = text[start:end], "", ""
    # The word as it appears there (its case in the sentence), and its position in it.
    position = offset - start
    shown = sentence[position : position + len(word)] or word
    return SavedWord(
        word=shown,
        lemma=definition.lemma if definition is not None else "",
        language=language,
        sentence=sentence,
        translation=translated,
        target_word=target_word,
        target_language=target_language,
        meaning=meaning_of(definition),
        article_path=str(article.path),
        article_title=article.title,
        paragraph=paragraph_index,
        position=position,
    )


def word_span(text: str, offset: int) -> tuple[int, int] | None:
    """The span of the word of ``text`` holding ``offset`` (letters, digits, marks; an inner
    apostrophe or hyphen splits words, as the dictionaries' headwords do), or None."""
    def inside(ch: str) -> bool:
        return unicodedata.category(ch)[0] in "LNM"

    if not 0 <= offset < len(text) or not inside(text[offset]):
        return None
    start = end = offset
    while start > 0 and inside(text[start - 1]):
        start -= 1
    while end < len(text) and inside(text[end]):
        end += 1
    return start, end
