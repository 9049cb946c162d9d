"""Every page the site promises exists, says what it is, and lists what it should."""

import posixpath
import re

import pytest

import publishconf
from support import articles, settings_of

ARTICLE = "2023/06/mali-demands-withdrawal-of-minusma.html"

# (page, CSS selector, text the first match must contain)
EXPECTED = [
    ("index.html", "h1", "Latest news"),
    ("index.html", ".teaser__standfirst", "asked the United Nations (UN) Security Council"),
    (ARTICLE, "h1", "Mali demands withdrawal of UN peacekeeping mission MINUSMA"),
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
    ("archives.html", ".index-list li", "June 2023 1 article"),
    ("2023/index.html", "h1", "Archives: 2023"),
    ("2023/index.html", ".index-list li", "June 2023 1 article"),
    ("2023/06/index.html", "h1", "Archives: June 2023"),
    ("2023/06/index.html", ".archive-list li", "16 June 2023 : Mali demands withdrawal of UN peacekeeping mission MINUSMA"),
    ("about.html", "h1", "About"),
    ("about.html", "main", "GeoNames (geonames.org), CC BY 4.0"),
    ("about.html", "main", "Made with Natural Earth"),
    ("about.html", "main", "We correct errors openly, never silently."),
    ("about.html", "main", "the United Nations (UN) peacekeeping mission in Mali from 2013 to 2023"),
    ("404.html", "h1", "not found"),
    ("404.html", "main", "Search for it, or start again from one of these pages: Home : the latest news Sections : every section"),
]


@pytest.mark.parametrize(("path", "selector", "text"), EXPECTED)
def test_page_shows(pages, path, selector, text):
    assert path in pages, f"{path} was not built"
    node = pages[path].css_first(selector)
    assert node is not None, f"{path}: nothing matches {selector}"
    shown = " ".join(node.text(separator=" ").split())  # as a reader sees it
    assert text in shown, f"{path} {selector}: {shown!r}"


def test_no_two_pages_share_a_title(pages):
    """A reader, a tab bar or a search engine tells every page apart by its title."""
    seen = {}
    for path, tree in pages.items():
        seen.setdefault(tree.css_first("title").text().strip(), []).append(path)
    assert {title: paths for title, paths in seen.items() if len(paths) > 1} == {}


# Present tense about a mission that ended in 2023 (brief §8): phrases found before.
STALE = ["has been in the country", "have been part of", "has been part of", "sets the mandate", "are deployed", "works closely", "ruled by the military since"]


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

    from support import PELICAN, ROOT
    from selectolax.lexbor import LexborHTMLParser

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


def test_every_page_names_an_icon(pages):
    """Browsers ask for it on every page; test_links fetches it."""
    assert [path for path, tree in pages.items() if not tree.css_first('head link[rel~="icon"][href]')] == []


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


def test_every_figure_is_named_and_every_reference_between_elements_resolves(pages):
    """A figure is announced by its name (the map's is the map's title); aria-details,
    aria-labelledby and aria-describedby name elements of the same page."""
    offenders = []
    for path, tree in pages.items():
        ids = {node.attributes["id"] for node in tree.css("[id]")}
        offenders += [f"{path}: unnamed figure" for figure in tree.css("figure")
                      if not (figure.attributes.get("aria-label") or figure.attributes.get("aria-labelledby"))]
        for attribute in ("aria-details", "aria-labelledby", "aria-describedby"):
            for node in tree.css(f"[{attribute}]"):
                offenders += [f"{path}: {attribute} names no element: {name}" for name in node.attributes[attribute].split() if name not in ids]
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


def test_every_page_is_linked_by_one_name(pages):
    """WCAG 3.2.4: the links to one page have one name wherever they are (the
    name a screen reader hears: aria-label, else the text). The site's name,
    which heads every page, is the one other name the home page has."""
    names = {}
    for path, tree in pages.items():
        # The 404 page's links start from the site's path (base.html).
        folder = "" if path == "404.html" else posixpath.dirname(path)
        for link in tree.css("a[href]"):
            href = link.attributes["href"].split("#")[0]
            if not href or ":" in href or "site-name" in (link.attributes.get("class") or ""):
                continue
            target = posixpath.normpath(posixpath.join(folder, href)).lstrip("/")
            name = link.attributes.get("aria-label") or " ".join(link.text().split())
            names.setdefault(target, {}).setdefault(name, path)
    offenders = {target: found for target, found in names.items() if len(found) > 1}
    assert offenders == {}
