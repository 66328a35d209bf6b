"""Compaction: many small part groups (one per batch of every small run) become a few
larger ones, partitioned by published month, so that a warehouse fed every 15 minutes
does not end up reading thousands of tiny files.

A part group is the set of files named `<group>.parquet` across the row tables (the
rows of one batch of input files). Compaction rewrites small groups into new groups
whose articles, sentences, entities, … are split into `month=YYYY-MM/` folders (by the
article's publication date; `month=unknown` when it has none). Like every other write,
it only adds files: the snapshot switches to them, and garbage collection removes the
old ones once no published database refers to them.
"""

from __future__ import annotations

import collections

import pyarrow as pa
import pyarrow.compute as pc

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
    max_groups: int = MAX_GROUPS,
) -> tuple[dict[str, list[str]], list[manifest.FileState], int]:
    """(parts, manifest states, groups merged) after compacting small groups, if there
    are more than `max_groups`."""
    parts = {table: list(paths) for table, paths in parts.items()}
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
