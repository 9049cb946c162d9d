"""File an article under the first name in its `categories` list, as stock Pelican
would file it under a single `category`."""

from pelican import signals
from pelican.contents import Category


def primary_category(generator, metadata):
    names = metadata.get("categories")
    if isinstance(names, list) and names:
        metadata["category"] = Category(str(names[0]), generator.settings)


def register():
    signals.article_generator_context.connect(primary_category)
