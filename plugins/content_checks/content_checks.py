"""Stop the build on a mistake in the content, with one line per problem and no traceback.

The stages, and the signal each runs on, are in docs/architecture.md ("A build, step by step"):
each file before Pelican reads it, the whole site before anything is written, static files
before they are copied, every page and feed once written. Problems print as
``file:line: field: message`` and the build exits with status 1.

Settings: ``CONTENT_CHECKS_SCHEMAS`` ({"ARTICLE": schema, "PAGE": schema}),
``CONTENT_CHECKS_SECTIONS`` (YAML keyed by the sections' slugs),
``CONTENT_CHECKS_DATA`` ({data file: schema}), ``CONTENT_CHECKS_RESERVED_IDS``,
the map's ``LOCATOR_MAP_POINTS`` (the places an article may name), and Pelican's
``STATIC_PATHS``, ``DATA_FILES_DIR`` and ``TEMPLATE_PAGES``.
"""

import datetime
import functools
import hashlib
import json
import logging
import os
import posixpath
import re
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

import jinja2
import jinja2.meta
from markdown.extensions.toc import slugify as heading_id
from pelican import signals
from pelican.contents import Article
from pelican.utils import slugify
from shared.body_allowlist import sanitise
from shared.checks import data_checked
from shared.dates import DAYS_ALONE, is_day_alone
from shared.places import find_point
from shared.share_cards import card_beside

from . import body as body_html
from . import data_files, files, template_pages, whole_site, written
from .front_matter import (
    MARKDOWN_SUFFIXES,
    PARSED,
    Given,
    as_loaded,
    check_file,
    read_text,
    schema_validator,
    use_parsed,
)


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
        for file, line, field, message in sorted(
            set(problems), key=lambda problem: (problem[0], problem[1] or 0, *problem[2:])
        )
    ]
    count = f"{len(lines)} problem{'s' if len(lines) != 1 else ''}"
    print(f"\nThe build stopped: {count} in the content.\n" + "\n".join(lines) + "\n", file=sys.stderr)
    raise SystemExit(1)


# Files found without a problem, as (path, modification time, size, schema file,
# its modification time). `make devserver` rebuilds in one process, so a rebuild
# checks only the files that changed. Only clean files are kept: a clean file
# stays clean as time passes, whereas a date in the future may not stay one.
CLEAN_FILES = set()


def file_key(path, schema_path):
    stat, schema_stat = path.stat(), os.stat(schema_path)
    return (str(path), stat.st_mtime_ns, stat.st_size, str(schema_path), schema_stat.st_mtime_ns)


def check_data_files(settings):
    """(file, line, field, message) for each problem in the data files the build reads."""
    problems, clean = [], {}
    for file, schema_path in settings.get("CONTENT_CHECKS_DATA", {}).items():
        path = Path(settings["PATH"], file)
        key = file_key(path, schema_path) if path.is_file() else None
        found = (
            []
            if key in CLEAN_FILES
            else data_files.problems_in_data_file(
                path, schema_validator(load_schema(schema_path)), os.path.relpath(schema_path)
            )
        )
        problems += [(file, line, field, message) for line, field, message in found]
        if not found:
            clean[file] = path
            CLEAN_FILES.add(key)
    read = functools.cache(lambda file: data_files.read_data(clean[file]) if file in clean else None)
    for _, found in data_checked.send(settings, read=read):
        problems += found
    return problems


def slug_maker(settings):
    """slug_of(field, text): the slug Pelican makes of a title, section or topic."""
    kinds = {"title": "SLUG", "categories": "CATEGORY", "tags": "TAG"}

    def slug_of(field, text):
        return slugify(
            text,
            regex_subs=settings.get(
                f"{kinds[field]}_REGEX_SUBSTITUTIONS", settings.get("SLUG_REGEX_SUBSTITUTIONS", [])
            ),
            preserve_case=settings.get("SLUGIFY_PRESERVE_CASE", False),
            use_unicode=settings.get("SLUGIFY_USE_UNICODE", False),
        )

    return slug_of


