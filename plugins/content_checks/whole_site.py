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

from confusable_homoglyphs import utils as confusable_data
from confusable_homoglyphs.categories import aliases_categories
from pelican.utils import slugify

# {filename}, {static} and {attach} name a file; {index} a page always written;
# {category}, {tag} and {author} a page written only if an article names it.
LINK_KINDS = {"filename", "static", "attach"}
ALWAYS_THERE = {"index"}
# Names this long differ by one letter only by mistake (Mali, Mari); shorter ones may not.
MIN_TYPO_LENGTH = 8


def name_key(name):
    """``Human-Rights`` and ``human rights`` share a key: case, accents and punctuation dropped."""
    decomposed = unicodedata.normalize("NFKD", name)
    return "".join(char for char in decomposed.casefold() if char.isalnum())


@functools.cache
def look_alikes():
    """{character: the smallest of the characters UTS #39 confuses it with} (confusable_homoglyphs' data)."""
    parent = {}

    def find(char):
        while parent.get(char, char) != char:
            char = parent[char]
        return char

    # Loaded here and let go: the library's confusables module keeps all 6 MB of it for the whole build.
    for char, entries in confusable_data.load("confusables.json").items():
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
    found = {
        ("case or spelling", name_key(name)),
        ("look-alike letters", skeleton(name)),
        ("slug", slug or slugify(name)),
    }
    return {(why, key) for why, key in found if key}


def typo_keys(key):
    """(key, role) pairs: two names one edit apart (a letter changed, dropped or swapped) share one.

    A dropped letter pairs the longer name with the shorter only (role "short"); digits are never touched.
    """
    letters = {index for index in range(len(key)) if not key[index].isdigit()}
    found = {(("changed", index, key[:index] + key[index + 1 :]), "any") for index in letters}
    found |= {
        (("swapped", index, key[:index] + "".join(sorted(key[index : index + 2])) + key[index + 2 :]), "any")
        for index in letters
        if index + 1 in letters
    }
    found |= {(("dropped", key[:index] + key[index + 1 :]), "long") for index in letters}
    return found | {(("dropped", key), "short")}


def near_pairs(names):
    """{name: (other, why)}: for each name surely meant to be another, the first such other.

    Grouped under shared keys (``names``: {name: slug}), so the work grows with names, not pairs.
    """
    groups = defaultdict(lambda: defaultdict(set))
    for name, slug in names.items():
        for key in keys(name, slug):
            groups[key]["any"].add(name)
        typo_key = name_key(name)
        if len(typo_key) >= MIN_TYPO_LENGTH:
            for key, role in typo_keys(typo_key):
                groups[("typo", key)][role].add(name)
    pairs = {}

    def pair(members, others, why):
        others = sorted(others)
        for name in members:
            other = next((other for other in others[:2] if other != name), None)
            if other is not None and (name not in pairs or other < pairs[name][0]):
                pairs[name] = (other, "case or spelling" if why in ("typo", "slug") else why)

    for (why, _), roles in groups.items():
        pair(roles["any"], roles["any"], why)
        pair(roles["long"], roles["short"], why)
        pair(roles["short"], roles["long"], why)
    return pairs


def near(a, b):
    """Two different names that are surely meant to be one."""
    return near_pairs({a: None, b: None}).get(a, (None,))[0] == b


def near_duplicate_names(uses):
    """``uses``: [(source_path, field, name, slug)]; a problem for each name near another one."""
    paths = defaultdict(set)
    for source_path, _, name, _ in uses:
        paths[name].add(source_path)
    pairs = near_pairs({name: slug for _, _, name, slug in uses})

    @functools.cache
    def where(name):
        found = sorted(paths[name])
        return ", ".join(found[:3]) + (f" and {len(found) - 3} more" if len(found) > 3 else "")

    problems = []
    for source_path, field, name, _ in uses:
        if name in pairs:
            other, why = pairs[name]
            problems.append(
                (
                    source_path,
                    field,
                    f'"{name}" differs from "{other}" (in {where(other)}) only in {why}; use one of them',
                )
            )
        mixed = scripts(name)
        if len(mixed) > 1:
            problems.append(
                (
                    source_path,
                    field,
                    f'"{name}" mixes letters of the {" and ".join(sorted(script.title() for script in mixed))} scripts;'
                    " write it in one",
                )
            )
    return problems


def slug_problems(uses, max_length):
    """Names and titles whose slug is empty or too long to be a file name.

    ``uses``: [(source_path, field, name, slug)].
    """
    problems = []
    for source_path, field, name, slug in uses:
        if not slug:
            problems.append(
                (source_path, field, f'"{name}" gives an empty slug; expected a name with letters or digits')
            )
        elif len(slug) > max_length:
            problems.append(
                (
                    source_path,
                    field,
                    f'"{name[:40]}…" gives a slug of {len(slug)} characters; expected at most {max_length}',
                )
            )
    return problems


def duplicate_slugs(articles):
    by_slug = defaultdict(list)
    for article in articles:
        by_slug[article.slug].append(article.relative_source_path)
    return [
        (path, "slug", f'"{slug}" is also the slug of {", ".join(other for other in paths if other != path)}')
        for slug, paths in by_slug.items()
        if len(paths) > 1
        for path in paths
    ]


