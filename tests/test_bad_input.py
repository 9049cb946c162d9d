"""Bad input never breaks the site.

Each case is the published content plus one file an editor (or an attacker)
might get wrong. A mistake that the checks of one file can see is given to
those checks directly: the front matter, a data file, the rendered body and
the names. Whatever needs the whole site is built on its own as `make
publish` builds it (publishconf.py, --fatal warnings). Either the build stops
with a message naming the file and the field (and no traceback), or it builds
and the value reaches the reader as the very text that was written: in the
page, its attributes and JSON-LD, the feed and the sitemap, with no markup or
script of its own.

The builds run once per session, in parallel.
"""

import datetime
import json
import logging
import os
import posixpath
import shutil
import sys
import types
import xml.etree.ElementTree as ET
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import jinja2
import locator_map
import markdown
import pytest
import yaml
from content_checks import body as body_html
from content_checks import template_pages
from content_checks.content_checks import OneLineErrors, load_schema, reserved_ids, slug_maker
from content_checks.data_files import problems_in_data_file
from content_checks.files import file_types
from content_checks.front_matter import problems_in_file, schema_validator
from content_checks.whole_site import missing_link_targets, near_duplicate_names
from pelican.contents import Page
from pelican.settings import read_settings
from selectolax.lexbor import LexborHTMLParser
from shared import body_allowlist as allowlist
from support import ROOT, SOURCE, articles, run_pelican

import pelicanconf

ARTICLE = "articles/2023-06-17-case.md"
PAGE = "pages/case.md"
PUBLISHED = "articles/" + SOURCE
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
    fields = {
        key: value for key, value in {"title": "A page", "summary": "A page.", **changes}.items() if value is not None
    }
    return f"---\n{front_matter(fields)}\n---\n\n{BODY}"


def source(**changes):
    fields = {"name": "A source", "publisher": "A publisher", "kind": "report", "lang": "en", **changes}
    return {key: value for key, value in fields.items() if value is not None}


# -- What a case expects --------------------------------------------------------------


@dataclass
class Case:
    name: str
    files: dict  # path under content/: text or bytes, or a symbolic link's target as Link
    stops: tuple | None = None  # (file, field, words of the message)
    check: Callable | None = None  # check(site) for a build that must succeed
    # Cases of one name share a build, each as a file of its own. The checks stop
    # at the first stage that finds a problem (each file, then the words of
    # lang_parts, then the whole site) and name every problem of that stage.
    build: str = "whole site"


class Link(str):
    """A symbolic link to this path, made in place of a file."""


class Fifo:
    """A named pipe, made in place of a file: whatever opens it waits forever."""


# The smallest file a browser takes for a PNG image.
PNG = b"\x89PNG\r\n\x1a\n" + bytes(8)


def stops(name, text, field, shows="", path=ARTICLE, extra=None, build="whole site"):
    return Case(name, {path: text, **(extra or {})}, stops=(Path(path).name, field, shows), build=build)


def builds(name, text, check, path=ARTICLE):
    return Case(name, {path: text}, check=check, build="builds")


# -- Reading a built site -------------------------------------------------------------


def html_pages(site):
    return {
        path.relative_to(site).as_posix(): LexborHTMLParser(path.read_text(encoding="utf-8"))
        for path in site.rglob("*.html")
    }


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
        offenders += [
            (path, f"<img src={img.attributes.get('src')}> without alt")
            for img in tree.css("img")
            if "alt" not in img.attributes
        ]
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
        assert offenders == [], offenders

    return check


# -- The corpus -----------------------------------------------------------------------

HOSTILE_TITLE = 'Mali\'s "request" & the UN: <b>not bold</b> </script><script>alert(1)</script> 1 < 2'
HOSTILE_SUMMARY = 'A standfirst quoting <img src=x onerror=alert(1)> & "more" </script>'
HOSTILE_URL = 'https://example.org/report?a=1&b="2"&c=<x>'
HOSTILE = {
    "author": '<Agence> & "Co"',
    "place": "Bamako </script><script>alert(2)</script>",
    "place_note": "it's <i>near</i> & far",
    "translation_note": 'Translated <from> "German" & more',
    "facts": ["A fact with <b>markup</b> & </script>"],
    "corrections": [{"original": "<del>", "corrected": '</ins> & "', "reason": "it's <u>wrong</u>"}],
    "editor_notes": [{"quote": 'a "quote" <q>', "note": "a note </p><p>"}],
    "timeline": [
        {
            "date": "2023-06-01",
            "event": "An event <script>alert(3)</script> & more",
            "kind": "context",
            "note": "it's <s>noted</s>",
        }
    ],
}
BIG_BODY = "".join(
    f"Paragraph {n} of a very long article, which goes on and on about nothing in particular.\n\n"
    for n in range(22_000)
)
# About 1 KB that YAML expands to a billion values.
LAUGHS = "laughs: &a [x, x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"l{n}: &{chr(98 + n)} [{', '.join([f'*{chr(97 + n)}'] * 10)}]\n" for n in range(8)
)
ALLOWED_BODY = (
    "## What the article may use\n\n"
    'A note[^1] on the <abbr title="United Nations">UN</abbr>, <span lang="fr">la mission</span> '
    "and <q>a quote</q>.\n\n"
    "| Year | Event |\n| --- | --- |\n| 2013 | MINUSMA began |\n\n"
    "> A quotation, with *emphasis*, **strength** and `code`.\n\n"
    "See [the section]({category}Mali) and [the topic]({tag}MINUSMA).\n\n"
    "[^1]: The footnote.\n"
)
# Bodies that put a link marker inside another value: Pelican's link rewrite breaks their tag
# open. Each stops the build, and would still show in the written page if it got past.
BROKEN_OPEN = {
    "title": 'Some text <a title="src=\'{index}">click</a> middle \' " href="javascript:alert(1)">evil</a> end.\n',
    "alt text": 'Image <img alt="src=\'{index}"> gone \' " src="https://evil.example/x.png" x="\n',
    "abbreviation": (
        'The UN said so \' " class="visually-hidden" onmouseover="alert(3)" id="content" x=" and more.\n\n'
        "*[UN]: src='{index}\n"
    ),
    "link title": '[see](https://example.org "poster=\'{index}") and \' " onclick="alert(4)" x="\n',
}

