"""The host files let browsers keep a year exactly the folders of files named after their
content, wherever ``THEME_STATIC_DIR`` puts them (the plugins that write them say where)."""

import re

import pytest
from support import content_hashed, run_pelican

from pelicanconf import HASHED_CACHE_CONTROL


def cached_folders(site):
    """{host file: the folders whose files it lets browsers keep a year}."""
    headers = (site / "_headers").read_text(encoding="utf-8")
    found = {
        "_headers": set(re.findall(rf"^/(\S+)/\*\n  Cache-Control: {re.escape(HASHED_CACHE_CONTROL)}$", headers, re.M))
    }
    for name in (".htaccess", "nginx-locations.conf"):
        found[name] = set(re.search(r"\^\S*/\(([^)]*)\)/", (site / name).read_text(encoding="utf-8"))[1].split("|"))
    return found


@pytest.fixture(scope="module", params=["as published", "assets/static"])
def built(request, site, tmp_path_factory):
    if request.param == "as published":
        return site
    output = tmp_path_factory.mktemp("static-dir") / "site"
    result = run_pelican(output, "pelicanconf.py", extra_settings={"THEME_STATIC_DIR": request.param})
    assert result.returncode == 0, result.stdout + result.stderr
    return output


def test_every_host_file_caches_the_folders_of_content_named_files_and_no_other(built):
    folders = {path.rsplit("/", 1)[0] for path in content_hashed(built)}
    assert {path.rsplit(".", 1)[1] for path in content_hashed(built)} >= {"css", "svg"}
    assert cached_folders(built) == dict.fromkeys(["_headers", ".htaccess", "nginx-locations.conf"], folders)
