"""make devserver: a rebuild writes what an edit changed, and every page shows it.

A small generated site is built as `pelican --autoreload` does: one Pelican,
with devserverconf.py, whose run() is called again after every change, in this
process. Edits to the content and to a copy of the theme are made one after
another on one such site, as an editor makes them; each test asserts only what
its own edit changed, so they pass in any order. Other settings get a site of
their own. Before each rebuild every output file's modification time is set to
the epoch, so the files a rebuild wrote are the ones with a newer time. What
should have been written is worked out from the built site itself (which feeds
list the article), never from the plugin.
"""

import contextlib
import datetime
import io
import os
import shutil
import subprocess
import sys
from unittest import mock

import feedparser
import pytest
import yaml
from generate import FrontMatterDumper, generate
from incremental_rebuild import OWN_PAGE_FIELDS
from jinja2 import Environment, FileSystemLoader, nodes
from pelican import Pelican
from pelican.settings import read_settings
from pelican.urlwrappers import Category, Tag
from selectolax.lexbor import LexborHTMLParser
from support import ROOT

COUNT = 24
EDITED_SENTENCE = "This sentence was added to the body while the devserver ran"
# Not written by Pelican's writer: the theme's static files and the search index.
NOT_PAGES = ("theme/", "pagefind/")
# Share cards are images, not pages: a rebuild writes one only when it changed.
NOT_PAGE_SUFFIXES = (".png",)


class Devserver:
    """One Pelican whose run() is called after each change, as `pelican --autoreload` does."""

    # The one whose Pelican ran last in this process: the plugin remembers only
    # that build, as autoreload runs one Pelican per process.
    last_run = None

    def __init__(self, tmp_path, overrides=None):
        self.content, self.output = tmp_path / "content", tmp_path / "output"
        written = generate(COUNT, self.content)
        self.fronts = {self.content / "articles" / name: front for name, front in written.items()}
        with contextlib.chdir(ROOT):
            self.settings = read_settings(
                str(ROOT / "devserverconf.py"),
                override={
                    **(overrides or {}),
                    "PATH": str(self.content),
                    "OUTPUT_PATH": str(self.output),
                    "CACHE_PATH": str(tmp_path / "cache"),
                },
            )
        self.pelican = Pelican(self.settings)
        self.first_build = self.rebuild()
        # Recorded now: a later test's new article adds pages.
        self.first_pages = self.pages_and_feeds()

    def rebuild(self):
        """Run Pelican again; returns (the plugin's log line or None, the pages and feeds written)."""
        Devserver.last_run = self
        for path in self.output.rglob("*"):
            if path.is_file():
                os.utime(path, (0, 0))
        log = io.StringIO()
        with contextlib.chdir(ROOT), contextlib.redirect_stdout(log):
            self.pelican.run()
        log = log.getvalue()
        line = next((line for line in log.splitlines() if line.startswith("Incremental rebuild:")), None)
        return line, self.written()

    def written(self):
        return {
            path.relative_to(self.output).as_posix()
            for path in self.output.rglob("*")
            if path.is_file()
            and path.stat().st_mtime > 0
            and not path.relative_to(self.output).as_posix().startswith(NOT_PAGES)
            and not path.name.endswith(NOT_PAGE_SUFFIXES)
        }

    def pages_and_feeds(self):
        return {
            path.relative_to(self.output).as_posix()
            for path in self.output.rglob("*")
            if path.is_file()
            and not path.relative_to(self.output).as_posix().startswith(NOT_PAGES)
            and not path.name.endswith(NOT_PAGE_SUFFIXES)
        }

    def newest_article(self):
        """(source file, front matter) of the newest generated article: first on the home page and
        its lists, or second after an article added later."""
        return max(self.fronts.items(), key=lambda item: (item[1]["date"], item[1]["slug"]))

    def page_of(self, front):
        (path,) = self.output.rglob(f"{front['slug']}.html")
        return path.relative_to(self.output).as_posix()

    def parse(self, page):
        return LexborHTMLParser((self.output / page).read_text(encoding="utf-8"))

    def teaser_titles(self, page):
        return [node.text(strip=True) for node in self.parse(page).css(".teasers h2, .teasers h3")]

    def feeds_listing(self, page):
        """The feeds with an entry that links to ``page``."""
        return {
            feed.relative_to(self.output).as_posix()
            for feed in (self.output / "feeds").rglob("*.xml")
            if any(entry.link.endswith("/" + page) for entry in feedparser.parse(feed.read_bytes()).entries)
        }

    def list_pages_of(self, front):
        """The section and topic pages (page 1) that list the article with ``front``."""
        categories = [Category(name, self.settings) for name in front["categories"]]
        tags = [Tag(name, self.settings) for name in front["tags"]]
        return ["index.html", *(term.save_as for term in categories + tags)]


