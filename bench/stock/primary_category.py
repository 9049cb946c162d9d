"""What stock Pelican needs to read our content as it would its own.

An article is filed under the first name in its `categories` list, as stock
Pelican would file it under a single `category`; a page that names one of
our templates (`template: about`) gets the stock theme's `page` template,
which is all a stock theme has.
"""

from pelican import signals
from pelican.contents import Category


def primary_category(generator, metadata):
    names = metadata.get("categories")
    if isinstance(names, list) and names:
        metadata["category"] = Category(str(names[0]), generator.settings)


def stock_page_template(generator, metadata):
    metadata.pop("template", None)


def register():
    signals.article_generator_context.connect(primary_category)
    signals.page_generator_context.connect(stock_page_template)
