"""The test suite's time against the suite of an earlier commit, back to back.

    python bench/test_suite.py [--base 1e70ec9] [--rounds 3]

Clones the base commit into the system's temporary folder (outside this
project, whose pytest.ini it must not find; kept for the next run) and sets it
up as its own ``make test`` would: a virtual environment from its pins and its
validators (``npm ci``). Today's runs need what ``make test`` installs; the
base's browser tests, and one run here, Debian's whole Chromium (``make
chromium``). Each round runs, in an order that turns by one each round:

- *before*: the base's suite, as it was;
- *now*: today's tests in the files the base had, with those that other
  changes added to them since (so the ratio, if anything, flatters the base);
- *now, whole browser*: the same with Debian's whole Chromium instead of its
  headless shell;
- *all*: today's whole suite, files added since included.

Each run is ``CI=true pytest -q -p no:cacheprovider`` with the settings of its
own commit, timed as wall time and as the whole machine's busy CPU (from
/proc/stat, which counts the browser's processes that rusage misses), so run it
on an otherwise quiet machine: the load average at the start of each run is
printed. SIGINT is reset to its default: started from a background job it is
ignored, and the base's test_publish then waits 120 s for ``make`` to stop.
"""

import argparse
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from harness import ROOT, median

WHOLE_BROWSER = "/usr/bin/chromium"
# Each suite runs the browser its commit chooses, unless told otherwise below.
QUIET_ENV = {name: value for name, value in os.environ.items() if name != "CHROMIUM"}


def git(*args, cwd=ROOT):
    return subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True, text=True).stdout


def base_checkout(base):
    """A set-up clone of the base commit."""
    folder = Path(tempfile.gettempdir()) / f"sahel-desk-suite-{base}"
    if not (folder / ".ready").exists():
        shutil.rmtree(folder, ignore_errors=True)  # a clone that never finished setting up
        git("clone", "--quiet", "--no-checkout", str(ROOT), str(folder))
        git("checkout", "--quiet", base, cwd=folder)
        subprocess.run([sys.executable, "-m", "venv", ".venv"], cwd=folder, check=True)
        subprocess.run([".venv/bin/pip", "install", "--quiet", "-r", "requirements.txt"], cwd=folder, check=True)
        subprocess.run(["npm", "ci", "--ignore-scripts", "--no-audit", "--no-fund", "--silent"], cwd=folder, check=True)
        (folder / ".ready").touch()
    return folder


def collected(folder, files):
    """How many tests pytest collects from ``files`` in ``folder``."""
    out = subprocess.run(
        [".venv/bin/pytest", "--collect-only", "-q", "-p", "no:cacheprovider", *files],
        cwd=folder,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return sum("::" in line for line in out.splitlines())


def busy_cpu_seconds():
    """CPU time the whole machine has spent busy, over all cores, in seconds."""
    fields = [int(value) for value in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = fields[3] + fields[4]  # idle and iowait
    return (sum(fields[:8]) - idle) / os.sysconf("SC_CLK_TCK")


def timed(folder, args, env):
    """(wall s, busy CPU s, load average at the start, pytest's summary) of one CI-like run."""
    load = os.getloadavg()[0]
    cpu, start = busy_cpu_seconds(), time.perf_counter()
    result = subprocess.run(
        [".venv/bin/pytest", "-q", "-p", "no:cacheprovider", *args],
        cwd=folder,
        env={**QUIET_ENV, "CI": "true", **env},
        capture_output=True,
        text=True,
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    wall, busy = time.perf_counter() - start, busy_cpu_seconds() - cpu
    if result.returncode != 0:
        raise SystemExit(f"pytest failed in {folder}:\n{result.stdout[-3000:]}{result.stderr[-2000:]}")
    return wall, busy, load, result.stdout.strip().splitlines()[-1]


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--base", default="1e70ec9")
    parser.add_argument("--rounds", type=int, default=3)
    options = parser.parse_args()

    before = base_checkout(options.base)
    files = [
        path
        for path in git("ls-tree", "--name-only", options.base, "tests/").split()
        if re.search(r"/test_[^/]*\.py$", path)
    ]
    present = [path for path in files if (ROOT / path).exists()]
    runs = {  # name: (folder, pytest's arguments, environment)
        "before": (before, [], {}),
        "now": (ROOT, present, {}),
        "now, whole browser": (ROOT, present, {"CHROMIUM": WHOLE_BROWSER}),
        "all": (ROOT, [], {}),
    }
    print(
        f"{len(files)} test files at {options.base} with {collected(before, files)} tests; "
        f"today {len(present)} of them with {collected(ROOT, present)} tests, of {collected(ROOT, [])} in all",
        flush=True,
    )

    measured = {name: [] for name in runs}
    names = list(runs)
    try:
        for round_number in range(options.rounds):
            # Each run takes each place in turn: the first after a fresh clone is the coldest.
            for name in names[round_number % len(names) :] + names[: round_number % len(names)]:
                wall, busy, load, summary = timed(*runs[name])
                measured[name].append((wall, busy))
                print(
                    f"round {round_number + 1} {name:18} {wall:6.1f} s wall {busy:6.1f} s CPU "
                    f"(load {load:.2f}): {summary}",
                    flush=True,
                )
    finally:
        report(measured)


def report(measured):
    """A Markdown table of the medians of what was measured."""
    print("\n| run | runs | wall (median) | CPU (median) | wall against before |\n| --- | --- | --- | --- | --- |")
    before = median([wall for wall, _ in measured["before"]]) if measured["before"] else None
    for name, rows in measured.items():
        if rows:
            wall, busy = median([w for w, _ in rows]), median([b for _, b in rows])
            ratio = f"{wall / before:.2f}×" if before else "–"
            print(f"| {name} | {len(rows)} | {wall:.0f} s | {busy:.0f} s | {ratio} |")


if __name__ == "__main__":
    main()
