"""Bad input never breaks the site.

Each case is the published content plus one file an editor might get wrong,
built on its own as `make publish` builds it (publishconf.py, --fatal
warnings). Either the build stops with a message naming the file and the field
(and no traceback), or it builds and the value reaches the reader as the very
text that was written: in the page, its attributes and JSON-LD, the feed and
the sitemap, with no markup or script of its own.

The cases are built once per session, in parallel.
"""

import json
import os
import posixpath
import shutil
import xml.etree.ElementTree as ET
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import pytest
import yaml
from selectolax.lexbor import LexborHTMLParser

from conftest import ROOT, run_pelican

ARTICLE = "articles/2023-06-17-case.md"
PAGE = "pages/case.md"
PUBLISHED = "articles/2023-06-16-mali-demands-withdrawal-of-minusma.md"
ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


class Raw(str):
    """A value written into the YAML exactly as given, as an editor would type it."""


VALID_ARTICLE = {
    "title": "Security Council hears Mali's request",
    "date": Raw("2023-06-17T10:00:00+02:00"),
    "summary": "A second article, changed by each case.",
    "author": "dpa",
    "categories": ["Mali"],
    "tags": ["MINUSMA"],
}
BODY = "The first paragraph of the body.\n\nThe second paragraph of the body.\n"


def front_matter(fields):
    lines = []
    for key, value in fields.items():
        if isinstance(value, Raw):
            lines.append(f"{key}: {value}")
        else:
            lines.append(yaml.safe_dump({key: value}, allow_unicode=True, sort_keys=False, width=10**6).rstrip("\n"))
    return "\n".join(lines)


def article(body=BODY, **changes):
    """A valid article with ``changes`` made to its front matter; None leaves a field out."""
    fields = {key: value for key, value in {**VALID_ARTICLE, **changes}.items() if value is not None}
    return f"---\n{front_matter(fields)}\n---\n\n{body}"


def page(**changes):
    fields = {key: value for key, value in {"title": "A page", "summary": "A page.", **changes}.items() if value is not None}
    return f"---\n{front_matter(fields)}\n---\n\n{BODY}"


def source(**changes):
    fields = {"name": "A source", "publisher": "A publisher", "kind": "report", "lang": "en", **changes}
    return {key: value for key, value in fields.items() if value is not None}


# -- What a case expects --------------------------------------------------------------


@dataclass
class Case:
    name: str
    files: dict  # path under content/: text or bytes
    stops: tuple | None = None  # (file, field, words of the message)
    check: Callable | None = None  # check(site) for a build that must succeed
    result: object = field(default=None, repr=False)


def stops(name, text, field, shows="", path=ARTICLE, extra=None):
    return Case(name, {path: text, **(extra or {})}, stops=(Path(path).name, field, shows))


def builds(name, text, check, path=ARTICLE):
    return Case(name, {path: text}, check=check)


# -- Reading a built site -------------------------------------------------------------


def html_pages(site):
    return {path.relative_to(site).as_posix(): LexborHTMLParser(path.read_text(encoding="utf-8")) for path in site.rglob("*.html")}


def page_titled(pages, title):
    """The page whose <h1> reads exactly ``title``."""
    found = [path for path, tree in pages.items() if (h1 := tree.css_first("h1")) and h1.text() == title]
    assert found, f"no page has the heading {title!r}"
    return found[0]


def json_ld(tree):
    return [json.loads(node.text()) for node in tree.css('script[type="application/ld+json"]')]


def strings_in(data):
    if isinstance(data, str):
        yield data
    elif isinstance(data, dict):
        for value in data.values():
            yield from strings_in(value)
    elif isinstance(data, list):
        for value in data:
            yield from strings_in(value)


def injected(pages):
    """(page, what) for any markup or script that no template wrote."""
    offenders = []
    for path, tree in pages.items():
        for node in tree.css("*"):
            offenders += [(path, f"<{node.tag} {name}>") for name in node.attributes if name.startswith("on")]
        for script in tree.css("script"):
            if script.attributes.get("type") != "application/ld+json" and not script.attributes.get("src"):
                offenders.append((path, "inline <script>"))
        for script in tree.css('script[type="application/ld+json"]'):
            try:
                json.loads(script.text())
            except ValueError:
                offenders.append((path, "JSON-LD that does not parse"))
        offenders += [(path, f"<img src={img.attributes.get('src')}> without alt") for img in tree.css("img") if "alt" not in img.attributes]
    return offenders


