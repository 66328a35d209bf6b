"""Files in and Parquet out: discovering inputs, writing part files, and snapshots.

Part files are immutable once written (`<table>/part-<run>-<batch>.parquet`, written to a
temporary name and renamed). A snapshot (`_state/current.json`) lists the part files that
make up each table after a successful run; the DuckDB views read exactly those files, so a
warehouse that is open while a new run writes never sees a half-written batch. Parts that
no snapshot of the last two runs refers to are deleted after a run is published.
"""

from __future__ import annotations

import errno
import hashlib
import json
import os
import stat
import time
import uuid
from dataclasses import asdict, dataclass
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from flows.faults import crash_point
from flows.settings import REFERENCE_DIR
from transforms.schemas import TABLES

SNAPSHOT_FILE = "current.json"
PREVIOUS_FILE = "previous.json"


@dataclass(frozen=True)
class InputFile:
    path: str  # absolute, as the file system names it (may hold undecodable bytes)
    key: str  # relative to the input folder, posix separators, always valid UTF-8
    size: int
    mtime_ns: int
    kind: str = "file"  # "file", or why it cannot be read as one: "not_regular", "broken_link", "stat_failed"

    @property
    def display_path(self) -> str:
        """The path as valid UTF-8 (bytes that are not become U+FFFD), for tables and messages."""
        return printable(self.path)


def printable(path: str) -> str:
    return path.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


def discover(input_dir: Path) -> list[InputFile]:
    """Every file under `input_dir`, sorted by key. Hidden files and folders and the
    top-level `reference/` folder are skipped; symlinked folders are not followed (no
    loops). Entries that are not regular files (FIFOs, sockets, devices, broken or looping
    links) are listed with their `kind`, to be rejected rather than read: reading a FIFO
    would block forever."""
    if not input_dir.exists():
        raise FileNotFoundError(f"input folder {input_dir} does not exist")
    if not input_dir.is_dir():
        raise NotADirectoryError(f"input {input_dir} is not a folder")
    found: list[InputFile] = []
    for root, dirs, files in os.walk(input_dir, followlinks=False):
        rel_root = Path(root).relative_to(input_dir)
        dirs[:] = sorted(d for d in dirs if not d.startswith(".") and not (rel_root == Path(".") and d == REFERENCE_DIR))
        for name in files:
            if name.startswith("."):
                continue
            path = Path(root) / name
            kind = "file"
            try:
                st = path.stat()
                if not stat.S_ISREG(st.st_mode):
                    kind = "not_regular"
            except FileNotFoundError:
                st, kind = None, "broken_link"
            except OSError:
                st, kind = None, "stat_failed"
            found.append(
                InputFile(
                    path=str(path),
                    key=printable((rel_root / name).as_posix()),
                    size=st.st_size if st else -1,
                    mtime_ns=st.st_mtime_ns if st else 0,
                    kind=kind,
                )
            )
    return sorted(found, key=lambda f: f.key)


class FileChanging(Exception):
    """The file changed while it was read (still being written): try again next run."""


class FileVanished(Exception):
    """The file was deleted between listing and reading."""


# errno values worth another try: the file is busy or the read was interrupted.
_TRANSIENT = {errno.EAGAIN, errno.EBUSY, errno.EINTR, errno.ETIMEDOUT, errno.ETXTBSY}


def read_file(entry: InputFile, *, settle_s: float = 1.0, retries: int = 3, backoff_s: float = 0.2) -> tuple[bytes, str]:
    """(bytes, sha256) of an input file, read whole once it is complete.

    A file modified in the last `settle_s` seconds, or whose size or mtime differ before
    and after the read, is still being written: `FileChanging`. Transient errors (busy,
    interrupted) are retried with exponential backoff; others raise `OSError`.
    """
    for attempt in range(retries + 1):
        try:
            before = os.stat(entry.path)
            if time.time_ns() - before.st_mtime_ns < settle_s * 1e9:
                raise FileChanging("modified less than a second ago")
            with open(entry.path, "rb") as fh:
                data = fh.read()
            after = os.stat(entry.path)
            if (after.st_size, after.st_mtime_ns) != (before.st_size, before.st_mtime_ns) or len(data) != after.st_size:
                raise FileChanging("size or modification time changed during the read")
            return data, hashlib.sha256(data).hexdigest()
        except FileNotFoundError as exc:
            raise FileVanished(str(exc)) from exc
        except OSError as exc:
            if exc.errno not in _TRANSIENT or attempt == retries:
                raise
            time.sleep(backoff_s * 2**attempt)
    raise AssertionError("unreachable")


