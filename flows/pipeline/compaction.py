"""Compaction: many small part files (one group per batch of every small run) become a few
larger ones, so that a warehouse fed every 15 minutes does not end up reading thousands of
tiny files.

A part group is the set of files named `<group>.parquet` across the row tables (the rows of
one batch of input files); the manifest's `part` column names each input file's group.

On a store whose tables are Delta tables (local, `s3://`) compaction is Delta's own:
`optimize.compact()` of each row table (and of `runs`), after the run's parts are committed
to it and before the warehouse is built from its files, so that the database, the run's
`table_versions` row and the tables name the same files. Optimize's commit removes the
small files (dataChange false) and adds delta-rs's merged ones; the removed files stay
readable for the run before (vacuum keeps its version, and the grace period any other).
The merged files belong to no group: the manifest keeps each input file's old group name,
and a changed or deleted file whose group's files are gone has its rows found by key
(`source_path`, `article_id`) in the files no group names (`manifest.rewrite_parts`). A
run killed between optimize's commit and its `table_versions` row leaves the tables ahead
of the pointer: the next run restores them, as after any killed commit. delta-rs declares
unsigned columns one size up (`delta_log.delta_schema`), and its merged files are written in
that declared schema (minhash `list<int64>`): readers cast (the staging view, `rewrite_parts`).

Why Delta's and not a merge of our own (the sixth session's plan kept our own): what decides
is the format (other engines compact the same tables the same way, a Delta reader sees an
OPTIMIZE commit, not a rewrite), at a measured cost in bench/RESULTS.md (session 9).
The Delta tables have no partition columns, so optimize's files sit at the table's top (why:
README, "The tables have no Delta partition columns": measured sizes far under what a
partition pays for, and no dates at all in the BBC corpus; other engines skip files by the
ranges each add action records, `delta_log.file_stats`); a store without Delta tables
(memory://: snapshot JSON) keeps the month-partitioned merge of groups below.
"""

from __future__ import annotations

import collections
from collections.abc import Callable

import pyarrow as pa
import pyarrow.compute as pc
from prefect import get_run_logger

from flows.plan import manifest
from flows.store import storage
from transforms import schemas

# Compact when a snapshot has more groups than this...
MAX_GROUPS = 16
# ...merging groups of fewer articles than this (a batch is 200 files), into groups of
# about this many. A merge holds one output group's tables in memory, so it stays small.
SMALL_GROUP_ARTICLES = 1_000
TARGET_GROUP_ARTICLES = 5_000
# Run-history parts (one per run) are merged into one file past this many.
MAX_RUNS_PARTS = 32

ROW_TABLES = manifest.ROW_TABLES_BY_PATH + manifest.ROW_TABLES_BY_ARTICLE


def _group_sizes(store: storage.ParquetStore, parts: dict[str, list[str]]) -> dict[str, int]:
    """Articles per group, from the Parquet footers; groups with rejects only count 0."""
    sizes: dict[str, int] = collections.defaultdict(int)
    for table in ROW_TABLES:
        for rel in parts.get(table, []):
            sizes.setdefault(manifest.part_group(rel), 0)
    for rel in parts.get("articles", []):
        sizes[manifest.part_group(rel)] += store.num_rows(rel)
    return dict(sizes)


def _month_of(articles: pa.Table) -> dict[str, str]:
    months = pc.strftime(articles["published_date"].cast(pa.timestamp("s")), format="%Y-%m").to_pylist()
    return {aid: f"month={m or 'unknown'}" for aid, m in zip(articles["article_id"].to_pylist(), months, strict=False)}


def compact(
    store: storage.ParquetStore,
    parts: dict[str, list[str]],
    states: list[manifest.FileState],
    run_id: str,
    checks: Callable[[str], dict],
    max_groups: int = MAX_GROUPS,
) -> tuple[dict[str, list[str]], list[manifest.FileState], int]:
    """(parts, manifest states, tables or groups compacted) after compacting, if a row
    table has more than `max_groups` files (part groups). `checks(rel)` gives a part's
    size, rows and hash, for the commit that precedes Delta's optimize."""
    from flows.store import delta_log

    parts = {table: list(paths) for table, paths in parts.items()}
    if delta_log.enabled(store):
        return _optimize(store, parts, run_id, checks, max_groups), states, 0
    return _merge_small_groups(store, parts, states, run_id, max_groups)