def links_to(pages, target):
    """The text of every link, on any page, to the page ``target``."""
    for path, tree in pages.items():
        for link in tree.css("a[href]"):
            if posixpath.normpath(posixpath.join(posixpath.dirname(path), link.attributes["href"])) == target:
                yield path, link.text(separator=" ")


def feed_entry(site, target):
    """(title, summary as a reader shows it) of the Atom entry for the page ``target``."""
    feed = ET.parse(site / "feeds" / "all.atom.xml").getroot()
    for entry in feed.iter(f"{ATOM}entry"):
        if entry.find(f"{ATOM}link").attrib["href"].endswith("/" + target):
            summary = entry.find(f"{ATOM}summary")
            assert summary.attrib["type"] == "html"
            # A feed reader decodes the summary as HTML: it must hold text only.
            shown = LexborHTMLParser(f"<body>{summary.text}</body>").body
            assert list(shown.iter()) == [], f"the feed summary makes markup: {summary.text}"
            return entry.find(f"{ATOM}title").text, shown.text()
    raise AssertionError(f"no feed entry for {target}")


def shown_as_text(title, summary, *texts, attributes=()):
    """A check: the article shows each value exactly as written, everywhere it goes."""

    def check(site):
        pages = html_pages(site)
        assert injected(pages) == []
        path = page_titled(pages, title)
        tree = pages[path]
        assert tree.css_first("title").text().startswith(title)
        assert tree.css_first('meta[name="description"]').attributes["content"] == summary
        main = tree.css_first("main").text(separator=" ")
        assert [text for text in (summary, *texts) if text not in main] == []
        values = [value for node in tree.css("main *") for value in node.attributes.values()]
        assert [value for value in attributes if value not in values] == []
        assert title in set(strings_in(json_ld(tree)))
        assert [(where, text) for where, text in links_to(pages, path) if title not in text] == []
        assert feed_entry(site, path) == (title, summary)
        locations = [loc.text for loc in ET.parse(site / "sitemap.xml").getroot().iter(f"{SITEMAP}loc")]
        assert any(location.endswith("/" + path) for location in locations)

    return check


def builds_page(title, *texts):
    def check(site):
        pages = html_pages(site)
        tree = pages[page_titled(pages, title)]
        main = tree.css_first("main").text(separator=" ")
        assert [text for text in texts if text not in main] == []

    return check


def nowhere(*texts):
    """A check: no file of the site contains any of ``texts``."""

    def check(site):
        offenders = [
            (path.relative_to(site).as_posix(), text)
            for path in site.rglob("*")
            if path.is_file() and path.suffix in (".html", ".xml", ".json", ".txt")
            for text in texts
            if text in path.read_text(encoding="utf-8", errors="replace")
        ]
        assert offenders == []

    return check


# -- The corpus -----------------------------------------------------------------------

HOSTILE_TITLE = "Mali's \"request\" & the UN: <b>not bold</b> </script><script>alert(1)</script> 1 < 2"
HOSTILE_SUMMARY = "A standfirst quoting <img src=x onerror=alert(1)> & \"more\" </script>"
HOSTILE_URL = "https://example.org/report?a=1&b=\"2\"&c=<x>"
HOSTILE = {
    "author": "<Agence> & \"Co\"",
    "place": "Bamako </script><script>alert(2)</script>",
    "place_note": "it's <i>near</i> & far",
    "translation_note": "Translated <from> \"German\" & more",
    "facts": ["A fact with <b>markup</b> & </script>"],
    "corrections": [{"original": "<del>", "corrected": "</ins> & \"", "reason": "it's <u>wrong</u>"}],
    "editor_notes": [{"quote": "a \"quote\" <q>", "note": "a note </p><p>"}],
    "timeline": [{"date": "2023-06-01", "event": "An event <script>alert(3)</script> & more", "kind": "context", "note": "it's <s>noted</s>"}],
}
BIG_BODY = "".join(f"Paragraph {n} of a very long article, which goes on and on about nothing in particular.\n\n" for n in range(22_000))

