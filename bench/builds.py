"""(a) full build time and (b) peak memory: this project against stock Pelican.

    python bench/builds.py [--articles 1000] [--rounds 5]

Two sites: this site as committed (content/, one article) and a generated one
of N articles (bench/generate.py). Each round builds both with ours,
notmyidea and simple, one after the other, into fresh folders; the figures
are medians over rounds, and ratios are taken within a round.
"""

import argparse
import json
import shutil
import sys
import tempfile
from pathlib import Path

from generate import generate
from harness import BUILDS, ROOT, html_pages, median, median_ratio, pelican_command, run_measured


def measure_site(content, rounds, workdir):
    """[{build: {"seconds", "memory_mb"}}] for each round, the page count of each
    build, and the peak memory of our search indexing on its own."""
    results, pages = [], {}
    for build in BUILDS:  # warm-up, untimed: disk cache and bytecode
        output = workdir / f"out-{build}"
        run_measured(pelican_command(build, content, output))
        pages[build] = len(html_pages(output))
    for number in range(rounds):
        # Rotate the order so no build always runs first, or always last.
        order = BUILDS[number % 3 :] + BUILDS[: number % 3]
        results.append({})
        for build in order:
            output = workdir / f"out-{build}"
            shutil.rmtree(output, ignore_errors=True)
            measured = run_measured(pelican_command(build, content, output))
            results[-1][build] = {"seconds": measured.seconds, "memory_mb": measured.memory_mb, "own_memory_mb": measured.own_memory_mb}
    return results, pages, search_index_memory(workdir / "out-ours", workdir)


def search_index_memory(output, workdir):
    """Peak memory of Pagefind alone, indexing a copy of our build as our build does."""
    from pagefind.service import get_executable

    sys.path.insert(0, str(ROOT / "plugins"))
    sys.path.insert(0, str(ROOT))
    import pelicanconf
    from search_index.search_index import article_glob, pagefind_command

    copy = workdir / "pagefind-alone"
    shutil.rmtree(copy, ignore_errors=True)
    shutil.copytree(output, copy)
    shutil.rmtree(copy / "pagefind", ignore_errors=True)
    memory_mb = run_measured(pagefind_command(get_executable(), copy, article_glob(pelicanconf.ARTICLE_SAVE_AS))).memory_mb
    shutil.rmtree(copy)
    return memory_mb


def summarise(rounds, pages, search_memory_mb):
    summary = {"rounds": len(rounds), "pages": pages, "pagefind_memory_mb": search_memory_mb}
    for build in BUILDS:
        summary[build] = {
            "seconds": median([r[build]["seconds"] for r in rounds]),
            "memory_mb": median([r[build]["memory_mb"] for r in rounds]),
            "own_memory_mb": median([r[build]["own_memory_mb"] for r in rounds]),
        }
    for baseline in ("notmyidea", "simple"):
        summary[f"ours/{baseline}"] = {
            "seconds": median_ratio(rounds, "seconds", "ours", baseline),
            "memory_mb": median_ratio(rounds, "memory_mb", "ours", baseline),
        }
    return summary


def run(articles, rounds, workdir):
    """{"this site": summary, "N articles": summary}."""
    workdir = Path(workdir)
    generated = workdir / "content"
    if not (generated / "articles").is_dir():
        generate(articles, generated)
    results = {}
    for label, content, count in (("this site", ROOT / "content", rounds * 2), (f"{articles} articles", generated, rounds)):
        site_dir = workdir / label.replace(" ", "-")
        site_dir.mkdir(parents=True, exist_ok=True)
        # One-article builds are short and noisy: twice as many rounds.
        results[label] = summarise(*measure_site(content, count, site_dir))
    return results


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-builds-") as workdir:
        print(json.dumps(run(args.articles, args.rounds, workdir), indent=2))


if __name__ == "__main__":
    main()
