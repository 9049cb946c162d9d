"""Work out each article's and page's URL once, not on each of its ~30 reads by templates.

Pelican's ``url`` formats ``ARTICLE_URL`` anew each time. The URL is kept in
``override_url``, Pelican's own way to fix one, once the plugins that change a
slug, date or category have run. ``save_as`` is left alone: an overridden one may
overwrite another file. Settings: none.
"""

from pelican import signals


def fix_urls(generator):
    for name in (
        "articles",
        "hidden_articles",
        "drafts",
        "pages",
        "hidden_pages",
        "draft_pages",
        "translations",
        "hidden_translations",
        "drafts_translations",
        "draft_translations",
    ):
        for item in getattr(generator, name, ()):
            item.override_url = item.url


def register():
    signals.article_generator_finalized.connect(fix_urls)
    signals.page_generator_finalized.connect(fix_urls)
