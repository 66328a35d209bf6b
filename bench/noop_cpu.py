"""CPU-seconds of `wirehouse run` over an unchanged folder (a no-op), for several checkouts'
code over warehouses each already built, interleaved, median of N: a cold run's benchmark
(bench/cli_cpu.py --noop) gives one no-op sample per cold run, and a no-op's spread is a
tenth of it.

    .venv/bin/python bench/noop_cpu.py CORPUS base=/tmp/base:WAREHOUSE this=/tmp/this:WAREHOUSE [--reps 7]

Each checkout's code comes first on PYTHONPATH, run by this venv's `wirehouse`; the CPU
time is the child's (user + system, `getrusage`). Each run must report "up to date".
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
from pathlib import Path

VENV_WIREHOUSE = Path(__file__).resolve().parent.parent / ".venv" / "bin" / "wirehouse"


def _children_cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("corpus", type=Path)
    parser.add_argument("variants", nargs="+", help="NAME=CODE_ROOT:WAREHOUSE")
    parser.add_argument("--reps", type=int, default=7)
    args = parser.parse_args(argv)
    variants = [v.split("=", 1) for v in args.variants]
    found: dict[str, list[float]] = {name: [] for name, _ in variants}
    for rep in range(args.reps):
        for name, spec in variants if rep % 2 == 0 else list(reversed(variants)):
            root, warehouse = spec.split(":", 1)
            env = {**os.environ, "PYTHONPATH": root}
            env.pop("PREFECT_API_URL", None)
            before = _children_cpu()
            cmd = [str(VENV_WIREHOUSE), "run", "--input", str(args.corpus), "--warehouse", warehouse, "--workers", "2"]
            done = subprocess.run(cmd, env=env, capture_output=True, text=True)
            found[name].append(_children_cpu() - before)
            if done.returncode or "up to date" not in done.stdout.lower():
                raise SystemExit(f"{name}: not a no-op:\n{done.stdout}{done.stderr[-2000:]}")
    result = {n: {"median": round(statistics.median(v), 3), "all": [round(x, 3) for x in v]} for n, v in found.items()}
    print(json.dumps({"cpu_s": result, "load_average": os.getloadavg()}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
