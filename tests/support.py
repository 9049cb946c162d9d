"""Helpers the tests share: where things are, how to build, how to read content."""

import fcntl
import filecmp
import functools
import os
import subprocess
import sys
from http.server import SimpleHTTPRequestHandler
from pathlib import Path

import jinja2
import yaml
from selectolax.lexbor import LexborHTMLParser

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


def run_pelican(output, settings="publishconf.py", content="content", env=None, cwd=ROOT):
    """Build a site; returns the finished process (check returncode yourself)."""
    return subprocess.run(
        [str(PELICAN), content, "-o", str(output), "-s", settings, "--fatal", "warnings"],
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


def settings_of(module):
    """A settings module's settings, {NAME: value}, without Pelican's defaults."""
    return {name: value for name, value in vars(module).items() if name.isupper()}


def theme_environment(settings, *loaders):
    """The theme's templates with the settings' Jinja options and filters, as Pelican
    loads them, ``loaders`` first: to render a template without a build."""
    loader = jinja2.ChoiceLoader([*loaders, jinja2.FileSystemLoader(str(ROOT / "theme" / "templates"))])
    environment = jinja2.Environment(loader=loader, **settings["JINJA_ENVIRONMENT"])
    environment.filters.update(settings["JINJA_FILTERS"])
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
    return {
        path.name: read_front_matter(path)[0]
        for path in sorted((ROOT / "content" / "articles").glob("*.md"))
    }


@functools.cache
def extra_articles():
    """Front matter of every article in the extra build, keyed by source file name."""
    return {
        **articles(),
        **{path.name: read_front_matter(path)[0] for path in sorted((EXTRA_CONTENT / "articles").glob("*.md"))},
    }


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