# Whole site: built, as few builds as the stages of the checks allow.
CASES = [
    builds(
        "scheduled article",
        article(title="Held back until 2999", date=Raw("2999-01-01T10:00:00+01:00"), scheduled=True),
        nowhere("Held back until 2999"),
    ),
    # Sections and topics, against the published ones
    # Found with the other problems of each file, before anything is read.
    stops(
        "unknown section",
        article(categories=["Mail"]),
        "categories",
        'found "Mail", which is not a section; describe it in',
        build="lang_parts",
    ),
    stops("section differing in case", article(categories=["Mali", "Un"]), "categories", '"Un" differs from "UN"'),
    stops(
        "section in Cyrillic look-alikes", article(categories=["\u041c\u0430li"]), "categories", 'differs from "Mali"'
    ),
    stops(
        "words in another language that the title lacks",
        article(sources=[source(lang_parts=[{"words": "Quelle", "lang": "de"}])]),
        "sources, item 1, lang_parts, item 1, words",
        '"Quelle" is not in the name',
        build="lang_parts",
    ),
    # Slugs and output files
    stops(
        "slug of the published article",
        article(slug=articles()[SOURCE]["slug"], date=Raw("2023-06-16T12:00:00+02:00")),
        "slug",
        "is also the slug of",
    ),
    # Apart from the case above, whose file has the same slug.
    stops(
        "slug shared with another date",
        article(slug=articles()[SOURCE]["slug"]),
        "slug",
        "is also the slug of",
        build="whole site, again",
    ),
    stops("page written over a list page", page(slug="archives"), "slug", "archives.html", path=PAGE),
    stops(
        "slug index, written over its month's archive",
        article(slug="index"),
        "slug",
        "2023/06/index.html, as the month archive of June 2023",
    ),
    # Links and files, which the checks look for in the content folder
    stops(
        "{filename} link to a missing file",
        article(body="See [the report]({filename}2023-06-18-report.md).\n"),
        "body",
        "2023-06-18-report.md",
    ),
    stops(
        "{static} link to a missing image",
        article(body="See [the map]({static}/images/map.png).\n"),
        "body",
        "images/map.png",
    ),
    stops(
        "{static} link out of the content folder",
        article(body="See [this]({static}../../../../../../etc/passwd).\n"),
        "body",
        "outside the content folder",
    ),
    stops(
        "symbolic link to /etc/passwd",
        article(),
        "file",
        "outside the content folder",
        path="images/passwd.txt",
        extra={"images/passwd.txt": Link("/etc/passwd"), ARTICLE: article()},
        build="file types",
    ),
    # Special files: refused before anything opens one
    stops(
        "FIFO as an article",
        None,
        "file",
        "a FIFO (named pipe), not a file",
        path="articles/2023-06-17-case.md",
        extra={"articles/2023-06-17-case.md": Fifo()},
        build="file types",
    ),
    stops(
        "data file linked to /dev/zero",
        None,
        "file",
        "a symbolic link to /dev/zero",
        path="data/case.yaml",
        extra={"data/case.yaml": Link("/dev/zero")},
        build="file types",
    ),
    stops(
        "symbolic link looping to its own folder",
        None,
        "file",
        "which Pelican would read twice",
        path="articles/case-loop",
        extra={"articles/case-loop": Link("..")},
        build="file types",
    ),
    stops(
        "symbolic links in a loop",
        None,
        "file",
        "leads round in a loop",
        path="articles/loop-a.md",
        extra={"articles/loop-a.md": Link("loop-b.md"), "articles/loop-b.md": Link("loop-a.md")},
        build="file types",
    ),
    Case(
        "newline in a static file's name",
        {"images/case\nmap.png": PNG},
        stops=("case\\u000amap.png", "file", "control character U+000A"),
        build="file types",
    ),
    # Static files: plainly named images, by their bytes
    stops(
        "SVG with a script",
        None,
        "file",
        "type .svg",
        path="images/case.svg",
        extra={"images/case.svg": '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'},
        build="each file",
    ),
    stops(
        "HTML named as a PNG",
        None,
        "file",
        "not a .png image",
        path="images/case.png",
        extra={"images/case.png": "<script>alert(1)</script>"},
        build="each file",
    ),
    stops(
        "HTML page among the images",
        None,
        "file",
        "type .html",
        path="images/index-case.html",
        extra={"images/index-case.html": "<script>alert(1)</script>"},
        build="each file",
    ),
    stops(
        "static file named with a quote",
        None,
        "file",
        "rename it",
        path='images/case".png',
        extra={'images/case".png': PNG},
        build="each file",
    ),
    stops(
        "upper-case suffix",
        None,
        "file",
        "lower case, .md",
        path="articles/CASE.MD",
        extra={"articles/CASE.MD": article(title="Written in capitals")},
        build="each file",
    ),
    stops(
        "unknown place on the map",
        article(
            title="Atlantis",
            places=[{"name": "Bamako", "description": "The capital."}, {"name": "Atlantis", "description": "Nowhere."}],
        ),
        "places, item 2, name",
        '"Atlantis", which the map',
        build="each file",
    ),
    # Data files: one name, one file
    stops(
        "sections.json beside sections.yaml",
        None,
        "file",
        "as DATA_SECTIONS",
        path="data/sections.json",
        extra={"data/sections.json": '{"mali": {"title": "Mali"}}'},
        build="each file",
    ),
    stops(
        "Sections.yml beside sections.yaml",
        None,
        "file",
        "no schema checks",
        path="data/Sections.yml",
        extra={"data/Sections.yml": LAUGHS},
        build="each file",
    ),
    stops(
        "data file in a sub-folder",
        None,
        "file",
        "as DATA_CASE_",
        path="data/case/glossary.yaml",
        extra={"data/case/glossary.yaml": "UN: United Nations\n"},
        build="each file",
    ),
    # Template pages: rendered in the sandbox, and tried before anything is written
    stops(
        "host file running a shell command",
        None,
        "file",
        "unsafe",
        path="extra/_headers",
        extra={"extra/_headers": '{{ lipsum.__globals__["os"].popen("id").read() }}\n'},
        build="template page",
    ),
    # {attach} moves a file while Pelican writes: never over another output
    stops(
        "two files attached to one output",
        article(
            title="Two maps",
            slug="two-maps",
            body="![One]({attach}../images/one/map.png)\n\n![Two]({attach}../images/two/map.png)\n",
        ),
        "body",
        "over images/one/map.png",
        extra={"images/one/map.png": PNG, "images/two/map.png": PNG},
    ),
    stops(
        "file attached over a share card",
        article(title="A card", slug="a-card", body="![Map]({attach}../images/a-card.png)\n"),
        "body",
        "over the share card",
        extra={"images/a-card.png": PNG},
    ),
    stops(
        "file attached by two pages",
        article(title="Attached twice", slug="attached-twice", body="![Map]({attach}../images/twice.png)\n"),
        "body",
        "another page attaches too",
        extra={
            PAGE: page(title="Attaching", slug="attaching").replace(BODY, "![Map]({attach}../images/twice.png)\n"),
            "images/twice.png": PNG,
        },
    ),
    # Pelican's link rewrite matches "src='{index}" inside another value and ends it at the next ', after the tag
    stops(
        "marker in a title breaking a link open",
        article(
            title="Broken open by a title",
            body=BROKEN_OPEN["title"],
        ),
        "body",
        "link marker {index} after src='",
    ),
    stops(
        "marker in alt text bringing an image from another host",
        article(
            title="Broken open by alt text",
            body=BROKEN_OPEN["alt text"],
        ),
        "body",
        "link marker {index} after src='",
    ),
    stops(
        "marker in an abbreviation's title, Markdown only",
        article(
            title="Broken open by an abbreviation",
            body=BROKEN_OPEN["abbreviation"],
        ),
        "body",
        "link marker {index} after src='",
    ),
    stops(
        "marker in a Markdown link's title",
        article(
            title="Broken open by a link title",
            body=BROKEN_OPEN["link title"],
        ),
        "body",
        "link marker {index} after poster='",
    ),
    stops(
        "marker in a |…| form inside a title",
        article(
            title="Broken open by bars",
            body='<abbr title="cite=\'|index|">q</abbr> then \' " lang="x" onmouseover="alert(5)" x="\n',
        ),
        "body",
        "link marker |index| after cite='",
    ),
    stops(
        "attachment hidden in a title",
        article(title="Attached in a title", body="Text <a title=\"src='{attach}../images/pic.png'\">x</a> end.\n"),
        "body",
        "link marker {attach} after src='",
        extra={"images/pic.png": PNG},
    ),
    stops("script in the body", article(body="Text.\n\n<script>alert(1)</script>\n"), "body", "<script>"),
    stops(
        "missing data file",
        article(),
        "file",
        "missing",
        path="data/sections.yaml",
        extra={"data/sections.yaml": None},
        build="each file",
    ),
    stops(
        "not Markdown",
        "<html><head><title>Mali</title></head><body>Text</body></html>\n",
        "file",
        "not Markdown",
        path="articles/2023-06-17-case.html",
        build="each file",
    ),
    builds(
        "UTF-8 BOM",
        "\ufeff" + article(title="Written with a byte order mark"),
        builds_page("Written with a byte order mark", "The second paragraph"),
    ),
    builds(
        "Windows line endings",
        article(title="Written on Windows").replace("\n", "\r\n"),
        builds_page("Written on Windows", "The first paragraph", "The second paragraph"),
    ),
    builds(
        "2 MB article",
        article(title="A very long article", body=BIG_BODY),
        builds_page("A very long article", "Paragraph 21999 of a very long article"),
    ),
    builds(
        "unquoted year in a timeline",
        article(title="A year alone", timeline=[{"date": "2013", "event": "It began", "kind": "context"}]).replace(
            "date: '2013'", "date: 2013"
        ),
        builds_page("A year alone", "2013"),
    ),
    builds(
        "everything the body may use",
        article(title="Allowed markup", body=ALLOWED_BODY),
        builds_page("Allowed markup", "la mission", "MINUSMA began", "The footnote."),
    ),
    # Escaping: the value reaches the reader as written
    builds(
        "title with quotes, <, & and </script>",
        article(title=HOSTILE_TITLE, slug="hostile-title"),
        shown_as_text(HOSTILE_TITLE, VALID_ARTICLE["summary"]),
    ),
    builds(
        "summary with <img onerror>",
        article(summary=HOSTILE_SUMMARY),
        shown_as_text(VALID_ARTICLE["title"], HOSTILE_SUMMARY),
    ),
    builds(
        "names and URLs with quotes, <, & and </script>",
        article(
            title=HOSTILE_TITLE + " again",
            summary=HOSTILE_SUMMARY,
            slug="hostile-fields",
            sources=[source(name='"><script>alert(1)</script>', publisher="Tom & Jerry's <Press>", url=HOSTILE_URL)],
            **HOSTILE,
        ),
        shown_as_text(
            HOSTILE_TITLE + " again",
            HOSTILE_SUMMARY,
            '"><script>alert(1)</script>',
            "Tom & Jerry's <Press>",
            HOSTILE["author"],
            HOSTILE["place"],
            HOSTILE["place_note"],
            HOSTILE["translation_note"],
            HOSTILE["facts"][0],
            '</ins> & "',
            "a note </p><p>",
            HOSTILE["timeline"][0]["event"],
            attributes=[HOSTILE_URL],
        ),
    ),
]

