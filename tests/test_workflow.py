"""The deploy workflow: valid against GitHub's workflow schema (checked offline by
check-jsonschema), testing every push and pull request, publishing only main."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from support import ROOT

WORKFLOW = ROOT / ".github" / "workflows" / "pages.yml"
CHECK = Path(sys.executable).with_name("check-jsonschema")


def validate(path):
    return subprocess.run([str(CHECK), "--builtin-schema", "vendor.github-workflows", str(path)], capture_output=True, text=True)


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


def test_every_push_and_pull_request_runs_make_test(workflow):
    assert {"push", "pull_request"} <= set(workflow["on"])
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
