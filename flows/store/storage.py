"""Files in and Parquet out: discovering inputs, writing part files, and snapshots.

Part files are immutable once written (`<table>/part-<run>-<batch>.parquet`, written to a
temporary name and renamed). A snapshot lists the part files that make up each table after
a successful run; the DuckDB views read exactly those files, so a warehouse that is open
while a new run writes never sees a half-written batch. On a local store the snapshot is
read from the store's Delta tables (the last `table_versions` run, flows/store/delta_log.py);
on an object store it is still the JSON file `_state/current.json` (with `previous.json`).
Parts that no snapshot of the last two runs refers to are deleted once they have been
unlisted for a grace period (seven days by default), so that a connection opened earlier
keeps reading: on a local store by Delta's `vacuum`, elsewhere by the clocks in
`_state/retired.json`.
"""

from __future__ import annotations

import contextlib
import errno
import functools
import hashlib
import itertools
import json
import os
import re
import shutil
import stat
import time
import uuid
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

import pyarrow as pa
import pyarrow.parquet as pq

from flows.faults import crash_point
from flows.settings import REFERENCE_DIR, WirehouseError
from transforms.schemas import TABLES

if TYPE_CHECKING:
    import fsspec

SPILL_DIR = ".duckdb-spill"  # DuckDB spills here while it builds the warehouse
SNAPSHOT_FILE = "current.json"  # the snapshot JSON of an object store (and of a local store before session 8)
PREVIOUS_FILE = "previous.json"
STORE_FILE = "store.json"  # in `_state/`: where the warehouse's Parquet store is ({"parquet_url": ""} = <warehouse>/parquet)


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


def state_dir(warehouse: Path) -> Path:
    return warehouse / "_state"


def _protocols(fs) -> set[str]:
    return {fs.protocol} if isinstance(fs.protocol, str) else set(fs.protocol)


