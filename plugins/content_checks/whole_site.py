"""Checks that need every article at once, or an article's rendered body.

Pure helpers on Pelican's content objects; each returns a list of
``(path relative to the content folder, field, message)``.
"""

import functools
import os
import posixpath
import re
import unicodedata
from collections import defaultdict
from pathlib import Path
from urllib.parse import unquote, urlparse

from confusable_homoglyphs import confusables
from confusable_homoglyphs.categories import aliases_categories
from pelican.utils import slugify

# {filename}, {static} and {attach} name a file; {index} a page always written;
# {category}, {tag} and {author} a page written only if an article names it.
LINK_KINDS = {"filename", "static", "attach"}
ALWAYS_THERE = {"index"}
# Names this long differ by one letter only by mistake (Mali, Mari); shorter ones may not.
MIN_TYPO_LENGTH = 8


# -- Names: sections and topics --------------------------------------------------------


def name_key(name):
    """``Human-Rights`` and ``human rights`` share a key: case, accents and punctuation dropped."""
    decomposed = unicodedata.normalize("NFKD", name)
    return "".join(char for char in decomposed.casefold() if char.isalnum())


@functools.cache
def look_alikes():
    """{character: the one that stands for every character it is confused with}.

    From Unicode's confusables data (UTS #39) as confusable_homoglyphs ships it:
    each source character is listed with its prototype and the prototype with
    its sources, so the classes are joined, and the smallest character names each.
    """
    parent = {}

    def find(char):
        while parent.get(char, char) != char:
            char = parent[char]
        return char

    for char, entries in confusables.confusables_data.items():
        for entry in entries:
            if len(char) == 1 and len(entry["c"]) == 1:
                first, second = find(char), find(entry["c"])
                if first != second:
                    parent[max(first, second)] = min(first, second)
    return {char: find(char) for char in parent} | {find(char): find(char) for char in parent}


def skeleton(name):
    """What ``name`` looks like: each character replaced by the one it is confused with."""
    table = look_alikes()
    decomposed = unicodedata.normalize("NFKD", name)
    return "".join(table.get(char, char) for char in decomposed if char.isalnum()).casefold()


@functools.cache
def script_of(char):
    return aliases_categories(char)[0]


def scripts(name):
    """The scripts of the letters in ``name``, such as {"LATIN", "CYRILLIC"}."""
    if name.isascii():
        return {"LATIN"}
    return {script_of(char) for char in name if char.isalpha()} - {"COMMON", "INHERITED"}


def keys(name, slug=None):
    """The keys under which two different names count as one."""
    found = {("case or spelling", name_key(name)), ("look-alike letters", skeleton(name)), ("slug", slug or slugify(name))}
    return {(why, key) for why, key in found if key}


def one_deletions(key):
    """``key`` and every string it gives with one letter dropped.

    Two keys one edit apart (a letter added, dropped or changed, or two
    neighbours swapped) always share one of these, so grouping by them finds
    the candidates in time linear in the number of names. Digits are never
    dropped: Resolution 2100 and Resolution 2101 are two names.
    """
    return {key} | {key[:index] + key[index + 1 :] for index in range(len(key)) if not key[index].isdigit()}


def one_edit_apart(a, b):
    """True if ``b`` is ``a`` with one letter added, dropped or changed, or two neighbours swapped."""
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    i = 0
    while i < min(len(a), len(b)) and a[i] == b[i]:
        i += 1
    swapped = a[i : i + 2] == b[i : i + 2][::-1] and a[i + 2 :] == b[i + 2 :]
    return swapped or a[i + 1 :] == b[i + 1 :] or a[i + 1 :] == b[i:] or a[i:] == b[i + 1 :]


def letters_apart(a, b):
    """One edit apart, and the same digits in the same order."""
    return one_edit_apart(a, b) and [c for c in a if c.isdigit()] == [c for c in b if c.isdigit()]


def near_pairs(names):
    """{name: {other name: why}} for names surely meant to be one; ``names``: {name: slug}."""
    groups = defaultdict(set)
    for name, slug in names.items():
        for key in keys(name, slug):
            groups[key].add(name)
        typo_key = name_key(name)
        if len(typo_key) >= MIN_TYPO_LENGTH:
            for deletion in one_deletions(typo_key):
                groups[("typo", deletion)].add(name)
    pairs = defaultdict(dict)
    for (why, _), members in groups.items():
        if len(members) < 2:
            continue
        for name in members:
            for other in members - {name}:
                if why == "typo" and not letters_apart(name_key(name), name_key(other)):
                    continue
                pairs[name].setdefault(other, "case or spelling" if why in ("typo", "slug") else why)
    return pairs


