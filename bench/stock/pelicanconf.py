"""Stock Pelican, for comparison: pelican-quickstart's settings as published.

This is what `pelican-quickstart` writes (pelicanconf.py plus publishconf.py,
pagination on) with a bundled theme chosen on the command line (-t). Two
additions let it read the same generated articles as our site: the YAML
front matter reader, and a five-line plugin that files each article under
the first of its `categories`, as stock Pelican would if that were its
`category`.
"""

import os
import sys

sys.path.insert(0, os.path.dirname(__file__))
import primary_category  # noqa: E402

AUTHOR = "dpa"
SITENAME = "Sahel Desk"
SITEURL = "http://localhost:8000"
# Relative links, so that the benchmark's own server can load every asset.
RELATIVE_URLS = True
PATH = "content"
TIMEZONE = "Europe/Berlin"
DEFAULT_LANG = "en"

FEED_ALL_ATOM = "feeds/all.atom.xml"
CATEGORY_FEED_ATOM = "feeds/{slug}.atom.xml"
TRANSLATION_FEED_ATOM = None
AUTHOR_FEED_ATOM = None
AUTHOR_FEED_RSS = None

LINKS = [
    ("Pelican", "https://getpelican.com/"),
    ("Python.org", "https://www.python.org/"),
    ("Jinja2", "https://palletsprojects.com/p/jinja/"),
    ("You can modify those links in your config file", "#"),
]
SOCIAL = [
    ("You can add links in your config file", "#"),
    ("Another social link", "#"),
]

DEFAULT_PAGINATION = 10
DELETE_OUTPUT_DIRECTORY = True

PLUGINS = ["pelican.plugins.yaml_metadata", primary_category]
