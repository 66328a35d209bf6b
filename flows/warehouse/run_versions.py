"""The `run_table_versions` table of the database: each published run's Delta version of
each store table, read from the store's `table_versions` (flows/store/delta_log.py), so
that the `run_history` mart links each run to its table versions (issue 17).

A run's database is built and data-tested before the run publishes (its commit makes the
versions), so `build_warehouse` writes the table twice: before the models (the runs
published so far, so `run_history` binds and its tests run) and again after the publish,
before the swap, with the run's own rows. A run killed between its commit and the swap
leaves its rows in `table_versions`; the next run's build reads them here as well. A store
without Delta tables (an object store's snapshot JSON: memory://) gives no rows.
"""

from __future__ import annotations

import duckdb
import pyarrow as pa
import pyarrow.compute as pc

from flows.store import delta_log
from flows.store.storage import ParquetStore
from flows.warehouse.models import BUILT_TABLES
from flows.warehouse.sql_text import sql_string

TABLE = "run_table_versions"
assert TABLE in BUILT_TABLES  # the models may read it

SCHEMA = pa.schema(
    [
        ("run_id", pa.string()),
        ("table_name", pa.string()),
        ("version", pa.int64()),
        ("finished_at", pa.timestamp("us", tz="UTC")),
    ]
)

DESCRIPTION = (
    "Each published run's Delta Lake version of each table of the Parquet store, from the "
    "store's table_versions (empty for an object store without Delta tables)."
)

COLUMNS = {
    "run_id": "the published run (run_history's run_id)",
    "table_name": "a table of the Parquet store (a Delta Lake table)",
    "version": "the table's Delta version the run published (DeltaTable(...).version() after its commit)",
    "finished_at": "when the run's table_versions rows were written (UTC)",
}


def version_rows(store: ParquetStore, up_to: str | None = None, damaged_ok: bool = False) -> pa.Table:
    """One row per published run and table, in the order the runs finished; with `up_to`
    (a run id), only the runs up to and including it (the warehouse as of that run). With
    `damaged_ok`, a `table_versions` whose log cannot be read gives no rows instead of the
    error: the build before a run's publish, which repairs that log (delta_log.rebuild_versions)
    and after which the build writes the rows again."""
    from deltalake.exceptions import DeltaError

    try:
        rows = delta_log.published_versions(store)
    except DeltaError:
        if not damaged_ok:
            raise
        rows = None
    if rows is None:
        return SCHEMA.empty_table()
    rows = rows.select(SCHEMA.names).cast(SCHEMA)
    if up_to is not None:
        ends = pc.filter(rows["finished_at"], pc.equal(rows["run_id"], up_to))
        if len(ends):
            rows = rows.filter(pc.less_equal(rows["finished_at"], ends[0]))
    return rows


def write_run_versions(
    con: duckdb.DuckDBPyConnection, store: ParquetStore, up_to: str | None = None, damaged_ok: bool = False
) -> int:
    """(Re)create `run_table_versions` in the database `con` writes; the rows written
    (`damaged_ok`: see version_rows)."""
    rows = version_rows(store, up_to, damaged_ok)
    con.register("_run_versions_rows", rows)
    try:
        con.execute(
            f"create or replace table {TABLE} (run_id varchar not null, table_name varchar not null, "
            "version bigint not null, finished_at timestamp with time zone not null)"
        )
        con.execute(f"insert into {TABLE} select run_id, table_name, version, finished_at from _run_versions_rows")
    finally:
        con.unregister("_run_versions_rows")
    con.execute(f"comment on table {TABLE} is {sql_string(DESCRIPTION)}")
    for column, text in COLUMNS.items():
        con.execute(f"comment on column {TABLE}.{column} is {sql_string(text)}")
    return rows.num_rows
