"""Every page works from the keyboard: the first Tab reaches a skip link that
moves focus to the content, and wherever focus goes it can be seen."""

import pytest
from in_browser import SCHEMES, open_page, script, visit
from support import contrast

# What the element holding focus looks like, and whether it can be seen.
FOCUSED_FUNCTION = """
function focused() {
const el = document.activeElement;
if (!el || el === document.body) return null;
const style = getComputedStyle(el);
// A link that wraps has one box per line: the first line is where focus is seen.
const box = el.getClientRects()[0] || el.getBoundingClientRect();
const x = box.left + box.width / 2, y = box.top + box.height / 2;
const onTop = document.elementFromPoint(x, y);
// The outline is drawn outside the element when its offset is not negative.
let behind = parseFloat(style.outlineOffset) >= 0 ? el.parentElement : el;
while (behind && getComputedStyle(behind).backgroundColor.match(/^rgba\\(.*, 0\\)$/)) behind = behind.parentElement;
return {
  name: describe(el),
  tag: el.tagName.toLowerCase(),
  href: el.getAttribute("href"),
  focusVisible: el.matches(":focus-visible"),
  outlineStyle: style.outlineStyle,
  outlineWidth: parseFloat(style.outlineWidth),
  outlineColor: style.outlineColor,
  background: behind ? getComputedStyle(behind).backgroundColor : "rgb(255, 255, 255)",
  // Chromium scrolls focus into view by whole pixels: up to one may stay outside.
  inViewport: box.width > 1 && box.height > 1 && box.top > -1 && box.left > -1
    && box.bottom < innerHeight + 1 && box.right < innerWidth + 1,
  uncovered: !!onTop && (el === onTop || el.contains(onTop)),
};
}
"""
# The element a Tab reached, kept (in window.__stops) for a look in the other scheme.
FOCUSED = script(
    FOCUSED_FUNCTION
    + """
const found = focused();
if (found) (window.__stops ||= []).push(document.activeElement);
return found;
"""
)


# Focus each element the walk reached again, as a script does, and describe it:
# after a Tab, focus that a script moves still shows as :focus-visible.
REFOCUSED = script(
    FOCUSED_FUNCTION
    + """
return window.__stops.slice(0, arg).map((el) => {
  el.focus();
  return focused();
});
"""
)


def tab_through(page):
    """Press Tab until focus leaves the page or comes round again: each stop, described."""
    seen = []
    while len(seen) < 300:
        page.keyboard.press("Tab")
        focused = page.evaluate(FOCUSED)
        if focused is None or (seen and focused["name"] == seen[0]["name"]):
            break
        seen.append(focused)
    return seen


@pytest.fixture(scope="module")
def walks(browser, server, pages):
    """{path: (Tab stops in each scheme, where the first stop's Enter moves focus)}.

    Each page is loaded once and tabbed through in the light scheme; in the dark
    scheme each stop is focused again in one script, which is the same element
    with the other colours."""
    found = {}
    with open_page(browser, color_scheme="light") as page:
        for path in pages:
            visit(page, server + path)
            stops = {"light": tab_through(page)}
            page.emulate_media(color_scheme="dark")
            stops["dark"] = page.evaluate(REFOCUSED, len(stops["light"]))
            page.emulate_media(color_scheme="light")
            skip_to = None
            if stops["light"]:
                page.evaluate("() => window.__stops[0].focus()")
                page.keyboard.press("Enter")
                skip_to = page.evaluate(
                    "() => document.activeElement.tagName.toLowerCase() + '#' + document.activeElement.id"
                )
            found[path] = stops, skip_to
    return found


def test_first_tab_reaches_a_skip_link_that_moves_focus_to_main(walks):
    offenders = []
    for path, (stops, skip_to) in walks.items():
        first = stops["light"][0] if stops["light"] else None
        if not first or first["tag"] != "a" or not (first["href"] or "").startswith("#"):
            offenders.append(f"{path}: the first Tab reaches {first and first['name']}, not a skip link")
            continue
        if not (first["inViewport"] and first["uncovered"]):
            offenders.append(f"{path}: the skip link {first['name']} is not visible when focused")
        if skip_to != "main" + first["href"]:
            offenders.append(f"{path}: the skip link {first['href']} moves focus to {skip_to}, not to main")
    assert offenders == [], "\n".join(offenders)


@pytest.mark.parametrize("scheme", SCHEMES)
def test_focus_is_always_visible(walks, scheme):
    """Each Tab stop shows an outline of at least 2 px that contrasts 3:1 with
    what is behind it, and is neither off screen nor covered."""
    offenders = []
    for path, (stops, _) in walks.items():
        for focused in stops[scheme]:
            problems = []
            if not focused["focusVisible"]:
                problems.append("does not match :focus-visible")
            if focused["outlineStyle"] == "none" or focused["outlineWidth"] < 2:
                problems.append(f"outline {focused['outlineStyle']} {focused['outlineWidth']}px")
            elif (ratio := contrast(focused["outlineColor"], focused["background"])) < 3:
                problems.append(f"outline contrast {ratio:.2f}:1 on {focused['background']}")
            if not (focused["inViewport"] and focused["uncovered"]):
                problems.append("off screen or covered")
            offenders += [f"{path}: {focused['name']}: {problem}" for problem in problems]
    assert sum(len(stops[scheme]) for stops, _ in walks.values()) > 2 * len(walks), "Tab reached almost nothing"
    assert offenders == [], "\n".join(offenders)
