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


def keep_entries_plain_text(context, feed):
    # Entries are matched to articles by their link, which Pelican makes from
    # the feed's base link and the article's URL.
    base = feed.feed["link"]
    titles = {base + article.url: article.title for article in context.get("articles", ())}
    for item in feed.items:
        item["title"] = titles.get(item["link"], item["title"])
        if item.get("description"):
            item["description"] = html.escape(item["description"], quote=False)


def register():
    signals.feed_generated.connect(keep_entries_plain_text)
