"""Who may import whom. A plugin imports no other plugin's module: what two
plugins share lives in plugins/shared/, which registers nothing. A test file
shares nothing with another test file but through support.py, in_browser.py or
conftest.py's fixtures, and takes bench/'s figures by importing them, never by
parsing a script's source. Every setting a plugin reads is set by a
settings file, by Pelican, by a data file or by another plugin. And the
plugins explain themselves in at most 15 % of their lines: the design is in
docs/architecture.md."""

import ast
import io
import tokenize

import pytest
from support import ROOT

TEST_FILES = sorted((ROOT / "tests").glob("*.py"))
PLUGINS = ROOT / "plugins"
SHARED = "shared"


def imports(path):
    """(line, top-level module) for every absolute import of a Python file."""
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            yield from ((node.lineno, alias.name.split(".")[0]) for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0:
            yield node.lineno, node.module.split(".")[0]


def where(path, root):
    """A file named by its path under root: two plugins' __init__.py are two files."""
    return path.relative_to(root).as_posix()


def importing(paths, wrong, root):
    return [
        f"{where(path, root)}:{line}: imports {name}" for path in paths for line, name in imports(path) if wrong(name)
    ]


def a_test_file(name):
    return name.startswith("test_") or name == "conftest"


def test_no_test_file_imports_another():
    assert len(TEST_FILES) > 10
    assert importing(TEST_FILES, a_test_file, ROOT / "tests") == []


def test_no_test_but_this_one_parses_python_source():
    others = [path for path in TEST_FILES if path.name != "test_imports.py"]
    assert importing(others, lambda name: name == "ast", ROOT / "tests") == []


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
    assert importing([tmp_path / "case.py"], a_test_file, tmp_path) == found


def plugin_of(path):
    return path.relative_to(PLUGINS).parts[0].removesuffix(".py")


def test_no_plugin_imports_another_plugin():
    files = sorted(PLUGINS.rglob("*.py"))
    plugins = {plugin_of(path) for path in files} - {SHARED}
    assert len(plugins) > 10
    offenders = importing(files, lambda name: name in plugins, PLUGINS)
    own = [
        f"{where(path, PLUGINS)}:{line}: imports {name}"
        for path in files
        for line, name in imports(path)
        if name == plugin_of(path)
    ]
    assert sorted(set(offenders) - set(own)) == []


def test_two_plugins_files_of_one_name_are_told_apart(tmp_path):
    for plugin in ("one", "two"):
        (tmp_path / plugin).mkdir()
        (tmp_path / plugin / "__init__.py").write_text("from one import a\n", encoding="utf-8")
    files = sorted(tmp_path.rglob("*.py"))
    assert importing(files, lambda name: name == "one", tmp_path) == [
        "one/__init__.py:1: imports one",
        "two/__init__.py:1: imports one",
    ]


def test_shared_modules_import_no_plugin_and_register_nothing():
    plugins = {plugin_of(path) for path in PLUGINS.rglob("*.py")} - {SHARED}
    shared = sorted((PLUGINS / SHARED).rglob("*.py"))
    assert importing(shared, lambda name: name in plugins, PLUGINS) == []
    registering = [
        where(path, PLUGINS)
        for path in shared
        if "register" in {getattr(node, "name", None) for node in ast.parse(path.read_text(encoding="utf-8")).body}
    ]
    assert registering == []


SETTINGS_FILES = ("pelicanconf.py", "publishconf.py", "devserverconf.py")
SET_BY_PELICAN_CLI = {"DEBUG"}


def key_of(node):
    """("read" or "write", NAME) where node reads or writes settings["NAME"] or context["NAME"]."""
    if isinstance(node, ast.Subscript):
        holder, key, mode = node.value, node.slice, "write" if isinstance(node.ctx, ast.Store) else "read"
    elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.args:
        holder, key = node.func.value, node.args[0]
        mode = {"get": "read", "setdefault": "write"}.get(node.func.attr)
    else:
        return None
    name = getattr(holder, "attr", getattr(holder, "id", None))
    if mode and name in ("settings", "context") and isinstance(key, ast.Constant) and str(key.value).isupper():
        return mode, key.value
    return None


def setting_keys(paths):
    """(path, line, mode, NAME) for every settings or context key a file reads or writes."""
    for path in paths:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if found := key_of(node):
                yield path, node.lineno, *found


def assigned(path):
    return {
        target.id
        for node in ast.parse(path.read_text(encoding="utf-8")).body
        for target in getattr(node, "targets", [])
        if isinstance(target, ast.Name)
    }


def unset_settings(paths, root):
    from pelican.settings import DEFAULT_CONFIG

    keys = list(setting_keys(paths))
    known = set(DEFAULT_CONFIG) | SET_BY_PELICAN_CLI | {name for *_, mode, name in keys if mode == "write"}
    known |= {name for conf in SETTINGS_FILES for name in assigned(ROOT / conf)}
    known |= {"DATA_" + path.stem.upper() for path in (ROOT / "content" / "data").iterdir()}
    return sorted({f"{where(path, root)}:{line}: reads {name}" for path, line, _, name in keys if name not in known})


def test_every_setting_a_plugin_reads_is_set_or_pelicans_own():
    files = sorted(PLUGINS.rglob("*.py"))
    assert len(list(setting_keys(files))) > 50
    assert unset_settings(files, PLUGINS) == []


def test_the_settings_rule_sees_a_setting_nothing_sets(tmp_path):
    (tmp_path / "case.py").write_text(
        'a = settings.get("NO_SUCH_KNOB", 3)\nb = self.settings["SITEURL"]\ncontext["MADE_HERE"] = 1\n'
        'c = context.get("MADE_HERE")\nd = context["DATA_SECTIONS"]\n',
        encoding="utf-8",
    )
    assert unset_settings([tmp_path / "case.py"], tmp_path) == ["case.py:1: reads NO_SUCH_KNOB"]


def explaining_lines(source):
    """(lines holding a comment or a docstring, non-blank lines) of Python ``source``."""
    lines = source.splitlines()
    tokens = tokenize.generate_tokens(io.StringIO(source).readline)
    found = {token.start[0] for token in tokens if token.type == tokenize.COMMENT}
    for node in ast.walk(ast.parse(source)):
        body = getattr(node, "body", None)
        first = body[0] if isinstance(body, list) and body else None
        if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant) and isinstance(first.value.value, str):
            found.update(range(first.lineno, first.end_lineno + 1))
    return len({number for number in found if lines[number - 1].strip()}), sum(1 for line in lines if line.strip())


def test_plugins_are_at_most_15_percent_comments_and_docstrings():
    counts = [explaining_lines(path.read_text(encoding="utf-8")) for path in PLUGINS.rglob("*.py")]
    explaining, lines = map(sum, zip(*counts, strict=True))
    assert lines > 3000
    assert explaining / lines <= 0.15


def test_comments_and_docstrings_are_counted():
    source = '"""Module."""\n\n# why\nx = 1  # and why\n\n\ndef f():\n    """What."""\n    return x\n'
    assert explaining_lines(source) == (4, 6)