@dataclass(frozen=True)
class ParquetStore:
    """Where a warehouse's Parquet parts live: `<warehouse>/parquet` by default, or any
    fsspec URL (`s3://bucket/news`, `file:///mnt/shared/news`, `memory://…`), so
    that the workers of a cluster write to storage they share. Part paths (`rel`, as the
    snapshot lists them) are relative to it. Credentials come from fsspec's usual places
    (environment, config files); the URL holds none."""

    url: str

    @functools.cached_property
    def _fs(self) -> tuple[fsspec.AbstractFileSystem, str]:
        import fsspec

        try:
            fs, root = fsspec.core.url_to_fs(self.url)
        except (ImportError, ValueError) as exc:  # an unknown protocol, or its package missing
            raise WirehouseError(f"Parquet URL {self.url!r}: {exc}") from exc
        return fs, root.rstrip("/") or "/"

    def __getstate__(self) -> dict:
        return {"url": self.url}  # a worker opens its own file system

    @functools.cached_property
    def is_local(self) -> bool:
        return "file" in _protocols(self._fs[0])

    def local_path(self, rel: str) -> Path:
        return Path(self._fs[1]) / rel

    def _path(self, rel: str) -> str:
        return f"{self._fs[1]}/{rel}"

    def uri(self, rel: str) -> str:
        """The part as DuckDB reads it: an absolute local path, or a URL."""
        # A string join, not a Path: the stored-spans lookup asks for every part per batch.
        return f"{self._fs[1].rstrip('/')}/{rel}" if self.is_local else self._fs[0].unstrip_protocol(self._path(rel))

    def filesystem(self):
        return self._fs[0]

    def write(self, table_name: str, table: pa.Table, part_name: str, partition: str | None = None) -> str:
        schema = TABLES[table_name]
        table = table.cast(schema) if table.schema != schema else table
        rel = "/".join(p for p in (table_name, partition, f"{part_name}.parquet") if p)
        # Written to memory first: the snapshot records the bytes' size and hash as written.
        sink = pa.BufferOutputStream()
        pq.write_table(table, sink, compression="zstd")
        data = sink.getvalue()
        if self.is_local:
            final = self.local_path(rel)
            final.parent.mkdir(parents=True, exist_ok=True)
            tmp = final.parent / f".{part_name}.{uuid.uuid4().hex}.tmp"
            with open(tmp, "wb") as fh:
                fh.write(data)
            crash_point("part_written")
            os.replace(tmp, final)
        else:
            # Written under its final name: an object store shows an upload only once it is
            # complete, and a part that no snapshot lists is garbage whatever its state.
            fs = self._fs[0]
            fs.makedirs(self._path(rel).rsplit("/", 1)[0], exist_ok=True)
            with fs.open(self._path(rel), "wb") as fh:
                fh.write(data)
            crash_point("part_written")
        _WRITTEN[(self.url, rel)] = part_checks(data, table.num_rows)
        return rel

    def write_batches(
        self,
        table_name: str,
        batches,
        part_name: str,
        partition: str | None = None,
        skip_empty: bool = False,
    ) -> str | None:
        """`write` for rows streamed in record batches (never all in memory at once), each
        written as it comes. With `skip_empty`, no file is written when no batch has a row
        (None is returned)."""
        schema = TABLES[table_name]
        rel = "/".join(p for p in (table_name, partition, f"{part_name}.parquet") if p)
        rows = 0

        def copy(sink) -> None:
            nonlocal rows
            with pq.ParquetWriter(sink, schema, compression="zstd") as writer:
                for batch in batches:
                    if batch.num_rows:
                        writer.write_table(pa.Table.from_batches([batch]).cast(schema))
                        rows += batch.num_rows

        batches = _peeked(batches) if skip_empty else batches
        if batches is None:
            return None
        if self.is_local:
            final = self.local_path(rel)
            final.parent.mkdir(parents=True, exist_ok=True)
            tmp = final.parent / f".{part_name}.{uuid.uuid4().hex}.tmp"
            copy(tmp)
            crash_point("part_written")
            os.replace(tmp, final)
        else:
            fs = self._fs[0]
            fs.makedirs(self._path(rel).rsplit("/", 1)[0], exist_ok=True)
            with fs.open(self._path(rel), "wb") as fh:
                copy(fh)
            crash_point("part_written")
        return rel

    def iter_batches(self, rel: str, columns: list[str] | None = None, batch_rows: int = 4096) -> Iterator[pa.RecordBatch]:
        """A part's rows in record batches of up to `batch_rows` rows (an article's body is a few
        KB: 4,096 rows are a few tens of MB at most), read as they are asked for."""
        with self._source(rel) as source:
            yield from pq.ParquetFile(source).iter_batches(batch_size=batch_rows, columns=columns)

    def checks(self, rel: str) -> dict:
        """What the snapshot records of a part: as this process wrote it, else as it is now
        (a part a worker process wrote a moment ago)."""
        if (found := _WRITTEN.pop((self.url, rel), None)) is not None:
            return found
        digest, size = hashlib.sha256(), 0
        with self.open_binary(rel) as fh:  # in pieces: a merged file rewritten is up to 32 MiB and more
            while piece := fh.read(2**20):
                digest.update(piece)
                size += len(piece)
        return {"bytes": size, "rows": self.num_rows(rel), "sha256": digest.hexdigest()}

    def size(self, rel: str) -> int | None:
        """The part's size in bytes; None if it does not exist."""
        try:
            if self.is_local:
                return os.stat(self.local_path(rel)).st_size
            return int(self._fs[0].size(self._path(rel)))
        except FileNotFoundError:
            return None

    @contextlib.contextmanager
    def open_binary(self, rel: str) -> Iterator[BinaryIO]:
        if self.is_local:
            with open(self.local_path(rel), "rb") as fh:
                yield fh
        else:
            with self._fs[0].open(self._path(rel), "rb") as fh:
                yield fh

    @contextlib.contextmanager
    def _source(self, rel: str) -> Iterator[Path | BinaryIO]:
        """What pyarrow reads a part from: its local path, or an open fsspec file."""
        if self.is_local:
            yield self.local_path(rel)
        else:
            with self._fs[0].open(self._path(rel), "rb") as fh:
                yield fh

    def read_table(self, rel: str, columns: list[str] | None = None) -> pa.Table:
        with self._source(rel) as source:
            return pq.read_table(source, columns=columns)

    def num_rows(self, rel: str) -> int:
        with self._source(rel) as source:
            return pq.ParquetFile(source).metadata.num_rows

    def metadata(self, rel: str) -> pq.FileMetaData:
        """A part's Parquet footer (its row groups' statistics)."""
        with self._source(rel) as source:
            return pq.ParquetFile(source).metadata

    def schema(self, rel: str) -> pa.Schema:
        with self._source(rel) as source:
            return pq.read_schema(source)

    def _find(self, folder: str = "") -> list[str]:
        """Every file under `folder` of the store, as sorted paths relative to the store."""
        fs, root = self._fs
        start = f"{root}/{folder}" if folder else root
        if self.is_local:  # os.walk: 20x faster than Path.rglob over 5,000 parts (a lookup per batch)
            found = []
            for path, _, names in os.walk(start):
                rel = os.path.relpath(path, root).replace(os.sep, "/")
                found.extend(n if rel == "." else f"{rel}/{n}" for n in names)
            return sorted(found)
        fs.invalidate_cache(start)  # delta-rs writes and vacuums behind fsspec's listing cache
        found = fs.find(start) if fs.exists(start) else []
        return sorted(f[len(root) + 1 :] if f.startswith(root + "/") else f for f in found)

    def list_names(self, folder: str) -> list[str]:
        """The names of the files in one folder of the store ([] if there is none). An
        object store's listing is asked again each time (delta-rs writes the Delta logs
        behind fsspec's listing cache)."""
        if self.is_local:
            try:
                return os.listdir(self.local_path(folder))
            except (FileNotFoundError, NotADirectoryError):
                return []
        fs = self._fs[0]
        fs.invalidate_cache(self._path(folder))
        try:
            return [p.rstrip("/").rsplit("/", 1)[-1] for p in fs.ls(self._path(folder), detail=False)]
        except FileNotFoundError:
            return []
        except Exception as exc:  # refused credentials, no such bucket, …
            raise StoreUnreachable(self.url, exc) from exc

    def files(self) -> list[str]:
        """Every file under the store (parts, and temporary files of killed writers)."""
        return self._find()

    def table_files(self, table: str) -> list[str]:
        """The part files of `table` in the store, whichever snapshot lists them (a part
        is written under a temporary name, or uploaded whole, so a listed one is complete)."""
        return [
            rel
            for rel in self._find(table)
            if rel.endswith(".parquet") and not rel.rsplit("/", 1)[-1].startswith(".") and not in_delta_log(rel)
        ]

    def read_bytes(self, rel: str) -> bytes | None:
        try:
            with self._fs[0].open(self._path(rel), "rb") as fh:
                return fh.read()
        except FileNotFoundError:
            return None
        except Exception as exc:  # the first read of a run (the store's marker): refused credentials, no such bucket, …
            if self.is_local:
                raise
            raise StoreUnreachable(self.url, exc) from exc

    def write_text(self, rel: str, text: str) -> None:
        fs = self._fs[0]
        fs.makedirs(self._fs[1], exist_ok=True)
        with fs.open(self._path(rel), "w", encoding="utf-8") as fh:
            fh.write(text)

    def remove(self, rel: str) -> None:
        if self.is_local:
            self.local_path(rel).unlink(missing_ok=True)
        else:
            self._fs[0].rm(self._path(rel))

    def remove_empty_folders(self) -> None:
        """Emptied month partitions under the table folders (local stores)."""
        for table in TABLES if self.is_local else ():
            folder = self.local_path(table)
            for sub in sorted((d for d in folder.rglob("*") if d.is_dir()), reverse=True) if folder.is_dir() else ():
                if not any(sub.iterdir()):
                    sub.rmdir()


