"""Every page the site promises exists, says what it is, and lists what it should."""

import posixpath
import re

import pytest
from support import ARTICLE, SOURCE, article_path, articles, extra_articles, newest_first, published, settings_of

import pelicanconf
import publishconf

# (page, CSS selector, text the first match must contain)
EXPECTED = [
    ("index.html", "h1", "Latest news"),
    (ARTICLE, "h1", articles()[SOURCE]["title"]),
    (ARTICLE, ".byline", "dpa , machine-translated from German"),
    (ARTICLE, ".byline time", "16 June 2023"),
    (ARTICLE, ".note", "Translated from German"),
    (ARTICLE, ".note", "said Diop am Friday"),
    (ARTICLE, ".note", "said Diop on Friday"),
    ("category/mali.html", "h1", "Section: Mali"),
    ("category/un.html", "h1", "Section: United Nations (UN)"),
    ("category/un.html", "title", "Section: United Nations (UN) – Sahel Desk"),
    ("category/un.html", ".feed-link", "Atom feed of the section United Nations (UN)"),
    ("category/bundeswehr.html", "h1", "Section: Bundeswehr"),
    ("tag/mali.html", "h1", "Topic: Mali"),
    ("tag/mali.html", "title", "Topic: Mali – Sahel Desk"),
    ("tag/un.html", "h1", "Topic: UN"),
    ("tag/un.html", ".feed-link", "Atom feed of the topic UN"),
    ("tag/bundeswehr.html", "h1", "Topic: Bundeswehr"),
    ("tag/wagner-group.html", "h1", "Topic: Wagner Group"),
    ("categories.html", "h1", "Sections"),
    ("tags.html", "h1", "Topics"),
    ("archives.html", "h1", "Archives"),
    ("archives.html", "main h2", "2023"),
    ("about.html", "h1", "About"),
    ("about.html", "main", "GeoNames (geonames.org), CC BY 4.0"),
    ("about.html", "main", "Made with Natural Earth"),
    ("about.html", "main", "We correct errors openly, never silently."),
    ("about.html", "main", "the United Nations (UN) peacekeeping mission in Mali from 2013 to 2023"),
    ("404.html", "h1", "not found"),
    (
        "404.html",
        "main",
        "Search for it, or start again from one of these pages: Home : the latest news Sections : every section",
    ),
]


@pytest.mark.parametrize(("path", "selector", "text"), EXPECTED)
def test_page_shows(pages, path, selector, text):
    assert path in pages, f"{path} was not built"
    node = pages[path].css_first(selector)
    assert node is not None, f"{path}: nothing matches {selector}"
    shown = " ".join(node.text(separator=" ").split())  # as a reader sees it
    assert text in shown, f"{path} {selector}: {shown!r}"


BUILDS = [("pages", articles), ("extra_pages", extra_articles)]


def words(node):
    return " ".join(node.text(separator="").split())


def by_time(fronts):
    """Articles' titles grouped by their time of publication, newest first:
    articles published at the same time may come in any order."""
    groups = {}
    for front in newest_first(fronts):
        groups.setdefault(published(front), set()).add(front["title"])
    return list(groups.values())


@pytest.mark.parametrize(("build_pages", "fronts"), BUILDS)
def test_the_home_page_lists_the_newest_articles_first(request, build_pages, fronts):
    home = request.getfixturevalue(build_pages)["index.html"]
    newest = newest_first(fronts().values())[: pelicanconf.DEFAULT_PAGINATION]
    shown = [words(node) for node in home.css(".teasers h2")]
    times = {front["title"]: published(front) for front in fronts().values()}
    assert by_time([{"title": title, "date": times[title]} for title in shown]) == by_time(newest)
    assert len(shown) == len(newest)


def byline(front):
    """What a listing adds after the headline: who wrote it and what the text is (brief §8)."""
    if "author" not in front:
        return ""
    translated = f", machine-translated from {front['translated_from']}" if front.get("translated_from") else ""
    return f"; · {front['author']}{translated}"