# One file's front matter and body, given to the checks directly: (name, text, field, words, path).
FILE_CASES = [
    # Dates
    ("missing date", article(date=None), "date", "missing"),
    ("impossible date", article(date=Raw("2023-13-45")), "date", '"2023-13-45"'),
    ("impossible day", article(date=Raw("2023-02-30T10:00:00+01:00")), "date", '"2023-02-30T10:00:00+01:00"'),
    ("date without a time zone", article(date=Raw("2023-06-17T10:00:00")), "date", "with offset"),
    # A day alone is a date (the time unknown), but a feed needs the time of its last change.
    (
        "day without a modified time",
        article(date=Raw("2023-06-17")),
        "modified",
        "missing; date gives a day alone, and feeds need the time of the last change",
    ),
    (
        "day in the future",
        article(date=Raw("2999-01-01"), modified=Raw("2999-01-02T10:00:00+01:00")),
        "date",
        "in the future",
    ),
    ("date in the future", article(date=Raw("2999-01-01T10:00:00+01:00")), "date", "in the future"),
    ("ISO week date", article(date=Raw("2023-W24-5T10:00:00+02:00")), "date", '"2023-W24-5T10:00:00+02:00"'),
    ("year 0001", article(date=Raw("0001-01-01T00:00:00+02:00")), "date", '"0001-01-01T00:00:00+02:00"'),
    (
        "year 0001 in a timeline",
        article(timeline=[{"date": "0001", "event": "x", "kind": "context"}]),
        "timeline, item 1, date",
        '"0001"',
    ),
    ("modified before the date", article(modified=Raw("2023-06-16T10:00:00+02:00")), "modified", "before the date"),
    ("modified in the future", article(modified=Raw("2999-01-01T10:00:00+01:00")), "modified", "in the future"),
    (
        "timeline citing a source not in the list",
        article(timeline=[{"date": "2023-06-10", "event": "x", "kind": "context", "source": 9}]),
        "timeline, item 1, source",
        "found 9, but there are",
    ),
    (
        "timeline ending before it starts",
        article(timeline=[{"date": "2023-06-10", "end": "2023-06-01", "event": "x", "kind": "context"}]),
        "timeline, item 1, end",
        "before the date",
    ),
    # YAML
    ("invalid YAML", article(title=Raw("Mali: the UN's answer")), "front matter", "not valid YAML"),
    ("unclosed quote", article(title=Raw('"Mali demands')), "front matter", "not valid YAML"),
    ("front matter is a list", "---\n- title\n- date\n---\n\nBody.\n", "front matter", "expected fields"),
    ("no front matter", "Title: Mali\nDate: 2023-06-17 10:00\n\nBody.\n", "front matter", "missing"),
    (
        "field given twice",
        article().replace("author: dpa", "author: dpa\ntitle: Another title"),
        "front matter",
        "given twice",
    ),
    (
        "complex mapping key",
        article().replace("author: dpa", "author: dpa\n? [a, b]\n: c"),
        "front matter",
        "a key must be a plain name",
    ),
    (
        "two blocks of front matter",
        article(body="---\ntitle: Another title\n---\n\nBody.\n"),
        "body",
        "second block of front matter",
    ),
    # Values YAML reads as something else than text
    ("yes as a title", article(title=Raw("yes")), "title", "found true"),
    ("a number as a title", article(title=Raw("2023")), "title", "put it in quotes"),
    (
        "a date as a title",
        article(title=Raw("2023-06-16")),
        "title",
        "reads as a date; expected text: put it in quotes",
    ),
    ("a timestamp as a summary", article(summary=Raw("2023-06-16 10:00:00")), "summary", "put it in quotes"),
    ("NUL written as a YAML escape", article(title=Raw('"Mali\\0"')), "title", "control character U+0000"),
    ("ESC written as a YAML escape", article(place=Raw('"Bamako\\e[31m"')), "place", "control character U+001B"),
    ("right-to-left override in a title", article(title="Mali \u202eretaw"), "title", "control character U+202E"),
    ("control character in the body", article(body="Text \x07 with a bell.\n"), "body", "control character U+0007"),
    # Title, summary, byline
    ("missing title", article(title=None), "title", "missing"),
    ("empty title", article(title=""), "title", "empty"),
    ("title that gives an empty slug", article(title="!!! ???"), "title", "empty slug"),
    ("missing summary", article(summary=None), "summary", "missing"),
    ("several authors in a list", article(author=["dpa", "AFP"]), "author", '["dpa", "AFP"]'),
    # Sections and topics
    ("topics as one comma string", article(tags="Mali, UN"), "tags", '"Mali, UN"'),
    ("sections as one string", article(categories="Mali"), "categories", "list of"),
    ("empty list of topics", article(tags=[]), "tags", "at least one"),
    ("topic of emoji only", article(tags=["\U0001f389\U0001f389"]), "tags, item 1", "empty slug"),
    ("section named ..", article(categories=[".."]), "categories, item 1", "empty slug"),
    ("topic named /", article(tags=["/"]), "tags, item 1", "empty slug"),
    ("300-character topic", article(tags=["a" * 300]), "tags, item 1", "at most 80"),
    ("topic whose slug is too long", article(tags=["\u4e2d" * 60]), "tags, item 1", "expected at most 100"),
    ("100 topics", article(tags=[f"Topic {n}" for n in range(100)]), "tags", "at most 20"),
    ("10,000 topics", article(tags=[f"Topic {n}" for n in range(10_000)]), "front matter", "expected at most 65,536"),
    # Sources
    (
        "source without a name",
        article(sources=[{"publisher": "UN", "kind": "report"}]),
        "sources, item 1, name",
        "missing",
    ),
    (
        "javascript: source URL",
        article(sources=[source(url="javascript:alert(1)")]),
        "sources, item 1, url",
        '"javascript:alert(1)"',
    ),
    (
        "relative source URL",
        article(sources=[source(), source(url="/reports/mali.html")]),
        "sources, item 2, url",
        '"/reports/mali.html"',
    ),
    (
        "source URL without a scheme",
        article(sources=[source(url="www.un.org/minusma")]),
        "sources, item 1, url",
        "http(s)",
    ),
    (
        "source date that does not exist",
        article(sources=[source(date="2023-02-30")]),
        "sources, item 1, date",
        '"2023-02-30"',
    ),
    ("source without a language", article(sources=[source(lang=None)]), "sources, item 1, lang", "missing"),
    ("source language as a name", article(sources=[source(lang="German")]), "sources, item 1, lang", '"German"'),
    (
        "words in another language without one",
        article(sources=[source(lang_parts=[{"words": "A"}])]),
        "sources, item 1, lang_parts, item 1, lang",
        "missing",
    ),
    # Other fields
    ("translation field", article(translation=True), "translation", "not a field"),
    ("misspelt field", article(summery="A standfirst."), "summery", "did you mean summary?"),
    (
        "timeline kind not allowed",
        article(timeline=[{"date": "2023", "event": "x", "kind": "background"}]),
        "timeline, item 1, kind",
        '"background"',
    ),
    ("slug with spaces", article(slug="mali demands"), "slug", "lowercase letters"),
    ("300-character slug", article(slug="a" * 300), "slug", "at most 100"),
    ("empty body", article(body=""), "body", "empty"),
    ("not UTF-8", article(title="Mali’s answer, in Latin-1: café").encode("cp1252"), "file", "not UTF-8"),
    # Bounded work: each fails in well under a second
    (
        "a billion laughs",
        article().replace("author: dpa", "author: dpa\n" + LAUGHS),
        "front matter",
        "counting what aliases",
    ),
    (
        "a list nested 400 deep",
        article().replace("author: dpa", "author: dpa\nplace_note: " + "[" * 400 + "]" * 400),
        "front matter",
        "nested more than",
    ),
    (
        "a Markdown list nested 400 deep",
        article(body="".join("    " * n + "- item\n" for n in range(400))),
        "body",
        "nested 21 deep",
    ),
    ("lists nested 5,000 deep on one line", article(body="1. " * 5_000 + "item\n"), "body", "nested 5000 deep"),
    ("lists and quotes nested on one line", article(body="- > " * 2_000 + "item\n"), "body", "nested 4000 deep"),
    ("quotes nested 1,600 deep", article(body=">" * 1600 + " Deep.\n"), "body", "nested 1600 deep"),
    ("an integer of 5,000 digits", article(place_note=Raw("1" * 5000)), "front matter", "not valid YAML"),
    ("40,000 [ in the body", article(body="[" * 40_000 + "\n"), "body", "more than 1,000 brackets"),
    (
        "code spans of 2,000 lengths",
        article(body=" a ".join("`" * i for i in range(1, 2001)) + "\n"),
        "body",
        "more than 16 different lengths",
    ),
    (
        "code spans of 17 lengths, far apart",
        article(body="\n\n".join("`" * i + " a" * 1000 for i in range(1, 18)) + "\n"),
        "body",
        "more than 16 different lengths",
    ),
    (
        "10,000 abbreviations",
        article(body="Text.\n\n" + "".join(f"*[A{n}]: Thing {n}\n" for n in range(10_000))),
        "body",
        "abbreviation definitions",
    ),
    ("400,000 headings", article(body="## a\n" * 400_000), "body", "more than 300 headings"),
    ("headings underlined", article(body="A\n=\n\n" * 400), "body", "headings"),
    (
        "5,000 definitions of one term",
        article(body="Term\n" + ": A definition.\n" * 5_000),
        "body",
        "more than 300 definitions",
    ),
    ("80,000 spans", article(body="<span>x</span>" * 80_000 + "\n"), "body", "HTML tags"),
    (
        "250 places on the map",
        article(places=[{"name": "Bamako", "description": f"Place {n}."} for n in range(250)]),
        "places",
        "at most 20",
    ),
    (
        "front matter of 1 MB",
        article(facts=["A fact that goes on and on."] * 40_000),
        "front matter",
        "expected at most",
    ),
    ("body of 20 MB", article(body="word " * 4_000_000), "body", "expected at most"),
]
PAGE_CASES = [
    ("page without a title", page(title=None), "title", "missing"),
    ("page with an unknown status", page(status="draft"), "status", '"draft"'),
    ("page slug too long", page(slug="b" * 101), "slug", "at most 100"),
    ("page written by the article template", page(template="article"), "template", '"article"'),
    ("page written by the sitemap template", page(template="sitemap"), "template", '"sitemap"'),
    ("page written by a template that does not exist", page(template="nothing"), "template", '"nothing"'),
]

PLACES = "geo/mali-places.json"
CREDITS = "geo/credits.yaml"
OUTLINES = "geo/mali-map.geojson"
SECTIONS = "data/sections.yaml"


def changed(path, old, new):
    text = (ROOT / "content" / path).read_text(encoding="utf-8")
    assert old in text
    return text.replace(old, new, 1)


# A data file changed (None: removed): (name, file, text, field, words of the message).
DATA_CASES = [
    ("sections missing", SECTIONS, None, "file", "missing"),
    ("sections not YAML", SECTIONS, "mali: [\n", "file", "not valid YAML"),
    ("sections a list", SECTIONS, "- mali\n- un\n", "front matter", "found"),
    ("section without a title", SECTIONS, changed(SECTIONS, "  title: Mali\n", ""), "mali, title", "missing"),
    ("section key not a slug", SECTIONS, changed(SECTIONS, "mali:", "Mali Section:"), "Mali Section", "found the key"),
    (
        "section title as a number",
        SECTIONS,
        changed(SECTIONS, "title: Mali", "title: 2023"),
        "mali, title",
        "put it in quotes",
    ),
    ("sections with a billion laughs", SECTIONS, LAUGHS, "file", "counting what aliases"),
    ("places missing", PLACES, None, "file", "missing"),
    ("places not JSON", PLACES, '{"type": "FeatureCollection",', "file", "not valid JSON"),
    ("places with NaN", PLACES, changed(PLACES, "-8.002", "NaN"), "file", "NaN"),
    (
        "places with Infinity",
        PLACES,
        changed(PLACES, "-8.002", "1e999"),
        "features, item 1, geometry, coordinates, item 1",
        "longitude",
    ),
    (
        "latitude out of range",
        PLACES,
        changed(PLACES, "12.652", "95"),
        "features, item 1, geometry, coordinates, item 2",
        "latitude from -90 to 90",
    ),
    (
        "place without coordinates",
        PLACES,
        changed(PLACES, '"coordinates"', '"coords"'),
        "features, item 1, geometry, coordinates",
        "missing",
    ),
    ("places a list", PLACES, "[]", "front matter", "found"),
    ("places nested 1,000 deep", PLACES, "[" * 1000 + "]" * 1000, "file", "nested"),
    (
        "place no credit covers",
        CREDITS,
        changed(CREDITS, "source: GeoNames", "source: Somewhere else"),
        "features, item 2, properties, source_dataset",
        "no credit line covers",
    ),
    ("credits missing", CREDITS, None, "file", "missing"),
    ("credits without points", CREDITS, changed(CREDITS, "points:", "dots:"), "points", "missing"),
    ("outlines missing", OUTLINES, None, "file", "missing"),
    (
        "outlines of the wrong shape",
        OUTLINES,
        '{"type": "FeatureCollection", "features": [{"type": "Feature"}]}',
        "features, item 1, geometry",
        "missing",
    ),
    (
        "outlines without a focus",
        OUTLINES,
        changed(OUTLINES, '"role":"focus"', '"role":"neighbour"'),
        "features",
        "found 0; expected exactly one country with the role focus",
    ),
    (
        "outlines with two focuses",
        OUTLINES,
        changed(OUTLINES, '"role":"neighbour"', '"role":"focus"'),
        "features",
        "found 2; expected exactly one",
    ),
    (
        "outline with an unknown role",
        OUTLINES,
        changed(OUTLINES, '"role":"neighbour"', '"role":"enemy"'),
        "role",
        '"enemy"',
    ),
]