class StoreUnreachable(WirehouseError):
    """An object store that refuses or cannot serve the run's first read, in one line."""

    def __init__(self, url: str, exc: BaseException):
        detail = ": ".join(p for p in (type(exc).__name__, (str(exc).splitlines() or [""])[0]) if p)  # a HEAD's 403 has no body
        super().__init__(
            f"the Parquet store {url} cannot be read ({detail}): give its credentials in AWS_ACCESS_KEY_ID and "
            "AWS_SECRET_ACCESS_KEY (and AWS_REGION; AWS_ENDPOINT_URL for an S3-compatible server) or botocore's "
            "~/.aws/credentials, and check that the bucket exists"
        )


def in_delta_log(rel: str) -> bool:
    """Whether a store path is in a table's Delta log (`<table>/_delta_log/`: commits and
    checkpoints, which are Parquet files too: never parts, never garbage)."""
    return "/_delta_log/" in rel


def _peeked(batches):
    """`batches` from its first batch with rows on (the empty ones before it dropped), or
    None when none has a row."""
    iterator = iter(batches)
    for batch in iterator:
        if batch.num_rows:
            return itertools.chain([batch], iterator)
    return None


# Parts written by this process, with their size, rows and hash, until a snapshot records them.
_WRITTEN: dict[tuple[str, str], dict] = {}


