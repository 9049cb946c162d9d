"""Helpers shared by the tests that load pages in Chromium.

Each check opens one browser context with the options it needs (width, colour
scheme, CSP bypass), visits every page in turn and collects offenders.
"""

from contextlib import contextmanager

from support import ROOT, SEARCH_QUERY

AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
# What axe checks: WCAG 2.0 to 2.2 at levels A and AA, and its best practices.
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]
# The widths a reader brings: a small phone and a desktop window.
WIDTHS = {"mobile": 375, "desktop": 1280}
SCHEMES = ("light", "dark")

# A short name for an element in a failure message, e.g. a.skip-link "Skip to content".
DESCRIBE = """
const describe = (el) => {
  const name = el.tagName.toLowerCase() + (el.id ? "#" + el.id : "")
    + [...el.classList].map((c) => "." + c).join("");
  const text = (el.textContent || "").trim().replace(/\\s+/g, " ").slice(0, 40);
  return text ? `${name} "${text}"` : name;
};
"""


def script(body):
    """A function for page.evaluate() that can call describe(el)."""
    return "(arg) => {" + DESCRIBE + body + "}"


def visit(page, url):
    """Load a page; where it runs a script, also wait until its requests have
    settled, so that checks see the page the script leaves."""
    page.goto(url)
    if page.locator("script[src]").count():
        page.wait_for_load_state("networkidle")


# The search page once a search has ended: its status line says how it went.
SEARCH_DONE = '[aria-busy="false"]:has(> [role="status"])'
# Every report of a broken content security policy, kept in window.__violations.
RECORD_VIOLATIONS = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__violations.push(`${event.effectiveDirective} blocked ${event.blockedURI || "inline"}`);
});
"""
# An inline style added by a script: what a page's <meta> policy must refuse.
INJECT_STYLE = """() => {
  const s = document.createElement("style");
  s.textContent = "body{color:red}";
  document.head.append(s);
}"""


@contextmanager
def open_page(browser, width=WIDTHS["desktop"], height=800, **options):
    """A page in a fresh context; closed again, with its context, afterwards."""
    context = browser.new_context(viewport={"width": width, "height": height}, **options)
    try:
        yield context.new_page()
    finally:
        context.close()


def violations(browser, urls):
    """(url, what) for every report of a broken policy, by event or in the console."""
    found = []
    with open_page(browser) as page:
        page.add_init_script(RECORD_VIOLATIONS)
        page.on(
            "console",
            lambda message: (
                found.append((page.url, message.text)) if "Content Security Policy" in message.text else None
            ),
        )
        for url in urls:
            visit(page, url)
            if url.endswith(SEARCH_QUERY):
                # Searching loads Pagefind's WebAssembly: wait for results, or
                # for the page to say that search failed.
                page.wait_for_selector('#search-results li, [data-reason="failed"]:not([hidden])')
            found += [(url, report) for report in page.evaluate("window.__violations")]
    return found
