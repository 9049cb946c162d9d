"""The deploy workflow: valid against GitHub's workflow schema (checked offline by
check-jsonschema), testing every pull request and main once each, publishing
only main, with actions that run on the runners' Node, time limits and caches."""

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from support import ROOT, settings_of

import publishconf

WORKFLOW = ROOT / ".github" / "workflows" / "pages.yml"
CHECK = Path(sys.executable).with_name("check-jsonschema")
# The first major of each action that runs on Node 24: GitHub removed Node 20,
# on which the majors before ran, from its runners in September 2026. An action
# not listed here fails the test until it is.
NODE_24_MAJORS = {
    "actions/checkout": 5,
    "actions/cache": 5,
    "actions/configure-pages": 6,
    # A composite action: v5 is its first to call an upload-artifact that runs on Node 24.
    "actions/upload-pages-artifact": 5,
    "actions/deploy-pages": 5,
}


def validate(path):
    return subprocess.run(
        [str(CHECK), "--builtin-schema", "vendor.github-workflows", str(path)], capture_output=True, text=True
    )


@pytest.fixture(scope="module")
def workflow():
    # PyYAML reads the key `on` as True.
    data = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    return {("on" if key is True else key): value for key, value in data.items()}


def steps_using(job, action):
    return [step for step in job["steps"] if step.get("uses", "").startswith(action + "@")]


def test_the_workflow_is_valid_and_the_check_can_fail(tmp_path):
    result = validate(WORKFLOW)
    assert result.returncode == 0, result.stdout + result.stderr
    broken = tmp_path / "broken.yml"
    shutil.copy(WORKFLOW, broken)
    broken.write_text(broken.read_text(encoding="utf-8").replace("runs-on:", "runs_on:", 1), encoding="utf-8")
    assert validate(broken).returncode != 0


def test_every_pull_request_and_every_push_to_main_runs_make_test_once(workflow):
    assert {"push", "pull_request"} <= set(workflow["on"])
    # A push to a pull request's branch runs it as a pull request only.
    assert workflow["on"]["push"] == {"branches": ["main"]}
    test = workflow["jobs"]["test"]
    assert "if" not in test
    assert [step["run"] for step in test["steps"] if step.get("run", "").startswith("make ")] == ["make test"]


def test_main_alone_is_published_to_github_pages_at_the_address_pages_gives(workflow):
    jobs = workflow["jobs"]
    publish, deploy = jobs["publish"], jobs["deploy"]
    assert "refs/heads/main" in publish["if"] and "pull_request" in publish["if"]
    assert publish["needs"] == "test" and deploy["needs"] == "publish"
    [pages] = steps_using(publish, "actions/configure-pages")
    assert [step["run"] for step in publish["steps"] if "make publish" in step.get("run", "")] == [
        f'make publish SITEURL="${{{{ steps.{pages["id"]}.outputs.base_url }}}}"'
    ]
    [upload] = steps_using(publish, "actions/upload-pages-artifact")
    # With a SITEURL, make publish writes PUBLICDIR (Makefile), never the committed output/.
    assert upload["with"]["path"] == "public"
    assert steps_using(deploy, "actions/deploy-pages")
    # Writing to Pages only where it deploys; the rest reads.
    assert workflow["permissions"] == {"contents": "read"}
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    assert deploy["environment"]["name"] == "github-pages"
    assert deploy["concurrency"]["cancel-in-progress"] is False


def all_steps(workflow):
    return [(name, step) for name, job in workflow["jobs"].items() for step in job["steps"]]


def test_every_action_is_at_a_major_that_runs_on_node_24(workflow):
    used = [step["uses"] for _, step in all_steps(workflow) if "uses" in step]
    assert {use.split("@")[0] for use in used} >= {"actions/checkout", "actions/deploy-pages"}
    offenders = [
        use for use in used if int(use.split("@v")[1].split(".")[0]) < NODE_24_MAJORS.get(use.split("@")[0], 10**6)
    ]
    assert offenders == []


def test_every_job_has_a_time_limit_and_apt_never_asks(workflow):
    assert [name for name, job in workflow["jobs"].items() if not isinstance(job.get("timeout-minutes"), int)] == []
    apt_jobs = [name for name, step in all_steps(workflow) if "apt-get" in step.get("run", "")]
    assert apt_jobs, "make test installs from Debian too"
    assert workflow["env"]["DEBIAN_FRONTEND"] == "noninteractive"


def test_configure_pages_may_read_the_pages_settings(workflow):
    publish = workflow["jobs"]["publish"]
    assert steps_using(publish, "actions/configure-pages")
    assert publish["permissions"] == {"contents": "read", "pages": "read"}


def cached_paths(job):
    return [
        path.strip()
        for step in steps_using(job, "actions/cache")
        for path in step["with"]["path"].splitlines()
        if path.strip()
    ]


def test_downloads_and_share_cards_are_cached(workflow):
    test, publish = workflow["jobs"]["test"], workflow["jobs"]["publish"]
    assert {"~/.cache/pip", "~/.npm", "/var/cache/apt/archives/*.deb"} <= set(cached_paths(test))
    # Debian's images delete what apt downloaded unless told to keep it.
    assert any(
        "docker-clean" in step.get("run", "") and "Keep-Downloaded-Packages" in step.get("run", "")
        for step in test["steps"]
    )
    assert {"~/.cache/pip", "cache/share_cards"} <= set(cached_paths(publish))
    # Pelican's content cache is keyed on file times: never cached (docs/architecture.md).
    assert [path for path in cached_paths(test) + cached_paths(publish) if path.rstrip("/") == "cache"] == []


def test_the_pages_artifact_leaves_out_only_files_github_pages_does_not_read(workflow, site):
    """upload-pages-artifact leaves out dotfiles from v4 on: the build's only
    dotfiles must be host files for other servers."""
    [upload] = steps_using(workflow["jobs"]["publish"], "actions/upload-pages-artifact")
    assert upload["with"].get("include-hidden-files", False) is False
    dotfiles = [path.relative_to(site).as_posix() for path in site.rglob(".*")]
    assert dotfiles and set(dotfiles) <= set(settings_of(publishconf)["TEMPLATE_PAGES"].values())


def test_every_cache_key_hashes_files_that_exist():
    """hashFiles() of a path that matches nothing is empty: the cache would never be renewed."""
    keys = re.findall(r"hashFiles\(([^)]*)\)", WORKFLOW.read_text(encoding="utf-8"))
    patterns = [pattern for key in keys for pattern in re.findall(r"'([^']+)'", key)]
    assert patterns
    assert [pattern for pattern in patterns if not list(ROOT.glob(pattern))] == []
