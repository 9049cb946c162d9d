"""Each article's URL is worked out once per build, tested on the plugin's function."""

import datetime
from types import SimpleNamespace

import fixed_urls
from pelican.contents import Article
from pelican.settings import DEFAULT_CONFIG
from support import settings_of

import pelicanconf


def test_an_article_url_is_formatted_once_and_stays_what_pelican_makes_it(monkeypatch):
    settings = {**DEFAULT_CONFIG, **settings_of(pelicanconf)}
    date = datetime.datetime(2023, 6, 16, 12, tzinfo=datetime.UTC)
    article = Article("text", metadata={"title": "A title", "slug": "a-title", "date": date}, settings=settings)
    expected = article.url
    fixed_urls.fix_urls(SimpleNamespace(articles=[article]))
    formatted = []
    expand = Article._expand_settings
    monkeypatch.setattr(Article, "_expand_settings", lambda self, key: formatted.append(key) or expand(self, key))
    assert expected == "2023/06/a-title.html"
    assert [article.url for _ in range(3)] == [expected] * 3
    assert formatted == []
