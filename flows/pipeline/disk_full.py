"""A full disk (or quota, or file size limit) ends a run in one line that names the folder,
and gives back the space the run's unpublished parts took."""

from __future__ import annotations

import contextlib
import errno
import os
from pathlib import Path

from flows import settings
from flows.settings import WirehouseError
from flows.store import storage


class DiskFull(WirehouseError):
    pass


_DISK_FULL = {errno.ENOSPC, errno.EDQUOT, errno.EFBIG}
_DISK_FULL_TEXT = ("No space left on device", "Disk quota exceeded", "File too large")


def disk_full(exc: BaseException | None) -> str | None:
    """What an OSError (Python's, or pyarrow's, which keeps only the text) or a DuckDB
    error, itself or what caused it, says when the disk, the quota or the file size limit
    is full (`No space left on device`); None for any other error."""
    for _ in range(5):
        if exc is None:
            return None
        if getattr(exc, "errno", None) in _DISK_FULL:
            return os.strerror(exc.errno)
        if found := next((t for t in _DISK_FULL_TEXT if t in str(exc)), None):
            return found
        exc = exc.__cause__ or exc.__context__
    return None


@contextlib.contextmanager
def disk_full_in_one_line(warehouse_dir: Path, parquet_url: str | None):
    """A full disk ends the run in one line naming the folder. Nothing is published before
    the new database is built and tested, so the previous warehouse stays as it was; the
    parts this run wrote are removed at once, to give the space back."""
    try:
        yield
    except Exception as exc:
        if not (why := disk_full(exc)):
            raise
        with contextlib.suppress(Exception):
            snapshot = storage.load_snapshot(warehouse_dir)
            storage.collect_garbage(warehouse_dir, storage.open_store(warehouse_dir, snapshot, settings.parquet_url(parquet_url)))
        raise DiskFull(
            f"the disk holding {warehouse_dir} is full ({why}): free some space there and run again; "
            "the published warehouse is unchanged"
        ) from exc
