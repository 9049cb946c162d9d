"""Settings for a local build: the same pages as the published site.

publishconf.py adds the address the site is published at; devserverconf.py
what only make devserver wants.
"""

import logging
import os
import sys

# -- Site ----------------------------------------------------------------------
SITENAME = "Sahel Desk"
SITESUBTITLE = "News on Mali, the United Nations and the Bundeswehr"
SITE_DESCRIPTION = (
    "Reports on Mali, MINUSMA (the UN peacekeeping mission in Mali from 2013 to "
    "2023) and the Bundeswehr, with their sources, corrections and background."
)
# Absolute address used only where a full URL is required (feeds, sitemap):
# make serve's. Page links stay relative (RELATIVE_URLS) so the same files work
# at a domain root, under a sub-path and from disk.
SITEURL = SITEURL_ABSOLUTE = "http://localhost:8000"
# True only when the host is really known (publishconf.py); canonical and og:url need it.
SITEURL_IS_PUBLIC = False
RELATIVE_URLS = True
DEFAULT_LANG = "en"
TIMEZONE = "Europe/Berlin"
# The address readers write to about an error, shown on the about page only
# when set (an e-mail address). Empty: the page names none.
CORRECTIONS_CONTACT = ""
DEFAULT_DATE_FORMAT = "%-d %B %Y"

# -- Content -------------------------------------------------------------------
PATH = "content"
ARTICLE_PATHS = ["articles"]
PAGE_PATHS = ["pages"]
DEFAULT_CATEGORY = "News"
# Summaries are written by editors, never cut from the body.
SUMMARY_MAX_LENGTH = None

MARKDOWN = {
    # Replaces Pelican's default wholesale, so every extension is listed.
    "extension_configs": {
        "markdown.extensions.extra": {},
        "markdown.extensions.toc": {"permalink": False},
    },
    "output_format": "html5",
}

# -- URLs: every page ends in .html so links work from disk --------------------
ARTICLE_URL = ARTICLE_SAVE_AS = "{date:%Y}/{date:%m}/{slug}.html"
PAGE_URL = PAGE_SAVE_AS = "{slug}.html"
CATEGORY_URL = CATEGORY_SAVE_AS = "category/{slug}.html"
TAG_URL = TAG_SAVE_AS = "tag/{slug}.html"
CATEGORIES_SAVE_AS = "categories.html"
TAGS_SAVE_AS = "tags.html"
ARCHIVES_SAVE_AS = "archives.html"
YEAR_ARCHIVE_SAVE_AS = YEAR_ARCHIVE_URL = "{date:%Y}/index.html"
# A month's page sits among its articles; the checks stop an article whose
# slug is "index", which would be written over it.
MONTH_ARCHIVE_SAVE_AS = MONTH_ARCHIVE_URL = "{date:%Y}/{date:%m}/index.html"
# The byline is an agency, not a person with a page of their own.
AUTHOR_SAVE_AS = AUTHORS_SAVE_AS = ""
# sitemap.xml and robots.txt are templates so that they name the absolute
# SITEURL and take their dates from the content, not from the clock.
DIRECT_TEMPLATES = ["index", "categories", "tags", "archives", "search", "sitemap", "robots"]
SITEMAP_SAVE_AS = "sitemap.xml"
ROBOTS_SAVE_AS = "robots.txt"
SEARCH_SAVE_AS = "search.html"


def newest_first(article):
    """Newest first; articles of the same moment by slug.

    Pelican collects source files in a set, so without a tiebreak two articles
    dated alike could swap places from one build to the next.
    """
    return (-article.date.timestamp(), article.slug)


ARTICLE_ORDER_BY = newest_first

DEFAULT_PAGINATION = 10
# A page/N pattern cannot collide with numbered slugs such as tag/topic12.
PAGINATION_PATTERNS = (
    (1, "{url}", "{save_as}"),
    (2, "{base_name}/page/{number}.html", "{base_name}/page/{number}.html"),
)

# -- Feeds: Atom for the site, every section and every topic -------------------
FEED_ALL_ATOM = "feeds/all.atom.xml"
CATEGORY_FEED_ATOM = "feeds/category/{slug}.atom.xml"
TAG_FEED_ATOM = "feeds/tag/{slug}.atom.xml"
FEED_ATOM = None
FEED_RSS = None
TRANSLATION_FEED_ATOM = None
AUTHOR_FEED_ATOM = None
AUTHOR_FEED_RSS = None
FEED_MAX_ITEMS = 20

# -- Theme ---------------------------------------------------------------------
THEME = "theme"
MENUITEMS = ()
DISPLAY_PAGES_ON_MENU = False
DISPLAY_CATEGORIES_ON_MENU = False
# plugins/stylesheet writes theme/static/css/ as hashed files: Pelican must not copy it too.
IGNORE_FILES = ["**/.*", "css"]

