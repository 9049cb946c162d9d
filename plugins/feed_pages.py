"""Each Atom feed names itself: its own id, its own title and its own page.

Pelican gives every feed the site's address as its id and its alternate link,
and titles a section's and a topic's feed alike when they share a name ("Sahel
Desk - UN" twice). Here the site's feed leads to the home page, and each
section's and topic's feed to that section's or topic's page, and says which
it is in its title; its id is its own address, which no other feed has. An
entry names each of its sections and topics once (a topic may share a
section's name).

Settings read: ``FEED_ALL_ATOM``, ``CATEGORY_FEED_ATOM``, ``TAG_FEED_ATOM``,
``SITENAME``, ``SITEURL``, and a section's ``title`` in ``DATA_SECTIONS``.
"""

from pelican import signals


def feed_pages(context):
    """{feed path: (title, path of its page)} for the site, every section and every topic."""
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


# The build under way's feed_pages(), made on its first feed: a table per
# feed would grow with the square of the number of topics.
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
