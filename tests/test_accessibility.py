"""axe-core finds no WCAG 2.2 AA or best-practice violation on any page, at a
phone's and a desktop's width, in the light and the dark colour scheme; pa11y
(HTML CodeSniffer) finds no error and only the warnings docs/testing.md keeps.
Chromium's accessibility tree says nothing twice, and listings read as words.
The map's borders and the timeline's markers in forced colours are checked as drawn."""

import json
import shutil
import subprocess
from itertools import combinations, pairwise
from urllib.parse import urlencode

import pytest
from in_browser import AXE, AXE_TAGS, SCHEMES, SEARCH_DONE, WIDTHS, open_page, visit
from support import CHROMIUM, ROOT, SEARCH_PAGE, articles, contrast

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
    problems += [
        f'{len(urls)} links named "{name}" lead to different pages'
        for name, urls in link_targets.items()
        if len(urls) > 1
    ]
    return problems


# A listing's line of details (home, section, topic, related articles, search
# results), which names the section; a line of a month's archive, which does not.
DETAILS_LINES, ARCHIVE_LINES = ".teasers h2 + p, .teasers h3 + p", ".archive-list li"
SECTIONS = {name for article in articles().values() for name in article.get("categories", [])}


def spoken_lines(page, selector):
    """For each element matching ``selector``, the pieces of text Chromium's
    accessibility tree gives a screen reader, in reading order."""
    session = page.context.new_cdp_session(page)
    try:
        root = session.send("DOM.getDocument", {"depth": 0})["root"]["nodeId"]
        found = session.send("DOM.querySelectorAll", {"nodeId": root, "selector": selector})["nodeIds"]
        wanted = [session.send("DOM.describeNode", {"nodeId": node})["node"]["backendNodeId"] for node in found]
        nodes = session.send("Accessibility.getFullAXTree")["nodes"]
    finally:
        session.detach()
    by_id = {node["nodeId"]: node for node in nodes}
    by_element = {node.get("backendDOMNodeId"): node for node in nodes}

    def pieces(node):
        if node.get("role", {}).get("value") == "StaticText" and not node.get("ignored"):
            return [node.get("name", {}).get("value", "")]
        return [piece for child in node.get("childIds", []) if child in by_id for piece in pieces(by_id[child])]

    return [pieces(by_element[element]) for element in wanted if element in by_element]


def run_together(lines, with_section):
    """What a screen reader would run together in ``lines`` (lists of pieces, as
    spoken_lines gives them): two words with nothing between them; and, for
    lines ``with_section``, a section not introduced as one. Screen readers join
    the pieces of a line as they are."""
    problems = []
    for line in lines:
        text = " ".join("".join(line).split())
        problems += [
            f'"{text}": "{left}" and "{right}" run together'
            for left, right in pairwise(line)
            if left and right and left[-1].isalnum() and right[0].isalnum()
        ]
        if with_section and not any(text.endswith(f"; Section: {name}") for name in SECTIONS):
            problems.append(f'"{text}": no section named as one')
    return problems


