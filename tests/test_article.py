"""The article page as a newsroom publishes it: key facts, timeline, locator map,
sources, corrections, section pages and reading aids, checked against the
editorial brief where the brief says what they must be."""

import datetime
import gzip
import hashlib
import json
import posixpath
import re

import feedparser
import pytest
import textstat
import yaml
from selectolax.lexbor import LexborHTMLParser
from support import ARTICLE, ROOT, SOURCE, article_path, articles, extra_articles

import pelicanconf

BRIEF = ROOT / "tests" / "reference" / "BRIEF.md"
SEED = ROOT / "tests" / "reference" / "seed.txt"
GEO = ROOT / "content" / "geo"


def text(node):
    """A node's text with whitespace collapsed."""
    return " ".join(node.text(separator=" ").split())


def plain_quotes(value):
    """The brief writes straight quotes and apostrophes, the site typographic ones."""
    return value.replace("“", '"').replace("”", '"').replace("‘", "'").replace("’", "'")


def without_notes_to_editors(line):
    """A line of the brief without its notes to editors: sentences in brackets, such as
    '(The word "immediately" is not in the report: …)'; '(around 12,000 …)' stays."""
    kept, depth, note = [], 0, False
    for char in line:
        if char == "(":
            if depth == 0:
                start = len(kept)
            depth += 1
        kept.append(char)
        if char == ")":
            depth -= 1
            if depth == 0:
                inner = "".join(kept[start + 1 : -1])
                note = inner[:1].isupper() and inner.endswith(".")
                if note:
                    del kept[start:]
    return " ".join("".join(kept).split())


def brief_section(number):
    assert BRIEF.is_file(), f"the editorial brief is missing: {BRIEF}"
    sections = re.split(r"^## ", BRIEF.read_text(encoding="utf-8"), flags=re.M)
    [section] = [part for part in sections if part.startswith(f"{number}. ")]
    return section


def brief_table(number):
    """The rows of the first table in a section of the brief, as lists of cells."""
    rows = [line.strip().strip("|").split("|") for line in brief_section(number).splitlines() if line.startswith("|")]
    return [[cell.strip().strip("`") for cell in row] for row in rows[2:]]


def heading_of(tree, section):
    """The heading a section names with aria-labelledby."""
    target = tree.css_first(f"#{section.attributes['aria-labelledby']}")
    return text(target) if target else None


# -- What the article page says around the report ---------------------------------------


def quotations(value):
    """The passages a text puts in double or single typographic quotation marks
    (trimmed: an inline element such as <span lang> adds spaces to the text)."""
    found = re.findall(r"“([^”]*)”", value) + re.findall(r"(?<!\w)‘([^’]*)’(?!\w)", value)
    return [passage.strip() for passage in found]


def in_order(passage, text_):
    """Whether ``passage`` is in ``text_``; the parts of a passage cut with "…" in order."""
    position = 0
    for part in passage.split("…"):
        found = text_.find(part.strip(" "), position)
        if found < 0:
            return False
        position = found + len(part.strip(" "))
    return True


# -- Our own text against the report and the brief ------------------------------------------
# Brief: "Nothing on the site may state a fact that is neither in the article nor
# in this brief." Our own text is everything on every page and in every feed but
# the report's body; every number and every quotation in it must be found in the
# report (as received or as published) or in the brief.

# Left out of our own text, each for a reason:
NOT_OUR_CLAIMS = (
    "article.article > .article-body",  # the report itself (a page’s body is our text)
    "del",  # wording we retracted, quoted in a correction as it stood (brief §8)
    "ins",  # the report's wording as published, in a correction of its translation
    ".locator-map__meta",  # coordinates computed from content/geo/, whose README is their home (brief §6)
    ".locator-map__credits",  # licence lines from content/geo/credits.yaml
    "script",
    "style",
)
# Figures the site computes rather than states: the reading time, counts of articles.
COUNTED = re.compile(r"\b\d+ min read\b|\b\d+ articles?\b")
NUMBER = re.compile(r"\d+(?:,\d{3})*(?:\.\d+)*")
# "25 Apr 2013", "28–31 Mar 2022", "16 June 2023", "May 31, 2024", "June 2023"
DAYS = re.compile(
    r"(?:(\d{1,2})(?:–(\d{1,2}))? )?(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\.?(?: (\d{1,2}),)? (\d{4})"
)


# Where a place lies: "north-east", "south-west", "northern" (the report writes "northeast").
DIRECTION = re.compile(r"\b(?:north|south)-?(?:east|west)(?:ern)?\b|\b(?:north|south|east|west)(?:ern)?\b", re.I)


def directions(value):
    return {found.lower().replace("-", "") for found in DIRECTION.findall(value)}


def numbers(value):
    return {found.replace(",", "") for found in NUMBER.findall(value)}


def dates_in(value):
    """The ISO dates a text gives, at their precision, in any of the forms the brief and report use."""
    found = set(re.findall(r"\b\d{4}(?:-\d{2}){0,2}\b", value))
    for day, last, month, us_day, year in DAYS.findall(value):
        number = datetime.datetime.strptime(month[:3], "%b").month
        found.add(f"{year}-{number:02}")
        for d in (day, last, us_day):
            if d:
                found.add(f"{year}-{number:02}-{int(d):02}")
    return found


def reference(pages):
    """(report, brief): the report as received and as published, and the brief, whitespace
    collapsed; the brief with the data README it names as the home of the map data's
    provenance and licences (brief §6), our copy of which is content/geo/README.md.
    The brief speaks for this report only: every other article is the reference for
    what its own page, teasers and feed entries say, so its source joins the brief."""
    report = " ".join(SEED.read_text(encoding="utf-8").split()) + " " + text(pages[ARTICLE].css_first(".article-body"))
    others = [
        path.read_text(encoding="utf-8")
        for path in sorted((ROOT / "content" / "articles").glob("*.md"))
        if path.name != SOURCE
    ]
    others += [yaml.safe_dump(section) for section in other_sections().values()]
    brief = "\n".join([BRIEF.read_text(encoding="utf-8"), (GEO / "README.md").read_text(encoding="utf-8"), *others])
    return report, " ".join(brief.split())


