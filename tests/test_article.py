"""The article page as a newsroom publishes it: key facts, timeline, locator map,
sources, corrections, section pages and reading aids, checked against the
editorial brief where the brief says what they must be."""

import datetime
import gzip
import hashlib
import json
import posixpath
import re

import pytest
import yaml

import pelicanconf

from support import ROOT, article_path, articles, extra_articles


ARTICLE = "2023/06/mali-demands-withdrawal-of-minusma.html"
SOURCE = "2023-06-16-mali-demands-withdrawal-of-minusma.md"
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


def test_quotation_marks_hold_only_words_of_the_report_or_a_source_title(pages):
    """Every passage quoted on the article page is in the report (as received or as
    published) or is a source's title; brief §2 names the German words it explains."""
    report = " ".join(SEED.read_text(encoding="utf-8").split()) + " " + text(pages[ARTICLE].css_first(".article-body"))
    credits = yaml.safe_load((GEO / "credits.yaml").read_text(encoding="utf-8"))["points"]
    titles = " ".join([source["name"] for source in articles()[SOURCE]["sources"]] + [c["source"] for c in credits])
    german = " ".join(row[2] for row in brief_table(2))
    tree = pages[ARTICLE]
    shown = text(tree.css_first("main")) + " " + tree.css_first('meta[name="description"]').attributes["content"]
    found = quotations(shown)
    assert "the immediate withdrawal of Minusma" in found, "the key facts quote nothing: the test proves nothing"
    offenders = [q for q in found if not (in_order(q, report) or plain_quotes(q) in plain_quotes(titles) or f'"{q}"' in german)]
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
    """Front matter, section descriptions and the about page, like the report: ’ “ ”, never ' or "."""
    sections = yaml.safe_load((ROOT / "content" / "data" / "sections.yaml").read_text(encoding="utf-8"))
    about = (ROOT / "content" / "pages" / "about.md").read_text(encoding="utf-8").split("---\n", 2)[2]
    texts = [*strings_in(articles()[SOURCE], SOURCE), *strings_in(sections, "sections.yaml"), ("about.md", about)]
    offenders = [(where, said) for where, said in texts if "'" in said or '"' in said]
    assert offenders == []