def near(a, b):
    """Two different names that are surely meant to be one."""
    return b in near_pairs({a: None, b: None}).get(a, {})


def near_duplicate_names(uses):
    """``uses``: [(source_path, field, name, slug)]; a problem for each name near another one."""
    paths = defaultdict(set)
    for source_path, _, name, _ in uses:
        paths[name].add(source_path)
    pairs = near_pairs({name: slug for _, _, name, slug in uses})
    problems = []
    for source_path, field, name, _ in uses:
        for other, why in sorted(pairs.get(name, {}).items()):
            where = ", ".join(sorted(paths[other]))
            problems.append((source_path, field, f"\"{name}\" differs from \"{other}\" (in {where}) only in {why}; use one of them"))
        mixed = scripts(name)
        if len(mixed) > 1:
            problems.append((source_path, field, f"\"{name}\" mixes letters of the {' and '.join(sorted(script.title() for script in mixed))} scripts; write it in one"))
    return problems


def slug_problems(uses, max_length):
    """Names and titles whose slug is empty or too long to be a file name.

    ``uses``: [(source_path, field, name, slug)].
    """
    problems = []
    for source_path, field, name, slug in uses:
        if not slug:
            problems.append((source_path, field, f"\"{name}\" gives an empty slug; expected a name with letters or digits"))
        elif len(slug) > max_length:
            problems.append((source_path, field, f"\"{name[:40]}…\" gives a slug of {len(slug)} characters; expected at most {max_length}"))
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


# -- Links and files --------------------------------------------------------------------


def inside(root, path):
    """True if ``path`` (relative to ``root``, symlinks followed) is within ``root``."""
    root = Path(root).resolve()
    return Path(root, path).resolve().is_relative_to(root)


def missing_link_targets(content, links, generated_content, link_pattern, term_slugs):
    """Links to no article, page, file, section or topic, or to a file outside the content folder.

    ``term_slugs``: {"category": slugs, "tag": slugs, "author": slugs} of the
    pages Pelican writes. Static files are looked for on disk: Pelican has not
    copied them yet.
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
        if what in term_slugs:
            slug = slugify(unquote(urlparse(target).path), regex_subs=content.settings.get(f"{what.upper()}_REGEX_SUBSTITUTIONS", []))
            if slug not in term_slugs[what]:
                kind = {"category": "a section", "tag": "a topic", "author": "an author"}[what]
                problems.append(f"a link \"{link}\" to {kind} page that no article makes; expected one of: {', '.join(sorted(term_slugs[what])) or 'none'}")
            continue
        if what not in LINK_KINDS:
            problems.append(f"a link \"{link}\"; Pelican knows {{filename}}, {{static}}, {{attach}}, {{category}}, {{tag}} and {{index}}")
            continue
        path = unquote(urlparse(target).path)
        path = path[1:] if path.startswith("/") else posixpath.normpath(posixpath.join(content.relative_dir, path))
        if not inside(root, path):
            problems.append(f"a link \"{link}\" to {path}, which is outside the content folder")
            continue
        exists = (root / path).is_file()
        if what == "filename" and path not in generated_content:
            hint = "; use {static} for a file that is not an article or page" if exists else ""
            problems.append(f"a link \"{link}\" to {path}, which is no article or page{hint}")
        elif what != "filename" and not exists:
            problems.append(f"a link \"{link}\" to {path}, which is not in the content folder")
    return problems


def links_out_of_content(root):
    """(path, field, message) for each symbolic link under ``root`` that leads outside it."""
    problems = []
    for folder, folders, files in os.walk(root):
        for name in folders + files:
            path = Path(folder, name)
            if path.is_symlink() and not inside(root, path.relative_to(root)):
                problems.append((path.relative_to(root).as_posix(), "file", f"a symbolic link to {os.readlink(path)}, outside the content folder; copy the file in instead"))
    return problems


def outside_output(contents):
    """Content whose output file would not be inside the output folder."""
    return [
        (content.relative_source_path, "slug", f"would be written to {content.save_as}, outside the output folder")
        for content in contents
        if content.save_as and (posixpath.isabs(content.save_as) or ".." in content.save_as.split("/") or "\\" in content.save_as)
    ]