def section_names(settings, slug_of, data_problems):
    """(the sections file as an editor types it, {slug: the name to write}), with the
    file's modification time; None if no file is set or it has problems of its own.
    The name is the section's title, or the short form its title gives in brackets
    ("United Nations (UN)"), whichever gives its slug: what articles write."""
    file = settings.get("CONTENT_CHECKS_SECTIONS")
    if not file or any(problem[0] == file for problem in data_problems):
        return None, None
    path, names = Path(settings["PATH"], file), {}
    for slug, section in data_files.read_data(path).items():
        candidates = [section["title"], *re.findall(r"\(([^()]+)\)", section["title"])]
        names[slug] = next((name for name in candidates if slug_of("categories", name) == slug), slug)
    return (str(shown_path(settings["PATH"], file)), names), path.stat().st_mtime_ns


def with_no_line(problems):
    return [(file, None, field, message) for file, field, message in problems]


def template_page_problems(settings, content_root):
    """(file, line, field, message) for the host files' templates (TEMPLATE_PAGES)."""
    problems = []
    for file in settings.get("TEMPLATE_PAGES", {}):
        if not Path(content_root, file).is_file():
            problems.append((file, None, "file", "missing; TEMPLATE_PAGES in pelicanconf.py names it"))
            continue
        text, problem = read_text(Path(content_root, file))
        found = [problem] if problem else template_pages.template_problems(text, settings["JINJA_ENVIRONMENT"])
        problems += [(file, line, field, message) for line, field, message in found]
    return problems


def place_lookup(settings, problems):
    """place_known(name) for the map's points file, or None if it is not set or has problems of its own."""
    points = settings.get("LOCATOR_MAP_POINTS")
    if not points or any(problem[0] == points for problem in problems):
        return None
    features = data_files.read_data(Path(settings["PATH"], points))["features"]
    return lambda name: find_point(features, name) is not None


def not_markdown(file):
    suffix = os.path.splitext(file)[1]
    hint = f"; write the suffix in lower case, {suffix.lower()}" if suffix.lower() in MARKDOWN_SUFFIXES else ""
    return (file, None, "file", f"not Markdown; content is Markdown (.md) with YAML front matter{hint}")


def content_file_problems(generator, kind, schema_path, given, sections_stamp):
    """(file, line, field, message) for every article (``kind`` ARTICLE) or page, keeping what the reader takes."""
    settings, problems = generator.settings, []
    paths, excludes = settings[f"{kind}_PATHS"], settings[f"{kind}_EXCLUDES"]
    for file in sorted(generator.get_files(paths, exclude=excludes, extensions=False)):
        if not file.endswith(MARKDOWN_SUFFIXES):
            problems.append(not_markdown(file))
            continue
        path = Path(generator.path, file)
        # A file stays clean while the sections it may name stay the same.
        key = (*file_key(path, schema_path), sections_stamp)
        if key in CLEAN_FILES:
            continue
        found, front = check_file(path, given)
        if not found:
            CLEAN_FILES.add(key)
            DAYS_ALONE[os.path.abspath(path)] = is_day_alone(front.data.get("date"))
            PARSED[(os.path.abspath(path), front.text)] = as_loaded(front)
        problems += [(file, line, field, message) for line, field, message in found]
    return problems


def check_files(generator):
    """Check the data files, every article and page, and the links in the content folder; stop if any is wrong."""
    settings, root = generator.settings, generator.path
    PARSED.clear()
    now = datetime.datetime.now(datetime.UTC)
    # Nothing is opened until every entry is known to be a file that can be read.
    problems = files.file_types(root, settings.get("IGNORE_FILES", ()))
    if problems:
        stop_build(root, with_no_line(problems))
    problems = files.static_problems(root, settings.get("STATIC_PATHS", []))
    problems += files.unchecked_data_files(
        root, settings.get("DATA_FILES_DIR", "data"), settings.get("CONTENT_CHECKS_DATA", {})
    )
    problems = with_no_line(problems) + check_data_files(settings) + template_page_problems(settings, root)
    slug_of = slug_maker(settings)
    sections, sections_stamp = section_names(settings, slug_of, problems)
    place_known = place_lookup(settings, problems)
    for kind, schema_path in settings.get("CONTENT_CHECKS_SCHEMAS", {}).items():
        validator = schema_validator(load_schema(schema_path))
        given = Given(validator, now, slug_of, place_known, sections if kind == "ARTICLE" else None)
        problems += content_file_problems(generator, kind, schema_path, given, sections_stamp)
    if problems:
        stop_build(root, problems)


# On page_generator_finalized: the articles and pages are read, and static files
# (which Pelican reads next, warning about a missing one) are not.


