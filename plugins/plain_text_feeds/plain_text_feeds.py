"""Feed entries give an article's title and summary as the plain text they are.

Titles and summaries on this site are plain text (``FORMATTED_FIELDS`` is
empty; the templates escape them). Pelican's Atom writer treats them as HTML
in two places:

- it strips whatever looks like a tag from the title
  (``Markup(title).striptags()``), so a headline that mentions ``<script>``
  or ``a < b > c`` loses words;
- it writes the summary into ``<summary type="html">``, where a feed reader
  decodes it as HTML: a standfirst that quotes ``<img src=x onerror=…>``
  would become an image with a script.

On ``feed_generated`` each entry gets its title back as written, and its
summary escaped once more, so that a feed reader shows the same text the
article page shows.
"""

import html

from pelican import signals

# Each article's title as written, by URL, for the build under way. Filled
# once per build: a feed is written for the site, every section and every
# topic, and Pelican computes an article's URL afresh on every use.
_titles_by_url = {}


def remember_titles(generator):
    _titles_by_url.clear()
    _titles_by_url.update((article.url, article.title) for article in generator.articles)


def keep_entries_plain_text(context, feed):
    # Pelican makes an entry's link from the feed's base link and the URL.
    base = feed.feed["link"]
    for item in feed.items:
        url = item["link"].removeprefix(base)
        item["title"] = _titles_by_url.get(url, item["title"])
        if item.get("description"):
            item["description"] = html.escape(item["description"], quote=False)


def register():
    signals.article_generator_finalized.connect(remember_titles)
    signals.feed_generated.connect(keep_entries_plain_text)
