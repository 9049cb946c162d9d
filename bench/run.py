"""Run every benchmark and write the figures into bench/RESULTS.md.

    python bench/run.py [--articles 1000] [--rounds 5] [--devserver-rounds 2]

`make bench` runs this, then bench/lighthouse. Only the part of RESULTS.md
between the two `bench/run.py` markers is rewritten; every other section
(Lighthouse's, notes written by hand) is kept as it is.
"""

import argparse
import datetime
import importlib.metadata
import subprocess
import tempfile
from pathlib import Path

import builds
import devserver
import profile_build
import weight
from harness import BUILDS, ROOT, versions

RESULTS = ROOT / "bench" / "RESULTS.md"
START = "<!-- bench/run.py: start. Written by `make bench`; edit outside these markers. -->"
END = "<!-- bench/run.py: end -->"
REAL_ARTICLE = "mali-demands-withdrawal-of-minusma"
KB = 1024
BUDGETS = {"article_kb": 18, "other_kb": 6, "build_vs_notmyidea": 1.2, "site_vs_simple": 2.0, "rebuild_s": 2.0, "memory_mb": 100}


def project_version():
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True).stdout.strip()
    dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=ROOT, capture_output=True, text=True).stdout.strip()
    return commit + (" with uncommitted changes" if dirty else "")


def kb(value):
    return f"{value / KB:.1f}"


def verdict(ok, text):
    return ("met: " if ok else "**missed**: ") + text


def build_tables(results):
    lines = [
        "| site | pages (ours / notmyidea / simple) | ours | notmyidea | simple | ours ÷ notmyidea | ours ÷ simple |",
        "| --- | --- | --- | --- | --- | --- | --- |",
    ]
    for label, s in results.items():
        pages = " / ".join(str(s["pages"][b]) for b in BUILDS)
        lines.append(
            f"| {label}, build time | {pages} | {s['ours']['seconds']:.2f} s | {s['notmyidea']['seconds']:.2f} s | "
            f"{s['simple']['seconds']:.2f} s | {s['ours/notmyidea']['seconds']:.2f} × | {s['ours/simple']['seconds']:.2f} × |"
        )
        lines.append(
            f"| {label}, peak memory | | {s['ours']['memory_mb']:.0f} MB (Pelican's process: {s['ours']['own_memory_mb']:.0f} MB; "
            f"Pagefind alone: {s['pagefind_memory_mb']:.0f} MB) | "
            f"{s['notmyidea']['memory_mb']:.0f} MB | {s['simple']['memory_mb']:.0f} MB | {s['ours/notmyidea']['memory_mb']:.2f} × | "
            f"{s['ours/simple']['memory_mb']:.2f} × |"
        )
    return lines


def weight_table(label, results):
    lines = [
        f"**{label}**: KB transferred (gzip bodies alone) and requests",
        "",
        "| page type | ours | notmyidea | simple | our page |",
        "| --- | --- | --- | --- | --- |",
    ]
    for kind in ["article", *weight.PAGE_TYPES]:
        found = {build: results[build].get(kind) for build in BUILDS}
        if not any(found.values()):
            continue
        cells = [
            f"{kb(figures['transfer'])} ({kb(figures['gzip'])}), {figures['requests']}" if figures else "–"
            for figures in found.values()
        ]
        ours = found["ours"]
        lines.append(f"| {kind} | {' | '.join(cells)} | {'`' + ours['path'] + '`' if ours else '–'} |")
    return lines


