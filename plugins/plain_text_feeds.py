"""Feed entries say what the article page says, and no more.

- Titles and summaries are plain text here (``FORMATTED_FIELDS`` is empty),
  but Pelican's Atom writer strips whatever looks like a tag from a title and
  sends the summary as HTML: each entry gets its title back as written and
  its summary escaped once more, so a feed reader shows the page's text.
- The content is rendered with the theme's feed entry template around the
  body, which adds the byline with its translation note, the update line and
  the editor's note (corrections): a correction missing from a feed is a
  silent edit. The whole entry then passes the body's sanitiser, since feed
  readers apply no Content-Security-Policy.
- An article dated by a day alone has no ``published`` (the Atom date needs a
  time, which nobody gave); its ``updated`` is ``modified``.

Settings: ``FEED_ENTRY_TEMPLATE`` (default ``"feed_entry"``, in the theme).
"""

import html

from markupsafe import Markup
from pelican import signals
from shared.body_allowlist import sanitise

# Each article by URL, and the entry template, for the build under way. Filled
# once per build: a feed is written for the site, every section and every
# topic, and Pelican computes an article's URL afresh on every use.
_articles_by_url = {}
_entry_template = []


def remember_articles(generator):
    _articles_by_url.clear()
    _articles_by_url.update((article.url, article) for article in generator.articles)
    _entry_template[:] = [generator.get_template(generator.settings.get("FEED_ENTRY_TEMPLATE", "feed_entry"))]


def entry_content(context, article, body):
    """The HTML of an entry: ``body`` (the article as Pelican wrote it for the feed) with the page's notes."""
    return sanitise(_entry_template[0].render(**context, article=article, body=Markup(body)))


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
