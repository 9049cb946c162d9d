"""The locked requirements: a build set that `make publish` installs, and a dev
set (the build plus the test tools) that `make test` installs. Every pin is
exact and hashed, and the two sets agree on every package they share."""

import re
import subprocess

import pytest
from support import ROOT

REQUIREMENTS = ROOT / "requirements"
PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==(\S+)")


def normal(name):
    return re.sub(r"[-_.]+", "-", name).lower()


def pins(lock):
    """{package: (version, hashes)} of a pip-compile output with --generate-hashes."""
    found, current = {}, None
    for line in (REQUIREMENTS / lock).read_text(encoding="utf-8").splitlines():
        if match := PIN.match(line):
            current = normal(match[1])
            found[current] = (match[2].rstrip(" \\"), [])
        elif current and (hashed := re.search(r"--hash=sha256:([0-9a-f]{64})", line)):
            found[current][1].append(hashed[1])
    return found


def direct(source):
    """The packages a .in file names itself (not through -r or -c)."""
    names = set()
    for line in (REQUIREMENTS / source).read_text(encoding="utf-8").splitlines():
        if match := re.match(r"^([A-Za-z0-9][A-Za-z0-9._-]*)(\[[^\]]*\])?==", line):
            names.add(normal(match[1]))
    return names


@pytest.mark.parametrize("lock", ["build.txt", "dev.txt"])
def test_every_pin_is_exact_and_hashed(lock):
    text = (REQUIREMENTS / lock).read_text(encoding="utf-8")
    unpinned = [
        line for line in text.splitlines() if line and not line.startswith((" ", "#", "-")) and not PIN.match(line)
    ]
    assert not unpinned
    unhashed = [name for name, (_, hashes) in pins(lock).items() if not hashes]
    assert pins(lock) and not unhashed


def test_each_lock_pins_what_its_source_names():
    for source in ("build", "dev"):
        missing = direct(f"{source}.in") - pins(f"{source}.txt").keys()
        assert not missing, f"requirements/{source}.txt lacks {missing}: make lock"


def test_the_build_set_holds_no_test_tool():
    test_tools = direct("dev.in")
    assert {"pytest", "playwright"} <= test_tools
    assert not test_tools & pins("build.txt").keys()


def test_the_dev_set_is_the_build_set_at_the_same_versions_plus_the_test_tools():
    build, dev = pins("build.txt"), pins("dev.txt")
    differ = {
        name: (build[name][0], dev.get(name, ("missing",))[0])
        for name in build
        if build[name][0] != dev.get(name, ("missing",))[0]
    }
    assert not differ


def test_publish_installs_only_the_build_set():
    """What `make publish` would run, read from make's dry run, names build.txt and not dev.txt."""
    dry = subprocess.run(
        ["make", "--dry-run", "--always-make", "publish", "VENV=/nonexistent-venv"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "requirements/build.txt" in dry
    assert "dev.txt" not in dry