def report_sections():
    """The sections the report is published in, from sections.yaml: our text about the report."""
    sections = yaml.safe_load((ROOT / "content" / "data" / "sections.yaml").read_text(encoding="utf-8"))
    named = {name.lower() for name in articles()[SOURCE]["categories"]}
    return {slug: section for slug, section in sections.items() if slug in named or section["title"].lower() in named}


def other_sections():
    """The sections the report is not in: their descriptions speak for other articles."""
    sections = yaml.safe_load((ROOT / "content" / "data" / "sections.yaml").read_text(encoding="utf-8"))
    return {slug: section for slug, section in sections.items() if slug not in report_sections()}


def our_update_days():
    """The days our own updates and corrections carry: they date the site's work, not the story."""
    days = set()
    for meta in articles().values():
        days |= {meta["modified"].date().isoformat()} if "modified" in meta else set()
        days |= {fix["date"].isoformat() for fix in meta.get("our_corrections", [])}
        days |= {update["date"].isoformat() for update in meta.get("earlier_updates", [])}
    sections = yaml.safe_load((ROOT / "content" / "data" / "sections.yaml").read_text(encoding="utf-8"))
    days |= {
        fix["date"].isoformat() for section in sections.values() for fix in section.get("description_corrections", [])
    }
    return days


def our_text(html):
    """(text, [datetime of each <time>]) of our own text in a page or a feed entry's HTML."""
    tree = LexborHTMLParser(html)
    for node in tree.css(", ".join(NOT_OUR_CLAIMS)):
        node.decompose()
    times = [node.attributes.get("datetime") for node in tree.css("time")]
    for node in tree.css("time"):
        node.decompose()
    said = [tree.css_first("title")] + tree.css('meta[name="description"], meta[property="og:description"]')
    parts = [
        node.text() if node.tag == "title" else node.attributes.get("content", "") for node in said if node is not None
    ]
    return COUNTED.sub(" ", " ".join(parts + [tree.body.text(separator=" ") if tree.body else ""])), times


def unfounded(value, times, report, brief, report_paragraphs=()):
    """What in our text is in neither the report nor the brief: numbers, quotations, dates, directions."""
    value = " ".join(value.split())
    known_numbers, known_dates = numbers(report + " " + brief), dates_in(report + " " + brief) | our_update_days()
    found = [("number", n) for n in sorted(numbers(value) - known_numbers)]
    found += [
        ("quotation", q)
        for q in quotations(value)
        if not (in_order(q, report) or in_order(plain_quotes(q), plain_quotes(brief)))
    ]
    found += [("date", t) for t in times if t not in known_dates]
    found += [("date", d) for d in sorted(dates_in(value)) if len(d) == 10 and d not in known_dates]
    found += [("direction", d) for d in sorted(directions(value) - directions(report + " " + brief))]
    return found


def test_a_figure_quotation_or_date_found_in_neither_is_named(pages):
    report, brief = reference(pages)
    said = "Up to 3,000 mercenaries; Mali said “no civilians were killed in Moura” by 30 June 2024 in the south-west."
    found = unfounded(said, ["2023-06-16", "2022-02-30"], report, brief)
    assert found == [
        ("number", "3000"),
        ("quotation", "no civilians were killed in Moura"),
        ("date", "2022-02-30"),
        ("date", "2024-06-30"),
        ("direction", "southwest"),
    ]


def test_every_number_quotation_and_date_in_our_text_is_in_the_report_or_the_brief(site, pages):
    """On every page, everything but the report's body and what NOT_OUR_CLAIMS leaves out."""
    report, brief = reference(pages)
    offenders, seen = [], {"number": 0, "quotation": 0}
    for path in sorted(site.rglob("*.html")):
        value, times = our_text(path.read_text(encoding="utf-8"))
        seen["number"] += len(numbers(value))
        seen["quotation"] += len(quotations(value))
        offenders += [
            (path.relative_to(site).as_posix(), kind, what) for kind, what in unfounded(value, times, report, brief)
        ]
    assert seen["number"] and seen["quotation"], "no number or quotation in our text: the test proves nothing"
    assert offenders == []


def test_every_number_and_quotation_in_our_feed_text_is_in_the_report_or_the_brief(site, pages):
    """Every feed's title and subtitle and every entry's title, summary and content,
    without the report's paragraphs (the entry carries the body as the page does)."""
    report, brief = reference(pages)
    body = {" ".join(node.text().split()) for node in pages[ARTICLE].css(".article-body > *")}
    offenders, seen = [], 0
    for path in sorted(site.rglob("*.xml")):
        if "feeds" not in path.parts:
            continue
        feed = feedparser.parse(path.read_bytes())
        fields = [feed.feed.get("title", ""), feed.feed.get("subtitle", "")]
        for entry in feed.entries:
            content = LexborHTMLParser(entry.content[0].value if "content" in entry else "")
            for node in content.css("body > *"):
                if " ".join(node.text().split()) in body:
                    node.decompose()
            fields += [entry.title, entry.get("summary", ""), content.body.html if content.body else ""]
        for field in fields:
            value, times = our_text(f"<body>{field}</body>")
            seen += len(numbers(value)) + len(quotations(value))
            offenders += [
                (path.relative_to(site).as_posix(), kind, what) for kind, what in unfounded(value, times, report, brief)
            ]
    assert seen, "no number or quotation in our feed text: the test proves nothing"
    assert offenders == []


# -- How our text attributes what it reports ---------------------------------------------
# Checked sentence by sentence in each outermost block of our own text (a key fact, a
# timeline entry, a correction, a paragraph), on every page and in every feed entry.

