"""axe-core finds no WCAG 2.2 AA or best-practice violation on any page, at a
phone's and a desktop's width, in the light and the dark colour scheme."""

import pytest

from in_browser import AXE, SCHEMES, WIDTHS, open_page

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


@pytest.mark.parametrize("scheme", SCHEMES)
@pytest.mark.parametrize("width", WIDTHS.values(), ids=WIDTHS.keys())
def test_axe_finds_no_violation(browser, server, pages, width, scheme):
    offenders = []
    # The site's Content-Security-Policy rightly refuses injected scripts; axe is one.
    with open_page(browser, width, color_scheme=scheme, bypass_csp=True) as page:
        for path in pages:
            page.goto(server + path)
            page.add_script_tag(path=AXE)
            result = page.evaluate(RUN_AXE, RULE_TAGS)
            assert result["rulesRun"] > 10, f"{path}: axe ran only {result['rulesRun']} rules"
            assert result["dark"] == (scheme == "dark"), f"{path}: the {scheme} scheme was not applied"
            offenders += [
                f"{path}: {rule['id']} ({rule['help']}) at {len(rule['targets'])} elements: "
                + "; ".join(rule["targets"][:5])
                for rule in result["violations"]
            ]
    assert offenders == [], "\n".join(offenders)
