"""What machines read: JSON-LD (NewsArticle, WebSite, BreadcrumbList), Open
Graph and Twitter meta, and canonical links only where the site's address is
known. plugins/structured_data.py builds the NewsArticle and the WebSite: it
is tested on its functions too.

Every block is parsed as JSON. A test-only article whose title and summary
are full of quotes, ampersands, "<" and "</script" proves that no text can
break out of the JSON or the HTML around it.
"""

import datetime
import json
import posixpath
import re
from types import SimpleNamespace
from urllib.parse import parse_qs, urljoin, urlsplit

import pytest
from pelican.settings import DEFAULT_CONFIG
from structured_data import Site, breadcrumb_list, news_article, web_site
from support import ARTICLE, PUBLIC_SITEURL, SOURCE, article_path, articles, extra_articles, settings_of

import publishconf

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


@pytest.mark.parametrize("build_pages", BUILDS)
def test_no_property_is_empty(request, build_pages):
    """A property the page has nothing for is left out, not written as [] or ""."""

    def empty_paths(value, path):
        if value in ([], "", {}, None):
            yield path
        elif isinstance(value, dict):
            for key, item in value.items():
                yield from empty_paths(item, f"{path}.{key}")
        elif isinstance(value, list):
            for index, item in enumerate(value):
                yield from empty_paths(item, f"{path}[{index}]")

    pages = request.getfixturevalue(build_pages)
    offenders = [
        (path, empty)
        for path, tree in pages.items()
        for block in json_ld(tree)
        for empty in empty_paths(block, block["@type"])
    ]
    assert offenders == []


# -- NewsArticle ------------------------------------------------------------------------

REQUIRED = ["headline", "url", "datePublished", "dateModified", "author", "publisher", "inLanguage"]
# Copies of what the page says elsewhere: the standfirst is in the description
# and og:description meta, the topics' names in "about" and article:tag.
REPEATED = ["description", "keywords", "mainEntityOfPage"]


@pytest.mark.parametrize("build_pages", BUILDS)
def test_every_article_has_one_news_article_with_every_field(request, build_pages):
    offenders = []
    pages = request.getfixturevalue(build_pages)
    for path, tree in pages.items():
        if not is_article(tree):
            continue
        blocks = of_type(tree, "NewsArticle")
        if len(blocks) != 1:
            offenders.append((path, f"{len(blocks)} NewsArticle blocks"))
            continue
        [block] = blocks
        offenders += [(path, field) for field in REQUIRED if field not in block]
        offenders += [(path, "repeats", field) for field in REPEATED if field in block]
        offenders += [
            (path, field, block.get(field))
            for field in ("datePublished", "dateModified")
            if not (ISO_WITH_OFFSET.match(str(block.get(field))) or ISO_DAY.match(str(block.get(field))))
        ]
        if block.get("headline") != text(tree.css_first("h1")):
            offenders.append((path, "headline differs from the h1"))
        if resolves_to(path, block.get("url", ""), pages) != path:
            offenders.append((path, "url is not the page's own"))
        if [meta_node.attributes["content"] for meta_node in tree.css('meta[property="article:tag"]')] != [
            thing["name"] for thing in block.get("about", [])
        ]:
            offenders.append((path, "article:tag differs from the topics in about"))
    assert offenders == []


def test_news_article_describes_the_report(pages):
    [block] = of_type(pages[ARTICLE], "NewsArticle")
    front = articles()[SOURCE]
    assert block["datePublished"] == front["date"].isoformat()
    assert block["author"] == {"@type": "Organization", "name": "dpa"}
    assert block["publisher"]["@type"] == "Organization" and block["publisher"]["name"]
    assert block["inLanguage"] == "en"
    assert [node.attributes["content"] for node in pages[ARTICLE].css('meta[property="article:tag"]')] == front["tags"]
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
    # Brief §8: each correction of our own text, with its date, beside the translation fixes.
    ours = front.get("our_corrections", [])
    assert ours, "no correction of our own text: the test proves nothing"
    assert [item.get("datePublished") for item in block["correction"]] == [fix["date"].isoformat() for fix in ours] + [
        None
    ] * len(front["corrections"])
    corrections = [item["text"] for item in block["correction"]]
    for item, fix in zip(corrections[: len(ours)], ours, strict=True):
        said = [fix["said"]] if isinstance(fix.get("said"), str) else fix.get("said", [])
        assert all(f"“{words}”" in item for words in said) and " ".join(fix["now"].split()) in item
    for item, fix in zip(corrections[len(ours) :], front["corrections"], strict=True):
        assert fix["original"] in item and fix["corrected"] in item
    places = {place["name"]: place for place in block["contentLocation"]}
    assert {"New York", "Gao", "Moura"} <= set(places)
    # Brief §6: the points' licences ask for a credit wherever they are shown, which JSON-LD cannot carry.
    assert [name for name, place in places.items() if "geo" in place] == []


