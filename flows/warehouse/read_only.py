"""The one read-only way into a built warehouse: `connect`, `query` and `engine` (also
`from flows import connect, query, engine`), used by `wirehouse query`, `docs`, `export`,
the dashboard and the documented recipes."""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import tempfile
import threading
from pathlib import Path

import duckdb

from flows import settings
from flows.settings import WirehouseError, database_path
from flows.warehouse.extensions import NO_DOWNLOADS, load_extensions
from flows.warehouse.object_store import reach_store_of_views, store_error
from flows.warehouse.sql_text import sql_list

# Every read path (`wirehouse query`, `docs`, `export`, the dashboard, the Python recipe)
# opens the warehouse through `connect`. DuckDB's `read_only` flag alone refuses writes to
# the database but not COPY, EXPORT or ATTACH to other files, nor read_csv('/etc/passwd'):
# the connection also turns off external access except for the exact Parquet files the
# database's views read (`allowed_paths`, measured on DuckDB 1.5.5 and 2.0.0: `..`, globs,
# `file://` and lists that leave them are refused; a directory in `allowed_directories`
# would also let COPY write new files into the store), turns off extension installing and
# autoloading, and locks the configuration so that no SET can undo it.
# DuckDB still lets a COPY with `use_tmp_file false` overwrite an allowed path, and lets
# PRAGMA/CALL/VACUUM/BEGIN run on a read-only database: `check_read_statement` lets only
# read statements through, and every SQL string that comes from a user goes through it.

_PARQUET_PATH = re.compile(r"'((?:[^']|'')*\.parquet)'")
# SELECT covers select, with, from, values, describe, show, summarize and the pragmas
# that read (table_info, database_size, version): DuckDB parses them all as SELECT.
_READ_STATEMENTS = {"SELECT"}
_EXPLAIN = re.compile(r"^\s*explain\s+(?:analyze\s+)?(?P<inner>.*)$", re.IGNORECASE | re.DOTALL)
_WHAT_TO_DO = {
    "COPY": "to write a table to a file use `wirehouse export TABLE -o FILE`",
    "EXPORT": "to write a table to a file use `wirehouse export TABLE -o FILE`",
    "PRAGMA": "to read a pragma use its table function, e.g. select * from pragma_table_info('articles')",
    "CALL": "to read a table function select from it, e.g. select * from pragma_version()",
}


class ReadOnlyError(WirehouseError):
    """A statement the read-only query surface refuses."""


def _store_paths(con: duckdb.DuckDBPyConnection) -> list[str]:
    """The Parquet files the database's views read (absolute paths, from their SQL)."""
    rows = con.execute("select sql from duckdb_views() where not internal").fetchall()
    return sorted({m.replace("''", "'") for (sql,) in rows for m in _PARQUET_PATH.findall(sql or "")})


def connect(warehouse: str | os.PathLike | None = None, as_of: str | dt.datetime | None = None) -> ReadOnlyConnection:
    """A read-only DuckDB connection to the published warehouse (default: the project's
    warehouse/, or $WIREHOUSE_WAREHOUSE) that can read the warehouse and its own Parquet
    files and nothing else: no other file, no network, no extension, no setting changed,
    and that runs read statements only (see ReadOnlyConnection).

    `as_of` (a run id, or a timestamp: the last run finished by then) reads the warehouse
    as that run published it: its models are built over the Parquet files each Delta table
    held at the version `table_versions` names for that run, in a temporary database that
    closing the connection removes.

    Close it (or use it as a context manager) when done; a run publishes a new file by
    rename, and an open connection keeps reading the one it opened."""
    path = database_path(settings.warehouse_dir(warehouse))
    if not path.is_file():
        raise WirehouseError(f"no warehouse at {path}: run `wirehouse run` first")
    if as_of is not None:
        return _connect_as_of(settings.warehouse_dir(warehouse), as_of)
    return _connect_locked_down(path)


def _connect_as_of(warehouse: Path, as_of: str | dt.datetime) -> ReadOnlyConnection:
    from flows.store import delta_log, storage
    from flows.warehouse.build import WarehouseBuildError, build_as_of

    snapshot = storage.load_snapshot_or_none(warehouse)
    if snapshot is None:
        raise WirehouseError(f"the warehouse {warehouse} has no readable snapshot: run `wirehouse run` first")
    store = snapshot.store(warehouse)
    pointer = delta_log.read_pointer(store, as_of)
    then = storage.Snapshot(pointer.run_id, delta_log.files_at(store, pointer), parquet_url=snapshot.parquet_url)
    folder = Path(tempfile.mkdtemp(prefix="wirehouse-as-of-"))
    try:
        con = _connect_locked_down(build_as_of(warehouse, then, folder))
    except (WarehouseBuildError, duckdb.Error) as exc:
        shutil.rmtree(folder, ignore_errors=True)
        raise WirehouseError(f"the warehouse as of run {pointer.run_id} could not be built: {str(exc).splitlines()[0]}") from exc
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    con._on_close.append(lambda: shutil.rmtree(folder, ignore_errors=True))
    return con


