"""What machines read: JSON-LD (NewsArticle, BreadcrumbList), Open Graph and
Twitter meta, and canonical links only where the site's address is known.

Every block is parsed as JSON. A test-only article whose title and summary
are full of quotes, ampersands, "<" and "</script" proves that no text can
break out of the JSON or the HTML around it.
"""

import datetime
import json
import posixpath
import re
from urllib.parse import urljoin

import pytest

from support import PUBLIC_SITEURL, article_path, articles, extra_articles

ARTICLE = "2023/06/mali-demands-withdrawal-of-minusma.html"
HOSTILE = "2023/06/hostile-characters.html"
ISO_WITH_OFFSET = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?([+-]\d{2}:\d{2}|Z)$")
PARTIAL_ISO_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
ISO_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
BUILDS = ["pages", "extra_pages"]


def text(node):
    """A node's text as read, spaces collapsed: inline elements (<abbr>, <span
    lang>) add none, so "MINUSMA’s" stays one word."""
    return " ".join(node.text(separator="").split())


def json_ld(tree):
    """Every JSON-LD block of a page, parsed."""
    return [json.loads(node.text()) for node in tree.css('script[type="application/ld+json"]')]


def of_type(tree, kind):
    return [block for block in json_ld(tree) if block.get("@type") == kind]


def meta(tree, key):
    node = tree.css_first(f'meta[property="{key}"]') or tree.css_first(f'meta[name="{key}"]')
    return node.attributes.get("content") if node else None


def is_article(tree):
    return tree.css_first("article.article") is not None


def resolves_to(page, url, site_files):
    """The page a JSON-LD or meta URL names, if it is a page of this build."""
    if url.startswith(PUBLIC_SITEURL + "/"):
        target = url[len(PUBLIC_SITEURL) + 1 :]
    elif "://" in url:
        return None
    else:
        target = posixpath.normpath(posixpath.join(posixpath.dirname(page), url))
    return target if target in site_files else None


# -- Every block parses ---------------------------------------------------------------


@pytest.mark.parametrize("build_pages", BUILDS)
def test_every_json_ld_block_is_json_with_a_schema_org_type(request, build_pages):
    offenders = []
    for path, tree in request.getfixturevalue(build_pages).items():
        for node in tree.css('script[type="application/ld+json"]'):
            try:
                block = json.loads(node.text())
            except json.JSONDecodeError as error:
                offenders.append((path, str(error)))
                continue
            if block.get("@context") != "https://schema.org" or not block.get("@type"):
                offenders.append((path, "no @context or @type"))
    assert offenders == []


# -- NewsArticle ------------------------------------------------------------------------

REQUIRED = [
    "headline", "description", "datePublished", "dateModified", "author", "publisher", "inLanguage",
    "keywords", "about", "isBasedOn", "citation", "correction", "contentLocation",
]  # fmt: skip


@pytest.mark.parametrize("build_pages", BUILDS)
def test_every_article_has_one_news_article_with_every_field(request, build_pages):
    offenders = []
    for path, tree in request.getfixturevalue(build_pages).items():
        if not is_article(tree):
            continue
        blocks = of_type(tree, "NewsArticle")
        if len(blocks) != 1:
            offenders.append((path, f"{len(blocks)} NewsArticle blocks"))
            continue
        [block] = blocks
        offenders += [(path, field) for field in REQUIRED if field not in block]
        offenders += [
            (path, field, block.get(field))
            for field in ("datePublished", "dateModified")
            if not (ISO_WITH_OFFSET.match(str(block.get(field))) or ISO_DAY.match(str(block.get(field))))
        ]
        if block.get("headline") != text(tree.css_first("h1")):
            offenders.append((path, "headline differs from the h1"))
        if block.get("description") != text(tree.css_first(".standfirst")):
            offenders.append((path, "description differs from the standfirst"))
    assert offenders == []


