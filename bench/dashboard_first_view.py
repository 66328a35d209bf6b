"""The dashboard's first view: a fresh `wirehouse dashboard` per run, headless Chromium (Debian's
/usr/bin/chromium), time from `goto` to the first headline metric on screen (content, not the
loading skeleton), and the server's CPU seconds by then (start-up included).

    .venv/bin/python bench/dashboard_first_view.py WAREHOUSE_DIR [--runs 4]

WAREHOUSE_DIR: a built warehouse (e.g. one `wirehouse run` over a corpus folder).
"""

import argparse
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path

import psutil
from playwright.sync_api import sync_playwright

EXE = Path(sys.executable).with_name("wirehouse")


def free_port() -> int:
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def first_views(warehouse: str, runs: int) -> tuple[list[float], list[float]]:
    views, cpus = [], []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox"])
        for _ in range(runs):
            port = free_port()
            srv = subprocess.Popen(
                [str(EXE), "dashboard", "--warehouse", warehouse, "--port", str(port)],
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            try:
                for _ in range(600):
                    try:
                        socket.create_connection(("127.0.0.1", port), 0.2).close()
                        break
                    except OSError:
                        time.sleep(0.1)
                time.sleep(1.0)  # listening; a user opens the link a moment later
                page = browser.new_page()
                started = time.perf_counter()
                page.goto(f"http://127.0.0.1:{port}/")
                page.locator('[data-testid="stMetric"]').first.wait_for(timeout=60000)
                views.append(time.perf_counter() - started)
                cpu = psutil.Process(srv.pid).cpu_times()
                cpus.append(cpu.user + cpu.system)
                page.close()
            finally:
                srv.terminate()
                srv.wait(10)
        browser.close()
    return views, cpus


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("warehouse")
    parser.add_argument("--runs", type=int, default=4)
    args = parser.parse_args()
    if not (Path(args.warehouse) / "news.duckdb").exists():
        parser.error(f"no warehouse at {args.warehouse}: run `wirehouse run --warehouse {args.warehouse}` first")
    views, cpus = first_views(args.warehouse, args.runs)
    print("first view s:", [round(v, 2) for v in views], "median", round(statistics.median(views), 2))
    print("server CPU-s at first view (start-up included):", [round(c, 2) for c in cpus])


if __name__ == "__main__":
    main()