def budget_lines(build_results, weights, rebuild, articles):
    site, many = build_results["this site"], build_results[f"{articles} articles"]
    article = weights["this site"]["ours"]["article"]["transfer"] / KB
    others = sorted(
        ((figures["transfer"] / KB, f"{label}: {kind}") for label, by_build in weights.items()
         for kind, figures in by_build["ours"].items() if kind not in ("article", weight.A_SEARCH)),
        reverse=True,
    )
    over = [f"{name} {size:.1f} KB" for size, name in others if size > BUDGETS["other_kb"]]
    heaviest_size, heaviest = others[0]
    ratio_n = many["ours/notmyidea"]["seconds"]
    ratio_site = site["ours/simple"]["seconds"]
    memory = max(site["ours"]["memory_mb"], many["ours"]["memory_mb"])
    own_memory = max(site["ours"]["own_memory_mb"], many["ours"]["own_memory_mb"])
    done, visible = rebuild["ours"]["done"], rebuild["ours"]["visible"]

    def share(value, budget):
        return verdict(value <= budget, f"{value / budget:.0%} of the budget")

    return [
        "| budget | figure | verdict |",
        "| --- | --- | --- |",
        f"| article page ≤ {BUDGETS['article_kb']} KB | {article:.1f} KB | {share(article, BUDGETS['article_kb'])} |",
        f"| every other page ≤ {BUDGETS['other_kb']} KB | heaviest: {heaviest} {heaviest_size:.1f} KB | "
        + verdict(not over, "every page within" if not over else "over: " + "; ".join(over)) + " |",
        f"| build of {articles} articles ≤ {BUDGETS['build_vs_notmyidea']} × notmyidea | {ratio_n:.2f} × | "
        f"{share(ratio_n, BUDGETS['build_vs_notmyidea'])} |",
        f"| build of this site ≤ {BUDGETS['site_vs_simple']:.0f} × simple | {ratio_site:.2f} × | {share(ratio_site, BUDGETS['site_vs_simple'])} |",
        f"| devserver rebuild ≤ {BUDGETS['rebuild_s']:.0f} s | {done:.2f} s (edit visible after {visible:.2f} s) | "
        f"{share(done, BUDGETS['rebuild_s'])} |",
        f"| peak memory ≤ {BUDGETS['memory_mb']} MB | {memory:.0f} MB (Pelican's process: {own_memory:.0f} MB) | "
        f"{share(memory, BUDGETS['memory_mb'])} |",
    ]


def profile_lines(profile, title):
    total = profile["total"]
    lines = [
        f"**{title}**: {total:.1f} s under cProfile, which slows Python code down: read shares, not seconds.",
        "",
        "| phase (cumulative; phases overlap) | seconds | share |",
        "| --- | --- | --- |",
    ]
    lines += [f"| {label.replace('  ', '↳ ')} | {seconds:.2f} | {seconds / total:.0%} |" for label, seconds in profile["phases"].items()]
    lines += ["", "| our plugin's handler (cumulative) | seconds | share |", "| --- | --- | --- |"]
    lines += [f"| {name} | {seconds:.2f} | {seconds / total:.0%} |" for name, seconds in profile["plugins"].items() if seconds >= 0.005 * total]
    lines += ["", "| own time, by library (built-ins charged to their caller) | seconds | share |", "| --- | --- | --- |"]
    lines += [f"| {name} | {seconds:.2f} | {seconds / total:.0%} |" for name, seconds in profile["packages"].items() if seconds >= 0.01 * total]
    return lines + [""]


