"""Where a warehouse build's time goes: reading sql/ (docs, declared tests, build order),
creating the models, COMMENT ON, the search index, the data tests. Rebuilds the database of
an existing warehouse from its own snapshot, `--repeat` times, and prints each phase's median.

    .venv/bin/python bench/build_phases.py WAREHOUSE [--repeat 5]

For a before/after comparison run it from two checkouts over copies of one warehouse,
alternating (`PYTHONPATH=OTHER_CHECKOUT .venv/bin/python bench/build_phases.py COPY`).
"""

from __future__ import annotations

import argparse
import functools
import statistics
import time
from pathlib import Path

from flows.store import storage
from flows.warehouse import build

PHASES = ("load_all", "_create_models", "comment_models", "build_search_index", "run_data_tests")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("warehouse", type=Path)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    seconds: dict[str, list[float]] = {}

    def timed(name, fn):
        @functools.wraps(fn)
        def wrapper(*a, **k):
            started = time.perf_counter()
            try:
                return fn(*a, **k)
            finally:
                seconds.setdefault(name, []).append(time.perf_counter() - started)

        return wrapper

    for name in PHASES:
        if hasattr(build, name):  # an older checkout may lack a phase
            setattr(build, name, timed(name, getattr(build, name)))
    for _ in range(args.repeat):
        started = time.perf_counter()
        result = build.build_warehouse(args.warehouse, storage.load_snapshot(args.warehouse))
        seconds.setdefault("total", []).append(time.perf_counter() - started)
    print(f"{build.__file__}: {result.models} models, {result.data_tests} data tests, median of {args.repeat}")
    for name, values in seconds.items():
        print(f"  {name:20} {statistics.median(values):7.2f} s")


if __name__ == "__main__":
    main()
