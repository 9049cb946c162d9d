"""Run every benchmark and write the figures into bench/RESULTS.md.

    python bench/run.py [--articles 1000 5000 20000] [--rounds 5] [--devserver-rounds 2]

`make bench` runs this, then bench/lighthouse. Only the part of RESULTS.md
between the two `bench/run.py` markers is rewritten; every other section
(Lighthouse's, notes written by hand) is kept as it is.
"""

import argparse
import datetime
import importlib.metadata
import json
import os
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
BUDGETS = {
    "article_kb": 18,
    "other_kb": 6,
    "site_vs_simple": 2.0,
    "rebuild_s": 2.0,
    # The scale goals, at every size: CPU and memory against notmyidea, bytes without share cards.
    "cpu_vs_notmyidea": 1.2,
    "memory_vs_notmyidea": 2.0,
    "bytes_vs_notmyidea": 1.5,
    # Published with share cards, at the largest size: 25,000 articles in GitHub Pages' 1 GB.
    "published_bytes_per_article": 40_000,
    # Drawing the cards from an empty cache, per card: the build's CPU with them less that without.
    "card_ms": 20,
}
MB = 1024 * 1024
# Hosts' published limits (docs/hosting.md): bytes per site, files per deployment.
HOST_LIMITS = [
    ("GitHub Pages (1 GB per site)", "bytes", 1e9),
    ("Cloudflare Pages, free plan (20,000 files)", "files", 20_000),
    ("Cloudflare Pages, paid plans (100,000 files)", "files", 100_000),
    ("GitLab Pages on GitLab.com (1 GB)", "bytes", 1e9),
    ("GitLab Pages on GitLab.com (200,000 files)", "files", 200_000),
]
EXTRAPOLATE_TO = 50_000
# A figure "grows linearly" when the last step adds at most this much more per 1,000 articles than
# the first: two rounds per larger size leave CPU and memory some noise.
GROWTH_TOLERANCE = 1.25
# (name, value of a build in a size's summary, format). Stock Pelican writes no sitemap.
GROWTH_FIGURES = [
    ("CPU", lambda s, build: s[build]["cpu_seconds"], lambda v: f"{v:,.1f} s"),
    ("peak memory", lambda s, build: s[build]["memory_mb"], lambda v: f"{v:,.0f} MB"),
    ("output", lambda s, build: s[build]["bytes"], lambda v: f"{v / MB:,.0f} MB"),
    ("files", lambda s, build: s[build]["files"], lambda v: f"{v:,.0f}"),
    ("sitemap URLs", lambda s, build: s["sitemap_urls"] if build == "ours" else 0, lambda v: f"{v:,.0f}"),
]


def project_version():
    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
    ).stdout.strip()
    dirty = subprocess.run(
        ["git", "status", "--porcelain", "--untracked-files=no"], cwd=ROOT, capture_output=True, text=True
    ).stdout.strip()
    return commit + (" with uncommitted changes" if dirty else "")


def kb(value):
    return f"{value / KB:.1f}"


def verdict(ok, text):
    return ("met: " if ok else "**missed**: ") + text


def build_tables(results):
    """One row per site and figure: ours, notmyidea, the ratio (and simple's for this site)."""
    lines = [
        "| site | figure | ours | notmyidea | ours ÷ notmyidea | simple | ours ÷ simple |",
        "| --- | --- | --- | --- | --- | --- | --- |",
    ]
    shown = [
        ("CPU time (user + system, every process)", "cpu_seconds", lambda v: f"{v:.1f} s"),
        ("peak memory of the process tree", "memory_mb", lambda v: f"{v:.0f} MB"),
        ("output", "bytes", lambda v: f"{v / MB:.1f} MB"),
        ("files", "files", lambda v: f"{v:,.0f}"),
        ("wall time (load-dependent)", "seconds", lambda v: f"{v:.1f} s"),
    ]
    for label, s in results.items():
        for name, key, show in shown:
            ours = show(s["ours"][key])
            if key == "memory_mb":
                ours += (
                    f" (Pelican's process: {s['ours']['own_memory_mb']:.0f} MB;"
                    f" Pagefind alone: {s['pagefind_memory_mb']:.0f} MB)"
                )
            simple = (show(s["simple"][key]), f"{s['ours/simple'][key]:.2f} ×") if "simple" in s else ("–", "–")
            stock = f"{show(s['notmyidea'][key])} | {s['ours/notmyidea'][key]:.2f} ×"
            lines.append(f"| {label} | {name} | {ours} | {stock} | {simple[0]} | {simple[1]} |")
    return lines


