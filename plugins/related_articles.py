"""Related articles (``article.related_posts``, as pelican-related-posts names
them): those sharing the most topics, scored among the ``RELATED_POSTS_WINDOW``
nearest in date in each topic, so that the cost is linear in the archive where
that plugin's is quadratic; ties go to the nearest in date, then the slug.
"""

from collections import Counter, defaultdict
from itertools import chain

from pelican import signals


def related(article, members, positions, count, window):
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