def forget_written(store: ParquetStore) -> None:
    """Drop this process's records of the parts it wrote to `store` (a snapshot has them)."""
    for key in [k for k in _WRITTEN if k[0] == store.url]:
        del _WRITTEN[key]


def part_checks(data: bytes, rows: int) -> dict:
    """What a snapshot records of a part: its size, rows and content hash as written."""
    return {"bytes": len(data), "rows": rows, "sha256": hashlib.sha256(data).hexdigest()}


def default_parquet_dir(warehouse: Path) -> Path:
    return (warehouse / "parquet").resolve()


def check_parquet_url(url: str | None) -> None:
    """A Parquet URL fsspec has no file system for, or whose package is not installed
    (`gs://`, `gcs://`: gcsfs is not a dependency), as one line before a run starts its
    server and model; the store opens it again (ParquetStore._fs)."""
    import fsspec

    protocol = fsspec.core.split_protocol(url)[0] if url else None
    if protocol and protocol not in ("file", "local"):
        try:
            fsspec.get_filesystem_class(protocol)
        except (ImportError, ValueError) as exc:
            raise WirehouseError(f"Parquet URL {url!r}: {exc}") from exc


def open_store(warehouse: Path, snapshot: Snapshot | None, url: str | None = None) -> ParquetStore:
    """The Parquet store of a run: `url` if given, else the one the warehouse's snapshot
    records, else `<warehouse>/parquet`. A warehouse keeps its store: a run given another
    URL is refused (its parts would be split over two places)."""
    wanted = _normal_url(url) if url else None
    recorded = (snapshot.parquet_url or str(default_parquet_dir(warehouse))) if snapshot else None
    if wanted and recorded and wanted != recorded:
        raise WirehouseError(
            f"the warehouse {warehouse} keeps its Parquet files at {recorded}, not {wanted}: "
            "give that --parquet-url, or use a new warehouse folder"
        )
    return ParquetStore(wanted or recorded or str(default_parquet_dir(warehouse)))


def _normal_url(url: str) -> str:
    """Local paths (plain, `file:///abs` or `file:/abs`) as absolute paths; other URLs as given."""
    if url.startswith("file:"):
        return str(Path("/" + url[len("file:") :].lstrip("/")).resolve())
    if "://" not in url:
        return str(Path(url).expanduser().resolve())
    return url.rstrip("/")


STORE_MARKER = "_wirehouse.json"  # at the root of a store: which warehouse owns it
WAREHOUSE_ID = "warehouse_id"  # in `_state/`


_HEX_ID = re.compile(r"[0-9a-f]{32}")


def read_warehouse_id(warehouse: Path) -> str | None:
    """This warehouse's id; None if it has none yet; "" if the file is damaged."""
    try:
        text = (state_dir(warehouse) / WAREHOUSE_ID).read_bytes().decode("utf-8", "replace").strip()
    except FileNotFoundError:
        return None
    return text if _HEX_ID.fullmatch(text) else ""


def read_marker(store: ParquetStore) -> dict | None:
    """The store's owner record; None if there is none; {} if it is damaged."""
    data = store.read_bytes(STORE_MARKER)
    if data is None:
        return None
    try:
        owner = json.loads(data.decode("utf-8"))
    except ValueError:
        return {}
    if not isinstance(owner, dict) or not _HEX_ID.fullmatch(str(owner.get("warehouse_id", ""))):
        return {}
    return owner


def markers_agree(warehouse: Path, store: ParquetStore) -> bool:
    """The warehouse's id and its store's marker both read and name each other."""
    own, owner = read_warehouse_id(warehouse), read_marker(store)
    return bool(own) and bool(owner) and owner["warehouse_id"] == own


def _lists_parts_of(warehouse: Path, store: ParquetStore) -> bool:
    """Whether a readable snapshot of this warehouse lists parts present in `store`: the
    store is this warehouse's though a marker is damaged (part names hold run ids)."""
    listed: set[str] = set()
    for name in (SNAPSHOT_FILE, PREVIOUS_FILE):
        snap = load_snapshot_or_none(warehouse, name)
        if snap and snap.store(warehouse).url == store.url:
            listed.update(p for paths in snap.parts.values() for p in paths)
    return any(store.size(rel) is not None for rel in sorted(listed)[:20])


