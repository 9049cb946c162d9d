"""Shared fixtures: one production build per test session, parsed once, served once, one browser.

The build runs Pelican exactly as `make publish` does (publishconf.py,
--fatal warnings) but into a temporary folder, so tests never touch output/.
Helpers that are not fixtures live in support.py.
"""

import os
import shutil
import threading
import time
from functools import partial
from http.server import ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from support import (
    CHROMIUM,
    EDITOR_SECTIONS,
    EXTRA_CONTENT,
    PUBLIC_SITEURL,
    ROOT,
    SUB_PATH,
    QuietHandler,
    built_once,
    editor_articles,
    parse_pages,
    run_pelican,
)


@pytest.fixture(scope="session")
def build(tmp_path_factory):
    """The published site, built once: (output folder, Pelican's log)."""
    return built_once(tmp_path_factory, "site", lambda folder: run_pelican(folder / "site"))


@pytest.fixture(scope="session")
def site(build):
    return build[0]


@pytest.fixture(scope="session")
def pages(site):
    """Every HTML page of the build, parsed once: {relative path: tree}."""
    return parse_pages(site)


@pytest.fixture(scope="session")
def server(site, tmp_path_factory):
    """A real HTTP server on loopback with the site at / and again under /news/mali/.

    Yields the root URL, ending in a slash.
    """
    root = tmp_path_factory.mktemp("served")
    shutil.copytree(site, root, dirs_exist_ok=True)
    shutil.copytree(site, root / SUB_PATH)
    yield from serving(root)


def serving(root):
    """Serve ``root`` over HTTP on loopback while the generator runs: its URL."""
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), partial(QuietHandler, directory=str(root)))
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    httpd.shutdown()


@pytest.fixture(scope="session")
def browser():
    """One headless Debian Chromium per test process. Missing is a failure, never a skip."""
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).is_file():
        pytest.fail(f"no Chromium at {CHROMIUM}: run make test, or apt-get install chromium-headless-shell")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        yield chromium
        chromium.close()


# Screenshots for a person to look at; the folder is printed at the end of the run.
SCREENSHOTS = Path(os.environ.get("SCREENSHOTS", ROOT / "test-artifacts" / "screenshots"))
RUN_STARTED = pytest.StashKey[float]()


@pytest.fixture(scope="session")
def screenshots():
    """An empty folder for this run's screenshots."""
    shutil.rmtree(SCREENSHOTS, ignore_errors=True)
    SCREENSHOTS.mkdir(parents=True)
    return SCREENSHOTS


def pytest_configure(config):
    config.stash[RUN_STARTED] = time.time()


def pytest_terminal_summary(terminalreporter, config):
    # Test processes (pytest-xdist) share no state with this one, but the folder.
    taken = [path for path in SCREENSHOTS.glob("*.png") if path.stat().st_mtime >= config.stash[RUN_STARTED]]
    if taken:
        terminalreporter.write_sep("-", f"{len(taken)} screenshots in {SCREENSHOTS}")


# -- The site with the tests' own articles ----------------------------------------------


@pytest.fixture(scope="session")
def extra_build(tmp_path_factory):
    """content/ plus tests/content_extra/ and the editor's articles written from
    the README's template (never published), built for PUBLIC_SITEURL.

    More than one article brings out what a single article cannot show:
    previous/next and related articles, a second article's own map places, and
    a title and summary full of characters that must be escaped; the editor's
    articles, that every valid article passes the site-wide checks.
    Returns (output folder, Pelican's log).
    """

    def make(work):
        content = work / "content"
        shutil.copytree(ROOT / "content", content)
        shutil.copytree(EXTRA_CONTENT / "articles", content / "articles", dirs_exist_ok=True)
        for name, text in editor_articles().items():
            (content / "articles" / name).write_text(text, encoding="utf-8")
        with (content / "data" / "sections.yaml").open("a", encoding="utf-8") as sections:
            sections.write(EDITOR_SECTIONS)
        return run_pelican(work / "site", content=str(content), env={"SITEURL": PUBLIC_SITEURL})

    return built_once(tmp_path_factory, "extra", make)


@pytest.fixture(scope="session")
def extra_server(extra_build, tmp_path_factory):
    """The extra build on a real HTTP server on loopback, at / and again at its
    public path, from which its 404 page links (its stylesheet too)."""
    root = tmp_path_factory.mktemp("extra-served")
    shutil.copytree(extra_build[0], root, dirs_exist_ok=True)
    shutil.copytree(extra_build[0], root / urlsplit(PUBLIC_SITEURL).path.strip("/"))
    yield from serving(root)


@pytest.fixture(scope="session")
def extra_pages(extra_build):
    """Every HTML page of the extra build, parsed once: {relative path: tree}."""
    return parse_pages(extra_build[0])


@pytest.fixture(scope="session", params=["pages", "extra_pages"])
def any_pages(request):
    """The pages of each build in turn, for a site-wide rule: the published
    site, and the one with the tests' and the editor's articles."""
    return request.getfixturevalue(request.param)
