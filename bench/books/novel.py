"""A generated novel as an EPUB 3 file (``write_novel``), for the book rows of the bench.

~200,000 words (a long novel: *Les Misérables* is ~550,000, *Madame Bovary* ~120,000) in
chapters of ~3,300 words, paragraphs of one to eight sentences, a footnote now and then,
dialogue lines, a title page, a copyright page and a notes-free table of contents — the
shape of a real book, written by ``testkit.epub_books`` (EPUBCheck-valid templates).
"""

from __future__ import annotations

import random
from html import escape
from pathlib import Path

_SENTENCES = (
    "Le soleil se levait à peine sur la vallée quand {name} ouvrit les volets de la chambre.",
    "{Name} regarda longtemps la rivière, les peupliers, le chemin qui montait vers le bourg.",
    "« Tu pars déjà ? » demanda sa mère depuis la cuisine, sans lever les yeux de son ouvrage.",
    "Le docteur arriva vers midi, couvert de poussière, et s’assit lourdement près du feu.",
    "On parlait du mariage, des moissons, du prix du blé qui n’avait jamais été si bas.",
    "Il faisait une chaleur d’orage ; les mouches tournaient autour de la lampe éteinte.",
    "Personne ne savait au juste d’où venait cet homme, ni pourquoi il s’était arrêté ici.",
    "{Name} attendit la voiture de {hour} heures devant l’auberge, une valise à la main.",
    "Les cloches sonnèrent pour la messe, et le village entier se pressa sur la place.",
    "Le notaire relut l’acte deux fois, lentement, comme s’il craignait d’y trouver une faute.",
    "Au bout du jardin, sous les tilleuls, {name} avait fait installer un banc de pierre.",
    "La pluie reprit vers le soir ; on entendait l’eau couler dans les gouttières.",
    "{Name} écrivit une longue lettre qu’il ne posta jamais.",
    "Le marché du jeudi attirait des paysans de toutes les fermes à {hour} lieues à la ronde.",
)
_NAMES = ("Jeanne", "Charles", "Emma", "Léon", "Rodolphe", "Félicité", "Justin", "Berthe")


def _paragraph(rng: random.Random) -> str:
    """One to eight sentences, mostly two or three, with names and hours drawn at random:
    paragraphs differ, as a novel's do (language detection and the cache see each anew)."""
    count = min(8, 1 + int(rng.expovariate(0.6)))
    sentences = []
    for _ in range(count):
        name = rng.choice(_NAMES)
        sentence = rng.choice(_SENTENCES).format(name=name, Name=name, hour=rng.randint(2, 11))
        sentences.append(sentence)
    return escape(" ".join(sentences), quote=False)


def write_novel(folder: Path, words: int = 200_000, *, chapter_words: int = 3300) -> Path:
    """An EPUB 3 novel of about ``words`` words in ``folder``; returns its path."""
    from testkit.epub_books import Doc, build_epub

    docs = [
        Doc("title.xhtml", "<h1>La Vallée</h1><p>Roman</p>", "La Vallée", in_toc=False,
            body_type="frontmatter titlepage"),
        Doc("copyright.xhtml", "<p>© 2026 Éditions du Banc d’essai.</p>", "Mentions",
            in_toc=False, body_type="copyright-page"),
    ]
    rng = random.Random(1857)  # the same book every run
    written = number = 0
    chapter = 0
    while written < words:
        chapter += 1
        parts = [f"<h1>Chapitre {chapter}</h1>"]
        in_chapter = 0
        notes = []
        while in_chapter < chapter_words and written < words:
            text = _paragraph(rng)
            if number % 40 == 39:  # a footnote now and then
                mark = len(notes) + 1
                text += f'<a epub:type="noteref" href="#n{mark}">{mark}</a>'
                notes.append(f'<aside epub:type="footnote" id="n{mark}"><p>Note {mark} : '
                             f"{_paragraph(rng)}</p></aside>")
            parts.append(f"<p>{text}</p>")
            count = len(text.split())
            in_chapter += count
            written += count
            number += 1
        docs.append(Doc(f"c{chapter:03}.xhtml", "".join(parts + notes), f"Chapitre {chapter}"))
    path = folder / f"novel-{words // 1000}k.epub"
    return build_epub(path, docs, title="La Vallée", creators=[("Jeanne Essai", "aut")],
                      date="2026-01-01", publisher="Éditions du Banc d’essai")
