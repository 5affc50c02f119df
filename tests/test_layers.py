"""Imports run one way: core < reviews, indexing < recommendations < exports < ui < pages. Every import in
the packages (at the top of a module or inside a function) is read with ``ast``; one that reaches a higher
layer fails, naming the file and line."""

from __future__ import annotations

import ast
from pathlib import Path

from tests.conftest import ROOT

LAYERS = {"core": 0, "reviews": 1, "indexing": 1, "recommendations": 2, "exports": 3, "ui": 4, "pages": 5}


def imported(tree: ast.AST) -> list[tuple[int, str]]:
    """(line, top-level package) of every absolute import in a module."""
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name.split(".")[0]) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.append((node.lineno, node.module.split(".")[0]))
    return found


def wrong_way(root: Path) -> list[str]:
    problems = []
    for package, layer in LAYERS.items():
        for path in sorted((root / package).rglob("*.py")):
            for line, target in imported(ast.parse(path.read_text(encoding="utf-8"), str(path))):
                if LAYERS.get(target, -1) > layer:
                    problems.append(f"{path.relative_to(root)}:{line} imports {target} (a higher layer)")
    return problems


def test_no_package_imports_a_higher_layer():
    assert wrong_way(ROOT) == []


def test_the_check_finds_a_wrong_way_import_inside_a_function(tmp_path):
    for package in LAYERS:
        (tmp_path / package).mkdir()
    (tmp_path / "core" / "fine.py").write_text("import json\nfrom core import db\n")
    (tmp_path / "reviews" / "late.py").write_text("def f():\n    from recommendations.plan import list_actions\n")
    (tmp_path / "ui" / "up.py").write_text("import pages.search\nfrom exports import builders\n")
    assert wrong_way(tmp_path) == [
        "reviews/late.py:2 imports recommendations (a higher layer)",
        "ui/up.py:1 imports pages (a higher layer)",
    ]
