"""Atom feeds: they parse, every id and link is absolute, and entries lead to articles
with the markup their template writes."""

import datetime
import re
from types import SimpleNamespace
from urllib.parse import urlparse
from xml.etree import ElementTree

import feed_pages
import feedparser
import plain_text_feeds
import pytest
from markupsafe import Markup
from selectolax.lexbor import LexborHTMLParser
from support import ARTICLE, HOSTILE, SOURCE, article_path, articles, extra_articles, settings_of, theme_environment
from support import PUBLIC_SITEURL as SITEURL

import pelicanconf


def text(html):
    """The words of ``html``, spaced alike whatever elements split them."""
    return re.sub(r" (?=[,.:;])", "", " ".join(LexborHTMLParser(html).text(separator=" ").split()))


def parse_feeds(site):
    return {
        path.relative_to(site).as_posix(): feedparser.parse(path.read_bytes())
        for path in sorted(site.rglob("*.atom.xml"))
    }


@pytest.fixture(scope="session")
def feeds(site):
    return parse_feeds(site)


@pytest.fixture(scope="session", params=["build", "extra_build"])
def any_feeds(request):
    """(site, its feeds) for each build in turn: the published one, and the one
    with the tests' and the editor's articles."""
    site = request.getfixturevalue(request.param)[0]
    return site, parse_feeds(site)


@pytest.fixture(scope="session")
def hosted_site(extra_build):
    """The site built for a real host, as `make publish SITEURL=…` does (with the tests' own articles)."""
    return extra_build[0]


def test_there_is_a_feed_for_the_site_every_section_and_every_topic(any_feeds):
    site, feeds = any_feeds
    expected = {"feeds/all.atom.xml"}
    expected |= {f"feeds/category/{p.stem}.atom.xml" for p in (site / "category").glob("*.html")}
    expected |= {f"feeds/tag/{p.stem}.atom.xml" for p in (site / "tag").glob("*.html")}
    assert set(feeds) == expected


def test_every_feed_is_well_formed_atom(any_feeds):
    _, feeds = any_feeds
    offenders = [path for path, feed in feeds.items() if feed.bozo or feed.version != "atom10"]
    assert offenders == []


def test_feed_ids_and_links_are_absolute(any_feeds):
    _, feeds = any_feeds

    def absolute(url):
        parsed = urlparse(url)
        return parsed.scheme in ("http", "https", "tag") and (parsed.netloc or parsed.scheme == "tag")

    offenders = []
    for path, feed in feeds.items():
        urls = [feed.feed.id, feed.feed.link] + [value for entry in feed.entries for value in (entry.id, entry.link)]
        offenders += [(path, url) for url in urls if not absolute(url)]
    assert offenders == []


def has_offset(stamp):
    return stamp.endswith("Z") or stamp[-6] in "+-"


def test_feed_entries_have_dates_with_offsets(any_feeds):
    _, feeds = any_feeds
    offenders = [
        (path, entry.get("updated"), entry.get("published"))
        for path, feed in feeds.items()
        for entry in feed.entries
        if not entry.get("updated_parsed")
        or not has_offset(entry.updated)
        or ("published" in entry and not has_offset(entry.published))
    ]
    assert offenders == []


def article_entries(feeds):
    """Every entry of the article in every feed: (feed path, entry)."""
    return [(path, entry) for path, feed in feeds.items() for entry in feed.entries if entry.link.endswith(ARTICLE)]


def test_an_article_dated_by_its_day_has_no_invented_time_in_feeds(extra_build):
    """Brief §8: no `published` rather than an invented time; `updated` is the real
    date and time of the last change. On every such article of the extra build."""
    by_day = {article_path(front): front for front in extra_articles().values() if type(front["date"]) is datetime.date}
    entries = [
        (path, entry, by_day[page])
        for path, feed in parse_feeds(extra_build[0]).items()
        for entry in feed.entries
        if (page := entry.link.removeprefix(SITEURL + "/")) in by_day
    ]
    assert len(by_day) > 1 and len(entries) > 10
    offenders = [
        (path, entry.link, entry.get("published"), entry.get("updated"))
        for path, entry, front in entries
        if "published" in entry or datetime.datetime.fromisoformat(entry.updated) != front["modified"]
    ]
    assert offenders == []


def test_a_feed_entry_says_what_the_page_says_around_the_body(feeds, pages):
    """Translation note, corrections, editor's notes, byline and update line: a
    correction shown on the page but not in the feed is a silent edit."""
    page = pages[ARTICLE]
    expected = [
        text(page.css_first(selector).html) for selector in ("aside.note", ".update-line", ".update-corrections")
    ]
    byline = " ".join(page.css_first(".byline strong").parent.text(separator="").split())
    offenders = []
    for path, entry in article_entries(feeds):
        content = text(entry.content[0].value)
        # What comes before the first heading: the byline belongs above the body.
        body = text(entry.content[0].value.split("<h2")[0])
        missing = [part for part in expected if part not in content]
        if missing or byline.removeprefix("By ") not in body:
            offenders.append((path, missing))
    assert offenders == []
    assert "Two translation errors corrected" in expected[0] and "at least 238 names" in expected[0]


