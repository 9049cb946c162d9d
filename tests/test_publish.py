"""`make publish` replaces output/ only with a complete build that passed its checks.

Each test runs the real Makefile in a copy of the project in a temporary
folder, with a previous output/ of its own: the real output/ is never touched.
"""

import hashlib
import os
import re
import shutil
import signal
import subprocess
import sys
import time

import pytest
from support import PUBLIC_SITEURL, ROOT

VENV = ROOT / ".venv"
# What a build reads; output/, .git and the installed tools stay behind.
LEFT_BEHIND = shutil.ignore_patterns(
    ".git",
    ".venv",
    "node_modules",
    "output",
    "output.new.*",
    "test-artifacts",
    ".pytest_cache",
    "__pycache__",
    "cache",
    "bench",
    "tests",
)

# A plugin for the copy only: once Pelican has written the whole site into the
# temporary folder, it says so and waits to be killed or released, so that a
# signal or a second publish arrives mid-publish, just before the swap.
HOLD_PLUGIN = """
import os
import time
from pathlib import Path

from pelican import signals


def hold(pelican):
    Path(os.environ["HOLD_MARKER"]).touch()
    while not Path(os.environ["HOLD_MARKER"] + ".release").exists():
        time.sleep(0.05)


def register():
    signals.finalized.connect(hold)
"""


