"""Every page, stylesheet and icon of the build is valid to the Nu HTML Checker.

vnu.jar runs once, over every file, together with two canaries that are
invalid on purpose: if the checker's report could not be read, the canary
test fails instead of every other test passing on an empty report.
"""

import json
import subprocess
from pathlib import Path
from urllib.parse import unquote, urlparse

import pytest

from conftest import ROOT

VNU = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
CHECKED = ("*.html", "*.css", "*.svg")
CANARIES = {
    "canary.html": "<!doctype html><html lang=en><title>Canary</title><img src=canary.png>",
    "canary.css": "p { colr: red; }",
}

# Warnings we keep on purpose, each with the reason.
LIST_ROLE = (
    "Our lists without bullets (navigation, breadcrumbs, teasers, topics) carry "
    'role="list" because Safari with VoiceOver stops announcing a list as a list '
    "once its bullets are removed with list-style: none."
)
KEPT_WARNINGS = {
    "The “list” role is unnecessary for element “ul”.": LIST_ROLE,
    "The “list” role is unnecessary for element “ol”.": LIST_ROLE,
}


@pytest.fixture(scope="session")
def vnu_report(site, tmp_path_factory):
    """{file relative to the site (or canary name): [message, ...]} for every file checked."""
    canaries = tmp_path_factory.mktemp("canaries")
    for name, text in CANARIES.items():
        (canaries / name).write_text(text, encoding="utf-8")
    files = sorted(path for pattern in CHECKED for path in site.rglob(pattern))
    assert files, f"nothing to check in {site}"
    result = subprocess.run(
        ["java", "-jar", str(VNU), "--format", "json", "--stdout", "--also-check-css", "--also-check-svg",
         *map(str, files), *(str(canaries / name) for name in CANARIES)],
        capture_output=True,
        text=True,
    )
    report = {path.relative_to(site).as_posix(): [] for path in files}
    report.update({name: [] for name in CANARIES})
    for message in json.loads(result.stdout)["messages"]:
        file = Path(unquote(urlparse(message.get("url", "")).path))
        key = file.name if file.parent == canaries else file.relative_to(site).as_posix()
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
    offenders = [
        describe(path, message)
        for path in checked
        for message in vnu_report[path]
        if message["message"] not in KEPT_WARNINGS
    ]
    assert offenders == [], "\n".join(offenders)