@pytest.mark.parametrize("hostile", [False, True], ids=["as-published", "hostile-text"])
def test_a_feed_entry_carries_the_markup_its_template_writes(hostile):
    """The entry's sanitiser guards against what a body might carry; it must find
    nothing to remove in what the template writes around the body."""
    front = articles()[SOURCE]
    if hostile:
        # Text that looks like markup stays text: escaped, never removed.
        fix = {**front["corrections"][0], "original": HOSTILE, "reason": HOSTILE}
        ours = {**front["our_corrections"][0], "where": HOSTILE, "said": [HOSTILE, HOSTILE], "now": HOSTILE}
        front = {
            **front,
            "author": HOSTILE,
            "update_note": HOSTILE,
            "translation_note": HOSTILE,
            "corrections": [fix],
            "our_corrections": [ours],
            "editor_notes": [{"quote": HOSTILE, "note": HOSTILE}],
        }
    settings = settings_of(pelicanconf)
    environment = theme_environment(settings)
    generator = SimpleNamespace(
        articles=[], settings=settings, get_template=lambda name: environment.get_template(f"{name}.html")
    )
    plain_text_feeds.remember_articles(generator)
    article, body = SimpleNamespace(**front), Markup("<p>The body.</p>")

    written = environment.get_template("feed_entry.html").render(**settings, article=article, body=body)
    arrives = plain_text_feeds.entry_content(settings, article, body)

    modified = front["modified"]
    assert "16 June 2023" in text(written) and f"Updated {modified.day} {modified:%B %Y}" in text(written)
    assert "Corrected " in text(written)
    assert LexborHTMLParser(arrives).body.html == LexborHTMLParser(written).body.html


def test_a_feed_entry_is_drawn_once_per_article_whichever_feeds_list_it():
    drawn = []

    def render(article, body, **context):
        drawn.append(article)
        return f"<p>{article.title}</p>{body}"

    generator = SimpleNamespace(articles=[], settings={}, get_template=lambda name: SimpleNamespace(render=render))
    plain_text_feeds.remember_articles(generator)
    first, second = SimpleNamespace(title="A"), SimpleNamespace(title="B")
    entries = [plain_text_feeds.entry_content({}, article, "<p>Body</p>") for article in (first, second, first)]
    assert entries == ["<p>A</p><p>Body</p>", "<p>B</p><p>Body</p>", "<p>A</p><p>Body</p>"]
    assert drawn == [first, second]


def test_every_feed_has_its_own_id_title_and_page_which_offers_it(feeds, pages):
    """A feed reader tells feeds apart by id and title, and leads to the alternate page."""
    offenders = []
    for path, feed in feeds.items():
        self_link = next(link.href for link in feed.feed.links if link.rel == "self")
        site_root = self_link.removesuffix(path)
        page = feed.feed.link.removeprefix(site_root) or "index.html"
        offered = (
            [link.attributes["href"] for link in pages[page].css('link[rel="alternate"][type="application/atom+xml"]')]
            if page in pages
            else []
        )
        if not any(href.endswith("/" + path) for href in offered):
            offenders.append((path, feed.feed.link))
    ids = [feed.feed.id for feed in feeds.values()]
    titles = [feed.feed.title for feed in feeds.values()]
    assert len(feeds) > 3
    assert (len(set(ids)), len(set(titles))) == (len(feeds), len(feeds))
    assert offenders == []


def test_the_feeds_of_a_build_share_one_table_of_titles(monkeypatch):
    """Made once a build, not once a feed: a table per feed grows with the square of the topics."""
    made = []

    def table(context):
        made.append(context)
        return {f"feeds/tag/{name}.atom.xml": (f"topic {name}", f"tag/{name}.html") for name in "xyz"}

    monkeypatch.setattr(feed_pages, "feed_pages", table)
    feed_pages.forget_pages(None)
    feeds = [SimpleNamespace(feed={"feed_url": f"{SITEURL}/feeds/tag/{name}.atom.xml"}, items=[]) for name in "xyz"]
    for feed in feeds:
        feed_pages.name_the_feed({"SITEURL": SITEURL}, feed)
    assert len(made) == 1
    assert [feed.feed["title"] for feed in feeds] == ["topic x", "topic y", "topic z"]
    feed_pages.forget_pages(None)


def test_no_entry_names_a_category_twice(site, feeds):
    """Read from the XML itself: feedparser drops a repeated term."""
    atom = "{http://www.w3.org/2005/Atom}"
    offenders, counted = [], 0
    for path in feeds:
        for entry in ElementTree.parse(site / path).getroot().iter(atom + "entry"):
            terms = [category.get("term") for category in entry.iter(atom + "category")]
            counted += len(terms)
            if len(terms) != len(set(terms)):
                offenders.append((path, entry.findtext(atom + "id"), terms))
    assert counted > 0
    assert offenders == []


def test_feed_entries_link_to_built_articles(any_feeds):
    site, feeds = any_feeds
    offenders = []
    for path, feed in feeds.items():
        assert feed.entries, f"{path} has no entries"
        # The site's address, with its path: the feed's own address less its path in the site.
        site_root = next(link.href for link in feed.feed.links if link.rel == "self").removesuffix(path)
        for entry in feed.entries:
            relative = entry.link.removeprefix(site_root)
            if not (site / relative).is_file():
                offenders.append((path, entry.link))
    assert offenders == []


def test_siteurl_from_the_environment_reaches_feeds_and_sitemap(hosted_site):
    feed = feedparser.parse((hosted_site / "feeds" / "all.atom.xml").read_bytes())
    assert all(entry.link.startswith(SITEURL + "/") for entry in feed.entries)
    assert f"<loc>{SITEURL}/index.html</loc>" in (hosted_site / "sitemap.xml").read_text()
    # Page links stay relative, so the same files still work from any folder.
    tree = LexborHTMLParser((hosted_site / "about.html").read_text(encoding="utf-8"))
    assert [a.attributes["href"] for a in tree.css("a[href]") if a.attributes["href"].startswith(SITEURL)] == []
