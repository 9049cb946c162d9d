"""The build itself: clean, reproducible, and what output/ holds."""

import os
from pathlib import Path

import jinja2
import pytest
import template_cache as compiled_templates
from support import ROOT, differences, run_pelican


def test_build_logs_no_warnings(build):
    _, log = build
    offenders = [line for line in log.splitlines() if "WARNING" in line or "ERROR" in line]
    assert offenders == []


def test_committed_output_equals_a_fresh_publish(site):
    assert (ROOT / "output" / "index.html").is_file(), "output/ is missing: run make publish"
    assert differences(ROOT / "output", site) == [], "output/ is stale: run make publish and commit it"


def settings_file(folder, lines):
    """publishconf.py with ``lines`` added, as a settings file in ``folder``."""
    settings = folder / "settings.py"
    # Pelican reads relative paths in a settings file from the file's folder.
    settings.write_text(
        "import sys\nsys.path.append('.')\nfrom publishconf import *\n"
        f"PLUGIN_PATHS = [{str(ROOT / 'plugins')!r}]\nTHEME = {str(ROOT / 'theme')!r}\n" + "\n".join(lines) + "\n"
    )
    return str(settings)


def test_a_search_index_that_fails_fails_the_build(tmp_path):
    # Pagefind runs beside the rest of the build; its failure must still count.
    result = run_pelican(
        tmp_path / "site", settings=settings_file(tmp_path, ["SEARCH_INDEX_ARGS = ['--no-such-option']"])
    )
    assert result.returncode != 0
    assert "Pagefind failed" in result.stdout + result.stderr


@pytest.fixture(scope="module")
def template_cache(tmp_path_factory):
    """Two more builds, sharing a cache of compiled templates: (folder, cache)."""
    folder = tmp_path_factory.mktemp("cached")
    cache = folder / "cache"
    settings = settings_file(folder, [f"CACHE_PATH = {str(cache)!r}"])
    for build in ("cold", "warm"):
        result = run_pelican(folder / build, settings=settings)
        assert result.returncode == 0, result.stdout
    return folder, cache


def test_builds_are_byte_identical_with_compiled_templates_cold_or_kept(site, template_cache):
    folder, cache = template_cache
    assert list(cache.rglob("*.cache")), "no compiled template was kept"
    assert differences(site, folder / "cold") == []
    assert differences(site, folder / "warm") == []


def test_templates_compiled_with_other_options_are_not_used(site, template_cache, tmp_path):
    # Jinja's own cache key ignores the options, which change what a template compiles to.
    _, cache = template_cache
    other = settings_file(
        tmp_path, [f"CACHE_PATH = {str(cache)!r}", "JINJA_ENVIRONMENT = {**JINJA_ENVIRONMENT, 'trim_blocks': False}"]
    )
    result = run_pelican(tmp_path / "other", settings=other)
    assert result.returncode == 0, result.stdout
    untrimmed = (tmp_path / "other" / "index.html").read_text(encoding="utf-8")
    assert untrimmed != (site / "index.html").read_text(encoding="utf-8")


def test_templates_compiled_against_other_filters_are_not_used():
    """A filter that takes Jinja's context is called with it by the compiled template: a change either way
    must compile again (a cached template calling a plain filter with the context fails the build)."""
    plain, options = {"tojson": lambda value: value}, {"autoescape": True}
    taking_context = {"tojson": jinja2.pass_eval_context(lambda context, value: value)}
    folder = compiled_templates.cache_folder
    assert folder("c", options, plain) == folder("c", options, dict(plain))
    assert folder("c", options, plain) != folder("c", options, taking_context)
    assert folder("c", options) != folder("c", options, plain)
    assert folder("c", options, tests={"odd": jinja2.pass_context(lambda c, v: v)}) != folder("c", options)


def test_the_only_stylesheets_written_are_the_ones_pages_link(site, pages):
    """The readable sources in theme/static/css are not copied; no page links a missing file."""
    written = {path.relative_to(site).as_posix() for path in site.rglob("*.css")}
    linked = {
        os.path.normpath(href.lstrip("/") if href.startswith("/") else Path(path).parent / href)
        for path, tree in pages.items()
        for href in [node.attributes["href"] for node in tree.css('link[rel="stylesheet"]')]
    }
    assert written and written == linked