CASES = [
    # Dates
    stops("missing date", article(date=None), "date", "missing"),
    stops("impossible date", article(date=Raw("2023-13-45")), "date", '"2023-13-45"'),
    stops("impossible day", article(date=Raw("2023-02-30T10:00:00+01:00")), "date", '"2023-02-30T10:00:00+01:00"'),
    stops("date without a time zone", article(date=Raw("2023-06-17T10:00:00")), "date", "with offset"),
    stops("date without a time", article(date=Raw("2023-06-17")), "date", '"2023-06-17"'),
    stops("date in the future", article(date=Raw("2999-01-01T10:00:00+01:00")), "date", "in the future"),
    builds("scheduled article", article(title="Held back until 2999", date=Raw("2999-01-01T10:00:00+01:00"), scheduled=True), nowhere("Held back until 2999")),
    # YAML
    stops("invalid YAML", article(title=Raw("Mali: the UN's answer")), "front matter", "not valid YAML"),
    stops("unclosed quote", article(title=Raw('"Mali demands')), "front matter", "not valid YAML"),
    stops("front matter is a list", "---\n- title\n- date\n---\n\nBody.\n", "front matter", "expected fields"),
    stops("no front matter", "Title: Mali\nDate: 2023-06-17 10:00\n\nBody.\n", "front matter", "missing"),
    stops("field given twice", article().replace("author: dpa", "author: dpa\ntitle: Another title"), "front matter", "given twice"),
    # Title, summary, byline
    stops("missing title", article(title=None), "title", "missing"),
    stops("empty title", article(title=""), "title", "empty"),
    stops("yes as a title", article(title=Raw("yes")), "title", "found true"),
    stops("missing summary", article(summary=None), "summary", "missing"),
    stops("several authors in a list", article(author=["dpa", "AFP"]), "author", '["dpa", "AFP"]'),
    # Sections and topics
    stops("topics as one comma string", article(tags="Mali, UN"), "tags", '"Mali, UN"'),
    stops("sections as one string", article(categories="Mali"), "categories", "list of text"),
    stops("empty list of topics", article(tags=[]), "tags", "at least one"),
    stops("unknown section", article(categories=["Mail"]), "categories", '"Mail" is not a section'),
    stops("section differing in case", article(categories=["Mali", "Un"]), "categories", '"Un" differs from "UN"'),
    stops("topic differing in spelling", article(tags=["human-Rights"]), "tags", '"human-Rights" differs from "Human rights"'),
    stops("topic with a typo", article(tags=["Peacekeping"]), "tags", '"Peacekeping" differs from "Peacekeeping"'),
    # Sources
    stops("source without a name", article(sources=[{"publisher": "UN", "kind": "report", "lang": "en"}]), "sources, item 1, name", "missing"),
    stops("javascript: source URL", article(sources=[source(url="javascript:alert(1)")]), "sources, item 1, url", '"javascript:alert(1)"'),
    stops("relative source URL", article(sources=[source(), source(url="/reports/mali.html")]), "sources, item 2, url", '"/reports/mali.html"'),
    stops("source URL without a scheme", article(sources=[source(url="www.un.org/minusma")]), "sources, item 1, url", "http(s)"),
    stops("source date that does not exist", article(sources=[source(date="2023-02-30")]), "sources, item 1, date", '"2023-02-30"'),
    stops("source without a language", article(sources=[source(lang=None)]), "sources, item 1, lang", "missing"),
    stops("source language as a name", article(sources=[source(lang="German")]), "sources, item 1, lang", '"German"'),
    stops("words in another language that the title lacks", article(sources=[source(lang_parts=[{"words": "Quelle", "lang": "de"}])]), "sources, item 1, lang_parts, item 1, words", '"Quelle" is not in the name'),
    stops("words in another language without one", article(sources=[source(lang_parts=[{"words": "A"}])]), "sources, item 1, lang_parts, item 1, lang", "missing"),
    # Other fields
    stops("translation field", article(translation=True), "translation", "not a field"),
    stops("misspelt field", article(summery="A standfirst."), "summery", "did you mean summary?"),
    stops("timeline kind not allowed", article(timeline=[{"date": "2023", "event": "x", "kind": "background"}]), "timeline, item 1, kind", '"background"'),
    stops("slug with spaces", article(slug="mali demands"), "slug", "lowercase letters"),
    stops("page without a title", page(title=None), "title", "missing", path=PAGE),
    stops("page with an unknown status", page(status="draft"), "status", '"draft"', path=PAGE),
    # Whole site
    stops("slug of the published article", article(slug="mali-demands-withdrawal-of-minusma", date=Raw("2023-06-16T12:00:00+02:00")), "slug", "is also the slug of"),
    stops("slug shared with another date", article(slug="mali-demands-withdrawal-of-minusma"), "slug", "is also the slug of"),
    stops("page written over a list page", page(slug="archives"), "slug", "archives.html", path=PAGE),
    stops("slug index, written over its month's archive", article(slug="index"), "slug", "2023/06/index.html, as the month archive of June 2023"),
    stops("slug index made from the title", article(title="Index"), "slug", "2023/06/index.html, as the month archive of June 2023"),
    stops("{filename} link to a missing file", article(body="See [the report]({filename}2023-06-18-report.md).\n"), "body", "2023-06-18-report.md"),
    stops("{static} link to a missing image", article(body="See [the map]({static}/images/map.png).\n"), "body", "images/map.png"),
    stops("Markdown image without alt", article(body="![](map.png)\n"), "body", 'image "map.png" has no alt text'),
    stops("HTML image without alt", article(body='<img src="map.png">\n'), "body", 'image "map.png" has no alt text'),
    stops("script in the body", article(body="Text.\n\n<script>alert(1)</script>\n"), "body", "<script>"),
    stops("javascript: link in the body", article(body="[Click](javascript:alert(1))\n"), "body", "javascript:alert(1)"),
    stops("empty body", article(body=""), "body", "empty"),
    # Files
    stops("not UTF-8", article(title="Mali’s answer, in Latin-1: café").encode("cp1252"), "file", "not UTF-8"),
    stops("not Markdown", "<html><head><title>Mali</title></head><body>Text</body></html>\n", "file", "not Markdown", path="articles/2023-06-17-case.html"),
    builds("UTF-8 BOM", "\ufeff" + article(title="Written with a byte order mark"), builds_page("Written with a byte order mark", "The second paragraph")),
    builds("Windows line endings", article(title="Written on Windows").replace("\n", "\r\n"), builds_page("Written on Windows", "The first paragraph", "The second paragraph")),
    builds("2 MB article", article(title="A very long article", body=BIG_BODY), builds_page("A very long article", "Paragraph 21999 of a very long article")),
    builds("unquoted year in a timeline", article(title="A year alone", timeline=[{"date": "2013", "event": "It began", "kind": "context"}]).replace("date: '2013'", "date: 2013"), builds_page("A year alone", "2013")),
    # Escaping: the value reaches the reader as written
    builds("title with quotes, <, & and </script>", article(title=HOSTILE_TITLE, slug="hostile-title"), shown_as_text(HOSTILE_TITLE, VALID_ARTICLE["summary"])),
    builds("summary with <img onerror>", article(summary=HOSTILE_SUMMARY), shown_as_text(VALID_ARTICLE["title"], HOSTILE_SUMMARY)),
    builds(
        "names and URLs with quotes, <, & and </script>",
        article(
            title=HOSTILE_TITLE,
            summary=HOSTILE_SUMMARY,
            slug="hostile-fields",
            sources=[source(name="\"><script>alert(1)</script>", publisher="Tom & Jerry's <Press>", url=HOSTILE_URL)],
            **HOSTILE,
        ),
        shown_as_text(
            HOSTILE_TITLE,
            HOSTILE_SUMMARY,
            "\"><script>alert(1)</script>",
            "Tom & Jerry's <Press>",
            HOSTILE["author"],
            HOSTILE["place"],
            HOSTILE["place_note"],
            HOSTILE["translation_note"],
            HOSTILE["facts"][0],
            "</ins> & \"",
            "a note </p><p>",
            HOSTILE["timeline"][0]["event"],
            attributes=[HOSTILE_URL],
        ),
    ),
]


