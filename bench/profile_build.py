"""Where a full build of this project spends its time, from cProfile.

    python bench/profile_build.py [--articles 1000]

Profiles a `make publish`-style build of this site and one of N generated
articles, and a rebuild of those as `make devserver` makes it (in the same
process as a first build, with the Makefile's devserver settings, after one
article's text was edited), and reports for each
- the build's phases (cumulative time of Pelican's own steps and of each of
  our plugins; phases overlap where one runs inside another), and
- the time spent in each library's own code, built-ins charged to the library
  that called them (these add up to the total).
"""

import argparse
import cProfile
import json
import pstats
import shutil
import subprocess
import sys
import tempfile
from collections import defaultdict
from pathlib import Path

from generate import generate
from harness import ENV, ROOT, pelican_command

# (label, file name ending, function name): Pelican's steps and the libraries'
# entry points, measured cumulatively.
PHASES = [
    ("whole build (Pelican.run)", "pelican/__init__.py", "run"),
    ("read and parse every file", "pelican/readers.py", "read_file"),
    ("  Markdown to HTML", "markdown/core.py", "convert"),
    ("  YAML front matter", "yaml/__init__.py", "load"),
    ("write every page (templates)", "pelican/writers.py", "write_file"),
    ("  Jinja rendering", "jinja2/environment.py", "render"),
    ("write the feeds", "pelican/writers.py", "write_feed"),
    ("copy static files", "pelican/generators.py", "_link_or_copy_staticfile"),
    ("delete the old output", "pelican/utils.py", "clean_output_dir"),
    # Pagefind runs beside the build (plugins/search_index); this is the wait for it at the end.
    ("wait for Pagefind to finish", "subprocess.py", "communicate"),
]


def package_of(filename):
    """The library, our plugin or template that a profiled function belongs to."""
    path = Path(filename)
    if filename.startswith("~") or filename.startswith("<"):
        return None  # a built-in: charged to its caller
    if "site-packages" in path.parts:
        return path.parts[path.parts.index("site-packages") + 1].removesuffix(".py")
    if ROOT / "plugins" in path.parents:
        return "plugins/" + path.relative_to(ROOT / "plugins").parts[0]
    if ROOT / "theme" in path.parents:
        return "theme templates (Jinja)"
    if str(ROOT) in filename:
        return path.relative_to(ROOT).as_posix()
    return "Python standard library"


def own_time_by_package(stats):
    totals = defaultdict(float)
    for (filename, _, _), (_, _, own, _, callers) in stats.stats.items():
        package = package_of(filename)
        if package is not None:
            totals[package] += own
            continue
        for (caller_file, _, _), (_, _, caller_own, _) in callers.items():
            totals[package_of(caller_file) or "built-ins"] += caller_own
    return dict(sorted(totals.items(), key=lambda item: -item[1]))


def phases(stats):
    found = {"start-up: imports, settings, plugins (before Pelican.run)": 0.0}
    for label, ending, name in PHASES:
        found[label] = sum(
            cumulative
            for (filename, _, function), (_, _, _, cumulative, _) in stats.stats.items()
            if function == name and filename.endswith(ending)
        )
    found["start-up: imports, settings, plugins (before Pelican.run)"] = max(
        0.0, stats.total_tt - found["whole build (Pelican.run)"]
    )
    return found


def plugin_handlers(stats):
    """Cumulative time of our plugins' signal handlers (their top-level functions)."""
    handlers = defaultdict(float)
    for (filename, _, function), (_, _, _, cumulative, callers) in stats.stats.items():
        package = package_of(filename)
        if function.startswith("<") or function == "register":
            continue  # module bodies and comprehensions, not handlers
        if package and package.startswith("plugins/") and not any(package_of(c[0]) == package for c in callers):
            handlers[f"{package}: {function}"] += cumulative
    return dict(sorted(handlers.items(), key=lambda item: -item[1]))


def profiled(command, profile):
    subprocess.run(
        [sys.executable, "-m", "cProfile", "-o", str(profile), *command],
        cwd=ROOT,
        env=ENV,
        check=True,
        capture_output=True,
    )
    return summary_of(profile)


def summary_of(profile):
    stats = pstats.Stats(str(profile))
    return {
        "total": stats.total_tt,
        "phases": phases(stats),
        "plugins": plugin_handlers(stats),
        "packages": own_time_by_package(stats),
    }


def run(articles, workdir):
    """{"this site": profile, "build": profile, "rebuild": profile}: this site's
    build, and a build and a rebuild of N generated articles."""
    workdir = Path(workdir)
    content = workdir / f"content-{articles}"  # bench/builds.py's, when it ran first
    if not (content / "articles").is_dir():
        generate(articles, content)
    results = {"articles": articles}
    results["this site"] = profiled(
        pelican_command("ours", ROOT / "content", workdir / "site-out"), workdir / "site.prof"
    )
    results["build"] = profiled(pelican_command("ours", content, workdir / "out"), workdir / "build.prof")
    # As `make devserver` rebuilds: one process, a first build, an edit, the rebuild.
    rebuild_content = workdir / "rebuild-content"
    shutil.copytree(content, rebuild_content, dirs_exist_ok=True)
    edited = sorted((rebuild_content / "articles").glob("*.md"))[articles // 2]
    profile = workdir / "rebuild.prof"
    subprocess.run(
        [
            sys.executable,
            __file__,
            "--devserver-rebuild",
            str(rebuild_content),
            str(workdir / "rebuild-out"),
            str(workdir / "cache"),
            str(edited),
            str(profile),
        ],
        cwd=ROOT,
        env=ENV,
        check=True,
        capture_output=True,
    )
    results["rebuild"] = summary_of(profile)
    return results


def devserver_rebuild(content, output, cache, edited, profile):
    """Build as `make devserver` does, edit one article's text, and profile the rebuild.

    ``pelican --autoreload`` calls ``Pelican.run()`` again in the same process
    after a change, with devserverconf.py.
    """
    from pelican import Pelican
    from pelican.settings import read_settings

    settings = read_settings(
        str(ROOT / "devserverconf.py"), override={"PATH": content, "OUTPUT_PATH": output, "CACHE_PATH": cache}
    )
    pelican = Pelican(settings)
    pelican.run()
    edited = Path(edited)
    edited.write_text(edited.read_text(encoding="utf-8").rstrip() + "\n\nAn edited paragraph.\n", encoding="utf-8")
    profiler = cProfile.Profile()
    profiler.runcall(pelican.run)
    profiler.dump_stats(profile)


def main():
    if sys.argv[1:2] == ["--devserver-rebuild"]:
        return devserver_rebuild(*sys.argv[2:])
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=1000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-profile-") as workdir:
        print(json.dumps(run(args.articles, workdir), indent=2))


if __name__ == "__main__":
    main()