def test_nothing_says_the_mandate_was_to_be_extended_until_30_june(build):
    """Brief §4: the report's "until June 30th" is the deadline for an extension."""
    site, _ = build
    wrong = re.compile(r"extended\s+(\w+\s+){0,6}?until\s+30\s+June", re.I)
    offenders = [
        path.relative_to(site).as_posix()
        for path in sorted(site.rglob("*"))
        if path.suffix in (".html", ".xml", ".json") and wrong.search(path.read_text(encoding="utf-8"))
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
    assert " ".join(update.text(separator="").split()).startswith(f"Updated {front['modified'].day} {front['modified']:%B %Y}: ")


def test_the_report_is_dated_by_its_day_and_the_update_by_its_time():
    """Brief §8: the report's time of day is unknown; the follow-up's is not."""
    front = articles()[SOURCE]
    assert type(front["date"]) is datetime.date, f"date must be a day alone, found {front['date']!r}"
    modified = front["modified"]
    assert isinstance(modified, datetime.datetime) and modified.tzinfo is not None
    assert modified.date() > front["date"]
    assert [e for e in front["timeline"] if e["kind"] == "after"], "an update needs what it added"


def test_the_byline_reads_as_text_with_styles_off(pages):
    """Without CSS its items stay apart; the dots between them are not read out."""
    byline = pages[ARTICLE].css_first(".byline")
    raw = " ".join(byline.text(separator="").split())
    assert "min read · New York" in raw and "German · 16 June 2023" in raw, raw


@pytest.mark.parametrize("build_pages", ["pages", "extra_pages"])
def test_separator_dots_are_hidden_from_assistive_technology(request, build_pages):
    offenders = []
    for path, tree in request.getfixturevalue(build_pages).items():
        for line in tree.css(".byline, .teaser__meta"):
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
        for teaser in tree.css(".teaser"):
            if text(teaser.css_first(".teaser__title")) == front["title"]:
                listed += 1
                if expected not in text(teaser.css_first(".teaser__meta")):
                    offenders.append(path)
    assert listed > 10
    assert offenders == []


# -- Key facts (brief §4) ------------------------------------------------------------


def test_key_facts_are_a_labelled_list_before_the_body(pages):
    tree = pages[ARTICLE]
    box = tree.css_first("section.key-facts")
    assert heading_of(tree, box) == "Key facts"
    items = [text(li) for li in box.css("ul > li")]
    assert items == [" ".join(fact.split()) for fact in articles()[SOURCE]["facts"]]
    order = [node.attributes.get("class", "") for node in tree.css("article.article > *")]
    assert order.index("key-facts") < order.index("article-body")


def test_key_facts_are_the_briefs():
    brief = [without_notes_to_editors(line[2:]) for line in brief_section(4).splitlines() if line.startswith("- ")]
    published = [plain_quotes(" ".join(fact.split())) for fact in articles()[SOURCE]["facts"]]
    assert published == brief


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


def test_timeline_is_an_ordered_list_with_a_time_on_each_entry(pages):
    timeline = pages[ARTICLE].css_first("section.timeline")
    entries = timeline.css("ol > li")
    assert len(entries) == len(articles()[SOURCE]["timeline"])
    offenders = [text(entry) for entry in entries if entry.css_first("time[datetime]") is None]
    assert offenders == []


def test_timeline_tells_its_kinds_apart_in_words(pages):
    labels = {"article": "From the report", "expected": "From the report, expected at the time", "context": "Background", "after": "After the report"}
    shown = {
        (entry.css_first(".timeline__date time").attributes["datetime"], text(entry.css_first(".timeline__event"))): text(entry.css_first(".timeline__kind"))
        for entry in pages[ARTICLE].css("section.timeline ol > li")
    }
    offenders = [
        (entry["event"], shown.get((iso(entry["date"]), " ".join(entry["event"].split()))))
        for entry in articles()[SOURCE]["timeline"]
        if not (shown.get((iso(entry["date"]), " ".join(entry["event"].split()))) or "").startswith(labels[entry["kind"]])
    ]
    assert offenders == []


def timeline_parts(tree):
    """{heading: [(datetime of the first date, event)]} for each part of the timeline."""
    timeline = tree.css_first("section.timeline")
    return {
        text(part.css_first("h3")): [
            (entry.css_first(".timeline__date time").attributes["datetime"], text(entry.css_first(".timeline__event")))
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
        (entry.css_first(".timeline__date time").attributes["datetime"], text(entry.css_first(".timeline__event"))): entry
        for entry in tree.css("section.timeline li")
    }
    rows = [row for row in brief_table(5) if "[V3]" in row[2] and re.match(r"\d", row[0])]
    assert len(rows) >= 3
    offenders = []
    for day, event, _ in rows:
        [entry] = [node for (when, said), node in entries.items() if when == brief_date(day) and plain_quotes(said)[:20] == event[:20]] or [None]
        link = entry.css_first(".timeline__kind a") if entry else None
        target = sources.get(link.attributes["href"]) if link else None
        if target is None or text(link) not in text(target):
            offenders.append((day, event))
    assert offenders == []


def test_a_span_of_days_says_each_part_once(pages):
    """"27–31 March 2022", not "27 March 2022 to 31 March 2022"."""
    spans = [node.text(separator="").strip() for node in pages[ARTICLE].css(".timeline__date") if len(node.css("time")) == 2]
    assert spans == ["27–31 March 2022"]


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
    items = {plain_quotes(" ".join(li.css_first("cite").text().split())): li for li in pages[ARTICLE].css("section.sources li")}
    rows = brief_table(3)
    assert len(items) == len(rows)
    offenders = []
    for _, name, publisher, date, url, kind in rows:
        item = items.get(name)
        if item is None:
            offenders.append((name, "missing"))
            continue
        link = item.css_first("cite a")
        expected_url = None if url.startswith("none") else url
        unverified = "(" in date or "[V3]" in date or "(" in url
        shown = plain_quotes(text(item))
        # The brief quotes the source to explain its kind; the page gives the kind alone.
        kind = re.sub(r' \("[^"]*"\)$', "", kind)
        checks = {
            "publisher": publisher in shown,
            "kind": kind.lower() in shown.lower(),
            "link": (link.attributes["href"] if link else None) == expected_url,
            "note": (item.css_first(".source__note") is not None) == unverified,
            "date": (item.css_first("time").attributes["datetime"] if item.css_first("time") else None) == brief_source_date(date),
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
    for line, place in zip(key, places):
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
        p["properties"]["name"] for p in place_points() if p["properties"]["name"] in shown and "GeoNames" in p["properties"]["licence"]
    ]
    assert from_geonames, "the map shows no GeoNames point: the credit test proves nothing"
    assert f"Place coordinates: GeoNames (geonames.org), CC BY 4.0 ({', '.join(from_geonames)})" in credits


def test_the_map_is_small_and_self_contained(build):
    site, _ = build
    html = (site / ARTICLE).read_text(encoding="utf-8")
    svg = html[html.index('<svg class="locator-map__svg"') : html.index("</svg>", html.index('<svg class="locator-map__svg"')) + 6]
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
    places = {text(node) for node in svg.css(".locator-map__place")}
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
        if [text(a) for a in crumbs][:1] != ["Home"] or targets[0] != "index.html" or text(crumbs[-1]) != text(first_section):
            offenders.append(path)
    assert offenders == []


def test_an_article_alone_shows_no_neighbours(pages):
    """With one article, there is no older or newer one; with more, each has one."""
    article_pages = [tree for tree in pages.values() if tree.css_first("article.article")]
    assert len(article_pages) == len(articles())
    offenders = [tree.css_first("h1").text() for tree in article_pages if (tree.css_first(".article-nav") is None) != (len(articles()) == 1)]
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
        shown = [resolve(path, a.attributes["href"]) for a in tree.css(".related .teaser__title a")]
        # The RELATED_POSTS_MAX that share most, most first; ties in any order.
        counts, most = [shared.get(page) for page in shown], max(most, len(shared))
        best = sorted(shared.values(), reverse=True)[: pelicanconf.RELATED_POSTS_MAX]
        if len(set(shown)) != len(shown) or counts != best:
            offenders.append((path, shown, shared))
    assert offenders == []
    assert any(len(tree.css(".related li")) > 1 for _, tree in found.values()), "no page ranks two related articles"
    assert most > pelicanconf.RELATED_POSTS_MAX, "no article has more related articles than it shows"