def steps(results, sizes, value_of):
    """The figure at each size, and what each further 1,000 articles added between one size and the next."""
    values = [value_of(results[builds_label(n)]) for n in sizes]
    pairs = zip(sizes, values, sizes[1:], values[1:], strict=False)
    return values, [(b - a) / (m - n) * 1000 for n, a, m, b in pairs]


def growth_ratios(results, sizes):
    """{figure: last step ÷ first} of our build, for every figure in the growth table."""
    return {
        name: added[-1] / added[0] if len(added) > 1 and added[0] else 1.0
        for name, value_of, _ in GROWTH_FIGURES
        for added in [steps(results, sizes, lambda s, v=value_of: v(s, "ours"))[1]]
    }


def growth_lines(results, sizes):
    """What each further 1,000 articles costs, size to size, and the last step carried on to 50,000."""
    spans = [f"{n:,} → {m:,}" for n, m in zip(sizes, sizes[1:], strict=False)]
    lines = [
        "| figure, ours (notmyidea) | "
        + " | ".join(f"per 1,000 articles, {span}" for span in spans)
        + f" | last step ÷ first | grows | at {EXTRAPOLATE_TO:,}, the last step carried on |",
        "| --- | " + " | ".join("---" for _ in spans) + " | --- | --- | --- |",
    ]
    ratios = growth_ratios(results, sizes)
    for name, value_of, show in GROWTH_FIGURES:
        cells, ratio, far = [], [], []
        for build in ("ours", "notmyidea"):
            values, added = steps(results, sizes, lambda s, b=build, v=value_of: v(s, b))
            cells.append(added)
            ratio.append(added[-1] / added[0] if len(added) > 1 and added[0] else float("nan"))
            far.append(values[-1] + added[-1] * (EXTRAPOLATE_TO - sizes[-1]) / 1000 if added else float("nan"))
        per_step = " | ".join(f"{show(o)} ({show(n)})" for o, n in zip(*cells, strict=True))
        grows = "linearly" if ratios[name] <= GROWTH_TOLERANCE else "**faster than the archive**"
        lines.append(
            f"| {name} | {per_step} | {ratio[0]:.2f} × ({ratio[1]:.2f} ×) | {grows} | {show(far[0])} ({show(far[1])}) |"
        )
    return lines


def hosting_lines(results, sizes):
    lines = [
        "| host limit | "
        + " | ".join(f"{n:,} articles" for n in sizes)
        + " | articles that fit, the last step carried on |",
        "| --- | " + " | ".join("---" for _ in sizes) + " | --- |",
    ]
    published = all("published" in results[builds_label(n)] for n in sizes)  # not in figures saved before it
    for build, said in (("ours", ""), ("published", ", with share cards"))[: 2 if published else 1]:
        for name, key, limit in HOST_LIMITS:
            values, added = steps(results, sizes, lambda s, k=key, b=build: s[b][k])
            cells = [("fits" if value <= limit else "**over**") + f" ({value / limit:.0%})" for value in values]
            fit = (
                f"about {sizes[-1] + (limit - values[-1]) / added[-1] * 1000:,.0f}" if added and added[-1] > 0 else "–"
            )
            lines.append(f"| {name}{said} | {' | '.join(cells)} | {fit} |")
    return lines


def card_ms(summary):
    """CPU per share card from an empty cache: the published build's less our build's without cards."""
    published = summary["published"]
    return (published["cpu_seconds"] - summary["ours"]["cpu_seconds"]) / published["cards"] * 1000


def published_lines(results, sizes):
    if not all("published" in results[builds_label(n)] for n in sizes):
        return ["Not measured in the run these figures come from."]
    lines = [
        "| figure | " + " | ".join(f"{n:,} articles" for n in sizes) + " |",
        "| --- | " + " | ".join("---" for _ in sizes) + " |",
    ]
    summaries = [results[builds_label(n)] for n in sizes]
    rows = [
        ("output, share cards included", lambda s, n: f"{s['published']['bytes'] / MB:,.1f} MB"),
        ("bytes per article, all-in", lambda s, n: f"{s['published']['bytes'] / n:,.0f} B"),
        ("÷ our output without cards", lambda s, n: f"{s['published']['bytes'] / s['ours']['bytes']:.2f} ×"),
        ("files", lambda s, n: f"{s['published']['files']:,}"),
        (
            "share cards (mean size)",
            lambda s, n: (
                f"{s['published']['cards']:,} ({s['published']['card_bytes'] / s['published']['cards']:,.0f} B)"
            ),
        ),
        ("CPU time, every process", lambda s, n: f"{s['published']['cpu_seconds']:,.1f} s"),
        ("CPU per card, empty cache", lambda s, n: f"{card_ms(s):.1f} ms"),
        ("peak memory of the process tree", lambda s, n: f"{s['published']['memory_mb']:,.0f} MB"),
    ]
    for name, show in rows:
        lines.append(f"| {name} | " + " | ".join(show(s, n) for s, n in zip(summaries, sizes, strict=True)) + " |")
    return lines