@pytest.fixture(scope="module")
def audited(browser, server, pages):
    """{path: (what the accessibility tree says twice, axe's offenders, (how many
    listing lines it has, what they run together))}.

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
            details, archive = spoken_lines(page, DETAILS_LINES), spoken_lines(page, ARCHIVE_LINES)
            lines = len(details) + len(archive), run_together(details, True) + run_together(archive, False)
            offenders = []
            for width in WIDTHS.values():
                page.set_viewport_size({"width": width, "height": 800})
                for scheme in SCHEMES:
                    page.emulate_media(color_scheme=scheme)
                    result = page.evaluate(RUN_AXE, AXE_TAGS)
                    where = f"{path} ({width} px, {scheme})"
                    assert result["rulesRun"] > 10, f"{where}: axe ran only {result['rulesRun']} rules"
                    assert result["dark"] == (scheme == "dark"), f"{where}: the {scheme} scheme was not applied"
                    offenders += [
                        f"{where}: {rule['id']} ({rule['help']}) at {len(rule['targets'])} elements: "
                        + "; ".join(rule["targets"][:5])
                        for rule in result["violations"]
                    ]
            page.emulate_media(color_scheme="light")
            found[path] = doubled, offenders, lines
    return found


def test_axe_finds_no_violation(audited):
    """At each width, in each scheme."""
    offenders = [offender for _, found, _ in audited.values() for offender in found]
    assert offenders == [], "\n".join(offenders)


def test_the_accessibility_tree_says_nothing_twice(audited):
    """No landmark named after its role ("Search search"), no list named by the
    text just read ("Sections, list Sections"), no links of one name to two
    pages ("Mali" for the section and the topic), no separator read out."""
    offenders = [f"{path}: {problem}" for path, (doubled, _, _) in audited.items() for problem in doubled]
    assert offenders == [], "\n".join(offenders)


def test_every_listing_reads_as_words_and_names_its_section(audited, pages):
    """Each listing's line of details, as Chromium's accessibility tree gives it:
    its items apart ("16 June 2023; dpa, …; Section: Mali"), the section named as one."""
    # The tree exposes the lines of every page that has them.
    listed = {path for path, (_, _, (count, _)) in audited.items() if count}
    assert listed and listed == {
        path for path, tree in pages.items() if tree.css_first(f"{DETAILS_LINES}, {ARCHIVE_LINES}")
    }
    offenders = [f"{path}: {problem}" for path, (_, _, (_, problems)) in audited.items() for problem in problems]
    assert offenders == [], "\n".join(offenders)


def test_every_search_result_reads_as_words_and_names_its_section(browser, server):
    """The same for search results: each article searched for by its headline."""
    offenders, seen = [], 0
    with open_page(browser) as page:
        for article in articles().values():
            page.goto(server + SEARCH_PAGE + "?" + urlencode({"q": article["title"]}))
            page.wait_for_selector(SEARCH_DONE)
            lines = spoken_lines(page, "#search-results h3 + p")
            seen += len(lines)
            offenders += run_together(lines, True)
    assert seen >= len(articles())
    assert offenders == [], "\n".join(offenders)


# -- What is drawn: the map's borders, the timeline's markers in forced colours ----------

BASE_LAYER = "() => document.querySelector('.locator-map__base').currentSrc"
LAND = """() => [...document.querySelectorAll(".land")].map((land) => {
  const style = getComputedStyle(land);
  return [land.classList.contains("focus"), style.stroke, style.fill];
})"""


def test_the_maps_borders_contrast_3_to_1_with_the_land_on_either_side(browser, server, pages):
    """WCAG 1.4.11: a border between two neighbours against their land; the
    shaded country's own border against its land and its neighbours', in the
    shared base layer each colour scheme shows, whose sea is the page's background."""
    paths = [path for path, tree in pages.items() if tree.css_first(".locator-map__base")]
    assert paths
    offenders = []
    with open_page(browser) as page:
        for path in paths:
            for scheme in SCHEMES:
                page.emulate_media(color_scheme=scheme)
                visit(page, server + path)
                background = page.evaluate("getComputedStyle(document.body).backgroundColor")
                visit(page, page.evaluate(BASE_LAYER))
                lands = page.evaluate(LAND)
                assert len(lands) == 2, path
                # The layer of the scheme shown: its sea is the page's background.
                sea = page.evaluate("getComputedStyle(document.querySelector('rect')).fill")
                if sea != background:
                    offenders.append(f"{path} ({scheme}): sea {sea} on a page of {background}")
                fills = {False: {fill for focus, _, fill in lands if not focus}, True: {fill for _, _, fill in lands}}
                offenders += [
                    f"{path} ({scheme}): border {stroke} on {fill}: {ratio:.2f}:1"
                    for focus, stroke, _ in lands
                    for fill in fills[focus]
                    if (ratio := contrast(stroke, fill)) < 3
                ]
    assert offenders == []


