"""Each Atom feed names itself: its own id (its address), a title that says
whose feed it is, and a link to its section's or topic's page, where Pelican
gives every feed the site's. An entry names each section and topic once.
"""

from pelican import signals


def feed_pages(context):
    site = context["SITENAME"]
    pages = {}
    if context.get("FEED_ALL_ATOM"):
        pages[context["FEED_ALL_ATOM"]] = (f"{site}: all articles", "")
    sections = context.get("DATA_SECTIONS") or {}
    if context.get("CATEGORY_FEED_ATOM"):
        for category, _ in context.get("categories", []):
            name = sections.get(category.slug, {}).get("title") or category.name
            pages[context["CATEGORY_FEED_ATOM"].format(slug=category.slug)] = (f"{site}: section {name}", category.url)
    if context.get("TAG_FEED_ATOM"):
        for tag, _ in context.get("tags", []):
            pages[context["TAG_FEED_ATOM"].format(slug=tag.slug)] = (f"{site}: topic {tag.name}", tag.url)
    return pages


# Made once a build: once a feed would grow with the square of the topics.
_pages = {}


def forget_pages(generator):
    _pages.clear()


def name_the_feed(context, feed):
    base = context["SITEURL"] + "/"
    path = feed.feed["feed_url"].removeprefix(base)
    if not _pages:
        _pages.update(feed_pages(context))
    title, page = _pages.get(path, (None, None))
    if title is not None:
        feed.feed.update(title=title, link=base + page, id=feed.feed["feed_url"])
    for item in feed.items:
        if item.get("categories"):
            item["categories"] = list(dict.fromkeys(item["categories"]))


def register():
    signals.article_generator_finalized.connect(forget_pages)
    signals.feed_generated.connect(name_the_feed)
