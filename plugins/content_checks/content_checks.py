"""Stop the build on a mistake in the content, with a clear message and no traceback.

The content is checked twice in every build:

1. Before Pelican reads a file (on ``article_generator_init``, which comes
   before any generator reads anything): each article and page is read as written and its front matter checked against the JSON
   Schema for its kind (see ``front_matter.py``), with the file's encoding,
   its YAML, an empty body and a date in the future.
2. Once every article and page is read, before anything is written (on
   ``page_generator_finalized``): slugs and output files used twice, sections
   that are not described, sections and topics that differ only in case or
   spelling, images without alt text, scripts in a body, and ``{filename}``
   links to files that are not there (see ``whole_site.py``).

All the problems found at that point are printed, one a line as
``file:line: field: message``, and the build exits with status 1. They must
be found before Pelican meets them itself: with ``--fatal warnings`` its first
warning ends the build with a traceback and says nothing of the others. Pelican
warnings that these checks replace are silenced with ``LOG_FILTER`` in
pelicanconf.py.

Settings:

- ``CONTENT_CHECKS_SCHEMAS``: ``{"ARTICLE": path, "PAGE": path}``, the JSON
  Schema for the files under ``ARTICLE_PATHS`` and ``PAGE_PATHS``.
- ``CONTENT_CHECKS_SECTIONS``: a YAML file (relative to ``PATH``) whose keys
  are the slugs of the known sections; ``None`` lets any section through.
"""

import datetime
import json
import os
import sys
from pathlib import Path

import yaml
from pelican import signals
from pelican.contents import Article

from . import whole_site
from .front_matter import MARKDOWN_SUFFIXES, problems_in_file, schema_validator


def load_schema(path):
    return json.loads(Path(path).read_text(encoding="utf-8"))


def shown_path(content_root, relative):
    """The file as the editor would type it: relative to the working folder if inside it."""
    path = Path(content_root, relative)
    shorter = os.path.relpath(path)
    return path if shorter.startswith("..") else shorter


def stop_build(content_root, problems):
    """Print every ``(file, line, field, message)`` and end the build with status 1."""
    lines = [
        f"{shown_path(content_root, file)}:{f'{line}:' if line else ''} {field}: {message}"
        for file, line, field, message in sorted(set(problems), key=lambda problem: (problem[0], problem[1] or 0, *problem[2:]))
    ]
    count = f"{len(lines)} problem{'s' if len(lines) != 1 else ''}"
    print(f"\nThe build stopped: {count} in the content.\n" + "\n".join(lines) + "\n", file=sys.stderr)
    raise SystemExit(1)


# -- 1. Each file, before Pelican reads it -------------------------------------------


# Files found without a problem, as (path, modification time, size, schema file,
# its modification time). `make devserver` rebuilds in one process, so a rebuild
# checks only the files that changed. Only clean files are kept: a clean file
# stays clean as time passes, whereas a date in the future may not stay one.
CLEAN_FILES = set()


def file_key(path, schema_path):
    stat, schema_stat = path.stat(), os.stat(schema_path)
    return (str(path), stat.st_mtime_ns, stat.st_size, str(schema_path), schema_stat.st_mtime_ns)


def check_front_matter(generator):
    """Check every article and page against its schema; stop if any is wrong."""
    settings = generator.settings
    now = datetime.datetime.now(datetime.timezone.utc)
    problems = []
    for kind, schema_path in settings.get("CONTENT_CHECKS_SCHEMAS", {}).items():
        validator = schema_validator(load_schema(schema_path))
        for file in sorted(generator.get_files(settings[f"{kind}_PATHS"], exclude=settings[f"{kind}_EXCLUDES"])):
            if not file.endswith(MARKDOWN_SUFFIXES):
                problems.append((file, None, "file", "not Markdown; content is Markdown (.md) with YAML front matter"))
                continue
            path = Path(generator.path, file)
            key = file_key(path, schema_path)
            if key in CLEAN_FILES:
                continue
            found = problems_in_file(path, validator, now)
            if not found:
                CLEAN_FILES.add(key)
            for line, field, message in found:
                problems.append((file, line, field, message))
    if problems:
        stop_build(generator.path, problems)


# -- 2. The whole site, once every article and page is read ------------------------
# On page_generator_finalized: the articles and pages are read, and static files
# (which Pelican reads next, warning about a missing one) are not.


def reserved_outputs(settings, context):
    """{file: what it is} for the pages Pelican writes besides articles and pages."""
    reserved = {
        settings.get(f"{name.upper()}_SAVE_AS", f"{name}.html"): f"the {name} page" for name in settings["DIRECT_TEMPLATES"]
    }
    for category, _ in context.get("categories", ()):
        reserved[category.save_as] = f"the section page of {category.name}"
    tags = context.get("tags", ())
    for tag, _ in tags.items() if isinstance(tags, dict) else tags:
        reserved[tag.save_as] = f"the topic page of {tag.name}"
    # Year, month and day pages: a month's page sits among its articles, so an
    # article with the slug "index" would be written over it.
    for granularity, archives in context.get("period_archives", {}).items():
        for archive in archives:
            period = " ".join(str(part) for part in reversed(archive["period"]))
            reserved[archive["save_as"]] = f"the {granularity} archive of {period}"
    return reserved


def known_sections(settings):
    """(file, slugs) of the sections an article may name, or None to allow any."""
    path = settings.get("CONTENT_CHECKS_SECTIONS")
    if not path:
        return None
    return path, set(yaml.safe_load(Path(settings["PATH"], path).read_text(encoding="utf-8")) or {})


def terms_used(articles):
    """(file, field, name) for every section and topic each article names."""
    for article in articles:
        sections = getattr(article, "categories", None) or [article.category]
        for field, terms in (("categories", sections), ("tags", getattr(article, "tags", []))):
            for term in terms:
                yield article.relative_source_path, field, term.name


def check_site(generator):
    """Run the whole-site checks over every article and page; stop if any fails."""
    settings, context = generator.settings, generator.context
    contents = [content for content in context["generated_content"].values() if content is not None]
    articles = [content for content in contents if isinstance(content, Article)]

    problems = whole_site.duplicate_slugs(articles)
    problems += whole_site.duplicate_outputs(contents, reserved_outputs(settings, context))
    sections = known_sections(settings)
    if sections:
        problems += whole_site.unknown_sections(articles, sections[1], sections[0])
    problems += whole_site.near_duplicate_names(list(terms_used(articles)))
    for content in contents:
        body = whole_site.scan_body(content._content)
        links = whole_site.missing_link_targets(content, body.links, context["generated_content"], settings["INTRASITE_LINK_REGEX"])
        problems += [(content.relative_source_path, "body", message) for message in body.problems + links]

    if problems:
        stop_build(generator.path, [(file, None, field, message) for file, field, message in problems])


def register():
    signals.article_generator_init.connect(check_front_matter)
    signals.page_generator_finalized.connect(check_site)