# Links that name a page of this site until Pelican rewrites them:
# (marker, what it becomes, Markdown, words of the message).
INTRASITE_CASES = [
    ("{index}", "javascript:", "[Home]({index}javascript:alert(1))\n", "javascript:alert(1)"),
    ("|index|", "javascript:", '<a href="|index|javascript:alert(1)">Home</a>\n', "javascript:alert(1)"),
    (
        "{index}, hidden by a tab,",
        "javascript:",
        '<a href="{index}jav&#x09;ascript:alert(1)">Home</a>\n',
        "ascript:alert(1)",
    ),
    (
        "{tag}",
        "data:",
        '<a href="{tag}data:text/html,&lt;script&gt;alert(1)&lt;/script&gt;">Topic</a>\n',
        "data:text/html",
    ),
    ("{filename}", "vbscript:", '<a href="{filename}vbscript:msgbox(1)">Report</a>\n', "vbscript:msgbox(1)"),
    (
        "{category}, quoted as a citation,",
        "javascript:",
        '<blockquote cite="{category}javascript:alert(1)">Quote</blockquote>\n',
        "javascript:alert(1)",
    ),
    ("{static}", "another host", "![A pixel]({static}//tracker.example/pixel.gif)\n", "another site"),
    (
        "|static|",
        "another host",
        '<img src="|static|https://tracker.example/pixel.gif" alt="A pixel">\n',
        "another site",
    ),
    (
        "{attach}",
        "another host, backslashed",
        '<img src="{attach}\\\\tracker.example/pixel.gif" alt="A pixel">\n',
        "another site",
    ),
    ("{index}", "data: image", '<img src="{index}data:image/svg+xml,&lt;svg/&gt;" alt="A pixel">\n', "data:image"),
]

# A body, rendered as Pelican renders Markdown, given to the body checks: (name, Markdown, words of the message).
BODY_CASES = [
    ("<style> element", "<style>main { display: none }</style>\n\nText.\n", "<style>"),
    ("style attribute", '<p style="position: fixed; inset: 0">Cover</p>\n', "style attribute"),
    ("class borrowing the theme's styles", '<p class="visually-hidden">Hidden</p>\n', "class"),
    (
        "form posting to javascript:",
        '<form action="javascript:alert(1)"><button formaction="javascript:alert(2)">Go</button></form>\n',
        "<form>",
    ),
    ("button with formaction", '<button formaction="javascript:alert(2)">Go</button>\n', "<button>"),
    ("SVG link with xlink:href", '<svg><a xlink:href="javascript:alert(1)"><text>Click</text></a></svg>\n', "<svg>"),
    (
        "SVG animate to javascript:",
        '<svg><animate attributeName="href" values="javascript:alert(1)"/></svg>\n',
        "<animate>",
    ),
    ("meta refresh", '<meta http-equiv="refresh" content="0; url=https://example.org/">\n', "<meta>"),
    ("image from another host", 'Text <img src="https://tracker.example/pixel.gif" alt="">\n', "another site"),
    (
        "image from another host, no scheme",
        'Text <img src="//tracker.example/pixel.gif" alt="A pixel">\n',
        "another site",
    ),
    ("Markdown image from another host", "![A pixel](https://tracker.example/pixel.gif)\n", "another site"),
    ("stylesheet from another host", '<link rel="stylesheet" href="https://example.org/x.css">\n', "<link>"),
    ("unclosed textarea", "Text.\n\n<textarea>\n\nThe rest of the page.\n", "<textarea>"),
    ("heading whose id is the page's main", "## Main\n\nText.\n", 'the id "main"'),
    ("id given with attr_list", "## Sources {: #sources-title }\n\nText.\n", 'the id "sources-title"'),
    ("a second <h1>", "<h1>Another title</h1>\n", "one <h1>"),
    ("iframe", '<iframe src="https://example.org/"></iframe>\n', "<iframe>"),
    ("onclick attribute", '<p onclick="alert(1)">Click</p>\n', "onclick"),
    ("script element", "Text.\n\n<script>alert(1)</script>\n", "<script>"),
    ("javascript: link", "[Click](javascript:alert(1))\n", "javascript:alert(1)"),
    ("javascript: link hidden by a tab", '<a href="jav&#x09;ascript:alert(1)">Click</a>\n', "ascript:alert(1)"),
    ("data: link", '<a href="data:text/html,<script>alert(1)</script>">Click</a>\n', "data:text/html"),
    ("Markdown image without alt", "![](map.png)\n", 'image "map.png" has no alt text'),
    ("HTML image without alt", '<img src="map.png">\n', 'image "map.png" has no alt text'),
    ("HTML comment with a doctype", "<!DOCTYPE html>\n\nText.\n", "<!DOCTYPE html>"),
    # Pelican rewrites only the path of an intrasite link and keeps what follows the marker.
    *[(f"{what} link rewritten to {written}", text, message) for what, written, text, message in INTRASITE_CASES],
]


# A link in a body, given to the link check with the published site's pages: (name, link, words of the message).
LINK_CASES = [
    ("{tag} link to a topic no article has", "{tag}Nothing here", "topic page that no article makes"),
    ("{category} link to a section no article has", "{category}Niger", "section page that no article makes"),
    ("{author} link, with no author pages", "{author}dpa", "author page"),
    ("{attach} of /etc/passwd", "{attach}/etc/passwd", "not in the content folder"),
    ("{attach} out of the content folder", "{attach}../../../../../../etc/passwd", "outside the content folder"),
    ("{filename} out of the content folder", "{filename}../../../../../../etc/hostname", "outside the content folder"),
    ("{static} to an article", "{static}" + SOURCE, None),
    ("unknown kind of link", "{file}x.md", "Pelican knows"),
]


def markdown_to_html(text):
    """The body as Pelican renders it with the site's Markdown settings."""
    settings = pelicanconf.MARKDOWN
    return markdown.Markdown(extensions=list(settings["extension_configs"]), **settings).convert(text)


SETTINGS = read_settings(str(ROOT / "pelicanconf.py"))
RESERVED = reserved_ids(SETTINGS)
SLUG_OF = slug_maker(SETTINGS)
NOW = datetime.datetime.now(datetime.UTC)
VALIDATORS = {kind: schema_validator(load_schema(path)) for kind, path in pelicanconf.CONTENT_CHECKS_SCHEMAS.items()}


def allowlist_offenders(html):
    """Every element and attribute in ``html`` outside the body's allowlist."""
    offenders = []
    for node in LexborHTMLParser(f"<body>{html}</body>").body.css("body *"):
        if node.tag not in allowlist.ATTRIBUTES:
            offenders.append(f"<{node.tag}>")
            continue
        allowed = allowlist.ATTRIBUTES[node.tag] | allowlist.GLOBAL_ATTRIBUTES
        for name, value in node.attributes.items():
            value = value or ""
            if name not in allowed or (
                name in allowlist.URL_ATTRIBUTES and allowlist.url_scheme(value) not in ("", *allowlist.URL_SCHEMES)
            ):
                offenders.append(f"<{node.tag} {name}={value!r}>")
            if name == "id" and allowlist.id_is_reserved(value, RESERVED):
                offenders.append(f"<{node.tag} id={value!r}>")
            # Whatever the allowlist says: never an event handler, a style or a script URL.
            if name.startswith("on") or name == "style" or "javascript:" in value.replace("\t", "").lower():
                offenders.append(f"<{node.tag} {name}={value!r}>")
        # Nor these elements, should the allowlist ever grow to take them.
        if node.tag in {"script", "style", "iframe", "object", "embed", "form", "meta", "link", "base", "textarea"}:
            offenders.append(f"<{node.tag}> (never allowed)")
    return offenders


# -- Whole-site builds --------------------------------------------------------------------


def write_files(content, files):
    for path, data in files.items():
        target = content / path
        target.parent.mkdir(parents=True, exist_ok=True)
        if data is None:
            target.unlink()
        elif isinstance(data, Link):
            target.symlink_to(data)
        elif isinstance(data, Fifo):
            os.mkfifo(target)
        elif isinstance(data, bytes):
            target.write_bytes(data)
        else:
            target.write_text(data, encoding="utf-8", newline="")


@pytest.fixture(scope="session")
def built_cases(tmp_path_factory):
    """{case name: (finished process, site)}: the cases of one ``build`` built
    together, each file renamed after its case's number."""
    root = tmp_path_factory.mktemp("bad-input")
    groups = {}
    for number, case in enumerate(CASES):
        files = {path.replace("case", f"case-{number}"): data for path, data in case.files.items()}
        groups.setdefault(case.build, {})[case.name] = files

    def build(number, files):
        folder = root / f"build-{number}"
        shutil.copytree(ROOT / "content", folder / "content")
        write_files(folder / "content", files)
        return run_pelican(folder / "site", content=str(folder / "content")), folder / "site"

    jobs = [{path: data for files in cases.values() for path, data in files.items()} for cases in groups.values()]
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
        results = list(pool.map(build, range(len(jobs)), jobs))
    return {name: result for cases, result in zip(groups.values(), results, strict=True) for name in cases}


