"""Helpers shared by the tests that load pages in Chromium.

Each check opens one browser context with the options it needs (width, colour
scheme, CSP bypass), visits every page in turn and collects offenders.
"""

from contextlib import contextmanager

from support import ROOT

AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
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


@contextmanager
def open_page(browser, width=WIDTHS["desktop"], height=800, **options):
    """A page in a fresh context; closed again, with its context, afterwards."""
    context = browser.new_context(viewport={"width": width, "height": height}, **options)
    try:
        yield context.new_page()
    finally:
        context.close()