# -- Plugins, in the order they run ---------------------------------------------
PLUGIN_PATHS = ["plugins"]
# A plugin whose place matters says "first", "last" or "after X" and why; tests/test_plugin_order.py holds to it.
PLUGINS = [
    # Its whole-site step ends by putting every body through the allowlist's cleaner, which the checks need
    # anyway to find stray link markers: what they allow passes unchanged, what they missed goes.
    "content_checks",  # first: its one-line errors and its settings check come before any other plugin's steps
    "pelican.plugins.yaml_metadata",
    "pelican.plugins.data_files",
    "multiple_categories",
    "linear_listings",  # after multiple_categories: it lists the sections that plugin rebuilds
    "partial_dates",
    "fixed_urls",  # after every plugin that changes what a URL is made of
    "plain_text_feeds",
    "feed_pages",
    "pelican.plugins.neighbors",
    "related_articles",
    "reading_time",
    "locator_map",
    "share_card",  # anywhere: it lays out the articles' cards once every generator is done, maps drawn
    "stylesheet",
    "security_headers",
    "incremental_rebuild",
    "template_cache",
    "sitemap_index",
    "search_index",  # last: its final step waits for Pagefind, which runs while the others' final steps do
]
# Every file here reaches the templates as DATA_<NAME>: only what they read.
DATA_FILES_DIR = "data"
RELATED_POSTS_MAX = 3
# Related articles are looked for among this many on either side in each topic.
RELATED_POSTS_WINDOW = 50
# Articles per index part. Each part's Pagefind runs beside Pelican, whose memory
# is near its peak then: 200 take about 65 MB (500: 135 MB), and a search fetches
# about 3 files (18 KB) more per part (docs/architecture.md#search).
SEARCH_INDEX_BATCH = 200
# Extra command-line arguments for Pagefind.
SEARCH_INDEX_ARGS = []
# Plain text, escaped by the templates: a standfirst is never parsed as HTML.
FORMATTED_FIELDS = []
# Each build makes its own environments, so no template changes under one: without
# auto_reload Jinja stops checking every template's mtime on each include (47,000 a build).
JINJA_ENVIRONMENT = {"trim_blocks": True, "lstrip_blocks": True, "autoescape": True, "auto_reload": False}
# Jinja filters of our plugins that need no signal.
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "plugins"))
from language_markup import abbreviate_filter, lang_parts  # noqa: E402
from partial_dates import date_range, iso_date, partial_date  # noqa: E402
from shared.corrections import our_correction, translation_correction  # noqa: E402
from structured_data import breadcrumb_list_global, news_article_global, web_site_global  # noqa: E402
from template_globals import date_format, featured_sections, list_page, once, period_parts, svg_data_url, tojson  # noqa: E402
from template_indentation import StripIndentation  # noqa: E402

# The theme's HTML templates compile without their indentation: megabytes at thousands of articles.
JINJA_ENVIRONMENT["extensions"] = [StripIndentation]

JINJA_FILTERS = {
    "iso_date": iso_date,
    "partial_date": partial_date,
    "date_range": date_range,
    "lang_parts": lang_parts,
    "abbreviate": abbreviate_filter,
    "tojson": tojson,
    "date_format": date_format,
}
JINJA_GLOBALS = {
    "news_article": news_article_global,
    "web_site": web_site_global,
    "breadcrumbs": breadcrumb_list_global,
    "list_page": list_page,
    "once": once,
    "featured_sections": featured_sections,
    "period_parts": period_parts,
    "our_correction": our_correction,
    "translation_correction": translation_correction,
    # macros/dates.html is imported without the page's context, so Jinja builds it once, not on every
    # import (8,000 at 1,000 articles): it finds the format here.
    "DEFAULT_DATE_FORMAT": DEFAULT_DATE_FORMAT,
    # Inline: docs/architecture.md, "The stylesheets and the policy".
    "FAVICON_URL": svg_data_url(
        os.path.join(os.path.dirname(os.path.abspath(__file__)), THEME, "static/icons/favicon.svg")
    ),
}

