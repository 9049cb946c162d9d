"""Put each page's stylesheet, minified, into the page, and allow exactly it in the policy.

A ``<link rel="stylesheet">`` blocks the first paint until a second request
comes back; a ``<style>`` element in the page does not. So every page carries
its stylesheet inline, and only the rules its kind of page uses:

- ``static/css/site.css`` in the theme holds what every page uses; a page
  carries it alone, as the stylesheet named ``"site"``;
- any other ``static/css/<name>.css`` holds what one kind of page adds
  (``article.css``, ``search.css``). A template that starts with
  ``{% set stylesheet = "<name>" %}`` carries site.css followed by that file.

The Content-Security-Policy stays strict: no ``'unsafe-inline'``. Its text is
built here, once, from the ``CONTENT_SECURITY_POLICY`` record in the settings:
each page's ``<meta>`` policy names the SHA-256 hash of exactly the text that
page inlines; the headers (one policy for the whole site) name every one.
The hashes are computed from the same strings the templates write, so an
edit to a stylesheet changes both together. The files in ``static/css/``
stay the readable source.

Settings read: ``THEME``, ``CONTENT_SECURITY_POLICY`` ({directive: sources}),
``CSP_HEADER_ONLY`` (directives a ``<meta>`` policy may not carry) and
``SECURITY_HEADERS``. Written into the context of every build, as its first
generator is made (before anything is read or rendered), so that each rebuild
of ``make devserver`` reads the stylesheets afresh:

- ``INLINE_CSS``: {stylesheet name: the minified text, as markup for
  ``<style>{{ INLINE_CSS[stylesheet] }}</style>``};
- ``CONTENT_SECURITY_POLICY_META``: {stylesheet name: the policy for the
  ``<meta>`` tag of a page that carries it};
- ``SECURITY_HEADERS``: with ``Content-Security-Policy`` first, naming every
  stylesheet's hash (the header files in ``content/extra/`` write it out).
"""

import base64
import hashlib
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
    return {EVERY_PAGE: minified_css(shared), **{name: minified_css(shared + "\n" + css) for name, css in files.items()}}


def source_hash(text):
    """The CSP source that allows a ``<style>`` element holding exactly ``text``."""
    digest = hashlib.sha256(text.encode("utf-8")).digest()
    return f"'sha256-{base64.b64encode(digest).decode('ascii')}'"


def with_sources(policy, directive, sources):
    """``policy`` with ``sources`` added to ``directive`` (which starts from ``default-src``)."""
    present = policy.get(directive, policy.get("default-src", "")).split()
    return {**policy, directive: " ".join([*present, *(source for source in sources if source not in present)])}


def policy_text(policy, leave_out=()):
    """The policy as a header or a ``<meta>`` tag writes it, without the directives in ``leave_out``."""
    return "; ".join(f"{name} {value}" for name, value in policy.items() if name not in leave_out)


def inline_stylesheets(generator):
    # Every generator of a build shares one context: the first one fills it.
    context = generator.context
    if "INLINE_CSS" in context:
        return
    settings = generator.settings
    css = stylesheets(Path(settings["THEME"]) / STYLESHEETS)
    hashes = {name: source_hash(text) for name, text in css.items()}
    policy, header_only = settings["CONTENT_SECURITY_POLICY"], settings.get("CSP_HEADER_ONLY", ())
    # Safe to write unescaped: our own stylesheets, checked above to hold no "</style".
    context["INLINE_CSS"] = {name: Markup(text) for name, text in css.items()}
    context["CONTENT_SECURITY_POLICY_META"] = {
        name: policy_text(with_sources(policy, "style-src", [source]), header_only) for name, source in hashes.items()
    }
    context["SECURITY_HEADERS"] = {
        "Content-Security-Policy": policy_text(with_sources(policy, "style-src", hashes.values())),
        **{name: value for name, value in settings["SECURITY_HEADERS"].items() if name != "Content-Security-Policy"},
    }


def register():
    signals.generator_init.connect(inline_stylesheets)
