"""CPU-seconds and memory of one `wirehouse run` by phase and by process: where the CPU
beyond bare spaCy goes, from the command line as users run it (issue 16).

    .venv/bin/python bench/run_phases.py CORPUS [--code CHECKOUT] [--workers 2] [--reps 1]

Runs `wirehouse run --verbose` and samples every process of its tree every 0.1 s (psutil:
CPU-s and RSS). The phases are cut at the times the run's own log lines give (Prefect's
log lines carry their wall time): start-up (interpreter, imports, the temporary server)
until the flow run begins, the plan, the batches (until the last `process-batch` finishes),
duplicate linking, the identity step, the build and publish, the flow's end, and the exit.
For each phase: the CLI's CPU-s, the Prefect server's (uvicorn), the batch workers', and the
largest RSS of the CLI and of the whole tree within it. A process's CPU after the last
sample before it exits may be missing (under 0.1 s). `--reps N` runs N times (interleave
with another checkout by calling the script per checkout). Each run gets its own Prefect
home holding a copy of the user's migrated Prefect database (as bench/cli_cpu.py does).
Writes bench/results/<--name>.json.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import re
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

from _common import VENV_BIN, median, print_table, write_result  # noqa: E402

# (phase that ends at the line, pattern of the line); the last match of a pattern counts.
MARKERS = [
    ("start-up (imports, server)", re.compile(r"Beginning flow run")),
    ("plan", re.compile(r"\bplan: ")),
    ("batches", re.compile(r"process-batch-\w+' - Finished")),
    ("duplicates", re.compile(r"link-duplicates-\w+' - Finished")),
    ("identity", re.compile(r"resolve-identity-\w+' - Finished")),
    ("build + publish", re.compile(r"publish-warehouse-\w+' - Finished")),
    ("flow end", re.compile(r"Flow run '.*' - Finished in state")),
]
_STAMP = re.compile(r"^(\d\d):(\d\d):(\d\d)\.(\d{3}) \|")


def _role(cmdline: str, root_pid: int, pid: int) -> str:
    if pid == root_pid:
        return "cli"
    if "uvicorn" in cmdline:
        return "server"
    if "spawn_main" in cmdline:
        return "workers"
    return "other"


def _sample(proc: subprocess.Popen, samples: list, stop: threading.Event) -> None:
    import psutil

    roles: dict[int, str] = {}
    handles: dict[int, psutil.Process] = {}
    while not stop.is_set():
        now = time.time()
        try:
            root = psutil.Process(proc.pid)
            tree = [root, *root.children(recursive=True)]
        except psutil.Error:
            tree = []
        snap = {}
        for p in tree:
            try:
                p = handles.setdefault(p.pid, p)
                if p.pid not in roles:
                    roles[p.pid] = _role(" ".join(p.cmdline()), proc.pid, p.pid)
                cpu = p.cpu_times()
                snap[p.pid] = (roles[p.pid], cpu.user + cpu.system, p.memory_info().rss)
            except psutil.Error:
                pass
        samples.append((now, snap))
        time.sleep(0.1)


def _cpu_at(samples: list, t: float) -> dict[int, tuple[str, float]]:
    """Each process's last known CPU-s at time `t` (a process gone keeps its last value)."""
    last: dict[int, tuple[str, float]] = {}
    for when, snap in samples:
        if when > t:
            break
        for pid, (role, cpu, _) in snap.items():
            last[pid] = (role, cpu)
    return last


def _by_role(at: dict[int, tuple[str, float]]) -> dict[str, float]:
    out: dict[str, float] = {}
    for role, cpu in at.values():
        out[role] = out.get(role, 0.0) + cpu
    return out


