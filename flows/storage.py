"""Files in and Parquet out: discovering inputs, writing part files, and snapshots.

Part files are immutable once written (`<table>/part-<run>-<batch>.parquet`, written to a
temporary name and renamed). A snapshot (`_state/current.json`) lists the part files that
make up each table after a successful run; the DuckDB views read exactly those files, so a
warehouse that is open while a new run writes never sees a half-written batch. Parts that
no snapshot of the last two runs refers to are deleted after a run is published.
"""

from __future__ import annotations

import hashlib
import json
import os
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
    path: str  # absolute
    key: str  # relative to the input folder, posix separators
    size: int
    mtime_ns: int


def discover(input_dir: Path) -> list[InputFile]:
    """Every regular file under `input_dir`, sorted by key. Hidden files and folders and the
    top-level `reference/` folder are skipped; symlinked folders are not followed."""
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
            try:
                st = path.stat()
            except OSError:
                st = None
            found.append(
                InputFile(
                    path=str(path),
                    key=(rel_root / name).as_posix(),
                    size=st.st_size if st else -1,
                    mtime_ns=st.st_mtime_ns if st else 0,
                )
            )
    return sorted(found, key=lambda f: f.key)


def read_file(entry: InputFile) -> tuple[bytes, str]:
    """(bytes, sha256) of an input file."""
    data = Path(entry.path).read_bytes()
    return data, hashlib.sha256(data).hexdigest()


def parquet_dir(warehouse: Path) -> Path:
    return warehouse / "parquet"


def state_dir(warehouse: Path) -> Path:
    return warehouse / "_state"


def write_part(warehouse: Path, table_name: str, table: pa.Table, part_name: str) -> str:
    """Write one Parquet part atomically; return its path relative to the parquet folder."""
    schema = TABLES[table_name]
    table = table.cast(schema) if table.schema != schema else table
    folder = parquet_dir(warehouse) / table_name
    folder.mkdir(parents=True, exist_ok=True)
    final = folder / f"{part_name}.parquet"
    tmp = folder / f".{part_name}.{uuid.uuid4().hex}.tmp"
    pq.write_table(table, tmp, compression="zstd")
    crash_point("part_written")
    os.replace(tmp, final)
    return f"{table_name}/{final.name}"


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
        _write_atomically(folder / PREVIOUS_FILE, current.read_text())
    crash_point("between_snapshot_files")
    _write_atomically(current, json.dumps(asdict(snapshot), indent=1, sort_keys=True))


def _write_atomically(path: Path, text: str) -> None:
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
        for path in folder.iterdir():
            rel = f"{table}/{path.name}"
            if rel not in keep and (path.suffix == ".parquet" or path.name.endswith(".tmp")):
                path.unlink(missing_ok=True)
                removed += 1
    return removed