def edit_front_matter(path, **changes):
    """Change fields of an article's front matter, written as bench/generate.py writes it; the body stays."""
    _, front, body = path.read_text(encoding="utf-8").split("---\n", 2)
    fields = {**yaml.safe_load(front), **changes}
    front = yaml.dump(fields, Dumper=FrontMatterDumper, allow_unicode=True, sort_keys=False, width=100)
    path.write_text(f"---\n{front}---\n{body}", encoding="utf-8")


@pytest.fixture(scope="module")
def shared_devserver(tmp_path_factory):
    folder = tmp_path_factory.mktemp("devserver")
    shutil.copytree(ROOT / "theme", folder / "theme")
    return Devserver(folder, {"THEME": str(folder / "theme")}), folder / "theme"


@pytest.fixture
def themed_devserver(shared_devserver):
    """One devserver, with a copy of the theme to edit, for the tests below: each
    makes its edit on top of the others' and rebuilds. (devserver, theme folder)"""
    devserver, _ = shared_devserver
    if Devserver.last_run is not devserver:
        # Another site was built since (test_off_unless_turned_on): rebuild,
        # so that the plugin remembers this site's last build.
        devserver.rebuild()
    return shared_devserver


@pytest.fixture
def devserver(themed_devserver):
    return themed_devserver[0]


def test_the_first_build_writes_everything(devserver):
    line, written = devserver.first_build
    assert line is not None and "wrote everything" in line, line
    assert written == devserver.first_pages


def test_a_body_edit_writes_the_article_and_the_feeds_that_carry_it(devserver):
    source, front = devserver.newest_article()
    page = devserver.page_of(front)
    feeds = devserver.feeds_listing(page)
    assert feeds, "the newest article should be in the feed of all articles at least"

    source.write_text(f"{source.read_text(encoding='utf-8').rstrip()}\n\n{EDITED_SENTENCE}.\n", encoding="utf-8")
    line, written = devserver.rebuild()

    assert EDITED_SENTENCE in devserver.parse(page).css_first(".article-body").text()
    assert written == {page} | feeds
    assert line.startswith("Incremental rebuild: body-only edit of 1 article:"), line
    # The page first, so that it shows the edit sooner; then the feeds.
    page_time = (devserver.output / page).stat().st_mtime_ns
    assert all(page_time <= (devserver.output / feed).stat().st_mtime_ns for feed in feeds)
    assert all(EDITED_SENTENCE in (devserver.output / feed).read_text(encoding="utf-8") for feed in feeds)


def test_an_unchanged_rebuild_writes_nothing(devserver):
    _, written = devserver.rebuild()
    assert written == set()


def test_a_new_headline_shows_on_the_home_section_and_topic_pages(devserver):
    source, front = devserver.newest_article()
    headline = "Headline changed while the devserver ran"
    edit_front_matter(source, title=headline)
    line, written = devserver.rebuild()

    assert "wrote everything" in line, line
    assert written == devserver.pages_and_feeds()
    offenders = [page for page in devserver.list_pages_of(front) if headline not in devserver.teaser_titles(page)]
    assert offenders == []


def test_a_new_article_shows_on_the_home_page(devserver):
    source, front = devserver.newest_article()
    title = "An article added while the devserver ran"
    new = source.with_name("2099-new-article.md")
    shutil.copy(source, new)
    edit_front_matter(
        new, title=title, slug="added-while-the-devserver-ran", date=front["date"] + datetime.timedelta(minutes=1)
    )
    line, _ = devserver.rebuild()

    assert "wrote everything" in line, line
    assert devserver.teaser_titles("index.html")[0] == title


def test_a_template_edit_writes_everything(themed_devserver):
    devserver, theme = themed_devserver
    footer = theme / "templates" / "partials" / "footer.html"
    footer.write_text(footer.read_text(encoding="utf-8").replace("Archives</a>", "Every article</a>"), encoding="utf-8")
    line, written = devserver.rebuild()

    assert "wrote everything" in line, line
    assert written == devserver.pages_and_feeds()
    html_pages = sorted(page for page in written if page.endswith(".html"))
    offenders = [
        page for page in html_pages if "Every article" not in devserver.parse(page).css_first(".site-footer").text()
    ]
    assert offenders == []


def test_a_stylesheet_edit_shows_on_every_page(themed_devserver):
    devserver, theme = themed_devserver
    stylesheet = theme / "static" / "css" / "site.css"
    stylesheet.write_text(stylesheet.read_text(encoding="utf-8") + "\n.edited-rule{outline:0}\n", encoding="utf-8")
    line, written = devserver.rebuild()

    assert "wrote everything" in line, line
    html_pages = sorted(page for page in written if page.endswith(".html"))
    hrefs = {page: devserver.parse(page).css_first('link[rel="stylesheet"]').attributes["href"] for page in html_pages}
    # The 404 page links from the site's root, the others from their own folder.
    linked = {
        page: devserver.output / href.lstrip("/") if href.startswith("/") else (devserver.output / page).parent / href
        for page, href in hrefs.items()
    }
    offenders = [page for page, css in linked.items() if ".edited-rule" not in css.read_text(encoding="utf-8")]
    assert html_pages and offenders == []