def published_budget_lines(results, sizes):
    largest = sizes[-1]
    per_article = results[builds_label(largest)]["published"]["bytes"] / largest
    budget = BUDGETS["published_bytes_per_article"]
    lines = [
        f"| published with share cards at {largest:,} articles ≤ {budget:,} B per article | {per_article:,.0f} B | "
        + verdict(per_article <= budget, f"{per_article / budget:.0%} of the budget")
        + " |"
    ]
    for n in sizes:
        ms = card_ms(results[builds_label(n)])
        lines.append(
            f"| share cards at {n:,} articles, empty cache ≤ {BUDGETS['card_ms']} ms of CPU each | {ms:.1f} ms | "
            + verdict(ms <= BUDGETS["card_ms"], f"{ms / BUDGETS['card_ms']:.0%} of the budget")
            + " |"
        )
    return lines


def builds_label(articles):
    return builds.site_label(articles)


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


def budget_lines(build_results, weights, rebuild, sizes):
    site = build_results["this site"]
    article = weights["this site"]["ours"]["article"]["transfer"] / KB
    others = sorted(
        (
            (figures["transfer"] / KB, f"{label}: {kind}")
            for label, by_build in weights.items()
            for kind, figures in by_build["ours"].items()
            if kind not in ("article", weight.A_SEARCH)
        ),
        reverse=True,
    )
    over = [f"{name} {size:.1f} KB" for size, name in others if size > BUDGETS["other_kb"]]
    heaviest_size, heaviest = others[0]
    ratio_site = site["ours/simple"]["cpu_seconds"]
    done, visible = rebuild["ours"]["done"], rebuild["ours"]["visible"]

    def share(value, budget):
        return verdict(value <= budget, f"{value / budget:.0%} of the budget")

    lines = [
        "| budget | figure | verdict |",
        "| --- | --- | --- |",
        f"| article page ≤ {BUDGETS['article_kb']} KB | {article:.1f} KB | {share(article, BUDGETS['article_kb'])} |",
        f"| every other page ≤ {BUDGETS['other_kb']} KB | heaviest: {heaviest} {heaviest_size:.1f} KB | "
        + verdict(not over, "every page within" if not over else "over: " + "; ".join(over))
        + " |",
        f"| CPU of this site's build ≤ {BUDGETS['site_vs_simple']:.0f} × simple | {ratio_site:.2f} × | "
        f"{share(ratio_site, BUDGETS['site_vs_simple'])} |",
    ]
    for n in sizes:
        ratios = build_results[builds_label(n)]["ours/notmyidea"]
        for name, key, budget in (
            ("CPU", "cpu_seconds", "cpu_vs_notmyidea"),
            ("peak memory", "memory_mb", "memory_vs_notmyidea"),
            ("output without share cards", "bytes", "bytes_vs_notmyidea"),
        ):
            lines.append(
                f"| {name} at {n:,} articles ≤ {BUDGETS[budget]} × notmyidea | {ratios[key]:.2f} × | "
                f"{share(ratios[key], BUDGETS[budget])} |"
            )
    if len(sizes) > 2:
        faster = {
            name: ratio for name, ratio in growth_ratios(build_results, sizes).items() if ratio > GROWTH_TOLERANCE
        }
        found = "; ".join(f"{name} {ratio:.2f} ×" for name, ratio in faster.items()) or "all within"
        said = "faster than the archive: " + ", ".join(faster) if faster else "every figure"
        lines.append(
            f"| every figure grows linearly, {sizes[0]:,} to {sizes[-1]:,} articles (last step ÷ first ≤ "
            f"{GROWTH_TOLERANCE}) | {found} | {verdict(not faster, said)} |"
        )
    if all("published" in build_results[builds_label(n)] for n in sizes):
        lines += published_budget_lines(build_results, sizes)
    lines.append(
        f"| devserver: edit visible ≤ {BUDGETS['rebuild_s']:.0f} s at {sizes[0]:,} articles | {visible:.2f} s "
        f"(rebuild finished after {done:.2f} s) | {share(visible, BUDGETS['rebuild_s'])} |"
    )
    return lines


