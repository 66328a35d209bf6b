"""`wirehouse` without the verification every run makes (issue 18): the baseline of
bench/integrity_check.py. The same code, the same venv, the same process layout; only the
run's `integrity.inspect` is replaced by what a run did before it existed (read the current
snapshot and trust it: no part `stat`, no markers, no database check).

    .venv/bin/python bench/_unverified_cli.py run --input DIR --warehouse DIR
"""

from __future__ import annotations

import sys
from importlib import import_module
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def _first_module(*names: str):
    """The module under its name before or after flows/ became packages."""
    for name in names:
        try:
            return import_module(name)
        except ModuleNotFoundError:
            continue
    raise ModuleNotFoundError(names[0])


integrity = _first_module("flows.store.integrity", "flows.integrity")


def inspect_unverified(warehouse: Path, *, rows: bool = False, deep: bool = False):
    snapshot, _ = integrity._load(warehouse, integrity.SNAPSHOT_FILE)
    return integrity.Health(snapshot=snapshot, source=snapshot)


integrity.inspect = inspect_unverified  # looked up at call time by the plan (flows.manifest.plan_folder)

if __name__ == "__main__":
    sys.argv[0] = "wirehouse"
    sys.exit(_first_module("flows.app.cli", "flows.cli").main())
