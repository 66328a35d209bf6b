"""NER once per distinct paragraph, across batches and runs: the model spans already in
the Parquet store, looked up by paragraph hash for `transforms.annotation.annotate`.

Every paragraph the model reads gets a `ner_units` row: the sha256 of exactly what the
model read (`transforms.nlp.model_units`), the key of the model and code that produced the
spans (`transforms.nlp.ner_key`), the spans, and the article it came from. A batch asks,
before running the model, which of its paragraphs some part file of the store already holds
under the same key: the files of `ner_units` the last published run names (read through the
`table_versions` pointer, like every other reader: no listing of the table's folder, so
neither a killed run's orphans nor files replaced and awaiting vacuum are read), the parts
that other batches of this run have finished writing (looked up by their names,
`part-<run>-<batch>.parquet`; their big files' slices are not), and the batch's own. Spans
are a function of the paragraph and the key alone, so any complete part will do. A store
without Delta tables (`memory://`: snapshot JSON) lists the table's folder.

A batch running at the same time as the one holding a paragraph does not see it: the
paragraph then goes through the model in both (in-batch copies never do).

Each worker process keeps an index of the parts it has read: the first 64 bits of each
stored paragraph's hash and the part holding it (12 bytes a paragraph, in DuckDB: 12 MB at a
million stored paragraphs, some 50,000 BBC-length articles). A batch reads only the parts
written since the last, looks its hashes up in memory, and reads spans only from the parts
with a hit, where the full hash is compared. Scanning every part's hash column for every
batch instead cost 0.3 s a batch at a million stored rows in 200 parts, and 2.8 s in 5,000
(bench/ner_reuse.py).

A part that cannot be read is reported once and left out, and a lookup that fails for any
reason is reported and the batch runs the model: the cache saves model runs, and its
failures cost model runs, never a batch.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Callable, Sequence

import duckdb

from flows.store.storage import ParquetStore
from flows.warehouse.sql_text import sql_list
from transforms.ner_reuse import Spans

TABLE = "ner_units"
# The index lives in a batch worker next to a spaCy model: it gets a thread and little memory.
INDEX_MEMORY = "256MB"
READ_ATTEMPTS = 3  # reads of a part that failed, before a worker gives up on it
_PREFIX = "('0x' || substr(unit_sha256, 1, 16))::ubigint"


class _Index:
    """Hash prefix → part file, for the parts of one store and one model key read so far."""

    def __init__(self, store: ParquetStore, key: str):
        self.key = key
        self.lock = threading.Lock()  # a Dask worker may run batches in threads
        self.con = duckdb.connect(config={"memory_limit": INDEX_MEMORY, "threads": 1})
        if not store.is_local:
            self.con.register_filesystem(store.filesystem())
        self.con.execute("create table known (h ubigint, part integer)")
        self.parts: dict[str, int] = {}  # part URI → id
        self.failed: dict[str, int] = {}  # part URI → failed reads
        self.next_id = 0

    def refresh(self, uris: list[str], warn: Callable[[str], None]) -> None:
        """Index the parts not read yet; forget those that are gone (garbage-collected). A
        part that cannot be read is reported once, left out, and tried again by the next
        few batches (an object store's passing error)."""
        listed = set(uris)
        gone = [i for uri, i in self.parts.items() if uri not in listed]
        if gone:
            self.con.execute(f"delete from known where part in ({', '.join(map(str, gone))})")
            self.parts = {uri: i for uri, i in self.parts.items() if uri in listed}
        self.failed = {uri: n for uri, n in self.failed.items() if uri in listed}
        new = [u for u in uris if u not in self.parts and u not in self.failed]
        retry = [u for u in uris if 0 < self.failed.get(u, 0) < READ_ATTEMPTS]
        try:
            self._add(new)
        except duckdb.Error:  # one part at a time, to find the bad one(s)
            retry = new + retry
        for uri in retry:
            try:
                self._add([uri])
                self.failed.pop(uri, None)
            except duckdb.Error as exc:
                self.failed[uri] = self.failed.get(uri, 0) + 1
                if self.failed[uri] == 1:
                    warn(f"stored NER spans in {uri} could not be read (copies of its paragraphs go through the model): {exc}")

    def _ids(self, n: int) -> list[int]:
        self.next_id += n
        return list(range(self.next_id - n, self.next_id))

    def _add(self, uris: list[str]) -> None:
        if not uris:
            return
        new = dict(zip(uris, self._ids(len(uris)), strict=False))
        # (`executemany` of 200 rows took 60 ms; one list parameter takes 1.)
        self.con.execute(
            "create or replace temp table new_parts as select unnest(?::varchar[]) as uri, unnest(?::integer[]) as part",
            [list(new), list(new.values())],
        )
        self.con.execute(
            f"""
            insert into known
            select {_PREFIX}, p.part
            from read_parquet({sql_list(uris)}, filename = true, hive_partitioning = false) as r
            join new_parts as p on r.filename = p.uri
            where r.ner_key = ?
            """,
            [self.key],
        )
        self.parts.update(new)

    def lookup(self, hashes: list[str]) -> dict[str, tuple[Spans, str]]:
        self.con.execute("create or replace temp table wanted as select unnest(?::varchar[]) as unit_sha256", [hashes])
        # One part per hash prefix: a paragraph read in two batches at once is stored twice. (Two bodies
        # sharing the first 64 bits, odds 2^-64, may then miss a reuse; the full hash below
        # keeps either from getting the other's spans.)
        ids = self.con.execute(
            f"select distinct min(part) from known where h in (select {_PREFIX} from wanted) group by h"
        ).fetchall()
        if not ids:
            return {}
        by_id = {i: uri for uri, i in self.parts.items()}
        # The full hash decides: two bodies may share the first 64 bits.
        rows = self.con.execute(
            f"""
            select unit_sha256, arg_min(spans, article_id), min(article_id)
            from read_parquet({sql_list([by_id[i] for (i,) in sorted(ids)])}, hive_partitioning = false)
            where ner_key = ? and unit_sha256 in (select unit_sha256 from wanted)
            group by unit_sha256
            """,
            [self.key],
        ).fetchall()
        return {h: ([(s["char_start"], s["char_end"], s["label"]) for s in spans], origin) for h, spans, origin in rows}


@functools.lru_cache(maxsize=2)
def _index(url: str, key: str) -> _Index:
    return _Index(ParquetStore(url), key)


def stored_files(store: ParquetStore, run_groups: Sequence[str] = (), own: Sequence[str] = ()) -> list[str]:
    """The `ner_units` files a batch may read spans from (relative to the store): those the
    last published run names (its `table_versions` row, read without deltalake), this run's
    other batches' parts that exist (`run_groups`, by name) and the batch's own (`own`). A
    store without Delta tables: every part in the table's folder."""
    from flows.store import delta_log

    if not delta_log.enabled(store):
        return store.table_files(TABLE)
    pointer = delta_log.last_pointer(store)
    found = dict.fromkeys([*(delta_log.pointer_files(store, pointer).get(TABLE, {}) if pointer else ()), *own])
    # One stat per batch of the run (a HEAD request on S3): cheaper than a listing of a table
    # folder that holds every earlier run's files, until a run has thousands of batches.
    for group in run_groups:
        rel = f"{TABLE}/{group}.parquet"
        if rel not in found and store.size(rel) is not None:
            found[rel] = None
    return list(found)


class StoredSpans:
    """`KnownSpans` over a store: `(key, paragraph hashes) → {hash: (spans, article)}`.
    Counts the paragraphs found (`found`); calls `warn` with the reason when a lookup fails.
    `run_groups`: the part groups of this run's batches; `own`: the batch's parts so far."""

    def __init__(
        self,
        store: ParquetStore,
        warn: Callable[[str], None],
        run_groups: Sequence[str] = (),
        own: Callable[[], Sequence[str]] = tuple,
    ):
        self.store, self.warn, self.found = store, warn, 0
        self.run_groups, self.own = run_groups, own

    def __call__(self, key: str, hashes: list[str]) -> dict[str, tuple[Spans, str]]:
        if not hashes:
            return {}
        try:
            index = _index(self.store.url, key)
            with index.lock:
                files = stored_files(self.store, self.run_groups, self.own())
                index.refresh([self.store.uri(rel) for rel in files], self.warn)
                found = index.lookup(hashes)
        except Exception as exc:  # noqa: BLE001 — any failure (fsspec backends raise their own) costs model runs, never the batch
            self.warn(
                f"stored NER spans could not be read, the model runs on every paragraph of this batch: {type(exc).__name__}: {exc}"
            )
            return {}
        self.found += len(found)
        return found
