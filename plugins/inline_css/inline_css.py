"""Put the site's one stylesheet, minified, into every page, and allow exactly it in the policy.

A ``<link rel="stylesheet">`` blocks the first paint until a second request
comes back; a ``<style>`` element in the page does not. The stylesheet is
small (about 3 KB gzipped), so every page carries it inline.

The Content-Security-Policy stays strict: no ``'unsafe-inline'``. The policy's
``style-src`` gets the SHA-256 hash of the exact text inlined, computed here
from the same string the templates write, so an edit to ``site.css`` changes
both together. ``theme/static/css/site.css`` stays the readable source.

Settings read: ``THEME`` (the stylesheet is ``static/css/site.css`` in it),
``CONTENT_SECURITY_POLICY`` and ``CSP_HEADER_ONLY``. Settings written, on
``initialized`` (before anything is read or rendered):

- ``INLINE_CSS``: the minified stylesheet, as markup for ``<style>{{ INLINE_CSS }}</style>``;
- ``CONTENT_SECURITY_POLICY``: with the hash added to ``style-src``;
- ``CONTENT_SECURITY_POLICY_META`` and ``SECURITY_HEADERS["Content-Security-Policy"]``:
  written anew from it, as pelicanconf.py writes them.
"""

import base64
import hashlib
from pathlib import Path

import minify_html
from markupsafe import Markup
from pelican import signals

STYLESHEET = Path("static", "css", "site.css")


def minified_css(css):
    """``css`` minified by minify-html's CSS minifier."""
    wrapped = minify_html.minify(f"<style>{css}</style>", minify_css=True)
    inner = wrapped.removeprefix("<style>").removesuffix("</style>")
    if inner == wrapped or "</style" in inner.lower():
        raise ValueError("the minified stylesheet cannot be put in a <style> element as it is")
    return inner


def source_hash(text):
    """The CSP source that allows a ``<style>`` element holding exactly ``text``."""
    digest = hashlib.sha256(text.encode("utf-8")).digest()
    return f"'sha256-{base64.b64encode(digest).decode('ascii')}'"


def with_source(policy, directive, source):
    """``policy`` with ``source`` added to ``directive`` (which starts from ``default-src``)."""
    sources = policy.get(directive, policy.get("default-src", "")).split()
    return {**policy, directive: " ".join([*sources, source] if source not in sources else sources)}


def policy_text(policy, leave_out=()):
    return "; ".join(f"{name} {value}" for name, value in policy.items() if name not in leave_out)


def inline_stylesheet(pelican):
    settings = pelican.settings
    css = minified_css((Path(settings["THEME"]) / STYLESHEET).read_text(encoding="utf-8"))
    # Safe to write unescaped: it is our own stylesheet, checked above to hold no "</style".
    settings["INLINE_CSS"] = Markup(css)
    policy = with_source(settings["CONTENT_SECURITY_POLICY"], "style-src", source_hash(css))
    settings["CONTENT_SECURITY_POLICY"] = policy
    settings["CONTENT_SECURITY_POLICY_META"] = policy_text(policy, settings.get("CSP_HEADER_ONLY", ()))
    settings["SECURITY_HEADERS"] = {**settings["SECURITY_HEADERS"], "Content-Security-Policy": policy_text(policy)}


def register():
    signals.initialized.connect(inline_stylesheet)
