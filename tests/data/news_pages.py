"""Saved news pages written for the tests (our own text and markup, in the shape of real
French news sites: navigation, promos, JSON-LD dates, share buttons, comment forms,
footers). Nothing here is copied from a real site."""

from __future__ import annotations

ARTICLE_PARAGRAPHS = [
    "La maire de Lyon a présenté mardi un plan de rénovation des écoles de la ville, qui "
    "doit concerner près de quatre-vingts établissements d’ici à la fin de la décennie.",
    "Le projet, chiffré à 320 millions d’euros, prévoit l’isolation des bâtiments les plus "
    "anciens, le remplacement des chaudières au fioul et la végétalisation des cours.",
    "Les parents d’élèves, réunis en collectif depuis l’hiver dernier, saluent une "
    "« avancée attendue » mais réclament un calendrier précis pour chaque quartier.",
    "L’opposition municipale dénonce pour sa part un financement qui reposerait trop "
    "largement sur l’emprunt, alors que les taux d’intérêt restent élevés cette année.",
    "Les premiers chantiers doivent commencer pendant les vacances d’été, dans trois "
    "groupes scolaires du huitième arrondissement désignés comme prioritaires.",
]
QUOTE = "Nous voulons que chaque enfant apprenne dans une école digne de ce nom."
CAPTION = "Une cour d’école du huitième arrondissement, en juin. Photo : Camille Martin"
TITLE = "Lyon lance la rénovation de quatre-vingts écoles"
SITE = "Le Courrier du Rhône"
DATE = "2024-03-12"
AUTHOR = "Camille Martin"
# Boilerplate that must not end up in the article.
BOILERPLATE = [
    "Abonnez-vous à notre newsletter quotidienne",
    "Les plus lus de la semaine",
    "Laisser un commentaire",
    "Mentions légales",
    "Vous aimerez aussi : le marché de Noël revient place Carnot",
]


def news_page(*, unclosed_svg: bool = False, extra_body: str = "", charset: str = "utf-8") -> str:
    """A full article page; ``unclosed_svg`` leaves an ``<svg>`` open in a share button."""
    svg = '<svg viewBox="0 0 24 24"><path d="M0 0h24v24H0z">' if unclosed_svg else (
        '<svg viewBox="0 0 24 24"><path d="M0 0h24v24H0z"/></svg>'
    )
    paragraphs = "\n".join(f"<p>{text}</p>" for text in ARTICLE_PARAGRAPHS[:3])
    more = "\n".join(f"<p>{text}</p>" for text in ARTICLE_PARAGRAPHS[3:])
    return f"""<!DOCTYPE html>
<html lang="fr"><head>
<meta charset="{charset}">
<title>{TITLE} - {SITE}</title>
<meta property="og:site_name" content="{SITE}">
<meta property="og:title" content="{TITLE}">
<meta name="author" content="{AUTHOR}">
<script type="application/ld+json">
{{"@context": "https://schema.org", "@type": "NewsArticle", "headline": "{TITLE}",
 "datePublished": "{DATE}T08:30:00+01:00", "author": {{"@type": "Person", "name": "{AUTHOR}"}}}}
</script>
<script>window.dataLayer = [];</script>
</head><body>
<header class="site-header"><a href="/">{SITE}</a>
<nav><ul><li><a href="/politique">Politique</a></li><li><a href="/sport">Sport</a></li>
<li><a href="/culture">Culture</a></li></ul></nav></header>
<div class="promo">{BOILERPLATE[0]} <a href="/newsletter">S’inscrire</a></div>
<main><article class="article">
<h1 class="article-title">{TITLE}</h1>
<div class="byline">Par <a href="/auteurs/cm">{AUTHOR}</a>, le 12 mars 2024</div>
<div class="share"><button class="share-facebook" aria-label="Partager">{svg}</button></div>
<div class="article-body">
{paragraphs}
<figure><img src="/img/ecole.jpg" alt=""><figcaption>{CAPTION}</figcaption></figure>
<blockquote><p>{QUOTE}</p></blockquote>
<h2>Un calendrier par quartier</h2>
{more}
{extra_body}
</div></article>
<aside class="most-read"><h3>{BOILERPLATE[1]}</h3><ul>
<li><a href="/a1">Le tramway prolongé jusqu’à Vénissieux</a></li>
<li><a href="/a2">Inondations : la Saône sort de son lit</a></li>
<li><a href="/a3">{BOILERPLATE[4]}</a></li></ul></aside>
<section class="comments"><h3>{BOILERPLATE[2]}</h3>
<form action="/comment" method="post"><textarea name="c"></textarea>
<input type="submit" value="Envoyer"></form></section>
</main>
<footer><a href="/legal">{BOILERPLATE[3]}</a> · © 2024 {SITE}</footer>
</body></html>
"""