BLOCKS = "p, li, dd, dt, td, th, h1, h2, h3, h4, figcaption, blockquote"
# Words of the report that it does not itself put in quotation marks are the report's
# words, not a speaker's: our text says so ("in the report’s words"), or the block is
# labelled as from the report (a timeline entry). Words it quotes are a speaker's,
# translated (from German, and Diop's from French first: brief §1): our text says so.
REPORTS_WORDS = re.compile(
    r"report’s (?:translated )?words|the report says|the report, which says|from the report", re.I
)
TRANSLATED_WORDS = re.compile(r"translated words", re.I)
# A report "counted" or "documented" claims more than the report says (brief §4: no widening).
TALLY = re.compile(
    r"\breports?\s+(?:also\s+)?(?:counted|counts|tallied|recorded|records|documented|documents|confirmed|confirms|verified|verifies|established|proved|proves|found|finds|showed|shows)\b",
    re.I,
)
SENTENCE_END = re.compile(r"(?<=[.!?])”?\s+(?=[A-Z“])")


def blocks_of(html):
    """The text of each outermost block of our own text in a page or feed entry's HTML,
    and of its title and descriptions, with NOT_OUR_CLAIMS left out."""
    tree = LexborHTMLParser(html)
    for node in tree.css(", ".join(NOT_OUR_CLAIMS)):
        node.decompose()
    found = [
        node.attributes.get("content", "")
        for node in tree.css('meta[name="description"], meta[property="og:description"]')
    ]
    for node in tree.css(BLOCKS):
        parent, nested = node.parent, False
        while parent is not None and not nested:
            nested = parent.tag in BLOCKS.split(", ")
            parent = parent.parent
        if not nested:
            times = [time.attributes.get("datetime") or "" for time in node.css("time")]
            found.append(" ".join((node.text(separator=" ") + " " + " ".join(times)).split()))
    return found


def misattributed(block, report, speech, sources):
    """What in one block quotes or credits something as the report does not.
    ``speech``: the passages the report puts in quotation marks; ``sources``: (publisher, agency)
    of every source whose publisher carried another's text ("Süddeutsche Zeitung, text by dpa")."""
    found = []
    for sentence in SENTENCE_END.split(block):
        for quoted in quotations(sentence):
            if len(quoted.split()) < 3 or not in_order(quoted, report):
                continue
            if any(in_order(quoted, passage) for passage in speech):
                if not TRANSLATED_WORDS.search(sentence):
                    found.append(("a speaker's words, translated, not said so", quoted))
            elif not REPORTS_WORDS.search(sentence):
                found.append(("the report's words quoted as someone else's", quoted))
        found += [("a claim the report does not make", match.group()) for match in TALLY.finditer(sentence)]
        for publisher, agency in sources:
            if publisher in sentence and agency not in sentence:
                found.append((f"{publisher} credited with {agency}'s text", sentence))
    return found


def copied_sources():
    """(publisher, agency) for every source of every article published as "P, text by A"."""
    found = set()
    for meta in articles().values():
        for source in meta.get("sources", []):
            publisher, _, agency = source["publisher"].partition(", text by ")
            if agency:
                found.add((publisher, agency.removeprefix("the ")))
    return sorted(found)


def test_a_quotation_or_credit_the_report_does_not_make_is_named(pages):
    report, _ = reference(pages)
    speech = quotations(SEED.read_text(encoding="utf-8"))
    sources = [("Süddeutsche Zeitung", "dpa")]
    said = (
        "Mali’s government said that “no civilians from Moura were killed”. It said it was “ready to work with the "
        "United Nations on this”. The UN report counted at least 500 executions. "
        "The Süddeutsche Zeitung put them at about 1,000."
    )
    assert [kind for kind, _ in misattributed(said, report, speech, sources)] == [
        "the report's words quoted as someone else's",
        "a speaker's words, translated, not said so",
        "a claim the report does not make",
        "Süddeutsche Zeitung credited with dpa's text",
    ]
    framed = (
        "In the report’s translated words, it was “ready to work with the United Nations on this”. "
        "The report says “no civilians from Moura were killed”."
    )
    assert misattributed(framed, report, speech, sources) == []


def test_our_text_quotes_and_credits_as_the_report_does(site, pages):
    """Brief §1 and §4: a quotation is the report's own or a speaker's, said which; a figure
    from a copy of an agency's report is the agency's; no report "counts" what it only says."""
    report, _ = reference(pages)
    body = {" ".join(node.text().split()) for node in pages[ARTICLE].css(".article-body > *")}
    speech = quotations(SEED.read_text(encoding="utf-8"))
    sources = copied_sources()
    assert sources, "no source carries another's text: the test proves nothing"
    offenders, seen = [], 0
    for path in sorted(site.rglob("*.html")) + sorted((site / "feeds").rglob("*.xml")):
        if path.suffix == ".html":
            htmls = [path.read_text(encoding="utf-8")]
        else:
            htmls = feed_entries(path, body)
        for html in htmls:
            for block in blocks_of(html):
                seen += len(quotations(block))
                offenders += [
                    (path.relative_to(site).as_posix(), kind, what)
                    for kind, what in misattributed(block, report, speech, sources)
                ]
    assert seen, "no quotation in our text: the test proves nothing"
    assert sorted(set(offenders)) == []


def feed_entries(path, body=()):
    """The content of each entry of a feed, without the report's paragraphs (``body``)."""
    found = []
    for entry in feedparser.parse(path.read_bytes()).entries:
        content = LexborHTMLParser(entry.content[0].value if "content" in entry else "")
        for node in content.css("body > *"):
            if " ".join(node.text().split()) in body:
                node.decompose()
        found.append(content.body.html if content.body else "")
    return found


def test_every_reference_to_a_numbered_source_finds_it(site):
    """ "source 2" in our text needs a source 2 on the same page, or in the same feed entry,
    which carries no list of sources: there the copy or title is named instead."""
    reference_ = re.compile(r"\bsources? (\d+)\b", re.I)
    offenders, seen = [], 0
    for path in sorted(site.rglob("*.html")) + sorted((site / "feeds").rglob("*.xml")):
        if path.suffix == ".html":
            htmls = [path.read_text(encoding="utf-8")]
        else:
            htmls = feed_entries(path)
        for html in htmls:
            tree = LexborHTMLParser(html)
            ids = {node.attributes.get("id") for node in tree.css("[id]")}
            for block in blocks_of(html):
                for number in reference_.findall(block):
                    seen += 1
                    if f"source-{number}" not in ids:
                        offenders.append((path.relative_to(site).as_posix(), f"source {number}"))
    assert sorted(set(offenders)) == []


