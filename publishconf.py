"""Production settings: pelicanconf.py plus the address the site is published at.

    make publish SITEURL=https://example.org/news

Without SITEURL the build is pelicanconf.py's, for make serve (the committed output/).
"""

import os
import sys
from urllib.parse import urlsplit

sys.path.append(".")
from pelicanconf import *  # noqa: E402,F403

if os.environ.get("SITEURL"):
    SITEURL = SITEURL_ABSOLUTE = os.environ["SITEURL"].rstrip("/")
    SITEURL_IS_PUBLIC = True
    SITEURL_PATH = urlsplit(SITEURL).path.rstrip("/")
