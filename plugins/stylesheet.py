"""Write the theme's stylesheets as minified files whose names carry their content hash.
Why so: docs/architecture.md, "The stylesheets and the policy".

Settings read: ``THEME``, ``THEME_STATIC_DIR``. Written into the context:
``STYLESHEETS``, {name: the file's path from the site's root}, and the folder, added to
``HASHED_FOLDERS`` (the host files cache it a year).
"""

import hashlib
from pathlib import Path

import minify_html
from pelican import signals

# The stylesheet every page carries, and the name a page has when its template names none.
EVERY_PAGE = "site"


def minified_css(css):
    wrapped = minify_html.minify(f"<style>{css}</style>", minify_css=True)
    return wrapped.removeprefix("<style>").removesuffix("</style>")


def stylesheets(folder):
    """{name: minified text}: site.css alone, and site.css followed by each other file."""
    files = {path.stem: path.read_text(encoding="utf-8") for path in sorted(Path(folder).glob("*.css"))}
    shared = files.pop(EVERY_PAGE)
    return {
        EVERY_PAGE: minified_css(shared),
        **{name: minified_css(shared + "\n" + css) for name, css in files.items()},
    }


def hashed_name(name, text):
    return f"{name}.{hashlib.sha256(text.encode('utf-8')).hexdigest()[:12]}.css"


class StylesheetGenerator:
    # Names the files as generators are made; writes them once Pelican has emptied the output folder.

    def __init__(self, context, settings, theme, output_path, **kwargs):
        folder = f"{settings['THEME_STATIC_DIR']}/css"
        self.files = {
            name: (f"{folder}/{hashed_name(name, text)}", text)
            for name, text in stylesheets(Path(theme, "static", "css")).items()
        }
        self.output_path = Path(output_path)
        context["STYLESHEETS"] = {name: path for name, (path, _) in self.files.items()}
        context.setdefault("HASHED_FOLDERS", []).append(folder)

    def generate_output(self, writer):
        for path, text in self.files.values():
            target = self.output_path / path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8")


def get_generators(pelican):
    return StylesheetGenerator


def register():
    signals.get_generators.connect(get_generators)
