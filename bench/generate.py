"""Write a site's worth of realistic articles for the benchmarks and the scale test.

    python bench/generate.py 1000 /tmp/content

writes DEST/articles/*.md and copies the project's pages and data beside
them, so that `pelican DEST -s publishconf.py` builds a complete site. The
articles use exactly the front matter of content/articles/*.md (sections,
topics, sources, key facts, timeline, places, corrections, editor's notes),
their paragraphs are drawn from tests/reference/seed.txt, and they are spread
over 10 sections, 30 topics and three years. The same count and seed always
give the same files.
"""

import argparse
import datetime
import random
import re
import shutil
from pathlib import Path
from zoneinfo import ZoneInfo

import yaml

ROOT = Path(__file__).resolve().parent.parent
CONTENT = ROOT / "content"
SEED_TEXT = ROOT / "tests" / "reference" / "seed.txt"
DEFAULT_SEED = 20230616
TIMEZONE = ZoneInfo("Europe/Berlin")
FIRST_DAY = datetime.date(2021, 1, 1)
DAYS = 3 * 365

# The first three are the real site's sections, so their descriptions apply.
SECTIONS = [
    "Mali",
    "UN",
    "Bundeswehr",
    "Niger",
    "Burkina Faso",
    "Sahel",
    "Security",
    "Diplomacy",
    "Economy",
    "Human rights",
]
TOPICS = [
    "Mali",
    "UN",
    "Bundeswehr",
    "MINUSMA",
    "Wagner Group",
    "Russia",
    "Human rights",
    "Moura",
    "UN Security Council",
    "Peacekeeping",
    "Gao",
    "Bamako",
    "Mopti",
    "Niger",
    "Burkina Faso",
    "France",
    "Germany",
    "ECOWAS",
    "African Union",
    "Refugees",
    "Elections",
    "Coup",
    "Drones",
    "Islamist groups",
    "Al-Qaeda",
    "Sanctions",
    "Humanitarian aid",
    "Mandate",
    "Withdrawal",
    "Diplomacy",
]
# The real article's places: the locator map knows where these are.
PLACES = [
    ("Gao", "city in the north-east, near which the German soldiers are mainly deployed"),
    ("Moura", "village in the Mopti region of central Mali"),
    ("Mopti", "town in the Mopti region of central Mali"),
    ("Bamako", "the capital, in the south-west"),
]
PUBLISHERS = ["dpa", "United Nations", "WirtschaftsWoche", "DER SPIEGEL", "Konrad-Adenauer-Stiftung"]
SOURCE_KINDS = ["original report (German)", "related report (German)", "primary record", "background"]


