"""Every page reflows: nothing scrolls sideways at 320 px (WCAG 1.4.10), text
set twice as large stays whole and readable (WCAG 1.4.4), and so does text
spaced out as WCAG 1.4.12 asks, by a reader's own style under the site's policy."""

import pytest
from in_browser import WIDTHS, open_page, script, visit

# Elements that reach past the left or right edge of the window, unless they
# sit inside a box that scrolls on its own (allowed for wide content).
PAST_THE_EDGES = script("""
const offenders = [];
for (const el of document.body.querySelectorAll("*")) {
  const box = el.getBoundingClientRect();
  if (box.width <= 1 || box.height <= 1) continue;  // visually hidden, or empty
  if (box.left >= -0.5 && box.right <= innerWidth + 0.5) continue;
  let scroller = el.parentElement;
  const scrolls = (box) => ["auto", "scroll"].includes(getComputedStyle(box).overflowX);
  while (scroller && !scrolls(scroller)) scroller = scroller.parentElement;
  if (!scroller || scroller === document.body || scroller === document.documentElement) offenders.push(describe(el));
}
return {scrollWidth: document.documentElement.scrollWidth, innerWidth, offenders: offenders.slice(0, 5)};
""")

# The font size of every element with text of its own, by a stable key. Labels
# inside a drawing (the locator map) scale with the drawing, not with the text;
# the map's key repeats them as text that does.
TEXT_SIZES = script("""
const sizes = {};
document.body.querySelectorAll("*").forEach((el, index) => {
  if (el.closest("svg")) return;
  const ownText = [...el.childNodes].some((n) => n.nodeType === Node.TEXT_NODE && n.textContent.trim());
  if (ownText && el.getClientRects().length) {
    sizes[index + " " + describe(el)] = parseFloat(getComputedStyle(el).fontSize);
  }
});
return sizes;
""")

# Text that a box cuts off, and lines of text that overlap other text.
CLIPPED_OR_OVERLAPPING = script("""
const problems = [];
for (const el of document.body.querySelectorAll("*")) {
  const style = getComputedStyle(el);
  const box = el.getBoundingClientRect();
  if (box.width <= 1 || box.height <= 1 || !el.textContent.trim()) continue;
  if ((style.overflowX !== "visible" && el.scrollWidth > el.clientWidth + 1)
      || (style.overflowY !== "visible" && el.scrollHeight > el.clientHeight + 1)) {
    problems.push("cut off: " + describe(el));
  }
}
// One box per line of text; two lines from different text must not overlap.
// Text inside a box of 1 px or less (visually hidden, for screen readers) is not drawn.
const hidden = (el) => {
  for (; el; el = el.parentElement) {
    const box = el.getBoundingClientRect();
    if ((box.width <= 1 || box.height <= 1) && getComputedStyle(el).overflow !== "visible") return true;
  }
  return false;
};
const lines = [];
const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
while (walker.nextNode()) {
  const node = walker.currentNode;
  if (!node.textContent.trim() || hidden(node.parentElement)) continue;
  const range = document.createRange();
  range.selectNodeContents(node);
  for (const r of range.getClientRects()) if (r.width > 1 && r.height > 1) lines.push({node, r});
}
for (let i = 0; i < lines.length; i++) {
  for (let j = i + 1; j < lines.length; j++) {
    const a = lines[i], b = lines[j];
    if (a.node === b.node) continue;
    // The same words drawn twice in one place (a halo under a map label) are one label.
    const twin = a.node.textContent === b.node.textContent
      && ["left", "top", "right", "bottom"].every((side) => Math.abs(a.r[side] - b.r[side]) < 1);
    if (twin) continue;
    const w = Math.min(a.r.right, b.r.right) - Math.max(a.r.left, b.r.left);
    const h = Math.min(a.r.bottom, b.r.bottom) - Math.max(a.r.top, b.r.top);
    // Line boxes of adjacent lines may touch; a quarter of a line is an overlap.
    if (w > 1 && h > 0.25 * Math.min(a.r.height, b.r.height)) {
      problems.push(`overlap: ${describe(a.node.parentElement)} and ${describe(b.node.parentElement)}`);
    }
  }
}
return problems.slice(0, 5);
""")


DEFAULT_TEXT_PX = 16  # Chromium's default text size, which a reader can change

