"""CPU-seconds of one `wirehouse run` by process, every process of its tree listed with its
parent: the way to see a process nobody expected (issue 16 found a second temporary Prefect
server this way, a child of the CLI started by the process pool's forwarding thread).

    .venv/bin/python bench/process_cpu.py CORPUS [--code CHECKOUT] [--workers 2] [--env KEY=VALUE ...]

Samples the tree once a second (psutil; a process's last second may be missing) and prints,
for each process, its parent, its command and its CPU-s, then the CPU-s by role (the CLI,
uvicorn servers, batch workers) and how many uvicorn processes ran (one is expected).
`--code` runs another checkout's code first on PYTHONPATH (with this venv's packages). Each
run gets its own Prefect home holding a copy of the user's migrated Prefect database, as
bench/cli_cpu.py does. Writes bench/results/process_cpu.json.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

from _common import VENV_BIN, print_table, write_result  # noqa: E402


def _role(cmdline: str, root_pid: int, pid: int) -> str:
    if pid == root_pid:
        return "cli (parent)"
    if "uvicorn" in cmdline:
        return "prefect server (uvicorn)"
    if "spawn_main" in cmdline:
        return "workers"
    return "other"


def main(argv: list[str] | None = None) -> int:
    import psutil

    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("corpus", type=Path)
    parser.add_argument("--code", type=Path, default=ROOT, help="checkout whose code runs (default: this one)")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--env", action="append", default=[], metavar="KEY=VALUE", help="extra environment for the run")
    parser.add_argument("--name", default="process_cpu")
    args = parser.parse_args(argv)

    tmp = Path(tempfile.mkdtemp(prefix="bench-process-cpu-", dir="/tmp"))
    home = tmp / "prefect-home"
    home.mkdir()
    user_db = Path.home() / ".prefect" / "prefect.db"
    if user_db.exists():  # a migrated database: a fresh one adds the server's migrations to the run
        src, dst = sqlite3.connect(user_db), sqlite3.connect(home / "prefect.db")
        src.backup(dst)
        src.close()
        dst.close()
    env = {**os.environ, "PYTHONPATH": str(args.code.resolve()), "PREFECT_HOME": str(home)}
    env.update(kv.split("=", 1) for kv in args.env)
    env.pop("PREFECT_API_URL", None)
    cmd = [str(VENV_BIN / "wirehouse"), "run", "--input", str(args.corpus.resolve()), "--warehouse", str(tmp / "wh")]
    cmd += ["--workers", str(args.workers)]
    load_at_start = os.getloadavg()
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, stdin=subprocess.DEVNULL)
    seen: dict[int, dict] = {}
    while proc.poll() is None:
        try:
            tree = [psutil.Process(proc.pid), *psutil.Process(proc.pid).children(recursive=True)]
        except psutil.Error:
            tree = []
        for p in tree:
            try:
                cpu = p.cpu_times()
                cmdline = " ".join(p.cmdline())
                seen[p.pid] = {
                    "parent": p.ppid(),
                    "cmd": cmdline[:160],
                    "role": _role(cmdline, proc.pid, p.pid),
                    "cpu_s": round(cpu.user + cpu.system, 2),
                }
            except psutil.Error:
                pass
        time.sleep(1)
    stdout, stderr = proc.communicate()
    wall = time.perf_counter() - started
    shutil.rmtree(tmp, ignore_errors=True)
    if proc.returncode:
        print(stderr[-2000:], file=sys.stderr)
        return proc.returncode

    print_table(
        [[pid, p["parent"], p["role"], p["cpu_s"], p["cmd"][:90]] for pid, p in seen.items()],
        ["pid", "parent", "role", "CPU s", "command"],
    )
    by_role: dict[str, float] = {}
    for p in seen.values():
        by_role[p["role"]] = round(by_role.get(p["role"], 0.0) + p["cpu_s"], 2)
    servers = sum(p["role"] == "prefect server (uvicorn)" for p in seen.values())
    print()
    print_table([[role, cpu] for role, cpu in sorted(by_role.items())], ["role", "CPU s"])
    print(f"\nuvicorn processes: {servers} (one expected); wall {wall:.0f}s, load {load_at_start[0]:.1f} at start")
    path = write_result(
        args.name,
        {
            "corpus": str(args.corpus.resolve()),
            "code": str(args.code.resolve()),
            "workers": args.workers,
            "env": args.env,
            "wall_s": round(wall, 1),
            "load_average_at_start": load_at_start,
            "processes": seen,
            "cpu_by_role": by_role,
            "uvicorn_processes": servers,
            "command": "python bench/process_cpu.py " + " ".join(argv if argv is not None else sys.argv[1:]),
        },
    )
    print(f"wrote {path.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
