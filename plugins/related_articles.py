"""Related articles: those sharing the most topics with an article, looked for
among the articles nearest to it in date in each of its topics.

pelican-related-posts scores every article of each of an article's topics, so
its cost grows with the square of the archive: 0.05 s at 1,000 articles, 19 s
at 20,000, 146 s at 50,000 (bench/RESULTS.md). Here each topic's articles are
in date order, and only the ``RELATED_POSTS_WINDOW`` nearest on either side
are scored: linear in the archive. Below that many articles per topic the
result is pelican-related-posts', with ties going to the article nearest in
date (then by slug, so that every build agrees). Templates read
``article.related_posts``, as with that plugin.

Settings: ``RELATED_POSTS_MAX`` (default 5), ``RELATED_POSTS_WINDOW`` (default 50).
"""

from collections import Counter, defaultdict
from itertools import chain

from pelican import signals


def related(article, members, positions, count, window):
    """The ``count`` articles sharing most topics with ``article``, among the
    ``window`` nearest in date on either side in each of its topics."""
    scores = Counter()
    for tag in article.tags:
        at = positions[tag][id(article)]
        scores.update(members[tag][max(0, at - window) : at + window + 1])
    scores.pop(article, None)
    ranked = sorted(scores, key=lambda other: (-scores[other], abs(other.date - article.date), other.slug))
    return ranked[:count]


def add_related_articles(generator):
    settings = generator.settings
    count, window = settings.get("RELATED_POSTS_MAX", 5), settings.get("RELATED_POSTS_WINDOW", 50)
    articles = [a for a in chain(generator.articles, generator.drafts) if getattr(a, "tags", None)]
    members = defaultdict(list)
    for article in sorted(articles, key=lambda a: (a.date, a.slug)):
        for tag in article.tags:
            members[tag].append(article)
    positions = {tag: {id(a): at for at, a in enumerate(found)} for tag, found in members.items()}
    for article in articles:
        article.related_posts = related(article, members, positions, count, window)


def register():
    signals.article_generator_finalized.connect(add_related_articles)
