"""The layout the house style asks for, held by the code itself: board papers never reach into
page code, views stay thin, and shared plumbing never depends on a domain app at import time.

These read the source (no database), so a change that breaks a rule fails here with the place
named, rather than in review."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
APPS = ["core", "systems", "maturity", "finance", "performance", "reports"]
MAX_VIEW_LINES = 30
# One interface implemented once per app or per format and called through a registry (the app
# config's demo and bench hooks, an importer's parse, a renderer's render): the same job, so
# the same name.
PROTOCOLS = {"load_demo_data", "bench_pages", "parse", "render"}


def python_files(*folders: str):
    for folder in folders:
        for path in sorted((ROOT / folder).rglob("*.py")):
            if "migrations" not in path.parts:
                yield path


def imported_modules(path: Path) -> list[tuple[int, str]]:
    """Every module a file imports, resolved to its dotted name."""
    package = ".".join(path.relative_to(ROOT).with_suffix("").parts[:-1])
    found = []
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")
                parent = ".".join(parts[: len(parts) - node.level + 1])
                base = f"{parent}.{base}" if base else parent
            found.append((node.lineno, base))
            found += [(node.lineno, f"{base}.{alias.name}") for alias in node.names]
    return found


def test_reports_never_import_a_view():
    """A board paper is built from presenters, queries and rules, never from page code: no
    module of the reports package imports a views module, the project's or Django's (its
    pages live in ics_tracker/board_summary_views.py)."""
    offenders = [
        f"{path.relative_to(ROOT)}:{line} imports {name}"
        for path in python_files("reports")
        for line, name in imported_modules(path)
        if "views" in name.split(".")
    ]
    assert offenders == []


def view_functions(path: Path):
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            yield node


VIEW_FILES = [
    *(f"{app}/views.py" for app in APPS if (ROOT / app / "views.py").exists()),
    "ics_tracker/board_summary_views.py",
]


@pytest.mark.parametrize("name", VIEW_FILES)
def test_views_only_load_call_and_render(name):
    """No view function or method is longer than 30 lines: shaping lives in presenters."""
    path = ROOT / name
    long = [
        f"{name}:{node.lineno} {node.name} is {node.end_lineno - node.lineno + 1} lines"
        for node in view_functions(path)
        if node.end_lineno - node.lineno + 1 > MAX_VIEW_LINES
    ]
    assert long == []


def test_core_imports_no_domain_app_at_module_level():
    """Shared plumbing is imported by the domain apps, never the reverse at import time
    (a lazy import inside a function, for a signal or a model, is allowed)."""
    offenders = []
    for path in python_files("core"):
        tree = ast.parse(path.read_text())
        for node in tree.body:
            if isinstance(node, ast.Import | ast.ImportFrom):
                names = [a.name for a in node.names] if isinstance(node, ast.Import) else []
                module = getattr(node, "module", None) or ""
                for name in [module, *names]:
                    if name.split(".")[0] in set(APPS) - {"core"}:
                        offenders.append(f"{path.relative_to(ROOT)}:{node.lineno} {name}")
    assert offenders == []


def test_no_two_public_functions_share_a_name_across_apps():
    """A name says what a function does: two public top-level functions with one name in
    different modules would be two rules under one word."""
    seen: dict[str, list[str]] = {}
    for path in python_files(*[app for app in APPS if (ROOT / app).exists()]):
        if path.name in {"apps.py", "admin.py", "urls.py", "tasks.py"} or "management" in (
            path.parts
        ):
            continue
        for node in ast.parse(path.read_text()).body:
            if isinstance(node, ast.FunctionDef) and not node.name.startswith("_"):
                if node.name in PROTOCOLS:
                    continue
                seen.setdefault(node.name, []).append(str(path.relative_to(ROOT)))
    shared = {name: places for name, places in seen.items() if len(places) > 1}
    assert shared == {}