def days_from_other_reports():
    """{day: names that credit it}: each full day of a timeline row of the brief taken from
    other reports ([V3], or after the report), except days the report itself gives (its plans);
    a day is credited by naming a source (its publisher, title or note) that gives a day of that row."""
    report_days = {brief_date(row[0]) for row in brief_table(5) if row[2].startswith("A") and "(month)" not in row[2]}
    credits = {}
    for _number, name, publisher, date, _, kind in brief_table(3):
        title, _, note = (
            re.match(r"(.*?)(?: \(([a-z][^()]*)\))?$", name).groups()[0],
            None,
            re.search(r"\(([a-z][^()]*)\)$", name),
        )
        names = [publisher, title] + ([note.group(1)] if note else [])
        for day in dates_in(date + " " + kind):
            credits.setdefault(day, []).extend(names)
    found = {}
    for when, event, label in brief_table(5):
        if "[V3]" not in label and not label.startswith("P"):
            continue
        days = {day for day in dates_in(f"{when} {event}") if len(day) == 10}
        names = [name for day in days for name in credits.get(day, [])]
        for day in days - report_days:
            found.setdefault(day, []).extend(names)
    return found


def test_every_day_from_another_report_names_one_wherever_it_is_shown(site):
    """Brief §5: where a day comes from other reports, the page names at least one of them,
    on every page (a section's description too), not only in the article's timeline."""
    days = days_from_other_reports()
    assert "2023-12-12" in days and all(days.values())
    offenders = []
    for path in sorted(site.rglob("*.html")):
        for block in blocks_of(path.read_text(encoding="utf-8")):
            for day in dates_in(block) & set(days):
                if not any(name in block for name in days[day]):
                    offenders.append((path.relative_to(site).as_posix(), day, block[:80]))
    assert offenders == []


def strings_in(value, where=""):
    """(where, text) for every string in a YAML value, addresses and slugs left out."""
    if isinstance(value, dict):
        for key, item in value.items():
            if key not in ("url", "slug"):
                yield from strings_in(item, f"{where}.{key}")
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from strings_in(item, f"{where}[{index}]")
    elif isinstance(value, str):
        yield where, value


def test_our_own_text_uses_typographic_quotes_and_apostrophes():
    """The report's front matter, its sections' descriptions and the about page, like the report:
    ’ “ ”, never ' or "."""
    about = (ROOT / "content" / "pages" / "about.md").read_text(encoding="utf-8").split("---\n", 2)[2]
    texts = [
        *strings_in(articles()[SOURCE], SOURCE),
        *strings_in(report_sections(), "sections.yaml"),
        ("about.md", about),
    ]
    offenders = [(where, said) for where, said in texts if "'" in said or '"' in said]
    assert offenders == []


def retracted():
    """The wording our corrections quote as it stood, marked as deleted (brief §8)."""
    said = [fix.get("said", []) for meta in articles().values() for fix in meta.get("our_corrections", [])]
    return [words for entry in said for words in ([entry] if isinstance(entry, str) else entry)]


def test_words_a_correction_retracts_are_gone_from_our_text(site):
    """Brief §8: a correction is made, not only announced: the words it quotes as wrong stand
    nowhere in our text, on any page, but in the corrections themselves (and in quotations
    of the report, which may share words with them)."""
    sections = yaml.safe_load((ROOT / "content" / "data" / "sections.yaml").read_text(encoding="utf-8"))
    said = retracted() + [
        words
        for section in sections.values()
        for fix in section.get("description_corrections", [])
        for words in ([fix["said"]] if isinstance(fix.get("said"), str) else fix.get("said", []))
    ]
    assert said
    offenders = []
    for path in sorted(site.rglob("*.html")):
        value, _ = our_text(path.read_text(encoding="utf-8"))
        value = re.sub(r"“[^”]*”", " ", " ".join(value.split()))
        offenders += [(path.relative_to(site).as_posix(), words) for words in said if " ".join(words.split()) in value]
    assert offenders == []


def test_nothing_says_the_mandate_was_to_be_extended_until_30_june(build):
    """Brief §4: the report's "until June 30th" is the deadline for an extension;
    only a correction may quote the words it retracts."""
    site, _ = build
    wrong = re.compile(r"extended\s+(\w+\s+){0,6}?until\s+30\s+June", re.I)
    assert any(wrong.search(words) for words in retracted()), (
        "no correction quotes the old wording: the test proves nothing"
    )

    def without_retracted(value):
        for words in retracted():
            value = value.replace(words, "")
        return value

    offenders = [
        path.relative_to(site).as_posix()
        for path in sorted(site.rglob("*"))
        if path.suffix in (".html", ".xml", ".json")
        and wrong.search(without_retracted(path.read_text(encoding="utf-8")))
    ]
    assert offenders == []


def test_before_the_body_a_reader_sees_who_wrote_it_when_and_the_last_update(pages):
    """Brief §8: headline, standfirst, byline with the translation, the date, the update."""
    front = articles()[SOURCE]
    head = pages[ARTICLE].css_first("article.article > header")
    byline = " ".join(head.css_first(".byline").text(separator="").split())
    assert head.css_first("h1") is not None and head.css_first(".standfirst") is not None
    assert byline.startswith(f"By {front['author']}, machine-translated from {front['translated_from']}")
    assert head.css_first(".byline time").attributes["datetime"] == iso(front["date"])
    update = head.css_first(".update-line")
    assert update is not None, "no update line before the body"
    assert update.css_first("time").attributes["datetime"] == front["modified"].date().isoformat()
    assert " ".join(update.text(separator="").split()).startswith(
        f"Updated {front['modified'].day} {front['modified']:%B %Y}: "
    )


