"""Cost of the verification a run makes (issue 18), and of `wirehouse check`.

    git worktree add /tmp/before <commit before the verification>   # or any copy of that code
    .venv/bin/python bench/integrity_check.py /work/shared/corpora/bbc --files 300 --baseline-code /tmp/before

Copies `--files` articles of the corpus (every k-th, across its folders) to a temporary
folder, then with this checkout's code and with the baseline's (PYTHONPATH, same venv): a
cold run into a new warehouse, then `--reps` no-op runs over the unchanged folder. With this checkout also `wirehouse check` and `check --deep` on the
built warehouse. Medians; ratios against the cold run of the same checkout, measured in
the same session. Results: bench/results/integrity_check.json.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import ROOT, VENV_BIN, write_result  # noqa: E402

CPU: list[float] = []


def timed(cmd: list[str], ok=(0,), env: dict | None = None) -> float:
    """Wall seconds of `cmd`; its CPU seconds are appended to CPU."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True, env=env)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    CPU.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    if proc.returncode not in ok:
        sys.exit(f"{' '.join(cmd)} failed ({proc.returncode}): {proc.stderr[-2000:]}")
    return wall


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", type=Path)
    parser.add_argument("--files", type=int, default=400)
    parser.add_argument("--reps", type=int, default=5)
    parser.add_argument("--baseline-code", type=Path, default=None, help="a copy of the code without the verification")
    args = parser.parse_args()
    files = sorted(p for p in args.corpus.rglob("*.txt") if p.name != "README.TXT")
    step = max(1, len(files) // args.files)
    chosen = files[::step][: args.files]
    ours = str(VENV_BIN / "wirehouse")
    with tempfile.TemporaryDirectory(prefix="wh-integrity-") as tmp:
        folder = Path(tmp) / "in"
        for path in chosen:
            dest = folder / path.relative_to(args.corpus)
            dest.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(path, dest)
        result: dict = {"files": len(chosen), "reps": args.reps}
        exe = ours
        for name, code in (("this", ROOT), ("baseline", args.baseline_code)):
            if code is None:
                continue
            wh = Path(tmp) / f"wh-{name}"
            run = [exe, "run", "--input", str(folder), "--warehouse", str(wh)]
            env = {**os.environ, "PYTHONPATH": str(code)}  # the same venv, each checkout's code
            cold = timed(run, env=env)
            cold_cpu = CPU[-1]
            noops = [timed(run, env=env) for _ in range(args.reps)]
            result[name] = {
                "cold_s": round(cold, 2),
                "cold_cpu_s": round(cold_cpu, 2),
                "noop_s": round(statistics.median(noops), 3),
                "noop_cpu_s": round(statistics.median(CPU[-args.reps :]), 3),
                "noop_all_s": [round(n, 3) for n in noops],
            }
            result[name]["noop_over_cold"] = round(result[name]["noop_s"] / cold, 4)
            print(
                f"{name:9s} cold {cold:7.1f}s  no-op median {result[name]['noop_s']:.2f}s ({100 * result[name]['noop_over_cold']:.2f}% of cold), "
                f"CPU cold {cold_cpu:.1f}s, no-op {result[name]['noop_cpu_s']:.2f}s",
                flush=True,
            )
            if name == "this":
                check = [timed([exe, "check", "--warehouse", str(wh)], env=env) for _ in range(args.reps)]
                check_cpu = statistics.median(CPU[-args.reps :])
                deep = [timed([exe, "check", "--deep", "--warehouse", str(wh)], env=env) for _ in range(3)]
                deep_cpu = statistics.median(CPU[-3:])
                parts = sum(1 for _ in (wh / "parquet").rglob("*.parquet"))
                size = sum(p.stat().st_size for p in (wh / "parquet").rglob("*.parquet"))
                result[name].update(
                    check_s=round(statistics.median(check), 3),
                    check_cpu_s=round(check_cpu, 3),
                    check_deep_s=round(statistics.median(deep), 3),
                    check_deep_cpu_s=round(deep_cpu, 3),
                    parts=parts,
                    parquet_mib=round(size / 2**20, 1),
                    database_mib=round((wh / "news.duckdb").stat().st_size / 2**20, 1),
                )
                print(
                    f"{'':9s} check median {result[name]['check_s']:.2f}s (CPU {check_cpu:.2f}s), check --deep {result[name]['check_deep_s']:.2f}s (CPU {deep_cpu:.2f}s) "
                    f"({parts} parts, {result[name]['parquet_mib']} MiB Parquet, {result[name]['database_mib']} MiB database)",
                    flush=True,
                )
        write_result("integrity_check", result)


if __name__ == "__main__":
    main()
