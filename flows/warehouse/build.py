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
from transforms.schemas import TABLES

_PARQUET_REF = re.compile(r"\{\{\s*parquet\(\s*'(?P<table>\w+)'\s*\)\s*\}\}")
_MATERIALIZED = re.compile(r"^--\s*materialized:\s*(?P<kind>table|view)\s*$", re.MULTILINE)


# Which snapshot and which sql/ the published database was built from, written after the
# swap: a run that finds no file changed skips the build only when both still match.
DATABASE_STATE = "database.json"


_COLUMN_DOC = re.compile(r"^--\s*@column\s+(?P<name>\w+)\s*:\s*(?P<text>.+?)\s*$")


@dataclass(frozen=True)
class Model:
    name: str
    kind: str  # "view" or "table"
    sql: str
    path: Path
    description: str = ""
    column_docs: dict[str, str] = field(default_factory=dict)


def parse_docs(sql: str) -> tuple[str, dict[str, str]]:
    """The model's description (its leading comment lines) and its `-- @column name: text`
    lines; a comment line starting with two spaces continues the previous column's text."""
    description: list[str] = []
    columns: dict[str, str] = {}
    last = None
    for line in sql.splitlines():
        if not line.startswith("--"):
            if line.strip():
                break
            continue
        if _MATERIALIZED.match(line):
            continue
        if m := _COLUMN_DOC.match(line):
            last = m.group("name")
            columns[last] = m.group("text")
        elif last and line.startswith("--   "):
            columns[last] += " " + line[2:].strip()
        elif not columns:
            description.append(line[2:].strip())
    return " ".join(d for d in description if d), columns


@dataclass
class DataTestFailure:
    name: str
    rows: int
    sample: list[tuple] = field(default_factory=list)

    def __str__(self) -> str:
        return f"{self.name}: {self.rows} failing row(s), e.g. {self.sample[:3]}"


class WarehouseBuildError(WirehouseError):
    pass


def load_models(sql_dir: Path, folder: str) -> list[Model]:
    models = []
    for path in sorted((sql_dir / folder).glob("*.sql")):
        sql = path.read_text()
        kind = m.group("kind") if (m := _MATERIALIZED.search(sql)) else "view"
        description, columns = parse_docs(sql)
        models.append(Model(path.stem, kind, sql.strip().rstrip(";"), path, description, columns))
    return models


# The storage format of the published news.duckdb, chosen rather than left to the installed
# DuckDB: DuckDB 2.0's default (`v2.0.0`) cannot be opened by any DuckDB 1.x — the `duckdb`
# CLI that pip installs (duckdb-cli 1.5), BI drivers that bundle 1.x — which fail with
# "Trying to read a database file with version number …, but we can only read versions
# between 64 and 68". `v1.0.0` is what DuckDB 1.0 through 1.5 write by default and read, and
# measured on our warehouse it costs nothing (README "Connecting BI tools"):
# tests/flows/test_bi_access.py opens the built file with DuckDB 1.0.0 in a separate venv.
STORAGE_VERSION = "v1.0.0"


def connect_capped(database: str, warehouse: Path, store: ParquetStore) -> duckdb.DuckDBPyConnection:
    """A DuckDB connection for the run's parent process that reads `store`. DuckDB takes
    up to 80% of RAM by default; here its memory is capped (it spills to disk past the
    cap), so the parent does not grow with the archive (bench/peak_rss.py: +450 MiB for the
    build at 20k articles uncapped)."""
    con = duckdb.connect(
        database,
        config={
            "memory_limit": settings.build_memory(),
            "temp_directory": str(warehouse / SPILL_DIR),
            "storage_compatibility_version": STORAGE_VERSION,
        },
    )
    if not store.is_local:
        con.register_filesystem(store.filesystem())
    return con


def sql_list(paths: list[str]) -> str:
    quoted = ", ".join("'" + p.replace("'", "''") + "'" for p in paths)
    return f"[{quoted}]"


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
    """Create the models, resolving their order by retrying those whose inputs do not exist yet."""
    pending = list(models)
    while pending:
        errors: dict[str, str] = {}
        still: list[Model] = []
        for model in pending:
            try:
                con.execute(f"create or replace {model.kind} {model.name} as\n{render(model.sql, warehouse, snapshot)}")
            except duckdb.CatalogException as exc:
                still.append(model)
                errors[model.name] = str(exc).splitlines()[0]
            except duckdb.Error as exc:
                raise WarehouseBuildError(f"model {model.path.name} failed: {str(exc).splitlines()[0]}") from exc
        if len(still) == len(pending):
            detail = "; ".join(f"{name}: {msg}" for name, msg in errors.items())
            raise WarehouseBuildError(f"models could not be built: {detail}")
        pending = still


