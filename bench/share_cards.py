"""What share cards cost a build: ours without them, with an empty card cache, with a warm one.

    python bench/share_cards.py [--articles 1000] [--rounds 3]
    python bench/share_cards.py --floor
    python bench/share_cards.py --inside [--articles 1000] [--rounds 3]

Builds the generated site of N articles (bench/generate.py) with publishconf.py
and a public SITEURL, in turn: *before* leaves plugins/share_card out of PLUGINS, *warm* finds every
card in the cache, and, in the first round only (it is long), *empty* finds
none. Compiled templates stay cached in all of them, as in everyday builds.
Prints the medians of wall time and of CPU time (user and system, with
Pagefind's and the card workers'), the median ratios within a round, the
largest card and the load average. On a shared machine CPU time moves less
with the load than wall time. ``--floor`` times the parts of one card instead,
part by part. ``--inside`` times, within warm
builds in this process, the CPU of the plugin's two handlers against the
whole build's (Pagefind's left out), which the load hardly moves.
"""

import argparse
import json
import os
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

from generate import generate
from harness import ENV, ROOT, median, pelican_command, run_measured

sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "plugins"))
import pelicanconf  # noqa: E402

BUILDS = ("before", "empty", "warm")
# Cards are drawn only for a public address; every build gets the same one.
SITEURL = "https://example.org"


def command(build, content, output, cache):
    extra = ["-e", f"CACHE_PATH={json.dumps(str(cache))}"]
    if build == "before":
        extra.append(f"PLUGINS={json.dumps([name for name in pelicanconf.PLUGINS if name != 'share_card'])}")
    return pelican_command("ours", content, output, *extra)


def cpu_seconds():
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run(articles, rounds, workdir):
    load_before = os.getloadavg()[0]
    ENV["SITEURL"] = SITEURL
    workdir = Path(workdir)
    content, cache, output = workdir / "content", workdir / "cache", workdir / "output"
    generate(articles, content)
    run_measured(command("before", content, output, cache))  # warm-up, untimed: bytecode, templates
    seconds, cpu = {build: [] for build in BUILDS}, {build: [] for build in BUILDS}
    for number in range(rounds):
        for build in BUILDS if number == 0 else ("before", "warm"):
            if build == "empty":
                shutil.rmtree(cache / "share_cards", ignore_errors=True)
            shutil.rmtree(output, ignore_errors=True)
            start = cpu_seconds()
            seconds[build].append(run_measured(command(build, content, output, cache)).seconds)
            cpu[build].append(cpu_seconds() - start)
    cards = list(output.rglob("*.png"))
    sizes = [card.stat().st_size for card in cards]
    if len(cards) <= articles:
        raise RuntimeError(f"{len(cards)} cards for {articles} articles: the builds drew none or too few")
    return {
        "articles": articles,
        "rounds": rounds,
        "seconds": {build: round(median(values), 2) for build, values in seconds.items()},
        "cpu seconds": {build: round(median(values), 2) for build, values in cpu.items()},
        "empty ÷ before": round(seconds["empty"][0] / seconds["before"][0], 3),
        "warm ÷ before": round(median([w / b for w, b in zip(seconds["warm"], seconds["before"], strict=True)]), 3),
        "cpu: empty ÷ before": round(cpu["empty"][0] / cpu["before"][0], 3),
        "cpu: warm ÷ before": round(median([w / b for w, b in zip(cpu["warm"], cpu["before"], strict=True)]), 3),
        "cards": len(cards),
        "cpu ms per card: (empty - before) ÷ cards": round(1000 * (cpu["empty"][0] - cpu["before"][0]) / len(cards), 1),
        "card KB, mean": round(sum(sizes) / len(sizes) / 1024, 1),
        "card KB, largest": round(max(sizes) / 1024, 1),
        "load average (1 min) before, after": [round(load_before, 1), round(os.getloadavg()[0], 1)],
    }


