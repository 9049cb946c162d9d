"""Every page and icon of the build, and every stylesheet it inlines, is valid to the Nu HTML Checker.

vnu.jar runs once over everything. Pages are checked as served, over HTTP, so
that it judges their Content-Security-Policy for the origin they will have;
stylesheets (their sources in the theme) and icons are checked as files. Two canaries, invalid on purpose,
are checked with them: if the checker's report could not be read, the canary
test fails instead of every other test passing on an empty report.
"""

import json
import subprocess
from pathlib import Path
from urllib.parse import unquote, urlparse

import pytest
from support import ROOT

VNU = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
STYLESHEETS = ROOT / "theme" / "static" / "css"
CANARIES = {
    "canary.html": "<!doctype html><html lang=en><title>Canary</title><img src=canary.png>",
    "canary.css": "p { colr: red; }",
}

# Warnings we keep on purpose: (message, how the flagged markup starts, why).
LIST_ROLE = (
    "Our lists without bullets (navigation, breadcrumbs, teasers, topics) carry "
    'role="list" because Safari with VoiceOver stops announcing a list as a list '
    "once its bullets are removed with list-style: none."
)
DATA_BLOCK = (
    "The checker applies script-src to JSON-LD, but a script of type "
    "application/ld+json is a data block that browsers never run, so CSP does "
    "not govern it. (test_clean_load.py shows Chromium reports no violation.)"
)
KEPT_WARNINGS = [
    ("The “list” role is unnecessary for element “ul”.", "<ul", LIST_ROLE),
    ("The “list” role is unnecessary for element “ol”.", "<ol", LIST_ROLE),
    (
        "Inline script violates Content Security Policy (meta tag): blocked by “script-src” directive "
        "(missing “‘unsafe-inline’” or nonce/hash).",
        '<script type="application/ld+json">',
        DATA_BLOCK,
    ),
]


def kept(message):
    start = message.get("hiliteStart", 0)
    flagged = message.get("extract", "")[start : start + message.get("hiliteLength", 0)]
    return message.get("subType") == "warning" and any(
        message["message"] == text and flagged.startswith(markup) for text, markup, _ in KEPT_WARNINGS
    )


@pytest.fixture(scope="session")
def vnu_report(site, server, tmp_path_factory):
    """{path in the site (or canary name): [message, ...]} for every page and file checked."""
    canaries = tmp_path_factory.mktemp("canaries")
    for name, text in CANARIES.items():
        (canaries / name).write_text(text, encoding="utf-8")
    pages = sorted(path.relative_to(site).as_posix() for path in site.rglob("*.html"))
    files = {path.relative_to(site).as_posix(): path for path in sorted(site.rglob("*.svg"))}
    files |= {path.relative_to(ROOT).as_posix(): path for path in sorted(STYLESHEETS.glob("*.css"))}
    assert pages and files, f"nothing to check in {site}"
    result = subprocess.run(
        # The checker refuses loopback addresses unless told that they are wanted.
        # A run this short spends most of its time compiling the checker: Java's
        # quick compiler alone halves that, with a thread stack deep enough for it.
        [
            "java",
            "-XX:TieredStopAtLevel=1",
            "-Xss8m",
            "-Dnu.validator.servlet.allow-forbidden-hosts=true",
            "-jar",
            str(VNU),
            "--format",
            "json",
            "--stdout",
            "--also-check-css",
            "--also-check-svg",
            *(server + page for page in pages),
            *map(str, files.values()),
            *(str(canaries / name) for name in CANARIES),
        ],
        capture_output=True,
        text=True,
    )
    report = {path: [] for path in [*pages, *files, *CANARIES]}
    named = {path.resolve(): key for key, path in files.items()}
    for message in json.loads(result.stdout)["messages"]:
        url = message.get("url", "")
        if url.startswith(server):
            key = url.removeprefix(server)
        else:
            file = Path(unquote(urlparse(url).path))
            key = file.name if file.parent == canaries else named[file.resolve()]
        report[key].append(message)
    return report


def describe(path, message):
    kind = message.get("subType") or message["type"]
    return f"{path}:{message.get('lastLine', '?')}: {kind}: {message['message']}"


def test_the_checker_reports_what_is_invalid(vnu_report):
    assert any("alt" in message["message"] for message in vnu_report["canary.html"]), vnu_report["canary.html"]
    assert any("colr" in message["message"] for message in vnu_report["canary.css"]), vnu_report["canary.css"]


@pytest.mark.parametrize("suffix", [".html", ".css", ".svg"])
def test_no_errors_and_no_warnings(vnu_report, suffix):
    checked = [path for path in vnu_report if path.endswith(suffix) and path not in CANARIES]
    assert checked, f"no {suffix} file was checked"
    offenders = [describe(path, message) for path in checked for message in vnu_report[path] if not kept(message)]
    assert offenders == [], "\n".join(offenders)
