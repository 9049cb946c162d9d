"""Write the theme's stylesheets as minified files whose names carry their content hash.

``static/css/site.css`` in the theme holds what every page uses and is written
alone as ``"site"``; each other ``static/css/<name>.css`` is what one kind of
page adds, written after site.css as ``"<name>"`` and linked by a template that
starts with ``{% set stylesheet = "<name>" %}``. A page links one file, so it
waits for one request; a browser keeps each file for a year (the header files
say so), and an edit gives a new name. Pages hold no inline style, so the
policy's ``style-src`` is ``'self'``. The files in ``static/css/`` stay the readable source.

Settings read: ``THEME``, ``THEME_STATIC_DIR``. Written into the context:
``STYLESHEETS``, {name: the file's path from the site's root}.
"""

import hashlib
from pathlib import Path

import minify_html
from pelican import signals

# The stylesheet every page carries, and the name a page has when its template names none.
EVERY_PAGE = "site"


def minified_css(css):
    """``css`` minified by minify-html's CSS minifier."""
    wrapped = minify_html.minify(f"<style>{css}</style>", minify_css=True)
    return wrapped.removeprefix("<style>").removesuffix("</style>")


def stylesheets(folder):
    """{name: minified text}: site.css alone as ``EVERY_PAGE``, and site.css
    followed by each other file of ``folder`` under that file's name."""
    files = {path.stem: path.read_text(encoding="utf-8") for path in sorted(Path(folder).glob("*.css"))}
    shared = files.pop(EVERY_PAGE)
    return {
        EVERY_PAGE: minified_css(shared),
        **{name: minified_css(shared + "\n" + css) for name, css in files.items()},
    }


def hashed_name(name, text):
    return f"{name}.{hashlib.sha256(text.encode('utf-8')).hexdigest()[:12]}.css"


class StylesheetGenerator:
    """Names the files as generators are made; writes them once Pelican has emptied the output folder."""

    def __init__(self, context, settings, theme, output_path, **kwargs):
        folder = f"{settings['THEME_STATIC_DIR']}/css"
        self.files = {
            name: (f"{folder}/{hashed_name(name, text)}", text)
            for name, text in stylesheets(Path(theme, "static", "css")).items()
        }
        self.output_path = Path(output_path)
        context["STYLESHEETS"] = {name: path for name, (path, _) in self.files.items()}

    def generate_output(self, writer):
        for path, text in self.files.values():
            target = self.output_path / path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8")


def get_generators(pelican):
    return StylesheetGenerator


def register():
    signals.get_generators.connect(get_generators)
