"""Index the finished site for search with Pagefind, as part of every build.

Pagefind (the binary in the ``pagefind[bin]`` wheel) reads the written HTML
and adds a static index and its JavaScript under ``<output>/pagefind/``. Only
``data-pagefind-body`` (the article) is indexed, so it reads only the files
``ARTICLE_SAVE_AS`` names: about 15 % less time and memory at 1,000 articles.
It starts once the last article page is written and runs beside the rest of
the build, which waits for it on ``finalized`` and fails if it fails; then
``stable_order`` makes its output reproducible.

Settings: ``SEARCH_INDEX_ARGS``, extra Pagefind arguments (default none);
``SEARCH_INDEX_REBUILDS``, default ``True``: ``False`` (``make devserver``)
indexes only a process's first build and keeps that index through rebuilds,
missing their edits until a restart, to save Pagefind's 2 s per rebuild.
"""

import atexit
import logging
import os
import re
import subprocess
from pathlib import Path

from pagefind.service import get_executable
from pelican import signals

from .stable_order import sort_filter_indexes

logger = logging.getLogger(__name__)

DEFAULT_ARGS = [
    # Result URLs keep their file name (2023/index.html, not 2023/), as every
    # other link on the site does.
    "--keep-index-url",
    # Only warnings and errors: whatever Pagefind prints is then worth a
    # warning in Pelican's log, which --fatal warnings turns into a failure.
    "--quiet",
]


# Pagefind also writes three ready-made search interfaces and a highlighter.
# Our search page uses only its JavaScript API, so these ~420 KB go.
UNUSED_BUNDLES = (
    "pagefind-ui.js",
    "pagefind-ui.css",
    "pagefind-component-ui.js",
    "pagefind-component-ui.css",
    "pagefind-modular-ui.js",
    "pagefind-modular-ui.css",
    "pagefind-highlight.js",
)


def article_glob(article_save_as):
    """A Pagefind glob matching every file saved as ``article_save_as``.

    ``{date:%Y}/{date:%m}/{slug}.html`` gives ``*/*/*.html``.
    """
    return re.sub(r"\{[^}]*\}", "*", article_save_as)


def pagefind_command(executable, site, glob, extra_args=()):
    """The command that indexes ``glob`` in ``site`` into ``site/pagefind``."""
    return [str(executable), "--site", str(site), "--glob", glob, *DEFAULT_ARGS, *extra_args]


# Output folders indexed by this process: `pelican --autoreload` rebuilds in one process.
INDEXED = set()


class Indexing:
    """Pagefind for one build: started in the background as soon as the last
    article page is written, so that it indexes while Pelican writes the list
    pages, archives and feeds (on a machine with a second core, most of its
    time is then hidden); finished on ``finalized``.

    Pelican writes article pages first, then period archives; Pagefind reads
    only files the article glob matches, so it waits for both.
    """

    def __init__(self, settings, output_path, article_paths):
        self.settings = settings
        self.output_path = output_path
        self.waiting_for = set(article_paths)
        self.process = None

    def start(self):
        executable = get_executable()
        if executable is None:
            raise RuntimeError("Pagefind is not installed: pip install 'pagefind[bin]'")
        glob = article_glob(self.settings["ARTICLE_SAVE_AS"])
        command = pagefind_command(executable, self.output_path, glob, self.settings.get("SEARCH_INDEX_ARGS", ()))
        self.process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        # A build that stops with an error must not leave Pagefind writing.
        atexit.register(self.process.kill)

    def written(self, path):
        self.waiting_for.discard(os.path.normpath(path))
        if not self.waiting_for and self.process is None:
            self.start()

    def finish(self):
        if self.process is None:
            self.start()
        log = self.process.communicate()[0].strip()
        atexit.unregister(self.process.kill)
        if self.process.returncode != 0:
            raise RuntimeError(f"Pagefind failed with exit code {self.process.returncode}:\n{log}")
        if log:
            logger.warning("Pagefind: %s", log)
        bundle = Path(self.output_path) / "pagefind"
        sort_filter_indexes(bundle)
        for name in UNUSED_BUNDLES:
            (bundle / name).unlink(missing_ok=True)
        INDEXED.add(self.output_path)


# The build under way, or None when this build keeps an earlier index.
_indexing = None


def prepare(generator):
    """Note which files Pagefind needs before it can start."""
    global _indexing
    if _indexing is not None and _indexing.process is not None:
        # The previous build of this process (`make devserver`) failed part way.
        _indexing.process.kill()
        _indexing.process.wait()
    output_path = generator.output_path
    bundle = Path(output_path) / "pagefind"
    if not generator.settings.get("SEARCH_INDEX_REBUILDS", True) and output_path in INDEXED and bundle.is_dir():
        logger.info("Pagefind: the search index of the first build is kept (SEARCH_INDEX_REBUILDS is off)")
        _indexing = None
        return
    # Every article page Pelican writes before the list pages, hidden ones too.
    written_first = [
        *generator.translations,
        *generator.articles,
        *generator.hidden_translations,
        *generator.hidden_articles,
    ]
    article_paths = [
        os.path.normpath(os.path.join(output_path, article.save_as)) for article in written_first if article.save_as
    ]
    # Period archives are written next; one that the glob matches (a month's
    # index.html beside its articles) must be whole before Pagefind reads it.
    pattern = re.compile(
        "[^/]*".join(map(re.escape, article_glob(generator.settings["ARTICLE_SAVE_AS"]).split("*"))) + "$"
    )
    archive_paths = {
        save_as.format(date=article.date)
        for key in ("YEAR_ARCHIVE_SAVE_AS", "MONTH_ARCHIVE_SAVE_AS", "DAY_ARCHIVE_SAVE_AS")
        if (save_as := generator.settings.get(key))
        for article in generator.articles
    }
    article_paths += [
        os.path.normpath(os.path.join(output_path, path)) for path in archive_paths if pattern.match(path)
    ]
    _indexing = Indexing(generator.settings, output_path, article_paths)


def article_written(path, context):
    if _indexing is not None:
        _indexing.written(path)


def index_site(pelican):
    """Wait for Pagefind and tidy its bundle; a failure fails the build."""
    global _indexing
    indexing, _indexing = _indexing, None
    if indexing is not None:
        indexing.finish()


def register():
    signals.article_generator_finalized.connect(prepare)
    signals.content_written.connect(article_written)
    signals.finalized.connect(index_site)