def best_cpu_ms(call, repeat=7):
    """The least CPU time of ``repeat`` calls, in milliseconds: the least disturbed by other load."""
    times = []
    for _ in range(repeat):
        start = time.process_time()
        call()
        times.append(time.process_time() - start)
    return round(min(times) * 1000, 1)


def floor():
    """What one card costs, in CPU ms, part by part: the article's card (tests/reference), its map layer apart."""
    import share_card
    from PIL import Image

    files = share_card.font_files({"THEME": str(ROOT / "theme")})
    reference = ROOT / "tests" / "reference"
    fields = json.loads((reference / "share-card.json").read_text(encoding="utf-8"))
    layer_svg = (reference / "share-card-map.svg").read_text(encoding="utf-8")
    with tempfile.TemporaryDirectory(prefix="bench-share-card-floor-") as layers:
        family = share_card.load_font(files[0], layers).family
        Path(layers, fields["map_image"]).write_bytes(share_card.rasterize(layer_svg, files, family))
        image = share_card.draw(fields, files, layers)
        blank = Image.new("P", image.size)
        figures = {
            "map layer: resvg (once per distinct map)": best_cpu_ms(
                lambda: share_card.rasterize(layer_svg, files, family)
            ),
            "card: Pillow draws it and reduces it to a palette": best_cpu_ms(
                lambda: share_card.draw(fields, files, layers)
            ),
            "card: PNG (Pillow, then oxipng)": best_cpu_ms(lambda: share_card.compress(image)),
            "a blank card's PNG, for scale": best_cpu_ms(lambda: share_card.compress(blank)),
        }
        size = len(share_card.compress(image))
    return {
        "cpu ms per card (best of 7)": figures,
        "card bytes": size,
        "load average (1 min)": round(os.getloadavg()[0], 1),
    }


def inside(articles, rounds, workdir):
    """Per warm build: the CPU of share_card's handlers, and of the whole build in this process."""
    os.environ["SITEURL"] = SITEURL
    import share_card
    from pelican import Pelican
    from pelican.settings import read_settings

    spent = {"handlers": 0.0}

    def timed(handler):
        def timed_handler(*args, **kwargs):
            start = time.process_time()
            try:
                return handler(*args, **kwargs)
            finally:
                spent["handlers"] += time.process_time() - start

        return timed_handler

    # Before Pelican registers the plugin, which connects these module attributes.
    share_card.design_cards = timed(share_card.design_cards)
    share_card.write_cards = timed(share_card.write_cards)
    workdir = Path(workdir)
    generate(articles, workdir / "content")
    override = {
        "PATH": str(workdir / "content"),
        "CACHE_PATH": str(workdir / "cache"),
        "OUTPUT_PATH": str(workdir / "output"),
    }
    shares = []
    for number in range(rounds + 1):  # the first build fills the cache, untimed
        shutil.rmtree(workdir / "output", ignore_errors=True)
        spent["handlers"], start = 0.0, time.process_time()
        Pelican(read_settings(str(ROOT / "publishconf.py"), override=override)).run()
        if number:
            shares.append(spent["handlers"] / (time.process_time() - start))
    return {
        "articles": articles,
        "warm builds": rounds,
        "handlers ÷ build, CPU, median %": round(100 * median(shares), 2),
        "each build %": [round(100 * share, 2) for share in shares],
        "load average (1 min)": os.getloadavg()[0],
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--floor", action="store_true", help="time one card's parts instead, and a blank card's")
    parser.add_argument("--inside", action="store_true", help="time the plugin's handlers within warm builds")
    args = parser.parse_args()
    if args.floor:
        print(json.dumps(floor(), indent=2, ensure_ascii=False))
        return
    if args.inside:
        with tempfile.TemporaryDirectory(prefix="bench-share-cards-inside-") as workdir:
            print(json.dumps(inside(args.articles, args.rounds, workdir), indent=2, ensure_ascii=False))
        return
    with tempfile.TemporaryDirectory(prefix="bench-share-cards-") as workdir:
        print(json.dumps(run(args.articles, args.rounds, workdir), indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
