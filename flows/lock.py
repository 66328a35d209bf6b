"""One run at a time per warehouse.

An advisory `flock` on `<warehouse>/.wirehouse.lock`: the kernel releases it when the
holder exits or is killed, so a crashed run never leaves a stale lock behind. The file
keeps the holder's pid and start time only to make the message to a second run useful.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import os
import time
from collections.abc import Iterator
from pathlib import Path

from flows.settings import WirehouseError

LOCK_NAME = ".wirehouse.lock"


class WarehouseBusy(WirehouseError):
    pass


@contextlib.contextmanager
def run_lock(warehouse: Path, wait: float = 0.0) -> Iterator[None]:
    """Hold the warehouse's run lock; wait up to `wait` seconds for it, then give up with
    a message naming the holder."""
    warehouse.mkdir(parents=True, exist_ok=True)
    path = warehouse / LOCK_NAME
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        deadline = time.monotonic() + wait
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    holder = os.pread(fd, 200, 0).decode(errors="replace").strip() or "unknown process"
                    raise WarehouseBusy(
                        f"another wirehouse run is writing {warehouse} ({holder}); "
                        "wait for it or pass --wait SECONDS"
                    ) from None
                time.sleep(min(0.5, max(0.05, deadline - time.monotonic())))
        os.ftruncate(fd, 0)
        started = dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")
        os.pwrite(fd, f"pid {os.getpid()}, started {started}".encode(), 0)
        yield
    finally:
        os.close(fd)  # closing the descriptor releases the lock
