"""Put each page's stylesheet, minified, into the page as a ``<style>`` element.

A ``<link rel="stylesheet">`` blocks the first paint until a second request
comes back; an inline ``<style>`` does not. ``static/css/site.css`` in the
theme holds what every page uses and is carried alone as ``"site"``; each
other ``static/css/<name>.css`` is what one kind of page adds, carried after
site.css by a template that starts with ``{% set stylesheet = "<name>" %}``.
The files in ``static/css/`` stay the readable source. How each page's policy
allows exactly this text: docs/architecture.md, "The inline stylesheet and the policy".

Read anew as each build's first generator is made, so that every rebuild of
``make devserver`` sees an edit.

Settings read: ``THEME``. Written into the context: ``INLINE_CSS``,
{stylesheet name: the minified text, as markup}.
"""

from pathlib import Path

import minify_html
from markupsafe import Markup
from pelican import signals

STYLESHEETS = Path("static", "css")
# The stylesheet every page carries, and the name a page has when its template names none.
EVERY_PAGE = "site"


def minified_css(css):
    """``css`` minified by minify-html's CSS minifier."""
    wrapped = minify_html.minify(f"<style>{css}</style>", minify_css=True)
    inner = wrapped.removeprefix("<style>").removesuffix("</style>")
    if inner == wrapped or "</style" in inner.lower():
        raise ValueError("the minified stylesheet cannot be put in a <style> element as it is")
    return inner


def stylesheets(folder):
    """{name: minified text} for the stylesheets in ``folder``: site.css alone as
    ``EVERY_PAGE``, and site.css followed by each other file under that file's name."""
    files = {path.stem: path.read_text(encoding="utf-8") for path in sorted(Path(folder).glob("*.css"))}
    shared = files.pop(EVERY_PAGE)
    return {
        EVERY_PAGE: minified_css(shared),
        **{name: minified_css(shared + "\n" + css) for name, css in files.items()},
    }


def inline_stylesheets(generator):
    # Every generator of a build shares one context: the first one fills it.
    context = generator.context
    if "INLINE_CSS" in context:
        return
    css = stylesheets(Path(generator.settings["THEME"]) / STYLESHEETS)
    # Safe to write unescaped: our own stylesheets, checked above to hold no "</style".
    context["INLINE_CSS"] = {name: Markup(text) for name, text in css.items()}


def register():
    signals.generator_init.connect(inline_stylesheets)