def test_the_corpus_is_large_enough():
    names = [case.name for case in CASES] + [
        case[0] for case in FILE_CASES + PAGE_CASES + DATA_CASES + BODY_CASES + LINK_CASES
    ]
    assert len(names) >= 120
    assert len(set(names)) == len(names)


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_bad_input(case, built_cases):
    result, site = built_cases[case.name]
    log = result.stdout + result.stderr
    assert "Traceback" not in log
    if case.stops:
        file, field, shows = case.stops
        file = file.replace("case", f"case-{CASES.index(case)}")
        assert result.returncode == 1, log
        lines = [line for line in log.splitlines() if file in line and f" {field}: " in line and shows in line]
        assert lines, f"no line names {file}, {field!r} and {shows!r}:\n{log}"
        assert not site.exists() or not any(site.iterdir()), "a build that stopped wrote files"
    else:
        assert result.returncode == 0, log
        assert [line for line in log.splitlines() if "WARNING" in line or "ERROR" in line] == []
        case.check(site)


def test_bodies_and_feeds_carry_only_the_allowlist(built_cases):
    """Every article body of the cases that built, on its page and in the feed."""
    sites = {site for result, site in built_cases.values() if result.returncode == 0}
    assert sites
    offenders = []
    for site in sites:
        for path in site.glob("20*/*/*.html"):
            body = LexborHTMLParser(path.read_text(encoding="utf-8")).css_first(".article-body")
            offenders += [(path.name, found) for found in allowlist_offenders(body.inner_html if body else "")]
        for entry in ET.parse(site / "feeds" / "all.atom.xml").getroot().iter(f"{ATOM}content"):
            offenders += [("feed", found) for found in allowlist_offenders(entry.text or "")]
    assert offenders == [], offenders


# -- One file at a time: the checks called directly --------------------------------------


def file_problems(tmp_path, text, path):
    target = tmp_path / Path(path).name
    if isinstance(text, bytes):
        target.write_bytes(text)
    else:
        target.write_text(text, encoding="utf-8", newline="")
    kind = "PAGE" if path.startswith("pages/") else "ARTICLE"
    return problems_in_file(target, VALIDATORS[kind], NOW, SLUG_OF)


def assert_reported(problems, field, shows):
    assert [problem for problem in problems if problem[1] == field and shows in problem[2]], problems


@pytest.mark.parametrize(
    ("text", "field", "shows"), [case[1:] for case in FILE_CASES], ids=[case[0] for case in FILE_CASES]
)
def test_article_check(text, field, shows, tmp_path):
    problems = file_problems(tmp_path, text, ARTICLE)
    assert_reported(problems, field, shows)
    assert all(isinstance(line, int) and line >= 1 for line, _, _ in problems)


@pytest.mark.parametrize(
    ("text", "field", "shows"), [case[1:] for case in PAGE_CASES], ids=[case[0] for case in PAGE_CASES]
)
def test_page_check(text, field, shows, tmp_path):
    assert_reported(file_problems(tmp_path, text, PAGE), field, shows)


@pytest.mark.parametrize(
    "text",
    [
        article(),
        article(
            title=Raw("'2023-06-16'"),
            modified=Raw("2023-06-17T12:00:00+02:00"),
            timeline=[{"date": "2023-06", "end": "2023-06-30", "event": "x", "kind": "context"}],
        ),
        article(date=Raw("1960-09-22T10:00:00Z"), body="A horizontal rule follows.\n\n---\n\nText.\n"),
        article(tags=[f"Topic {n}" for n in range(20)]),
        article(
            body="`a` and ``b ` c`` then:\n\n```\ncode\n```\n\n````\n```\n````\n"
            + " ".join("`" * i + "x" + "`" * i for i in range(1, 17))
            + "\n"
        ),
    ],
    ids=[
        "valid",
        "quoted date as a title, modified and a span",
        "old date and a rule",
        "20 topics",
        "code spans of 16 lengths",
    ],
)
def test_valid_but_unusual_files_pass(text, tmp_path):
    assert file_problems(tmp_path, text, ARTICLE) == []


@pytest.fixture()
def data_folder(tmp_path):
    """A copy of content/data and content/geo, and settings that point the checks at it."""
    locator_map.register()  # the map checks its own data
    for folder in ("data", "geo"):
        shutil.copytree(ROOT / "content" / folder, tmp_path / folder)
    return tmp_path, {**SETTINGS, "PATH": str(tmp_path)}


@pytest.mark.parametrize(
    ("file", "text", "field", "shows"), [case[1:] for case in DATA_CASES], ids=[case[0] for case in DATA_CASES]
)
def test_data_file_check(file, text, field, shows, data_folder):
    from content_checks.content_checks import check_data_files

    folder, settings = data_folder
    if text is None:
        (folder / file).unlink()
    else:
        (folder / file).write_text(text, encoding="utf-8")
    problems = check_data_files(settings)
    if field == "front matter":  # a file of the wrong kind altogether
        field = next(problem[2] for problem in problems)
    assert [problem for problem in problems if field in problem[2] and shows in problem[3]], problems


def test_published_data_files_pass(data_folder):
    from content_checks.content_checks import check_data_files

    assert check_data_files(data_folder[1]) == []


@pytest.mark.parametrize(("text", "shows"), [case[1:] for case in BODY_CASES], ids=[case[0] for case in BODY_CASES])
def test_body_check(text, shows):
    html = markdown_to_html(text)
    messages = [message for _, message in body_html.scan_body(html, RESERVED).problems]
    assert [message for message in messages if shows in message], messages
    # Whatever the checks might have missed, the sanitiser removes.
    assert allowlist_offenders(allowlist.sanitise(html, RESERVED)) == []
    assert allowlist_offenders(allowlist.sanitise(text, RESERVED)) == []


def as_pelican_writes(html):
    """``html`` with its intrasite links rewritten by Pelican itself, as on a page two folders down."""
    page = Page(
        html,
        metadata={"title": "Case"},
        settings=SETTINGS,
        source_path=str(ROOT / "content" / ARTICLE),
        context={"generated_content": {}, "static_content": {}, "localsiteurl": ""},
    )
    return page.get_content("../..")


@pytest.mark.parametrize(
    "text", [case[2] for case in INTRASITE_CASES], ids=[f"{case[0]} to {case[1]}" for case in INTRASITE_CASES]
)
def test_what_pelican_writes_after_the_sanitiser_is_same_site(text):
    """The rule holds for the page as written, after Pelican rewrites the links, not only for the Markdown."""
    written = LexborHTMLParser(
        f"<body>{as_pelican_writes(allowlist.sanitise(markdown_to_html(text), RESERVED))}</body>"
    ).body
    urls = [
        (node.tag, name, value)
        for node in written.css("*")
        for name, value in node.attributes.items()
        if name in allowlist.URL_ATTRIBUTES
    ]
    offenders = [
        url
        for url in urls
        if allowlist.url_scheme(url[2]) not in ("", *allowlist.URL_SCHEMES)
        or (url[0] == "img" and not allowlist.is_same_site(url[2]))
    ]
    assert offenders == []


def test_a_fenced_code_block_may_name_its_language():
    html = markdown_to_html("```python\nprint(1)\n```\n")
    assert body_html.scan_body(html, RESERVED).problems == []
    assert 'class="language-python"' in allowlist.sanitise(html, RESERVED)
    # Only a language: no other class reaches the page.
    sneaky = '<pre><code class="language-python visually-hidden">x</code></pre>'
    assert body_html.scan_body(sneaky, RESERVED).problems
    assert "class" not in allowlist.sanitise(sneaky, RESERVED)


def test_body_the_allowlist_lets_through_is_unchanged():
    html = markdown_to_html(
        ALLOWED_BODY + "\n## Heading\n\n![A map]({static}/images/map.png)\n\n---\n\nLine  \nbreak\n"
    )
    assert body_html.scan_body(html, RESERVED).problems == []
    assert LexborHTMLParser(allowlist.sanitise(html, RESERVED)).body.html == LexborHTMLParser(html).body.html


def link_problems(link):
    content = types.SimpleNamespace(settings={**SETTINGS, "PATH": str(ROOT / "content")}, relative_dir="articles")
    published = {"category": {"mali", "un", "bundeswehr"}, "tag": {"minusma", "mali"}, "author": set()}
    return missing_link_targets(content, [link], {PUBLISHED: object()}, SETTINGS["INTRASITE_LINK_REGEX"], published)


@pytest.mark.parametrize(("link", "shows"), [case[1:] for case in LINK_CASES], ids=[case[0] for case in LINK_CASES])
def test_link_check(link, shows):
    problems = link_problems(link)
    assert [problem for problem in problems if shows in problem] if shows else problems == [], problems


def test_links_to_pages_the_site_has_pass():
    for link in (
        "{tag}MINUSMA",
        "{category}Mali",
        "{index}",
        "{filename}" + SOURCE,
    ):
        assert link_problems(link) == [], link


def test_a_symbolic_link_out_of_the_content_folder_stops(tmp_path):
    (tmp_path / "images").mkdir()
    (tmp_path / "images" / "map.png").symlink_to("/etc/passwd")
    (tmp_path / "images" / "inside.png").symlink_to(tmp_path / "images" / "map.png")
    (tmp_path / "all").symlink_to("/")
    found = {path: message for path, _, message in file_types(tmp_path)}
    assert set(found) == {"images/map.png", "images/inside.png", "all"}
    assert all("outside the content folder" in message for message in found.values())


def test_names_that_look_alike_are_near_duplicates():
    published = [(PUBLISHED, "tags", name, SLUG_OF("tags", name)) for name in ("MINUSMA", "Mali", "UN")]
    cases = {
        "\u041c\u0418\u041d\u0423\u0421\u041c\u0410": "MINUSMA",
        "\u041c\u0430li": "Mali",
        "U\u039d": "UN",
        "Peacekeping": None,
    }
    for name, other in cases.items():
        problems = near_duplicate_names(
            [
                *published,
                (ARTICLE, "tags", name, SLUG_OF("tags", name)),
                (ARTICLE, "tags", "Peacekeeping", "peacekeeping"),
            ]
        )
        assert [
            message for _, _, message in problems if f'"{name}" differs from "{other or "Peacekeeping"}"' in message
        ], (name, problems)


