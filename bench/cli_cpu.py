"""CPU-seconds of `wirehouse run` from the command line, by process (the CLI parent,
Prefect's temporary server, the batch workers), for the code in this checkout against a
baseline checkout, interleaved in the same session; and the rows of the two warehouses
compared one for one.

    .venv/bin/python bench/cli_cpu.py CORPUS --base /tmp/h16-base [--reps 2] [--workers 2]

Both run with this venv's packages (or the checkout's own `.venv` when it has one); the
baseline's code comes first on PYTHONPATH (a clean
clone of the commit to compare with: `git clone /work/main /tmp/h16-base && git -C
/tmp/h16-base checkout COMMIT`). CPU time, not wall time: on a shared 2-core machine wall
time follows other people's load. The total is exact (`os.wait4` on the CLI: its own time
and that of every process it reaped); the split by process comes from sampling the tree
every 0.25 s (psutil), so a process's last quarter second may be missing.

`--startup` also times a worker's one-off start-up in a fresh process (imports,
`load_pipeline`, the first language detection, the spans key), `--reps` times per checkout;
`--noop` a second run over the same folder after each cold run (nothing to do).
Writes bench/results/cli_cpu.json.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from _common import VENV_BIN, median, print_table, write_result  # noqa: E402

PROBE = """
import json, sys, time
C = time.process_time
out = {}
t = C()
from transforms.nlp import load_pipeline
from transforms.annotation import annotate_key
from transforms.language import detect_language
out["imports"] = C() - t
t = C(); nlp = load_pipeline(); out["load_pipeline"] = C() - t
t = C(); detect_language("An English sentence about the government and the economy of Britain, long enough."); out["first_language"] = C() - t
t = C(); out["key"] = annotate_key(nlp); out["annotate_key"] = C() - t
out["total"] = C()
print(json.dumps(out))
"""


def _role(cmdline: str, root_pid: int, pid: int) -> str:
    if pid == root_pid:
        return "cli (parent)"
    if "uvicorn" in cmdline:
        return "prefect server"
    if "resource_tracker" in cmdline:
        return "other"
    if "multiprocessing" in cmdline or "spawn_main" in cmdline:
        return "workers"
    return "other"


def run_cli(
    code_root: Path, corpus: Path, workers: int, tmp: Path, warehouse: Path | None = None, extra_env: dict | None = None
) -> dict:
    import psutil

    warehouse = warehouse or Path(tempfile.mkdtemp(prefix="wh-", dir=tmp))
    home = Path(tempfile.mkdtemp(prefix="prefect-home-", dir=tmp))
    # A Prefect home per run, holding a copy of an already migrated database (as a user's
    # second run finds it: a fresh one adds ~10 CPU-s of migrations to the server), and
    # patient time-outs: on a loaded machine the server answered after Prefect's defaults.
    if (tmp / "prefect.db").exists():
        shutil.copy(tmp / "prefect.db", home / "prefect.db")
    env = {
        **os.environ,
        "PYTHONPATH": str(code_root),
        "PREFECT_HOME": str(home),
        "PREFECT_API_REQUEST_TIMEOUT": "300",
        "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": "900",
        **(extra_env or {}),
    }
    env.pop("PREFECT_API_URL", None)
    # A checkout with its own venv runs its own entry point (the CLI's module moved in issue 15).
    own = code_root / ".venv" / "bin" / "wirehouse"
    program = own if own.exists() else VENV_BIN / "wirehouse"
    cmd = [str(program), "run", "--input", str(corpus), "--warehouse", str(warehouse), "--workers", str(workers)]
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, stdin=subprocess.DEVNULL)
    seen: dict[int, tuple[str, float]] = {}
    done = threading.Event()

    def sample():
        root = psutil.Process(proc.pid)
        while not done.is_set():
            try:
                procs = [root, *root.children(recursive=True)]
            except psutil.Error:
                procs = []
            for p in procs:
                try:
                    cpu = p.cpu_times()
                    role = seen.get(p.pid, (None,))[0] or _role(" ".join(p.cmdline()), proc.pid, p.pid)
                    seen[p.pid] = (role, cpu.user + cpu.system)
                except psutil.Error:
                    pass
            done.wait(0.25)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    stdout, stderr = proc.communicate()
    done.set()
    sampler.join()
    wall = time.perf_counter() - t0
    # communicate() reaped the CLI: its rusage is in RUSAGE_CHILDREN of this process.
    by_role: dict[str, float] = {}
    for role, cpu in seen.values():
        by_role[role] = by_role.get(role, 0.0) + cpu
    return {
        "returncode": proc.returncode,
        "wall_s": wall,
        "cpu_by_process": by_role,
        "warehouse": str(warehouse),
        "stdout": stdout[-400:],
        "stderr": stderr[-1000:],
        "processes": len(seen),
    }


def children_cpu() -> float:
    import resource

    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def main(argv: list[str] | None = None) -> int:  # noqa: C901
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("corpus", type=Path)
    parser.add_argument("--base", type=Path, required=True, help="checkout of the baseline commit")
    parser.add_argument(
        "--this", type=Path, default=ROOT, help="checkout to measure (default: this one; a clean clone keeps edits out)"
    )
    parser.add_argument("--reps", type=int, default=2)
    parser.add_argument(
        "--base-env",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="environment for the baseline's runs only (`--base . --base-env WIREHOUSE_SKIP_IDENTITY=1`: the same"
        " code without the identity step)",
    )
    parser.add_argument("--name", default="cli_cpu", help="result file name (bench/results/NAME.json)")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--startup", action="store_true", help="also time a worker's one-off start-up per checkout")
    parser.add_argument("--no-compare", action="store_true", help="skip the row-for-row comparison")
    parser.add_argument(
        "--noop", action="store_true", help="after each cold run, time a second run over the same folder (nothing to do)"
    )
    args = parser.parse_args(argv)
    variants = {"base": args.base.resolve(), "this": args.this.resolve()}
    base_env = dict(kv.split("=", 1) for kv in args.base_env)
    load_at_start = os.getloadavg()
    tmp = Path(tempfile.mkdtemp(prefix="bench-cli-cpu-", dir="/tmp"))
    user_db = Path.home() / ".prefect" / "prefect.db"
    if user_db.exists():  # a consistent copy of the user's migrated Prefect database
        import sqlite3

        src, dst = sqlite3.connect(user_db), sqlite3.connect(tmp / "prefect.db")
        src.backup(dst)
        src.close()
        dst.close()
    runs: dict[str, list[dict]] = {k: [] for k in variants}
    startup: dict[str, list[dict]] = {k: [] for k in variants}
    for rep in range(args.reps):
        for name, root in variants.items() if rep % 2 == 0 else reversed(list(variants.items())):
            before = children_cpu()
            env = base_env if name == "base" else None
            result = run_cli(root, args.corpus.resolve(), args.workers, tmp, extra_env=env)
            result["cpu_total_s"] = children_cpu() - before
            runs[name].append(result)
            print(
                f"[{rep}] {name}: rc {result['returncode']} total {result['cpu_total_s']:.1f} CPU-s "
                f"{ {k: round(v, 1) for k, v in result['cpu_by_process'].items()} } wall {result['wall_s']:.0f}s",
                flush=True,
            )
            if result["returncode"]:
                print(result["stderr"], file=sys.stderr)
            if args.noop:
                before = children_cpu()
                again = run_cli(root, args.corpus.resolve(), args.workers, tmp, Path(result["warehouse"]), extra_env=env)
                result["noop"] = {
                    "cpu_total_s": children_cpu() - before,
                    "wall_s": again["wall_s"],
                    "returncode": again["returncode"],
                }
                print(
                    f"[{rep}] {name} no-op: total {result['noop']['cpu_total_s']:.1f} CPU-s, wall {again['wall_s']:.0f}s",
                    flush=True,
                )
            if args.startup:
                env = {**os.environ, "PYTHONPATH": str(root)}
                out = subprocess.run([sys.executable, "-c", PROBE], env=env, capture_output=True, text=True, check=True)
                startup[name].append(json.loads(out.stdout))
    comparison = None
    if not args.no_compare:
        from tests.flows.conftest import snapshot_rows

        a, b = snapshot_rows(Path(runs["base"][0]["warehouse"])), snapshot_rows(Path(runs["this"][0]["warehouse"]))
        comparison = {
            view: {
                "rows": len(a[view]),
                "equal": a[view] == b.get(view),
                "only_base": len(set(map(repr, a[view])) - set(map(repr, b.get(view, [])))),
                "only_this": len(set(map(repr, b.get(view, []))) - set(map(repr, a[view]))),
            }
            for view in a
        }
        print("\nrow-for-row, base vs this:", "IDENTICAL" if all(c["equal"] for c in comparison.values()) else "DIFFERENT")
        for view, c in comparison.items():
            print(f"  {view:22s} {c['rows']:7d} rows  {'equal' if c['equal'] else c}")
    roles = sorted({r for rs in runs.values() for run in rs for r in run["cpu_by_process"]})
    rows = []
    for role in ["total (exact)", *roles, "wall"]:

        def med(name, role=role):
            key = {"total (exact)": lambda r: r["cpu_total_s"], "wall": lambda r: r["wall_s"]}.get(
                role, lambda r: r["cpu_by_process"].get(role, 0.0)
            )
            return median([key(r) for r in runs[name]])

        b, t = med("base"), med("this")
        rows.append([role, round(b, 2), round(t, 2), f"{t / b:.2f}x" if b else ""])
    if args.noop:
        for what in ("cpu_total_s", "wall_s"):
            b, t = (median([r["noop"][what] for r in runs[name]]) for name in ("base", "this"))
            cold = {name: median([r[what] for r in runs[name]]) for name in ("base", "this")}
            rows.append([f"no-op {what}", round(b, 2), round(t, 2), f"{t / b:.2f}x" if b else ""])
            rows.append([f"no-op/cold {what}", f"{b / cold['base']:.1%}", f"{t / cold['this']:.1%}", ""])
    print(f"\n`wirehouse run` on {args.corpus} (--workers {args.workers}), median of {args.reps}, CPU-s (wall last)\n")
    print_table(rows, ["process", "base", "this", "this/base"])
    if args.startup:
        keys = ["imports", "load_pipeline", "first_language", "annotate_key", "total"]
        print("\nworker start-up in a fresh process, CPU-s, median\n")
        print_table(
            [
                [k, round(median([s[k] for s in startup["base"]]), 2), round(median([s[k] for s in startup["this"]]), 2)]
                for k in keys
            ],
            ["step", "base", "this"],
        )
        print("spans key equal:", {s["key"] for s in startup["base"]} == {s["key"] for s in startup["this"]})
    path = write_result(
        args.name,
        {
            "base_env": base_env,
            "load_average_at_start": load_at_start,
            "corpus": str(args.corpus.resolve()),
            "files": sum(1 for p in args.corpus.rglob("*") if p.is_file()),
            "base": str(variants["base"]),
            "base_commit": _commit(variants["base"]),
            "this_commit": _commit(variants["this"]),
            "workers": args.workers,
            "reps": args.reps,
            "runs": runs,
            "startup": startup,
            "comparison": comparison,
            "load_average_at_end": os.getloadavg(),
            "command": "python bench/cli_cpu.py " + " ".join(argv if argv is not None else sys.argv[1:]),
        },
    )
    print(f"wrote {path.relative_to(ROOT)}")
    return 0


def _commit(root: Path) -> str | None:
    try:
        return subprocess.run(["git", "-C", str(root), "rev-parse", "HEAD"], capture_output=True, text=True).stdout.strip()
    except OSError:
        return None


if __name__ == "__main__":
    sys.exit(main())