def test_every_update_keeps_its_date_and_every_correction_belongs_to_one(pages):
    """Brief §8: a later update never takes the place of an earlier one's line. The update
    lines go newest first, the last one's date is `modified`, and each correction of our own
    text is dated on the day of an update."""
    offenders = []
    for name, meta in articles().items():
        if "modified" not in meta:
            continue
        updates = [meta["modified"].date()] + [update["date"] for update in meta.get("earlier_updates", [])]
        if updates != sorted(set(updates), reverse=True):
            offenders.append((name, "updates not newest first, or two on one day"))
        offenders += [(name, fix["date"]) for fix in meta.get("our_corrections", []) if fix["date"] not in updates]
    assert offenders == []
    front = articles()[SOURCE]
    assert front.get("earlier_updates"), "no earlier update: the page test proves nothing"
    lines = pages[ARTICLE].css("article.article > header .update-line")
    shown = [
        (node.css_first("time").attributes["datetime"], " ".join(node.text(separator="").split())) for node in lines
    ]
    expected = [(front["modified"].date().isoformat(), None)] + [
        (u["date"].isoformat(), " ".join(u["note"].split())) for u in front["earlier_updates"]
    ]
    assert [day for day, _ in shown] == [day for day, _ in expected]
    assert all(note in line for (_, line), (_, note) in zip(shown[1:], expected[1:], strict=True))


def test_the_report_is_dated_by_its_day_and_the_update_by_its_time():
    """Brief §8: the report's time of day is unknown; the follow-up's is not."""
    front = articles()[SOURCE]
    assert type(front["date"]) is datetime.date, f"date must be a day alone, found {front['date']!r}"
    modified = front["modified"]
    assert isinstance(modified, datetime.datetime) and modified.tzinfo is not None
    assert modified.date() > front["date"]
    assert [e for e in front["timeline"] if e["kind"] == "after"], "an update needs what it added"


def test_the_byline_reads_as_text_with_styles_off(pages):
    """Without CSS its items stay apart, and a semicolon for the ear stands by each dot."""
    byline = pages[ARTICLE].css_first(".byline")
    raw = " ".join(byline.text(separator="").replace(";", " ;").split())
    assert "min read ; · New York" in raw and "German ; · 16 June 2023" in raw, raw


@pytest.mark.parametrize("build_pages", ["pages", "extra_pages"])
def test_separator_dots_are_hidden_from_assistive_technology(request, build_pages):
    offenders = []
    for path, tree in request.getfixturevalue(build_pages).items():
        for line in tree.css(".byline, .teasers h2 + p, .teasers h3 + p"):
            hidden = "".join(node.text() for node in line.css('[aria-hidden="true"]'))
            if line.text().count("·") != hidden.count("·"):
                offenders.append(path)
    assert offenders == []


@pytest.mark.parametrize("build_pages", ["pages", "extra_pages"])
def test_every_listing_discloses_the_translation(request, build_pages):
    """Brief §8: wherever the article is listed, its byline says what the text is."""
    front = articles()[SOURCE]
    expected = f"{front['author']}, machine-translated from {front['translated_from']}"
    listed, offenders = 0, []
    for path, tree in request.getfixturevalue(build_pages).items():
        # Any item of any list in the page's main part that links to it by its headline.
        for item in tree.css("main li"):
            if any(text(link) == front["title"] for link in item.css("a")):
                listed += 1
                if expected not in " ".join(item.text(separator="").split()):
                    offenders.append((path, text(item)))
    assert listed > 10
    assert offenders == []


# -- Key facts (brief §4) ------------------------------------------------------------


def test_key_facts_are_a_labelled_list_before_the_body_dated_to_the_report(pages):
    """Brief §4: the box's heading says its facts are true as of the report."""
    tree = pages[ARTICLE]
    box = tree.css_first("section.key-facts")
    day = articles()[SOURCE]["date"]
    assert heading_of(tree, box) == f"Key facts at the time of the report, {day.day} {day:%B %Y}"
    assert box.css_first("h2 time").attributes["datetime"] == day.isoformat()
    items = [text(li) for li in box.css("ul > li")]
    assert items == [" ".join(fact.split()) for fact in articles()[SOURCE]["facts"]]
    order = [node.attributes.get("class", "") for node in tree.css("article.article > *")]
    assert order.index("key-facts") < order.index("article-body")


def key_fact_sentences():
    facts = " ".join(" ".join(fact.split()) for fact in articles()[SOURCE]["facts"])
    return re.split(r"(?<=[.!?])”?\s+(?=[A-Z“])", facts)


def test_key_facts_are_easier_to_read_than_the_report():
    """Flesch–Kincaid grade: the box well below the report it sums up."""
    facts = " ".join(key_fact_sentences())
    report = SEED.read_text(encoding="utf-8")
    assert textstat.flesch_kincaid_grade(facts) <= textstat.flesch_kincaid_grade(report) - 2


# Outside quotations (the report's own words), a key fact is in the past tense and
# the active voice: no present-tense verb the box has used, no form of "be" before
# a past participle. A heuristic, not a grammar: it names the sentences to reread.
PRESENT = re.compile(r"(?<!to )\b(is|are|has|have|does|do|can|cannot|will|says|remains|serve|serves)\b", re.I)
PASSIVE = re.compile(
    r"\b(is|are|was|were|be|been|being)\s+(\w+ly\s+)?(\w+ed|known|seen|given|taken|held|shown|sent|told|found|left|made|put)\b",
    re.I,
)


def test_each_key_fact_is_a_short_sentence_in_the_past_tense_and_active_voice():
    # A passive the report itself uses stays: made active, "were executed" would need a
    # subject the report does not name (brief §4: no widening of a claim).
    report = " ".join(SEED.read_text(encoding="utf-8").split())
    offenders = []
    for sentence in key_fact_sentences():
        own = re.sub(r"“[^”]*”", "“…”", sentence)
        passive = [found.group() for found in PASSIVE.finditer(own) if found.group() not in report]
        if len(sentence.split()) > 20 or PRESENT.search(own) or passive:
            offenders.append(sentence)
    assert len(key_fact_sentences()) > len(articles()[SOURCE]["facts"])
    assert offenders == []