@pytest.mark.parametrize(("build_pages", "fronts"), BUILDS)
def test_archives_list_every_month_with_its_count_and_its_articles(request, build_pages, fronts):
    """The archive, each year's page and each month's page, from the articles' dates."""
    pages = request.getfixturevalue(build_pages)
    by_month = {}
    for front in newest_first(fronts().values()):
        by_month.setdefault(published(front).strftime("%Y/%m"), []).append(front)
    counted = {
        month: f"{published(items[0]):%B %Y} {len(items)} article{'s' if len(items) != 1 else ''}"
        for month, items in by_month.items()
    }
    shown = {"archives.html": [words(li) for li in pages["archives.html"].css(".index-list li")]}
    expected = {"archives.html": list(counted.values())}
    for month, items in by_month.items():
        year = month[:4]
        shown[f"{year}/index.html"] = [words(li) for li in pages[f"{year}/index.html"].css(".index-list li")]
        expected[f"{year}/index.html"] = [line for other, line in counted.items() if other.startswith(year)]
        # Articles of one time may come in any order.
        shown[f"{month}/index.html"] = sorted(words(li) for li in pages[f"{month}/index.html"].css(".archive-list li"))
        expected[f"{month}/index.html"] = sorted(
            f"{published(front).day} {published(front):%B %Y}: {front['title']}{byline(front)}" for front in items
        )
        assert words(pages[f"{month}/index.html"].css_first("h1")) == f"Archives: {published(items[0]):%B %Y}"
    assert shown == expected


def test_no_two_pages_share_a_title(any_pages):
    """A reader, a tab bar or a search engine tells every page apart by its title."""
    seen = {}
    for path, tree in any_pages.items():
        seen.setdefault(tree.css_first("title").text().strip(), []).append(path)
    assert {title: paths for title, paths in seen.items() if len(paths) > 1} == {}


# Present tense about a mission that ended in 2023 (brief §8): phrases found before.
STALE = [
    "has been in the country",
    "have been part of",
    "has been part of",
    "sets the mandate",
    "are deployed",
    "works closely",
    "ruled by the military since",
]


def test_section_descriptions_and_the_about_page_tell_the_mission_in_the_past(pages):
    import yaml
    from support import ROOT

    sections = yaml.safe_load((ROOT / "content" / "data" / "sections.yaml").read_text(encoding="utf-8"))
    texts = {slug: " ".join(section["description"].split()) for slug, section in sections.items()}
    texts["about.html"] = " ".join(pages["about.html"].css_first("main").text(separator=" ").split())
    offenders = [(where, phrase) for where, said in texts.items() for phrase in STALE if phrase in said]
    assert offenders == []


def test_the_about_page_names_no_contact_unless_one_is_set(pages):
    """CORRECTIONS_CONTACT is empty in pelicanconf.py: no address is made up."""
    main = pages["about.html"].css_first("main")
    assert main.css('a[href^="mailto:"]') == [] and "@" not in main.text()
    # Brief §8: the page still says how to report an error, truthfully: there is no address.
    contact = main.css_first(".corrections-contact")
    assert contact is not None and "does not yet publish an address" in contact.text()


