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

from support import ROOT, articles, extra_articles

ARTICLE = "2023/06/mali-demands-withdrawal-of-minusma.html"
SOURCE = "2023-06-16-mali-demands-withdrawal-of-minusma.md"
BRIEF = ROOT / "tests" / "reference" / "BRIEF.md"
GEO = ROOT / "content" / "data" / "geo"


def text(node):
    """A node's text with whitespace collapsed."""
    return " ".join(node.text(separator=" ").split())


def plain_quotes(value):
    """The brief writes straight quotes and apostrophes, the site typographic ones."""
    return value.replace("“", '"').replace("”", '"').replace("’", "'")


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
    brief = [line[2:] for line in brief_section(4).splitlines() if line.startswith("- ")]
    published = [plain_quotes(" ".join(fact.split())) for fact in articles()[SOURCE]["facts"]]
    assert published == brief


# -- Timeline (brief §5) ---------------------------------------------------------------

KINDS = {"A": "article", "C": "context", "P": "after"}


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
    assert [KINDS[row[2][0]] for row in rows] == [entry["kind"] for entry in entries]


def test_timeline_is_an_ordered_list_with_a_time_on_each_entry(pages):
    timeline = pages[ARTICLE].css_first("section.timeline")
    entries = timeline.css("ol > li")
    assert len(entries) == len(articles()[SOURCE]["timeline"])
    offenders = [text(entry) for entry in entries if entry.css_first("time[datetime]") is None]
    assert offenders == []


def test_timeline_tells_its_kinds_apart_in_words(pages):
    labels = {"article": "From the report", "context": "Background", "after": "After the report"}
    entries = pages[ARTICLE].css("section.timeline ol > li")
    offenders = [
        (entry["event"], text(node))
        for entry, node in zip(articles()[SOURCE]["timeline"], entries)
        if not text(node.css_first(".timeline__kind")).startswith(labels[entry["kind"]])
    ]
    assert offenders == []


def test_everything_after_the_report_is_under_what_happened_next(pages):
    published = articles()[SOURCE]["date"].date().isoformat()
    timeline = pages[ARTICLE].css_first("section.timeline")
    parts = {text(part.css_first("h3")): part for part in timeline.css(".timeline__part")}
    after = parts.pop("What happened next")
    shown_after = [node.attributes["datetime"] for node in after.css("li > .timeline__date > time:first-child")]
    expected_after = [iso(entry["date"]) for entry in articles()[SOURCE]["timeline"] if iso(entry["date"]) > published]
    assert shown_after == expected_after
    assert [entry for entry in articles()[SOURCE]["timeline"] if entry["kind"] == "after"], "nothing to show"
    late = [node.attributes["datetime"] for part in parts.values() for node in part.css("time") if node.attributes["datetime"] > published]
    assert late == []


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
    items = {text(li.css_first("cite")): li for li in pages[ARTICLE].css("section.sources li")}
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
        checks = {
            "publisher": publisher in text(item),
            "kind": kind.lower() in text(item).lower(),
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
    title_id, desc_id = svg.attributes["aria-labelledby"].split()
    assert text(svg.css_first(f"title#{title_id}")).startswith("Map of Mali")
    description = text(svg.css_first(f"desc#{desc_id}"))
    for place in articles()[SOURCE]["places"]:
        assert place.get("label", place["name"]) in description


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


def test_a_single_article_shows_no_neighbours_and_no_related(pages):
    article_pages = [tree for tree in pages.values() if tree.css_first("article.article")]
    assert len(article_pages) == len(articles()) == 1
    assert [tree.css_first(".article-nav, .related") for tree in article_pages] == [None]


def extra_article_pages(extra_pages):
    """{source file: (page path, tree)} for every article of the extra build."""
    found = {}
    for path, tree in extra_pages.items():
        h1 = tree.css_first("article.article h1")
        if h1 is None:
            continue
        [source] = [name for name, meta in extra_articles().items() if meta["slug"] in path]
        found[source] = (path, tree)
    return found


def resolve(page, href):
    return posixpath.normpath(posixpath.join(posixpath.dirname(page), href))


def test_previous_and_next_follow_the_dates(extra_pages):
    found = extra_article_pages(extra_pages)
    by_date = sorted(found, key=lambda source: extra_articles()[source]["date"])
    assert len(by_date) == 3
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
    offenders = []
    for source, (path, tree) in found.items():
        tags = set(extra_articles()[source]["tags"])
        shared = {
            found[other][0]: len(tags & set(meta["tags"]))
            for other, meta in extra_articles().items()
            if other != source and tags & set(meta["tags"])
        }
        shown = [resolve(path, a.attributes["href"]) for a in tree.css(".related .teaser__title a")]
        if set(shown) != set(shared) or [shared[p] for p in shown] != sorted(shared.values(), reverse=True):
            offenders.append((path, shown, shared))
    assert offenders == []
    assert any(len(tree.css(".related li")) > 1 for _, tree in found.values()), "no page ranks two related articles"
