"""Markup that depends only on an article and a few values, drawn once per build.

A teaser shows the same article alike on the home page, its sections, its
topics and beside related articles: at 1,000 articles Jinja drew about 10,000
teasers for 1,700 distinct ones. ``once(article, key, macro, *args)`` calls
the macro the first time ``key`` is asked of ``article`` and keeps the result
on the article, which every build reads anew. The key must name everything
the markup depends on besides the article (``SITEURL``, a heading level).
pelicanconf.py gives templates ``once`` through ``JINJA_GLOBALS``. No settings.
"""


def once(article, key, macro, *args):
    drawn = article.__dict__.setdefault("_drawn_once", {})
    if key not in drawn:
        drawn[key] = macro(article, *args)
    return drawn[key]