def claim_store(warehouse: Path, store: ParquetStore) -> list[str]:
    """Make `store` this warehouse's, or refuse it: garbage collection deletes every part
    file under a store that this warehouse's snapshots do not list, so a store must never
    be shared with another warehouse or hold someone else's Parquet tables. A damaged id
    or marker is rewritten when this warehouse's snapshots list parts of the store.
    Returns what was repaired. Called with the run lock held."""
    id_file = state_dir(warehouse) / WAREHOUSE_ID
    marker_name = f"{store.url.rstrip('/')}/{STORE_MARKER}"
    own_id, owner = read_warehouse_id(warehouse), read_marker(store)
    repairs = []
    if owner == {}:  # damaged: whose it is shows only in which snapshots list its parts
        if not _lists_parts_of(warehouse, store):
            raise WirehouseError(
                f"the Parquet store's marker {marker_name} is damaged and this warehouse's snapshots list none of the "
                "store's parts: if the store is this warehouse's, delete that file; else give another --parquet-url"
            )
        owner = None
        repairs.append(f"{STORE_MARKER} of the Parquet store was damaged: rewritten")
    if own_id == "":
        if owner and (owner.get("warehouse") == str(warehouse.resolve()) or _lists_parts_of(warehouse, store)):
            own_id = owner["warehouse_id"]
        elif owner:
            raise WirehouseError(
                f"{id_file} is damaged and the Parquet store {store.url} belongs to another warehouse "
                f"({owner.get('warehouse', 'unknown')}): if the store is this warehouse's, delete {marker_name}; "
                "else give another --parquet-url"
            )
        else:
            own_id = uuid.uuid4().hex
        id_file.parent.mkdir(parents=True, exist_ok=True)
        write_atomically(id_file, own_id)
        repairs.append(f"_state/{WAREHOUSE_ID} was damaged: rewritten")
    if own_id is None:
        own_id = uuid.uuid4().hex
        id_file.parent.mkdir(parents=True, exist_ok=True)
        write_atomically(id_file, own_id)
    if owner is not None:
        if owner.get("warehouse_id") != own_id:
            raise WirehouseError(
                f"the Parquet store {store.url} belongs to another warehouse ({owner.get('warehouse', 'unknown')}): "
                "give each warehouse its own --parquet-url"
            )
        return repairs
    no_snapshot = all(load_snapshot_or_none(warehouse, n) is None for n in (SNAPSHOT_FILE, PREVIOUS_FILE))
    if not repairs and no_snapshot and any(rel.split("/", 1)[0] in TABLES for rel in store.files()):
        raise WirehouseError(
            f"the Parquet store {store.url} already holds Parquet tables that are not this warehouse's: "
            "give an empty or new --parquet-url"
        )
    store.write_text(STORE_MARKER, json.dumps({"warehouse_id": own_id, "warehouse": str(warehouse.resolve())}))
    return repairs


def snapshot_url(warehouse: Path, store: ParquetStore) -> str:
    """What a snapshot records: "" for the default `<warehouse>/parquet` (so that the
    warehouse folder can be moved), else the store's URL."""
    return "" if store.url == str(default_parquet_dir(warehouse)) else store.url


@dataclass
class Snapshot:
    run_id: str
    parts: dict[str, list[str]]  # table -> part paths relative to the Parquet store
    parquet_url: str = ""  # the store; "" is `<warehouse>/parquet`
    # part path -> {"bytes", "rows", "sha256"} of the file as written, for verification
    # (snapshots of older versions have none: their parts are checked by their footers).
    checks: dict[str, dict] = field(default_factory=dict)
    # Read from the store's Delta tables: each table's version (empty: a snapshot JSON).
    versions: dict[str, int] = field(default_factory=dict)
    # Read from a `table_versions` row of an older wirehouse (no files recorded): published anew.
    legacy: bool = False

    def store(self, warehouse: Path) -> ParquetStore:
        return ParquetStore(self.parquet_url or str(default_parquet_dir(warehouse)))