# Connecting and locking down is one step per process: two threads that opened the same file
# at once (the dashboard's panels) both found its shared instance not yet locked, and the
# later one's `set allowed_paths` failed on the configuration the other had just locked.
_LOCKING_DOWN = threading.Lock()


def _connect_locked_down(path: Path) -> ReadOnlyConnection:
    with _LOCKING_DOWN:
        return _connect_and_lock_down(path)


def _connect_and_lock_down(path: Path) -> ReadOnlyConnection:
    try:
        con = duckdb.connect(str(path), read_only=True, config=NO_DOWNLOADS)
    except duckdb.Error as exc:
        raise WirehouseError(damaged(path, exc)) from exc
    try:
        # DuckDB shares one database instance between the connections a process opens to
        # the same file with the same config: a later one finds it already locked down.
        locked, external = con.execute(
            "select current_setting('lock_configuration'), current_setting('enable_external_access')"
        ).fetchone()
        if not locked:
            # Extensions (fts: the search index's `match_bm25`) load from their wheels
            # before external access is turned off, which would refuse the LOAD.
            load_extensions(con)
            # An s3:// store's views: httpfs and the store's credentials (one line if none).
            reach_store_of_views(con)
            con.execute("set allowed_paths = " + sql_list(_store_paths(con)))
            con.execute("set enable_external_access = false")
            con.execute("set lock_configuration = true")
        elif external:
            con.close()
            raise WirehouseError(f"{path} is open in this process without the read-only settings; close that connection")
    except duckdb.Error as exc:
        con.close()
        raise WirehouseError(damaged(path, exc)) from exc
    except WirehouseError:
        con.close()
        raise
    return ReadOnlyConnection(con)


class RefusedStatement(ReadOnlyError, duckdb.PermissionException):
    """A statement a `connect()` connection refuses before DuckDB runs it: a WirehouseError
    for the CLI and a DB-API error for SQLAlchemy and DuckDB's own callers."""


class ReadOnlyConnection:
    """What `connect()` returns: DuckDB's connection, but every SQL string given to
    execute/executemany/sql/query/from_query goes through `check_read_statement` first
    (DuckDB's settings alone let `copy … (use_tmp_file false)` overwrite an allowed file).
    Everything else (fetchall, df, arrow, description, extract_statements, close, …) is
    DuckDB's; `cursor()` gives another checked connection."""

    def __init__(self, con: duckdb.DuckDBPyConnection):
        self._con = con
        self._on_close: list = []  # what goes with the connection (an as-of database's folder)

    def close(self) -> None:
        self._con.close()
        while self._on_close:
            self._on_close.pop()()

    def _check(self, sql) -> None:
        if not isinstance(sql, str):
            raise RefusedStatement("give the statement as an SQL string: a connect() connection checks each one")
        try:
            check_read_statement(self._con, sql)
        except ReadOnlyError as exc:
            raise RefusedStatement(str(exc)) from None
        except WirehouseError as exc:  # a syntax error: DuckDB's own exception
            raise exc.__cause__ or exc from None

    def execute(self, query, parameters=None):
        self._check(query)
        self._con.execute(query, parameters)
        return self

    def executemany(self, query, parameters=None):
        self._check(query)
        self._con.executemany(query, parameters)
        return self

    def sql(self, query, **kwargs):
        self._check(query)
        return ReadOnlyRelation(self._con.sql(query, **kwargs), self._con)

    query = from_query = sql

    def cursor(self) -> ReadOnlyConnection:
        return ReadOnlyConnection(self._con.cursor())

    def __getattr__(self, name):
        return _wrap_relations(getattr(self._con, name), self._con)

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        self.close()


# A relation's own writers take `use_tmp_file` too (measured on DuckDB 1.5.5: to_parquet
# over an allowed path with use_tmp_file=False overwrites it), and its `query` runs any SQL.
_RELATION_WRITERS = {
    "to_parquet",
    "write_parquet",
    "to_csv",
    "write_csv",
    "to_table",
    "create",
    "insert_into",
    "insert",
    "update",
}


def _wrap_relations(value, con: duckdb.DuckDBPyConnection):
    """`value`, with every DuckDB relation it is or returns wrapped in ReadOnlyRelation."""
    if isinstance(value, duckdb.DuckDBPyRelation):
        return ReadOnlyRelation(value, con)
    if callable(value) and not isinstance(value, type):

        def call(*args, **kwargs):
            return _wrap_relations(value(*args, **kwargs), con)

        return call
    return value


