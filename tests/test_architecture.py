"""The shape the next engineer relies on: pure cores and rule modules import without Flask, every
module imports on its own (no import cycle that only works in one order), area packages are
empty and each blueprint sits in its area's blueprint.py."""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
TRAINER = ROOT / "trainer"

# Packages whose every module is pure: no Flask, no database, no web layer.
PURE_PACKAGES = ("scoring", "content", "speech")
# Rule modules and helpers outside those packages that must stay pure as well.
PURE_MODULES = (
    "trainer",
    "trainer.config",
    "trainer.ids",
    "trainer.timeutil",
    "trainer.refusals",
    "trainer.spreadsheet",
    "trainer.speech_cases",
    "trainer.auth.passwords",
    "trainer.admin.content_service",
    "trainer.certificates.document",
    "trainer.certificates.numbering",
    "trainer.certificates.render",
    "trainer.certificates.badges",
    "trainer.certificates.bundle",
    "trainer.certificates.signing",
    "trainer.evaluations.compute",
    "trainer.evaluations.policy",
    "trainer.evaluations.periods",
    "trainer.evaluations.lifecycle",
    "trainer.evaluations.charts",
    "trainer.evaluations.texts",
    "trainer.station.chart",
    "trainer.station.checks",
    "trainer.training.answers",
    "trainer.training.schedule",
)
# Packages whose __init__ re-exports names (the pure ones, and the models and the progress
# contract, which are database code); every other area package is a docstring only.
REEXPORTING_PACKAGES = PURE_PACKAGES + ("models", "progress")
WEB_MODULES = ("flask", "flask_sqlalchemy", "sqlalchemy", "trainer.models",
               "trainer.extensions")


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def all_modules() -> list[str]:
    return sorted(module_name(p) for p in TRAINER.rglob("*.py") if "migrations" not in p.parts)


def area_packages() -> list[Path]:
    return sorted(p.parent for p in TRAINER.glob("*/__init__.py") if p.parent.name != "migrations")


def pure_modules() -> list[str]:
    modules = [m for m in all_modules() if m.split(".")[1:2] and m.split(".")[1] in PURE_PACKAGES]
    empty_packages = {module_name(p / "__init__.py") for p in area_packages()
                      if p.name not in REEXPORTING_PACKAGES}
    return sorted(set(modules) | set(PURE_MODULES) | empty_packages)


# Imports one module after another in a fresh interpreter and names, for each, the web modules
# present right after it: the first module that brings one in is the one that imports it.
PROBE = """
import importlib, json, sys
web = %r
found = {}
for name in sys.argv[1:]:
    importlib.import_module(name)
    loaded = sorted(w for w in web if w in sys.modules)
    if loaded:
        found[name] = loaded
        break
print(json.dumps(found))
"""


def test_pure_cores_and_rule_modules_import_without_flask_or_the_database():
    modules = pure_modules()
    assert "trainer.scoring.judge" in modules and "trainer.evaluations.compute" in modules
    result = subprocess.run([sys.executable, "-c", PROBE % (WEB_MODULES,), *modules],
                            capture_output=True, text=True, cwd=ROOT, timeout=300)
    assert result.returncode == 0, result.stderr[-3000:]
    assert json.loads(result.stdout) == {}


def test_the_probe_catches_a_module_that_imports_flask():
    # The test above could pass by never looking: the same probe names a web module.
    result = subprocess.run(
        [sys.executable, "-c", PROBE % (WEB_MODULES,), "trainer.scoring", "trainer.library"],
        capture_output=True, text=True, cwd=ROOT, timeout=300,
    )
    assert "flask" in json.loads(result.stdout)["trainer.library"]


def test_area_packages_are_empty_and_blueprints_live_in_blueprint_py():
    for package in area_packages():
        init = (package / "__init__.py").read_text(encoding="utf-8")
        body = ast.parse(init).body
        if package.name not in REEXPORTING_PACKAGES:
            assert [type(node) for node in body] == [ast.Expr], package  # a docstring only
        assert "Blueprint(" not in init, package
    blueprints = sorted(p.parent.name for p in TRAINER.glob("*/blueprint.py"))
    assert blueprints == ["admin", "auth", "certificates", "core", "evaluations", "practice",
                          "station", "training", "windows"]
    for path in TRAINER.rglob("*.py"):
        if path.name != "blueprint.py":
            assert "Blueprint(" not in path.read_text(encoding="utf-8"), path


@pytest.mark.slow
@pytest.mark.parametrize("module", all_modules())
def test_every_module_imports_on_its_own(module):
    result = subprocess.run([sys.executable, "-c", f"import {module}"], capture_output=True,
                            text=True, cwd=ROOT, timeout=120)
    assert result.returncode == 0, result.stderr[-3000:]


def import_graph() -> dict[str, set[str]]:
    """Module -> the trainer modules it imports, at the top or inside a function."""
    modules = {module_name(p): p for p in TRAINER.rglob("*.py") if "migrations" not in p.parts}

    def owner(name: str) -> str:
        while name and name not in modules:
            name = name.rpartition(".")[0]
        return name

    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        edges = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.level == 0 and (
                    node.module or "").startswith("trainer"):
                for alias in node.names:
                    full = f"{node.module}.{alias.name}"
                    edges.add(full if full in modules else owner(node.module))
            elif isinstance(node, ast.Import):
                edges.update(owner(a.name) for a in node.names if a.name.startswith("trainer"))
        graph[name] = edges - {name, "trainer"}
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected groups of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for other in graph.get(node, ()):
            if other not in index:
                visit(other)
                low[node] = min(low[node], low[other])
            elif other in stack:
                low[node] = min(low[node], index[other])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_no_import_cycles_even_inside_functions():
    graph = import_graph()
    assert "trainer.turns.rules" in graph["trainer.turns.recognition"]
    assert cycles(graph) == []
    # The check finds one when there is one.
    assert cycles({**graph, "trainer.turns.rules": graph["trainer.turns.rules"]
                   | {"trainer.turns.recognition"}})


def test_no_view_module_imports_another_blueprints_view_module():
    graph = import_graph()
    views = {m for m in graph if m.rsplit(".", 1)[-1].startswith(("views", "api", "issuer_views",
                                                                    "content_views"))}
    crossing = {(m, other) for m in views for other in graph[m]
                if other in views and other.split(".")[1] != m.split(".")[1]}
    assert crossing == set()
