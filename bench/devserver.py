"""(d) devserver rebuild after editing one article of a generated site.

    python bench/devserver.py [--articles 1000] [--rounds 2] [--edits 3]

Runs `pelican --autoreload --listen` as `make devserver` does, with Pelican's
content cache on (the devserver is the only place it is used), first for this
project (devserverconf.py) and then for stock Pelican's notmyidea, alternating.
After the first full build, each edit adds a paragraph to one article
and measures from the moment the file is written:
- "visible": seconds until the devserver serves the article with the new text;
- "done": seconds until Pelican logs that the whole rebuild is finished;
- "cpu": user + system seconds the devserver's processes spent until then.
"""

import argparse
import http.client
import json
import os
import queue
import shutil
import signal
import socket
import subprocess
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

from generate import generate
from harness import ENV, PELICAN, ROOT, STOCK_SETTINGS, median, tree_cpu_seconds

# Stock Pelican gets the content cache that devserverconf.py turns on for ours.
CACHE_ON = ["CACHE_CONTENT=true", "LOAD_CONTENT_CACHE=true"]
FIRST_BUILD_TIMEOUT = 600
REBUILD_TIMEOUT = 120
FIGURES = ("visible", "done", "cpu")
EDITED_SENTENCE = "Editors added this sentence to measure the devserver"


def devserver_command(build, content, output, cache, port, overrides=()):
    if build == "ours":
        settings = [ROOT / "devserverconf.py"]
    else:
        settings = [STOCK_SETTINGS, "-t", build]
    return [
        str(PELICAN),
        str(content),
        "-o",
        str(output),
        "-s",
        *map(str, settings),
        "--autoreload",
        "--listen",
        "--bind",
        "127.0.0.1",
        "--port",
        str(port),
        "--cache-path",
        str(cache),
        *(["-e", *CACHE_ON] if build != "ours" else overrides),
    ]


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def fetch(url):
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.read().decode("utf-8", "replace")
    except (OSError, http.client.HTTPException):
        # Not served yet, or cut short: a page being written as it is read.
        return ""


class Devserver:
    """A running `pelican --autoreload --listen`, in a process group of its own."""

    def __init__(self, command):
        self.process = subprocess.Popen(
            command,
            cwd=ROOT,
            env=ENV,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            start_new_session=True,
        )
        self.done = queue.Queue()
        self.log = []
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        for line in self.process.stdout:
            self.log.append(line)
            if line.startswith("Done: Processed"):
                self.done.put(time.perf_counter())

    def wait_done(self, timeout):
        try:
            return self.done.get(timeout=timeout)
        except queue.Empty:
            raise RuntimeError("the devserver did not finish a build:\n" + "".join(self.log[-40:])) from None

    def stop(self):
        # SIGINT, as Ctrl-C in `make devserver`; Pelican then ends its two children.
        os.killpg(self.process.pid, signal.SIGINT)
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()


def edit(path, marker):
    """Add a paragraph carrying `marker` to the article, as an editor's change would."""
    text = path.read_text(encoding="utf-8")
    path.write_text(f"{text.rstrip()}\n\n{EDITED_SENTENCE}: {marker}.\n", encoding="utf-8")


def measure(build, content, workdir, article, article_url, edits, label, overrides=()):
    """[{"visible": s, "done": s, "cpu": s}] for each edit, on a fresh devserver; `overrides`
    are further arguments for ours, such as `-e` settings."""
    output, cache = workdir / f"out-{build}", workdir / f"cache-{build}"
    shutil.rmtree(output, ignore_errors=True)
    shutil.rmtree(cache, ignore_errors=True)
    port = free_port()
    server = Devserver(devserver_command(build, content, output, cache, port, overrides))
    url = f"http://127.0.0.1:{port}/{article_url(build)}"
    results, source = [], content / "articles" / article
    original = source.read_text(encoding="utf-8")
    try:
        server.wait_done(FIRST_BUILD_TIMEOUT)
        deadline = time.monotonic() + 30
        while "<html" not in fetch(url).lower():
            if time.monotonic() > deadline:
                raise RuntimeError(f"{url} is not served:\n" + "".join(server.log[-40:]))
            time.sleep(0.1)
        for number in range(edits):
            time.sleep(1.5)  # let the watcher settle after the last build
            # Unique to this run: a marker a page already carried would show at once.
            marker = f"{label}-{build}-{number}-{time.time_ns()}"
            cpu = tree_cpu_seconds(server.process.pid)
            edit(source, marker)
            start = time.perf_counter()
            visible = None
            deadline = start + REBUILD_TIMEOUT
            while visible is None:
                if marker in fetch(url):
                    visible = time.perf_counter() - start
                elif time.perf_counter() > deadline:
                    raise RuntimeError(f"the edit never showed at {url}:\n" + "".join(server.log[-40:]))
                else:
                    time.sleep(0.02)
            done = server.wait_done(REBUILD_TIMEOUT) - start
            results.append({"visible": visible, "done": done, "cpu": tree_cpu_seconds(server.process.pid) - cpu})
    finally:
        server.stop()
        source.write_text(original, encoding="utf-8")
    return results


def middle_article(content):
    """The file name of the middle article of a generated site, and its page's path in each build."""
    names = sorted(path.name for path in (content / "articles").glob("*.md"))
    article = names[len(names) // 2]
    stem = article[len("YYYY-MM-DD-") : -len(".md")]
    year, month = article[:4], article[5:7]
    return article, {"ours": f"{year}/{month}/{stem}.html", "notmyidea": f"{stem}.html"}.get


def run(articles, rounds, edits, workdir):
    workdir = Path(workdir)
    content = workdir / "content"
    if not (content / "articles").is_dir():
        generate(articles, content)
    article, article_url = middle_article(content)
    per_build = {"ours": [], "notmyidea": []}
    for number in range(rounds):
        order = ["ours", "notmyidea"] if number % 2 == 0 else ["notmyidea", "ours"]
        for build in order:
            per_build[build] += measure(build, content, workdir, article, article_url, edits, f"r{number}")
    summary = {"articles": articles, "edits": len(per_build["ours"])}
    for build, results in per_build.items():
        summary[build] = {key: median([r[key] for r in results]) for key in FIGURES}
    summary["ours/notmyidea"] = {
        key: median([a[key] / b[key] for a, b in zip(per_build["ours"], per_build["notmyidea"], strict=True)])
        for key in FIGURES
    }
    return summary


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--edits", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-devserver-") as workdir:
        print(json.dumps(run(args.articles, args.rounds, args.edits, workdir), indent=2))


if __name__ == "__main__":
    main()
