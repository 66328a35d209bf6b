"""Cost of the verification a run makes (issue 18), and of `wirehouse check`, at corpus scale.

    .venv/bin/python bench/integrity_check.py /work/shared/corpora/bbc            # every file
    .venv/bin/python bench/integrity_check.py /work/shared/corpora/bbc --files 300

Copies the corpus's files (all, or every k-th up to `--files`) to a temporary folder, then,
in one session and on the same venv and code:

- `this`: `wirehouse run` cold into a new warehouse, then `--reps` no-op runs;
- `baseline`: the same with bench/_unverified_cli.py, i.e. this code without the run's
  verification (the snapshot is trusted as read): its no-ops over the same warehouse,
  interleaved with this code's so that load drifts hit both alike (`--baseline-cold`: also
  its own cold run into its own warehouse);
- `check`, `check --deep` on this code's warehouse, against a floor measured alongside:
  `wirehouse check --help` (the interpreter, the CLI's imports, nothing read);
- the verification alone, in process: `integrity.inspect` (what a run checks), and
  `integrity.check` with and without `deep`, CPU and wall, without the interpreter's start.

Medians. CPU seconds are the process tree's (`getrusage` of the reaped children). Targets
(issue 18): check <= 2 s, check --deep <= 30 s, no-op <= 2% of the cold run.
Results: bench/results/integrity_check.json.
"""

from __future__ import annotations

import argparse
import json
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
from _common import ROOT, VENV_BIN, corpus_files, write_result  # noqa: E402

WIREHOUSE = [str(VENV_BIN / "wirehouse")]
UNVERIFIED = [sys.executable, str(ROOT / "bench" / "_unverified_cli.py")]

# Run inside a fresh interpreter: times `inspect` and `check` without its start and imports.
IN_PROCESS = r"""
import json, statistics, sys, time
from pathlib import Path
try:
    from flows.store import integrity
except ModuleNotFoundError:
    from flows import integrity
wh, reps = Path(sys.argv[1]), int(sys.argv[2])
out = {}
for name, call in (
    ("inspect", lambda: integrity.inspect(wh)),
    ("check", lambda: integrity.check(wh)),
    ("check_deep", lambda: integrity.check(wh, deep=True)),
):
    call()  # warm: the imports it makes, the page cache
    walls, cpus = [], []
    for _ in range(reps):
        w, c = time.perf_counter(), time.process_time()
        result = call()
        walls.append(time.perf_counter() - w)
        cpus.append(time.process_time() - c)
    found = getattr(result, "findings", None) if name != "inspect" else (result.repairs + result.unrepairable)
    out[name] = {"wall_s": statistics.median(walls), "cpu_s": statistics.median(cpus), "findings": found}
print(json.dumps(out))
"""


