"""axe-core finds no WCAG 2.2 AA or best-practice violation on any page, at a
phone's and a desktop's width, in the light and the dark colour scheme."""

import pytest

from in_browser import AXE, SCHEMES, WIDTHS, open_page, visit

RULE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]
RUN_AXE = """(tags) => axe.run(document, {
  runOnly: {type: "tag", values: tags},
  resultTypes: ["violations"],
}).then((result) => ({
  rulesRun: result.passes.length + result.violations.length + result.incomplete.length,
  dark: matchMedia("(prefers-color-scheme: dark)").matches,
  violations: result.violations.map((rule) => ({
    id: rule.id, help: rule.help, targets: rule.nodes.map((node) => node.target.join(" ")),
  })),
}))"""


# -- What a screen reader meets: Chromium's accessibility tree ------------------------------

# Landmark roles, as Chromium names them.
LANDMARKS = {"banner", "navigation", "main", "contentinfo", "search", "complementary", "region", "form"}
# Roles whose name is announced on entering them.
NAMED_GROUPS = LANDMARKS | {"list", "group", "figure", "table", "article", "dialog"}
# Marks drawn between items, which mean nothing when read out.
SEPARATORS = {"›", "»", "/", "|", "·", "•"}


def accessibility_tree(page):
    """The nodes Chromium exposes on ``page`` (CDP Accessibility.getFullAXTree),
    in reading order, leaving out the ignored ones: (role, name, url, parent role)."""
    session = page.context.new_cdp_session(page)
    try:
        nodes = session.send("Accessibility.getFullAXTree")["nodes"]
    finally:
        session.detach()
    by_id = {node["nodeId"]: node for node in nodes}
    read = []

    def walk(node, parent_role):
        role = node.get("role", {}).get("value", "")
        # Chromium's boxes for the lines of a text repeat its text.
        if not node.get("ignored") and role != "InlineTextBox":
            properties = {item["name"]: item["value"].get("value") for item in node.get("properties", [])}
            read.append((role, node.get("name", {}).get("value", ""), properties.get("url"), parent_role))
            parent_role = role
        for child in node.get("childIds", []):
            if child in by_id:
                walk(by_id[child], parent_role)

    walk(nodes[0], "")
    return read


def doubled_reading(tree):
    """What a screen reader would say twice, or should not say at all, in ``tree``."""
    problems, last_text, link_targets = [], "", {}
    for role, name, url, parent_role in tree:
        words = " ".join(name.split())
        if role in LANDMARKS and words and words.casefold() == role.casefold():
            problems.append(f'{role} landmark named "{words}": heard as "{words} {role}"')
        if role in NAMED_GROUPS and words and words == last_text:
            problems.append(f'{role} named "{words}" right after the text "{words}"')
        if role == "StaticText" and words in SEPARATORS and parent_role != "ListMarker":
            problems.append(f'the separator "{words}" is read out')
        if role == "link" and url:
            link_targets.setdefault(words, set()).add(url.split("#")[0])
        if role == "StaticText" and words:
            last_text = words
    problems += [f'{len(urls)} links named "{name}" lead to different pages' for name, urls in link_targets.items() if len(urls) > 1]
    return problems


@pytest.fixture(scope="module")
def audited(browser, server, pages):
    """{path: (what the accessibility tree says twice, axe's offenders)}.

    Each page is loaded once: its accessibility tree is read first, then axe
    runs four times, at each width in each scheme."""
    found = {}
    # The site's Content-Security-Policy rightly refuses injected scripts; axe is one.
    with open_page(browser, bypass_csp=True) as page:
        # Given to every load in advance, axe costs about half what adding it to each page does.
        page.add_init_script(path=AXE)
        for path in pages:
            visit(page, server + path)
            doubled = doubled_reading(accessibility_tree(page))
            offenders = []
            for device, width in WIDTHS.items():
                page.set_viewport_size({"width": width, "height": 800})
                for scheme in SCHEMES:
                    page.emulate_media(color_scheme=scheme)
                    result = page.evaluate(RUN_AXE, RULE_TAGS)
                    where = f"{path} ({width} px, {scheme})"
                    assert result["rulesRun"] > 10, f"{where}: axe ran only {result['rulesRun']} rules"
                    assert result["dark"] == (scheme == "dark"), f"{where}: the {scheme} scheme was not applied"
                    offenders += [
                        f"{where}: {rule['id']} ({rule['help']}) at {len(rule['targets'])} elements: "
                        + "; ".join(rule["targets"][:5])
                        for rule in result["violations"]
                    ]
            page.emulate_media(color_scheme="light")
            found[path] = doubled, offenders
    return found


def test_axe_finds_no_violation(audited):
    """At each width, in each scheme."""
    offenders = [offender for _, found in audited.values() for offender in found]
    assert offenders == [], "\n".join(offenders)


def test_the_accessibility_tree_says_nothing_twice(audited):
    """No landmark named after its role ("Search search"), no list named by the
    text just read ("Sections, list Sections"), no links of one name to two
    pages ("Mali" for the section and the topic), no separator read out."""
    offenders = [f"{path}: {problem}" for path, (doubled, _) in audited.items() for problem in doubled]
    assert offenders == [], "\n".join(offenders)
