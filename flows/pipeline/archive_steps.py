"""The run's steps after the batches, over the whole archive: link duplicates, decide one
identity per entity, then build, test and publish the warehouse. Each is a Prefect task
around the code in flows/warehouse/ that does the work in DuckDB."""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa
from prefect import get_run_logger, task
from prefect.cache_policies import NO_CACHE

from flows import settings
from flows.faults import crash_point
from flows.store import delta_log, storage
from flows.warehouse.build import build_warehouse, connect_capped
from flows.warehouse.duplicates import find_duplicates_sql
from flows.warehouse.identity import decide_identity
from flows.warehouse.sql_text import sql_list
from transforms import schemas
from transforms.reference import Reference


@task(name="link-duplicates", cache_policy=NO_CACHE)
def link_duplicates(store: storage.ParquetStore, article_parts: list[str], group: str, warehouse: Path) -> str:
    """Exact and near duplicates over every article of the snapshot; earlier published
    (then lower id) is the original. In DuckDB under the build's memory cap: holding every
    article's MinHash in Python grew the run's parent process with the archive."""
    found = []
    if article_parts:
        con = connect_capped(":memory:", warehouse, store)
        try:
            files = sql_list([store.uri(rel) for rel in article_parts])
            # (minhash cast: Delta's optimize writes it as bigint[], DuckDB takes the first file's type.)
            source = (
                "select article_id, published_date, body_fingerprint, minhash::uinteger[] as minhash"
                f" from read_parquet({files}, hive_partitioning = false)"
            )
            found = find_duplicates_sql(con, source)
        finally:
            con.close()
    out = pa.table({name: [getattr(d, name) for d in found] for name in schemas.DUPLICATES.names}, schema=schemas.DUPLICATES)
    get_run_logger().info("%d duplicate articles (%d exact)", len(found), sum(d.kind == "exact" for d in found))
    return store.write("duplicates", out, group)


@task(name="resolve-identity", cache_policy=NO_CACHE)
def resolve_identity(
    store: storage.ParquetStore,
    parts: dict[str, list[str]],
    previous_parts: list[str],
    touched_ids: set[str],
    reference: Reference,
    run_id: str,
    warehouse: Path,
) -> str:
    """One identity per real-world entity over every entity of the snapshot (flows/warehouse/identity.py),
    re-deciding only the blocks this run's mentions touch when a previous decision exists."""
    group = f"part-{run_id}"
    if not parts["entities"]:
        return store.write("entity_identity", schemas.ENTITY_IDENTITY.empty_table(), group)
    con = connect_capped(":memory:", warehouse, store, memory=settings.identity_memory(), threads=settings.identity_threads())
    try:
        entities = f"select * from read_parquet({sql_list([store.uri(p) for p in parts['entities']])}, hive_partitioning = false)"
        if settings.skip_identity():  # benchmarks only: every entity its own, nothing decided
            table = con.execute(
                "select entity_id, entity_id as resolved_id, any_value(canonical_name) as canonical_name,"
                " any_value(label) as label, 'self' as rule, entity_id as block, '' as overrides, ? as run_id"
                f" from ({entities}) group by entity_id",
                [run_id],
            ).fetch_arrow_table()
            return store.write("entity_identity", table.cast(schemas.ENTITY_IDENTITY), group)
        articles = (
            f"select article_id, source, published_date from read_parquet({sql_list([store.uri(p) for p in parts['articles']])},"
            " hive_partitioning = false)"
        )
        previous = (
            f"select * from read_parquet({sql_list([store.uri(p) for p in previous_parts])}, hive_partitioning = false)"
            if previous_parts
            else None
        )
        reader = decide_identity(con, entities, articles, reference, run_id, previous, touched_ids)
        part = store.write_batches("entity_identity", reader, group)
    finally:
        con.close()
    get_run_logger().info("entity identity decided (%d entity ids this run's mentions touched)", len(touched_ids))
    return part


def publish(warehouse: Path, snapshot: storage.Snapshot) -> None:
    """Publish the snapshot. A local store: commit its parts to the store's Delta tables and
    the run to `table_versions` last (flows/store/delta_log.py), which is the publish; the
    snapshot JSON of an older wirehouse goes after it. An object store: the snapshot JSON."""
    store = snapshot.store(warehouse)
    if not delta_log.enabled(store):
        storage.publish_snapshot(warehouse, snapshot)
        return
    storage.record_store_url(warehouse, snapshot.parquet_url)
    delta_log.commit_run(store, snapshot.run_id, snapshot.parts, snapshot.checks)
    for name in (storage.SNAPSHOT_FILE, storage.PREVIOUS_FILE):
        (storage.state_dir(warehouse) / name).unlink(missing_ok=True)


@task(name="publish-warehouse", cache_policy=NO_CACHE)
def publish_warehouse(warehouse: Path, snapshot: storage.Snapshot) -> str:
    """Build the new database from `snapshot`, test it, publish the snapshot and swap the
    database in; then remove parts no published snapshot lists any more."""
    # The snapshot is published once the new database passed its data tests and before it
    # replaces the old one: a crash in between leaves the old database, whose parts the
    # previous snapshot still keeps, and the next run rebuilds the database.
    result = build_warehouse(warehouse, snapshot, before_swap=lambda: publish(warehouse, snapshot))
    crash_point("before_garbage_collection")
    removed = storage.collect_garbage(warehouse, snapshot.store(warehouse))
    get_run_logger().info(
        "warehouse %s built: %d models, %d data tests passed, %d old part files removed",
        result.database,
        result.models,
        result.data_tests,
        removed,
    )
    return str(result.database)