def timed(cmd: list[str], ok=(0,)) -> tuple[float, float, str]:
    """Wall and CPU seconds (the whole process tree's) of `cmd`, and its stdout."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True, stdin=subprocess.DEVNULL, cwd=ROOT)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode not in ok:
        sys.exit(f"{' '.join(cmd)} failed ({proc.returncode}): {proc.stderr[-2000:]}")
    cpu = after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime
    return wall, cpu, proc.stdout


def medians(samples: list[tuple[float, float, str]]) -> dict:
    return {
        "wall_s": round(statistics.median(s[0] for s in samples), 3),
        "cpu_s": round(statistics.median(s[1] for s in samples), 3),
        "wall_all_s": [round(s[0], 3) for s in samples],
    }


def measure_noops(result: dict, run, reps: int) -> None:
    noops: dict[str, list] = {"this": [], "baseline": []}
    for _ in range(reps):
        for name in ("this", "baseline"):
            sample = run(name)
            assert "nothing new, changed or deleted" in sample[2], sample[2]
            noops[name].append(sample)
    for name in ("this", "baseline"):
        m = medians(noops[name])
        cold = result[name]
        cold.update(
            noop_s=m["wall_s"],
            noop_cpu_s=m["cpu_s"],
            noop_all_s=m["wall_all_s"],
            noop_over_cold_wall=round(m["wall_s"] / cold["cold_s"], 4),
            noop_over_cold_cpu=round(m["cpu_s"] / cold["cold_cpu_s"], 4),
        )
        print(
            f"{name:9s} no-op median {m['wall_s']:.2f}s wall ({100 * cold['noop_over_cold_wall']:.2f}% of cold), "
            f"{m['cpu_s']:.2f} CPU-s ({100 * cold['noop_over_cold_cpu']:.2f}% of cold)",
            flush=True,
        )
    this, base = result["this"], result["baseline"]
    result["verification_noop_cpu_s"] = round(this["noop_cpu_s"] - base["noop_cpu_s"], 3)
    result["verification_noop_over_cold_cpu"] = round(result["verification_noop_cpu_s"] / this["cold_cpu_s"], 5)


def measure_check(result: dict, warehouse: Path, reps: int) -> None:
    wh = str(warehouse)
    samples: dict[str, list] = {"floor": [], "check": [], "check_deep": []}
    for _ in range(reps):
        samples["floor"].append(timed([*WIREHOUSE, "check", "--help"]))
        samples["check"].append(timed([*WIREHOUSE, "check", "--warehouse", wh]))
        samples["check_deep"].append(timed([*WIREHOUSE, "check", "--deep", "--warehouse", wh]))
    result["check_cli"] = {name: medians(s) for name, s in samples.items()}
    result["check_cli"]["check_output"] = samples["check_deep"][-1][2].strip()
    _, _, out = timed([sys.executable, "-c", IN_PROCESS, wh, str(reps)])
    result["in_process"] = json.loads(out)
    parts = list((warehouse / "parquet").rglob("*.parquet"))
    result["warehouse"] = {
        "parts_on_disk": len(parts),
        "parquet_mib": round(sum(p.stat().st_size for p in parts) / 2**20, 1),
        "database_mib": round((warehouse / "news.duckdb").stat().st_size / 2**20, 1),
    }
    for name, m in result["check_cli"].items():
        if name != "check_output":
            print(f"CLI {name:11s} median {m['wall_s']:.2f}s wall, {m['cpu_s']:.2f} CPU-s", flush=True)
    for name, m in result["in_process"].items():
        print(f"in process {name:11s} median {m['wall_s']:.3f}s wall, {m['cpu_s']:.3f} CPU-s, findings {m['findings']}")
    print(result["check_cli"]["check_output"])
    print(json.dumps(result["warehouse"]))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", type=Path)
    parser.add_argument("--files", type=int, default=0, help="every k-th file up to this many (default: all)")
    parser.add_argument("--reps", type=int, default=5)
    parser.add_argument("--name", default="integrity_check", help="result file bench/results/NAME.json")
    parser.add_argument(
        "--baseline-cold", action="store_true", help="also a cold run of the baseline into its own warehouse (doubles the time)"
    )
    args = parser.parse_args()
    files = [p for p in corpus_files(args.corpus) if p.name != "README.TXT"]
    if args.files:
        files = files[:: max(1, len(files) // args.files)][: args.files]
    env_note = os.getloadavg()
    with tempfile.TemporaryDirectory(prefix="wh-integrity-") as tmp:
        folder = Path(tmp) / "in"
        for path in files:
            dest = folder / path.relative_to(args.corpus)
            dest.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(path, dest)
        whs = {"this": Path(tmp) / "wh-this", "baseline": Path(tmp) / "wh-baseline"}
        cmds = {"this": WIREHOUSE, "baseline": UNVERIFIED}
        result: dict = {"files": len(files), "reps": args.reps, "load_average_at_start": list(env_note)}

        def run(name: str) -> tuple[float, float, str]:
            return timed([*cmds[name], "run", "--input", str(folder), "--warehouse", str(whs[name])])

        for name in ("this", "baseline") if args.baseline_cold else ("this",):
            wall, cpu, out = run(name)
            result[name] = {"cold_s": round(wall, 2), "cold_cpu_s": round(cpu, 2), "cold_summary": out.splitlines()[:8]}
            print(f"{name:9s} cold {wall:7.1f}s wall, {cpu:7.1f} CPU-s", flush=True)
        if not args.baseline_cold:
            # A no-op only reads: the baseline's no-ops read this code's warehouse, and its
            # cold run (the same work, unverified) is taken to cost what this one did.
            whs["baseline"] = whs["this"]
            result["baseline"] = {**result["this"], "cold_is_this_codes": True}
        measure_noops(result, run, args.reps)
        measure_check(result, whs["this"], args.reps)
        result["load_average_at_end"] = list(os.getloadavg())
        print("written", write_result(args.name, result))


if __name__ == "__main__":
    main()
