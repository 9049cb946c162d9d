"""Feed entries say what the article page says, and no more (docs/architecture.md, "Feeds").

Each entry gets its title as written and its summary escaped once more; its
content is the theme's ENTRY_TEMPLATE around the body, passed through the
body's sanitiser. An article dated by a day alone has no ``published``.
"""

import html

from markupsafe import Markup
from pelican import signals
from shared.body_allowlist import sanitise

ENTRY_TEMPLATE = "feed_entry"
# Filled once per build: Pelican computes an article's URL afresh on every use.
_articles_by_url = {}
_entry_template = []
# An article's entry is the same in every feed that lists it; keyed on its id, as articles outlive feeds.
_entries = {}


def remember_articles(generator):
    _articles_by_url.clear()
    _entries.clear()
    _articles_by_url.update((article.url, article) for article in generator.articles)
    _entry_template[:] = [generator.get_template(ENTRY_TEMPLATE)]


def entry_content(context, article, body):
    """The HTML of an entry: ``body`` (the article as Pelican wrote it for the feed) with the page's notes."""
    key = (id(article), body)
    if key not in _entries:
        _entries[key] = sanitise(_entry_template[0].render(**context, article=article, body=Markup(body)))
    return _entries[key]


def say_what_the_page_says(context, feed):
    # Pelican makes an entry's link from SITEURL and the URL.
    base = context["SITEURL"] + "/"
    for item in feed.items:
        article = _articles_by_url.get(item["link"].removeprefix(base))
        if item.get("description"):
            item["description"] = html.escape(item["description"], quote=False)
        if article is None:
            continue
        item["title"] = article.title
        if item.get("content") is not None and _entry_template:
            item["content"] = entry_content(context, article, item["content"])
        if getattr(article, "date_is_day", False) and item.get("updateddate"):
            item["pubdate"] = None


def register():
    signals.article_generator_finalized.connect(remember_articles)
    signals.feed_generated.connect(say_what_the_page_says)
