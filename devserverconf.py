"""Settings for make devserver: pelicanconf.py plus what only a live preview wants.

Never for a build that is published or tested. Pelican watches only this file
for settings: after an edit to pelicanconf.py, restart make devserver.
"""

import sys

sys.path.append(".")
from pelicanconf import *  # noqa: E402,F403

# Pelican's content cache is keyed on file times, not on settings: stale pages
# after a settings change are a fair price for a preview, never for a build.
LOAD_CONTENT_CACHE = True
CACHE_CONTENT = True
# Pages stay served while a rebuild runs.
DELETE_OUTPUT_DIRECTORY = False
# The first build's search index is kept, not made again on every rebuild:
# search finds an edit only after a restart (plugins/search_index).
SEARCH_INDEX_REBUILDS = False
# After an edit to an article's body, write only that page and the feeds that
# carry it (plugins/incremental_rebuild.py).
INCREMENTAL_REBUILD = True
