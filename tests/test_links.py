"""Every internal link, asset and #fragment resolves wherever the site is hosted:
at a domain root, under a sub-path, and opened from disk."""

import functools
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import unquote, urldefrag, urljoin, urlparse

import pytest
from selectolax.lexbor import LexborHTMLParser
from support import SUB_PATH, references

# Served at any missing address, so its links start from the site's path:
# tests/test_servers.py follows them on real servers.
SERVED_ANYWHERE = {"404.html"}


def internal_references(pages):
    """(page, reference) for every reference that stays on this site."""
    for path, tree in pages.items():
        if path in SERVED_ANYWHERE:
            continue
        for ref in references(tree):
            if not urlparse(ref).scheme and not ref.startswith("//"):
                yield path, ref


@functools.cache
def ids_in(text):
    return {node.attributes["id"] for node in LexborHTMLParser(text).css("[id]")}


def fragment_missing(body, fragment, content_type):
    if not fragment or "html" not in content_type:
        return False  # fragments into SVG sprites are checked by the browser tests
    return unquote(fragment) not in ids_in(body)


@pytest.mark.parametrize("base", ["", SUB_PATH], ids=["root", "sub-path"])
def test_every_internal_reference_resolves_over_http(pages, server, base):
    assert len(list(internal_references(pages))) > 10 * len(pages)
    offenders = []
    for path, ref in internal_references(pages):
        url, fragment = urldefrag(urljoin(server + base + path, ref))
        try:
            with urllib.request.urlopen(url) as response:
                body = response.read().decode("utf-8", "replace")
                if fragment_missing(body, fragment, response.headers.get("Content-Type", "")):
                    offenders.append((path, ref, "no such #id"))
        except urllib.error.HTTPError as error:
            offenders.append((path, ref, error.code))
    assert offenders == []


@pytest.mark.parametrize(("built", "built_pages"), [("build", "pages"), ("extra_build", "extra_pages")])
def test_every_internal_reference_resolves_from_disk(request, built, built_pages):
    """From file:// a folder is no page: every link must name a file. On both builds."""
    site, pages = request.getfixturevalue(built)[0], request.getfixturevalue(built_pages)
    offenders = []
    for path, ref in internal_references(pages):
        target, fragment = urldefrag(urljoin((site / path).as_uri(), ref))
        file = Path(unquote(urlparse(target).path))
        if not file.is_file():
            offenders.append((path, ref, "not a file"))
        elif file.suffix == ".html" and fragment_missing(file.read_text(encoding="utf-8"), fragment, "html"):
            offenders.append((path, ref, "no such #id"))
    assert offenders == []


def test_no_page_links_to_the_domain_root(any_pages):
    """A link starting with / breaks under a sub-path and from disk."""
    offenders = [(path, ref) for path, ref in internal_references(any_pages) if ref.startswith("/")]
    assert offenders == []
