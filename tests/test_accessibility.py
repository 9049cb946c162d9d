"""axe-core finds no WCAG 2.2 AA or best-practice violation on any page, at a
phone's and a desktop's width, in the light and the dark colour scheme."""

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


def test_axe_finds_no_violation(browser, server, pages):
    """Each page is loaded once and checked four times: at each width, in each scheme."""
    offenders = []
    # The site's Content-Security-Policy rightly refuses injected scripts; axe is one.
    with open_page(browser, bypass_csp=True) as page:
        for path in pages:
            visit(page, server + path)
            page.add_script_tag(path=AXE)
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
    assert offenders == [], "\n".join(offenders)
