"""One run at a time per warehouse.

An advisory `flock` on `<warehouse>/.wirehouse.lock`: the kernel releases it when the
holder exits or is killed, so a crashed run never leaves a stale lock behind. The file
keeps the holder's pid and start time only to make the message to a second run useful.

`wirehouse run` takes the lock first, before it imports Prefect or starts a server, so a
second run is refused at once; the flow takes it again (a no-op in the process that holds
it), which keeps a flow started by `serve` or a deployment's worker safe on its own.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import os
import threading
import time
from collections.abc import Iterator
from pathlib import Path

from flows.settings import WirehouseError

LOCK_NAME = ".wirehouse.lock"

# Warehouses whose lock this process holds, with how many `run_lock` blocks hold it: an
# flock belongs to an open file, so a second open in the same process would refuse itself.
_held: dict[Path, int] = {}
_held_guard = threading.Lock()


class WarehouseBusy(WirehouseError):
    pass


def holder(warehouse: Path) -> str:
    """What the lock file says about the run holding it (pid and start time)."""
    try:
        return (warehouse / LOCK_NAME).read_text(errors="replace").strip() or "unknown process"
    except OSError:
        return "unknown process"


@contextlib.contextmanager
def run_lock(warehouse: Path, wait: float = 0.0) -> Iterator[None]:
    """Hold the warehouse's run lock; wait up to `wait` seconds for it, then give up with
    a message naming the holder."""
    key = Path(os.path.abspath(warehouse))
    with _held_guard:
        if key in _held:
            _held[key] += 1
            reentered = True
        else:
            reentered = False
    if reentered:
        try:
            yield
        finally:
            with _held_guard:
                _held[key] -= 1
        return
    warehouse.mkdir(parents=True, exist_ok=True)
    path = warehouse / LOCK_NAME
    fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
    try:
        deadline = time.monotonic() + wait
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    who = os.pread(fd, 200, 0).decode(errors="replace").strip() or "unknown process"
                    raise WarehouseBusy(
                        f"another wirehouse run is writing {warehouse} ({who}); wait for it or pass --wait SECONDS"
                    ) from None
                time.sleep(min(0.5, max(0.05, deadline - time.monotonic())))
        os.ftruncate(fd, 0)
        started = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
        os.pwrite(fd, f"pid {os.getpid()}, started {started}".encode(), 0)
        with _held_guard:
            _held[key] = 1
        try:
            yield
        finally:
            with _held_guard:
                del _held[key]
    finally:
        os.close(fd)  # closing the descriptor releases the lock
