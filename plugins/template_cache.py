"""Keep the theme's compiled templates between builds, as Python keeps .pyc files.

Jinja's ``FileSystemBytecodeCache`` checks each template's source by checksum,
but its key leaves out what changes what a template compiles to: the environment's
options and the code of its extensions, and which filters and tests take Jinja's context
(``@pass_context`` and the like). Hence one folder per digest of those, Jinja and Python.

Settings: none; the folder is under ``CACHE_PATH``. Leave the plugin out of ``PLUGINS`` to build without it.
"""

import hashlib
import inspect
import os
import sys

import jinja2
from pelican import signals


def passing(functions):
    return sorted((name, str(getattr(function, "jinja_pass_arg", None))) for name, function in functions.items())


def cache_folder(cache_path, environment_options, filters=None, tests=None):
    compiled_against = (passing(jinja2.filters.FILTERS | (filters or {})), passing(jinja2.tests.TESTS | (tests or {})))
    extensions = [
        inspect.getsource(inspect.getmodule(jinja2.utils.import_string(name) if isinstance(name, str) else name))
        for name in environment_options.get("extensions", ())
    ]
    key = repr((sorted(environment_options.items()), extensions, compiled_against, jinja2.__version__, sys.version))
    return os.path.join(cache_path, "templates-" + hashlib.sha256(key.encode("utf-8")).hexdigest()[:16])


def use_bytecode_cache(pelican):
    settings = pelican.settings
    options = settings["JINJA_ENVIRONMENT"]
    if "bytecode_cache" in options:
        return
    folder = cache_folder(settings["CACHE_PATH"], options, settings["JINJA_FILTERS"], settings["JINJA_TESTS"])
    os.makedirs(folder, exist_ok=True)
    settings["JINJA_ENVIRONMENT"] = {**options, "bytecode_cache": jinja2.FileSystemBytecodeCache(folder)}


def register():
    signals.initialized.connect(use_bytecode_cache)
