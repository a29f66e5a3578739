"""The chapter bar: a book's chapters to pick, previous/next, following the position."""

from __future__ import annotations

from pathlib import Path

from reader.core.articles.article import (
    Article,
    ArticleKind,
    Chapter,
    ChapterRole,
    Paragraph,
    ParagraphKind,
)
from reader.ui.panels.chapter_bar import ChapterBar


def _book() -> Article:
    paragraphs = tuple(Paragraph(i, f"Paragraphe {i}.", ParagraphKind.BODY, "fr") for i in range(9))
    chapters = (Chapter("Titre", 0, 2, ChapterRole.FRONT), Chapter("Un", 2, 4),
                Chapter("Deux", 6, 3))
    return Article(Path("b.epub"), "Livre", paragraphs=paragraphs, kind=ArticleKind.BOOK,
                   chapters=chapters)


def test_hidden_for_articles_shown_for_books(qtbot) -> None:
    bar = ChapterBar()
    qtbot.addWidget(bar)
    bar.show()
    article = Article(Path("a.txt"), "A", paragraphs=_book().paragraphs)
    bar.set_article(article)
    assert not bar.isVisible()
    bar.set_article(_book())
    assert bar.isVisible()
    assert [bar.combo.itemText(i) for i in range(bar.combo.count())] == ["Titre", "Un", "Deux"]
    assert bar.combo.itemData(0, 3) == "2 paragraphs · front matter"
    bar.set_article(None)
    assert not bar.isVisible() and bar.combo.count() == 0


def test_choosing_and_stepping_emit_the_first_paragraph(qtbot) -> None:
    bar = ChapterBar()
    qtbot.addWidget(bar)
    bar.set_article(_book())
    chosen: list[int] = []
    bar.chapterChosen.connect(chosen.append)
    assert not bar.previous_button.isEnabled() and bar.next_button.isEnabled()
    bar.next_chapter()
    bar.next_chapter()
    bar.next_chapter()  # already the last: nothing
    assert chosen == [2, 6] and bar.current_chapter() == 2
    assert not bar.next_button.isEnabled()
    bar.combo.activated.emit(0)
    bar.previous_chapter()  # already the first
    assert chosen == [2, 6, 0]


def test_follow_shows_the_current_chapter_without_emitting(qtbot) -> None:
    bar = ChapterBar()
    qtbot.addWidget(bar)
    bar.set_article(_book())
    chosen: list[int] = []
    bar.chapterChosen.connect(chosen.append)
    bar.follow(7)
    assert bar.current_chapter() == 2 and chosen == []
    bar.follow(3)
    assert bar.current_chapter() == 1
    bar.previous_chapter()
    assert chosen == [0]