def test_key_facts_keep_every_figure_of_the_briefs():
    """Each number the brief's key facts give (notes to editors and references left out) is in the box."""
    brief = " ".join(
        without_notes_to_editors(line[2:]) for line in brief_section(4).splitlines() if line.startswith("- ")
    )
    brief = re.sub(r"§\d+|\[V\d?\]|\(source \d+\)", "", brief)
    facts = " ".join(articles()[SOURCE]["facts"])
    assert numbers(brief) and numbers(brief) - numbers(facts) == set()


# -- Timeline (brief §5) ---------------------------------------------------------------

KINDS = {"A": "article", "C": "context", "P": "after"}
PLAN = "a plan as of the report"


def brief_kind(label):
    """'A', 'A (month) · C (day) [V3]', 'A, a plan as of the report' → the front matter's kind."""
    return "expected" if PLAN in label else KINDS[label[0]]


def brief_date(cell):
    """'25 Apr 2013' → 2013-04-25, 'Jun 2023' → 2023-06, '2013' → 2013; the first day of a range."""
    cell = re.sub(r"–\d+", "", cell)
    for pattern, form in (("%d %b %Y", "%Y-%m-%d"), ("%b %Y", "%Y-%m"), ("%Y", "%Y")):
        try:
            return datetime.datetime.strptime(cell, pattern).strftime(form)
        except ValueError:
            continue
    raise ValueError(cell)


def iso(value):
    return value.isoformat() if isinstance(value, datetime.date) else str(value)


def test_timeline_entries_are_the_briefs():
    rows = brief_table(5)
    entries = articles()[SOURCE]["timeline"]
    assert [brief_date(row[0]) for row in rows] == [iso(entry["date"]) for entry in entries]
    # "A (month) · C (day)": stated in the report, only its day is context.
    assert [brief_kind(row[2]) for row in rows] == [entry["kind"] for entry in entries]


# A timeline entry's three paragraphs: its date, the event, where it comes from (partials/timeline.html).
DATE, EVENT, KIND = "p:nth-child(1)", "p:nth-child(2)", "p:nth-child(3)"


def test_timeline_is_an_ordered_list_with_a_time_on_each_entry(pages):
    timeline = pages[ARTICLE].css_first("section.timeline")
    entries = timeline.css("ol > li")
    assert len(entries) == len(articles()[SOURCE]["timeline"])
    offenders = [text(entry) for entry in entries if entry.css_first("time[datetime]") is None]
    assert offenders == []


def test_timeline_tells_its_kinds_apart_in_words(pages):
    labels = {
        "article": "From the report",
        "expected": "From the report, expected at the time",
        "context": "Background",
        "after": "After the report",
    }
    shown = {
        (
            entry.css_first(f"{DATE} time").attributes["datetime"],
            text(entry.css_first(EVENT)),
        ): text(entry.css_first(KIND))
        for entry in pages[ARTICLE].css("section.timeline ol > li")
    }
    offenders = [
        (entry["event"], shown.get((iso(entry["date"]), " ".join(entry["event"].split()))))
        for entry in articles()[SOURCE]["timeline"]
        if not (shown.get((iso(entry["date"]), " ".join(entry["event"].split()))) or "").startswith(
            labels[entry["kind"]]
        )
    ]
    assert offenders == []


def timeline_parts(tree):
    """{heading: [(datetime of the first date, event)]} for each part of the timeline."""
    timeline = tree.css_first("section.timeline")
    return {
        text(part.css_first("h3")): [
            (entry.css_first(f"{DATE} time").attributes["datetime"], text(entry.css_first(EVENT)))
            for entry in part.css("li")
        ]
        for part in timeline.css(".timeline__part")
    }


def test_what_happened_next_holds_only_what_happened_after_the_report(pages):
    """Plans the report mentions are shown apart, never as events that happened."""
    entries = articles()[SOURCE]["timeline"]
    parts = timeline_parts(pages[ARTICLE])
    of_kind = lambda *kinds: [(iso(e["date"]), " ".join(e["event"].split())) for e in entries if e["kind"] in kinds]  # noqa: E731
    assert of_kind("after"), "nothing happened after the report: the test proves nothing"
    assert parts == {
        "Up to the report": of_kind("article", "context"),
        "Expected at the time of the report": of_kind("expected"),
        "What happened next": of_kind("after"),
    }
    published = iso(articles()[SOURCE]["date"])
    assert [event for day, event in of_kind("after") if day <= published] == []
    assert [event for day, event in of_kind("article", "context") if day > published] == []


def test_every_day_from_another_report_is_next_to_its_source(pages):
    """Brief §5: a day taken from other reports ([V3]) names one of them beside it."""
    tree = pages[ARTICLE]
    sources = {f"#{li.attributes['id']}": li for li in tree.css("section.sources li[id]")}
    entries = {
        (
            entry.css_first(f"{DATE} time").attributes["datetime"],
            text(entry.css_first(EVENT)),
        ): entry
        for entry in tree.css("section.timeline li")
    }
    rows = [row for row in brief_table(5) if "[V3]" in row[2] and re.match(r"\d", row[0])]
    assert len(rows) >= 3
    offenders = []
    for day, event, _ in rows:
        [entry] = [
            node
            for (when, said), node in entries.items()
            if when == brief_date(day) and plain_quotes(said)[:20] == event[:20]
        ] or [None]
        link = entry.css_first(f"{KIND} a") if entry else None
        target = sources.get(link.attributes["href"]) if link else None
        if target is None or text(link) not in text(target):
            offenders.append((day, event))
    assert offenders == []


def test_a_span_of_days_says_each_part_once(pages):
    """ "28–31 March 2022", not "28 March 2022 to 31 March 2022"."""
    spans = [
        node.text(separator="").strip()
        for node in pages[ARTICLE].css(f".timeline__list > li > {DATE}")
        if len(node.css("time")) == 2
    ]
    expected = [
        f"{entry['date'].day}–{entry['end'].day} {entry['end']:%B %Y}"
        for entry in articles()[SOURCE]["timeline"]
        if "end" in entry and entry["end"].month == entry["date"].month
    ]
    assert expected and spans == expected