class SnapshotDamaged(Exception):
    """A snapshot file that exists but cannot be read as one (garbage, truncated, wrong shape)."""

    def __init__(self, path: Path, why: str):
        super().__init__(f"{path}: {why}")
        self.path, self.why = path, why


def recorded_store_url(warehouse: Path) -> str:
    """Where the warehouse's store is, as `_state/store.json` records it ("" for
    `<warehouse>/parquet`); a warehouse of an older wirehouse: as its snapshot JSON does."""
    try:
        url = json.loads((state_dir(warehouse) / STORE_FILE).read_bytes().decode("utf-8")).get("parquet_url")
        if isinstance(url, str):
            return url
    except FileNotFoundError:
        pass
    except (OSError, ValueError, AttributeError):
        pass  # damaged: as the snapshot JSON records it, else the default
    for name in (SNAPSHOT_FILE, PREVIOUS_FILE):
        if (snapshot := load_snapshot_json_or_none(warehouse, name)) is not None:
            return snapshot.parquet_url
    return ""


def record_store_url(warehouse: Path, url: str) -> None:
    """Write `_state/store.json` (only when it changes: a new warehouse, or a damaged file)."""
    text = json.dumps({"parquet_url": url})
    path = state_dir(warehouse) / STORE_FILE
    with contextlib.suppress(OSError):
        if path.read_text(encoding="utf-8") == text:
            return
    path.parent.mkdir(parents=True, exist_ok=True)
    write_atomically(path, text)


def load_snapshot(warehouse: Path, name: str = SNAPSHOT_FILE) -> Snapshot | None:
    """The current snapshot (`name` SNAPSHOT_FILE) or the one before (PREVIOUS_FILE), None if
    there is none; `SnapshotDamaged` if it does not read. A local store's is the last (or
    the one before) run of its Delta tables' `table_versions`; an object store's is the JSON
    file `_state/<name>`, as is that of a local store an older wirehouse wrote and no Delta
    commit has caught up with yet (read once: the next run publishes it to the Delta tables)."""
    from flows.store import delta_log

    url = recorded_store_url(warehouse)
    store = ParquetStore(url or str(default_parquet_dir(warehouse)))
    if not delta_log.has_pointer(store):
        return load_snapshot_json(warehouse, name)
    try:
        pointer = delta_log.last_pointer(store)
        if pointer is not None and (state_dir(warehouse) / SNAPSHOT_FILE).exists():
            legacy = load_snapshot_json_or_none(warehouse, SNAPSHOT_FILE)
            if legacy is not None and legacy.run_id > pointer.run_id:  # run ids begin with their time
                return load_snapshot_json(warehouse, name)
        if pointer is not None and name == PREVIOUS_FILE:
            pointer = delta_log.previous_pointer(store, pointer)
        if pointer is None:
            return None
        files = delta_log.pointer_files(store, pointer)
    except delta_log.PointerDamaged as exc:
        raise SnapshotDamaged(Path(exc.path), exc.why) from exc
    return snapshot_of_pointer(pointer, files, url)


def snapshot_of_pointer(pointer, files: dict[str, dict[str, dict]], url: str) -> Snapshot:
    """A `delta_log.Pointer` as the snapshot the build and the plan read."""
    return Snapshot(
        run_id=pointer.run_id,
        parts={table: sorted(found) for table, found in files.items()},
        parquet_url=url,
        checks={rel: record for found in files.values() for rel, record in found.items()},
        versions=dict(pointer.versions),
        legacy=pointer.files is None,
    )


def load_snapshot_json_or_none(warehouse: Path, name: str = SNAPSHOT_FILE) -> Snapshot | None:
    try:
        return load_snapshot_json(warehouse, name)
    except SnapshotDamaged:
        return None


def load_snapshot_json(warehouse: Path, name: str = SNAPSHOT_FILE) -> Snapshot | None:
    """The snapshot JSON in `_state/<name>`, None if there is none; `SnapshotDamaged` if the
    file is not a snapshot."""
    path = state_dir(warehouse) / name
    try:
        data = json.loads(path.read_bytes().decode("utf-8"))
    except FileNotFoundError:
        return None
    except (OSError, ValueError) as exc:  # ValueError: JSON syntax, or bytes that are not UTF-8
        raise SnapshotDamaged(path, f"not readable JSON ({type(exc).__name__})") from exc
    parts = data.get("parts") if isinstance(data, dict) else None
    if not (
        isinstance(parts, dict)
        and isinstance(data.get("run_id"), str)
        and isinstance(data.get("parquet_url", ""), str)
        and all(isinstance(t, str) and isinstance(p, list) and all(isinstance(r, str) for r in p) for t, p in parts.items())
    ):
        raise SnapshotDamaged(path, "not a snapshot (run_id, parts missing or of the wrong type)")
    checks = data.get("checks")
    return Snapshot(
        run_id=data["run_id"],
        parts=parts,
        parquet_url=data.get("parquet_url", ""),
        checks=checks if isinstance(checks, dict) else {},
    )


