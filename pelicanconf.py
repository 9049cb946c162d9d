"""Settings for a local build: the same pages as the published site.

publishconf.py imports everything here and adds only what depends on where
the site is hosted.
"""

import logging
import os
from urllib.parse import urlsplit

# -- Site ----------------------------------------------------------------------
SITENAME = "Sahel Desk"
SITESUBTITLE = "News on Mali, the United Nations and the Bundeswehr"
SITE_DESCRIPTION = (
    "Reports on Mali, the UN peacekeeping mission MINUSMA and the Bundeswehr, "
    "with their sources, corrections and background."
)
# Absolute address used only where a full URL is required (feeds, sitemap).
# Page links stay relative (RELATIVE_URLS) so the same files work at a domain
# root, under a sub-path and from disk. make serve serves here by default.
SITEURL = (os.environ.get("SITEURL") or "http://localhost:8000").rstrip("/")
# True only when the host is really known; canonical and og:url need it.
SITEURL_ABSOLUTE = SITEURL
SITEURL_IS_PUBLIC = bool(os.environ.get("SITEURL"))
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

# -- Plugins, in the order they run ---------------------------------------------
PLUGIN_PATHS = ["plugins"]
PLUGINS = [
    # A mistake in the content stops the build, with a message (see below).
    "content_checks",
    "pelican.plugins.yaml_metadata",
    # The same reader, parsing with libyaml: the largest cost of a big build.
    "libyaml_reader",
    "pelican.plugins.data_files",
    "multiple_categories",
    "partial_dates",
    # Filters that mark words in another language and abbreviations in plain text.
    "language_markup",
    "plain_text_feeds",
    # Reading aids: previous/next, related articles (by shared topics), reading time.
    "pelican.plugins.neighbors",
    "pelican.plugins.related_posts",
    "reading_time",
    "locator_map",
    # Each page's stylesheet inlined; then the policy below written out for
    # pages (naming that stylesheet's hash) and for hosts' header files.
    "inline_css",
    "security_headers",
    # make devserver only: a rebuild writes just the pages an edit changed.
    "incremental_rebuild",
    # Compiled templates kept between builds, keyed on their source.
    "template_cache",
    # Last: indexes the finished output with Pagefind (see plugins/search_index).
    "search_index",
]
DATA_FILES_DIR = "data"
RELATED_POSTS_MAX = 3
# Plain text, escaped by the templates: a standfirst is never parsed as HTML.
FORMATTED_FIELDS = []
JINJA_ENVIRONMENT = {"trim_blocks": True, "lstrip_blocks": True, "autoescape": True}

# -- Checks: a mistake in the content stops the build -----------------------------
# Front matter is checked against these JSON Schemas before Pelican reads a
# file; the README's front matter reference is generated from them.
SCHEMA_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "content", "schema")
CONTENT_CHECKS_SCHEMAS = {
    "ARTICLE": os.path.join(SCHEMA_DIR, "article.schema.json"),
    "PAGE": os.path.join(SCHEMA_DIR, "page.schema.json"),
}
# Every section an article names must be described here.
CONTENT_CHECKS_SECTIONS = "data/sections.yaml"
# The data files the build reads, each checked against its schema before any
# plugin reads it; every point must have a credit line.
CONTENT_CHECKS_DATA = {
    "data/sections.yaml": os.path.join(SCHEMA_DIR, "data", "sections.schema.json"),
    "data/geo/mali-places.json": os.path.join(SCHEMA_DIR, "data", "places.schema.json"),
    "data/geo/credits.yaml": os.path.join(SCHEMA_DIR, "data", "credits.schema.json"),
    "data/geo/mali-map.geojson": os.path.join(SCHEMA_DIR, "data", "outlines.schema.json"),
}
CONTENT_CHECKS_CREDITS = ("data/geo/mali-places.json", "data/geo/credits.yaml")
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
# One policy for the site, as a record. plugins/security_headers writes it out
# as text: into each page as <meta http-equiv>, and as the Content-Security-Policy
# of SECURITY_HEADERS for the header files of hosts (templates in content/extra/).
CONTENT_SECURITY_POLICY = {
    "default-src": "'self'",
    # Our own script files only, nothing inline. Pagefind (the search page)
    # compiles WebAssembly, which needs 'wasm-unsafe-eval'; that allows no eval().
    "script-src": "'self' 'wasm-unsafe-eval'",
    # Each page's <meta> policy adds the hash of the stylesheet it carries in its
    # <style> element (plugins/security_headers explains the headers' value).
    "style-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'none'",
    "form-action": "'self'",
    # Headers only: browsers ignore frame-ancestors in a <meta> policy.
    "frame-ancestors": "'none'",
}
CSP_HEADER_ONLY = ("frame-ancestors", "report-uri", "report-to", "sandbox")
# The other headers; plugins/security_headers puts Content-Security-Policy first.
SECURITY_HEADERS = {
    "Referrer-Policy": "no-referrer",
    "X-Content-Type-Options": "nosniff",
    "Permissions-Policy": "camera=(), geolocation=(), microphone=(), payment=(), usb=()",
}

# -- Hosting: configurations the build writes (docs/hosting.md) ------------------
# Netlify and Cloudflare Pages read _headers, Apache .htaccess; nginx takes the
# server block, which includes the headers snippet.
TEMPLATE_PAGES = {
    "extra/_headers": "_headers",
    "extra/.htaccess": ".htaccess",
    "extra/nginx-security-headers.conf": "nginx-security-headers.conf",
    "extra/nginx-server.conf": "nginx-server.conf",
}
# The site's path on its host: "" at a domain root, "/news/mali" under a
# sub-path. The 404 page, served at any missing address, links from it.
SITEURL_PATH = urlsplit(SITEURL).path.rstrip("/")
# The folder on the server that holds the site (make rsync_upload copies it there).
SERVER_DIR = os.environ.get("SSH_TARGET_DIR") or "/var/www/sahel-desk"
# What servers compress, and how hard: the page weights in bench/RESULTS.md
# are measured at gzip level 6. nginx sends .xml as text/xml, Apache as
# application/xml; both are listed. HTML is compressed without being listed.
GZIP_LEVEL = 6
GZIP_TYPES = (
    "text/css text/plain text/xml application/xml application/atom+xml "
    "application/javascript text/javascript application/json image/svg+xml"
)

# -- Build ---------------------------------------------------------------------
DELETE_OUTPUT_DIRECTORY = True
OUTPUT_RETENTION = [".git"]
# The content cache is keyed on file times, not settings: never in a build
# that is committed. make devserver turns it on for itself.
LOAD_CONTENT_CACHE = False
CACHE_CONTENT = False
# Off: every build writes every page. make devserver turns it on, so that a
# rebuild after an edit to an article's text writes only what shows it
# (see plugins/incremental_rebuild).
INCREMENTAL_REBUILD = False