def read_seed(path=SEED_TEXT):
    """The seed's paragraphs, subheadings and sentences."""
    lines = [line.strip() for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    paragraphs = [line for line in lines if len(line) > 120]
    headings = [line for line in lines if len(line) <= 120]
    sentences = [s for p in paragraphs for s in re.split(r"(?<=[.!?”])\s+", p) if len(s) > 40]
    return paragraphs, headings, sentences


def slugify(text):
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def headline(sentence, rng):
    """A headline cut from a sentence: its first 6 to 10 words, without end punctuation."""
    words = re.sub(r"[“”\"]", "", sentence).split()
    return " ".join(words[: rng.randint(6, 10)]).rstrip(",.;:")


def partial_date(day, rng):
    """A source date as editors write them: a full date, a month or a year."""
    precision = rng.choice(["day", "day", "month", "year"])
    if precision == "day":
        return day
    return f"{day:%Y-%m}" if precision == "month" else f"{day:%Y}"


def article(number, rng, seed_parts):
    """One article: (file name, front matter dict, Markdown body)."""
    paragraphs, headings, sentences = seed_parts
    day = FIRST_DAY + datetime.timedelta(days=rng.randrange(DAYS))
    published = datetime.datetime(
        day.year, day.month, day.day, rng.randrange(6, 22), rng.choice([0, 15, 30, 45]), tzinfo=TIMEZONE
    )
    title = headline(rng.choice(sentences), rng)
    slug = f"{slugify(title)[:60].rstrip('-')}-{number:04d}"
    body_paragraphs = rng.sample(paragraphs, rng.randint(4, min(8, len(paragraphs))))
    body = []
    for index, paragraph in enumerate(body_paragraphs):
        if index and index % 3 == 0:
            body.append(f"## {rng.choice(headings)}")
        body.append(paragraph)
    # Corrections and editor's notes quote words that really are in the body.
    quoted = rng.choice(body_paragraphs).split()
    start = rng.randrange(max(1, len(quoted) - 6))
    quote = " ".join(quoted[start : start + 5])
    place, place_description = rng.choice(PLACES)
    front = {
        "title": title,
        "slug": slug,
        "date": published,
        "summary": " ".join(rng.sample(sentences, 2)),
        "author": "dpa",
        "place": place,
        "place_note": "where the reported events took place",
        "translation_note": "Translated from German: an English machine translation"
        " of a report by the German news agency dpa.",
        "categories": rng.sample(SECTIONS, rng.choice([1, 1, 2, 3])),
        "tags": rng.sample(TOPICS, rng.randint(2, 6)),
        "corrections": [
            {
                "original": f"{quote.split()[0]} {quote}",
                "corrected": quote,
                "reason": "a doubled word in the received text",
            }
        ],
        "editor_notes": [{"quote": quote, "note": "The figure is the one given in the report."}],
        "sources": [
            {
                "name": headline(rng.choice(sentences), rng),
                # The headlines are made from the English seed.
                "lang": "en",
                "publisher": rng.choice(PUBLISHERS),
                "date": partial_date(day - datetime.timedelta(days=k), rng),
                "url": f"https://www.example.org/{published:%Y/%m}/{slug}-{k}.html",
                "kind": rng.choice(SOURCE_KINDS),
            }
            for k in range(rng.randint(1, 5))
        ],
        "facts": rng.sample(sentences, rng.randint(2, 6)),
        "timeline": timeline(day, rng, sentences),
        "places": [
            {"name": name, "description": description, "in_article": name == place}
            for name, description in [(place, place_description)]
            + rng.sample([p for p in PLACES if p[0] != place], rng.randint(0, len(PLACES) - 1))
        ],
    }
    return f"{day:%Y-%m-%d}-{slug}.md", front, "\n\n".join(body) + "\n"


def timeline(day, rng, sentences):
    """Events before the article, in order, and sometimes one after it."""
    entries = []
    for offset in sorted(rng.sample(range(30, 3000), rng.randint(2, 8)), reverse=True):
        when = day - datetime.timedelta(days=offset)
        date = f"{when:%Y}" if rng.random() < 0.2 else when
        entries.append(
            {"date": date, "event": headline(rng.choice(sentences), rng), "kind": rng.choice(["context", "article"])}
        )
    entries.append({"date": day, "event": headline(rng.choice(sentences), rng), "kind": "article"})
    if rng.random() < 0.3:
        entries.append(
            {
                "date": day + datetime.timedelta(days=rng.randint(1, 60)),
                "event": headline(rng.choice(sentences), rng),
                "kind": "after",
            }
        )
    return entries


def sections_data():
    """The real sections.yaml plus a description for every generated section."""
    sections = yaml.safe_load((CONTENT / "data" / "sections.yaml").read_text(encoding="utf-8")) or {}
    for name in SECTIONS:
        sections.setdefault(slugify(name), {"title": name, "nav": False, "description": f"Reports filed under {name}."})
    return sections


class FrontMatterDumper(yaml.SafeDumper):
    """Writes dates and times as editors do: 2023-06-16T00:00:00+02:00, unquoted."""


FrontMatterDumper.add_representer(
    datetime.datetime, lambda dumper, value: dumper.represent_scalar("tag:yaml.org,2002:timestamp", value.isoformat())
)


def generate(count, destination, seed=DEFAULT_SEED):
    """Write `count` articles and the project's pages and data into `destination`.

    Returns {file name: front matter} for the articles written.
    """
    destination = Path(destination)
    rng = random.Random(seed)
    seed_parts = read_seed()
    for folder in ("pages", "data", "geo", "extra"):
        if (CONTENT / folder).is_dir():
            shutil.copytree(CONTENT / folder, destination / folder, dirs_exist_ok=True)
    (destination / "data" / "sections.yaml").write_text(
        yaml.safe_dump(sections_data(), allow_unicode=True, sort_keys=False), encoding="utf-8"
    )
    articles_dir = destination / "articles"
    articles_dir.mkdir(parents=True, exist_ok=True)
    written = {}
    for number in range(1, count + 1):
        name, front, body = article(number, rng, seed_parts)
        text = (
            "---\n"
            + yaml.dump(front, Dumper=FrontMatterDumper, allow_unicode=True, sort_keys=False, width=100)
            + "---\n\n"
            + body
        )
        (articles_dir / name).write_text(text, encoding="utf-8")
        written[name] = front
    return written


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("count", type=int, help="how many articles")
    parser.add_argument("destination", type=Path, help="the content folder to write (created)")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    args = parser.parse_args()
    written = generate(args.count, args.destination, args.seed)
    print(f"wrote {len(written)} articles to {args.destination / 'articles'}")


if __name__ == "__main__":
    main()