def test_a_name_in_two_scripts_is_reported():
    problems = near_duplicate_names([(ARTICLE, "categories", "\u041c\u0430li", "mali")])
    assert [message for _, _, message in problems if "Cyrillic and Latin" in message]


def test_many_names_are_compared_by_key_not_in_pairs():
    names = [(ARTICLE, "tags", f"Topic number {n}", f"topic-number-{n}") for n in range(10_000)]
    assert near_duplicate_names(names) == []


def test_an_unforeseen_error_is_one_line_naming_the_file(tmp_path):
    source = tmp_path / "articles" / "broken.md"
    source.parent.mkdir()
    source.write_text("---\n---\n", encoding="utf-8")

    def read(source_path):
        raise KeyError("surprise")

    try:
        read(str(source))
    except KeyError:
        record = logging.LogRecord("pelican", logging.CRITICAL, __file__, 1, "%s", ("KeyError",), sys.exc_info())
    assert OneLineErrors(str(tmp_path)).filter(record)
    message = record.getMessage()
    assert record.exc_info is None and "\n" not in message
    assert "articles/broken.md" in message and "KeyError" in message and "surprise" in message


def test_every_entry_that_is_not_a_plain_file_is_named_before_anything_reads_it(tmp_path):
    import socket

    (tmp_path / "articles").mkdir()
    (tmp_path / "articles" / "story.md").write_text("A file.\n")
    (tmp_path / "articles" / "alias.md").symlink_to("story.md")
    os.mkfifo(tmp_path / "articles" / "pipe.md")
    with socket.socket(socket.AF_UNIX) as server:
        server.bind(str(tmp_path / "articles" / "socket.md"))
    (tmp_path / "zero.yaml").symlink_to("/dev/zero")
    (tmp_path / "inside-zero.yaml").symlink_to(tmp_path / "articles" / "pipe.md")
    (tmp_path / "articles" / "up").symlink_to("..")
    (tmp_path / "gone.md").symlink_to("nowhere.md")
    (tmp_path / "tab\there.md").write_text("A file.\n")
    found = {path: message for path, _, message in file_types(tmp_path)}
    assert set(found) == {
        "articles/pipe.md",
        "articles/socket.md",
        "zero.yaml",
        "inside-zero.yaml",
        "articles/up",
        "gone.md",
        "tab\\u0009here.md",
    }, found
    assert "FIFO" in found["articles/pipe.md"] and "socket" in found["articles/socket.md"]
    assert "outside the content folder" in found["zero.yaml"] and "FIFO" in found["inside-zero.yaml"]
    assert "read twice" in found["articles/up"] and "does not exist" in found["gone.md"]
    assert "U+0009" in found["tab\\u0009here.md"]


@pytest.mark.parametrize(
    ("name", "data", "shows"),
    [
        ("map.png", PNG, None),
        ("photo.JPG", b"\xff\xd8\xff\xe0", "lower case, .jpg"),
        ("map.svg", b"<svg/>", "type .svg"),
        ("page.html", b"<p>", "type .html"),
        ("map.webp", b"RIFF\x00\x00\x00\x00WAVE", "not a .webp image"),
        ("map.gif", PNG, "not a .gif image"),
        ("map", PNG, "type (none)"),
        ("my map.png", PNG, "rename it"),
        ("-rf.png", PNG, "rename it"),
        ("caf\u00e9.png", PNG, "rename it"),
    ],
)
def test_a_static_file_is_a_plainly_named_image(tmp_path, name, data, shows):
    from content_checks.files import static_problems

    (tmp_path / "images").mkdir()
    (tmp_path / "images" / name).write_bytes(data)
    problems = static_problems(tmp_path, ["images"])
    assert [message for _, _, message in problems if shows in message] if shows else problems == [], problems


SANDBOX_CASES = [
    ("Python's globals through a function", '{{ lipsum.__globals__["os"].popen("id").read() }}', "unsafe"),
    ("the same through the attr filter", '{{ (lipsum|attr("__glo" ~ "bals__"))["os"] }}', "unsafe"),
    ("a method of an article", "{{ articles[0].get_content('x') }}", "unsafe"),
    ("a method of a settings object", "{{ cycler.reset() }}", "unsafe"),
    ("a list grown in place", "{% set _ = SECURITY_HEADERS.update({'X': 1}) %}", "unsafe"),
    ("text of a gigabyte", '{{ "x" * 1000000000 }}', "expected at most"),
    ("a huge power", "{{ 9 ** 9 ** 9 }}", "expected numbers of at most 64"),
]


@pytest.mark.parametrize(
    ("text", "shows"), [case[1:] for case in SANDBOX_CASES], ids=[case[0] for case in SANDBOX_CASES]
)
def test_a_template_page_reads_only_the_settings(text, shows):
    from content_checks.template_pages import render_problems

    context = {
        "articles": [Page("Text.", metadata={"title": "A"}, settings=SETTINGS)],
        "SECURITY_HEADERS": {"Referrer-Policy": "no-referrer"},
    }
    problems = render_problems(text, "_headers", {}, context)
    assert [message for _, _, message in problems if shows in message], problems


def test_the_published_template_pages_render_in_the_sandbox_with_the_sites_jinja_options():
    from content_checks.template_pages import HostFileSandbox, render_all

    context = {**SETTINGS, "SECURITY_HEADERS": {"Referrer-Policy": "no-referrer"}, "HOST_FILES_PATTERN": "_headers"}
    pages = [
        (name, (ROOT / "content" / name).read_text(encoding="utf-8"), context) for name in SETTINGS["TEMPLATE_PAGES"]
    ]
    for name, (text, problems) in zip(
        SETTINGS["TEMPLATE_PAGES"], render_all(pages, SETTINGS["JINJA_ENVIRONMENT"]), strict=True
    ):
        assert text and problems == [], name
    # The theme's extensions are code of its own for its HTML templates, not for host files.
    assert not HostFileSandbox(**SETTINGS["JINJA_ENVIRONMENT"]).extensions


@pytest.mark.parametrize(
    ("text", "shows"),
    [
        ("{% for %}", "not a valid template"),
        ("{% for a in b %}{% for c in d %}{% for e in f %}{% endfor %}{% endfor %}{% endfor %}", "nested 3 deep"),
        ("x" * 70_000, "expected at most"),
    ],
    ids=["bad syntax", "loops three deep", "too long"],
)
def test_a_template_page_is_checked_before_it_renders(text, shows):
    from content_checks.template_pages import template_problems

    assert [message for _, _, message in template_problems(text, {}) if shows in message]


def test_pelican_renders_template_pages_in_the_sandbox(tmp_path):
    from content_checks.template_pages import HostFileSandbox, sandbox_template_pages
    from pelican.generators import TemplatePagesGenerator

    generator = TemplatePagesGenerator(
        context={}, settings=SETTINGS, path=str(ROOT / "content"), theme=SETTINGS["THEME"], output_path=str(tmp_path)
    )
    sandbox_template_pages(generator)
    assert isinstance(generator.env, HostFileSandbox)
    with pytest.raises(jinja2.exceptions.SecurityError):
        generator.env.from_string("{{ lipsum.__globals__['os'] }}").render()


def test_a_template_page_renders_in_no_fork_of_the_build(monkeypatch):
    """A fork of the build copies it at its largest (its resident set counts twice): the renders run in
    a fresh small process, and Pelican's own render takes the trial's text, starting nothing more."""

    def no_fork():
        raise AssertionError("the build's process forked")

    monkeypatch.setattr(os, "fork", no_fork)
    template_pages.RENDERED.clear()
    sandbox = template_pages.HostFileSandbox(trim_blocks=True)
    source = "{% for name, value in SECURITY_HEADERS.items() %}{{ name }}: {{ value }}\n{% endfor %}{{ SITEURL }}"
    context = {"SECURITY_HEADERS": {"Referrer-Policy": "no-referrer"}, "SITEURL": ".", "articles": [object()]}
    assert template_pages.render_problems(source, "_headers", sandbox.options, context) == []
    monkeypatch.setattr(template_pages.subprocess, "run", no_fork)
    assert sandbox.from_string(source).render(context) == "Referrer-Policy: no-referrer\n."


def test_the_reserved_ids_come_from_the_cache_folder_while_the_templates_are_the_same(monkeypatch, tmp_path):
    from content_checks import content_checks

    settings = {**SETTINGS, "CACHE_PATH": str(tmp_path)}
    assert reserved_ids(settings) == RESERVED

    def no_parse(*args):
        raise AssertionError("a template was parsed again")

    monkeypatch.setattr(content_checks, "referenced_templates", no_parse)
    assert reserved_ids(settings) == RESERVED
    theme = tmp_path / "theme"
    shutil.copytree(Path(SETTINGS["THEME"]), theme)
    (theme / "templates" / "article.html").write_text("{% extends 'base.html' %}{# changed #}", "utf-8")
    with pytest.raises(AssertionError, match="parsed again"):
        reserved_ids({**settings, "THEME": str(theme)})


def test_a_damaged_cache_file_is_worked_out_again(tmp_path):
    settings = {**SETTINGS, "CACHE_PATH": str(tmp_path), "TEMPLATE_PAGES": {"extra/_headers": "_headers"}}
    (tmp_path / "referenced-templates.json").write_text("{not json", "utf-8")
    assert reserved_ids(settings) == RESERVED
    Path(template_pages.kept_renders(str(tmp_path))).write_bytes(b"\xff\x00damaged")
    template_pages.RENDERED.clear()
    generator = types.SimpleNamespace(settings=settings, context={**SETTINGS, "SECURITY_HEADERS": {"A": "b"}})
    source = "A: {{ SECURITY_HEADERS['A'] }}"
    assert template_pages.tried_template_pages(generator, {"extra/_headers": source}) == {"extra/_headers": []}