def _optimize(
    store: storage.ParquetStore, parts: dict[str, list[str]], run_id: str, checks: Callable[[str], dict], max_groups: int
) -> dict[str, list[str]]:
    """Delta's `optimize.compact()` of the row tables (when one has more than `max_groups`
    files) and of `runs` (more than MAX_RUNS_PARTS): each table committed with this run's
    parts first, then optimized; its parts are then its files at the optimized version."""
    from flows.store import delta_log

    due = [t for t in ROW_TABLES if len(parts.get(t, [])) > max_groups]
    tables = [*ROW_TABLES] if due else []
    if len(parts.get("runs", [])) > MAX_RUNS_PARTS:
        tables.append("runs")
    if not tables:
        return parts
    logger = get_run_logger()
    before = sum(len(parts.get(t, [])) for t in tables)
    recorded = {rel: checks(rel) for t in tables for rel in parts.get(t, [])}
    for table in tables:
        parts[table] = delta_log.compact_table(store, run_id, table, parts.get(table, []), recorded)
    logger.info(
        "compacted %d small part files into %d with Delta's optimize (%s)",
        before,
        sum(len(parts[t]) for t in tables),
        ", ".join(tables),
    )
    return parts


def _merge_small_groups(
    store: storage.ParquetStore, parts: dict[str, list[str]], states: list[manifest.FileState], run_id: str, max_groups: int
) -> tuple[dict[str, list[str]], list[manifest.FileState], int]:
    """A store without Delta tables: small groups merged into month-partitioned ones."""
    sizes = _group_sizes(store, parts)
    small = sorted(g for g, n in sizes.items() if n < SMALL_GROUP_ARTICLES)
    merged = 0
    if len(sizes) > max_groups and len(small) > 1:
        chunks: list[list[str]] = [[]]
        total = 0
        for group in small:
            if chunks[-1] and total + sizes[group] > TARGET_GROUP_ARTICLES:
                chunks.append([])
                total = 0
            chunks[-1].append(group)
            total += sizes[group]
        moved: dict[str, str] = {}
        for i, chunk in enumerate(c for c in chunks if len(c) > 1):
            new_group = f"part-{run_id}-c{i:03d}"
            _merge(store, parts, set(chunk), new_group)
            moved.update({g: new_group for g in chunk})
            merged += len(chunk)
        states = [manifest.moved(s, moved[s.part]) if s.part in moved else s for s in states]
        if merged:
            get_run_logger().info("compacted %d small part groups into month-partitioned ones", merged)
    if len(parts.get("runs", [])) > MAX_RUNS_PARTS:
        runs = pa.concat_tables(store.read_table(p) for p in parts["runs"])
        parts["runs"] = [store.write("runs", runs, f"part-{run_id}-runs")]
    return parts, states, merged


def _merge(store: storage.ParquetStore, parts: dict[str, list[str]], groups: set[str], new_group: str) -> None:
    def take(table: str) -> pa.Table | None:
        mine = [p for p in parts.get(table, []) if manifest.part_group(p) in groups]
        parts[table] = [p for p in parts.get(table, []) if manifest.part_group(p) not in groups]
        tables = [store.read_table(p) for p in mine]
        return pa.concat_tables(tables).cast(schemas.TABLES[table]) if tables else None

    articles = take("articles")
    month = _month_of(articles) if articles is not None else {}
    for table in ROW_TABLES:
        data = articles if table == "articles" else take(table)
        if data is None or data.num_rows == 0:
            continue
        if table == "rejects":  # no article, no month
            parts[table].append(store.write(table, data, new_group))
            continue
        keys = pa.array([month.get(a, "month=unknown") for a in data["article_id"].to_pylist()], pa.string())
        for partition in sorted(set(keys.to_pylist())):
            rows = data.filter(pc.equal(keys, partition))
            parts[table].append(store.write(table, rows, new_group, partition=partition))