def test_news_article_is_based_on_every_copy_the_editors_note_names():
    """Brief §1: where the editor's note says the text follows one of dpa's copies and not
    another ("DER SPIEGEL’s copy has these words"), isBasedOn names each copy, not one alone."""
    offenders, seen = [], 0
    for name, front in articles().items():
        reasons = " ".join(fix.get("reason", "") for fix in front.get("corrections", []))
        based_on = {source["publisher"] for source in front.get("sources", []) if source.get("based_on")}
        for source in front.get("sources", []):
            if f"{source['publisher'].split(',')[0]}’s copy" in " ".join(reasons.split()):
                seen += 1
                if source["publisher"] not in based_on:
                    offenders.append((name, source["publisher"]))
    assert seen >= 2, "no editor's note names two copies: the test proves nothing"
    assert offenders == []


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
    metadata then gives that update's date and time; otherwise the date published."""
    offenders, updated = [], 0
    for path, tree, block, front in article_blocks(request, build_pages):
        has_update = "modified" in front or any(entry["kind"] == "after" for entry in front.get("timeline", []))
        updated += has_update
        modified, published = block["dateModified"], block["datePublished"]
        expected = front["modified"].isoformat() if "modified" in front else published
        if (
            (modified[:10] > published[:10]) != has_update
            or modified != expected
            or meta(tree, "article:modified_time") != modified
        ):
            offenders.append((path, published, modified))
    assert updated, "no article was updated: the test proves nothing"
    assert offenders == []


@pytest.mark.parametrize("build_pages", BUILDS)
def test_each_correction_of_our_text_is_in_the_json_ld_in_the_pages_words(request, build_pages):
    """Brief §8: the update line's words, and its date, go into JSON-LD ``correction``."""
    offenders, seen = [], 0
    for path, tree, block, _front in article_blocks(request, build_pages):
        shown = [" ".join(item.text().split()) for item in tree.css(".update-corrections li")]
        dated = [item for item in block.get("correction", []) if "datePublished" in item]
        seen += len(shown)
        if [item["text"] for item in dated] != shown:
            offenders.append((path, shown, dated))
    assert seen, "no correction of our own text in this build: the test proves nothing"
    assert offenders == []


def test_sitemap_gives_each_article_the_day_of_its_last_change(site):
    from xml.etree import ElementTree

    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    urls = ElementTree.parse(site / "sitemap.xml").getroot().findall("s:url", ns)
    lastmod = {
        url.findtext("s:loc", namespaces=ns).split("/", 3)[-1]: url.findtext("s:lastmod", namespaces=ns) for url in urls
    }
    front = articles()[SOURCE]
    assert lastmod[ARTICLE] == front["modified"].date().isoformat()
    assert [(loc, day) for loc, day in lastmod.items() if day and not ISO_DAY.match(day)] == []