# WCAG 1.4.12's spacing, added as a reader's bookmarklet can add it under the
# page's Content-Security-Policy: through the CSSOM, which style-src does not
# govern (docs/architecture.md, "Readers' own styles"). Returns a letter's spacing.
TEXT_SPACING = """() => {
  const sheet = new CSSStyleSheet();
  sheet.replaceSync(`* { line-height: 1.5 !important; letter-spacing: 0.12em !important;
      word-spacing: 0.16em !important; }
    p { margin-block-end: 2em !important; }`);
  document.adoptedStyleSheets = [...document.adoptedStyleSheets, sheet];
  return parseFloat(getComputedStyle(document.querySelector("main")).letterSpacing);
}"""


@pytest.fixture(scope="module")
def reflowed(browser, server, pages):
    """{path: what each page shows at 320 px, then at 1280 px with its text at 100 % and
    200 %, then with WCAG 1.4.12's text spacing}.

    Each page is loaded once: the width and the text size change in place, as
    when a reader turns a phone or sets the browser's text size."""
    found = {}
    with open_page(browser) as page:
        session = page.context.new_cdp_session(page)
        for path in pages:
            session.send("Page.setFontSizes", {"fontSizes": {"standard": DEFAULT_TEXT_PX, "fixed": 13}})
            page.set_viewport_size({"width": 320, "height": 640})
            visit(page, server + path)
            shown = {"320px": page.evaluate(PAST_THE_EDGES)}
            page.set_viewport_size({"width": WIDTHS["desktop"], "height": 800})
            shown["before"] = page.evaluate(TEXT_SIZES)
            session.send("Page.setFontSizes", {"fontSizes": {"standard": 2 * DEFAULT_TEXT_PX, "fixed": 26}})
            page.wait_for_function(
                "(size) => parseFloat(getComputedStyle(document.documentElement).fontSize) === size",
                arg=2 * DEFAULT_TEXT_PX,
            )
            shown["after"] = page.evaluate(TEXT_SIZES)
            shown["clipped"] = page.evaluate(CLIPPED_OR_OVERLAPPING)
            shown["200%"] = page.evaluate(PAST_THE_EDGES)
            session.send("Page.setFontSizes", {"fontSizes": {"standard": DEFAULT_TEXT_PX, "fixed": 13}})
            shown["letter spacing"] = page.evaluate(TEXT_SPACING)
            shown["spaced"] = page.evaluate(CLIPPED_OR_OVERLAPPING) + page.evaluate(PAST_THE_EDGES)["offenders"]
            found[path] = shown
    return found


def sideways(path, result):
    if result["scrollWidth"] > result["innerWidth"] or result["offenders"]:
        return [f"{path}: {result['scrollWidth']} px wide; past the edge: {result['offenders']}"]
    return []


def test_nothing_scrolls_sideways_at_320px(reflowed):
    offenders = [offender for path, shown in reflowed.items() for offender in sideways(path, shown["320px"])]
    assert offenders == [], "\n".join(offenders)


def test_text_at_200_percent_stays_readable(reflowed):
    """As a reader who sets the browser's text size to twice the default: every
    text doubles (or reaches twice the default size), nothing is cut off or
    overlaps, nothing scrolls sideways."""
    offenders = []
    for path, shown in reflowed.items():
        before, after = shown["before"], shown["after"]
        assert before and before.keys() == after.keys(), f"{path}: the page changed while its text grew"
        # Headings sized with the window (vw) grow less, but already twice the default is readable.
        offenders += [
            f"{path}: {key.split(' ', 1)[1]} grows from {before[key]} to {after[key]} px only"
            for key in before
            if after[key] < min(2 * before[key], 2 * DEFAULT_TEXT_PX) - 0.5
        ][:5]
        offenders += [f"{path}: {problem}" for problem in shown["clipped"]]
        offenders += sideways(path, shown["200%"])
    assert offenders == [], "\n".join(offenders)


def test_text_spaced_as_wcag_1_4_12_asks_stays_readable(reflowed):
    """Line height 1.5, paragraphs 2 em apart, letters 0.12 em and words 0.16 em:
    applied under each page's own policy, and nothing cut off or overlapping."""
    offenders = []
    for path, shown in reflowed.items():
        if shown["letter spacing"] < 0.12 * DEFAULT_TEXT_PX - 0.1:
            offenders.append(f"{path}: the spacing was not applied")
        offenders += [f"{path}: {problem}" for problem in shown["spaced"]]
    assert offenders == [], "\n".join(offenders)
