"""No module reaches into another module's private (underscore) names.

A context's actions are the public, permission-checked, event-recording way to change its
state; a helper another module needs is made public, with a name that says what it promises.
"""

from __future__ import annotations

import ast
from pathlib import Path

import frontdoor

SOURCE = Path(frontdoor.__file__).parent


def _is_private(name: str) -> bool:
    return name.startswith("_") and not name.startswith("__")


def _is_module(dotted: str) -> bool:
    path = SOURCE.parent.joinpath(*dotted.split("."))
    return path.with_suffix(".py").exists() or (path / "__init__.py").exists()


def private_names_used_across_modules(path: Path) -> list[str]:
    """`from frontdoor.x import _y`, and `_y` read from an imported frontdoor module."""
    tree = ast.parse(path.read_text(), filename=str(path))
    found: list[str] = []
    modules: dict[str, str] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("frontdoor"):
            for alias in node.names:
                if _is_private(alias.name):
                    found.append(f"{path}:{node.lineno}: from {node.module} import {alias.name}")
                elif _is_module(f"{node.module}.{alias.name}"):
                    modules[alias.asname or alias.name] = f"{node.module}.{alias.name}"
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.startswith("frontdoor"):
                    modules[alias.asname or alias.name.split(".")[0]] = alias.name
    for node in ast.walk(tree):
        if (isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name)
                and node.value.id in modules and _is_private(node.attr)):
            found.append(f"{path}:{node.lineno}: {modules[node.value.id]}.{node.attr}")
    return found


def test_no_module_imports_or_reads_another_modules_private_names():
    found = [hit for path in sorted(SOURCE.rglob("*.py"))
             for hit in private_names_used_across_modules(path)]
    assert found == []


def test_the_check_catches_both_ways_of_reaching_in(tmp_path: Path):
    sample = tmp_path / "sample.py"
    sample.write_text("from frontdoor.cases.actions import _lock\n"
                      "from frontdoor.cases import actions\n"
                      "actions._record(None)\n")
    assert [hit.split(": ", 1)[1] for hit in private_names_used_across_modules(sample)] == [
        "from frontdoor.cases.actions import _lock",
        "frontdoor.cases.actions._record",
    ]
