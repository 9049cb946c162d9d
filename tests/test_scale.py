"""At scale, every list stays complete: a site of 50 generated articles, built once.

The articles come from bench/generate.py (our full front matter, several
sections and topics each, three years of dates), and the site is built as
`make publish` builds it. What each list should hold is worked out from the
front matter alone; where a list or feed lives is asked of Pelican itself
(its settings and URL objects), so the checks follow the URL settings.
"""

import contextlib
import datetime
import gzip
import json
import math
import xml.etree.ElementTree as ET
from collections import Counter, defaultdict
from concurrent.futures import ThreadPoolExecutor
from itertools import pairwise
from urllib.parse import unquote, urldefrag, urljoin, urlparse

import feedparser
import pytest
from generate import generate
from pelican.settings import read_settings
from pelican.urlwrappers import Category, Tag
from selectolax.lexbor import LexborHTMLParser
from support import ROOT, differences, run_pelican

COUNT = 50
# Pagefind's batches, small enough that the articles fill several with one left part full.
SEARCH_BATCH = 20
# Two articles of one moment need only a few others around them.
TIED_COUNT = 8
SITE = "http://site.invalid/"  # a base for resolving relative links


@pytest.fixture(scope="session")
def settings():
    with contextlib.chdir(ROOT):  # publishconf.py imports pelicanconf from the working folder
        return read_settings("publishconf.py")


@pytest.fixture(scope="session")
def scale(tmp_path_factory):
    """(output folder, {slug: front matter}) for one build of COUNT generated articles."""
    content = tmp_path_factory.mktemp("scale-content")
    written = generate(COUNT, content)
    output = tmp_path_factory.mktemp("scale-site")
    result = run_pelican(output, content=str(content), extra_settings={"SEARCH_INDEX_BATCH": SEARCH_BATCH})
    assert result.returncode == 0, result.stdout + result.stderr
    return output, {front["slug"]: front for front in written.values()}


@pytest.fixture(scope="session")
def scale_site(scale):
    return scale[0]


@pytest.fixture(scope="session")
def generated(scale):
    return scale[1]


@pytest.fixture(scope="session")
def pages_at_scale(scale_site):
    """Every page of the build: {relative path: parsed tree}."""
    return {
        p.relative_to(scale_site).as_posix(): LexborHTMLParser(p.read_text(encoding="utf-8"))
        for p in sorted(scale_site.rglob("*.html"))
    }


@pytest.fixture(scope="session")
def article_pages(scale_site, generated):
    """{page path: slug} for every generated article; each slug must be built exactly once."""
    found = {slug: sorted(scale_site.rglob(f"{slug}.html")) for slug in generated}
    assert {slug: len(paths) for slug, paths in found.items() if len(paths) != 1} == {}
    return {paths[0].relative_to(scale_site).as_posix(): slug for slug, paths in found.items()}


def newest_first(generated, slugs):
    return sorted(slugs, key=lambda slug: generated[slug]["date"], reverse=True)


def links(tree, page, selector="a[href]"):
    """Site-relative paths that the links of `page` resolve to, in page order."""
    for node in tree.css(selector):
        url, _ = urldefrag(urljoin(SITE + page, node.attributes.get("href") or node.attributes.get("action") or ""))
        if url.startswith(SITE):
            yield unquote(url.removeprefix(SITE))


def listed_articles(pages_at_scale, article_pages, page):
    """The articles a list page links to from its main content, each once, in page order."""
    return list(
        dict.fromkeys(
            article_pages[path] for path in links(pages_at_scale[page], page, "main a[href]") if path in article_pages
        )
    )


def walk_pagination(pages_at_scale, page):
    """The pages of a paginated list, following rel=next from its first page."""
    chain = [page]
    while (next_link := pages_at_scale[chain[-1]].css_first('a[rel~="next"]')) is not None:
        following = next(links(next_link.parent, chain[-1], 'a[rel~="next"]'))
        assert following in pages_at_scale, f"{chain[-1]}: rel=next leads to {following}, which was not built"
        assert following not in chain, f"{chain[-1]}: rel=next leads back to {following}"
        chain.append(following)
    return chain


def lists(settings, generated):
    """Every paginated list: {name: (first page, slugs it must hold)}."""
    by_category, by_tag = defaultdict(set), defaultdict(set)
    for slug, front in generated.items():
        for name in front["categories"]:
            by_category[name].add(slug)
        for name in front["tags"]:
            by_tag[name].add(slug)
    found = {"home": (settings["INDEX_SAVE_AS"], set(generated))}
    found |= {f"section {name}": (Category(name, settings).save_as, slugs) for name, slugs in by_category.items()}
    found |= {f"topic {name}": (Tag(name, settings).save_as, slugs) for name, slugs in by_tag.items()}
    return found


