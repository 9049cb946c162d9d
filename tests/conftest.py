"""Shared fixtures: one production build per test session, parsed once.

The build runs Pelican exactly as `make publish` does (publishconf.py,
--fatal warnings) but into a temporary folder, so tests never touch output/.
"""

import functools
import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from selectolax.lexbor import LexborHTMLParser

ROOT = Path(__file__).resolve().parent.parent
PELICAN = Path(sys.executable).with_name("pelican")


def run_pelican(output, settings="publishconf.py", content="content", env=None, cwd=ROOT):
    """Build a site; returns the finished process (check returncode yourself)."""
    return subprocess.run(
        [str(PELICAN), content, "-o", str(output), "-s", settings, "--fatal", "warnings"],
        cwd=cwd,
        env={**os.environ, "SITEURL": "", "COLUMNS": "200", **(env or {})},
        capture_output=True,
        text=True,
    )


@pytest.fixture(scope="session")
def build(tmp_path_factory):
    """The published site, built once: (output folder, Pelican's log)."""
    output = tmp_path_factory.mktemp("site")
    result = run_pelican(output)
    assert result.returncode == 0, result.stdout + result.stderr
    return output, result.stdout + result.stderr


@pytest.fixture(scope="session")
def site(build):
    return build[0]


@pytest.fixture(scope="session")
def pages(site):
    """Every HTML page of the build, parsed once: {relative path: tree}."""
    return {
        path.relative_to(site).as_posix(): LexborHTMLParser(path.read_text(encoding="utf-8"))
        for path in sorted(site.rglob("*.html"))
    }


def read_front_matter(path):
    """The YAML front matter and the Markdown body of a content file."""
    text = Path(path).read_text(encoding="utf-8")
    _, front, body = text.split("---\n", 2)
    return yaml.safe_load(front), body


@functools.cache
def articles():
    """The published articles' front matter, keyed by source file name."""
    return {
        path.name: read_front_matter(path)[0]
        for path in sorted((ROOT / "content" / "articles").glob("*.md"))
    }