def load_snapshot_or_none(warehouse: Path, name: str = SNAPSHOT_FILE) -> Snapshot | None:
    try:
        return load_snapshot(warehouse, name)
    except SnapshotDamaged:
        return None


def publish_snapshot(warehouse: Path, snapshot: Snapshot) -> None:
    """Make `snapshot` current, keeping the one it replaces as the previous. Parts that
    thereby leave both (a reader may still read them) start their grace period."""
    folder = state_dir(warehouse)
    folder.mkdir(parents=True, exist_ok=True)
    current = folder / SNAPSHOT_FILE
    old_current, old_previous = (load_snapshot_json_or_none(warehouse, n) for n in (SNAPSHOT_FILE, PREVIOUS_FILE))
    listed = _listed(snapshot) | _listed(old_current or old_previous)
    if old_current is None and current.exists():
        # A damaged current snapshot: which parts it listed is unknown, so every part on
        # disk that stays unlisted starts the grace period (keeps more, never less).
        leaving = {rel for rel in snapshot.store(warehouse).files() if rel.endswith(".parquet")}
    else:
        leaving = _listed(old_previous) if old_current is not None else set()
    _retire(warehouse, leaving - listed)
    # Each file is replaced whole by rename, previous first: a crash at any point leaves a
    # readable current snapshot (the old or the new one). A damaged current snapshot is
    # not kept as the previous (the previous stays).
    if old_current is not None:
        write_atomically(folder / PREVIOUS_FILE, current.read_text())
    crash_point("between_snapshot_files")
    record = {k: v for k, v in asdict(snapshot).items() if k not in ("versions", "legacy")}
    write_atomically(current, json.dumps(record, indent=1, sort_keys=True))


def _listed(snapshot: Snapshot | None) -> set[str]:
    return {p for parts in snapshot.parts.values() for p in parts} if snapshot else set()


def write_atomically(path: Path, text: str) -> None:
    tmp = path.parent / f".{path.name}.{uuid.uuid4().hex}.tmp"
    with open(tmp, "w") as fh:
        fh.write(text)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)


RETIRED_FILE = "retired.json"  # part -> when it left the last published snapshot listing it


def _load_retired(warehouse: Path) -> dict[str, float] | None:
    """The grace clocks; None if the file is unreadable."""
    try:
        data = json.loads((state_dir(warehouse) / RETIRED_FILE).read_bytes().decode("utf-8"))
        return {str(k): float(v) for k, v in data.items()}
    except FileNotFoundError:
        return {}
    except (OSError, ValueError, TypeError, AttributeError):
        return None


def _retire(warehouse: Path, parts: set[str], now: float | None = None) -> None:
    """Start the grace period of `parts`, written before the snapshots stop listing them."""
    if not parts:
        return
    clocks = _load_retired(warehouse) or {}
    now = time.time() if now is None else now
    clocks.update({rel: clocks.get(rel, now) for rel in parts})
    write_atomically(state_dir(warehouse) / RETIRED_FILE, json.dumps(clocks, indent=0, sort_keys=True))