def reserved_outputs(settings, context):
    """{file: what it is} for the pages Pelican writes besides articles and pages."""
    reserved = {
        settings.get(f"{name.upper()}_SAVE_AS", f"{name}.html"): f"the {name} page"
        for name in settings["DIRECT_TEMPLATES"]
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


def saved_as(contents):
    """[(source, output file)] of every content: Pelican formats save_as anew on every read, so read it once."""
    return [(content.relative_source_path, content.save_as) for content in contents]


def written_outputs(settings, context, saved):
    outputs = reserved_outputs(settings, context)
    for source, save_as in saved:
        if save_as:
            outputs[save_as] = source
            outputs[card_beside(save_as)] = f"the share card of {source}"
    if context.get("SHARE_CARD"):
        outputs[context["SHARE_CARD"].save_as] = "the site's share card"
    for folder in settings.get("STATIC_PATHS", []):
        for relative, _ in files.files_under(settings["PATH"], folder):
            outputs[relative] = relative
    theme_static = Path(settings["THEME"], "static")
    for path in theme_static.rglob("*"):
        outputs[posixpath.join(settings["THEME_STATIC_DIR"], path.relative_to(theme_static).as_posix())] = (
            "a file of the theme"
        )
    for output in settings.get("TEMPLATE_PAGES", {}).values():
        outputs[output] = f"the host file {output}"
    for name in ("FEED_ALL_ATOM", "SITEMAP_SAVE_AS", "ROBOTS_SAVE_AS"):
        if settings.get(name):
            outputs[settings[name]] = settings[name]
    return outputs


def known_sections(settings):
    """(file, slugs) of the sections an article may name, or None to allow any."""
    path = settings.get("CONTENT_CHECKS_SECTIONS")
    if not path:
        return None
    return path, set(data_files.read_data(Path(settings["PATH"], path)))


def terms_used(articles):
    """(file, field, name, slug) for every section and topic each article names."""
    for article in articles:
        sections = getattr(article, "categories", None) or [article.category]
        for field, terms in (("categories", sections), ("tags", getattr(article, "tags", []))):
            for term in terms:
                yield article.relative_source_path, field, term.name, term.slug


def term_slugs(settings, articles):
    """{link kind: slugs} of the section, topic and author pages the build writes."""
    slugs = {"category": set(), "tag": set(), "author": set()}
    for article in articles:
        slugs["category"] |= {term.slug for term in getattr(article, "categories", None) or [article.category]}
        slugs["tag"] |= {term.slug for term in getattr(article, "tags", [])}
        if settings.get("AUTHOR_SAVE_AS"):
            slugs["author"] |= {author.slug for author in getattr(article, "authors", [])}
    return slugs


def reserved_ids(settings):
    """The element ids of the pages that show a body, and those of CONTENT_CHECKS_RESERVED_IDS.

    Read from the article and page templates and every template they extend,
    include or import, found as Jinja itself finds them.
    """
    folders = [*settings.get("THEME_TEMPLATES_OVERRIDES", []), os.path.join(settings["THEME"], "templates")]
    loader, extensions = jinja2.FileSystemLoader(folders), tuple(settings["JINJA_ENVIRONMENT"].get("extensions", ()))
    # Found by Jinja's own parser, which costs a one-article build a tenth of its time: kept in CACHE_PATH.
    kept = os.path.join(settings["CACHE_PATH"], "referenced-templates.json")
    try:
        known = json.loads(Path(kept).read_text("utf-8"))
    except (OSError, ValueError):
        known = {}  # none yet, or damaged: parsed again
    known = known if isinstance(known, dict) else {}
    texts, waiting, seen, found = [], ["article.html", "page.html"], set(), {}
    while waiting:
        name = waiting.pop()
        if name in seen:
            continue
        seen.add(name)
        text = loader.get_source(jinja2.Environment(), name)[0]
        texts.append(text)
        key = hashlib.sha256(
            repr((text, [f"{e.__module__}.{e.__qualname__}" for e in extensions])).encode()
        ).hexdigest()
        found[key] = known[key] if key in known else referenced_templates(text, extensions)
        waiting += found[key]
    if found != known:
        os.makedirs(settings["CACHE_PATH"], exist_ok=True)
        Path(kept).write_text(json.dumps(found), "utf-8")
    return body_html.reserved_ids(texts, settings.get("CONTENT_CHECKS_RESERVED_IDS", ()))


def template_key(text, extensions):
    names = [f"{extension.__module__}.{extension.__qualname__}" for extension in extensions]
    return hashlib.sha256(repr((text, names)).encode("utf-8")).hexdigest()


def referenced_templates(text, extensions):
    """The templates ``text`` extends, includes or imports."""
    parsed = jinja2.Environment(extensions=extensions).parse(text)
    return [found for found in jinja2.meta.find_referenced_templates(parsed) if found]


def source_line(content, needle):
    """The line of the content's source file where ``needle`` (a regular expression) is first found."""
    text = Path(content.source_path).read_text(encoding="utf-8-sig")
    found = re.search(needle, text, re.IGNORECASE)
    if found:
        return text.count("\n", 0, found.start()) + 1
    # An id that a heading's text gives.
    for number, line in enumerate(text.splitlines(), start=1):
        if line.startswith("#") and re.fullmatch(needle, heading_id(line.strip("# "), "-"), re.IGNORECASE):
            return number
    return None


def name_problems(settings, context, contents, articles, saved):
    """(file, None, field, message) for slugs, output files and section and topic names across the site."""
    max_slug = load_schema(settings["CONTENT_CHECKS_SCHEMAS"]["ARTICLE"])["$defs"]["slug"]["maxLength"]
    terms = list(terms_used(articles))
    titles = [(content.relative_source_path, "title", content.title, content.slug) for content in contents]
    problems = whole_site.slug_problems(terms, max_slug) + whole_site.slug_problems(titles, max_slug)
    problems += whole_site.duplicate_slugs(articles)
    problems += whole_site.duplicate_outputs(saved, reserved_outputs(settings, context))
    problems += whole_site.outside_output(saved)
    return with_no_line(problems + whole_site.near_duplicate_names(terms))


# {body as read: (sanitised body, (needle, message) of its problems, its links)} of the last build, when
# CACHE_CONTENT is on (make devserver); valid while the reserved ids and Pelican's link pattern stay the same.
BODIES = {"key": None, "found": {}}


def scanned_bodies(contents, reserved, settings):
    """{id(content): what ``BODIES`` holds} for every content, each body scanned and sanitised once."""
    link_regex = contents[0]._get_intrasite_link_regex() if contents else None
    key = (frozenset(reserved[0]), tuple(pattern.pattern for pattern in reserved[1]), getattr(link_regex, "pattern", 0))
    last = BODIES["found"] if BODIES["key"] == key else {}
    found = {}
    for content in contents:
        text = content._content
        if text not in found:
            found[text] = last.get(text) or scanned(text, reserved, link_regex)
    if settings.get("CACHE_CONTENT"):
        BODIES["key"], BODIES["found"] = key, found
    return {id(content): found[content._content] for content in contents}


def scanned(text, reserved, link_regex):
    clean = sanitise(text, reserved)
    body = body_html.scan_body(text, reserved)
    return clean, body.problems + body_html.stray_link_markers(clean, link_regex), body.links


def body_problems(content, scan, settings, context, slugs):
    """(problems, attachments) of one body: markup outside the allowlist, stray link markers, missing targets.

    ``scan`` is the body's ``scanned()``: stray markers are looked for where Pelican rewrites the links, in the body
    as the sanitiser leaves it.
    """
    file, link_regex = content.relative_source_path, settings["INTRASITE_LINK_REGEX"]
    _, found, body_links = scan
    problems = [(file, source_line(content, needle), "body", message) for needle, message in found]
    links = whole_site.missing_link_targets(content, body_links, context["generated_content"], link_regex, slugs)
    problems += [(file, None, "body", message) for message in links]
    attachments = [(file, *attached) for attached in whole_site.attached_files(content, body_links, link_regex)]
    return problems, attachments


def rendered_template_problems(generator):
    """(file, line, field, message) for the host files' templates, rendered in their sandbox."""
    sources = {file: read_text(Path(generator.path, file))[0] for file in generator.settings.get("TEMPLATE_PAGES", {})}
    found = template_pages.tried_template_pages(generator, sources)
    return [(file, line, field, message) for file, problems in found.items() for line, field, message in problems]


def check_site(generator):
    """Run the whole-site checks; stop if any fails, else sanitise every body."""
    settings, context = generator.settings, generator.context
    contents = [content for content in context["generated_content"].values() if content is not None]
    articles = [content for content in contents if isinstance(content, Article)]
    reserved = RESERVED[0] = reserved_ids(settings)
    SAVED[:] = saved = saved_as(contents)
    problems = name_problems(settings, context, contents, articles, saved)
    slugs = term_slugs(settings, articles)
    attachments, scans = [], scanned_bodies(contents, reserved, settings)
    for content in contents:
        found, attached = body_problems(content, scans[id(content)], settings, context, slugs)
        problems += found
        attachments += attached
    outputs = written_outputs(settings, context, saved)
    problems += with_no_line(whole_site.attached_over_outputs(attachments, outputs))
    problems += rendered_template_problems(generator)
    if problems:
        stop_build(generator.path, problems)
    # What the checks allow passes unchanged; whatever they missed goes.
    for content in contents:
        content._content = scans[id(content)][0]


# Pelican moves a file linked with {attach} while it writes the page, after its
# own check that no two outputs share a file, and copies static files last: the
# checks above foresee where each lands, and this makes sure before the copy.

WRITTEN = set()
# When this build began (nanoseconds), so that a file of an earlier build left
# in the output folder (make devserver keeps it) is not taken for one of this build.
BUILD_STARTED = [0]


# {written file: the content it shows}.
SOURCES = {}
# saved_as() of every content, once per build: check_site() and the static files' check read it.
SAVED = []
# The ids the theme writes, read once per build by check_site().
RESERVED = [(set(), [])]


def note_written(path, context=None, **_):
    """Record the file, and for an article's or a page's own page, its source."""
    WRITTEN.add(os.path.realpath(path))
    for key in ("article", "page"):
        content = (context or {}).get(key)
        if getattr(content, "source_path", None):
            SOURCES[os.path.realpath(path)] = content.relative_source_path


def forget_written(sender):
    WRITTEN.clear()
    SOURCES.clear()
    SAVED.clear()
    BUILD_STARTED[0] = time.time_ns()


def check_written(pelican):
    """On finalized: every page and feed the build wrote, read back; stop if a URL leaves the site where it may not."""
    host = urlsplit(pelican.settings.get("SITEURL", "")).hostname
    problems = []
    for path in sorted(WRITTEN):
        suffix = os.path.splitext(path)[1]
        if suffix not in (".html", ".xml") or not os.path.isfile(path):
            continue
        with open(path, "rb") as file:
            data = file.read()
        if suffix == ".xml":
            found = written.feed_problems(data, host)
        elif path in SOURCES:
            found = written.page_problems(data.decode("utf-8"), host, RESERVED[0])
        else:
            found = written.html_problems(data.decode("utf-8"), host)
        source = SOURCES.get(path) or path
        problems += [
            (source, None, "page as written", f"{message} (in {os.path.relpath(path, pelican.output_path)})")
            for message in found
        ]
    if problems:
        stop_build(pelican.settings["PATH"], problems)


def files_written(output):
    """{file: what it is} for every file this build has put in ``output`` so far, whoever wrote it.

    Read from the change times on disk, with a second's slack for a coarse clock.
    """
    found = {}
    for folder, _, names in os.walk(output):
        for name in names:
            path = os.path.join(folder, name)
            if os.lstat(path).st_ctime_ns >= BUILD_STARTED[0] - 1_000_000_000:
                found[os.path.relpath(path, output).replace(os.sep, "/")] = "a file the build wrote"
    return found


def no_static_file_over_another(generator, writer):
    """On page_writer_finalized: stop if a static file would be copied over another output."""
    settings, context = generator.settings, generator.context
    output = os.path.realpath(generator.output_path)
    outputs = files_written(output)
    outputs.update(
        {
            os.path.relpath(path, output).replace(os.sep, "/"): "a page Pelican wrote"
            for path in WRITTEN
            if path.startswith(output + os.sep)
        }
    )
    foreseen = {"SHARE_CARD": context.get("SHARE_CARD")}
    outputs.update(written_outputs(settings, foreseen, SAVED))
    static = [(item.relative_source_path, item.save_as) for item in context.get("staticfiles", [])]
    for folder in settings.get("STATIC_PATHS", []):
        for relative, _ in files.files_under(settings["PATH"], folder):
            outputs.pop(relative, None)  # the static files themselves, wherever they land now
    problems = whole_site.static_over_outputs(static, outputs)
    if problems:
        stop_build(generator.path, [(file, None, field, message) for file, field, message in problems])


def file_in_traceback(traceback, content_root):
    """The content file that the innermost frame of ``traceback`` was working on, if any."""
    root = Path(content_root).resolve()
    frames = []
    while traceback is not None:
        frames.append(traceback.tb_frame)
        traceback = traceback.tb_next
    for frame in reversed(frames):
        for value in [*frame.f_locals.values(), frame.f_code.co_filename]:
            try:
                # Any object may be a local, such as Jinja's Undefined, which raises on every attribute.
                path = getattr(value, "source_path", value)
                if isinstance(path, (str, Path)) and 0 < len(str(path)) < 4096:
                    candidate = Path(root, path).resolve()
                    if candidate != root and candidate.is_relative_to(root) and candidate.is_file():
                        return candidate.relative_to(root).as_posix()
            except Exception:  # noqa: BLE001 - the filter must never raise in its turn
                continue
    return None


class OneLineErrors(logging.Filter):
    """Pelican logs an unforeseen error with its traceback: say it in one line, naming the file."""

    def __init__(self, content_root):
        super().__init__()
        self.content_root = content_root

    def filter(self, record):
        if record.levelno >= logging.CRITICAL and record.exc_info and record.exc_info[1] is not None:
            _, error, traceback = record.exc_info
            file = file_in_traceback(traceback, self.content_root)
            where = shown_path(self.content_root, file) if file else "the build"
            record.msg = "%s: %s: %s (pelican --debug shows the traceback)"
            record.args = (where, type(error).__name__, error)
            record.exc_info = record.exc_text = None
        return True


# A host name (labels of letters, digits and inner hyphens) or an IPv4 address,
# and a path of plain segments: the path is written into the host files
# (nginx-locations.conf, .htaccess), where ; { } # or a space would be syntax.
HOST_NAME = re.compile(r"(?!-)[A-Za-z0-9-]{1,63}(?<!-)(\.(?!-)[A-Za-z0-9-]{1,63}(?<!-))*")
SITE_PATH = re.compile(r"(/[A-Za-z0-9._~-]+)*/?")


def is_absolute_http(url, port):
    return url.scheme in ("http", "https") and HOST_NAME.fullmatch(url.hostname or "") is not None and port != 0


def siteurl_problem(siteurl):
    """Why ``siteurl`` is not an absolute http(s) address a host file can name, or None."""
    try:
        url = urlsplit(siteurl)
        port = url.port
    except ValueError as error:
        return f'found "{siteurl}" ({error})'
    if not is_absolute_http(url, port):
        return f'found "{siteurl}"; expected an absolute http(s) address with a host, such as https://example.org/news'
    if "@" in url.netloc or any((url.query, url.fragment, "?" in siteurl, "#" in siteurl)):
        return f'found "{siteurl}"; expected no user name, query (?) or fragment (#)'
    if not SITE_PATH.fullmatch(url.path):
        return (
            f"found the path \"{url.path}\"; expected folders of letters, digits, '.', '-', '_' and '~', such as /news"
        )
    return None


def check_settings(pelican):
    """A published address must be absolute: feeds, canonical links and the sitemap name it."""
    settings = pelican.settings
    siteurl = settings.get("SITEURL", "")
    problem = siteurl_problem(siteurl) if siteurl or settings.get("SITEURL_IS_PUBLIC") else None
    if problem:
        print(f"\nThe build stopped: SITEURL: {problem}\n", file=sys.stderr)
        raise SystemExit(1)


def one_line_errors(pelican):
    """Unless Pelican runs with --debug."""
    logger = logging.getLogger("pelican")
    for old in [known for known in logger.filters if isinstance(known, OneLineErrors)]:
        logger.removeFilter(old)
    if not pelican.settings.get("DEBUG"):
        logger.addFilter(OneLineErrors(pelican.settings["PATH"]))


def read_front_matter_once(pelican):
    """Connected once every plugin has registered, so that it wraps whichever YAML reader they chose."""
    signals.readers_init.connect(use_parsed)


def register():
    signals.initialized.connect(read_front_matter_once)
    signals.initialized.connect(one_line_errors)
    signals.initialized.connect(check_settings)
    signals.generator_init.connect(template_pages.sandbox_template_pages)
    signals.article_generator_init.connect(check_files)
    signals.page_generator_finalized.connect(check_site)
    signals.initialized.connect(forget_written)
    # make devserver builds again in the same process, from article_generator_init on.
    signals.article_generator_init.connect(forget_written)
    signals.content_written.connect(note_written)
    signals.feed_written.connect(note_written)
    signals.page_writer_finalized.connect(no_static_file_over_another)
    signals.finalized.connect(check_written)
