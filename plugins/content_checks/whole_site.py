"""Checks that need every article at once, or an article's rendered body.

Pure helpers on Pelican's content objects; each returns a list of
``(path relative to the content folder, field, message)``.
"""

import posixpath
import re
import unicodedata
from collections import defaultdict
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlparse

# Elements and URL schemes that would run code or pull in another page.
FORBIDDEN_ELEMENTS = {"script", "iframe", "object", "embed", "frame", "frameset", "applet", "base"}
# {category}, {tag}, {index} and {author} links name a page Pelican always writes.
LINK_KINDS = {"filename", "static", "attach"}
ALWAYS_THERE = {"category", "tag", "index", "author"}


# -- Names: sections and topics --------------------------------------------------------


def name_key(name):
    """``Human-Rights`` and ``human rights`` share a key: case, accents and punctuation dropped."""
    decomposed = unicodedata.normalize("NFKD", name)
    return "".join(char for char in decomposed.casefold() if char.isalnum())


def one_edit_apart(a, b):
    """True if ``b`` is ``a`` with one letter added, dropped or changed, or two neighbours swapped."""
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    i = 0
    while i < min(len(a), len(b)) and a[i] == b[i]:
        i += 1
    swapped = a[i : i + 2] == b[i : i + 2][::-1] and a[i + 2 :] == b[i + 2 :]
    return swapped or a[i + 1 :] == b[i + 1 :] or a[i + 1 :] == b[i:] or a[i:] == b[i + 1 :]


def near(a, b, min_typo_length=8):
    """Two different names that are surely meant to be one."""
    key_a, key_b = name_key(a), name_key(b)
    if a == b:
        return False
    # Short names differ by one letter on purpose (Mali, Mari); long ones rarely do.
    typo = min(len(key_a), len(key_b)) >= min_typo_length and one_edit_apart(key_a, key_b)
    return key_a == key_b or typo


def near_duplicate_names(uses):
    """``uses``: [(source_path, field, name)]; a problem for each name near another one."""
    problems = []
    names = sorted({name for _, _, name in uses})
    # Each pair of distinct names is compared once, not once for every use.
    near_names = {name: [other for other in names if near(name, other)] for name in names}
    for source_path, field, name in uses:
        for other in near_names[name]:
            where = sorted({path for path, _, used in uses if used == other})
            problems.append(
                (source_path, field, f"\"{name}\" differs from \"{other}\" (in {', '.join(where)}) only in case or spelling; use one of them")
            )
    return problems


def unknown_sections(articles, known_slugs, data_file):
    problems = []
    for article in articles:
        for category in getattr(article, "categories", None) or [article.category]:
            if category.slug not in known_slugs:
                message = f"\"{category.name}\" is not a section; add it to {data_file} or use one of: {', '.join(sorted(known_slugs))}"
                problems.append((article.relative_source_path, "categories", message))
    return problems


# -- Slugs and output files ------------------------------------------------------------


def duplicate_slugs(articles):
    by_slug = defaultdict(list)
    for article in articles:
        by_slug[article.slug].append(article.relative_source_path)
    return [
        (path, "slug", f"\"{slug}\" is also the slug of {', '.join(other for other in paths if other != path)}")
        for slug, paths in by_slug.items()
        if len(paths) > 1
        for path in paths
    ]


def duplicate_outputs(contents, reserved):
    """Content written to the same file as other content, or as a page Pelican writes itself.

    ``reserved``: {output file: what it is}.
    """
    by_file = defaultdict(list)
    for content in contents:
        if content.save_as:
            by_file[content.save_as].append(content.relative_source_path)
    problems = []
    for save_as, paths in by_file.items():
        for path in paths:
            others = [other for other in paths if other != path] + ([reserved[save_as]] if save_as in reserved else [])
            if others:
                problems.append((path, "slug", f"would be written to {save_as}, as {', '.join(others)} is"))
    return problems


# -- The rendered body -----------------------------------------------------------------


class BodyScanner(HTMLParser):
    """Collects what is wrong in a body's HTML, and the links it makes."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.problems = []
        self.links = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag in FORBIDDEN_ELEMENTS:
            self.problems.append(f"a <{tag}> element; articles carry no scripts, frames or embedded objects")
        if tag == "img" and not (attributes.get("alt") or "").strip():
            src = attributes.get("src") or ""
            self.problems.append(f"image \"{src}\" has no alt text; say what it shows: ![what it shows]({src})")
        for name, value in attributes.items():
            if name.startswith("on"):
                self.problems.append(f"a <{tag}> with an {name} attribute; articles carry no scripts")
            elif name in ("href", "src") and value:
                if urlparse(value.strip()).scheme.lower() not in ("", "http", "https", "mailto"):
                    self.problems.append(f"a link to \"{value}\"; links are http(s), mailto or within the site")
                self.links.append(value)


def scan_body(html):
    scanner = BodyScanner()
    scanner.feed(html or "")
    scanner.close()
    return scanner


def missing_link_targets(content, links, generated_content, link_pattern):
    """``{filename}`` links to no article or page, ``{static}`` links to no file.

    Static files are looked for on disk: Pelican has not copied them yet.
    """
    problems = []
    root = Path(content.settings["PATH"])
    for link in links:
        match = re.match(link_pattern, link)
        if not match:
            continue
        what, target = match.group("what"), link[match.end() :]
        if what in ALWAYS_THERE:
            continue
        if what not in LINK_KINDS:
            problems.append(f"a link \"{link}\"; Pelican knows {{filename}}, {{static}} and {{attach}}")
            continue
        path = unquote(urlparse(target).path)
        path = path[1:] if path.startswith("/") else posixpath.normpath(posixpath.join(content.relative_dir, path))
        exists = (root / path).is_file()
        if what == "filename" and path not in generated_content:
            hint = "; use {static} for a file that is not an article or page" if exists else ""
            problems.append(f"a link \"{link}\" to {path}, which is no article or page{hint}")
        elif what != "filename" and not exists:
            problems.append(f"a link \"{link}\" to {path}, which is not in the content folder")
    return problems