def one_run(corpus: Path, code: Path, workers: int) -> dict:
    tmp = Path(tempfile.mkdtemp(prefix="bench-run-phases-", dir="/tmp"))
    home = tmp / "prefect-home"
    home.mkdir()
    user_db = Path.home() / ".prefect" / "prefect.db"
    if user_db.exists():
        src, dst = sqlite3.connect(user_db), sqlite3.connect(home / "prefect.db")
        src.backup(dst)
        src.close()
        dst.close()
    env = {**os.environ, "PYTHONPATH": str(code.resolve()), "PREFECT_HOME": str(home)}
    env.pop("PREFECT_API_URL", None)
    cmd = [str(VENV_BIN / "wirehouse"), "run", "--input", str(corpus.resolve()), "--warehouse", str(tmp / "wh")]
    cmd += ["--workers", str(workers), "--verbose"]
    samples: list = []
    stop = threading.Event()
    started = time.time()
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, stdin=subprocess.DEVNULL)
    sampler = threading.Thread(target=_sample, args=(proc, samples, stop), daemon=True)
    sampler.start()
    out, _ = proc.communicate()
    ended = time.time()
    stop.set()
    sampler.join()
    shutil.rmtree(tmp, ignore_errors=True)
    if proc.returncode:
        raise SystemExit(f"wirehouse run failed ({proc.returncode}):\n{out[-3000:]}")
    day = dt.datetime.fromtimestamp(started).date()
    ends: dict[str, float] = {}
    for line in out.splitlines():
        m = _STAMP.match(line)
        if not m:
            continue
        h, mi, s, ms = map(int, m.groups())
        when = dt.datetime.combine(day, dt.time(h, mi, s, ms * 1000)).timestamp()
        for phase, pattern in MARKERS:
            if pattern.search(line):
                ends[phase] = when
    bounds = [("start", started)] + [(p, ends[p]) for p, _ in MARKERS if p in ends] + [("exit", ended)]
    phases = []
    for (_, t0), (name, t1) in zip(bounds, bounds[1:], strict=False):
        a, b = _by_role(_cpu_at(samples, t0)), _by_role(_cpu_at(samples, t1))
        within = [snap for when, snap in samples if t0 <= when <= t1]
        cli_rss = max((rss for snap in within for role, _, rss in snap.values() if role == "cli"), default=0)
        tree_rss = max((sum(rss for _, _, rss in snap.values()) for snap in within), default=0)
        phases.append(
            {
                "phase": name,
                "wall_s": round(t1 - t0, 2),
                **{
                    f"{role}_cpu_s": round(b.get(role, 0.0) - a.get(role, 0.0), 2)
                    for role in ("cli", "server", "workers", "other")
                },
                "cli_max_rss_mib": round(cli_rss / 2**20),
                "tree_max_rss_mib": round(tree_rss / 2**20),
            }
        )
    final = _by_role(_cpu_at(samples, ended + 1))
    largest = max((rss for _, snap in samples for _, _, rss in snap.values()), default=0)
    return {
        "phases": phases,
        "total_cpu_by_role": {k: round(v, 2) for k, v in final.items()},
        "total_cpu_s": round(sum(final.values()), 2),
        "wall_s": round(ended - started, 1),
        "largest_process_mib": round(largest / 2**20),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("corpus", type=Path)
    parser.add_argument("--code", type=Path, default=ROOT, help="checkout whose code runs (default: this one)")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--reps", type=int, default=1)
    parser.add_argument("--name", default="run_phases")
    args = parser.parse_args(argv)
    load = os.getloadavg()
    runs = [one_run(args.corpus, args.code, args.workers) for _ in range(args.reps)]
    names = [p["phase"] for p in runs[0]["phases"]]
    cols = ["wall_s", "cli_cpu_s", "server_cpu_s", "workers_cpu_s", "cli_max_rss_mib", "tree_max_rss_mib"]
    rows = []
    for name in names:
        per = [next(p for p in r["phases"] if p["phase"] == name) for r in runs if any(p["phase"] == name for p in r["phases"])]
        rows.append([name, *(round(median([p[c] for p in per]), 2) for c in cols)])
    print_table(rows, ["phase (median)", *cols])
    print(
        f"total CPU-s {[r['total_cpu_s'] for r in runs]}, by role {[r['total_cpu_by_role'] for r in runs]}, "
        f"largest process MiB {[r['largest_process_mib'] for r in runs]}, wall {[r['wall_s'] for r in runs]}, load {load[0]:.1f}"
    )
    path = write_result(
        args.name,
        {
            "corpus": str(args.corpus.resolve()),
            "code": str(args.code.resolve()),
            "workers": args.workers,
            "load_average_at_start": load,
            "runs": runs,
            "command": "python bench/run_phases.py " + " ".join(argv if argv is not None else sys.argv[1:]),
        },
    )
    print(f"wrote {path.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
