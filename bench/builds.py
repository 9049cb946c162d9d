"""(a) full builds: CPU time, peak memory and output, this project against stock Pelican.

    python bench/builds.py [--articles 1000 5000 20000] [--rounds 5]

Sites: this site as committed (content/, one article) and generated ones of
N articles each (bench/generate.py). Each round builds a site with every
build compared, one after the other, into fresh folders; the figures are
medians over rounds, and ratios are taken within a round. The first size is
built `--rounds` times with ours, notmyidea and simple (the page weights
read those folders); larger ones with ours and notmyidea, at most twice (a
round of 20,000 articles takes ten minutes): in both orders, so that a
machine whose speed drifts during the run (CPU time too moves by a tenth
within minutes on a shared one) favours neither. Each generated
site is then published once as a host would get it: ours with a public
SITEURL and an empty card cache, so every share card is drawn and counted.
"""

import argparse
import json
import shutil
import sys
import tempfile
from pathlib import Path

from generate import generate
from harness import (
    BUILDS,
    ENV,
    ROOT,
    html_pages,
    median,
    median_ratio,
    output_size,
    pelican_command,
    run_measured,
)

FIGURES = ("seconds", "cpu_seconds", "memory_mb", "own_memory_mb", "bytes", "files")
# Share cards are drawn only for a public address (publishconf.py).
PUBLIC_SITEURL = "https://example.org"


def measure_site(content, rounds, workdir, builds=BUILDS, warm_up=True):
    """[{build: {figure: value}}] for each round, the page count of each
    build, the peak memory of our search indexing on its own, and our sitemap's URLs."""
    results, pages = [], {}
    if warm_up:
        for build in builds:  # untimed: disk cache and bytecode
            run_measured(pelican_command(build, content, workdir / f"out-{build}"))
    for number in range(rounds):
        # Rotate the order so no build always runs first, or always last.
        order = builds[number % len(builds) :] + builds[: number % len(builds)]
        results.append({})
        for build in order:
            output = workdir / f"out-{build}"
            shutil.rmtree(output, ignore_errors=True)
            measured = run_measured(pelican_command(build, content, output))
            size, files = output_size(output)
            results[-1][build] = {**{k: getattr(measured, k) for k in FIGURES[:4]}, "bytes": size, "files": files}
            print(
                f"  {build}: {measured.cpu_seconds:.1f} s CPU, {measured.memory_mb:.0f} MB, "
                f"{size / 2**20:.0f} MB in {files} files",
                flush=True,
            )
    for build in builds:
        pages[build] = len(html_pages(workdir / f"out-{build}"))
    return results, pages, search_index_memory(workdir / "out-ours", workdir), sitemap_urls(workdir / "out-ours")


def sitemap_urls(output):
    """How many page addresses our sitemap lists, in one file or in the parts of a sitemap index."""
    return sum(path.read_text(encoding="utf-8").count("<url>") for path in Path(output).glob("sitemap*.xml"))


def search_index_memory(output, workdir):
    """Peak memory of Pagefind alone, indexing our build as our build does, into a folder of its own
    (a copy of the output to index would double the disk a 20,000-article run takes)."""
    from pagefind.service import get_executable

    sys.path.insert(0, str(ROOT / "plugins"))
    sys.path.insert(0, str(ROOT))
    from search_index.search_index import article_glob, pagefind_command

    import pelicanconf

    index = workdir / "pagefind-alone"
    shutil.rmtree(index, ignore_errors=True)
    glob = article_glob(pelicanconf.ARTICLE_SAVE_AS)
    memory_mb = run_measured(pagefind_command(get_executable(), output, glob, ("--output-path", str(index)))).memory_mb
    shutil.rmtree(index)
    return memory_mb


def measure_published(content, workdir):
    """{figure: value} of one build as `make publish SITEURL=…` makes it, from an empty card cache,
    with the bytes and number of the share cards it wrote (every PNG but the theme's)."""
    output, cache = workdir / "out-published", workdir / "cache-published"
    for folder in (output, cache):
        shutil.rmtree(folder, ignore_errors=True)
    command = pelican_command("ours", content, output, "-e", f"CACHE_PATH={json.dumps(str(cache))}")
    measured = run_measured(command, env={**ENV, "SITEURL": PUBLIC_SITEURL})
    size, files = output_size(output)
    cards = [path.stat().st_size for path in output.rglob("*.png") if "theme" not in path.relative_to(output).parts]
    if not cards:
        raise RuntimeError(f"a build with SITEURL={PUBLIC_SITEURL} drew no share card: is share_card in PLUGINS?")
    print(f"  published: {measured.cpu_seconds:.1f} s CPU, {size / 2**20:.0f} MB, {len(cards)} cards", flush=True)
    for folder in (output, cache):
        shutil.rmtree(folder)
    return {
        "cpu_seconds": measured.cpu_seconds,
        "memory_mb": measured.memory_mb,
        "bytes": size,
        "files": files,
        "cards": len(cards),
        "card_bytes": sum(cards),
    }


def summarise(rounds, pages, search_memory_mb, sitemap_url_count):
    builds = list(rounds[0])
    summary = {
        "rounds": len(rounds),
        "pages": pages,
        "pagefind_memory_mb": search_memory_mb,
        "sitemap_urls": sitemap_url_count,
        "builds": builds,
    }
    for build in builds:
        summary[build] = {key: median([r[build][key] for r in rounds]) for key in FIGURES}
    for baseline in ("notmyidea", "simple"):
        if baseline in builds:
            summary[f"ours/{baseline}"] = {key: median_ratio(rounds, key, "ours", baseline) for key in FIGURES}
    return summary


def site_label(articles):
    return f"{articles} articles"


def run(sizes, rounds, workdir):
    """{"this site": summary, "N articles": summary, …}; sizes in ascending order."""
    workdir = Path(workdir)
    results = {}
    sites = [("this site", ROOT / "content", rounds * 2, BUILDS)]
    for number, articles in enumerate(sizes):
        generated = workdir / f"content-{articles}"
        if not (generated / "articles").is_dir():
            generate(articles, generated)
        sites.append(
            (
                site_label(articles),
                generated,
                rounds if number == 0 else min(rounds, 2),
                BUILDS if number == 0 else ("ours", "notmyidea"),
            )
        )
    for label, content, count, builds in sites:
        print(f"{label}: {count} rounds of {', '.join(builds)}", flush=True)
        site_dir = workdir / label.replace(" ", "-")
        site_dir.mkdir(parents=True, exist_ok=True)
        # One-article builds are short and noisy: twice as many rounds.
        results[label] = summarise(*measure_site(content, count, site_dir, builds, warm_up=count > 1))
        if content != ROOT / "content":
            results[label]["published"] = measure_published(content, site_dir)
    return results


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, nargs="+", default=[1000, 5000, 20000])
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-builds-") as workdir:
        print(json.dumps(run(sorted(args.articles), args.rounds, workdir), indent=2))


if __name__ == "__main__":
    main()