def test_news_article_describes_the_report(pages):
    [block] = of_type(pages[ARTICLE], "NewsArticle")
    front = articles()["2023-06-16-mali-demands-withdrawal-of-minusma.md"]
    assert block["datePublished"] == front["date"].isoformat()
    assert block["author"] == {"@type": "Organization", "name": "dpa"}
    assert block["publisher"]["@type"] == "Organization" and block["publisher"]["name"]
    assert block["inLanguage"] == "en"
    assert block["keywords"] == front["tags"]
    assert [thing["name"] for thing in block["about"]] == front["tags"]
    sources = block["isBasedOn"] + block["citation"]
    assert sorted(work["name"] for work in sources) == sorted(source["name"] for source in front["sources"])
    assert [work["name"] for work in block["isBasedOn"]] == [s["name"] for s in front["sources"] if s.get("based_on")]
    assert block["isBasedOn"], "the report is based on the dpa original"
    for work, source in ((w, next(s for s in front["sources"] if s["name"] == w["name"])) for w in sources):
        assert work.get("url") == source.get("url")
        assert work["publisher"]["name"] == " ".join(source["publisher"].split())
        if "datePublished" in work:
            assert PARTIAL_ISO_DATE.match(work["datePublished"])
        for note in (source.get("date_note"), source.get("url_note")):
            assert not note or note in work["description"], "a caveat must travel with the date or link"
    corrections = [item["text"] for item in block["correction"]]
    assert len(corrections) == len(front["corrections"]) == 2
    for item, fix in zip(corrections, front["corrections"]):
        assert fix["original"] in item and fix["corrected"] in item
    places = {place["name"]: place for place in block["contentLocation"]}
    assert {"New York", "Gao", "Moura"} <= set(places)
    for name in ("Gao", "Moura"):
        geo = places[name]["geo"]
        assert geo["@type"] == "GeoCoordinates"
        assert 10 < geo["latitude"] < 25 and -12.5 < geo["longitude"] < 4.5, "inside Mali"


def article_blocks(request, build_pages):
    """(path, NewsArticle block, front matter) for every article of a build."""
    by_path = {article_path(meta): meta for meta in extra_articles().values()}
    for path, tree in request.getfixturevalue(build_pages).items():
        if is_article(tree):
            [block] = of_type(tree, "NewsArticle")
            yield path, tree, block, by_path[path]


@pytest.mark.parametrize("build_pages", BUILDS)
def test_date_published_has_the_precision_of_the_front_matter(request, build_pages):
    """A day alone is published as that day, never with an invented time (brief §8)."""
    offenders = []
    for path, tree, block, front in article_blocks(request, build_pages):
        expected = front["date"].isoformat()
        shown = (block["datePublished"], meta(tree, "article:published_time"))
        if shown != (expected, expected):
            offenders.append((path, shown, expected))
    assert offenders == []


@pytest.mark.parametrize("build_pages", BUILDS)
def test_date_modified_is_later_exactly_when_the_article_was_updated(request, build_pages):
    """Updated: it has a `modified` date or material from after the report. The
    metadata then gives the day of that update; otherwise the date published."""
    offenders, updated = [], 0
    for path, tree, block, front in article_blocks(request, build_pages):
        has_update = "modified" in front or any(entry["kind"] == "after" for entry in front.get("timeline", []))
        updated += has_update
        modified, published = block["dateModified"], block["datePublished"]
        expected = front["modified"].date().isoformat() if "modified" in front else published
        if (modified[:10] > published[:10]) != has_update or modified != expected or meta(tree, "article:modified_time") != modified:
            offenders.append((path, published, modified))
    assert updated, "no article was updated: the test proves nothing"
    assert offenders == []


def test_sitemap_gives_each_article_the_day_of_its_last_change(site):
    from xml.etree import ElementTree

    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    urls = ElementTree.parse(site / "sitemap.xml").getroot().findall("s:url", ns)
    lastmod = {url.findtext("s:loc", namespaces=ns).split("/", 3)[-1]: url.findtext("s:lastmod", namespaces=ns) for url in urls}
    front = articles()["2023-06-16-mali-demands-withdrawal-of-minusma.md"]
    assert lastmod[ARTICLE] == front["modified"].date().isoformat()
    assert [(loc, day) for loc, day in lastmod.items() if day and not ISO_DAY.match(day)] == []


# -- BreadcrumbList ------------------------------------------------------------------


def has_breadcrumbs(path, tree):
    return is_article(tree) or path.startswith(("category/", "tag/")) or tree.css_first(".breadcrumbs") is not None


@pytest.mark.parametrize("build_pages", BUILDS)
def test_breadcrumb_list_matches_the_visible_trail(request, build_pages):
    pages = request.getfixturevalue(build_pages)
    checked, offenders = 0, []
    for path, tree in pages.items():
        if not has_breadcrumbs(path, tree):
            continue
        checked += 1
        blocks = of_type(tree, "BreadcrumbList")
        if len(blocks) != 1:
            offenders.append((path, f"{len(blocks)} BreadcrumbList blocks"))
            continue
        items = blocks[0]["itemListElement"]
        visible = [text(a) for a in tree.css(".breadcrumbs a")]
        names = [item["name"] for item in items]
        if names != visible + [text(tree.css_first("h1"))]:
            offenders.append((path, names, visible))
        if [item["position"] for item in items] != list(range(1, len(items) + 1)):
            offenders.append((path, "positions"))
        targets = [resolves_to(path, item["item"], pages) for item in items]
        visible_targets = [resolves_to(path, a.attributes["href"], pages) for a in tree.css(".breadcrumbs a")]
        if None in targets or targets[:-1] != visible_targets or targets[-1] != path:
            offenders.append((path, targets))
    assert checked > 10
    assert offenders == []