def render(build_results, weights, rebuild, profile, articles, rounds):
    info = versions()
    libraries = ", ".join(
        f"{name} {importlib.metadata.version(name)}" for name in ("markdown", "jinja2", "pyyaml", "pagefind", "playwright")
        if _installed(name)
    )
    lines = [
        START,
        "## Builds, page weight and devserver",
        "",
        f"- Date: {datetime.date.today().isoformat()}",
        f"- Machine: {info['machine']}",
        f"- Versions: this project at {project_version()}; Pelican {info['pelican']}, Python {info['python']}, {libraries}; {info['chromium']}",
        f"- Content: this site (`content/`, one article) and {articles} articles written by `bench/generate.py` "
        "(10 sections, 30 topics, three years, our full front matter).",
        "- Builds: **ours** is `publishconf.py` with every plugin it lists (as `make publish`); **notmyidea** and "
        "**simple** are stock Pelican with pelican-quickstart's settings (`bench/stock/pelicanconf.py`), reading "
        "the same files. Ratios are medians of per-round ratios; builds alternate within each round.",
        "",
        "### Budgets",
        "",
        *budget_lines(build_results, weights, rebuild, articles),
        "",
        "Lighthouse's budgets are in its own section.",
        "",
        f"### Full build and peak memory ({rounds} rounds at {articles} articles, {rounds * 2} for this site)",
        "",
        "Wall time of the whole `pelican` command (start-up included). Peak memory: the largest resident set of "
        "any one process of the build, as `/usr/bin/time -v` reports it; in brackets, that of Pelican's own "
        "process (its VmHWM, sampled every 10 ms) and that of Pagefind indexing the same output on its own.",
        "",
        *build_tables(build_results),
        "",
        "### Page weight per page type",
        "",
        "Total transfer in headless Chromium (mobile viewport, empty cache, until the network is idle), served by "
        f"`bench/weight.py`'s local server, which gzips text at level {weight.GZIP_LEVEL} as a static host does. "
        "*Transfer* is what DevTools counts: the bodies as the server sends them (text gzipped) plus the response "
        "headers, for every request of the page and of its workers; in brackets, the bodies alone. 1 KB = 1,024 bytes. The month archive is the build's "
        f"largest month page. *{weight.A_SEARCH}* is the search page opened with a query: what one search costs "
        "(Pagefind and the parts of its index it fetches), not a page's weight, so not held to the page budget.",
        "",
    ]
    for label, results in weights.items():
        lines += weight_table(label, results) + [""]
    lines += [
        f"### Devserver rebuild after editing one article of {articles}",
        "",
        "`pelican --autoreload --listen` with the content cache on (`bench/devserver.py`); seconds from writing the "
        f"file, median of {rebuild['edits']} edits each.",
        "",
        "| | ours | notmyidea | ours ÷ notmyidea |",
        "| --- | --- | --- | --- |",
        f"| rebuild finished | {rebuild['ours']['done']:.2f} s | {rebuild['notmyidea']['done']:.2f} s | {rebuild['ours/notmyidea']['done']:.2f} × |",
        f"| edit visible in the served page | {rebuild['ours']['visible']:.2f} s | {rebuild['notmyidea']['visible']:.2f} s | {rebuild['ours/notmyidea']['visible']:.2f} × |",
        "",
        "### Where the build's time goes",
        "",
        *profile_lines(profile["this site"], "Full build of this site (publishconf.py)"),
        *profile_lines(profile["build"], f"Full build of {profile['articles']} articles (publishconf.py)"),
        *profile_lines(profile["rebuild"], f"Devserver rebuild after editing the text of one of {profile['articles']} (devserverconf.py, in the process of a first build)"),
        END,
    ]
    return "\n".join(lines) + "\n"


def _installed(name):
    try:
        importlib.metadata.version(name)
        return True
    except importlib.metadata.PackageNotFoundError:
        return False


def write_results(section, results=RESULTS):
    """Replace our section of RESULTS.md, keeping everything else in the file."""
    text = results.read_text(encoding="utf-8") if results.exists() else "# Benchmark results\n\n"
    if START in text and END in text:
        before, rest = text.split(START, 1)
        after = rest.split(END, 1)[1].lstrip("\n")
        text = before + section + ("\n" + after if after else "")
    else:
        text = text.rstrip("\n") + "\n\n" + section
    results.write_text(text, encoding="utf-8")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--devserver-rounds", type=int, default=2)
    parser.add_argument("--edits", type=int, default=3)
    parser.add_argument("--results", type=Path, default=RESULTS, help="the Markdown file to write into")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-") as workdir:
        workdir = Path(workdir)
        print(f"builds: {args.rounds} rounds at {args.articles} articles …", flush=True)
        build_results = builds.run(args.articles, args.rounds, workdir / "builds")
        generated = sorted((workdir / "builds" / "content" / "articles").glob("*.md"))
        sample = generated[len(generated) // 2].stem[len("YYYY-MM-DD-"):]
        print("page weight …", flush=True)
        sites = {"this site": ("this-site", REAL_ARTICLE), f"{args.articles} articles": (f"{args.articles}-articles", sample)}
        measured = weight.run(
            {(label, b): (workdir / "builds" / folder / f"out-{b}", article) for label, (folder, article) in sites.items() for b in BUILDS}
        )
        weights = {label: {b: measured[(label, b)] for b in BUILDS} for label in sites}
        print("devserver …", flush=True)
        rebuild = devserver.run(args.articles, args.devserver_rounds, args.edits, workdir / "devserver")
        print("profile …", flush=True)
        profile = profile_build.run(args.articles, workdir / "builds")
    write_results(render(build_results, weights, rebuild, profile, args.articles, args.rounds), args.results)
    print(f"wrote {args.results}")


if __name__ == "__main__":
    main()
