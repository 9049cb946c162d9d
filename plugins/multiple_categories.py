"""File an article under several sections (Pelican categories).

Pelican gives each article one category. With this plugin the front matter may
list ``categories: [Mali, UN, Bundeswehr]``: the first is the primary category
(``article.category``, used for the URL and breadcrumbs), and the article is
listed on the page and in the feed of every category named. Templates read the
full list as ``article.categories``.

Settings: none of its own; it keeps Pelican's ``REVERSE_CATEGORY_ORDER``.
"""

from pelican import signals
from pelican.contents import Category


def category_names(value):
    """The names in a ``categories`` value, which may be a list or one name."""
    if value is None:
        return []
    names = value if isinstance(value, list) else [value]
    return [str(name).strip() for name in names if str(name).strip()]


def set_primary_category(generator, metadata):
    """Turn the ``categories`` list into Category objects; the first is primary."""
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
