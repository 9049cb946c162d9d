"""Printed, a page is its content: no navigation, no search, no skip link; and
an article's sources print with their addresses."""

import pytest
from in_browser import open_page, script, visit

# Elements for getting around the site, which are no use on paper.
WAYFINDING = "nav, [role=navigation], search, [role=search], form, input, select, textarea, button, .skip-link"

PRINTED = script("""
const shown = (el) => el.checkVisibility({visibilityProperty: true, opacityProperty: true});
return {
  main: shown(document.querySelector("main")),
  wayfinding: [...document.querySelectorAll(arg)].filter(shown).map(describe),
  sources: [...document.querySelectorAll(".sources a[href]")].map((a) => ({
    href: a.getAttribute("href"),
    shown: shown(a),
    after: getComputedStyle(a, "::after").content,
  })),
};
""")


@pytest.fixture(scope="module")
def printed(browser, extra_server, extra_pages):
    """(pages, {path: what the page shows when printed}) for every page, each loaded once.

    Of the extra build: every page and article of the published site is in it
    (print does not depend on SITEURL), and articles there have neighbours."""
    server, pages = extra_server, extra_pages
    shows = {}
    with open_page(browser) as page:
        page.emulate_media(media="print")
        for path in pages:
            visit(page, server + path)
            shows[path] = page.evaluate(PRINTED, WAYFINDING)
    return pages, shows


def test_printed_pages_leave_out_navigation_and_search(printed):
    offenders = []
    for path, shows in printed[1].items():
        if not shows["main"]:
            offenders.append(f"{path}: the content does not print")
        offenders += [f"{path}: prints {element}" for element in shows["wayfinding"]]
    assert offenders == [], "\n".join(offenders)


def test_printed_sources_show_their_urls(printed):
    pages, printed = printed
    with_sources = {path: tree for path, tree in pages.items() if tree.css_first(".sources a[href]")}
    assert with_sources, "no page lists linked sources"
    offenders = []
    for path, shows in [(path, printed[path]) for path in with_sources]:
        offenders += [
            f"{path}: {source['href']} prints as {source['after']}"
            for source in shows["sources"]
            if not source["shown"] or source["href"] not in source["after"]
        ]
    assert offenders == [], "\n".join(offenders)
