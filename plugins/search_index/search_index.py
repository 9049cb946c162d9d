"""Index the finished site for search with Pagefind, as part of every build.

Pagefind reads the written HTML and adds a static search index and its
JavaScript API under ``<output>/pagefind/``. Running it on Pelican's
``finalized`` signal makes indexing part of every build that uses our
settings: ``make html``, ``make publish``, each rebuild of ``make devserver``
(whose ``--listen`` server speaks HTTP, so search works there too) and the
builds the tests run. The binary comes from the ``pagefind[bin]`` wheel, found
through the installed ``pagefind`` package, never from a fixed path.

What is indexed is decided in the templates: only elements inside
``data-pagefind-body`` (the article), minus ``data-pagefind-ignore`` boxes.
Only article.html marks a body, so Pagefind reads only the files that
``ARTICLE_SAVE_AS`` names (a glob made from it) rather than every page: a
about 15 % less time and memory at 1,000 articles.

Settings:

- ``SEARCH_INDEX_ARGS``: extra Pagefind command-line arguments (default none).
- ``SEARCH_INDEX_REBUILDS``: ``False`` indexes only the first build of a
  process and keeps that index through later rebuilds (it then misses their
  edits until a restart). ``make devserver`` sets it, with
  ``DELETE_OUTPUT_DIRECTORY`` off, to save Pagefind's 2 s on each rebuild of
  a large site. Default ``True``.
"""

import logging
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


def index_site(pelican):
    """Run Pagefind on the output folder; a failure fails the build."""
    bundle = Path(pelican.output_path) / "pagefind"
    if not pelican.settings.get("SEARCH_INDEX_REBUILDS", True) and pelican.output_path in INDEXED and bundle.is_dir():
        logger.info("Pagefind: the search index of the first build is kept (SEARCH_INDEX_REBUILDS is off)")
        return
    executable = get_executable()
    if executable is None:
        raise RuntimeError("Pagefind is not installed: pip install 'pagefind[bin]'")
    glob = article_glob(pelican.settings["ARTICLE_SAVE_AS"])
    command = pagefind_command(executable, pelican.output_path, glob, pelican.settings.get("SEARCH_INDEX_ARGS", ()))
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    log = (result.stdout + result.stderr).strip()
    if result.returncode != 0:
        raise RuntimeError(f"Pagefind failed with exit code {result.returncode}:\n{log}")
    if log:
        logger.warning("Pagefind: %s", log)
    sort_filter_indexes(bundle)
    for name in UNUSED_BUNDLES:
        (bundle / name).unlink(missing_ok=True)
    INDEXED.add(pelican.output_path)


def register():
    signals.finalized.connect(index_site)
