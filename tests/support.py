"""Helpers the tests share: where things are, how to build, how to read content."""

import datetime
import fcntl
import filecmp
import functools
import hashlib
import json
import os
import subprocess
import sys
import zoneinfo
from http.server import SimpleHTTPRequestHandler
from pathlib import Path

import jinja2
import yaml
from pelican.settings import DEFAULT_CONFIG
from pelican.utils import slugify
from selectolax.lexbor import LexborHTMLParser

import pelicanconf

ROOT = Path(__file__).resolve().parent.parent
PELICAN = Path(sys.executable).with_name("pelican")
# Debian's Chromium without the browser around its engine (make browser): the
# same Blink, for much less CPU than the whole browser (docs/testing.md).
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium-headless-shell")
# The served copy of the site also sits under this sub-path, as on a shared host.
SUB_PATH = "news/mali/"
EXTRA_CONTENT = ROOT / "tests" / "content_extra"
# A made-up public address: with SITEURL set, pages carry canonical links and og:url.
PUBLIC_SITEURL = "https://example.org/news"
# A value that breaks markup unless it is escaped everywhere it is written.
HOSTILE = 'Quotes " & <b>bold</b> </script><script>alert(1)</script>: 1 < 2'
# The published report: what only it must say is checked keyed on it (docs/testing.md).
SOURCE = "2023-06-16-mali-demands-withdrawal-of-minusma.md"
SEARCH_PAGE = pelicanconf.SEARCH_SAVE_AS
# The search page opened with a query, as the header's search box opens it.
SEARCH_QUERY = SEARCH_PAGE + "?q=Mali"


def run_pelican(output, settings="publishconf.py", content="content", env=None, cwd=ROOT, extra_settings=None):
    """Build a site; returns the finished process (check returncode yourself).
    ``extra_settings`` ({name: value}) override the settings file's (``pelican -e``)."""
    command = [str(PELICAN), content, "-o", str(output), "-s", settings, "--fatal", "warnings"]
    if extra_settings:
        command += ["-e", *(f"{name}={json.dumps(value)}" for name, value in extra_settings.items())]
    return subprocess.run(
        command,
        cwd=cwd,
        env={**os.environ, "SITEURL": "", "COLUMNS": "200", **(env or {})},
        capture_output=True,
        text=True,
    )