def test_a_later_build_takes_the_template_pages_renders_from_the_cache_folder(monkeypatch, tmp_path):
    """The renders are kept under CACHE_PATH: a build with the same host files and settings starts no process."""
    from types import SimpleNamespace

    source = "Referrer-Policy: {{ SECURITY_HEADERS['Referrer-Policy'] }}"
    settings = {**SETTINGS, "CACHE_PATH": str(tmp_path), "TEMPLATE_PAGES": {"extra/_headers": "_headers"}}
    generator = SimpleNamespace(settings=settings, context={**SETTINGS, "SECURITY_HEADERS": {"Referrer-Policy": "x"}})
    template_pages.RENDERED.clear()
    assert template_pages.tried_template_pages(generator, {"extra/_headers": source}) == {"extra/_headers": []}
    template_pages.RENDERED.clear()

    def no_process(*args, **kwargs):
        raise AssertionError("the renderer's process was started again")

    monkeypatch.setattr(template_pages.subprocess, "run", no_process)
    assert template_pages.tried_template_pages(generator, {"extra/_headers": source}) == {"extra/_headers": []}
    template_pages.RENDERED.clear()
    generator.context["SECURITY_HEADERS"] = {"Referrer-Policy": "y"}
    with pytest.raises(AssertionError, match="started again"):
        template_pages.tried_template_pages(generator, {"extra/_headers": source})


def test_an_error_raised_beside_a_jinja_undefined_is_still_one_line(tmp_path):
    """A frame's locals may hold anything: the filter looks at them and never raises in turn."""
    undefined = jinja2.StrictUndefined(name="article")

    def render(value):
        raise jinja2.exceptions.UndefinedError("'article' is undefined")

    try:
        render(undefined)
    except jinja2.exceptions.UndefinedError:
        record = logging.LogRecord("pelican", logging.CRITICAL, __file__, 1, "%s", ("UndefinedError",), sys.exc_info())
    assert OneLineErrors(str(tmp_path)).filter(record)
    assert record.exc_info is None and "\n" not in record.getMessage()
    assert "the build: UndefinedError" in record.getMessage()


def test_names_one_letter_apart_give_one_message_each():
    """Not one for every pair: a hundred articles whose topics are one letter apart once gave gigabytes of messages."""
    names = sorted(
        {
            "peacekeeping"[:index] + letter + "peacekeeping"[index + 1 :]
            for index in range(12)
            for letter in "abcdefghijklmnopqrstuvwxyz"
        }
    )
    uses = [(f"articles/{number}.md", "tags", name, name) for number, name in enumerate(names)] * 3
    problems = near_duplicate_names(uses)
    assert len(problems) == len(uses)
    assert max(len(message) for _, _, message in problems) < 200


def test_a_static_file_moved_over_another_output_is_caught_before_the_copy():
    """What the checks foresee for {attach}, made sure once Pelican has moved the files."""
    from content_checks.whole_site import static_over_outputs

    outputs = {"index.html": "a page Pelican wrote", "2023/06/card.png": "the share card of articles/a.md"}
    static = [
        ("images/a/map.png", "2023/06/map.png"),
        ("images/b/map.png", "2023/06/map.png"),
        ("images/index.html", "index.html"),
        ("images/card.png", "2023/06/card.png"),
        ("images/fine.png", "images/fine.png"),
    ]
    found = {path: message for path, _, message in static_over_outputs(static, outputs)}
    assert set(found) == {"images/b/map.png", "images/index.html", "images/card.png"}, found
    assert (
        "over a page Pelican wrote" in found["images/index.html"]
        and "over images/a/map.png" in found["images/b/map.png"]
    )


@pytest.mark.parametrize(
    "text",
    [
        '<a title="src=\'{index}">a</a> b \' " href="javascript:alert(1)">c</a>\n',
        "<img alt=\"x src = '{static}/images/a.png\"> y '\n",
        'The UN \' " onmouseover="alert(3)" x="\n\n*[UN]: data=\'{index}\n',
        '[see](https://example.org "action=\'{filename}a.md") and \' "\n',
        "<abbr title=\"href='|attach|a.png'\">x</abbr> and ' \"\n",
        '<a href="https://example.org" title="formaction=\'{index}">x</a> \'\n',
    ],
)
def test_a_link_marker_anywhere_but_a_links_own_value_is_refused(text):
    """Pelican rewrites what its pattern finds in the sanitised HTML; only a link's whole value may be found."""
    clean = allowlist.sanitise(markdown_to_html(text), RESERVED)
    pattern = Page("", metadata={"title": "Case"}, settings=SETTINGS)._get_intrasite_link_regex()
    problems = body_html.stray_link_markers(clean, pattern)
    assert problems and all("link marker" in message for _, message in problems), clean


def test_link_markers_in_links_and_images_pass():
    text = (
        '[Home]({index}) ![A map]({static}/images/a.png "A title") '
        '<a href="{filename}a.md#top" title="src=x">A</a> <q cite="|index|">Q</q>\n'
    )
    clean = allowlist.sanitise(markdown_to_html(text), RESERVED)
    pattern = Page("", metadata={"title": "Case"}, settings=SETTINGS)._get_intrasite_link_regex()
    assert body_html.stray_link_markers(clean, pattern) == []
    assert len(pattern.findall(clean)) == 4


def test_a_file_attached_over_the_sites_share_card_stops_the_build(tmp_path):
    """The site's own card (share-card.png) is an output like any other, foreseen and then found on disk."""
    shutil.copytree(ROOT / "content", tmp_path / "content")
    write_files(
        tmp_path / "content",
        {
            "images/share-card.png": PNG,
            "pages/gallery.md": page(title="Gallery").replace(
                BODY, "![A red square]({attach}../images/share-card.png)\n"
            ),
        },
    )
    done = run_pelican(tmp_path / "site", content=str(tmp_path / "content"), env={"SITEURL": "https://example.org"})
    assert done.returncode == 1
    assert "gallery.md: body: " in done.stderr and "over the site's share card" in done.stderr
    assert (
        not (tmp_path / "site" / "share-card.png").exists()
        or (tmp_path / "site" / "share-card.png").read_bytes() != PNG
    )


def test_every_file_already_written_counts_as_an_output(tmp_path):
    """Whatever writer put a file in the output folder, a static file may not be copied over it."""
    from content_checks import content_checks

    content_checks.forget_written(None)
    (tmp_path / "a" / "b").mkdir(parents=True)
    (tmp_path / "a" / "b" / "card.png").write_bytes(PNG)
    os.link(tmp_path / "a" / "b" / "card.png", tmp_path / "linked.png")
    assert set(content_checks.files_written(tmp_path)) == {"a/b/card.png", "linked.png"}


WRITTEN_PAGE = (
    '<!doctype html><html><body><main><div class="article-body">{body}</div>'
    '<p class="after" id="content">A "quoted" line of the theme.</p></main></body></html>'
)


@pytest.mark.parametrize("text", BROKEN_OPEN.values())
def test_a_tag_broken_open_is_found_in_the_page_as_written(text):
    """Defence in depth: whatever the earlier checks missed shows in the written page's body element."""
    from content_checks import written

    body = as_pelican_writes(allowlist.sanitise(markdown_to_html(text), RESERVED))
    page_html = WRITTEN_PAGE.format(body=body)
    assert written.page_body_problems(page_html, RESERVED) + written.html_problems(page_html, "example.org")


def test_the_body_element_of_a_clean_page_passes():
    from content_checks import written

    body = as_pelican_writes(
        allowlist.sanitise(
            markdown_to_html(
                '[Home]({index}) ![A map]({static}/images/a.png) <abbr title="United Nations">UN</abbr>\n'
            ),
            RESERVED,
        )
    )
    page_html = WRITTEN_PAGE.format(body=body)
    assert (
        written.page_body_problems(page_html, RESERVED) == [] and written.html_problems(page_html, "example.org") == []
    )


@pytest.mark.parametrize("markup", ["<!-- a note -->", "<?php echo 1 ?>", "<!ELEMENT x>"])
def test_a_comment_or_declaration_in_the_body_element_is_found(markup):
    from content_checks import written

    found = written.page_body_problems(WRITTEN_PAGE.format(body=f"<p>Text</p>{markup}"), RESERVED)
    assert found and "expected only the HTML an article may use" in found[0]


@pytest.mark.parametrize(
    ("tag", "shows"),
    [
        ('<img src="https://evil.example/a.png" alt="x">', "another site"),
        ('<img srcset="a.png 1x, //evil.example/b.png 2x" alt="x">', "another site"),
        ('<video poster="https://evil.example/p.png"></video>', "another site"),
        ('<object data="data:text/html,x"></object>', "another site"),
        ('<form action="javascript:alert(1)"></form>', "expected http(s)"),
        ('<button formaction="vbscript:x">b</button>', "expected http(s)"),
        ('<svg><a xlink:href="javascript:alert(1)">x</a></svg>', "expected http(s)"),
        ('<a href="java&#x09;script:alert(1)">x</a>', "expected http(s)"),
        ('<blockquote cite="data:text/html,x">q</blockquote>', "expected http(s)"),
        # Only an icon may be an inline image, and only an image.
        ('<link rel="icon" href="data:text/html,x">', "expected http(s)"),
        ('<link rel="stylesheet" href="data:image/svg+xml,x">', "expected http(s)"),
        ('<a rel="icon" href="data:image/svg+xml,x">x</a>', "expected http(s)"),
        # A browser ends this comment at once and loads the image; Python's html.parser hides it in the comment.
        ('<!--> <img src="https://evil.example/a.png" alt="x"> -->', "another site"),
    ],
)
def test_every_url_a_written_page_carries_stays_on_the_site_where_it_must(tag, shows):
    from content_checks import written

    found = written.html_problems(f"<p>{tag}</p>", "example.org")
    assert found and shows in found[0]


def test_every_url_attribute_is_read_on_any_element_of_a_written_page():
    """The elements looked at are picked by a selector: it must name every attribute that carries a URL."""
    from content_checks import written

    missed = [
        name
        for name in written.LINK_ATTRIBUTES | written.FETCH_ATTRIBUTES
        for markup in (f'<span {name}="javascript:x">x</span>', f'<svg><g {name}="javascript:x"/></svg>')
        if not written.html_problems(f"<p>{markup}</p>", "example.org")
    ]
    assert missed == []