def parquet_dir(warehouse: Path) -> Path:
    return warehouse / "parquet"


def state_dir(warehouse: Path) -> Path:
    return warehouse / "_state"


def write_part(warehouse: Path, table_name: str, table: pa.Table, part_name: str, partition: str | None = None) -> str:
    """Write one Parquet part atomically (in `<table>/<partition>/` when given, e.g.
    `month=2022-02`); return its path relative to the parquet folder."""
    schema = TABLES[table_name]
    table = table.cast(schema) if table.schema != schema else table
    folder = parquet_dir(warehouse) / table_name / (partition or "")
    folder.mkdir(parents=True, exist_ok=True)
    final = folder / f"{part_name}.parquet"
    tmp = folder / f".{part_name}.{uuid.uuid4().hex}.tmp"
    pq.write_table(table, tmp, compression="zstd")
    crash_point("part_written")
    os.replace(tmp, final)
    return final.relative_to(parquet_dir(warehouse)).as_posix()


@dataclass
class Snapshot:
    run_id: str
    parts: dict[str, list[str]]  # table -> part paths relative to the parquet folder

    def files(self, warehouse: Path, table: str) -> list[Path]:
        return [parquet_dir(warehouse) / p for p in self.parts.get(table, [])]


def load_snapshot(warehouse: Path, name: str = SNAPSHOT_FILE) -> Snapshot | None:
    path = state_dir(warehouse) / name
    if not path.exists():
        return None
    data = json.loads(path.read_text())
    return Snapshot(run_id=data["run_id"], parts=data["parts"])


def publish_snapshot(warehouse: Path, snapshot: Snapshot) -> None:
    """Make `snapshot` current, keeping the one it replaces as the previous."""
    folder = state_dir(warehouse)
    folder.mkdir(parents=True, exist_ok=True)
    current = folder / SNAPSHOT_FILE
    # Each file is replaced whole by rename, previous first: a crash at any point leaves a
    # readable current snapshot (the old or the new one).
    if current.exists():
        write_atomically(folder / PREVIOUS_FILE, current.read_text())
    crash_point("between_snapshot_files")
    write_atomically(current, json.dumps(asdict(snapshot), indent=1, sort_keys=True))


def write_atomically(path: Path, text: str) -> None:
    tmp = path.parent / f".{path.name}.{uuid.uuid4().hex}.tmp"
    with open(tmp, "w") as fh:
        fh.write(text)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)


def collect_garbage(warehouse: Path) -> int:
    """Delete part files that neither the current nor the previous snapshot uses (a reader
    that opened the previous warehouse file still finds its parts). Returns files removed."""
    keep: set[str] = set()
    for name in (SNAPSHOT_FILE, PREVIOUS_FILE):
        snap = load_snapshot(warehouse, name)
        if snap:
            keep.update(p for parts in snap.parts.values() for p in parts)
    removed = 0
    # A database left half-built by a killed run (the caller holds the run lock).
    for leftover in warehouse.glob(".*.building-*"):
        leftover.unlink(missing_ok=True)
        removed += 1
    root = parquet_dir(warehouse)
    for table in TABLES:
        folder = root / table
        if not folder.is_dir():
            continue
        for path in folder.rglob("*"):
            rel = path.relative_to(root).as_posix()
            if path.is_file() and rel not in keep and (path.suffix == ".parquet" or path.name.endswith(".tmp")):
                path.unlink(missing_ok=True)
                removed += 1
        for sub in sorted((d for d in folder.rglob("*") if d.is_dir()), reverse=True):
            if not any(sub.iterdir()):
                sub.rmdir()  # an emptied month partition
    return removed


def snapshot_matches_schemas(warehouse: Path, snapshot: Snapshot) -> bool:
    """Whether every table of the snapshot has parts in today's schema: a warehouse written
    by an older wirehouse (a column added since) must be rebuilt from its input."""
    for table, schema in TABLES.items():
        files = snapshot.files(warehouse, table)
        if not files:
            return False
        try:
            if pq.read_schema(files[0]).remove_metadata() != schema:
                return False
        except OSError:
            return False
    return True
