"""What every benchmark shares: the builds compared, how a build is run and measured,
and how rounds are summarised.

The three builds run on the same content folder in the same run:
- "ours": this project exactly as `make publish` builds it (publishconf.py with
  every plugin it lists, --fatal warnings);
- "notmyidea" and "simple": stock Pelican with its bundled themes and
  pelican-quickstart's settings (bench/stock/pelicanconf.py).
"""

import os
import platform
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import NamedTuple

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
PELICAN = BIN / "pelican"
STOCK_SETTINGS = ROOT / "bench" / "stock" / "pelicanconf.py"
BUILDS = ("ours", "notmyidea", "simple")
# Wide enough that Pelican's log lines are never wrapped.
# Python writes bytecode, as on a usual machine, even where the environment says not to: otherwise our
# plugins (not stock Pelican's modules, compiled when installed) are compiled from source at every build.
ENV = {**{k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}, "SITEURL": "", "COLUMNS": "200"}


def pelican_command(build, content, output, *extra):
    """The command line that builds `content` into `output` as `build` does."""
    if build == "ours":
        settings = [ROOT / "publishconf.py", "--fatal", "warnings"]
    else:
        settings = [STOCK_SETTINGS, "-t", build]
    return [str(PELICAN), str(content), "-o", str(output), "-s", *map(str, settings), *extra]


class Measured(NamedTuple):
    seconds: float  # wall time: only meaningful on an idle machine
    cpu_seconds: float  # user + system time of every process of the build
    memory_mb: float  # the peak of the whole process tree: its resident sets summed
    own_memory_mb: float  # that of the command's own process (Pelican), without its children
    output: str


def peak_of(pid):
    """VmHWM of a running process in MB: the high-water mark of its own resident set."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return 0.0
    return next((int(line.split()[1]) / 1024 for line in status.splitlines() if line.startswith("VmHWM:")), 0.0)


def tree_of(pid):
    """The pid and every descendant's, from /proc/<pid>/task/*/children."""
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        found.append(current)
        try:
            tasks = list(Path(f"/proc/{current}/task").glob("*/children"))
        except OSError:
            continue  # it ended while the tree was read
        for task in tasks:
            try:
                todo += [int(child) for child in task.read_text().split()]
            except OSError:
                pass
    return found


# PF_FORKNOEXEC in /proc/<pid>/stat: a child that has not started a program of its own shares its
# parent's pages (vfork, until it execs) or copies them only as it writes to them (fork), so its
# resident set would count the parent's memory a second time.
FORKED_NOT_EXECUTED = 0x40


def runs_a_program(pid):
    try:
        flags = int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[6])
    except (OSError, IndexError, ValueError):
        return False
    return not flags & FORKED_NOT_EXECUTED


def resident_mb(pid):
    try:
        fields = Path(f"/proc/{pid}/statm").read_text().split()
    except OSError:
        return 0.0
    return int(fields[1]) * os.sysconf("SC_PAGE_SIZE") / 1024 / 1024


def tree_cpu_seconds(pid):
    """User + system time so far of a running process tree (and of the children it waited for)."""
    ticks = 0
    for each in tree_of(pid):
        try:
            fields = Path(f"/proc/{each}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        ticks += sum(int(value) for value in fields[11:15])  # utime, stime, cutime, cstime
    return ticks / os.sysconf("SC_CLK_TCK")


def run_measured(command, cwd=ROOT, env=None):
    """Run a command and measure it; a failure raises with the command's output.

    CPU time is user + system time from wait4's rusage, which counts every
    descendant the command waited for (Pagefind's process too): wall time
    hides that second process, and the machine's load inflates wall time.
    Peak memory is the largest sum of the resident sets of the whole process
    tree, sampled every 10 ms (a child that has not started a program of its
    own yet is its parent's memory, and is not counted again); the command's own VmHWM (which only grows)
    tells Pelican's memory from that of the Pagefind process it starts.
    """
    start = time.perf_counter()
    process = subprocess.Popen(
        command, cwd=cwd, env=env or ENV, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    own_peak, tree_peak, done = [0.0], [0.0], threading.Event()

    def sample():
        while not done.wait(0.01):
            own_peak[0] = max(own_peak[0], peak_of(process.pid))
            tree = [pid for pid in tree_of(process.pid) if pid == process.pid or runs_a_program(pid)]
            tree_peak[0] = max(tree_peak[0], sum(resident_mb(pid) for pid in tree))

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    output = process.stdout.read()
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - start
    done.set()
    sampler.join()
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} failed ({process.returncode}):\n{output[-4000:]}")
    # Not rusage's ru_maxrss: Linux keeps it across exec, so it starts at the
    # resident set of this process, which forked the command.
    memory = max(tree_peak[0], own_peak[0])
    return Measured(elapsed, usage.ru_utime + usage.ru_stime, memory, own_peak[0], output)


def output_size(folder):
    """(bytes, files) of everything a build wrote."""
    sizes = [path.stat().st_size for path in Path(folder).rglob("*") if path.is_file()]
    return sum(sizes), len(sizes)


def median(values):
    return statistics.median(values)


def median_ratio(rounds, key, build, baseline):
    """The median, over rounds, of build / baseline measured in the same round."""
    return median([r[build][key] / r[baseline][key] for r in rounds])


def versions():
    """Names and versions that the figures depend on."""
    import pelican

    chromium = subprocess.run(["chromium", "--version"], capture_output=True, text=True).stdout.strip()
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor(),
    )
    memory_kb = next(
        int(line.split()[1]) for line in Path("/proc/meminfo").read_text().splitlines() if line.startswith("MemTotal")
    )
    return {
        "machine": f"{os.cpu_count()} × {cpu}, {memory_kb / 1024 / 1024:.0f} GB memory, "
        f"{platform.system()} {platform.release()}",
        "python": platform.python_version(),
        "pelican": pelican.__version__,
        "chromium": chromium or "not found",
    }


def html_pages(folder):
    return sorted(path.relative_to(folder).as_posix() for path in Path(folder).rglob("*.html"))
