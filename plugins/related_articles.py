"""Related articles (``article.related_posts``, as pelican-related-posts names
them): those sharing the most topics, scored among the ``RELATED_POSTS_WINDOW``
nearest in date in each topic, so that the cost is linear in the archive where
that plugin's is quadratic; ties go to the nearest in date, then the slug.
"""

import datetime
from collections import Counter, defaultdict
from itertools import chain

from pelican import signals

MICROSECOND = datetime.timedelta(microseconds=1)
EPOCH = datetime.datetime(1970, 1, 1)
# The last build's (ranking inputs in date order, each one's related as positions): reused while they are equal.
LAST = [None, None]


def microseconds(date):
    """``date`` as a whole number, so that distances in time are compared exactly and without datetime's cost."""
    return (date - (EPOCH if date.tzinfo is None else EPOCH.replace(tzinfo=datetime.UTC))) // MICROSECOND


def related(article, members, positions, count, window, stamps):
    scores = Counter()
    for tag in article.tags:
        at = positions[tag][id(article)]
        scores.update(members[tag][max(0, at - window) : at + window + 1])
    scores.pop(article, None)
    stamp = stamps[id(article)]
    ranked = sorted(scores, key=lambda other: (-scores[other], abs(stamps[id(other)] - stamp), other.slug))
    return ranked[:count]


def rank(ordered, count, window):
    """[positions in ``ordered`` of each one's related articles] for ``ordered``, the articles by date."""
    members = defaultdict(list)
    for article in ordered:
        for tag in article.tags:
            members[tag].append(article)
    positions = {tag: {id(a): at for at, a in enumerate(found)} for tag, found in members.items()}
    stamps = {id(article): microseconds(article.date) for article in ordered}
    where = {id(article): at for at, article in enumerate(ordered)}
    return [
        [where[id(other)] for other in related(article, members, positions, count, window, stamps)]
        for article in ordered
    ]


def add_related_articles(generator):
    settings = generator.settings
    count, window = settings.get("RELATED_POSTS_MAX", 5), settings.get("RELATED_POSTS_WINDOW", 50)
    articles = [a for a in chain(generator.articles, generator.drafts) if getattr(a, "tags", None)]
    ordered = sorted(articles, key=lambda a: (a.date, a.slug))
    read = (count, window, [(a.date, a.slug, tuple(a.tags)) for a in ordered])
    if LAST[0] != read:
        LAST[:] = read, rank(ordered, count, window)
    for article, found in zip(ordered, LAST[1], strict=True):
        article.related_posts = [ordered[at] for at in found]


def register():
    signals.article_generator_finalized.connect(add_related_articles)