def test_the_about_page_shows_the_contact_that_is_set(tmp_path):
    import os
    import subprocess

    from selectolax.lexbor import LexborHTMLParser
    from support import PELICAN, ROOT

    address = "corrections@example.org"
    result = subprocess.run(
        [str(PELICAN), "content", "-o", str(tmp_path), "-s", "pelicanconf.py", "--fatal", "warnings",
         "-e", f'CORRECTIONS_CONTACT="{address}"'],
        cwd=ROOT, env={**os.environ, "SITEURL": ""}, capture_output=True, text=True,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    main = LexborHTMLParser((tmp_path / "about.html").read_text(encoding="utf-8")).css_first("main")
    links = [(a.attributes["href"], a.text()) for a in main.css("a[href^='mailto:']")]
    assert links == [(f"mailto:{address}", address)]
    assert "To report an error" in main.text()


def test_robots_and_sitemap_exist(site):
    assert "Sitemap: " in (site / "robots.txt").read_text()


def test_every_text_file_for_crawlers_and_servers_ends_its_last_line(site):
    """robots.txt and the host files: some readers drop a last line without its newline."""
    names = ["robots.txt", *settings_of(publishconf)["TEMPLATE_PAGES"].values()]
    assert [name for name in names if not (site / name).read_bytes().endswith(b"\n")] == []
    assert "<urlset" in (site / "sitemap.xml").read_text()


def listed_links(pages, path):
    """The file names a listing links to, on its first page and every page after it."""
    found = set()
    while path:
        tree = pages[path]
        found |= {node.attributes["href"].rsplit("/", 1)[-1] for node in tree.css(".teasers a")}
        older = tree.css_first(".pagination a[rel=next]")
        path = posixpath.normpath(posixpath.join(posixpath.dirname(path), older.attributes["href"])) if older else None
    return found


# Every article of the extra build: the published ones, the tests' and the editor's.
@pytest.mark.parametrize("source", sorted(extra_articles()))
def test_article_is_listed_under_each_section_and_topic(extra_pages, source):
    """Follows the article's section and topic links to their pages."""
    pages, meta = extra_pages, extra_articles()[source]
    path = article_path(meta)
    links = {node.text(): node.attributes["href"] for node in pages[path].css(".article-foot a")}
    assert set(links) == set(meta["categories"] + meta["tags"])
    listing_pages = [posixpath.normpath(posixpath.join(posixpath.dirname(path), href)) for href in links.values()]
    target = path.rsplit("/", 1)[-1]
    offenders = [page for page in listing_pages if target not in listed_links(pages, page)]
    assert offenders == []


@pytest.mark.parametrize("source", sorted(extra_articles()))
def test_every_source_is_rendered_and_linked_where_it_has_a_url(extra_pages, source):
    meta = extra_articles()[source]
    tree = extra_pages[article_path(meta)]
    rendered = tree.css(".sources li")
    assert len(rendered) == len(meta.get("sources", []))
    for item, source_meta in zip(rendered, meta.get("sources", []), strict=True):
        assert source_meta["name"] in item.text()
        assert source_meta["publisher"].split(",")[0] in item.text()
        link = item.css_first("a")
        assert (link.attributes["href"] if link else None) == source_meta.get("url")


@pytest.mark.parametrize("source", sorted(extra_articles()))
def test_article_links_its_sections_and_topics(extra_pages, source):
    meta = extra_articles()[source]
    tree = extra_pages[article_path(meta)]
    labels = [node.text() for node in tree.css(".article-foot a")]
    assert labels == meta["categories"] + meta["tags"]


# -- Site-wide rules: each collects every offending page --------------------------------


def test_every_page_has_one_h1(any_pages):
    assert [path for path, tree in any_pages.items() if len(tree.css("h1")) != 1] == []


def test_every_page_has_a_title_and_a_description(any_pages):
    offenders = [
        path
        for path, tree in any_pages.items()
        if not tree.css_first("title").text().strip()
        or not (tree.css_first('meta[name="description"]').attributes.get("content") or "").strip()
    ]
    assert offenders == []


def test_every_page_names_an_icon(any_pages):
    """Browsers ask for it on every page; test_links fetches it."""
    assert [path for path, tree in any_pages.items() if not tree.css_first('head link[rel~="icon"][href]')] == []


def test_every_page_declares_its_language_and_has_a_skip_link(any_pages):
    offenders = [
        path
        for path, tree in any_pages.items()
        if not tree.css_first("html").attributes.get("lang")
        or tree.css_first("a.skip-link").attributes.get("href") != "#main"
        or tree.css_first("main#main") is None
    ]
    assert offenders == []


def test_navigation_marks_the_current_page(any_pages):
    offenders = []
    for path, tree in any_pages.items():
        for link in tree.css("header nav a"):
            target = link.attributes["href"].lstrip("./")
            is_current = link.attributes.get("aria-current") == "page"
            if is_current != path.endswith(target):
                offenders.append((path, target))
    assert offenders == []


def test_every_date_is_machine_readable(any_pages):
    valid = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
    offenders = [
        (path, node.attributes.get("datetime"))
        for path, tree in any_pages.items()
        for node in tree.css("time")
        if not valid.match(node.attributes.get("datetime") or "")
    ]
    assert offenders == []


def test_every_list_page_links_its_own_feed_twice(any_pages):
    """A section or topic feed is offered in <head> and as a visible link."""
    offenders = []
    for path, tree in any_pages.items():
        if not path.startswith(("category/", "tag/")):
            continue
        first_page = re.sub(r"/page/\d+\.html$", ".html", path)  # a list's later pages offer its feed too
        feed = (
            first_page.replace("category/", "feeds/category/")
            .replace("tag/", "feeds/tag/")
            .replace(".html", ".atom.xml")
        )
        heads = [node.attributes["href"] for node in tree.css('link[rel="alternate"]')]
        visible = [node.attributes["href"] for node in tree.css("main a[type='application/atom+xml']")]
        if not any(href.endswith(feed) for href in heads) or not any(href.endswith(feed) for href in visible):
            offenders.append(path)
    assert offenders == []


def test_every_figure_is_named_and_every_reference_between_elements_resolves(pages):
    """A figure is announced by its name (the map's is the map's title); aria-details,
    aria-labelledby and aria-describedby name elements of the same page."""
    offenders = []
    for path, tree in pages.items():
        ids = {node.attributes["id"] for node in tree.css("[id]")}
        offenders += [
            f"{path}: unnamed figure"
            for figure in tree.css("figure")
            if not (figure.attributes.get("aria-label") or figure.attributes.get("aria-labelledby"))
        ]
        for attribute in ("aria-details", "aria-labelledby", "aria-describedby"):
            for node in tree.css(f"[{attribute}]"):
                offenders += [
                    f"{path}: {attribute} names no element: {name}"
                    for name in node.attributes[attribute].split()
                    if name not in ids
                ]
    assert offenders == []


def test_the_text_of_every_article_has_a_heading_of_its_own(pages):
    """Moving by headings reaches an article's opening paragraphs: its body comes
    right after a heading, not under the heading of the box before it."""
    offenders, bodies = [], 0
    for path, tree in pages.items():
        for body in tree.css("article.article > .article-body"):
            bodies += 1
            before = body.prev
            while before is not None and before.tag == "-text":
                before = before.prev
            if before is None or before.tag != "h2":
                offenders.append(path)
    assert bodies == len(articles()) and offenders == []


def test_every_page_is_linked_by_one_name(any_pages):
    """WCAG 3.2.4: the links to one page have one name wherever they are (the
    name a screen reader hears: aria-label, else the text). The site's name,
    which heads every page, is the one other name the home page has; an older
    or newer article's link says so before the name, which is then the same."""
    names = {}
    for path, tree in any_pages.items():
        # The 404 page's links start from the site's path (base.html).
        folder = "" if path == "404.html" else posixpath.dirname(path)
        for link in tree.css("a[href]"):
            href = link.attributes["href"].split("#")[0]
            if not href or ":" in href or "site-name" in (link.attributes.get("class") or ""):
                continue
            target = posixpath.normpath(posixpath.join(folder, href)).lstrip("/")
            name = link.attributes.get("aria-label") or " ".join(link.text().split())
            relation = link.css_first(".article-nav__label") if link.attributes.get("rel") in ("prev", "next") else None
            if relation:
                name = name.removeprefix(" ".join(relation.text().split())).strip()
            names.setdefault(target, {}).setdefault(name, path)
    offenders = {target: found for target, found in names.items() if len(found) > 1}
    assert offenders == {}
