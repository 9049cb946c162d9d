"""On a devserver rebuild, write only the pages and feeds that an edit changed.

A Writer from Pelican's ``get_writer`` signal skips what an edit cannot have
changed: after an edit to only ``OWN_PAGE_FIELDS`` or the body of existing items,
their own pages and the feeds that carry them; otherwise everything. Each build
prints one line saying why. The full rule: docs/architecture.md.

Setting: ``INCREMENTAL_REBUILD`` (default ``False``; devserverconf.py turns it on).
"""

import datetime
import hashlib
import os
from dataclasses import dataclass, field

from pelican import signals
from pelican.contents import Content
from pelican.log import console
from pelican.urlwrappers import URLWrapper
from pelican.utils import FileChangeFilter, sanitised_join
from pelican.writers import Writer
from watchfiles import Change

# Front matter that only the item's own page shows (article.html and its partials).
OWN_PAGE_FIELDS = frozenset(
    {"place", "place_note", "translation_note", "corrections", "editor_notes", "sources", "facts", "timeline", "places"}
)
# What other pages show of an item besides its front matter, computed by Pelican or plugins.
SHOWN_ATTRIBUTES = (
    "title",
    "url",
    "save_as",
    "slug",
    "status",
    "lang",
    "summary",
    "date",
    "modified",
    "category",
    "categories",
    "tags",
    "author",
    "authors",
)


def plain(value):
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    if isinstance(value, (datetime.date, datetime.time)):
        return value.isoformat()
    if isinstance(value, URLWrapper):
        return (type(value).__name__, value.name)
    if isinstance(value, Content):
        return ("content", value.source_path)
    return plain_collection(value)


def plain_collection(value):
    if isinstance(value, dict):
        return tuple(sorted((str(key), plain(item)) for key, item in value.items()))
    if isinstance(value, (set, frozenset)):
        return tuple(sorted((plain(item) for item in value), key=repr))
    if isinstance(value, (list, tuple)):
        return tuple(plain(item) for item in value)
    # A repr naming an object's address differs each build: everything is written, never stale.
    return repr(value)


def shown_elsewhere(item):
    shown = {name: plain(value) for name, value in item.metadata.items() if name not in OWN_PAGE_FIELDS}
    shown.update((name, plain(getattr(item, name, None))) for name in SHOWN_ATTRIBUTES)
    return shown


def own_page_digest(item):
    """A digest of what only ``item``'s own page shows: own-page fields, template and body."""
    # repr() rather than plain(): a field whose repr names an object's address only makes the page be written.
    own = sorted((name, repr(value)) for name, value in item.metadata.items() if name in OWN_PAGE_FIELDS)
    body = item._content or ""
    digest = hashlib.sha256(repr((own, item.template, len(body))).encode("utf-8", "surrogatepass"))
    digest.update(body.encode("utf-8", "surrogatepass"))
    return digest.hexdigest()


def watched_files(settings):
    """{path: (mtime, size)} of the files autoreload watches: an editor's swap file is no change."""
    folders = [settings["PATH"], settings["THEME"], *settings.get("THEME_TEMPLATES_OVERRIDES", [])]
    watched = FileChangeFilter(ignore_file_patterns=settings.get("IGNORE_FILES", []))
    stamps = {}
    for folder in folders:
        for parent, _, names in os.walk(os.path.abspath(folder)):
            for name in names:
                path = os.path.join(parent, name)
                if watched(Change.modified, path):
                    stat = os.stat(path)
                    stamps[path] = (stat.st_mtime_ns, stat.st_size)
    return stamps


@dataclass
class Snapshot:
    output_path: str
    files: dict  # path -> (mtime, size), as the build began
    shown: dict  # source path -> shown_elsewhere()
    digests: dict  # source path -> own_page_digest()
    kinds: dict
    written: frozenset = frozenset()