MARKERS = """() => Object.fromEntries([...document.querySelectorAll(".timeline__list > li")].map((entry) => {
  const style = getComputedStyle(entry, "::before");
  return [entry.dataset.kind, [style.backgroundColor, style.borderTopColor, style.borderRadius].join(" ")];
}))"""


def test_in_forced_colours_the_timelines_kinds_of_entry_still_look_different(browser, server, pages):
    """Forced colours drop backgrounds: markers that differ in colours (filled
    "From the report", hollow "Background") must not become alike."""
    paths = [path for path, tree in pages.items() if tree.css_first(".timeline__list > li")]
    assert paths
    offenders = []
    with open_page(browser) as page:
        for path in paths:
            visit(page, server + path)
            looks = {}
            for forced in ("none", "active"):
                page.emulate_media(forced_colors=forced)
                looks[forced] = page.evaluate(MARKERS)
            assert looks["none"] != looks["active"], "forced colours were not applied"
            offenders += [
                f"{path}: {one} and {other}"
                for one, other in combinations(sorted(looks["none"]), 2)
                if looks["none"][one] != looks["none"][other] and looks["active"][one] == looks["active"][other]
            ]
    assert offenders == []


# -- A second rule engine: pa11y with HTML CodeSniffer -------------------------------------

PA11Y = ROOT / "tests" / "pa11y_pages.cjs"


def kept(issue):
    """pa11y's warnings we keep, each explained in docs/testing.md ("pa11y's warnings")."""
    code, context = issue["code"], issue["context"]
    # Text that is never seen: its colour is no contrast anyone reads.
    if code.endswith((".G18.Abs", ".G145.Abs")) and 'class="visually-hidden"' in context:
        return True
    # The map's shared base layer, under the inline SVG that names the map.
    if code.endswith(".H67.2") and 'class="locator-map__base"' in context:
        return True
    # One flat list of sections, or of topics: there are no groups to mark.
    return code.endswith(".H85.2") and context.startswith("<select")


def test_pa11y_finds_no_error_on_any_page_and_only_the_warnings_we_keep(server, pages):
    """WCAG 2 AA, on every page and on the search page showing results."""
    if not shutil.which("node") or not (ROOT / "node_modules" / "pa11y").is_dir():
        pytest.fail("no pa11y: run make test (npm ci)")
    checked = [{"url": server + path, "actions": []} for path in sorted(pages)]
    checked.append(
        {
            "url": server + SEARCH_PAGE + "?" + urlencode({"q": next(iter(articles().values()))["title"]}),
            "actions": ["wait for element #search-results li to be added"],
        }
    )
    run = subprocess.run(
        ["node", str(PA11Y), CHROMIUM, json.dumps(checked)], capture_output=True, text=True, cwd=ROOT, timeout=600
    )
    assert run.returncode == 0, run.stderr
    found = json.loads(run.stdout)
    assert sorted(found) == sorted(page["url"] for page in checked)
    offenders = [
        f"{url.removeprefix(server)}: {issue['type']} {issue['code']} at {issue['selector']}: {issue['message']}"
        for url, issues in found.items()
        for issue in issues
        if issue["type"] == "error" or not kept(issue)
    ]
    assert offenders == [], "\n".join(offenders)


def test_no_abbreviation_is_underlined_as_a_link_is(browser, server, pages):
    """An <abbr title>'s dotted underline passes for a link; its expansion is in
    its title and, in our own text, written out at first use."""
    paths = [path for path, tree in pages.items() if tree.css_first("abbr")]
    assert paths
    offenders = []
    with open_page(browser) as page:
        for path in paths:
            visit(page, server + path)
            lines = page.eval_on_selector_all(
                "abbr", "all => all.map((abbr) => getComputedStyle(abbr).textDecorationLine)"
            )
            offenders += [f"{path}: an abbreviation drawn with {line}" for line in lines if line != "none"]
    assert offenders == []