# -- Sources and corrections (brief §3 and §2) ----------------------------------------------


def brief_source_date(cell):
    """The date a cell of the brief's sources table gives, at its precision, or None."""
    if match := re.search(r"\d{4}-\d{2}-\d{2}", cell):
        return match.group()
    if match := re.search(r"(\d{1,2} )?([A-Z][a-z]+) (\d{4})", cell):
        day, month, year = match.groups()
        parsed = datetime.datetime.strptime(f"{day or '1 '}{month} {year}", "%d %B %Y")
        return parsed.strftime("%Y-%m-%d" if day else "%Y-%m")
    return None


def test_sources_are_the_briefs_with_their_notes(pages):
    # A title's words in another language sit in an inline element of their own.
    items = {
        plain_quotes(" ".join(li.css_first("cite").text().split())): li
        for li in pages[ARTICLE].css("section.sources li")
    }
    rows = brief_table(3)
    assert len(items) == len(rows)
    offenders = []
    for _, name, publisher, date, url, kind in rows:
        # "Title (press release SC/15341)": a note in brackets after the title.
        name, _, note = re.match(r"(.*?)( \(([a-z][^()]*)\))?$", name).groups()
        item = items.get(name)
        if item is None:
            offenders.append((name, "missing"))
            continue
        link = item.css_first("cite a")
        expected_url = None if url.startswith("none") else url
        unverified = "(" in date or "[V3]" in date or "(" in url
        # Words in another language sit in an inline element: no space is added around it.
        shown = plain_quotes(" ".join(item.text(separator="").split()))
        # The brief quotes the source to explain its kind; the page gives the kind alone.
        kind = re.sub(r' \("[^"]*"\)$', "", kind)
        checks = {
            "title note": not note or f"({note})" in shown,
            "publisher": publisher in shown,
            "kind": kind.lower() in shown.lower(),
            "link": (link.attributes["href"] if link else None) == expected_url,
            "note": (item.css_first(".source__note") is not None) == unverified,
            "date": (item.css_first("time").attributes["datetime"] if item.css_first("time") else None)
            == brief_source_date(date),
        }
        offenders += [(name, check) for check, ok in checks.items() if not ok]
    assert offenders == []


def test_corrections_show_the_original_and_the_corrected_wording(pages):
    note = pages[ARTICLE].css_first("aside.note")
    assert "Translated from German" in text(note)
    assert "Two translation errors corrected" in text(note)
    shown = [(text(li.css_first("del")), text(li.css_first("ins"))) for li in note.css("li")]
    assert shown == [(seed, published) for seed, published, _ in brief_table(2)]


# -- Locator map --------------------------------------------------------------------------


def article_map(tree):
    return tree.css_first("section.locator-map")


def place_points():
    return json.loads((GEO / "mali-places.json").read_text(encoding="utf-8"))["features"]


def test_the_map_is_inline_svg_with_a_title_and_description(pages):
    svg = article_map(pages[ARTICLE]).css_first("svg[role=img]")
    assert text(svg.css_first(f"title#{svg.attributes['aria-labelledby']}")).startswith("Map of Mali")
    description = text(svg.css_first(f"desc#{svg.attributes['aria-describedby']}"))
    assert "listed under the map" in description


def test_the_map_shows_mali_its_neighbours_and_the_places(pages):
    svg = article_map(pages[ARTICLE]).css_first("svg")
    labels = {text(node) for node in svg.css("text")}
    outlines = json.loads((GEO / "mali-map.geojson").read_text(encoding="utf-8"))["features"]
    countries = {feature["properties"]["name"] for feature in outlines}
    assert {"Mali", "Niger", "Algeria", "Burkina Faso", "Côte d'Ivoire", "Guinea", "Senegal", "Mauritania"} <= countries
    assert countries <= labels
    expected = {place.get("label", place["name"]) for place in articles()[SOURCE]["places"]}
    assert {"Gao", "Moura", "Mopti (town)", "Bamako"} <= expected <= labels
    assert len(svg.css(".locator-map__marker")) == len(expected)


def test_the_map_stays_inside_its_frame(pages):
    svg = article_map(pages[ARTICLE]).css_first("svg")
    _, _, width, height = map(float, svg.attributes["viewBox"].split())
    offenders = []
    for node in svg.css("circle, text"):
        x = float(node.attributes.get("cx") or node.attributes["x"])
        y = float(node.attributes.get("cy") or node.attributes["y"])
        if not (0 <= x <= width and 0 <= y <= height):
            offenders.append(text(node) or node.attributes.get("class"))
    assert offenders == []


def test_the_map_lists_each_place_and_where_it_lies(pages):
    key = [text(li) for li in article_map(pages[ARTICLE]).css("figcaption li")]
    places = articles()[SOURCE]["places"]
    assert len(key) == len(places)
    for line, place in zip(key, places, strict=True):
        point = next(p for p in place_points() if p["properties"]["name"] == place["name"])
        lon, lat = point["geometry"]["coordinates"]
        assert line.startswith(place.get("label", place["name"]))
        assert place["description"] in line
        assert f"{abs(lat):.2f}° {'N' if lat >= 0 else 'S'}, {abs(lon):.2f}° {'E' if lon >= 0 else 'W'}" in line
        assert ("named in the report" in line) == place["in_article"]


def test_the_map_credits_what_its_data_licences_ask_for(pages):
    credits = text(article_map(pages[ARTICLE]).css_first(".locator-map__credits"))
    assert "Natural Earth" in credits
    shown = {place["name"] for place in articles()[SOURCE]["places"]}
    from_geonames = [
        p["properties"]["name"]
        for p in place_points()
        if p["properties"]["name"] in shown and "GeoNames" in p["properties"]["licence"]
    ]
    assert from_geonames, "the map shows no GeoNames point: the credit test proves nothing"
    assert f"Place coordinates: GeoNames (geonames.org), CC BY 4.0 ({', '.join(from_geonames)})" in credits


