"""Index the article pages with Pagefind, in batches merged by the search page (docs/architecture.md#search).

Settings: ``SEARCH_INDEX_BATCH``, ``SEARCH_INDEX_ARGS``; ``SEARCH_INDEX_REBUILDS = False``
(``make devserver``) keeps a process's first index through its rebuilds.
"""

import atexit
import logging
import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

from pagefind.service import get_executable
from pelican import signals

from .stable_order import sort_filter_indexes

logger = logging.getLogger(__name__)

DEFAULT_ARGS = [
    # Result URLs keep their file name (2023/index.html, not 2023/), as every other link does.
    "--keep-index-url",
    # Whatever Pagefind then prints is worth a warning, which --fatal warnings makes a failure.
    "--quiet",
]
# Our search page uses only Pagefind's JavaScript API.
UNUSED_FILES = (
    "pagefind-ui.js",
    "pagefind-ui.css",
    "pagefind-component-ui.js",
    "pagefind-component-ui.css",
    "pagefind-modular-ui.js",
    "pagefind-modular-ui.css",
    "pagefind-highlight.js",
)
# A merged bundle is searched by the main bundle's script and WebAssembly.
MAIN_ONLY = ("pagefind.js", "pagefind-worker.js", "wasm.*.pagefind")


def article_glob(article_save_as):
    """``{date:%Y}/{date:%m}/{slug}.html`` gives ``*/*/*.html``."""
    return re.sub(r"\{[^}]*\}", "*", article_save_as)


def pagefind_command(executable, site, glob, extra_args=(), output=None):
    """The command that indexes ``glob`` in ``site`` into ``output`` (default ``site/pagefind``)."""
    where = ["--output-path", str(output)] if output else []
    return [str(executable), "--site", str(site), "--glob", glob, *where, *DEFAULT_ARGS, *extra_args]


def batches(paths, size):
    """``paths`` (oldest first) cut into {bundle folder: paths}: ``part-1``,
    ``part-2``… of ``size`` each, and the newest, at most ``size``, in ``""``.
    An older part keeps its pages, and its bytes, as articles are added."""
    cuts = list(range(0, len(paths), size)) or [0]
    named = {f"part-{number}": paths[start : start + size] for number, start in enumerate(cuts[:-1], 1)}
    return {**named, "": paths[cuts[-1] :]}


# Output folders indexed by this process, with their parts: `pelican --autoreload` rebuilds in one process.
INDEXED = {}


class Indexing:
    """Pagefind for one build: each batch is indexed as soon as its pages are
    written, one batch at a time (``written`` is called for every file)."""

    def __init__(self, settings, output_path, bundles):
        self.settings = settings
        self.output_path = output_path
        self.paths = bundles
        self.batch_of = {os.path.join(output_path, path): name for name, paths in bundles.items() for path in paths}
        self.left = {name: len(paths) for name, paths in bundles.items()}
        self.ready = [name for name, left in self.left.items() if not left]
        self.running = None  # (bundle name, process, folder of links)
        self.failure = None

    def start(self, name):
        executable = get_executable()
        if executable is None:
            raise RuntimeError("Pagefind is not installed: pip install 'pagefind[bin]'")
        # Pagefind indexes a folder: one of links to this batch's pages, at their paths in the site.
        links = tempfile.mkdtemp(prefix="pagefind-batch-")
        for path in self.paths[name]:
            link = Path(links, path)
            link.parent.mkdir(parents=True, exist_ok=True)
            link.symlink_to(Path(self.output_path, path).resolve())
        bundle = Path(self.output_path, "pagefind", name)
        command = pagefind_command(executable, links, "**/*.html", self.settings.get("SEARCH_INDEX_ARGS", ()), bundle)
        process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        # A build that stops with an error must not leave Pagefind writing.
        atexit.register(process.kill)
        self.running = (name, process, links)

    def wait(self):
        """Wait for the running batch and tidy its bundle."""
        name, process, links = self.running
        self.running = None
        log = process.communicate()[0].strip()
        atexit.unregister(process.kill)
        shutil.rmtree(links)
        if process.returncode != 0:
            # Raised by finish(), not from inside Pelican's writing.
            self.failure = f"Pagefind failed with exit code {process.returncode}:\n{log}"
            return
        if log:
            logger.warning("Pagefind: %s", log)
        bundle = Path(self.output_path, "pagefind", name)
        sort_filter_indexes(bundle)
        for pattern in UNUSED_FILES + (MAIN_ONLY if name else ()):
            for path in bundle.glob(pattern):
                path.unlink()

    def advance(self):
        if self.running is not None and self.running[1].poll() is not None:
            self.wait()
        if self.running is None and self.ready and not self.failure:
            self.start(self.ready.pop(0))

    def written(self, path):
        name = self.batch_of.pop(path, None)
        if name is not None:
            self.left[name] -= 1
            if not self.left[name]:
                self.ready.append(name)
        self.advance()

    def finish(self):
        # Every page is written by now: a batch still waiting lists a page Pelican did not write.
        self.ready += [name for name, left in self.left.items() if left]
        self.advance()
        while self.running is not None:
            self.wait()
            self.advance()
        if self.failure:
            raise RuntimeError(self.failure)
        INDEXED[self.output_path] = list(self.paths)

    def kill(self):
        if self.running is not None:
            self.running[1].kill()
            self.running[1].wait()
            shutil.rmtree(self.running[2], ignore_errors=True)


# The build under way, or None when this build keeps an earlier index.
_indexing = None


def article_pages(generator):
    """Every article page Pelican writes, hidden ones too, where the glob finds it, oldest first."""
    glob = article_glob(generator.settings["ARTICLE_SAVE_AS"])
    pattern = re.compile("[^/]*".join(map(re.escape, glob.split("*"))) + "$")
    pages = sorted(
        (article.date, article.save_as)
        for group in ("translations", "articles", "hidden_translations", "hidden_articles")
        for article in getattr(generator, group)
        if article.save_as and pattern.match(article.save_as)
    )
    return [os.path.normpath(save_as) for _, save_as in pages]


def prepare(generator):
    """Cut the article pages into batches, and tell the search page their bundles."""
    global _indexing
    if _indexing is not None:
        # The previous build of this process (`make devserver`) failed part way.
        _indexing.kill()
    settings, output_path = generator.settings, os.path.normpath(generator.output_path)
    if not settings.get("SEARCH_INDEX_REBUILDS", True) and output_path in INDEXED:
        logger.info("Pagefind: the search index of the first build is kept (SEARCH_INDEX_REBUILDS is off)")
        _indexing = None
        bundles = INDEXED[output_path]
    else:
        paths = article_pages(generator)
        _indexing = Indexing(settings, output_path, batches(paths, settings["SEARCH_INDEX_BATCH"]))
        bundles = list(_indexing.paths)
    # The bundles search.html merges into the main one, newest first: results of equal score keep that order.
    generator.context["SEARCH_INDEX_PARTS"] = [name for name in reversed(bundles) if name]


def article_written(path, context):
    if _indexing is not None:
        _indexing.written(os.path.normpath(path))


def index_site(pelican):
    """Wait for Pagefind and tidy its bundles; a failure fails the build."""
    global _indexing
    indexing, _indexing = _indexing, None
    if indexing is not None:
        indexing.finish()


def register():
    signals.article_generator_finalized.connect(prepare)
    signals.content_written.connect(article_written)
    signals.finalized.connect(index_site)
