"""A Jinja extension that drops the indentation of the theme's HTML templates when they compile.

Templates are indented for their readers; pages need none of it, and at thousands of
articles it is megabytes. Only the spaces and tabs that start a line of an ``.html``
template go, before Jinja parses it, so it costs nothing per page: each line break stays
(text never runs together), and what a template inserts (an article's body) is left as
it is. Other templates (robots.txt, the hosts' configuration files) keep theirs.

Settings: none; pelicanconf.py names it in JINJA_ENVIRONMENT's extensions.
"""

import re

from jinja2.ext import Extension

INDENTATION = re.compile(r"^[ \t]+", re.MULTILINE)


def unindented(source, name):
    return INDENTATION.sub("", source) if (name or "").endswith(".html") else source


class StripIndentation(Extension):
    def preprocess(self, source, name, filename=None):
        return unindented(source, name)