def collect_garbage(warehouse: Path, store: ParquetStore, grace_s: float | None = None, now: float | None = None) -> int:
    """Delete the part files that neither the current nor the previous snapshot lists:
    those a published snapshot listed once, only `grace_s` seconds (default
    $WIREHOUSE_GC_GRACE, seven days) after they left it — a connection opened on an older
    database reads them, and must keep finding them that long, and `--as-of` reads them —
    and those no snapshot was ever published with (a failed or killed run's, temporary
    files) at once. When the store's Delta logs hold the published run, Delta's `vacuum`
    decides (`delta_log.vacuum`: the removal times are in the logs); otherwise (an object
    store, or logs behind the snapshot) `_state/retired.json` keeps the clocks, and while a
    snapshot file or the clocks are unreadable every unlisted part starts a clock instead.
    Returns files removed."""
    from flows.settings import gc_grace_s
    from flows.store import delta_log

    grace_s = gc_grace_s() if grace_s is None else grace_s
    keep, current, unsure = _published(warehouse)
    removed = 0
    # A database left half-built by a killed run (the caller holds the run lock).
    for leftover in warehouse.glob(".*.building-*"):
        leftover.unlink(missing_ok=True)
        removed += 1
    shutil.rmtree(warehouse / SPILL_DIR, ignore_errors=True)  # DuckDB's spill files of a killed build
    if not unsure and current and delta_log.enabled(store) and delta_log.last_committed_run(store) == current.run_id:
        # The Delta logs hold the published run: Delta's vacuum decides (flows/store/delta_log.py).
        for rel in store.files():
            if rel.split("/", 1)[0] in TABLES and rel.endswith(".tmp"):  # a killed writer's, or a killed commit's
                store.remove(rel)
                removed += 1
        removed += delta_log.vacuum(store, grace_s, keep)
        (state_dir(warehouse) / RETIRED_FILE).unlink(missing_ok=True)  # the grace clocks of the store before Delta's
    else:
        removed += _collect_by_clocks(warehouse, store, keep, unsure, grace_s, time.time() if now is None else now)
    store.remove_empty_folders()
    return removed


def _published(warehouse: Path) -> tuple[set[str], Snapshot | None, bool]:
    """The parts the current and previous snapshots list, the current snapshot, and whether
    a snapshot file was unreadable."""
    keep: set[str] = set()
    current, unsure = None, False
    for name in (SNAPSHOT_FILE, PREVIOUS_FILE):
        try:
            snapshot = load_snapshot(warehouse, name)
        except SnapshotDamaged:
            unsure = True
            continue
        keep |= _listed(snapshot)
        current = snapshot if name == SNAPSHOT_FILE else current
    return keep, current, unsure


def _collect_by_clocks(warehouse: Path, store: ParquetStore, keep: set[str], unsure: bool, grace_s: float, now: float) -> int:
    """Garbage collection by the clocks of `_state/retired.json` (a store without Delta logs)."""
    old_clocks = _load_retired(warehouse)
    unsure = unsure or old_clocks is None
    old_clocks = old_clocks or {}
    clocks: dict[str, float] = {}
    removed = 0
    for rel in store.files():
        name = rel.rsplit("/", 1)[-1]
        if rel.split("/", 1)[0] not in TABLES or rel in keep or (in_delta_log(rel) and not name.endswith(".tmp")):
            continue  # a Delta log's commits and checkpoints; a temporary commit of a killed run goes
        if name.endswith(".parquet") and (rel in old_clocks or unsure):
            since = old_clocks.get(rel, now)
            if now - since < grace_s:
                clocks[rel] = since
                continue
        if name.endswith(".parquet") or name.endswith(".tmp"):
            store.remove(rel)
            removed += 1
    if clocks != old_clocks or (unsure and (state_dir(warehouse) / RETIRED_FILE).exists()):
        state_dir(warehouse).mkdir(parents=True, exist_ok=True)
        write_atomically(state_dir(warehouse) / RETIRED_FILE, json.dumps(clocks, indent=0, sort_keys=True))
    return removed


def snapshot_matches_schemas(warehouse: Path, snapshot: Snapshot, skip: set[str] = frozenset()) -> bool:
    """Whether every table of the snapshot has parts in today's schema: a warehouse written
    by an older wirehouse (a column added since) must be rebuilt from its input. Parts in
    `skip` (damaged) are not asked; a table with only those counts as matching."""
    from flows.store.delta_log import delta_schema

    store = snapshot.store(warehouse)
    for table, schema in TABLES.items():
        parts = snapshot.parts.get(table, [])
        if not parts:
            return False
        intact = [p for p in parts if p not in skip]
        if not intact:
            continue
        try:
            # (A file Delta's optimize wrote has the table's Delta schema: unsigned columns one size up.)
            if store.schema(intact[0]).remove_metadata() not in (schema, delta_schema(schema)):
                return False
        except (OSError, ValueError):  # unreadable: processed again rather than trusted
            return False
    return True