def test_sitemap_dates_each_listing_page_by_the_last_change_of_its_teasers(extra_build, extra_pages):
    """Brief §8: a listing page changes when a teaser on it does, so its lastmod is
    the latest day any article it lists was changed, not the newest publication."""
    from xml.etree import ElementTree

    site = extra_build[0]
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    urls = ElementTree.parse(site / "sitemap.xml").getroot().findall("s:url", ns)
    lastmod = {
        url.findtext("s:loc", namespaces=ns).removeprefix(PUBLIC_SITEURL + "/"): url.findtext(
            "s:lastmod", namespaces=ns
        )
        for url in urls
    }
    # The day of each change: lastmod gives a day, article:modified_time may add a time.
    changed = {path: meta(tree, "article:modified_time")[:10] for path, tree in extra_pages.items() if is_article(tree)}
    offenders, checked = [], 0
    for path, tree in extra_pages.items():
        listed = [
            posixpath.normpath(posixpath.join(posixpath.dirname(path), a.attributes["href"]))
            for a in tree.css(".teasers h2 a, .teasers h3 a")
        ]
        if not listed or is_article(tree):
            continue
        checked += 1
        # A list's later pages (they link back) are not in the sitemap; its first page is.
        if tree.css_first('.pagination a[rel="prev"]'):
            offenders += [(path, "a later page is listed")] if path in lastmod else []
        elif lastmod.get(path) != max(changed[article] for article in listed):
            offenders.append((path, lastmod.get(path)))
    assert checked and len(set(changed.values())) > 1, "one change date for every article: the test proves nothing"
    assert offenders == []


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
        # The last item is the page itself, without "item": Google takes the page's address.
        targets = [resolves_to(path, item["item"], pages) if "item" in item else path for item in items]
        visible_targets = [resolves_to(path, a.attributes["href"], pages) for a in tree.css(".breadcrumbs a")]
        if None in targets or targets[:-1] != visible_targets or "item" in items[-1]:
            offenders.append((path, targets))
    assert checked > 10
    assert offenders == []


# -- Open Graph, Twitter, canonical ---------------------------------------------------------


@pytest.mark.parametrize("build_pages", BUILDS)
def test_every_page_has_open_graph_and_twitter_meta(request, build_pages):
    offenders = []
    for path, tree in request.getfixturevalue(build_pages).items():
        for key in ("og:type", "og:title", "og:description", "og:site_name", "twitter:card"):
            if not meta(tree, key):
                offenders.append((path, key))
        if is_article(tree):
            [block] = of_type(tree, "NewsArticle")
            expected = {
                "og:type": "article",
                "og:title": block["headline"],
                "og:description": text(tree.css_first(".standfirst")),
                "article:published_time": block["datePublished"],
            }
            offenders += [(path, key) for key, value in expected.items() if meta(tree, key) != value]
    assert offenders == []


def test_without_a_known_address_there_is_no_canonical_and_no_og_url(pages):
    offenders = [
        path for path, tree in pages.items() if tree.css_first('link[rel="canonical"]') or meta(tree, "og:url")
    ]
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
    assert block["publisher"]["logo"]["url"].startswith(PUBLIC_SITEURL + "/")
    [site] = of_type(extra_pages["index.html"], "WebSite")
    assert site["potentialAction"]["target"]["urlTemplate"].startswith(f"{PUBLIC_SITEURL}/search.html?")


# -- The publisher and the site ---------------------------------------------------------


@pytest.mark.parametrize("build_pages", BUILDS)
def test_the_publisher_has_a_logo_of_this_site(request, build_pages):
    pages = request.getfixturevalue(build_pages)
    site = request.getfixturevalue("site" if build_pages == "pages" else "extra_build")
    site = site if build_pages == "pages" else site[0]
    offenders, checked = [], 0
    for path, tree in pages.items():
        for block in json_ld(tree):
            if "publisher" not in block or block["@type"] == "CreativeWork":
                continue
            checked += 1
            logo = block["publisher"].get("logo", {}).get("url", "")
            target = (
                logo.removeprefix(PUBLIC_SITEURL + "/")
                if logo.startswith(PUBLIC_SITEURL)
                else posixpath.normpath(posixpath.join(posixpath.dirname(path), logo))
            )
            if not (site / target).is_file():
                offenders.append((path, logo))
    assert checked >= 2
    assert offenders == []


def test_the_home_page_describes_the_site_and_how_to_search_it(pages):
    """A WebSite whose SearchAction fills in the same field the search form sends."""
    home = pages["index.html"]
    [site] = of_type(home, "WebSite")
    assert (site["name"], site["url"]) == (publishconf.SITENAME, "./index.html")
    action = site["potentialAction"]
    template = action["target"]["urlTemplate"]
    field = action["query-input"].split("name=")[1]
    address = urlsplit(template)
    form = home.css_first(f'form[action$="{posixpath.basename(address.path)}"]')
    assert form is not None and resolves_to("index.html", address.path, pages) == "search.html"
    [name] = [key for key, values in parse_qs(address.query).items() if values == [f"{{{field}}}"]]
    assert form.css_first(f'input[name="{name}"]') is not None
    assert [path for path, tree in pages.items() if of_type(tree, "WebSite") and path != "index.html"] == []


