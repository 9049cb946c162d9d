"""No plugin imports another plugin's module: what two plugins share lives in plugins/shared/."""

import ast

from support import ROOT

PLUGINS = ROOT / "plugins"
SHARED = "shared"


def top_level_names():
    return {
        path.stem if path.is_file() else path.name
        for path in PLUGINS.iterdir()
        if path.suffix == ".py" or path.is_dir()
    }


def imported_modules(tree):
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0:
            yield node.module


def test_no_plugin_imports_another_plugin():
    plugins = top_level_names() - {SHARED, "__pycache__"}
    offenders = []
    for path in sorted(PLUGINS.rglob("*.py")):
        owner = path.relative_to(PLUGINS).parts[0].removesuffix(".py")
        for module in imported_modules(ast.parse(path.read_text(encoding="utf-8"))):
            imported = module.split(".")[0]
            if imported in plugins and imported != owner:
                offenders.append((path.relative_to(ROOT).as_posix(), module))
    assert offenders == []


def test_shared_modules_import_no_plugin_and_register_nothing():
    plugins = top_level_names() - {SHARED, "__pycache__"}
    offenders = []
    for path in sorted((PLUGINS / SHARED).rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        offenders += [(path.name, module) for module in imported_modules(tree) if module.split(".")[0] in plugins]
        offenders += [(path.name, node.name) for node in tree.body if getattr(node, "name", None) == "register"]
    assert offenders == []
