"""The tests' own rules: a test file shares nothing with another test file but
through support.py, in_browser.py or conftest.py's fixtures, and takes bench/'s
figures by importing them, never by parsing a script's source."""

import ast

import pytest
from support import ROOT

TEST_FILES = sorted((ROOT / "tests").glob("*.py"))


def imports(path):
    """(line, top-level module) for every absolute import of a Python file."""
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            yield from ((node.lineno, alias.name.split(".")[0]) for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0:
            yield node.lineno, node.module.split(".")[0]


def importing(paths, wrong):
    return [f"{path.name}:{line}: imports {name}" for path in paths for line, name in imports(path) if wrong(name)]


def a_test_file(name):
    return name.startswith("test_") or name == "conftest"


def test_no_test_file_imports_another():
    assert len(TEST_FILES) > 10
    assert importing(TEST_FILES, a_test_file) == []


def test_no_test_but_this_one_parses_python_source():
    others = [path for path in TEST_FILES if path.name != "test_tests.py"]
    assert importing(others, lambda name: name == "ast") == []


@pytest.mark.parametrize(
    ("source", "found"),
    [
        ("from test_links import references\n", ["case.py:2: imports test_links"]),
        ("import conftest, os\n", ["case.py:2: imports conftest"]),
        ("import test_keyboard.contrast as c\n", ["case.py:2: imports test_keyboard"]),
        ("import testing\nfrom support import ROOT\n", []),
    ],
)
def test_the_rule_sees_an_import_from_a_test_file(tmp_path, source, found):
    (tmp_path / "case.py").write_text("import os\n" + source, encoding="utf-8")
    assert importing([tmp_path / "case.py"], a_test_file) == found