def test_urls_of_the_site_and_links_out_pass_in_a_written_page():
    from content_checks import written

    html = (
        '<a href="https://other.example/x">x</a><a href="mailto:a@example.org">m</a>'
        '<img src="https://example.org/a.png" alt="a"><img srcset="a.png 1x, ../b.png 2x" alt="b">'
        '<link href="../x.css"><link rel="icon" href="data:image/svg+xml,%3Csvg%3E">'
    )
    assert written.html_problems(html, "example.org") == []


def test_a_feed_carries_no_url_that_leaves_the_site_where_it_must():
    from content_checks import written

    feed = (
        '<feed xmlns="http://www.w3.org/2005/Atom"><link href="javascript:x"/><entry>'
        '<content type="html">&lt;img src="https://evil.example/a.png" alt="a"&gt;</content></entry></feed>'
    )
    assert len(written.feed_problems(feed, "example.org")) == 2


def outlines_with(*features):
    data = json.loads((ROOT / "content" / pelicanconf.LOCATOR_MAP_OUTLINES).read_text(encoding="utf-8"))
    data["features"] += [
        {
            "type": "Feature",
            "properties": {"name": name, "role": "neighbour"},
            "geometry": {"type": "Polygon", "coordinates": rings},
        }
        for name, rings in features
    ]
    return data


SPECK = ("Speck", [[[-0.0647, 16.2517], [-0.0247, 16.2517], [-0.0447, 16.2917], [-0.0647, 16.2517]]])


def test_an_outline_the_markers_cover_whole_still_builds(tmp_path):
    """A neighbour smaller than a marker's clearance: its label stays, the build does not crash."""
    shutil.copytree(ROOT / "content", tmp_path / "content")
    (tmp_path / "content" / pelicanconf.LOCATOR_MAP_OUTLINES).write_text(
        json.dumps(outlines_with(SPECK)), encoding="utf-8"
    )
    done = run_pelican(tmp_path / "site", content=str(tmp_path / "content"))
    assert done.returncode == 0, done.stderr[-2000:]


def test_an_outline_geos_cannot_draw_is_one_line_naming_the_feature(tmp_path):
    from locator_map import outline_problems

    data = outlines_with(SPECK, ("Far", [[[1e308, 0], [1e308, 1], [-1e308, 1], [1e308, 0]]]))
    path = tmp_path / "outlines.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    draw = lambda: locator_map.base_map(str(path), 0, locator_map.BOUNDS, 640, 0.7, 26)  # noqa: E731
    [(line, field, message)] = outline_problems(data, draw)
    assert (
        field == f"features, item {len(data['features'])}, geometry"
        and "outline of Far" in message
        and "\n" not in message
    )


def test_outlines_with_too_many_points_are_refused_before_they_are_drawn():
    from locator_map import MAX_OUTLINE_POINTS, outline_problems

    ring = [[-5 + i / MAX_OUTLINE_POINTS, 15 + (i % 2) / 10] for i in range(MAX_OUTLINE_POINTS)]
    data = outlines_with(("Many", [ring + [ring[0]]]))
    [(_, field, message)] = outline_problems(data, lambda: pytest.fail("drawn"))
    assert field == "features" and f"expected at most {MAX_OUTLINE_POINTS:,}" in message
    assert outline_problems(outlines_with(), lambda: None) == []


def test_outlines_are_at_most_a_hundred_features(tmp_path):
    data = outlines_with(*[(f"N{index}", SPECK[1]) for index in range(100)])
    schema = pelicanconf.CONTENT_CHECKS_DATA[pelicanconf.LOCATOR_MAP_OUTLINES]
    path = tmp_path / "many.geojson"
    path.write_text(json.dumps(data), encoding="utf-8")
    problems = problems_in_data_file(path, schema_validator(load_schema(ROOT / schema)), schema)
    assert problems and any("features" in field for _, field, _ in problems), problems


def test_a_name_pelican_ignores_is_refused_not_skipped(tmp_path):
    """Pelican drops every file or folder whose own name matches IGNORE_FILES; the checks name each one."""
    for relative in ("articles/css/a.md", "images/css/a.png", "pages/css", "extra/deep/css/x"):
        (tmp_path / relative).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / relative).write_text("x", encoding="utf-8")
    (tmp_path / "articles" / "css.md").write_text("x", encoding="utf-8")
    found = {path for path, _, message in file_types(tmp_path, pelicanconf.IGNORE_FILES) if "IGNORE_FILES" in message}
    assert found == {"articles/css", "images/css", "pages/css", "extra/deep/css"}


def test_the_published_content_has_no_name_pelican_ignores():
    assert file_types(ROOT / "content", pelicanconf.IGNORE_FILES) == []


@pytest.mark.parametrize(
    "siteurl",
    [
        "http://:80",
        "https://@",
        "https://user@example.org",
        "https://example.org#frag",
        "https://example.org?a=1",
        "https://exa mple.org",
        "https:///etc",
        "https://example.org/n;}location /x{alias /etc/;}",
        "https://example.org/a b",
        "https://example.org/%2e%2e",
        "ftp://example.org",
        "https://-bad.example",
        "https://example.org:99999",
        "https://example.org/news'",
        "example.org",
    ],
)
def test_siteurl_must_be_a_plain_absolute_address(siteurl):
    from content_checks.content_checks import siteurl_problem

    assert siteurl_problem(siteurl)


@pytest.mark.parametrize(
    "siteurl",
    [
        "https://example.org",
        "https://example.org/news",
        "http://localhost:8000",
        "https://news.example.org:8443/a/b-c_d.e~f/",
        "http://127.0.0.1",
    ],
)
def test_plain_absolute_addresses_pass(siteurl):
    from content_checks.content_checks import siteurl_problem

    assert siteurl_problem(siteurl) is None


def test_a_siteurl_path_with_host_file_syntax_writes_nothing(tmp_path):
    done = run_pelican(tmp_path / "site", env={"SITEURL": "https://example.org/n;}location /x{alias /etc/;}"})
    assert done.returncode == 1 and "SITEURL: found the path" in done.stderr and "Traceback" not in done.stderr
    assert not (tmp_path / "site" / "nginx-locations.conf").exists()


# The renders' CPU bound in the tests that spend all of it: the same limit, set
# lower, for a fraction of the suite's CPU time that five seconds a case took.
QUICK_CPU_BOUND = 1


@pytest.mark.parametrize(
    ("text", "shows"),
    [
        ("{% for a in range(100000) %}{% for b in range(100000) %}{% endfor %}{% endfor %}", "of CPU time"),
        ("{% macro a(n) %}{% if n %}{{ a(n - 1) }}{{ a(n - 1) }}{% endif %}{% endmacro %}{{ a(40) }}", "of CPU time"),
        ("{% macro a(n) %}{{ a(n + 1) }}{% endmacro %}{{ a(1) }}", "too deep"),
        ('{{ "x"|center(64**5) }}{{ "x"|center(64**5) }}', "MB to render"),
        ('{{ "%-999999999s"|format("x") }}', "MB to render"),
        ('{{ "%999999999d" % 1 }}', "MB to render"),
        (
            "{{ lipsum(1000000, min=99, max=100) }}",
            "expected a host file of a few lines",
        ),  # time or memory, whichever ends first
        (
            '{% set a = "x" * 100000 %}{% set b = a ~ a ~ a ~ a ~ a ~ a ~ a ~ a %}'
            "{% set c = b ~ b ~ b ~ b ~ b ~ b ~ b ~ b %}{% set d = c ~ c ~ c ~ c ~ c ~ c ~ c ~ c %}"
            "{% set e = d ~ d ~ d ~ d ~ d ~ d ~ d ~ d %}{{ e }}",
            "MB to render",
        ),
        ('{{ ("x" * 100000)|wordwrap(1)|indent(999999999) }}', "MB to render"),
    ],
)
def test_a_template_page_is_bounded_in_time_and_memory_whatever_it_does(text, shows, monkeypatch):
    """No rule on single operations bounds every template: the trial render has a CPU and memory budget."""
    from content_checks.template_pages import render_problems

    if shows != "MB to render":  # a case of the memory bound must reach it before any CPU bound
        monkeypatch.setattr(template_pages, "MAX_RENDER_SECONDS", QUICK_CPU_BOUND)
    problems = render_problems(text, "_headers", {}, {})
    assert [message for _, _, message in problems if shows in message], problems


def test_a_hard_link_is_refused_before_anything_reads_it(tmp_path):
    """A hard link may name any file of the machine (/etc/passwd); git stores none."""
    outside = tmp_path / "outside.txt"
    outside.write_text("secret", encoding="utf-8")
    (tmp_path / "content" / "extra").mkdir(parents=True)
    os.link(outside, tmp_path / "content" / "extra" / "_headers")
    (tmp_path / "content" / "extra" / "plain").write_text("x", encoding="utf-8")
    found = {path: message for path, _, message in file_types(tmp_path / "content")}
    assert list(found) == ["extra/_headers"] and "hard link" in found["extra/_headers"]


@pytest.mark.parametrize(
    "body",
    [
        "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}",
        '{% for i in range(100000) %}{{ "x" * 100000 }}{% endfor %}',
        '{{ "x"|center(300000000) }}',
    ],
    ids=["loops", "text", "filter"],
)
def test_pelicans_own_render_of_a_template_page_is_bounded_whatever_the_trial_saw(body, monkeypatch):
    """The trial render cannot see Pelican's context (SITEURL is "." there), so a
    template may behave only when Pelican renders it: that render is bounded too."""
    monkeypatch.setattr(template_pages, "MAX_RENDER_SECONDS", QUICK_CPU_BOUND)
    sandbox = template_pages.HostFileSandbox()
    hidden = sandbox.from_string("{% if SITEURL == '.' %}" + body + "{% endif %}")
    assert hidden.render(SITEURL="https://example.org") == ""
    with pytest.raises(template_pages.SecurityError, match="expected a host file of a few lines"):
        hidden.render(SITEURL=".")
    assert sandbox.from_string("Header: {{ SITEURL }}").render(SITEURL=".") == "Header: ."