def test_the_map_is_small_and_self_contained(build):
    site, _ = build
    html = (site / ARTICLE).read_text(encoding="utf-8")
    svg = html[
        html.index('<svg class="locator-map__svg"') : html.index("</svg>", html.index('<svg class="locator-map__svg"'))
        + 6
    ]
    assert len(gzip.compress(svg.encode("utf-8"))) <= 8 * 1024
    for forbidden in ("<script", "style=", "href=", "http://", "https://", "<image", "<foreignObject"):
        assert forbidden not in svg, forbidden


def test_the_map_data_matches_the_checksums_in_its_readme():
    """The data is the received copy, unchanged: its README records their sha256."""
    readme = (GEO / "README.md").read_text(encoding="utf-8")
    for name in ("mali-map.geojson", "mali-places.json"):
        digest = hashlib.sha256((GEO / name).read_bytes()).hexdigest()
        assert f"`{name}`: `{digest}`" in readme, name


def test_a_second_article_marks_its_own_places(extra_pages):
    svg = article_map(extra_pages["2023/07/second-test-report.html"]).css_first("svg")
    places = {text(node) for node in svg.css(".locator-map__place text")}
    meta = extra_articles()["2023-07-01-second-test-report.md"]
    assert places == {place["name"] for place in meta["places"]}


# -- Section (dossier) pages --------------------------------------------------------------


@pytest.mark.parametrize("slug", ["mali", "un", "bundeswehr"])
def test_section_page_opens_with_its_description_then_feed_then_articles(pages, slug):
    section = yaml.safe_load((ROOT / "content" / "data" / "sections.yaml").read_text(encoding="utf-8"))[slug]
    tree = pages[f"category/{slug}.html"]
    head = tree.css_first(".page-head")
    assert text(head.css_first(".page-head__lead")) == " ".join(section["description"].split())
    main = [node.attributes.get("class", "") for node in tree.css("main > *")]
    assert main.index("page-head") < main.index("teasers")
    assert head.css_first(".feed-link") is not None


# -- Reading aids ---------------------------------------------------------------------


def test_byline_shows_a_reading_time_that_fits_the_text(pages):
    tree = pages[ARTICLE]
    words = len(text(tree.css_first(".article-body")).split())
    match = re.search(r"(\d+) min read", text(tree.css_first(".byline")))
    assert match, "no reading time in the byline"
    assert abs(int(match.group(1)) - words / 250) <= 1


@pytest.mark.parametrize("build_pages", ["pages", "extra_pages"])
def test_article_breadcrumbs_lead_home_and_to_the_primary_section(request, build_pages):
    tree_of = request.getfixturevalue(build_pages)
    offenders = []
    for path, tree in tree_of.items():
        if tree.css_first("article.article") is None:
            continue
        crumbs = tree.css(".breadcrumbs a")
        targets = [posixpath.normpath(posixpath.join(posixpath.dirname(path), a.attributes["href"])) for a in crumbs]
        first_section = tree.css_first(".article-foot .terms a")
        if (
            [text(a) for a in crumbs][:1] != ["Home"]
            or targets[0] != "index.html"
            or text(crumbs[-1]) != text(first_section)
        ):
            offenders.append(path)
    assert offenders == []


def test_an_article_alone_shows_no_neighbours(pages):
    """With one article, there is no older or newer one; with more, each has one."""
    article_pages = [tree for tree in pages.values() if tree.css_first("article.article")]
    assert len(article_pages) == len(articles())
    offenders = [
        tree.css_first("h1").text()
        for tree in article_pages
        if (tree.css_first(".article-nav") is None) != (len(articles()) == 1)
    ]
    assert offenders == []


def extra_article_pages(extra_pages):
    """{source file: (page path, tree)} for every article of the extra build."""
    found = {name: (article_path(meta), extra_pages.get(article_path(meta))) for name, meta in extra_articles().items()}
    assert [name for name, (_, tree) in found.items() if tree is None] == [], "an article was not built where expected"
    return found


def resolve(page, href):
    return posixpath.normpath(posixpath.join(posixpath.dirname(page), href))


def test_previous_and_next_follow_the_dates(extra_pages):
    found = extra_article_pages(extra_pages)
    by_date = sorted(found, key=lambda source: iso(extra_articles()[source]["date"]))
    assert len(by_date) > 2, "no article has both neighbours: the test proves little"
    offenders = []
    for index, source in enumerate(by_date):
        path, tree = found[source]
        older = found[by_date[index - 1]][0] if index > 0 else None
        newer = found[by_date[index + 1]][0] if index + 1 < len(by_date) else None
        prev_link = tree.css_first(".article-nav a[rel=prev]")
        next_link = tree.css_first(".article-nav a[rel=next]")
        shown = (
            resolve(path, prev_link.attributes["href"]) if prev_link else None,
            resolve(path, next_link.attributes["href"]) if next_link else None,
        )
        if shown != (older, newer):
            offenders.append((path, shown))
    assert offenders == []


def test_related_articles_share_topics_most_first(extra_pages):
    found = extra_article_pages(extra_pages)
    offenders, most = [], 0
    for source, (path, tree) in found.items():
        tags = set(extra_articles()[source]["tags"])
        shared = {
            found[other][0]: len(tags & set(meta["tags"]))
            for other, meta in extra_articles().items()
            if other != source and tags & set(meta["tags"])
        }
        shown = [resolve(path, a.attributes["href"]) for a in tree.css(".related h3 a")]
        # The RELATED_POSTS_MAX that share most, most first; ties in any order.
        counts, most = [shared.get(page) for page in shown], max(most, len(shared))
        best = sorted(shared.values(), reverse=True)[: pelicanconf.RELATED_POSTS_MAX]
        if len(set(shown)) != len(shown) or counts != best:
            offenders.append((path, shown, shared))
    assert offenders == []
    assert any(len(tree.css(".related li")) > 1 for _, tree in found.values()), "no page ranks two related articles"
    assert most > pelicanconf.RELATED_POSTS_MAX, "no article has more related articles than it shows"