# -- Checks: a mistake in the content stops the build -----------------------------
# Front matter is checked against these JSON Schemas before Pelican reads a
# file; docs/front-matter.md is generated from them (make reference).
SCHEMA_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "content", "schema")
CONTENT_CHECKS_SCHEMAS = {
    "ARTICLE": os.path.join(SCHEMA_DIR, "article.schema.json"),
    "PAGE": os.path.join(SCHEMA_DIR, "page.schema.json"),
}
# Every section an article names must be described here.
CONTENT_CHECKS_SECTIONS = "data/sections.yaml"
# The locator map's data (content/geo/): read by path, never by templates, so
# kept out of DATA_FILES_DIR, which puts every file there into the templates.
LOCATOR_MAP_OUTLINES = "geo/mali-map.geojson"
LOCATOR_MAP_POINTS = "geo/mali-places.json"
LOCATOR_MAP_CREDITS = "geo/credits.yaml"
# The data files the build reads, each checked against its schema before any
# plugin reads it; every point must have a credit line.
CONTENT_CHECKS_DATA = {
    CONTENT_CHECKS_SECTIONS: os.path.join(SCHEMA_DIR, "data", "sections.schema.json"),
    "data/abbreviations.yaml": os.path.join(SCHEMA_DIR, "data", "abbreviations.schema.json"),
    LOCATOR_MAP_POINTS: os.path.join(SCHEMA_DIR, "data", "places.schema.json"),
    LOCATOR_MAP_CREDITS: os.path.join(SCHEMA_DIR, "data", "credits.schema.json"),
    LOCATOR_MAP_OUTLINES: os.path.join(SCHEMA_DIR, "data", "outlines.schema.json"),
}
# Ids that a plugin writes into pages, besides those of the templates: no
# heading in an article may take them.
CONTENT_CHECKS_RESERVED_IDS = ["locator-map-title", "locator-map-desc"]
# A future date stops the build unless the article says `scheduled: true`;
# a scheduled article is held back (written nowhere) until its date.
WITH_FUTURE_DATES = False
DRAFT_URL = DRAFT_SAVE_AS = ""
# One language: no article is taken for a translation of another (Pelican
# would do so for a shared slug, or a `translation` field); the checks report
# a shared slug instead.
ARTICLE_TRANSLATION_ID = PAGE_TRANSLATION_ID = None
# Pelican warnings that the checks replace with a message naming the field.
LOG_FILTER = [(logging.WARNING, "Empty alt attribute for image %s in %s")]

# -- Security headers -------------------------------------------------------------
# The one policy, and how it reaches pages and header files: docs/architecture.md.
CONTENT_SECURITY_POLICY = {
    "default-src": "'self'",
    "script-src": "'self' 'wasm-unsafe-eval'",
    "style-src": "'self'",
    # The favicon is inline (template_globals.data_url); a data: image runs nothing and fetches nothing.
    "img-src": "'self' data:",
    "object-src": "'none'",
    "base-uri": "'none'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
}
CSP_HEADER_ONLY = ("frame-ancestors", "report-uri", "report-to", "sandbox")
SECURITY_HEADERS = {
    "Referrer-Policy": "no-referrer",
    "X-Content-Type-Options": "nosniff",
    "Permissions-Policy": "camera=(), geolocation=(), microphone=(), payment=(), usb=()",
}

# -- Hosting: configurations the build writes (docs/hosting.md) ------------------
# Netlify and Cloudflare Pages read _headers; Apache .htaccess, from a
# VirtualHost that includes apache-site.conf; nginx the server block, which
# includes the site's locations, which include the headers.
TEMPLATE_PAGES = {
    "extra/_headers": "_headers",
    "extra/.htaccess": ".htaccess",
    "extra/apache-site.conf": "apache-site.conf",
    "extra/nginx-security-headers.conf": "nginx-security-headers.conf",
    "extra/nginx-locations.conf": "nginx-locations.conf",
    "extra/nginx-server.conf": "nginx-server.conf",
}
# The site's path on its host: "" at a domain root (as here), "/news/mali"
# under a sub-path (publishconf.py). The 404 page, served at any missing
# address, links from it.
SITEURL_PATH = ""
# The folder on the server that holds the site: make rsync_upload copies it
# there, and SSH_TARGET_DIR (a make variable) overrides it.
SERVER_DIR = os.environ.get("SSH_TARGET_DIR") or "/var/www/sahel-desk"
# What servers compress, and how hard (bench/weight.py measures at this level too). nginx
# sends .xml as text/xml, Apache as application/xml; HTML is compressed without being listed.
GZIP_LEVEL = 6
# Files named after their content hash (their folders: HASHED_FOLDERS, which the
# stylesheet and locator_map plugins fill): hosts let browsers keep them a year.
HASHED_CACHE_CONTROL = "public, max-age=31536000, immutable"
GZIP_TYPES = (
    "text/css text/plain text/xml application/xml application/atom+xml "
    "application/javascript text/javascript application/json image/svg+xml"
)

# -- Build ---------------------------------------------------------------------
DELETE_OUTPUT_DIRECTORY = True
OUTPUT_RETENTION = [".git"]
