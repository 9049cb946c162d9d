"""The schemas: valid JSON Schema, documented in docs/front-matter.md as they are,
and one for every data file, each of which a template reads."""

import json
from pathlib import Path

import jinja2
import jinja2.nodes
import pytest
from content_checks.front_matter import with_references
from jsonschema import Draft202012Validator
from pelican.plugins.data_files.generator import DataGenerator
from pelican.settings import read_settings
from support import ROOT

# Front matter schemas, documented in the README, and those of the data files.
SCHEMAS = sorted((ROOT / "content" / "schema").glob("*.schema.json"))
DATA_SCHEMAS = sorted((ROOT / "content" / "schema" / "data").glob("*.schema.json"))
assert SCHEMAS and DATA_SCHEMAS, "no schemas in content/schema/"
REFERENCE = ROOT / "docs" / "front-matter.md"


@pytest.mark.parametrize(
    "path", SCHEMAS + DATA_SCHEMAS, ids=[path.relative_to(ROOT).as_posix() for path in SCHEMAS + DATA_SCHEMAS]
)
def test_schema_is_valid_json_schema(path):
    Draft202012Validator.check_schema(json.loads(path.read_text(encoding="utf-8")))


def test_the_reference_documents_every_schema():
    reference = REFERENCE.read_text(encoding="utf-8")
    documented = {path.name for path in SCHEMAS if f"<!-- generated from content/schema/{path.name} " in reference}
    assert documented == {path.name for path in SCHEMAS}


def test_the_reference_is_the_schema():
    reference = REFERENCE.read_text(encoding="utf-8")
    assert with_references(reference, ROOT) == reference, "docs/front-matter.md is stale: run make reference"


SETTINGS = read_settings(str(ROOT / "pelicanconf.py"))
DATA = Path(SETTINGS["PATH"], SETTINGS["DATA_FILES_DIR"])


def data_in_context():
    """The names pelican-data-files gives the templates, as it gives them."""
    context = {}
    DataGenerator(context, SETTINGS, SETTINGS["PATH"], SETTINGS["THEME"], "unused").generate_context()
    return set(context)


class ReadNames(dict):
    """A template context that notes every name read from it."""

    def __init__(self):
        super().__init__()
        self.read = set()

    def get(self, name, default=None):
        self.read.add(name)
        return default

    def __getitem__(self, name):
        self.read.add(name)
        raise KeyError(name)


# What jinja2.pass_context marks a filter with.
PASSES_CONTEXT = jinja2.pass_context(lambda context: None).jinja_pass_arg


def names_templates_read():
    """Every variable a template of the theme or of TEMPLATE_PAGES reads, and
    those the context filters of JINJA_FILTERS read."""
    folders = [Path(SETTINGS["THEME"], "templates"), Path(SETTINGS["PATH"])]
    environment = jinja2.Environment(**SETTINGS["JINJA_ENVIRONMENT"])
    sources = [*folders[0].rglob("*.html"), *(folders[1] / page for page in SETTINGS["TEMPLATE_PAGES"])]
    names = set()
    for path in sources:
        tree = environment.parse(path.read_text(encoding="utf-8"))
        names |= {node.name for node in tree.find_all(jinja2.nodes.Name) if node.ctx == "load"}
    for function in SETTINGS["JINJA_FILTERS"].values():
        if getattr(function, "jinja_pass_arg", None) is PASSES_CONTEXT:
            context = ReadNames()
            function(context, "UN")
            names |= context.read
    return names


def test_every_data_file_is_checked_against_a_schema():
    files = {path.relative_to(SETTINGS["PATH"]).as_posix() for path in DATA.rglob("*") if path.is_file()}
    assert files and files <= set(SETTINGS["CONTENT_CHECKS_DATA"]), files - set(SETTINGS["CONTENT_CHECKS_DATA"])


def test_every_data_file_reaches_a_template_that_reads_it():
    """content/data/ goes into every template's context: a file no template reads belongs elsewhere."""
    loaded, read = data_in_context(), names_templates_read()
    assert "DATA_SECTIONS" in loaded and "DATA_SECTIONS" in read
    assert sorted(loaded - read) == []