def take_snapshot(output_path, files, items):
    shown, digests, kinds = {}, {}, {}
    for item in items:
        source = os.path.abspath(item.source_path)
        shown[source] = shown_elsewhere(item)
        digests[source] = own_page_digest(item)
        kinds[source] = type(item).__name__.lower()
    return Snapshot(os.path.abspath(output_path), files, shown, digests, kinds)


def shown_path(path):
    relative = os.path.relpath(path)
    return path if relative.startswith("..") else relative


def listing(paths, limit=3):
    names = sorted(shown_path(path) for path in paths)
    return ", ".join(names[:limit]) + (f" and {len(names) - limit} more" if len(names) > limit else "")


def other_files_changed(last, now):
    changed_files = {
        path for path in last.files.keys() | now.files.keys() if last.files.get(path) != now.files.get(path)
    }
    other_files = changed_files - now.shown.keys() - last.shown.keys()
    return other_files and f"changed: {listing(other_files)}"


def items_added_or_removed(last, now):
    added, removed = now.shown.keys() - last.shown.keys(), last.shown.keys() - now.shown.keys()
    return "; ".join(f"{word}: {listing(paths)}" for word, paths in (("new", added), ("gone", removed)) if paths)


def shown_fields_changed(last, now):
    for source, shown in now.shown.items():
        fields = sorted(
            name for name in shown.keys() | last.shown[source].keys() if shown.get(name) != last.shown[source].get(name)
        )
        if fields:
            return f"{', '.join(fields)} of {shown_path(source)} changed, which other pages show"
    return None


def written_files_missing(last, now):
    missing = [path for path in last.written if not os.path.exists(path)]
    if missing:
        return (
            f"{count(len(missing), 'file')} of the last build missing from the output, such as {shown_path(missing[0])}"
        )
    return None


# In this order: each assumes that the ones before it found nothing.
EVERYTHING_BECAUSE = (other_files_changed, items_added_or_removed, shown_fields_changed, written_files_missing)


def items_to_write(last, now):
    """(sources of the items whose own pages to write, or None for everything; why)."""
    for why in EVERYTHING_BECAUSE:
        if reason := why(last, now):
            return None, reason
    return frozenset(source for source, digest in now.digests.items() if digest != last.digests[source]), None


def count(number, word):
    return f"{number:,} {word}{'' if number == 1 else 's'}"


@dataclass
class Rebuild:
    """What one build writes: everything (``changed`` is None) or the changed items' pages and feeds."""

    changed: frozenset | None
    reason: str | None
    kinds: dict = field(default_factory=dict)  # source path -> "article" or "page"
    kept: frozenset = frozenset()  # files of the last build, still current, not written again
    written: set = field(default_factory=set)
    feeds: set = field(default_factory=set)
    held: list = field(default_factory=list)  # feeds to write once the edited pages are written

    def writes_page(self, item):
        return self.changed is None or (item is not None and os.path.abspath(item.source_path) in self.changed)

    def writes_feed(self, entries):
        return self.changed is None or any(os.path.abspath(entry.source_path) in self.changed for entry in entries)

    def summary(self):
        wrote = f"{count(len(self.written) - len(self.feeds), 'page')} and {count(len(self.feeds), 'feed')}"
        if self.changed is None:
            return f"Incremental rebuild: wrote everything ({wrote}): {self.reason}"
        kinds = [self.kinds[source] for source in self.changed]
        edited = " and ".join(count(kinds.count(kind), kind) for kind in ("article", "page") if kind in kinds)
        if not edited:
            return f"Incremental rebuild: nothing that a page shows changed: wrote {wrote}"
        return f"Incremental rebuild: body-only edit of {edited}: wrote {wrote}"


