"""Every third-party package that flows/ or transforms/ imports is declared in
pyproject.toml: an undeclared import works on a developer's machine (something else
pulled it in) and breaks a clean install the day that other package drops it."""

import ast
import importlib.metadata
import re
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OWN = {"flows", "transforms"}


def imported_modules(folder: Path) -> dict[str, set[str]]:
    """Top-level module name → files importing it (at the top or inside a function)."""
    found: dict[str, set[str]] = {}
    for path in sorted(folder.rglob("*.py")):  # flows/ is packages: every level
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            else:
                continue
            for name in names:
                found.setdefault(name.split(".")[0], set()).add(path.name)
    return found


def normalize(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def declared() -> set[str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    return {normalize(re.split(r"[\s<>=!~;\[]", spec, maxsplit=1)[0]) for spec in project["dependencies"]}


def test_every_import_of_flows_and_transforms_is_declared():
    distributions = importlib.metadata.packages_distributions()
    deps = declared()
    undeclared = {}
    for folder in OWN:
        for module, files in imported_modules(ROOT / folder).items():
            if module in OWN or module in sys.stdlib_module_names:
                continue
            dists = {normalize(d) for d in distributions.get(module, [module])}
            if not dists & deps:
                undeclared[module] = sorted(files)
    assert undeclared == {}


def test_the_scan_sees_imports_inside_functions():
    # transforms/parse.py imports dateparser inside the function that needs it.
    assert "parse.py" in imported_modules(ROOT / "transforms")["dateparser"]


def test_the_scan_sees_every_package_of_flows():
    # flows/ is split into packages (flows/pipeline, flows/app/dashboard, …): all are scanned.
    assert {"ingest.py", "batches.py"} <= imported_modules(ROOT / "flows")["prefect"]
    assert "page.py" in imported_modules(ROOT / "flows")["streamlit"]


def test_lower_bounds_of_packages_with_known_minimums():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    specs = {normalize(re.split(r"[\s<>=!~;\[]", s, maxsplit=1)[0]): s for s in project["dependencies"]}
    # MinHash(scheme=...) exists from datasketch 2.0 on (transforms/duplicates.py).
    assert specs["datasketch"] == "datasketch>=2.0"
    assert specs["dateparser"].startswith("dateparser>=") and specs["lxml"].startswith("lxml>=")