def duplicate_outputs(saved, reserved):
    """Content written to the same file as other content, or as a page Pelican writes itself.

    ``saved``: [(source_path, output file)]; ``reserved``: {output file: what it is}.
    """
    by_file = defaultdict(list)
    for source_path, save_as in saved:
        if save_as:
            by_file[save_as].append(source_path)
    problems = []
    for save_as, paths in by_file.items():
        for path in paths:
            others = [other for other in paths if other != path] + ([reserved[save_as]] if save_as in reserved else [])
            if others:
                problems.append((path, "slug", f"would be written to {save_as}, as {', '.join(others)} is"))
    return problems


def inside(root, path):
    """True if ``path`` (relative to ``root``, symlinks followed) is within ``root``."""
    root = Path(root).resolve()
    return Path(root, path).resolve().is_relative_to(root)


def term_link_problem(content, link, what, target, term_slugs):
    """A message for a link to a section, topic or author page that no article makes, or None."""
    subs = content.settings.get(f"{what.upper()}_REGEX_SUBSTITUTIONS", [])
    if slugify(unquote(urlparse(target).path), regex_subs=subs) in term_slugs[what]:
        return None
    kind = {"category": "a section", "tag": "a topic", "author": "an author"}[what]
    known = ", ".join(sorted(term_slugs[what])) or "none"
    return f'a link "{link}" to {kind} page that no article makes; expected one of: {known}'


def file_link_problem(content, link, what, target, generated_content):
    """A message for a link to no article, page or file, or to one outside the content folder, or None."""
    root = Path(content.settings["PATH"])
    path = unquote(urlparse(target).path)
    path = path[1:] if path.startswith("/") else posixpath.normpath(posixpath.join(content.relative_dir, path))
    if not inside(root, path):
        return f'a link "{link}" to {path}, which is outside the content folder'
    exists = (root / path).is_file()
    if what == "filename" and path not in generated_content:
        hint = "; use {static} for a file that is not an article or page" if exists else ""
        return f'a link "{link}" to {path}, which is no article or page{hint}'
    if what != "filename" and not exists:
        return f'a link "{link}" to {path}, which is not in the content folder'
    return None


def link_problem(content, link, link_pattern, generated_content, term_slugs):
    match = re.match(link_pattern, link)
    what = match.group("what") if match else None
    if match is None or what in ALWAYS_THERE:
        return None
    if what in term_slugs:
        return term_link_problem(content, link, what, link[match.end() :], term_slugs)
    if what not in LINK_KINDS:
        return (
            f'a link "{link}"; Pelican knows {{filename}}, {{static}}, {{attach}}, {{category}}, {{tag}} and {{index}}'
        )
    return file_link_problem(content, link, what, link[match.end() :], generated_content)


def missing_link_targets(content, links, generated_content, link_pattern, term_slugs):
    """Links to no article, page, file, section or topic, or to a file outside the content folder.

    ``term_slugs``: {"category", "tag", "author": slugs of the pages written}; static files are looked for on disk.
    """
    found = (link_problem(content, link, link_pattern, generated_content, term_slugs) for link in links)
    return [problem for problem in found if problem]


def attached_files(content, links, link_pattern):
    """(link, static file, output file) for each ``{attach}`` link: where Pelican moves it (``Static.attach_to``)."""
    root = Path(content.settings["PATH"])
    for link in links:
        match = re.match(link_pattern, link)
        if not match or match.group("what") != "attach":
            continue
        path = unquote(urlparse(link[match.end() :]).path)
        path = path[1:] if path.startswith("/") else posixpath.normpath(posixpath.join(content.relative_dir, path))
        if not inside(root, path) or not (root / path).is_file():
            continue  # missing_link_targets() says so
        tail = os.path.relpath(root / path, os.path.dirname(content.source_path))
        if tail.startswith(os.pardir + os.sep):
            tail = os.path.basename(tail)
        yield link, path, posixpath.normpath(posixpath.join(posixpath.dirname(content.save_as), Path(tail).as_posix()))


def attached_over_outputs(attachments, outputs):
    """An attached file that would be written over another output, or over another attached file.

    ``attachments``: [(source_path, link, static file, output file)];
    ``outputs``: {output file: what it is} of everything else the build writes.
    """
    problems, taken = [], dict(outputs)
    by_file = defaultdict(set)
    for _, _, static, output in attachments:
        by_file[static].add(output)
    for source_path, link, static, output in sorted(attachments):
        if len(by_file[static]) > 1:
            problems.append(
                (
                    source_path,
                    "body",
                    f'a link "{link}" attaches {static}, which another page attaches too;'
                    " Pelican moves a file once: use {static} for a file several pages show",
                )
            )
        elif output in taken and taken[output] != static:
            problems.append(
                (
                    source_path,
                    "body",
                    f'a link "{link}" would move {static} to {output}, over {taken[output]};'
                    " rename the file or use {static}",
                )
            )
        else:
            taken[output] = static
    return problems


def static_over_outputs(static_files, outputs):
    """Static files that land on another output, once Pelican has moved the attached ones.

    ``static_files``: [(source path, output file)]; ``outputs``: {output file: what it is}.
    """
    problems, taken = [], dict(outputs)
    for source_path, save_as in sorted(static_files):
        save_as = posixpath.normpath(save_as)
        if save_as in taken:
            problems.append((source_path, "file", f"would be copied to {save_as}, over {taken[save_as]}; rename it"))
        taken[save_as] = source_path
    return problems


def outside_output(saved):
    return [
        (source_path, "slug", f"would be written to {save_as}, outside the output folder")
        for source_path, save_as in saved
        if save_as and (posixpath.isabs(save_as) or ".." in save_as.split("/") or "\\" in save_as)
    ]
