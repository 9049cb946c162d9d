"""Printed, a page is its content: no navigation, no search, no skip link; and
an article's sources print with their addresses."""

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


def printed(browser, server, pages):
    """{path: what the page shows when printed}, for every page."""
    shows = {}
    with open_page(browser) as page:
        page.emulate_media(media="print")
        for path in pages:
            visit(page, server + path)
            shows[path] = page.evaluate(PRINTED, WAYFINDING)
    return shows


def test_printed_pages_leave_out_navigation_and_search(browser, server, pages):
    offenders = []
    for path, shows in printed(browser, server, pages).items():
        if not shows["main"]:
            offenders.append(f"{path}: the content does not print")
        offenders += [f"{path}: prints {element}" for element in shows["wayfinding"]]
    assert offenders == [], "\n".join(offenders)


def test_printed_sources_show_their_urls(browser, server, pages):
    with_sources = {path: tree for path, tree in pages.items() if tree.css_first(".sources a[href]")}
    assert with_sources, "no page lists linked sources"
    offenders = []
    for path, shows in printed(browser, server, with_sources).items():
        offenders += [
            f"{path}: {source['href']} prints as {source['after']}"
            for source in shows["sources"]
            if not source["shown"] or source["href"] not in source["after"]
        ]
    assert offenders == [], "\n".join(offenders)
