"""The shape of the code, checked: layers and pure modules are import-linter's (pyproject.toml), the rest is here.

- no import circle between any two of the project's modules (imports inside functions count);
- only the reports.pdf package imports WeasyPrint;
- every model lives in its app's models module or package;
- no module imports another module's private (_underscore) names;
- no package root holds more than 20 modules.
"""

from __future__ import annotations

import ast
from pathlib import Path

import grimp
from django.apps import apps
from django.conf import settings
from django.test import SimpleTestCase

APPS = ("ita", "measures", "reports")
ROOT = Path(settings.BASE_DIR)
MAX_MODULES_PER_PACKAGE = 20


def strongly_connected(graph: dict[str, set[str]]) -> list[set[str]]:
    """Tarjan's components of a directed graph, iteratively (the import graph is a few hundred nodes)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[set[str]] = []
    for start in sorted(graph):
        if start in index:
            continue
        work = [(start, iter(sorted(graph[start])))]
        index[start] = low[start] = len(index)
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is None:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[node])
                if low[node] == index[node]:
                    component = set()
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        component.add(member)
                        if member == node:
                            break
                    found.append(component)
            elif child not in index:
                index[child] = low[child] = len(index)
                stack.append(child)
                on_stack.add(child)
                work.append((child, iter(sorted(graph.get(child, ())))))
            elif child in on_stack:
                low[node] = min(low[node], index[child])
    return found


def project_files() -> list[Path]:
    return [path for app in APPS for path in (ROOT / app).rglob("*.py") if "migrations" not in path.parts]


class ArchitectureTests(SimpleTestCase):
    @classmethod
    def setUpClass(cls) -> None:
        super().setUpClass()
        cls.graph = grimp.build_graph(*APPS, include_external_packages=True, cache_dir=None)

    def test_tarjan_finds_a_circle(self) -> None:
        components = strongly_connected({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}})
        self.assertIn({"a", "b", "c"}, components)
        self.assertIn({"d"}, components)

    def test_no_import_circles_between_modules(self) -> None:
        modules = {m for m in self.graph.modules if m.split(".")[0] in APPS}
        edges = {m: {i for i in self.graph.find_modules_directly_imported_by(m) if i in modules} for m in modules}
        circles = [sorted(c) for c in strongly_connected(edges) if len(c) > 1]
        self.assertEqual(circles, [], "modules that import each other, directly or through others")

    def test_only_the_pdf_package_imports_weasyprint(self) -> None:
        importers = {m for name in ("weasyprint", "pydyf") for m in self.graph.find_modules_that_directly_import(name)}
        outside = sorted(m for m in importers if not m.startswith("reports.pdf."))
        self.assertEqual(outside, [])
        self.assertIn("reports.pdf.render", importers)

    def test_every_model_lives_in_its_apps_models_module(self) -> None:
        for model in apps.get_models():
            label = model._meta.app_label
            if label in APPS:
                module = model.__module__
                self.assertTrue(module == f"{label}.models" or module.startswith(f"{label}.models."), model)

    def test_no_private_names_are_imported_from_other_modules(self) -> None:
        offences = []
        for path in project_files():
            for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
                if isinstance(node, ast.ImportFrom) and node.module and node.module.split(".")[0] in APPS:
                    private = [a.name for a in node.names if a.name.startswith("_") and not a.name.startswith("__")]
                    if private:
                        offences.append(f"{path.relative_to(ROOT)}: {node.module} {private}")
        self.assertEqual(offences, [])

    def test_no_package_root_holds_more_than_twenty_modules(self) -> None:
        packages = {path.parent for path in project_files()}
        crowded = {
            str(package.relative_to(ROOT)): count
            for package in packages
            if (count := len(list(package.glob("*.py")))) > MAX_MODULES_PER_PACKAGE
        }
        self.assertEqual(crowded, {})
