"""Keep the theme's compiled templates between builds, as Python keeps .pyc files.

Pelican makes a Jinja environment for each generator, and each compiles every
template it uses. Jinja's ``FileSystemBytecodeCache`` stores the compiled code
and uses it only while the template's source is unchanged (by checksum, not
file time). Its key does not cover the environment's options, which change
what a template compiles to, so the cache lives in a folder named after a
digest of ``JINJA_ENVIRONMENT`` and the Jinja and Python versions. Nothing in
the output depends on whether the cache was warm.

Settings: ``TEMPLATE_CACHE`` (default ``True``); the folder is under
``CACHE_PATH`` (``cache/``, which git ignores and ``make clean`` removes).
"""

import hashlib
import os
import sys

import jinja2
from pelican import signals


def cache_folder(cache_path, environment_options):
    """The folder for templates compiled with ``environment_options``."""
    key = repr((sorted(environment_options.items()), jinja2.__version__, sys.version))
    return os.path.join(cache_path, "templates-" + hashlib.sha256(key.encode("utf-8")).hexdigest()[:16])


def use_bytecode_cache(pelican):
    settings = pelican.settings
    options = settings["JINJA_ENVIRONMENT"]
    if not settings.get("TEMPLATE_CACHE", True) or "bytecode_cache" in options:
        return
    folder = cache_folder(settings["CACHE_PATH"], options)
    os.makedirs(folder, exist_ok=True)
    settings["JINJA_ENVIRONMENT"] = {**options, "bytecode_cache": jinja2.FileSystemBytecodeCache(folder)}


def register():
    signals.initialized.connect(use_bytecode_cache)
