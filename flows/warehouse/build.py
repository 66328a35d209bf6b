"""Build the DuckDB warehouse from sql/ over a Parquet snapshot, test it, and swap it in.

The new database is built beside the published one, the SQL data tests run on it, and
only then does a rename publish it: readers holding the old file keep reading the old
file, new connections see the new one, and a failed build leaves the old one in place.
Every Parquet path in the database is absolute, so it opens from any working directory.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

import duckdb

from flows import settings
from flows.faults import crash_point
from flows.settings import SQL_DIR, WirehouseError, database_path
from flows.store.storage import SPILL_DIR, ParquetStore, Snapshot, state_dir, write_atomically
from flows.warehouse.extensions import NO_DOWNLOADS
from flows.warehouse.models import Model, ModelError, declared_tests, load_all, one_scan
from flows.warehouse.object_store import reach_store, reads_through_httpfs, store_error
from flows.warehouse.run_versions import write_run_versions
from flows.warehouse.search import INDEX_VERSION as SEARCH_INDEX_VERSION
from flows.warehouse.search import build_search_index
from flows.warehouse.sql_text import sql_list, sql_string
from transforms.schemas import TABLES

_PARQUET_REF = re.compile(r"\{\{\s*parquet\(\s*'(?P<table>\w+)'\s*\)\s*\}\}")


# Which snapshot and which sql/ the published database was built from, written after the
# swap: a run that finds no file changed skips the build only when both still match.
DATABASE_STATE = "database.json"


@dataclass
class DataTestFailure:
    name: str
    rows: int
    sample: list[tuple] = field(default_factory=list)

    def __str__(self) -> str:
        if self.rows < 0:
            return f"{self.name}: could not run: {self.sample[0][0]}"
        return f"{self.name}: {self.rows} failing row(s), e.g. {self.sample[:3]}"


class WarehouseBuildError(WirehouseError):
    pass


# The storage format of the published news.duckdb, chosen rather than left to the installed
# DuckDB: DuckDB 2.0's default (`v2.0.0`) cannot be opened by any DuckDB 1.x — the `duckdb`
# CLI that pip installs (duckdb-cli 1.5), BI drivers that bundle 1.x — which fail with
# "Trying to read a database file with version number …, but we can only read versions
# between 64 and 68". `v1.0.0` is what DuckDB 1.0 through 1.5 write by default and read, and
# measured on our warehouse it costs nothing (README "Connecting BI tools"):
# tests/flows/test_bi_access.py opens the built file with DuckDB 1.0.0 in a separate venv.
STORAGE_VERSION = "v1.0.0"


def connect_capped(
    database: str,
    warehouse: Path,
    store: ParquetStore,
    *,
    memory: str | None = None,
    threads: int | None = None,
    spill: Path | None = None,
) -> duckdb.DuckDBPyConnection:
    """A DuckDB connection for the run's parent process that reads `store`. DuckDB takes
    up to 80% of RAM by default; here its memory is capped (it spills to disk past the
    cap, under `spill`, default the warehouse's), so the parent does not grow with the archive (bench/peak_rss.py: +450 MiB for the
    build at 20k articles uncapped). `memory`, `threads`: another cap than the build's, and
    fewer threads than cores (the identity step's)."""
    con = duckdb.connect(
        database,
        config={
            "memory_limit": memory or settings.build_memory(),
            **({"threads": threads} if threads else {}),
            "temp_directory": str(spill or warehouse / SPILL_DIR),
            "storage_compatibility_version": STORAGE_VERSION,
            **NO_DOWNLOADS,
        },
    )
    if reads_through_httpfs(store.url):
        try:
            reach_store(con, store.url)
        except BaseException:
            con.close()
            raise
    elif not store.is_local:
        con.register_filesystem(store.filesystem())
    return con


def render(sql: str, warehouse: Path, snapshot: Snapshot) -> str:
    """Replace `{{ parquet('table') }}` with the list of the snapshot's part files: absolute
    paths, or URLs when the Parquet store is not local."""
    store = snapshot.store(warehouse)

    def files(match: re.Match) -> str:
        table = match.group("table")
        if table not in TABLES:
            raise WarehouseBuildError(f"sql refers to unknown table {table!r}")
        parts = snapshot.parts.get(table, [])
        if not parts:
            raise WarehouseBuildError(f"snapshot {snapshot.run_id} has no Parquet files for {table!r}")
        return sql_list([store.uri(rel) for rel in parts])

    return _PARQUET_REF.sub(files, sql)


def _create_models(con: duckdb.DuckDBPyConnection, models: list[Model], warehouse: Path, snapshot: Snapshot) -> None:
    """Create the models in the order given (`build_order`: each after the models it reads)."""
    for model in models:
        try:
            con.execute(f"create or replace {model.kind} {model.name} as\n{render(model.sql, warehouse, snapshot)}")
        except duckdb.Error as exc:
            raise WarehouseBuildError(f"model {model.path.name} failed: {store_error(exc) or str(exc).splitlines()[0]}") from exc


def comment_models(con: duckdb.DuckDBPyConnection, models: list[Model]) -> None:
    """COMMENT ON every model and column from the docs in its SQL file, so that a BI tool
    (and `wirehouse docs`) can show what each one means. A column the docs, tests or key
    name that the model does not have is an error naming it."""
    for model in models:
        if model.description:
            con.execute(f"comment on {model.kind} {model.name} is {sql_string(model.description)}")
        columns = con.sql(f"select * from {model.name} limit 0").columns
        named = set(model.column_docs) | {c for test in model.tests for c in test.columns}
        if unknown := sorted(named - set(columns)):
            raise WarehouseBuildError(
                f"model {model.path.name} documents or tests {', '.join(unknown)}, which it has no column of"
            )
        for column in columns:
            if text := model.column_docs.get(column):
                con.execute(f"comment on column {model.name}.{column} is {sql_string(text)}")


def data_tests(sql_dir: Path, models: list[Model] | None = None) -> list[tuple[str, str]]:
    """(name, query) of every data test: those the models declare, then the hand-written
    ones in sql/tests. Each query returns the rows that break it."""
    declared = declared_tests(models if models is not None else load_all(sql_dir))
    written = [(p.stem, p.read_text().strip().rstrip(";")) for p in sorted((sql_dir / "tests").glob("*.sql"))]
    return declared + written


def run_data_tests(con: duckdb.DuckDBPyConnection, sql_dir: Path, models: list[Model] | None = None) -> list[DataTestFailure]:
    models = models if models is not None else load_all(sql_dir)
    passed: set[str] = set()
    for model in models:
        if scan := one_scan(model):
            try:
                counts = con.execute(scan[0]).fetchone()
            except duckdb.Error:
                continue  # each test runs on its own below and says what is wrong
            passed |= {name for name, count in zip(scan[1], counts, strict=True) if count == 0}
    failures = []
    for name, sql in data_tests(sql_dir, models):
        if name in passed:
            continue
        try:
            count = con.execute(f"select count(*) from ({sql})").fetchone()[0]
            sample = con.execute(f"select * from ({sql}) limit 3").fetchall() if count else []
        except duckdb.Error as exc:
            failures.append(DataTestFailure(name, -1, [(str(exc).splitlines()[0],)]))
            continue
        if count:
            failures.append(DataTestFailure(name, count, sample))
    return failures


@dataclass
class BuildResult:
    database: Path
    models: int
    data_tests: int


def build_warehouse(
    warehouse: Path, snapshot: Snapshot, sql_dir: Path = SQL_DIR, before_swap: Callable[[], None] | None = None
) -> BuildResult:
    """Build a fresh database for `snapshot`, run the data tests, publish it by rename.
    `before_swap` runs once the new database has passed its tests, just before the rename."""
    warehouse.mkdir(parents=True, exist_ok=True)
    final = database_path(warehouse)
    tmp = warehouse / f".{final.name}.building-{uuid.uuid4().hex[:8]}"
    try:
        models = load_all(sql_dir)
        tests = data_tests(sql_dir, models)
    except ModelError as exc:
        raise WarehouseBuildError(str(exc)) from exc
    store = snapshot.store(warehouse)
    if not store.is_local and not reads_through_httpfs(store.url):
        # DuckDB reads the parts through fsspec while it builds (memory://, …); the
        # staging models become tables, so that the published database opens anywhere (a BI
        # tool, `wirehouse query`) without the store's file system. An s3:// store's stay
        # views over its URLs, read by DuckDB's httpfs (flows/warehouse/object_store.py).
        models = [replace(m, kind="table") if m.path.parent.name == "staging" else m for m in models]
    try:
        con = connect_capped(str(tmp), warehouse, store)
        try:
            # The runs published so far, so that `run_history` binds and its tests run; a damaged
            # table_versions log gives none here: this run's publish repairs it, and the rows
            # are written again after it (below).
            write_run_versions(con, store, damaged_ok=True)
            _create_models(con, models, warehouse, snapshot)
            comment_models(con, models)
            build_search_index(con)
            failures = run_data_tests(con, sql_dir, models)
            if failures:
                raise WarehouseBuildError(
                    "data tests failed, the previous warehouse stays published: " + "; ".join(map(str, failures))
                )
            con.execute("checkpoint")
        finally:
            con.close()
        if before_swap:
            before_swap()
            # The publish made this run's table versions: the database gets them before the swap.
            con = connect_capped(str(tmp), warehouse, store)
            try:
                write_run_versions(con, store)
                con.execute("checkpoint")
            finally:
                con.close()
        crash_point("before_database_swap")
        os.replace(tmp, final)
        state_dir(warehouse).mkdir(parents=True, exist_ok=True)
        # The file as the build left it: a later change of size or time is damage (every
        # run looks), a changed content hash too (`wirehouse check --deep` looks).
        st = final.stat()
        built = {
            **_database_state(warehouse, snapshot, sql_dir),
            "bytes": st.st_size,
            "mtime_ns": st.st_mtime_ns,
            "sha256": file_sha256(final),
        }
        write_atomically(state_dir(warehouse) / DATABASE_STATE, json.dumps(built))
    finally:
        for leftover in (tmp, Path(f"{tmp}.wal")):
            leftover.unlink(missing_ok=True)
    return BuildResult(database=final, models=len(models), data_tests=len(tests))


def build_as_of(warehouse: Path, snapshot: Snapshot, folder: Path, sql_dir: Path = SQL_DIR) -> Path:
    """A database of every model over `snapshot`'s parts, in `folder` (which the caller
    removes): the warehouse as a run left it, for `--as-of`. The data tests passed when that
    run published it; the search index is not rebuilt."""
    try:
        models = load_all(sql_dir)
    except ModelError as exc:
        raise WarehouseBuildError(str(exc)) from exc
    path = folder / database_path(warehouse).name
    # (An s3:// store's views read it through httpfs, with the store's credentials, as the published build's do.)
    store = snapshot.store(warehouse)
    con = connect_capped(str(path), warehouse, store, spill=folder / SPILL_DIR)
    try:
        write_run_versions(con, store, up_to=snapshot.run_id)  # the runs up to that one
        _create_models(con, models, warehouse, snapshot)
        comment_models(con, models)
        con.execute("checkpoint")
    finally:
        con.close()
    return path


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        while chunk := fh.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def sql_fingerprint(sql_dir: Path = SQL_DIR) -> str:
    """A hash of every file under `sql_dir` (names and contents)."""
    digest = hashlib.sha256()
    for path in sorted(p for p in sql_dir.rglob("*") if p.is_file()):
        digest.update(path.relative_to(sql_dir).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def _database_state(warehouse: Path, snapshot: Snapshot, sql_dir: Path) -> dict[str, str]:
    # The store's resolved location too: the views name absolute part paths, so a moved
    # warehouse folder needs a rebuild though its snapshot and sql/ are the same.
    # The search index's version too: a warehouse whose index an older wirehouse built gets the new one.
    return {
        "run_id": snapshot.run_id,
        "sql": sql_fingerprint(sql_dir),
        "parquet": snapshot.store(warehouse).url,
        "search_index": SEARCH_INDEX_VERSION,
    }


def recorded_database(warehouse: Path) -> tuple[dict | None, str | None]:
    """(what `_state/database.json` records of the published database, what is wrong with
    the file): (None, None) when there is none."""
    path = state_dir(warehouse) / DATABASE_STATE
    try:
        state = json.loads(path.read_bytes().decode("utf-8"))
    except FileNotFoundError:
        return None, None
    except (OSError, ValueError) as exc:
        return None, f"_state/{DATABASE_STATE} was damaged (not readable JSON: {type(exc).__name__})"
    if not isinstance(state, dict) or not all(isinstance(state.get(k), str) for k in ("run_id", "sql", "parquet")):
        return None, f"_state/{DATABASE_STATE} was damaged (not a database record)"
    return state, None


def database_is_current(warehouse: Path, snapshot: Snapshot, sql_dir: Path = SQL_DIR) -> bool:
    """Whether the published database was built from `snapshot`, with today's sql/, at
    the store's present location."""
    state, _ = recorded_database(warehouse)
    if state is None or not database_path(warehouse).exists():
        return False
    return all(state.get(k) == v for k, v in _database_state(warehouse, snapshot, sql_dir).items())
