"""Settings for a local build: the same pages as the published site.

publishconf.py imports everything here and adds only what depends on where
the site is hosted.
"""

import logging
import os

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
    "plain_text_feeds",
    # Reading aids: previous/next, related articles (by shared topics), reading time.
    "pelican.plugins.neighbors",
    "pelican.plugins.related_posts",
    "reading_time",
    "locator_map",
    # A link preview image for every article, drawn from its headline and map.
    "share_card",
    # Each page's stylesheet inlined, and the policy below written out with their hashes.
    "inline_css",
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
# One policy for the site, as a record. plugins/inline_css writes it out as
# text: into each page as <meta http-equiv>, and as the Content-Security-Policy
# of SECURITY_HEADERS for the header files of static hosts (templates in
# content/extra/).
CONTENT_SECURITY_POLICY = {
    "default-src": "'self'",
    # Our own script files only, nothing inline. Pagefind (the search page)
    # compiles WebAssembly, which needs 'wasm-unsafe-eval'; that allows no eval().
    "script-src": "'self' 'wasm-unsafe-eval'",
    # No 'unsafe-inline': plugins/inline_css adds the hash of the stylesheet a
    # page carries in its <style> element (the headers name every one).
    "style-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'none'",
    "form-action": "'self'",
    # Headers only: browsers ignore frame-ancestors in a <meta> policy.
    "frame-ancestors": "'none'",
}
CSP_HEADER_ONLY = ("frame-ancestors", "report-uri", "report-to", "sandbox")
# The other headers; plugins/inline_css puts Content-Security-Policy first.
SECURITY_HEADERS = {
    "Referrer-Policy": "no-referrer",
    "X-Content-Type-Options": "nosniff",
    "Permissions-Policy": "camera=(), geolocation=(), microphone=(), payment=(), usb=()",
}
# Netlify and Cloudflare Pages read _headers, Apache .htaccess; nginx includes
# the snippet (see README).
TEMPLATE_PAGES = {
    "extra/_headers": "_headers",
    "extra/.htaccess": ".htaccess",
    "extra/nginx-security-headers.conf": "nginx-security-headers.conf",
}

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
