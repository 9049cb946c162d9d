"""Production settings: pelicanconf.py plus what depends on the host.

SITEURL comes from the environment: make publish SITEURL=https://example.org/news
"""

import sys

sys.path.append(".")
from pelicanconf import *  # noqa: E402,F403
