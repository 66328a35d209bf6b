"""CPU-seconds of the `wirehouse run`s around a compaction, for several checkouts' code,
interleaved, median of N: the run that compacts, the incremental run after it (a file
changed and one deleted whose rows sit in the compacted files) and a no-op; with the
staging views' rows of the checkouts compared after each step.

    .venv/bin/python bench/compaction_cpu.py CORPUS base=/tmp/base this=/tmp/this [--reps 3] [--workdir /tmp/cmp]

Per checkout, once: a warehouse of CORPUS in batches of `--batch-size` (default 20: fewer
part groups than compaction's threshold). Per repetition and checkout, from a copy of that
warehouse and of the folder: 2 new files in batches of 1 (groups > 16: the run compacts),
then one file changed and one deleted, then the same folder again (a no-op). Each
checkout's code comes first on PYTHONPATH, run by this venv's `wirehouse`; CPU time is the
child's (user + system, `getrusage`: the CLI and every process it reaped).
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
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV_WIREHOUSE = ROOT / ".venv" / "bin" / "wirehouse"
STEPS = ("compacting run", "incremental run after it", "no-op")


def _children_cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def _run(code: str, folder: Path, warehouse: Path, batch_size: int) -> float:
    env = {**os.environ, "PYTHONPATH": code}
    env.pop("PREFECT_API_URL", None)
    cmd = [str(VENV_WIREHOUSE), "run", "--input", str(folder), "--warehouse", str(warehouse), "--workers", "2"]
    before = _children_cpu()
    done = subprocess.run([*cmd, "--batch-size", str(batch_size)], env=env, capture_output=True, text=True)
    if done.returncode:
        raise SystemExit(f"{code}: {done.stdout}{done.stderr[-3000:]}")
    return _children_cpu() - before


def _rows(code: str, warehouse: Path, folder: Path) -> str:
    """The staging views' rows (tests/flows/conftest.py's `snapshot_rows`) as JSON, by the checkout's code."""
    script = (
        "import json, sys\nfrom pathlib import Path\nfrom tests.flows.conftest import snapshot_rows\n"
        "print(json.dumps(snapshot_rows(Path(sys.argv[1]), Path(sys.argv[2])), default=str, sort_keys=True))"
    )
    done = subprocess.run(
        [sys.executable, "-c", script, str(warehouse), str(folder)],
        env={**os.environ, "PYTHONPATH": code},
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout


def _change(folder: Path, step: int) -> None:
    files = sorted(p for p in folder.rglob("*.txt") if p.is_file())
    t = time.time() - 120
    if step == 0:  # two new files
        for i, src in enumerate(files[:2]):
            new = src.with_name(f"zz-new-{i}.txt")
            new.write_text(src.read_text(errors="replace").replace(".", ". Also.", 1))
            os.utime(new, (t, t))
    elif step == 1:  # one changed, one deleted
        files[10].write_text(files[10].read_text(errors="replace") + "\n\nA late paragraph about Minsk.\n")
        os.utime(files[10], (t, t))
        files[20].unlink()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("corpus", type=Path)
    parser.add_argument("variants", nargs="+", help="NAME=CODE_ROOT")
    parser.add_argument("--reps", type=int, default=3)
    parser.add_argument("--batch-size", type=int, default=20)
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/compaction_cpu"))
    args = parser.parse_args(argv)
    variants = [tuple(v.split("=", 1)) for v in args.variants]
    work = args.workdir
    shutil.rmtree(work, ignore_errors=True)
    pristine = work / "in-pristine"
    shutil.copytree(args.corpus, pristine)
    folder = work / "in"
    for name, code in variants:  # the published warehouse each repetition starts from
        shutil.copytree(pristine, folder)
        _run(code, folder, work / f"wh-{name}-pristine", args.batch_size)
        shutil.rmtree(folder)
    found: dict[str, dict[str, list[float]]] = {n: {s: [] for s in STEPS} for n, _ in variants}
    same_rows: list[bool] = []
    for rep in range(args.reps):
        order = variants if rep % 2 == 0 else list(reversed(variants))
        rows: dict[str, list[str]] = {}
        for name, code in order:
            shutil.rmtree(folder, ignore_errors=True)
            shutil.copytree(pristine, folder)
            warehouse = work / f"wh-{name}"
            shutil.rmtree(warehouse, ignore_errors=True)
            shutil.copytree(work / f"wh-{name}-pristine", warehouse)
            rows[name] = []
            for step, label in enumerate(STEPS):
                _change(folder, step)
                found[name][label].append(_run(code, folder, warehouse, 1))
                if rep == 0:
                    rows[name].append(_rows(code, warehouse, folder))
        if rep == 0:
            same_rows = [len({r[i] for r in rows.values()}) == 1 for i in range(len(STEPS))]
        print(json.dumps({"rep": rep, "cpu_s": {n: {s: v[-1] for s, v in f.items()} for n, f in found.items()}}), flush=True)
    result = {
        "cpu_s_median": {n: {s: round(statistics.median(v), 3) for s, v in f.items()} for n, f in found.items()},
        "cpu_s_all": {n: {s: [round(x, 3) for x in v] for s, v in f.items()} for n, f in found.items()},
        "same_rows_after_each_step": dict(zip(STEPS, same_rows, strict=True)),
        "load_average": os.getloadavg(),
    }
    print(json.dumps(result, indent=1))
    (ROOT / "bench" / "results").mkdir(exist_ok=True)
    (ROOT / "bench" / "results" / "compaction_cpu.json").write_text(json.dumps(result, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