def test_the_generated_site_has_many_sections_topics_and_years(settings, generated):
    every = lists(settings, generated)
    assert sum(name.startswith("section ") for name in every) == 10
    assert sum(name.startswith("topic ") for name in every) >= 25
    assert len({front["date"].year for front in generated.values()}) == 3
    # Long enough for every kind of list to run over several pages.
    assert len(generated) > 3 * settings["DEFAULT_PAGINATION"]


def test_every_list_holds_each_of_its_articles_once_newest_first(settings, generated, pages_at_scale, article_pages):
    offenders = []
    for name, (first, expected) in lists(settings, generated).items():
        if first not in pages_at_scale:
            offenders.append((name, first, "not built"))
            continue
        listed = [
            slug
            for page in walk_pagination(pages_at_scale, first)
            for slug in listed_articles(pages_at_scale, article_pages, page)
        ]
        duplicated = sorted(slug for slug, n in Counter(listed).items() if n > 1)
        missing, extra = sorted(expected - set(listed)), sorted(set(listed) - expected)
        if duplicated or missing or extra:
            offenders.append((name, first, {"duplicated": duplicated, "missing": missing, "extra": extra}))
        elif listed != newest_first(generated, listed):
            offenders.append((name, first, "not newest first"))
    assert offenders == []


def test_pagination_runs_both_ways_and_has_the_right_length(settings, generated, pages_at_scale):
    per_page = settings["DEFAULT_PAGINATION"]
    offenders = []
    for name, (first, expected) in lists(settings, generated).items():
        chain = walk_pagination(pages_at_scale, first)
        if len(chain) != math.ceil(len(expected) / per_page):
            offenders.append((name, f"{len(chain)} pages for {len(expected)} generated"))
        if pages_at_scale[first].css_first('a[rel~="prev"]') is not None:
            offenders.append((name, "the first page has a previous page"))
        for newer, older in pairwise(chain):
            back = pages_at_scale[older].css_first('a[rel~="prev"]')
            if back is None or next(links(back.parent, older, 'a[rel~="prev"]')) != newer:
                offenders.append((name, f"{older} does not lead back to {newer}"))
    assert offenders == []


def date_archives(settings, generated):
    """{year page: {month page: slugs}}, newest first, from the front matter alone.

    Where each page lives is asked of Pelican's settings; which articles it
    holds is the year and month of each article's date.
    """
    by_month = defaultdict(set)
    for slug, front in generated.items():
        by_month[front["date"].year, front["date"].month].add(slug)
    years = {}
    for year, month in sorted(by_month, reverse=True):
        first_day = datetime.date(year, month, 1)
        months = years.setdefault(settings["YEAR_ARCHIVE_SAVE_AS"].format(date=first_day), {})
        months[settings["MONTH_ARCHIVE_SAVE_AS"].format(date=first_day)] = (first_day, by_month[year, month])
    return years


def month_pages(settings, generated):
    return {page: month for months in date_archives(settings, generated).values() for page, month in months.items()}


def test_the_archives_link_every_year_and_its_months_newest_first_and_no_article(
    settings, generated, pages_at_scale, article_pages
):
    page = settings["ARCHIVES_SAVE_AS"]
    years = date_archives(settings, generated)
    expected = [link for year, months in years.items() for link in (year, *months)]
    linked = list(links(pages_at_scale[page], page, "main a[href]"))
    assert [link for link in linked if link in expected] == expected
    assert [link for link in linked if link in article_pages] == []


def test_each_year_page_links_its_months_newest_first_and_no_article(
    settings, generated, pages_at_scale, article_pages
):
    offenders = []
    for year, months in date_archives(settings, generated).items():
        if year not in pages_at_scale:
            offenders.append((year, "not built"))
            continue
        linked = list(links(pages_at_scale[year], year, "main a[href]"))
        every_month = month_pages(settings, generated)
        if [link for link in linked if link in every_month] != list(months):
            offenders.append((year, "months", [link for link in linked if link in every_month]))
        if any(link in article_pages for link in linked):
            offenders.append((year, "links articles"))
    assert offenders == []