def snapshot(folder):
    """{relative path: sha256} of every file under ``folder``."""
    return {
        path.relative_to(folder).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


@pytest.fixture
def project(tmp_path):
    """A copy of the project with a previous output/ that must survive a failed publish."""
    copy = tmp_path / "project"
    shutil.copytree(ROOT, copy, ignore=LEFT_BEHIND)
    previous = copy / "output"
    (previous / "2023").mkdir(parents=True)
    (previous / "index.html").write_text("<!doctype html><title>The site as published before</title>\n")
    (previous / "2023" / "article.html").write_bytes(b"previous bytes\x00\xff\n")
    return copy


# A shell started with SIGINT ignored cannot trap it, and a test run started in
# the background has it ignored: make starts with SIGINT as a terminal gives it.
WITH_SIGINT = [
    sys.executable,
    "-c",
    "import os, signal, sys; signal.signal(signal.SIGINT, signal.SIG_DFL); os.execvp(sys.argv[1], sys.argv[1:])",
]


def make_publish(project, **env):
    """Start `make publish` in its own process group, as a terminal or CI job would."""
    return subprocess.Popen(
        [*WITH_SIGINT, "make", "--no-print-directory", "publish", f"VENV={VENV}", "-o", f"{VENV}/.build"],
        cwd=project,
        env={**os.environ, "SITEURL": "", "COLUMNS": "200", **env},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )


def leftovers(project):
    """Anything next to output/ that a publish created and should have removed."""
    return sorted(path.name for path in project.iterdir() if path.name.startswith("output") and path.name != "output")


def break_an_article(project):
    """The first article, with a date that does not exist, whatever date it had."""
    article = sorted((project / "content" / "articles").glob("*.md"))[0]
    text = article.read_text(encoding="utf-8")
    broken = re.sub(r"^date: .*$", "date: 2023-13-45", text, count=1, flags=re.M)
    assert broken != text, f"{article.name} has no date line to break"
    article.write_text(broken, encoding="utf-8")
    return article


def test_a_successful_publish_replaces_output(project):
    process = make_publish(project)
    log, _ = process.communicate(timeout=600)
    assert process.returncode == 0, log
    assert "The site as published before" not in (project / "output" / "index.html").read_text(encoding="utf-8")
    assert (project / "output" / "sitemap.xml").is_file()
    assert leftovers(project) == []


def test_a_failed_publish_leaves_output_unchanged(project):
    before = snapshot(project / "output")
    article = break_an_article(project)
    process = make_publish(project)
    log, _ = process.communicate(timeout=600)
    assert process.returncode != 0
    assert f"{article.name}:4: date: found" in log, log
    assert "Traceback" not in log
    assert snapshot(project / "output") == before
    assert leftovers(project) == []


def held_publish(project, marker):
    """A publish that has written the whole new site into its temporary folder, and waits."""
    if not (project / "plugins" / "hold").exists():
        (project / "plugins" / "hold").mkdir()
        (project / "plugins" / "hold" / "__init__.py").write_text(HOLD_PLUGIN)
        with (project / "pelicanconf.py").open("a") as settings:
            settings.write('\nPLUGINS = PLUGINS + ["hold"]\n')
    process = make_publish(project, HOLD_MARKER=str(marker))
    while not marker.exists():
        assert process.poll() is None, process.communicate()[0]
        time.sleep(0.1)
    return process


@pytest.mark.parametrize("sent", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
def test_a_killed_publish_leaves_output_unchanged(project, tmp_path, sent):
    before = snapshot(project / "output")
    process = held_publish(project, tmp_path / "site-written")
    os.killpg(process.pid, sent)
    log, _ = process.communicate(timeout=120)
    assert process.returncode != 0, log
    assert snapshot(project / "output") == before
    assert leftovers(project) == []


def test_a_publish_killed_outright_leaves_a_whole_site_and_the_next_one_tidies_up(project, tmp_path):
    """SIGKILL runs no trap: output/ is still the old site, whole, and the next publish removes what was left."""
    before = snapshot(project / "output")
    process = held_publish(project, tmp_path / "site-written")
    os.killpg(process.pid, signal.SIGKILL)
    process.communicate(timeout=120)
    assert snapshot(project / "output") == before
    assert leftovers(project) != []  # the killed build's folder
    (tmp_path / "site-written.release").touch()
    process = make_publish(project, HOLD_MARKER=str(tmp_path / "site-written"))
    log, _ = process.communicate(timeout=600)
    assert process.returncode == 0, log
    assert (project / "output" / "sitemap.xml").is_file()
    assert leftovers(project) == []


def test_a_second_publish_stops_while_one_runs_and_nothing_nests(project, tmp_path):
    first = held_publish(project, tmp_path / "site-written")
    second = make_publish(project, HOLD_MARKER=str(tmp_path / "site-written"))
    log, _ = second.communicate(timeout=600)
    assert second.returncode != 0
    assert "another publish into output is running" in log, log
    (tmp_path / "site-written.release").touch()
    log, _ = first.communicate(timeout=600)
    assert first.returncode == 0, log
    # The new site took output/'s place: none lies inside it.
    assert (project / "output" / "sitemap.xml").is_file()
    assert not [
        path
        for path in (project / "output").rglob("*")
        if path.name.startswith("output") or path.name == "sitemap.xml" and path.parent != project / "output"
    ]
    assert leftovers(project) == []


@pytest.mark.parametrize("siteurl", ["example.org/news", "//example.org/news", "ftp://example.org/news"])
def test_a_published_address_without_http_stops_the_publish(project, siteurl):
    before = snapshot(project / "output")
    process = make_publish(project, SITEURL=siteurl)
    log, _ = process.communicate(timeout=600)
    assert process.returncode != 0
    assert f'SITEURL: found "{siteurl}"; expected an absolute http(s) address' in log, log
    assert "Traceback" not in log
    assert snapshot(project / "output") == before


def test_a_trailing_slash_on_the_output_folder_publishes_beside_it_not_inside(project):
    process = make_publish(project, OUTPUTDIR="output/")
    log, _ = process.communicate(timeout=600)
    assert process.returncode == 0, log
    assert "The site as published before" not in (project / "output" / "index.html").read_text(encoding="utf-8")
    assert [path.name for path in (project / "output").iterdir() if ".new." in path.name] == []
    assert leftovers(project) == []


# Every documented command but make publish without SITEURL, and the folder it writes.
OTHER_COMMANDS = {
    f"publish SITEURL={PUBLIC_SITEURL}": "public",
    f"serve SITEURL={PUBLIC_SITEURL}": "public",
    "github": "public",
    "rsync_upload": "public",
    "devserver": "preview",
}


@pytest.mark.parametrize(("command", "folder"), OTHER_COMMANDS.items(), ids=OTHER_COMMANDS)
def test_no_other_command_writes_the_committed_output(command, folder):
    """output/ stays exactly as make publish writes it: the other commands build
    into a folder of their own, which git ignores. Read from make's dry run."""
    dry = subprocess.run(
        ["make", "-n", "--no-print-directory", *command.split(), "-o", f"{VENV}/.build"],
        cwd=ROOT, env={**os.environ, "SITEURL": ""}, capture_output=True, text=True,
    )  # fmt: skip
    assert dry.returncode == 0, dry.stderr
    assert "output" not in dry.stdout and re.search(rf"(?<![\w.-]){folder}(?![\w-])", dry.stdout), dry.stdout
    assert f"/{folder}/" in (ROOT / ".gitignore").read_text(encoding="utf-8").splitlines()