# -- The functions, on articles made for them ----------------------------------------------------


SITE = Site(
    {
        **DEFAULT_CONFIG,
        **settings_of(publishconf),
        "SITEURL_IS_PUBLIC": True,
        "SITEURL_ABSOLUTE": PUBLIC_SITEURL,
    }
)


def fake_article(**fields):
    named = lambda name, url="": SimpleNamespace(name=name, url=url)  # noqa: E731
    base = {
        "title": "Headline",
        "summary": "Standfirst.",
        "url": "2023/07/headline.html",
        "date_published": "2023-07-01",
        "lang": "en",
        "author": named("dpa"),
        "category": named("Mali", "category/mali.html"),
    }
    return SimpleNamespace(**{**base, **fields})


def test_an_article_with_nothing_but_its_text_has_no_empty_property():
    data = news_article(fake_article(), SITE)
    assert not {
        "contentLocation",
        "correction",
        "isBasedOn",
        "citation",
        "about",
        "image",
        "wordCount",
    } & set(data)
    assert data["dateModified"] == data["datePublished"] == "2023-07-01"
    assert data["articleSection"] == ["Mali"]
    assert data["publisher"]["logo"]["url"] == f"{PUBLIC_SITEURL}/theme/icons/favicon.svg"


def test_an_article_with_places_sources_and_corrections_gives_each():
    modified = datetime.datetime(2023, 7, 2, 9, 5, tzinfo=datetime.timezone(datetime.timedelta(hours=2)))
    article = fake_article(
        modified=modified,
        place="New York",
        places=[{"name": "Gao", "in_article": True}, {"name": "Kidal"}],
        sources=[
            {"name": "Original", "publisher": "Agency", "based_on": True, "date": "2023-07"},
            {"name": "Other", "publisher": "Paper", "url": "https://example.com/"},
        ],
        corrections=[{"original": "Dhe", "corrected": "The", "reason": "a stray letter"}],
        tags=[SimpleNamespace(name="UN", url="tag/un.html")],
    )
    data = news_article(article, SITE)
    assert data["dateModified"] == "2023-07-02T09:05:00+02:00"
    assert [place["name"] for place in data["contentLocation"]] == ["New York", "Gao"]
    assert data["isBasedOn"] == [
        {
            "@type": "CreativeWork",
            "name": "Original",
            "publisher": {"@type": "Organization", "name": "Agency"},
            "datePublished": "2023-07",
        }
    ]
    assert data["citation"][0]["url"] == "https://example.com/" and "datePublished" not in data["citation"][0]
    assert data["correction"] == [{"@type": "CorrectionComment", "text": "“Dhe” now reads “The”: a stray letter."}]
    assert data["about"] == [{"@type": "Thing", "name": "UN", "url": f"{PUBLIC_SITEURL}/tag/un.html"}]


def test_the_site_is_searchable_at_its_search_page():
    action = web_site(SITE)["potentialAction"]
    assert action["target"]["urlTemplate"] == f"{PUBLIC_SITEURL}/search.html?q={{search_term_string}}"
    assert action["query-input"] == "required name=search_term_string"


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
    assert [
        n for n in tree.css("script") if n.attributes.get("type") != "application/ld+json" and "alert" in n.text()
    ] == []
    # The page still parses as one document: two JSON blocks, one h1, its body intact.
    blocks = json_ld(tree)
    assert [block["@type"] for block in blocks] == ["NewsArticle", "BreadcrumbList"]
    assert blocks[0]["headline"] == headline and meta(tree, "description") == summary
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


def test_breadcrumbs_are_the_trail_then_the_page():
    trail = [("Home", "index.html", None), ("Sections", "categories.html", "section")]
    items = breadcrumb_list(trail, "Section: Mali", SITE)["itemListElement"]
    assert [(item["position"], item["name"], item.get("item")) for item in items] == [
        (1, "Home", f"{PUBLIC_SITEURL}/index.html"),
        (2, "Sections", f"{PUBLIC_SITEURL}/categories.html"),
        (3, "Section: Mali", None),
    ]
