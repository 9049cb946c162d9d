"""The schema.org data (JSON-LD) of the pages, built here; templates only dump it.

Each says what its page shows, and leaves out what the page lacks. Addresses are
absolute where the site's host is known (``SITEURL_IS_PUBLIC``), otherwise
relative, as the page's links are. Templates call ``news_article(article)``,
``web_site()`` and ``breadcrumbs(trail, name)`` (``JINJA_GLOBALS``).

Settings read: ``SITENAME``, ``SITE_DESCRIPTION``, ``DEFAULT_LANG``, ``SITEURL``,
``SITEURL_ABSOLUTE``, ``SITEURL_IS_PUBLIC``, ``THEME_STATIC_DIR``, ``SEARCH_SAVE_AS``.
"""

import jinja2
from shared import corrections as sentences
from shared.dates import iso_date, readable_date

CONTEXT = "https://schema.org"
# The query parameter the search page reads (theme/static/js/search.js).
SEARCH_PARAMETER = "q"


class Site:
    def __init__(self, settings):
        self.settings = settings
        public = settings.get("SITEURL_IS_PUBLIC")
        self.base = settings["SITEURL_ABSOLUTE"] if public else settings["SITEURL"]
        self.public = bool(public)

    def url(self, path):
        return f"{self.base}/{path}"

    def publisher(self):
        icon = self.url(f"{self.settings['THEME_STATIC_DIR']}/icons/favicon.svg")
        return {
            "@type": "Organization",
            "name": self.settings["SITENAME"],
            "url": self.url("index.html"),
            "logo": {"@type": "ImageObject", "url": icon},
        }


def without_empty(data):
    """``data`` without the properties that say nothing: an empty list, text or record."""
    return {key: value for key, value in data.items() if value not in ([], "", {}, None)}


def creative_work(source):
    work = {
        "@type": "CreativeWork",
        "name": source["name"],
        "publisher": {"@type": "Organization", "name": source["publisher"]},
        "description": "; ".join(filter(None, (source.get(key) for key in ("kind", "date_note", "url_note")))),
        "datePublished": iso_date(source["date"]) if source.get("date") else None,
        "url": source.get("url"),
    }
    return without_empty(work)


def correction(fix):
    return {"@type": "CorrectionComment", "text": sentences.translation_correction(fix).striptags()}


def our_correction(fix):
    text = sentences.our_correction(fix, readable_date).striptags()
    return {"@type": "CorrectionComment", "datePublished": iso_date(fix["date"]), "text": text}


def places(article):
    """The dateline's place, then the map's places the text names, without coordinates: their
    licences ask for a credit (content/geo/README.md), which GeoCoordinates cannot carry."""
    found = [{"@type": "Place", "name": article.place}] if getattr(article, "place", None) else []
    for place in getattr(article, "places", None) or []:
        if place.get("in_article"):
            found.append(
                without_empty({"@type": "Place", "name": place["name"], "description": place.get("description")})
            )
    return found


def listed(article, name):
    """The article's list attribute ``name``, empty when unset."""
    return getattr(article, name, None) or []


def date_modified(article):
    # The front matter gives `modified` with its time and offset.
    modified = getattr(article, "modified", None)
    return modified.isoformat() if modified else article.date_published


def corrections(article):
    return [our_correction(fix) for fix in listed(article, "our_corrections")] + [
        correction(fix) for fix in listed(article, "corrections")
    ]


def image(article, site):
    card = getattr(article, "share_card", None) if site.public else None
    if not card:
        return None
    return {"@type": "ImageObject", "url": site.url(card.url), "width": card.width, "height": card.height}


def news_article(article, site):
    sources = listed(article, "sources")
    tags = listed(article, "tags")
    data = {
        "@context": CONTEXT,
        "@type": "NewsArticle",
        "headline": article.title,
        "url": site.url(article.url),
        "datePublished": article.date_published,
        "dateModified": date_modified(article),
        "author": {"@type": "Organization", "name": article.author.name},
        "publisher": site.publisher(),
        "inLanguage": article.lang,
        "articleSection": [category.name for category in listed(article, "categories") or [article.category]],
        "about": [{"@type": "Thing", "name": tag.name, "url": site.url(tag.url)} for tag in tags],
        "isBasedOn": [creative_work(source) for source in sources if source.get("based_on")],
        "citation": [creative_work(source) for source in sources if not source.get("based_on")],
        "correction": corrections(article),
        "contentLocation": places(article),
        "image": image(article, site),
        "wordCount": getattr(article, "word_count", None) or None,
    }
    return without_empty(data)


def web_site(site):
    search = site.url(site.settings["SEARCH_SAVE_AS"])
    data = {
        "@context": CONTEXT,
        "@type": "WebSite",
        "name": site.settings["SITENAME"],
        "description": site.settings.get("SITE_DESCRIPTION"),
        "url": site.url("index.html"),
        "inLanguage": site.settings.get("DEFAULT_LANG"),
        "publisher": site.publisher(),
        "potentialAction": {
            "@type": "SearchAction",
            "target": {"@type": "EntryPoint", "urlTemplate": f"{search}?{SEARCH_PARAMETER}={{search_term_string}}"},
            "query-input": "required name=search_term_string",
        },
    }
    return without_empty(data)


def breadcrumb_list(trail, name, site):
    """The trail's (name, path, kind) crumbs, then the page ``name`` without ``item``: Google takes the page."""
    items = [
        {"@type": "ListItem", "position": position, "name": crumb_name, "item": site.url(crumb_path)}
        for position, (crumb_name, crumb_path, _) in enumerate(trail, start=1)
    ]
    items.append({"@type": "ListItem", "position": len(items) + 1, "name": name})
    return {"@context": CONTEXT, "@type": "BreadcrumbList", "itemListElement": items}


@jinja2.pass_context
def news_article_global(context, article):
    return news_article(article, Site(context))


@jinja2.pass_context
def web_site_global(context):
    return web_site(Site(context))


@jinja2.pass_context
def breadcrumb_list_global(context, trail, name):
    return breadcrumb_list(trail, name, Site(context))