def built_once(tmp_path_factory, name, make):
    """(site, Pelican's log) of ``make(folder)``, which builds into folder/site and
    must succeed. Test processes of one run (pytest-xdist) share it: the first
    builds while the others wait for it."""
    if "PYTEST_XDIST_WORKER" in os.environ:
        root = tmp_path_factory.getbasetemp().parent  # this run's, shared by its processes
    else:
        root = tmp_path_factory.mktemp(name)
    folder, log = root / name, root / f"{name}.log"
    with open(root / f"{name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not log.exists():
            folder.mkdir(exist_ok=True)
            result = make(folder)
            assert result.returncode == 0, result.stdout + result.stderr
            log.write_text(result.stdout + result.stderr, encoding="utf-8")
    return folder / "site", log.read_text(encoding="utf-8")


def content_hashed(site):
    """Files under ``site`` named ``name.<first 12 hex digits of their SHA-256>.ext``, relative paths."""
    return sorted(
        path.relative_to(site).as_posix()
        for path in site.rglob("*.*.*")
        if path.is_file() and path.name.split(".")[1] == hashlib.sha256(path.read_bytes()).hexdigest()[:12]
    )


def settings_of(module):
    """A settings module's settings, {NAME: value}, without Pelican's defaults."""
    return {name: value for name, value in vars(module).items() if name.isupper()}


def theme_environment(settings, *loaders):
    """The theme's templates with the settings' Jinja options and filters, as Pelican
    loads them, ``loaders`` first: to render a template without a build."""
    loader = jinja2.ChoiceLoader([*loaders, jinja2.FileSystemLoader(str(ROOT / "theme" / "templates"))])
    environment = jinja2.Environment(loader=loader, **settings["JINJA_ENVIRONMENT"])
    environment.filters.update(settings["JINJA_FILTERS"])
    environment.globals.update(settings["JINJA_GLOBALS"])
    return environment


def parse_pages(site):
    """Every HTML page under ``site``, parsed: {relative path: tree}."""
    return {
        path.relative_to(site).as_posix(): LexborHTMLParser(path.read_text(encoding="utf-8"))
        for path in sorted(site.rglob("*.html"))
    }


def read_front_matter(path):
    """The YAML front matter and the Markdown body of a content file."""
    text = Path(path).read_text(encoding="utf-8")
    _, front, body = text.split("---\n", 2)
    return yaml.safe_load(front), body


@functools.cache
def articles():
    """The published articles' front matter, keyed by source file name."""
    return {path.name: read_front_matter(path)[0] for path in sorted((ROOT / "content" / "articles").glob("*.md"))}


@functools.cache
def extra_articles():
    """Front matter of every article in the extra build, keyed by source file name."""
    return {
        **articles(),
        **{path.name: read_front_matter(path)[0] for path in sorted((EXTRA_CONTENT / "articles").glob("*.md"))},
        **{name: yaml.safe_load(text.split("---\n", 2)[1]) for name, text in editor_articles().items()},
    }


def article_path(front):
    """The page Pelican writes for an article: ARTICLE_SAVE_AS with its slug, or
    with the slug Pelican makes from its title when the front matter gives none."""
    settings = {**DEFAULT_CONFIG, **settings_of(pelicanconf)}
    slug = front.get("slug") or slugify(
        front["title"],
        regex_subs=settings["SLUG_REGEX_SUBSTITUTIONS"],
        preserve_case=settings["SLUGIFY_PRESERVE_CASE"],
        use_unicode=settings["SLUGIFY_USE_UNICODE"],
    )
    return settings["ARTICLE_SAVE_AS"].format(date=front["date"], slug=slug)


# The published report's page.
ARTICLE = article_path(articles()[SOURCE])


def published(front):
    """When an article was published, as Pelican orders it: a day alone is its
    midnight in TIMEZONE."""
    date = front["date"]
    if not isinstance(date, datetime.datetime):
        date = datetime.datetime(date.year, date.month, date.day, tzinfo=zoneinfo.ZoneInfo(pelicanconf.TIMEZONE))
    return date


def newest_first(fronts):
    """Front matters, newest first, as every listing orders them."""
    return sorted(fronts, key=published, reverse=True)


# -- The editor's scenario: articles written from the README's template ----------------

README = ROOT / "README.md"
# Each article is the README's template with these top-level fields replaced
# (None: left out). Between them they try what a new editor does first.
EDITOR_CHANGES = {
    # No slug (the template gives none), filed under existing sections.
    "2023-06-30-editor-follow-up.md": {
        "title": "title: MINUSMA’s mandate, a follow-up written from the template",
        "summary": "summary: What the UN Security Council decided, told as a follow-up.",
        "date": "date: 2023-06-30T17:45:00+02:00",
        "categories": "categories: [UN, Mali]",
    },
    # A section of its own, described in content/data/sections.yaml (EDITOR_SECTIONS).
    "2023-07-02-editor-new-section.md": {
        "title": "title: Article in a section of its own",
        "date": "date: 2023-07-02T09:00:00+02:00",
        "categories": "categories: [Editor test section, Mali]",
    },
    # A day alone, which needs modified.
    "2023-07-03-editor-day-only.md": {
        "title": "title: Article dated by its day",
        "date": "date: 2023-07-03",
        "modified": "modified: 2023-07-04T08:15:00+02:00",
    },
    # No places, corrections or key facts (the template has none) and no sources either.
    "2023-07-05-editor-bare.md": {
        "title": "title: Article with nothing around its text",
        "date": "date: 2023-07-05T12:00:00+02:00",
        "sources": None,
    },
}
EDITOR_SECTIONS = """editor-test-section:
  title: Editor test section
  description: A section that exists only in the tests, as a new one an editor adds.
"""


def readme_template():
    """The article the README's "Adding an article" tells an editor to write."""
    section = README.read_text(encoding="utf-8").split("## Adding an article", 1)[1]
    return section.split("```markdown\n", 1)[1].split("```", 1)[0]


def with_fields(article, changes):
    """``article`` with some top-level front matter fields replaced, added or
    left out; a field's block runs to the next line that is not indented."""
    _, front, body = article.split("---\n", 2)
    blocks = []
    for line in front.splitlines(keepends=True):
        if line[:1].strip() and not line.startswith("#"):
            blocks.append([line.split(":", 1)[0], line])
        else:
            blocks[-1][1] += line
    fields = {key: text for key, text in blocks}
    for key, text in changes.items():
        if text is None:
            fields.pop(key)
        else:
            fields[key] = text + "\n"
    return "---\n" + "".join(fields.values()) + "---\n" + body


@functools.cache
def editor_articles():
    """{file name: text} of the editor's articles, from the README's template."""
    return {name: with_fields(readme_template(), changes) for name, changes in EDITOR_CHANGES.items()}


def references(tree):
    """Every URL a page refers to: links, stylesheets, icons, images, scripts, forms."""
    for selector, attribute in (
        ("a[href]", "href"),
        ("link[href]", "href"),
        ("[src]", "src"),
        ("form[action]", "action"),
        ("use[href]", "href"),
    ):
        for node in tree.css(selector):
            # A data: URL (the icon) is its own content, fetched from nowhere.
            if not node.attributes[attribute].startswith("data:"):
                yield node.attributes[attribute]


def netlify_headers(text):
    """{name: value} of the rule for every path (/*) in a _headers file."""
    headers, in_rule = {}, False
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        if not line[0].isspace():
            in_rule = line.strip() == "/*"
        elif in_rule:
            name, value = line.strip().split(":", 1)
            headers[name] = value.strip()
    return headers


def rgb(css_colour):
    """(r, g, b) in 0..255 from a computed colour such as rgb(1, 2, 3) or rgba(1, 2, 3, 0.5)."""
    return tuple(float(part) for part in css_colour[css_colour.index("(") + 1 : -1].split(",")[:3])


def contrast(a, b):
    """WCAG contrast ratio of two computed colours."""

    def luminance(colour):
        channels = [c / 255 for c in rgb(colour)]
        r, g, b = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * r + 0.7152 * g + 0.0722 * b

    light, dark = sorted((luminance(a), luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


class QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def differences(left, right):
    """Relative paths that are missing on one side or differ in their bytes."""
    found = []
    comparison = filecmp.dircmp(left, right)
    stack = [("", comparison)]
    while stack:
        prefix, node = stack.pop()
        found += [prefix + name for name in node.left_only + node.right_only + node.funny_files]
        _, mismatch, errors = filecmp.cmpfiles(node.left, node.right, node.common_files, shallow=False)
        found += [prefix + name for name in mismatch + errors]
        stack += [(f"{prefix}{name}/", sub) for name, sub in node.subdirs.items()]
    return sorted(found)
