"""Keep the theme's compiled templates between builds, as Python keeps .pyc files.

Jinja's ``FileSystemBytecodeCache`` checks each template's source by checksum,
but its key leaves out the environment's options, which change what a template
compiles to: hence one folder per digest of ``JINJA_ENVIRONMENT``, Jinja and Python.

Settings: none; the folder is under ``CACHE_PATH``. Leave the plugin out of ``PLUGINS`` to build without it.
"""

import hashlib
import os
import sys

import jinja2
from pelican import signals


def cache_folder(cache_path, environment_options):
    key = repr((sorted(environment_options.items()), jinja2.__version__, sys.version))
    return os.path.join(cache_path, "templates-" + hashlib.sha256(key.encode("utf-8")).hexdigest()[:16])


def use_bytecode_cache(pelican):
    settings = pelican.settings
    options = settings["JINJA_ENVIRONMENT"]
    if "bytecode_cache" in options:
        return
    folder = cache_folder(settings["CACHE_PATH"], options)
    os.makedirs(folder, exist_ok=True)
    settings["JINJA_ENVIRONMENT"] = {**options, "bytecode_cache": jinja2.FileSystemBytecodeCache(folder)}


def register():
    signals.initialized.connect(use_bytecode_cache)
