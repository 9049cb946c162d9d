"""The front matter schemas: valid JSON Schema, and documented in docs/front-matter.md as they are."""

import json

import pytest
from jsonschema import Draft202012Validator

from content_checks.front_matter import with_references
from support import ROOT

# Front matter schemas, documented in the README, and those of the data files.
SCHEMAS = sorted((ROOT / "content" / "schema").glob("*.schema.json"))
DATA_SCHEMAS = sorted((ROOT / "content" / "schema" / "data").glob("*.schema.json"))
assert SCHEMAS and DATA_SCHEMAS, "no schemas in content/schema/"
REFERENCE = ROOT / "docs" / "front-matter.md"


@pytest.mark.parametrize("path", SCHEMAS + DATA_SCHEMAS, ids=[path.relative_to(ROOT).as_posix() for path in SCHEMAS + DATA_SCHEMAS])
def test_schema_is_valid_json_schema(path):
    Draft202012Validator.check_schema(json.loads(path.read_text(encoding="utf-8")))


def test_the_reference_documents_every_schema():
    reference = REFERENCE.read_text(encoding="utf-8")
    documented = {path.name for path in SCHEMAS if f"<!-- generated from content/schema/{path.name} " in reference}
    assert documented == {path.name for path in SCHEMAS}


def test_the_reference_is_the_schema():
    reference = REFERENCE.read_text(encoding="utf-8")
    assert with_references(reference, ROOT) == reference, "docs/front-matter.md is stale: run make reference"