def test_after_rebuilds_every_page_is_what_a_first_build_writes(devserver, tmp_path):
    """What rebuilds keep from earlier builds (checked bodies, related articles, reading times) never leaves a
    page or feed stale: after a topic edit and a body edit, each is byte for byte a first build's."""
    (_, newest), (topic_source, _), (body_source, _) = sorted(
        devserver.fronts.items(), key=lambda item: item[1]["date"]
    )[-3:][::-1]
    edit_front_matter(topic_source, tags=[*newest["tags"], "Topic added while the devserver ran"])
    devserver.rebuild()
    body_source.write_text(f"{body_source.read_text(encoding='utf-8').rstrip()}\n\n{EDITED_SENTENCE}.\n", "utf-8")
    line, _ = devserver.rebuild()
    assert "body-only edit of 1 article" in line, line

    # In a process of its own, which remembers nothing of the devserver's builds.
    fresh, theme = tmp_path / "fresh", devserver.settings["THEME"]
    command = ["-m", "pelican", devserver.content, "-o", fresh, "-s", "devserverconf.py", "-t", theme]
    subprocess.run([sys.executable, *map(str, command), "--cache-path", str(tmp_path / "cache")], cwd=ROOT, check=True)
    pages = devserver.pages_and_feeds()
    offenders = [
        page for page in sorted(pages) if (devserver.output / page).read_bytes() != (fresh / page).read_bytes()
    ]
    assert offenders == []


def test_off_unless_turned_on(tmp_path):
    """The devserver's other settings alone: a body edit writes every page again, and nothing is said."""
    devserver = Devserver(tmp_path, {"INCREMENTAL_REBUILD": False})
    source, _ = devserver.newest_article()
    source.write_text(f"{source.read_text(encoding='utf-8').rstrip()}\n\n{EDITED_SENTENCE}.\n", encoding="utf-8")
    line, written = devserver.rebuild()

    assert line is None
    assert written == devserver.pages_and_feeds()


@pytest.mark.parametrize("settings_file", ["pelicanconf.py", "publishconf.py"])
def test_normal_builds_leave_it_off(settings_file):
    # read_settings() runs pelicanconf.py again as a new module: put the old one
    # back, which the shared devserver's settings (and content cache) refer to.
    with contextlib.chdir(ROOT), mock.patch.dict(sys.modules):
        assert not read_settings(settings_file).get("INCREMENTAL_REBUILD")


# -- What the plugin assumes of the templates ----------------------------------------

# Shown only on an item's own page: its own-page front matter, its body and
# what plugins compute from the body.
OWN_PAGE_ONLY = OWN_PAGE_FIELDS | {"content", "_content", "get_content", "reading_minutes", "word_count", "locator_map"}
# feed_entry.html renders an entry of the feeds that carry the item, which a rebuild writes too.
OWN_PAGES = ("article.html", "page.html", "feed_entry.html")


def templates_included_by(environment, names):
    """``names`` and every template they include, transitively (not those they import)."""
    found, todo = set(), list(names)
    while todo:
        name = todo.pop()
        if name in found:
            continue
        found.add(name)
        tree = environment.parse(environment.loader.get_source(environment, name)[0])
        todo += [node.template.value for node in tree.find_all(nodes.Include) if isinstance(node.template, nodes.Const)]
    return found


def test_own_page_fields_are_read_only_by_the_own_page_templates():
    """A list, feed or sitemap template reading one of them would go stale after a body-only rebuild."""
    folder = ROOT / "theme" / "templates"
    environment = Environment(loader=FileSystemLoader(folder))
    names = {path.relative_to(folder).as_posix() for path in folder.rglob("*.html")}
    included_by_own = templates_included_by(environment, OWN_PAGES)
    # A partial that another page includes too is not the own page's alone.
    own = included_by_own - templates_included_by(environment, names - included_by_own)
    offenders = []
    for name in sorted(names - own):
        tree = environment.parse(environment.loader.get_source(environment, name)[0])
        read = {node.attr for node in tree.find_all(nodes.Getattr)}
        read |= {node.arg.value for node in tree.find_all(nodes.Getitem) if isinstance(node.arg, nodes.Const)}
        offenders += [f"{name}: {field}" for field in sorted(read & OWN_PAGE_ONLY)]
    assert offenders == []
    assert {"article.html", "page.html", "partials/sources.html"} <= own