class SelectiveWriter(Writer):
    rebuild = None

    def write_file(self, name, template, context, *args, **kwargs):
        if self.rebuild.writes_page(kwargs.get("article", kwargs.get("page"))):
            super().write_file(name, template, context, *args, **kwargs)

    def write_feed(self, elements, context, path=None, *args, **kwargs):
        if not self.rebuild.writes_feed(elements[: self.settings["FEED_MAX_ITEMS"]]):
            return None
        if self.rebuild.changed is not None:
            # Pelican writes the feeds before the pages: the edited page is shown sooner if they wait.
            self.rebuild.held.append((elements, context, path, args, kwargs))
            return None
        return self.write_now(elements, context, path, args, kwargs)

    def write_now(self, elements, context, path, args, kwargs):
        if path:
            self.rebuild.feeds.add(sanitised_join(self.output_path, path))
        return super().write_feed(elements, context, path, *args, **kwargs)

    def _open_w(self, filename, encoding, override=False):
        self.rebuild.written.add(filename)
        return super()._open_w(filename, encoding, override)


class Memory:
    """What this process remembers between builds: ``pelican --autoreload`` runs them all in one."""

    def __init__(self):
        self.forget("first build since the settings were read")

    def forget(self, why):
        self.last = None  # the Snapshot of the last finished build
        self.why_not = why
        self.context = None  # of the build under way
        self.files = None
        self.now = None
        self.rebuild = None


MEMORY = Memory()


def enabled(settings):
    return bool(settings.get("INCREMENTAL_REBUILD", False))


def start_afresh(pelican):
    # A new Pelican: the first, or autoreload's after the settings file changed.
    MEMORY.forget("first build since the settings were read")


def note_files_as_build_begins(generator):
    # The first generator made (they share one context) begins the build.
    if enabled(generator.settings) and generator.context is not MEMORY.context:
        MEMORY.context = generator.context
        MEMORY.files = watched_files(generator.settings)


def choose_writer(pelican):
    settings = pelican.settings
    if not enabled(settings):
        return None
    if MEMORY.context is None:
        changed, reason = None, "no record of the files this build read"
    else:
        items = [item for item in MEMORY.context["generated_content"].values() if item is not None]
        MEMORY.now = take_snapshot(pelican.output_path, MEMORY.files, items)
        if settings.get("DELETE_OUTPUT_DIRECTORY"):
            changed, reason = None, "the output folder is emptied before every build (DELETE_OUTPUT_DIRECTORY)"
        elif MEMORY.last is None:
            changed, reason = None, MEMORY.why_not
        elif MEMORY.last.output_path != MEMORY.now.output_path:
            changed, reason = None, "another output folder"
        else:
            changed, reason = items_to_write(MEMORY.last, MEMORY.now)
    kept = MEMORY.last.written if changed is not None else frozenset()
    # The output is about to change: only a build that finishes is remembered.
    MEMORY.last, MEMORY.why_not = None, "the last build did not finish"
    MEMORY.rebuild = Rebuild(changed, reason, kinds=MEMORY.now.kinds if MEMORY.now else {}, kept=kept)
    return type("SelectiveWriter", (SelectiveWriter,), {"rebuild": MEMORY.rebuild})


def write_held_feeds(generator, writer):
    if isinstance(writer, SelectiveWriter):
        held, writer.rebuild.held = writer.rebuild.held, []
        for call in held:
            writer.write_now(*call)


def remember_build(pelican):
    rebuild, now = MEMORY.rebuild, MEMORY.now
    if not enabled(pelican.settings) or rebuild is None:
        return
    console.print(rebuild.summary(), markup=False, highlight=False, soft_wrap=True)
    if now is not None:
        now.written = rebuild.kept | rebuild.written
        MEMORY.last, MEMORY.why_not = now, None
    MEMORY.context = MEMORY.files = MEMORY.now = MEMORY.rebuild = None


def register():
    signals.initialized.connect(start_afresh)
    signals.generator_init.connect(note_files_as_build_begins)
    signals.get_writer.connect(choose_writer)
    signals.article_writer_finalized.connect(write_held_feeds)
    signals.finalized.connect(remember_build)