def profile_lines(profile, title):
    total = profile["total"]
    lines = [
        f"**{title}**: {total:.1f} s under cProfile, which slows Python code down: read shares, not seconds.",
        "",
        "| phase (cumulative; phases overlap) | seconds | share |",
        "| --- | --- | --- |",
    ]
    lines += [
        f"| {label.replace('  ', '↳ ')} | {seconds:.2f} | {seconds / total:.0%} |"
        for label, seconds in profile["phases"].items()
    ]
    lines += ["", "| our plugin's handler (cumulative) | seconds | share |", "| --- | --- | --- |"]
    lines += [
        f"| {name} | {seconds:.2f} | {seconds / total:.0%} |"
        for name, seconds in profile["plugins"].items()
        if seconds >= 0.005 * total
    ]
    lines += [
        "",
        "| own time, by library (built-ins charged to their caller) | seconds | share |",
        "| --- | --- | --- |",
    ]
    lines += [
        f"| {name} | {seconds:.2f} | {seconds / total:.0%} |"
        for name, seconds in profile["packages"].items()
        if seconds >= 0.01 * total
    ]
    return lines + [""]


def render(build_results, weights, rebuild, profile, sizes, rounds, load, commit, date, info):
    articles = sizes[0]
    libraries = ", ".join(
        f"{name} {importlib.metadata.version(name)}"
        for name in ("markdown", "jinja2", "pyyaml", "pagefind", "playwright")
        if _installed(name)
    )
    lines = [
        START,
        "## Builds, page weight and devserver",
        "",
        f"- Date: {date}",
        f"- Machine: {info['machine']}; load average {load[0]:.1f} when the run began, {load[1]:.1f} when it ended "
        "(other work on the machine slows wall time, not CPU time)",
        f"- Versions: this project at {commit}; Pelican {info['pelican']}, Python {info['python']}, "
        f"{libraries}; {info['chromium']}",
        f"- Content: this site (`content/`, one article) and {', '.join(f'{n:,}' for n in sizes)} articles written "
        "by `bench/generate.py` (10 sections, 30 topics, three years, our full front matter).",
        "- Builds: **ours** is `publishconf.py` with every plugin it lists (as `make publish`); **notmyidea** and "
        "**simple** are stock Pelican with pelican-quickstart's settings (`bench/stock/pelicanconf.py`), reading "
        "the same files (a five-line plugin gives a page that names our `about` template stock's `page`). "
        f"Ratios are medians of per-round ratios; builds alternate within each round. Rounds: {rounds} at {articles:,} "
        f"articles, {rounds * 2} for this site, {min(rounds, 2)} at each larger size.",
        "",
        "### Budgets",
        "",
        *budget_lines(build_results, weights, rebuild, sizes),
        "",
        "Lighthouse's budgets are in its own section.",
        "",
        "### Full builds: CPU, memory, bytes and files",
        "",
        "CPU time is user + system time of the `pelican` command and every process it waited for (Pagefind's "
        "too), from `wait4`'s rusage: wall time hides the second process and grows with the machine's load. "
        "Peak memory is the largest sum of the resident sets of the whole process tree, sampled every 10 ms "
        "(a child that has not yet started a program of its own, between vfork and exec, shares its parent's "
        "memory and is not counted again); "
        "in brackets that of Pelican's own process and that of Pagefind indexing the same output on its own. "
        "Output and files: everything the build wrote (no share cards: `SITEURL` is not set).",
        "",
        *build_tables(build_results),
        "",
        "### Growth from one size to the next",
        "",
        "What each further 1,000 articles added between two measured sizes, ours (notmyidea's in brackets). "
        "A figure that grows linearly adds the same at every step, so *last step ÷ first* is about 1; above 1 "
        f"it grows faster than the archive. The last column carries the last step on to {EXTRAPOLATE_TO:,} "
        "articles: an extrapolation, not a measurement.",
        "",
        *growth_lines(build_results, sizes),
        "",
        "### Published, with share cards",
        "",
        "Each generated site built once more as `make publish SITEURL=https://example.org` builds it: absolute "
        "addresses where a page needs them, and a share card for every article and the site, drawn from an "
        "empty cache. *CPU per card* is this build's CPU time less that of our build without cards, "
        "divided by the cards it drew: an upper bound, since it also counts the absolute URLs and the "
        "template caches, which start empty too.",
        "",
        *published_lines(build_results, sizes),
        "",
        "### Hosts' limits",
        "",
        "Our output against the limits in [docs/hosting.md](../docs/hosting.md), without share cards and, "
        "below, published with them.",
        "",
        *hosting_lines(build_results, sizes),
        "",
        "### Page weight per page type",
        "",
        "Total transfer in headless Chromium (mobile viewport, empty cache, until the network is idle), served by "
        f"`bench/weight.py`'s local server, which gzips text at level {weight.GZIP_LEVEL} as a static host does. "
        "*Transfer* is what DevTools counts: the bodies as the server sends them (text gzipped) plus the response "
        "headers, for every request of the page and of its workers; in brackets, the bodies alone. 1 KB = 1,024 bytes. "
        f"The month archive is the build's largest month page. *{weight.A_SEARCH}* is the search page opened with "
        "a query: what one search costs (Pagefind and the parts of its index it fetches), not a page's weight, "
        "so not held to the page budget.",
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
        *(
            f"| {name} | {rebuild['ours'][key]:.2f} s | {rebuild['notmyidea'][key]:.2f} s | "
            f"{rebuild['ours/notmyidea'][key]:.2f} × |"
            for name, key in (
                ("rebuild finished", "done"),
                ("edit visible in the served page", "visible"),
                ("CPU of the devserver's processes until the rebuild finished", "cpu"),
            )
        ),
        "",
        "### Where the build's time goes",
        "",
        *profile_lines(profile["this site"], "Full build of this site (publishconf.py)"),
        *profile_lines(profile["build"], f"Full build of {profile['articles']} articles (publishconf.py)"),
        *profile_lines(
            profile["rebuild"],
            f"Devserver rebuild after editing the text of one of {profile['articles']} "
            "(devserverconf.py, in the process of a first build)",
        ),
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
    parser.add_argument(
        "--articles",
        type=int,
        nargs="+",
        default=[1000, 5000, 20000],
        help="sizes of the generated sites; page weight, devserver and profile use the smallest",
    )
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--devserver-rounds", type=int, default=2)
    parser.add_argument("--edits", type=int, default=3)
    parser.add_argument("--results", type=Path, default=RESULTS, help="the Markdown file to write into")
    parser.add_argument(
        "--workdir",
        type=Path,
        help="keep the generated sites and builds here, and reuse the sites (default: a temporary folder)",
    )
    parser.add_argument("--save", type=Path, help="also keep the measured figures in this JSON file")
    parser.add_argument("--render", type=Path, help="measure nothing: write the figures kept by --save")
    args = parser.parse_args()
    if args.render:
        write_results(render(**json.loads(args.render.read_text(encoding="utf-8"))), args.results)
        return
    sizes = sorted(args.articles)
    articles = sizes[0]
    load_before = os.getloadavg()[0]
    # The commit measured is the one checked out when the run starts.
    commit = project_version()
    with tempfile.TemporaryDirectory(prefix="bench-") as temporary:
        workdir = args.workdir or Path(temporary)
        print(
            f"builds: {args.rounds} rounds at {articles} articles, {min(args.rounds, 2)} at {sizes[1:]} …", flush=True
        )
        build_results = builds.run(sizes, args.rounds, workdir / "builds")
        generated = sorted((workdir / "builds" / f"content-{articles}" / "articles").glob("*.md"))
        sample = generated[len(generated) // 2].stem[len("YYYY-MM-DD-") :]
        print("page weight …", flush=True)
        sites = {"this site": ("this-site", REAL_ARTICLE), builds_label(articles): (f"{articles}-articles", sample)}
        measured = weight.run(
            {
                (label, b): (workdir / "builds" / folder / f"out-{b}", article)
                for label, (folder, article) in sites.items()
                for b in BUILDS
            }
        )
        weights = {label: {b: measured[(label, b)] for b in BUILDS} for label in sites}
        print("devserver …", flush=True)
        rebuild = devserver.run(articles, args.devserver_rounds, args.edits, workdir / "devserver")
        print("profile …", flush=True)
        profile = profile_build.run(articles, workdir / "builds")
    figures = {
        "build_results": build_results,
        "weights": weights,
        "rebuild": rebuild,
        "profile": profile,
        "sizes": sizes,
        "rounds": args.rounds,
        "load": (load_before, os.getloadavg()[0]),
        "commit": commit,
        "date": datetime.date.today().isoformat(),
        "info": versions(),
    }
    if args.save:
        args.save.write_text(json.dumps(figures, indent=1), encoding="utf-8")
    write_results(render(**figures), args.results)
    print(f"wrote {args.results}")


if __name__ == "__main__":
    main()
