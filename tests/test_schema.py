"""The front matter schemas: valid JSON Schema, and documented in the README as they are."""

import json
import sys

import pytest
from jsonschema import Draft202012Validator

from conftest import ROOT

sys.path.insert(0, str(ROOT / "plugins"))
from content_checks.front_matter import with_references  # noqa: E402

# Front matter schemas, documented in the README, and those of the data files.
SCHEMAS = sorted((ROOT / "content" / "schema").glob("*.schema.json"))
DATA_SCHEMAS = sorted((ROOT / "content" / "schema" / "data").glob("*.schema.json"))
assert SCHEMAS and DATA_SCHEMAS, "no schemas in content/schema/"


@pytest.mark.parametrize("path", SCHEMAS + DATA_SCHEMAS, ids=[path.relative_to(ROOT).as_posix() for path in SCHEMAS + DATA_SCHEMAS])
def test_schema_is_valid_json_schema(path):
    Draft202012Validator.check_schema(json.loads(path.read_text(encoding="utf-8")))


def test_readme_documents_every_schema():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    documented = {path.name for path in SCHEMAS if f"<!-- generated from content/schema/{path.name} " in readme}
    assert documented == {path.name for path in SCHEMAS}


def test_readme_front_matter_reference_is_the_schema():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert with_references(readme, ROOT) == readme, "the README's front matter reference is stale: run make reference"