def _quote(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def comment_models(con: duckdb.DuckDBPyConnection, models: list[Model]) -> None:
    """COMMENT ON every model and column from the docs in its SQL file, so that a BI tool
    (and `wirehouse docs`) can show what each one means."""
    for model in models:
        if model.description:
            con.execute(f"comment on {model.kind} {model.name} is {_quote(model.description)}")
        for column in con.sql(f"select * from {model.name} limit 0").columns:
            if text := model.column_docs.get(column):
                con.execute(f"comment on column {model.name}.{column} is {_quote(text)}")


def run_data_tests(con: duckdb.DuckDBPyConnection, sql_dir: Path) -> list[DataTestFailure]:
    failures = []
    for path in sorted((sql_dir / "tests").glob("*.sql")):
        sql = path.read_text().strip().rstrip(";")
        try:
            count = con.execute(f"select count(*) from ({sql})").fetchone()[0]
            sample = con.execute(f"select * from ({sql}) limit 3").fetchall() if count else []
        except duckdb.Error as exc:
            failures.append(DataTestFailure(path.stem, -1, [(str(exc).splitlines()[0],)]))
            continue
        if count:
            failures.append(DataTestFailure(path.stem, count, sample))
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
    staging, marts = load_models(sql_dir, "staging"), load_models(sql_dir, "marts")
    store = snapshot.store(warehouse)
    if not store.is_local:
        # DuckDB reads the parts through fsspec while it builds; the staging models become
        # tables, so that the published database opens anywhere (a BI tool, `wirehouse
        # query`) without the store's file system or credentials.
        staging = [replace(m, kind="table") for m in staging]
    models = staging + marts
    try:
        con = connect_capped(str(tmp), warehouse, store)
        try:
            _create_models(con, models, warehouse, snapshot)
            comment_models(con, models)
            failures = run_data_tests(con, sql_dir)
            if failures:
                raise WarehouseBuildError(
                    "data tests failed, the previous warehouse stays published: " + "; ".join(map(str, failures))
                )
            con.execute("checkpoint")
        finally:
            con.close()
        if before_swap:
            before_swap()
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
    return BuildResult(database=final, models=len(models), data_tests=len(list((sql_dir / "tests").glob("*.sql"))))


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
    return {"run_id": snapshot.run_id, "sql": sql_fingerprint(sql_dir), "parquet": snapshot.store(warehouse).url}


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


# ------------------------------------------------------------------ reading

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


def connect(warehouse: str | os.PathLike | None = None) -> ReadOnlyConnection:
    """A read-only DuckDB connection to the published warehouse (default: the project's
    warehouse/, or $WIREHOUSE_WAREHOUSE) that can read the warehouse and its own Parquet
    files and nothing else: no other file, no network, no extension, no setting changed,
    and that runs read statements only (see ReadOnlyConnection).

    Close it (or use it as a context manager) when done; a run publishes a new file by
    rename, and an open connection keeps reading the one it opened."""
    path = database_path(settings.warehouse_dir(warehouse))
    if not path.is_file():
        raise WirehouseError(f"no warehouse at {path}: run `wirehouse run` first")
    try:
        con = duckdb.connect(
            str(path), read_only=True, config={"autoinstall_known_extensions": False, "autoload_known_extensions": False}
        )
    except duckdb.Error as exc:
        raise WirehouseError(damaged(path, exc)) from exc
    try:
        # DuckDB shares one database instance between the connections a process opens to
        # the same file with the same config: a later one finds it already locked down.
        locked, external = con.execute(
            "select current_setting('lock_configuration'), current_setting('enable_external_access')"
        ).fetchone()
        if not locked:
            con.execute("set allowed_paths = " + sql_list(_store_paths(con)))
            con.execute("set enable_external_access = false")
            con.execute("set lock_configuration = true")
        elif external:
            con.close()
            raise WirehouseError(f"{path} is open in this process without the read-only settings; close that connection")
    except duckdb.Error as exc:
        con.close()
        raise WirehouseError(damaged(path, exc)) from exc
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
        self._con.close()


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
    if isinstance(exc, duckdb.PermissionException):
        return f"{first.split(' - ')[0]}: queries read only the warehouse's tables, views and own Parquet files"
    if isinstance(exc, (duckdb.IOException, duckdb.InternalException, duckdb.FatalException, duckdb.SerializationException)):
        return damaged(path, exc)
    return first


def query(sql: str, warehouse: str | os.PathLike | None = None, params=None):
    """Run one read statement against the warehouse; a pandas DataFrame.

    The same checks as `wirehouse query`: a statement that is not a read is refused
    before it runs (WirehouseError), and files outside the warehouse are out of reach."""
    con = connect(warehouse)
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
