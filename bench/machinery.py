"""(e) What two plugins buy: the build as it is, against the build without each of them.

    python bench/machinery.py [--articles 1 1000] [--rounds 3] [--edits 3]

`template_cache` and `incremental_rebuild` change no byte of
the output, only what a build costs. For each size (generated articles), each
round measures every variant in a rotated order: all plugins as committed, and
each of the two left out of `PLUGINS` (Pelican's `-e`). A variant is measured
twice: a full build as `make publish` runs it (CPU of every process and wall
time; the compiled templates kept from the warm-up build, as on any build but
the first), and `make devserver` with `--edits` edits of one article's text
(bench/devserver.py: seconds until the edit is served, until the rebuild ends,
and the devserver's CPU time in between). Figures are medians; ratios are taken
within a round.
"""

import argparse
import json
import shutil
import sys
import tempfile
from pathlib import Path

import devserver
from generate import generate
from harness import ROOT, median, pelican_command, run_measured

PLUGINS = ("template_cache", "incremental_rebuild")
VARIANTS = ("all", *(f"without {name}" for name in PLUGINS))


def overrides(variant):
    """Pelican's arguments that leave one plugin out of the committed list."""
    if variant == "all":
        return []
    sys.path.insert(0, str(ROOT))
    import pelicanconf

    plugins = [name for name in pelicanconf.PLUGINS if name != variant.removeprefix("without ")]
    return ["-e", f"PLUGINS={json.dumps(plugins)}"]


def measure_size(articles, rounds, edits, workdir):
    """{variant: {figure: median}} and {variant: {figure: median ratio to "all"}}."""
    content = workdir / "content"
    generate(articles, content)
    article, article_url = devserver.middle_article(content)
    output = workdir / "out"
    run_measured(pelican_command("ours", content, output))  # untimed: disk cache, bytecode, compiled templates
    rounds_measured = []
    for number in range(rounds):
        order = VARIANTS[number % len(VARIANTS) :] + VARIANTS[: number % len(VARIANTS)]
        figures = {}
        for variant in order:
            shutil.rmtree(output, ignore_errors=True)
            build = run_measured(pelican_command("ours", content, output, *overrides(variant)))
            edited = devserver.measure(
                "ours",
                content,
                workdir,
                article,
                article_url,
                edits,
                f"r{number}v{VARIANTS.index(variant)}",
                overrides(variant),
            )
            figures[variant] = {
                "build_cpu": build.cpu_seconds,
                "build_wall": build.seconds,
                **{f"edit_{key}": median([e[key] for e in edited]) for key in devserver.FIGURES},
            }
            print(f"  {articles} articles, {variant}: {json.dumps(figures[variant])}", flush=True)
        rounds_measured.append(figures)
    keys = list(rounds_measured[0]["all"])
    medians = {v: {k: median([r[v][k] for r in rounds_measured]) for k in keys} for v in VARIANTS}
    ratios = {v: {k: median([r[v][k] / r["all"][k] for r in rounds_measured]) for k in keys} for v in VARIANTS[1:]}
    return medians, ratios


def run(sizes, rounds, edits, workdir):
    return {
        n: dict(zip(("medians", "ratios"), measure_size(n, rounds, edits, Path(workdir) / str(n)), strict=True))
        for n in sizes
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, nargs="+", default=[1, 1000])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--edits", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-machinery-") as workdir:
        print(json.dumps(run(args.articles, args.rounds, args.edits, workdir), indent=2))


if __name__ == "__main__":
    main()