def test_each_month_is_named_with_its_number_of_articles(settings, generated, pages_at_scale):
    """On the archives page and on its year's page: "June 2023" and "1 article"."""
    every_month = month_pages(settings, generated)
    offenders = []
    for page in [settings["ARCHIVES_SAVE_AS"], *date_archives(settings, generated)]:
        for item in pages_at_scale[page].css("main li"):
            link = item.css_first("a[href]")
            target = next(links(item, page), None) if link else None
            if target not in every_month:
                continue
            first_day, slugs = every_month[target]
            count = f"{len(slugs)} article{'s' if len(slugs) != 1 else ''}"
            shown = " ".join(item.text(separator=" ").split())
            if link.text(strip=True) != first_day.strftime("%B %Y") or f" {count} " not in f" {shown} ":
                offenders.append((page, target, shown))
    assert offenders == []


def test_each_month_page_lists_exactly_its_articles_newest_first(settings, generated, pages_at_scale, article_pages):
    offenders = []
    for page, (_, expected) in month_pages(settings, generated).items():
        if page not in pages_at_scale:
            offenders.append((page, "not built"))
            continue
        listed = listed_articles(pages_at_scale, article_pages, page)
        missing, extra = sorted(expected - set(listed)), sorted(set(listed) - expected)
        if missing or extra or len(listed) != len(expected):
            offenders.append((page, {"missing": missing, "extra": extra}))
        elif listed != newest_first(generated, listed):
            offenders.append((page, "not newest first"))
    assert offenders == []


def test_every_article_is_reachable_from_the_archives_through_its_year_and_month(
    settings, generated, pages_at_scale, article_pages
):
    years = date_archives(settings, generated)
    every_month = month_pages(settings, generated)
    archives = settings["ARCHIVES_SAVE_AS"]
    year_pages = {link for link in links(pages_at_scale[archives], archives, "main a[href]") if link in years}
    reached_months = {
        link for year in year_pages for link in links(pages_at_scale[year], year, "main a[href]") if link in every_month
    }
    reached = {
        article_pages[link]
        for month in reached_months
        for link in links(pages_at_scale[month], month, "main a[href]")
        if link in article_pages
    }
    assert sorted(set(generated) - reached) == []


def test_year_and_month_pages_lead_up_to_the_archives(settings, generated, pages_at_scale):
    """A month's breadcrumbs lead to its year, the archives and home; a year's to the archives and home."""
    home, archives = settings["INDEX_SAVE_AS"], settings["ARCHIVES_SAVE_AS"]
    offenders = []
    for year, months in date_archives(settings, generated).items():
        for page, trail in [(year, [home, archives]), *((month, [home, archives, year]) for month in months)]:
            found = list(links(pages_at_scale[page], page, 'nav[aria-label="Breadcrumb"] a[href]'))
            if found != trail:
                offenders.append((page, found))
    assert offenders == []


def test_sections_and_topics_indexes_link_every_section_and_topic(settings, generated, pages_at_scale):
    every = lists(settings, generated)
    for index, kind in ((settings["CATEGORIES_SAVE_AS"], "section "), (settings["TAGS_SAVE_AS"], "topic ")):
        linked = set(links(pages_at_scale[index], index, "main a[href]"))
        missing = sorted(name for name, (first, _) in every.items() if name.startswith(kind) and first not in linked)
        assert missing == [], f"{index} does not link {missing}"


def test_every_article_is_reachable_from_the_home_page(settings, pages_at_scale, article_pages):
    start = settings["INDEX_SAVE_AS"]
    seen, queue = {start}, [start]
    while queue:
        page = queue.pop()
        for target in links(pages_at_scale[page], page, "a[href], form[action]"):
            if target in pages_at_scale and target not in seen:
                seen.add(target)
                queue.append(target)
    assert sorted(set(article_pages) - seen) == []
    assert sorted(set(pages_at_scale) - seen - {"404.html"}) == []


def feed_paths(feed):
    return [urlparse(entry.link).path.lstrip("/") for entry in feed.entries]


def test_feeds_hold_the_newest_articles_of_their_list(settings, generated, scale_site, article_pages):
    slug_of = article_pages
    newest = settings["FEED_MAX_ITEMS"]
    expected_feeds = {settings["FEED_ALL_ATOM"]: set(generated)}
    for name, (_, slugs) in lists(settings, generated).items():
        kind, _, term = name.partition(" ")
        if kind == "section":
            expected_feeds[settings["CATEGORY_FEED_ATOM"].format(slug=Category(term, settings).slug)] = slugs
        elif kind == "topic":
            expected_feeds[settings["TAG_FEED_ATOM"].format(slug=Tag(term, settings).slug)] = slugs
    offenders = []
    for path, slugs in expected_feeds.items():
        if not (scale_site / path).is_file():
            offenders.append((path, "not built"))
            continue
        entries = [slug_of.get(p, p) for p in feed_paths(feedparser.parse((scale_site / path).read_bytes()))]
        wanted = newest_first(generated, slugs)[:newest]
        if entries != wanted:
            offenders.append(
                (
                    path,
                    {
                        "missing": sorted(set(wanted) - set(entries)),
                        "extra": sorted(set(entries) - set(wanted)),
                        "count": len(entries),
                    },
                )
            )
    assert offenders == []
    built = {p.relative_to(scale_site).as_posix() for p in scale_site.rglob("*.atom.xml")}
    assert sorted(built - set(expected_feeds)) == []


