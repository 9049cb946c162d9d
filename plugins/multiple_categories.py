"""File an article under every section its ``categories: [Mali, UN]`` names.

The first is ``article.category`` (URL, breadcrumbs); the article is listed on the
page and in the feed of each; templates read ``article.categories``.

Settings: none of its own; it keeps Pelican's ``REVERSE_CATEGORY_ORDER``.
"""

from pelican import signals
from pelican.contents import Category


def category_names(value):
    if value is None:
        return []
    names = value if isinstance(value, list) else [value]
    return [str(name).strip() for name in names if str(name).strip()]


def set_primary_category(generator, metadata):
    names = category_names(metadata.get("categories"))
    if not names:
        return
    categories = [Category(name, generator.settings) for name in names]
    metadata["category"] = categories[0]
    metadata["categories"] = categories


def list_articles_under_every_category(generator):
    """Rebuild the category index so each article sits under all its categories."""
    articles_by_category = {}
    for article in generator.articles:
        categories = getattr(article, "categories", None) or [article.category]
        article.categories = categories
        for category in categories:
            articles_by_category.setdefault(category, []).append(article)
    generator.categories = sorted(
        articles_by_category.items(),
        reverse=generator.settings["REVERSE_CATEGORY_ORDER"],
    )
    generator.context["categories"] = generator.categories


def register():
    signals.article_generator_context.connect(set_primary_category)
    signals.article_generator_finalized.connect(list_articles_under_every_category)
