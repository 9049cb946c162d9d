"""Related articles, tested on the plugin's functions: most shared topics first,
looked for only among the nearest articles in date in each topic."""

import datetime
from types import SimpleNamespace

import related_articles

DAY = datetime.datetime(2024, 1, 1, tzinfo=datetime.UTC)


class Article:
    """What the plugin reads of a Pelican article, hashed by identity as Pelican's are."""

    def __init__(self, day, tags):
        self.slug, self.date, self.tags = f"a{day}", DAY + datetime.timedelta(days=day), tags


def article(day, *tags):
    return Article(day, list(tags))


def build(articles, **settings):
    generator = SimpleNamespace(articles=articles, drafts=[], settings={"RELATED_POSTS_MAX": 3, **settings})
    related_articles.add_related_articles(generator)
    return {a.slug: [other.slug for other in getattr(a, "related_posts", [])] for a in articles}


def test_most_shared_topics_first_then_nearest_in_date():
    found = build(
        [article(0, "x", "y"), article(1, "x"), article(5, "x", "y"), article(9, "z"), article(10, "x", "y", "z")]
    )
    assert found["a0"] == ["a5", "a10", "a1"]
    assert found["a9"] == ["a10"]


def test_an_article_without_topics_has_no_related_articles():
    assert build([article(0), article(1, "x")]) == {"a0": [], "a1": []}


def test_only_the_nearest_articles_in_each_topic_are_scored():
    """Each article is compared with a bounded number of others in each of its
    topics, so the work grows with the archive, not with its square."""
    articles = [article(day, "x") for day in range(8)]
    assert build(articles, RELATED_POSTS_WINDOW=1)["a0"] == ["a1"]
    assert build(articles, RELATED_POSTS_WINDOW=1)["a4"] == ["a3", "a5"]
    assert build(articles, RELATED_POSTS_WINDOW=10)["a0"] == ["a1", "a2", "a3"]