def noindex(tree):
    robots = tree.css_first('meta[name="robots"]')
    return robots is not None and "noindex" in robots.attributes.get("content", "")


def later_page(tree):
    """A list's page after the first: it links back to the one before."""
    return tree.css_first('.pagination a[rel="prev"]') is not None


def test_the_sitemap_lists_every_page_once_but_the_later_pages_of_lists(scale_site, pages_at_scale):
    root = ET.parse(scale_site / "sitemap.xml").getroot()
    namespace = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    listed = [unquote(urlparse(loc.text).path).lstrip("/") for loc in root.findall("s:url/s:loc", namespace)]
    assert sorted(path for path, n in Counter(listed).items() if n > 1) == []
    assert sorted(path for path in listed if not (scale_site / path).is_file()) == []
    # Every page a search engine may index; the 404 page is not a page of the site. A list's later
    # pages are not named: every article they list is, and the list's first page links them.
    later = {path for path, tree in pages_at_scale.items() if later_page(tree)}
    expected = {path for path, tree in pages_at_scale.items() if path != "404.html" and not noindex(tree)}
    assert later, "no list runs past a page: the test proves nothing"
    assert sorted(expected - later - set(listed)) == []
    assert sorted(later & set(listed)) == []


def test_the_search_index_holds_every_article_once_in_bundles_of_at_most_a_batch(scale_site, article_pages):
    search = (scale_site / "search.html").read_text(encoding="utf-8")
    parts = LexborHTMLParser(search).css_first("form[data-pagefind]").attributes.get("data-pagefind-parts", "")
    bundles = [scale_site / "pagefind", *(scale_site / "pagefind" / part for part in parts.split())]
    assert sorted(path.parent for path in (scale_site / "pagefind").rglob("pagefind-entry.json")) == sorted(bundles)
    indexed, counts = [], []
    for bundle in bundles:
        entry = json.loads((bundle / "pagefind-entry.json").read_text())
        counts.append(sum(language["page_count"] for language in entry["languages"].values()))
        for fragment in sorted((bundle / "fragment").iterdir()):
            record = json.loads(gzip.decompress(fragment.read_bytes()).removeprefix(b"pagefind_dcd"))
            indexed.append(unquote(record["url"]).lstrip("/"))
    assert len(bundles) == math.ceil(len(article_pages) / SEARCH_BATCH)
    # Merged newest first, after the main bundle (the newest): results of equal score keep that order.
    assert parts.split() == [f"part-{number}" for number in range(len(bundles) - 1, 0, -1)]
    assert max(counts) <= SEARCH_BATCH and sum(counts) == len(indexed)
    assert sorted(path for path, n in Counter(indexed).items() if n > 1) == []
    assert sorted(set(article_pages) - set(indexed)) == []
    assert sorted(path for path in indexed if not (scale_site / path).is_file()) == []


def test_articles_of_the_same_moment_keep_their_order_from_build_to_build(tmp_path):
    """Pelican collects source files in a set, whose order changes with the hash
    seed. Two articles dated to the same second must still come out in one order."""
    content = tmp_path / "content"
    generate(TIED_COUNT, content)
    first, second = sorted((content / "articles").glob("*.md"))[:2]
    date_line = next(line for line in first.read_text(encoding="utf-8").splitlines() if line.startswith("date: "))
    text = second.read_text(encoding="utf-8")
    old = next(line for line in text.splitlines() if line.startswith("date: "))
    second.write_text(text.replace(old, date_line, 1), encoding="utf-8")
    builds = [tmp_path / f"site-{seed}" for seed in ("1", "2", "3")]
    with ThreadPoolExecutor() as pool:
        results = list(
            pool.map(
                lambda output: run_pelican(output, content=str(content), env={"PYTHONHASHSEED": output.name[-1]}),
                builds,
            )
        )
    assert [result.returncode for result in results] == [0, 0, 0], [result.stdout + result.stderr for result in results]
    assert differences(builds[0], builds[1]) == []
    assert differences(builds[0], builds[2]) == []