class ReadOnlyRelation:
    """A DuckDB relation from a `connect()` connection: reads as DuckDB's (df, arrow,
    fetchall, filter, …); its file writers are refused and its `query` is checked."""

    def __init__(self, rel: duckdb.DuckDBPyRelation, con: duckdb.DuckDBPyConnection):
        self._rel = rel
        self._con = con

    def query(self, virtual_table_name: str, sql_query: str):
        ReadOnlyConnection(self._con)._check(sql_query)
        return ReadOnlyRelation(self._rel.query(virtual_table_name, sql_query), self._con)

    def __getattr__(self, name):
        if name in _RELATION_WRITERS:
            raise RefusedStatement(
                f"{name} is refused: the warehouse is read-only; to write a table to a file use `wirehouse export TABLE -o FILE`"
            )
        return _wrap_relations(getattr(self._rel, name), self._con)

    def __getitem__(self, key):
        return _wrap_relations(self._rel[key], self._con)

    def __len__(self) -> int:
        return len(self._rel)

    def __repr__(self) -> str:
        return repr(self._rel)

    def __str__(self) -> str:
        return str(self._rel)


def damaged(path: Path, exc: BaseException) -> str:
    """The one line for a database file DuckDB cannot read (truncated, overwritten, or
    written by a newer DuckDB)."""
    detail = " ".join(str(exc).split("\n")[0].replace(f'"{path}"', "it").split())
    return f"{path} is damaged or not a DuckDB database ({detail}); `wirehouse run` rebuilds it from the Parquet store"


def check_read_statement(con: duckdb.DuckDBPyConnection, sql: str) -> str:
    """`sql` if it is exactly one read statement; otherwise a ReadOnlyError that says why.
    One statement, so that `select 1; select 2` cannot drop a result unseen."""
    try:
        statements = con.extract_statements(sql)
    except duckdb.Error as exc:
        raise WirehouseError(str(exc).splitlines()[0]) from exc
    if not statements:
        raise ReadOnlyError('the query is empty: give one SQL statement, e.g. "select * from top_entities limit 10"')
    if statements[0].type.name == "MULTI" or any(not s.query.strip() for s in statements):
        # DuckDB runs a PIVOT without an IN list as two statements, one of which creates an
        # enum type of the values found (1.5.5: two statements, the first with no text of
        # its own; 2.0: one MULTI). They cannot be told apart from other statements DuckDB
        # splits (`create table … as pivot …`), so they are refused; a PIVOT with its values
        # listed, and UNPIVOT, are plain selects and run.
        raise ReadOnlyError(
            "a pivot must list the values it pivots on, e.g. "
            "pivot top_entities on label in ('PERSON', 'ORG') using sum(mentions): "
            "without `in (…)` DuckDB runs it as several statements, which a read-only query refuses"
        )
    if len(statements) > 1:
        raise ReadOnlyError(f"give one statement at a time (got {len(statements)}); run each one separately to see each result")
    kind = statements[0].type.name
    if kind == "EXPLAIN" and (m := _EXPLAIN.match(sql)):
        try:
            inner = con.extract_statements(m.group("inner"))
        except duckdb.Error:
            inner = []
        if len(inner) == 1 and inner[0].type.name in _READ_STATEMENTS:
            return sql
        kind = f"EXPLAIN of {inner[0].type.name if len(inner) == 1 else 'a statement that is not a select'}"
    elif kind in _READ_STATEMENTS:
        return sql
    keyword = kind.split()[-1]
    hint = _WHAT_TO_DO.get(keyword, "queries are read-only")
    raise ReadOnlyError(
        f"only read statements run here (select, with, from, describe, show, summarize, explain); "
        f"{kind.lower()} is refused: {hint}"
    )


def query_error(path: Path, exc: duckdb.Error) -> str:
    """One line for a DuckDB error raised by a read statement."""
    first = str(exc).splitlines()[0]
    if reading_store := store_error(exc):
        return reading_store
    if isinstance(exc, duckdb.PermissionException):
        return f"{first.split(' - ')[0]}: queries read only the warehouse's tables, views and own Parquet files"
    if isinstance(exc, (duckdb.IOException, duckdb.InternalException, duckdb.FatalException, duckdb.SerializationException)):
        return damaged(path, exc)
    return first


def query(sql: str, warehouse: str | os.PathLike | None = None, params=None, as_of: str | dt.datetime | None = None):
    """Run one read statement against the warehouse; a pandas DataFrame.

    The same checks as `wirehouse query`: a statement that is not a read is refused
    before it runs (WirehouseError), and files outside the warehouse are out of reach.
    `as_of` (a run id or a timestamp) reads the warehouse as that run published it."""
    con = connect(warehouse, as_of=as_of)
    try:
        check_read_statement(con, sql)
        try:
            return con.execute(sql, params).df()
        except duckdb.Error as exc:
            raise WirehouseError(query_error(database_path(settings.warehouse_dir(warehouse)), exc)) from exc
    finally:
        con.close()


def engine(warehouse: str | os.PathLike | None = None):
    """A SQLAlchemy engine (duckdb-engine) whose every connection comes from `connect`.
    A `duckdb:///…?access_mode=read_only` URL cannot do the same: DuckDB refuses
    `allowed_paths` in the config it is opened with, so only a creator can set it."""
    import duckdb_engine
    import sqlalchemy

    return sqlalchemy.create_engine("duckdb://", creator=lambda: duckdb_engine.ConnectionWrapper(connect(warehouse)))