@pytest.fixture(scope="session")
def built_cases(tmp_path_factory):
    """Every case built in its own copy of content/: {name: (finished process, site)}."""
    root = tmp_path_factory.mktemp("bad-input")

    def build(number, case):
        folder = root / f"case-{number}"
        content = folder / "content"
        shutil.copytree(ROOT / "content", content)
        for path, data in case.files.items():
            target = content / path
            if isinstance(data, bytes):
                target.write_bytes(data)
            else:
                target.write_text(data, encoding="utf-8", newline="")
        return case.name, (run_pelican(folder / "site", content=str(content)), folder / "site")

    with ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
        return dict(pool.map(build, range(len(CASES)), CASES))


def test_the_corpus_is_large_enough():
    assert len(CASES) >= 25
    assert len({case.name for case in CASES}) == len(CASES)


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_bad_input(case, built_cases):
    result, site = built_cases[case.name]
    log = result.stdout + result.stderr
    assert "Traceback" not in log
    if case.stops:
        file, field, shows = case.stops
        assert result.returncode == 1, log
        lines = [line for line in log.splitlines() if file in line and f" {field}: " in line and shows in line]
        assert lines, f"no line names {file}, {field!r} and {shows!r}:\n{log}"
    else:
        assert result.returncode == 0, log
        assert [line for line in log.splitlines() if "WARNING" in line or "ERROR" in line] == []
        case.check(site)