# -- Open Graph, Twitter, canonical ---------------------------------------------------------


@pytest.mark.parametrize("build_pages", BUILDS)
def test_every_page_has_open_graph_and_twitter_meta(request, build_pages):
    offenders = []
    for path, tree in request.getfixturevalue(build_pages).items():
        for key in ("og:type", "og:title", "og:description", "og:site_name", "twitter:card", "twitter:title"):
            if not meta(tree, key):
                offenders.append((path, key))
        if is_article(tree):
            [block] = of_type(tree, "NewsArticle")
            expected = {
                "og:type": "article",
                "og:title": block["headline"],
                "og:description": block["description"],
                "twitter:title": block["headline"],
                "article:published_time": block["datePublished"],
            }
            offenders += [(path, key) for key, value in expected.items() if meta(tree, key) != value]
    assert offenders == []


def test_without_a_known_address_there_is_no_canonical_and_no_og_url(pages):
    offenders = [path for path, tree in pages.items() if tree.css_first('link[rel="canonical"]') or meta(tree, "og:url")]
    assert offenders == []


def test_with_siteurl_every_page_names_its_canonical_address(extra_pages):
    offenders = []
    for path, tree in extra_pages.items():
        if path == "404.html":
            continue
        expected = f"{PUBLIC_SITEURL}/{path}"
        link = tree.css_first('link[rel="canonical"]')
        if (link.attributes.get("href") if link else None) != expected or meta(tree, "og:url") != expected:
            offenders.append(path)
    assert offenders == []


def test_with_siteurl_structured_data_urls_are_absolute(extra_pages):
    [block] = of_type(extra_pages[ARTICLE], "NewsArticle")
    assert block["url"] == f"{PUBLIC_SITEURL}/{ARTICLE}"
    assert block["publisher"]["url"] == urljoin(PUBLIC_SITEURL + "/", "index.html")


# -- Hostile characters ---------------------------------------------------------------


def test_hostile_title_and_summary_break_neither_json_nor_html(extra_build, extra_pages):
    front = extra_articles()["2023-06-20-hostile-characters.md"]
    assert all(mark in front["title"] for mark in ('"', "<", "</script")), "the test article lost its teeth"
    tree = extra_pages[HOSTILE]
    headline = text(tree.css_first("h1"))
    summary = text(tree.css_first(".standfirst"))
    # Plain text: shown exactly as written, never read as markup.
    assert headline == front["title"] and summary == front["summary"]
    assert tree.css_first("h1 b, .standfirst i") is None
    assert [n for n in tree.css("script") if n.attributes.get("type") != "application/ld+json" and "alert" in n.text()] == []
    # The page still parses as one document: two JSON blocks, one h1, its body intact.
    blocks = json_ld(tree)
    assert [block["@type"] for block in blocks] == ["NewsArticle", "BreadcrumbList"]
    assert blocks[0]["headline"] == headline and blocks[0]["description"] == summary
    assert blocks[1]["itemListElement"][-1]["name"] == headline
    assert len(tree.css("h1")) == 1 and tree.css_first(".article-body") is not None
    assert tree.css_first("title").text() == f"{headline} – Sahel Desk"
    assert meta(tree, "og:title") == headline and meta(tree, "og:description") == summary
    # No "<" reaches the inside of a script element unescaped.
    raw = (extra_build[0] / HOSTILE).read_text(encoding="utf-8")
    scripts = raw.split('<script type="application/ld+json">')[1:]
    assert len(scripts) == 2
    assert all("<" not in script.split("</script>")[0] for script in scripts)


def test_hostile_title_is_escaped_wherever_it_is_listed(extra_pages):
    headline = text(extra_pages[HOSTILE].css_first("h1"))
    listed = [
        (path, text(link))
        for path, tree in extra_pages.items()
        for link in tree.css("a")
        if link.attributes.get("href", "").endswith("hostile-characters.html")
    ]
    assert len(listed) > 3
    assert [(path, shown) for path, shown in listed if headline not in shown] == []
