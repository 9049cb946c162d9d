"""Every page the site promises exists, says what it is, and lists what it should."""

import posixpath
import re

import pytest
from support import articles

ARTICLE = "2023/06/mali-demands-withdrawal-of-minusma.html"

# (page, CSS selector, text the first match must contain)
EXPECTED = [
    ("index.html", "h1", "Latest news"),
    ("index.html", ".teaser__standfirst", "asked the UN Security Council"),
    (ARTICLE, "h1", "Mali demands withdrawal of UN peacekeeping mission MINUSMA"),
    (ARTICLE, ".byline", "dpa"),
    (ARTICLE, ".byline time", "16 June 2023"),
    (ARTICLE, ".note", "Translated from German"),
    (ARTICLE, ".note", "said Diop am Friday"),
    (ARTICLE, ".note", "said Diop on Friday"),
    ("category/mali.html", "h1", "Mali"),
    ("category/un.html", "h1", "United Nations (UN)"),
    ("category/bundeswehr.html", "h1", "Bundeswehr"),
    ("tag/mali.html", "h1", "Mali"),
    ("tag/un.html", "h1", "UN"),
    ("tag/bundeswehr.html", "h1", "Bundeswehr"),
    ("tag/wagner-group.html", "h1", "Wagner Group"),
    ("categories.html", "h1", "Sections"),
    ("tags.html", "h1", "Topics"),
    ("archives.html", "h1", "Archives"),
    ("archives.html", "main h2", "2023"),
    ("archives.html", ".index-list li", "June 2023 1 article"),
    ("2023/index.html", "h1", "Archives: 2023"),
    ("2023/index.html", ".index-list li", "June 2023 1 article"),
    ("2023/06/index.html", "h1", "Archives: June 2023"),
    ("2023/06/index.html", ".archive-list li", "16 June 2023 Mali demands withdrawal of UN peacekeeping mission MINUSMA"),
    ("about.html", "h1", "About"),
    ("about.html", "main", "GeoNames (geonames.org), CC BY 4.0"),
    ("about.html", "main", "Made with Natural Earth"),
    ("404.html", "h1", "not found"),
]


@pytest.mark.parametrize(("path", "selector", "text"), EXPECTED)
def test_page_shows(pages, path, selector, text):
    assert path in pages, f"{path} was not built"
    node = pages[path].css_first(selector)
    assert node is not None, f"{path}: nothing matches {selector}"
    shown = " ".join(node.text(separator=" ").split())  # as a reader sees it
    assert text in shown, f"{path} {selector}: {shown!r}"


def test_robots_and_sitemap_exist(site):
    assert "Sitemap: " in (site / "robots.txt").read_text()
    assert "<urlset" in (site / "sitemap.xml").read_text()


def article_page(pages, title):
    return next(path for path, tree in pages.items() if (h1 := tree.css_first("article h1")) and h1.text() == title)


def listed_links(tree):
    return {node.attributes["href"].rsplit("/", 1)[-1] for node in tree.css(".teasers a")}


@pytest.mark.parametrize("source", sorted(articles()))
def test_article_is_listed_under_each_section_and_topic(pages, source):
    """Follows the article's section and topic links to their pages."""
    meta = articles()[source]
    path = article_page(pages, meta["title"])
    links = {node.text(): node.attributes["href"] for node in pages[path].css(".article-foot a")}
    assert set(links) == set(meta["categories"] + meta["tags"])
    listing_pages = [posixpath.normpath(posixpath.join(posixpath.dirname(path), href)) for href in links.values()]
    target = path.rsplit("/", 1)[-1]
    offenders = [page for page in listing_pages if target not in listed_links(pages[page])]
    assert offenders == []


@pytest.mark.parametrize("source", sorted(articles()))
def test_every_source_is_rendered_and_linked_where_it_has_a_url(pages, source):
    meta = articles()[source]
    tree = pages[article_page(pages, meta["title"])]
    rendered = tree.css(".sources li")
    assert len(rendered) == len(meta["sources"])
    for item, source_meta in zip(rendered, meta["sources"]):
        assert source_meta["name"] in item.text()
        assert source_meta["publisher"].split(",")[0] in item.text()
        link = item.css_first("a")
        assert (link.attributes["href"] if link else None) == source_meta.get("url")


@pytest.mark.parametrize("source", sorted(articles()))
def test_article_links_its_sections_and_topics(pages, source):
    meta = articles()[source]
    tree = pages[article_page(pages, meta["title"])]
    labels = [node.text() for node in tree.css(".article-foot a")]
    assert labels == meta["categories"] + meta["tags"]


# -- Site-wide rules: each collects every offending page --------------------------------


def test_every_page_has_one_h1(pages):
    assert [path for path, tree in pages.items() if len(tree.css("h1")) != 1] == []


def test_every_page_has_a_title_and_a_description(pages):
    offenders = [
        path
        for path, tree in pages.items()
        if not tree.css_first("title").text().strip()
        or not (tree.css_first('meta[name="description"]').attributes.get("content") or "").strip()
    ]
    assert offenders == []


def test_every_page_declares_its_language_and_has_a_skip_link(pages):
    offenders = [
        path
        for path, tree in pages.items()
        if not tree.css_first("html").attributes.get("lang")
        or tree.css_first("a.skip-link").attributes.get("href") != "#main"
        or tree.css_first("main#main") is None
    ]
    assert offenders == []


def test_navigation_marks_the_current_page(pages):
    offenders = []
    for path, tree in pages.items():
        for link in tree.css("header nav a"):
            target = link.attributes["href"].lstrip("./")
            is_current = link.attributes.get("aria-current") == "page"
            if is_current != path.endswith(target):
                offenders.append((path, target))
    assert offenders == []


def test_every_date_is_machine_readable(pages):
    valid = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
    offenders = [
        (path, node.attributes.get("datetime"))
        for path, tree in pages.items()
        for node in tree.css("time")
        if not valid.match(node.attributes.get("datetime") or "")
    ]
    assert offenders == []


def test_every_list_page_links_its_own_feed_twice(pages):
    """A section or topic feed is offered in <head> and as a visible link."""
    offenders = []
    for path, tree in pages.items():
        if not path.startswith(("category/", "tag/")):
            continue
        feed = path.replace("category/", "feeds/category/").replace("tag/", "feeds/tag/").replace(".html", ".atom.xml")
        heads = [node.attributes["href"] for node in tree.css('link[rel="alternate"]')]
        visible = [node.attributes["href"] for node in tree.css("main a[type='application/atom+xml']")]
        if not any(href.endswith(feed) for href in heads) or not any(href.endswith(feed) for href in visible):
            offenders.append(path)
    assert offenders == []
