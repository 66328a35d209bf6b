"""Issue 17 groundwork: today's Parquet store against Delta Lake (delta-rs) and Iceberg (pyiceberg).

Measures, side by side in the same run and on the same rows, what a wirehouse run asks of
its store: writing a run's parts and publishing them in one step, replacing the rows of
changed files and removing deleted files' rows, compaction, cleanup that keeps readers of
the previous version safe, reading a version from other engines (DuckDB's delta extension,
polars), time travel, and the fixed cost of a run that finds nothing to do.

    python bench/table_format.py /tmp/ds_wh/parquet [--repeats 3] [--batches 8] [--json out.json]

STORE is a wirehouse Parquet store (table folders of part files; e.g. `<warehouse>/parquet`
of a warehouse built from the research corpus: never commit it). Only the store's rows are
used: they are re-cut into `--batches` part groups by article, as a run of that many batches
would write them. Nothing of the project's store changes: "today" runs the project's own
`flows.store.storage` (ParquetStore.write, publish_snapshot, collect_garbage) in a scratch
folder.

Needs `deltalake`, `polars`, `duckdb-extension-delta` (and, for the Iceberg lines,
`pyiceberg[sql-sqlite]`, `duckdb-extension-iceberg`); not project dependencies yet, so run it
from a scratch environment with the repository on the path, e.g.

    python3 -m venv /tmp/tf && /tmp/tf/bin/pip install deltalake==1.6.6 polars==2.1.0 \\
        duckdb==1.5.5 duckdb-extension-delta==1.5.5 duckdb-extension-iceberg==1.5.5 duckdb-extension-avro==1.5.5 \\
        pyarrow==26.0.1 'pyiceberg[sql-sqlite,pyarrow]==0.12.0'
    PYTHONPATH=. /tmp/tf/bin/python bench/table_format.py /tmp/ds_wh/parquet

A missing package is one line on stderr and exit 2.
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib
import importlib.util
import json
import os
import shutil
import statistics
import sys
import tempfile
import time
import traceback
from pathlib import Path

REQUIRED = {"deltalake": "deltalake==1.6.6", "polars": "polars==2.1.0", "duckdb_extension_delta": "duckdb-extension-delta==1.5.5"}
missing = [pkg for mod, pkg in REQUIRED.items() if importlib.util.find_spec(mod) is None]
if missing:
    sys.stderr.write(
        f"bench/table_format.py needs {', '.join(missing)}: install them in a scratch venv (see this file's docstring)\n"
    )
    sys.exit(2)

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import deltalake  # noqa: E402
import duckdb  # noqa: E402
import polars as pl  # noqa: E402
import pyarrow as pa  # noqa: E402
import pyarrow.compute as pc  # noqa: E402
import pyarrow.parquet as pq  # noqa: E402
from deltalake import CommitProperties, DeltaTable, Transaction, write_deltalake  # noqa: E402
from deltalake.transaction import AddAction, RemoveAction, create_table_with_add_actions  # noqa: E402

from flows.store import storage  # noqa: E402
from transforms.schemas import TABLES  # noqa: E402

RESULTS: dict[str, dict] = {}
FAILED: list[str] = []


def timed(label: str, fn, repeats: int, setup=None):
    """Median wall and CPU seconds of `fn(setup())` over `repeats` fresh set-ups; the last result."""
    walls, cpus, result = [], [], None
    for _ in range(repeats):
        arg = setup() if setup else None
        w0, c0 = time.perf_counter(), time.process_time()
        result = fn(arg) if setup else fn()
        walls.append(time.perf_counter() - w0)
        cpus.append(time.process_time() - c0)
    RESULTS[label] = {"wall_s": statistics.median(walls), "cpu_s": statistics.median(cpus), "n": repeats}
    print(f"{label:<58} wall {statistics.median(walls):8.3f} s   cpu {statistics.median(cpus):8.3f} s", flush=True)
    return result


def attempt(label: str, fn):
    try:
        return fn()
    except Exception as exc:  # a benchmark records what failed and goes on
        FAILED.append(f"{label}: {type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}")
        print(f"FAILED {label}: {type(exc).__name__}: {exc}", flush=True)
        traceback.print_exc(limit=2)
        return None


# ----------------------------------------------------------------------------- the rows


def load_store(folder: Path) -> dict[str, pa.Table]:
    """Every table's rows, read from its part files (today's schema)."""
    if (folder / "parquet").is_dir():
        folder = folder / "parquet"
    tables = {}
    for name, schema in TABLES.items():
        parts = (
            sorted(p for p in (folder / name).rglob("*.parquet") if not p.name.startswith("."))
            if (folder / name).is_dir()
            else []
        )
        tables[name] = pa.concat_tables([pq.read_table(p).cast(schema) for p in parts]) if parts else schema.empty_table()
    if tables["articles"].num_rows == 0:
        sys.stderr.write(f"{folder} holds no articles part: give a wirehouse Parquet store (<warehouse>/parquet)\n")
        sys.exit(2)
    return tables


def keyed(name: str) -> bool:
    return "article_id" in TABLES[name].names and name not in ("duplicates",)


def run_wide(name: str) -> bool:
    """Tables every run rewrites whole (recomputed over the archive) or appends to (runs)."""
    return not keyed(name)


def cut(tables: dict[str, pa.Table], batches: int) -> tuple[list[str], dict[str, list[pa.Table]]]:
    """Article ids in order, and each keyed table cut into `batches` groups by article."""
    ids = sorted(tables["articles"]["article_id"].to_pylist())
    groups = [ids[i::batches] for i in range(batches)]
    out: dict[str, list[pa.Table]] = {}
    for name, table in tables.items():
        if keyed(name):
            out[name] = [table.filter(pc.is_in(table["article_id"], pa.array(g, pa.string()))) for g in groups]
    return ids, out


def change(tables: dict[str, pa.Table], ids: list[str], share: float) -> tuple[list[str], list[str], dict[str, pa.Table]]:
    """A run's input change: `share` of the articles changed (their rows written anew, titles
    edited) and as many deleted. Returns (changed ids, deleted ids, the changed rows per table)."""
    step = max(1, int(1 / share))
    changed, deleted = ids[::step], ids[1::step]
    new = {}
    for name, table in tables.items():
        if keyed(name):
            rows = table.filter(pc.is_in(table["article_id"], pa.array(changed, pa.string())))
            if name == "articles":
                rows = rows.set_column(
                    rows.schema.get_field_index("title"),
                    "title",
                    pc.binary_join_element_wise(rows["title"], pa.scalar(" (edited)"), ""),
                )
            new[name] = rows
    return changed, deleted, new


def count_files(folder: Path) -> int:
    return sum(1 for p in folder.rglob("*") if p.is_file())


def parquet_files(folder: Path) -> int:
    return sum(1 for p in folder.rglob("*.parquet"))


# ----------------------------------------------------------------------------- today's store


class Today:
    """The project's store in a scratch warehouse folder: parts per batch, a snapshot per run."""

    def __init__(self, root: Path):
        self.warehouse = root / "wh"
        self.store = storage.ParquetStore(str(storage.default_parquet_dir(self.warehouse)))

    def cold(self, groups: dict[str, list[pa.Table]], tables: dict[str, pa.Table], run_id: str) -> storage.Snapshot:
        parts: dict[str, list[str]] = {name: [] for name in TABLES}
        for name, cuts in groups.items():
            for i, rows in enumerate(cuts):
                parts[name].append(self.store.write(name, rows, f"part-{run_id}-{i:03d}"))
        for name in TABLES:
            if run_wide(name):
                parts[name].append(self.store.write(name, tables[name], f"part-{run_id}"))
        return self._publish(run_id, parts)

    def _publish(self, run_id: str, parts: dict[str, list[str]]) -> storage.Snapshot:
        checks = {rel: self.store.checks(rel) for paths in parts.values() for rel in paths}
        snap = storage.Snapshot(run_id=run_id, parts=parts, parquet_url="", checks=checks)
        storage.publish_snapshot(self.warehouse, snap)
        storage.forget_written(self.store)
        return snap

    def incremental(self, prev: storage.Snapshot, tables, changed, deleted, new, run_id: str) -> storage.Snapshot:
        """Today's plan: the part groups holding a changed or deleted article are dropped; their
        other rows move to a rewrite group; the changed articles' rows form the run's batch."""
        dirty_ids = set(changed) | set(deleted)
        parts: dict[str, list[str]] = {name: [] for name in TABLES}
        for name in TABLES:
            if not keyed(name):
                continue
            keep_rows = []
            for rel in prev.parts[name]:
                ids = set(self.store.read_table(rel, columns=["article_id"])["article_id"].to_pylist())
                if ids & dirty_ids:
                    table = self.store.read_table(rel)
                    keep_rows.append(
                        table.filter(pc.invert(pc.is_in(table["article_id"], pa.array(sorted(dirty_ids), pa.string()))))
                    )
                else:
                    parts[name].append(rel)
            if keep_rows:
                parts[name].append(self.store.write(name, pa.concat_tables(keep_rows), f"part-{run_id}-rewrite"))
            parts[name].append(self.store.write(name, new[name], f"part-{run_id}-000"))
        for name in TABLES:
            if run_wide(name):
                parts[name].append(self.store.write(name, tables[name], f"part-{run_id}"))
        return self._publish(run_id, parts)

    def compact(self, snap: storage.Snapshot, run_id: str) -> storage.Snapshot:
        """Every keyed table's parts merged into one (what compaction converges to)."""
        parts = {name: list(paths) for name, paths in snap.parts.items()}
        for name in TABLES:
            if keyed(name) and len(parts[name]) > 1:
                merged = pa.concat_tables(self.store.read_table(p) for p in parts[name])
                parts[name] = [self.store.write(name, merged, f"part-{run_id}-c000")]
        return self._publish(run_id, parts)

    def gc(self) -> int:
        return storage.collect_garbage(self.warehouse, self.store, grace_s=0)

    def noop(self) -> int:
        """What a run that finds nothing to do reads of the store: the snapshot, and each
        listed part's size (today's part checks compare it with the snapshot's record)."""
        snap = storage.load_snapshot(self.warehouse)
        return sum(1 for paths in snap.parts.values() for rel in paths if self.store.size(rel) == snap.checks[rel]["bytes"])

    def read(self, snap: storage.Snapshot, name: str) -> pa.Table:
        return pa.concat_tables([self.store.read_table(p) for p in snap.parts[name]])


# ----------------------------------------------------------------------------- Delta Lake


def _stats(table: pa.Table) -> str:
    return json.dumps({"numRecords": table.num_rows})


class Delta:
    """One Delta table per wirehouse table under `<root>/delta/<table>`.

    Two ways to publish a run: (a) `commit`: the batches write plain Parquet files into the
    table folder (what workers do today) and one commit per table adds them (and removes the
    replaced ones) — the run-level atomic publish is the `runs` table, committed last, whose
    row names each table's version; (b) `write_deltalake` per batch (a commit per batch and
    table: what a naive switch would do)."""

    def __init__(self, root: Path):
        self.root = root / "delta"

    def uri(self, name: str) -> str:
        return str(self.root / name)

    def _write_file(self, name: str, rows: pa.Table, part: str) -> AddAction:
        rel = f"{part}.parquet"
        path = self.root / name / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.parent / f".{rel}.tmp"
        pq.write_table(rows.cast(TABLES[name]), tmp, compression="zstd")
        os.replace(tmp, path)
        st = path.stat()
        return AddAction(rel, st.st_size, {}, int(st.st_mtime * 1000), True, _stats(rows))

    def _commit(self, name: str, adds: list[AddAction], removes: list[RemoveAction], run_id: str, versions: dict) -> None:
        props = CommitProperties(
            custom_metadata={"wirehouse_run": run_id}, app_transactions=[Transaction("wirehouse", int(run_id.lstrip("r")))]
        )
        if not DeltaTable.is_deltatable(self.uri(name)):
            create_table_with_add_actions(
                self.uri(name), deltalake.Schema.from_arrow(TABLES[name]), adds, mode="error", commit_properties=props
            )
        else:
            DeltaTable(self.uri(name)).create_write_transaction(
                [*adds, *removes], mode="append", schema=deltalake.Schema.from_arrow(TABLES[name]), commit_properties=props
            )
        table = DeltaTable(self.uri(name))
        versions[name] = table.version()
        # what a no-op checks cheaply: each file of that version and its size (as current.json's checks)
        files = pa.table(table.get_add_actions(flatten=True)).select(["path", "size_bytes"]).to_pylist()
        versions.setdefault("_files", {})[name] = {f["path"]: f["size_bytes"] for f in files}

    def _commit_runs(self, run_id: str, versions: dict, tables) -> None:
        """The run-level publish: one row in the run-history table naming every table's version."""
        files = versions.pop("_files", {})
        row = pa.table(
            {
                "run_id": [run_id],
                "finished_ns": [time.time_ns()],
                "versions": [json.dumps(versions)],
                "files": [json.dumps(files)],
            }
        )
        write_deltalake(
            str(self.root / "_run_history"),
            row,
            mode="append",
            commit_properties=CommitProperties(custom_metadata={"wirehouse_run": run_id}),
        )

    def cold_commit(self, groups, tables, run_id: str) -> dict:
        versions: dict = {}
        for name in TABLES:
            adds = []
            if keyed(name):
                adds = [self._write_file(name, rows, f"part-{run_id}-{i:03d}") for i, rows in enumerate(groups[name])]
            else:
                adds = [self._write_file(name, tables[name], f"part-{run_id}")]
            self._commit(name, adds, [], run_id, versions)
        self._commit_runs(run_id, versions, tables)
        return versions

    def cold_write_deltalake(self, groups, tables, run_id: str) -> None:
        for name in TABLES:
            cuts = groups[name] if keyed(name) else [tables[name]]
            for rows in cuts:
                write_deltalake(self.uri(name), rows.cast(TABLES[name]), mode="append")

    def incremental_parts(self, tables, changed, deleted, new, run_id: str) -> dict:
        """Today's plan in one commit per table: remove the files holding a changed or deleted
        article, add their other rows (rewrite file) and the changed rows (the run's batch)."""
        dirty = pa.array(sorted(set(changed) | set(deleted)), pa.string())
        versions: dict = {}
        now_ms = int(time.time() * 1000)
        for name in TABLES:
            dt_ = DeltaTable(self.uri(name))
            if not keyed(name):
                removes = [
                    RemoveAction(a["path"], True, now_ms, a["size_bytes"])
                    for a in pa.table(dt_.get_add_actions(flatten=True)).to_pylist()
                ]
                self._commit(name, [self._write_file(name, tables[name], f"part-{run_id}")], removes, run_id, versions)
                continue
            removes, keep = [], []
            for add in pa.table(dt_.get_add_actions(flatten=True)).to_pylist():
                data = pq.read_table(self.root / name / add["path"])
                if pc.any(pc.is_in(data["article_id"], dirty)).as_py():
                    removes.append(RemoveAction(add["path"], True, now_ms, add["size_bytes"]))
                    keep.append(data.filter(pc.invert(pc.is_in(data["article_id"], dirty))))
            adds = [self._write_file(name, new[name], f"part-{run_id}-000")]
            if keep:
                adds.append(self._write_file(name, pa.concat_tables(keep), f"part-{run_id}-rewrite"))
            self._commit(name, adds, removes, run_id, versions)
        self._commit_runs(run_id, versions, tables)
        return versions

    def incremental_predicate(self, tables, changed, deleted, new, run_id: str) -> None:
        """Row-level: `write_deltalake(mode="overwrite", predicate=...)` (replaceWhere): one commit
        per table removes the changed and deleted articles' rows and adds the changed rows."""
        ids = sorted(set(changed) | set(deleted))
        predicate = "article_id IN (" + ", ".join("'" + i.replace("'", "''") + "'" for i in ids) + ")"
        for name in TABLES:
            if keyed(name):
                write_deltalake(self.uri(name), new[name].cast(TABLES[name]), mode="overwrite", predicate=predicate)
            elif name != "runs":
                write_deltalake(self.uri(name), tables[name].cast(TABLES[name]), mode="overwrite")

    def delete_predicate(self, deleted) -> None:
        predicate = "article_id IN (" + ", ".join("'" + i + "'" for i in deleted) + ")"
        for name in TABLES:
            if keyed(name):
                DeltaTable(self.uri(name)).delete(predicate)

    def optimize(self) -> dict:
        return {name: DeltaTable(self.uri(name)).optimize.compact()["numFilesRemoved"] for name in TABLES if keyed(name)}

    def vacuum(self, keep_previous: bool) -> int:
        """Files removed; retention 0 h but, with keep_previous, the previous version's files kept."""
        removed = 0
        for name in TABLES:
            t = DeltaTable(self.uri(name))
            keep = [t.version() - 1] if keep_previous and t.version() > 0 else None
            removed += len(t.vacuum(retention_hours=0, enforce_retention_duration=False, dry_run=False, keep_versions=keep))
        return removed

    def noop(self) -> int:
        """What a run that finds nothing to do must read: every table's log (latest version,
        its file list) and each listed file's existence and size."""
        ok = 0
        for name in TABLES:
            t = DeltaTable(self.uri(name))
            for add in pa.table(t.get_add_actions(flatten=True)).to_pylist():
                ok += os.stat(self.root / name / add["path"]).st_size == add["size_bytes"]
        return ok

    def noop_cheap(self) -> int:
        """The no-op without opening the 13 tables: the run-history table's last row (each
        table's version and files), one listing of each `_delta_log/` (no newer version than
        that: nothing committed since) and a `stat` per file (its size as committed)."""
        history = DeltaTable(str(self.root / "_run_history")).to_pyarrow_table()
        last = max(history.to_pylist(), key=lambda r: r["finished_ns"])  # a table's rows come in no set order
        versions, files = json.loads(last["versions"]), json.loads(last["files"])
        ok = 0
        for name in TABLES:
            newest = max(
                int(f[:20]) for f in os.listdir(self.root / name / "_delta_log") if f.endswith(".json") and f[:20].isdigit()
            )
            if newest != versions[name]:
                raise AssertionError(f"{name}: version {newest} committed after the last run's {versions[name]}")
            ok += sum(os.stat(self.root / name / path).st_size == size for path, size in files[name].items())
        return ok

    def noop_versions_only(self) -> int:
        return sum(DeltaTable(self.uri(name)).version() for name in TABLES)


def duckdb_delta() -> duckdb.DuckDBPyConnection:
    import duckdb_extension_delta

    con = duckdb.connect(config={"autoinstall_known_extensions": False, "autoload_known_extensions": False})
    path = Path(next(iter(duckdb_extension_delta.__path__))) / "extensions" / f"v{duckdb.__version__}" / "delta.duckdb_extension"
    con.execute(f"load '{path}'")
    return con


def same_rows(a: pa.Table, b: pa.Table, name: str) -> bool:
    """Multiset equality of two tables' rows (sorted by every sortable column)."""
    cols = [
        c
        for c in TABLES[name].names
        if not pa.types.is_list(TABLES[name].field(c).type) and not pa.types.is_struct(TABLES[name].field(c).type)
    ]
    a, b = a.select(TABLES[name].names).cast(TABLES[name]), b.select(TABLES[name].names).cast(TABLES[name])
    order = [(c, "ascending") for c in cols]
    return a.num_rows == b.num_rows and a.sort_by(order).equals(b.sort_by(order))


# ----------------------------------------------------------------------------- Iceberg


def _iceberg_catalog(root: Path):
    from pyiceberg.catalog.sql import SqlCatalog

    folder = root / f"iceberg-{time.monotonic_ns()}"
    folder.mkdir()
    cat = SqlCatalog("wh", uri=f"sqlite:///{folder}/catalog.db", warehouse=f"file://{folder}")
    cat.create_namespace("wh")
    return cat


def _iceberg_cold(cat, groups, tables):
    for name in TABLES:
        rows = pa.concat_tables(groups[name]) if keyed(name) else tables[name]
        cat.create_table(f"wh.{name}", schema=TABLES[name]).append(rows.cast(TABLES[name]))
    return cat


def _iceberg_incremental(cat, ids: list[str], new) -> None:
    from pyiceberg.expressions import In

    for name in TABLES:
        if keyed(name):
            cat.load_table(f"wh.{name}").overwrite(new[name].cast(TABLES[name]), overwrite_filter=In("article_id", ids))


def _iceberg_duckdb_count(cat, name: str) -> int:
    con = duckdb.connect(config={"autoinstall_known_extensions": False, "autoload_known_extensions": False})
    for ext in ("avro", "iceberg"):  # iceberg needs avro loaded first (it would download it)
        mod = importlib.import_module(f"duckdb_extension_{ext}")
        path = Path(next(iter(mod.__path__))) / "extensions" / f"v{duckdb.__version__}" / f"{ext}.duckdb_extension"
        con.execute(f"load '{path}'")
    meta = cat.load_table(f"wh.{name}").metadata_location
    return con.sql(f"select count(*) from iceberg_scan('{meta}')").fetchone()[0]


def iceberg_probe(root: Path, groups, tables, changed, deleted, new, after, repeats: int) -> None:
    """pyiceberg with a SQLite catalog: one append commit per table for a cold run, one
    overwrite-by-filter commit per table for the incremental one, a DuckDB read."""
    if importlib.util.find_spec("pyiceberg") is None:
        FAILED.append("iceberg: pyiceberg not installed (skipped)")
        return
    label = "iceberg: cold run, 1 append commit per table"
    cat = attempt(
        "iceberg cold", lambda: timed(label, lambda c: _iceberg_cold(c, groups, tables), repeats, lambda: _iceberg_catalog(root))
    )
    if cat is None:
        return
    ids = sorted(set(changed) | set(deleted))
    label = "iceberg: changed+deleted, overwrite(filter) per table"
    attempt("iceberg incremental", lambda: timed(label, lambda: _iceberg_incremental(cat, ids, new), 1))
    label = "iceberg: DuckDB iceberg_scan(articles)"
    n = attempt("iceberg duckdb read", lambda: timed(label, lambda: _iceberg_duckdb_count(cat, "articles"), repeats))
    RESULTS["iceberg articles after incremental (read, expected)"] = [n, after["articles"].num_rows]


# ----------------------------------------------------------------------------- the run


def main() -> None:  # noqa: C901 -- the benchmark reads top to bottom, one measurement after another
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("store", type=Path, help="a wirehouse Parquet store (<warehouse>/parquet)")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--batches", type=int, default=8, help="part groups a cold run writes (batches)")
    parser.add_argument("--share", type=float, default=0.02, help="share of articles changed (and as many deleted)")
    parser.add_argument("--json", type=Path, help="write the measurements here")
    parser.add_argument("--no-iceberg", action="store_true")
    args = parser.parse_args()
    if not args.store.is_dir():
        sys.stderr.write(f"{args.store} is not a folder: give a wirehouse Parquet store (<warehouse>/parquet)\n")
        sys.exit(2)

    tables = load_store(args.store)
    ids, groups = cut(tables, args.batches)
    changed, deleted, new = change(tables, ids, args.share)
    after = {}  # the rows a correct incremental run leaves
    gone = pa.array(sorted(set(changed) | set(deleted)), pa.string())
    for name in TABLES:
        if keyed(name):
            t = tables[name]
            after[name] = pa.concat_tables([t.filter(pc.invert(pc.is_in(t["article_id"], gone))), new[name].cast(TABLES[name])])
    print(
        f"rows: {', '.join(f'{n} {t.num_rows}' for n, t in tables.items())}\n"
        f"{args.batches} batches; incremental run: {len(changed)} changed, {len(deleted)} deleted articles; "
        f"deltalake {deltalake.__version__}, polars {pl.__version__}, duckdb {duckdb.__version__}; load {os.getloadavg()}",
        flush=True,
    )
    work = Path(tempfile.mkdtemp(prefix="table_format-"))
    fresh = lambda: Path(tempfile.mkdtemp(dir=work))  # noqa: E731
    try:
        # --- cold run: write every batch's parts, publish once
        today = timed(
            "today: cold run (parts + snapshot)",
            lambda d: (Today(d), Today(d).cold(groups, tables, "r1"))[0],
            args.repeats,
            fresh,
        )
        delta = timed(
            "delta: cold run (files + 1 commit/table + run row)",
            lambda d: (Delta(d), Delta(d).cold_commit(groups, tables, "r1"))[0],
            args.repeats,
            fresh,
        )
        attempt(
            "delta write_deltalake per batch",
            lambda: timed(
                "delta: cold run, write_deltalake per batch (commit each)",
                lambda d: Delta(d).cold_write_deltalake(groups, tables, "r1"),
                args.repeats,
                fresh,
            ),
        )
        RESULTS["files after cold run"] = {
            "today_parquet": parquet_files(today.store.local_path("")),
            "delta_parquet": parquet_files(delta.root),
            "delta_all": count_files(delta.root),
        }

        # --- incremental run: replace changed articles' rows, remove deleted ones (one publish)
        snap1 = storage.load_snapshot(today.warehouse)
        v_before = {n: DeltaTable(delta.uri(n)).version() for n in TABLES}
        ts_before = dt.datetime.now(dt.UTC)
        time.sleep(0.05)

        def copy_of(src):  # each repeat starts from the cold run's state
            def make():
                d = fresh()
                shutil.copytree(src, d / "copy")
                return d / "copy"

            return make

        timed(
            "today: changed+deleted run (dirty groups rewritten)",
            lambda d: Today(d.parent / "copy").incremental(snap1, tables, changed, deleted, new, "r2"),
            args.repeats,
            copy_of(today.warehouse.parent),
        )
        timed(
            "delta: changed+deleted, remove/add files, 1 commit/table",
            lambda d: Delta(d).incremental_parts(tables, changed, deleted, new, "r2"),
            args.repeats,
            copy_of(delta.root.parent),
        )
        attempt(
            "delta predicate overwrite",
            lambda: timed(
                "delta: changed+deleted, overwrite(predicate) per table",
                lambda d: Delta(d).incremental_predicate(tables, changed, deleted, new, "r2"),
                args.repeats,
                copy_of(delta.root.parent),
            ),
        )
        attempt(
            "delta delete",
            lambda: timed(
                "delta: deleted only, DeltaTable.delete(predicate)",
                lambda d: Delta(d).delete_predicate(deleted),
                args.repeats,
                copy_of(delta.root.parent),
            ),
        )
        # the kept state: the run applied once more to the original folders
        snap2 = today.incremental(snap1, tables, changed, deleted, new, "r2")
        delta.incremental_parts(tables, changed, deleted, new, "r2")
        correct = {
            n: same_rows(today.read(snap2, n), DeltaTable(delta.uri(n)).to_pyarrow_table(), n)
            and same_rows(today.read(snap2, n), after[n], n)
            for n in TABLES
            if keyed(n)
        }
        RESULTS["incremental rows equal (today, delta, expected)"] = correct
        RESULTS["files after incremental"] = {
            "today_parquet": parquet_files(today.store.local_path("")),
            "delta_parquet": parquet_files(delta.root),
            "delta_log": sum(1 for _ in delta.root.rglob("_delta_log/*.json")),
        }

        # --- readers: DuckDB and polars read a version, time travel
        con = duckdb_delta()
        sentences_uri = delta.uri("sentences")
        cur = timed(
            "duckdb: delta_scan(sentences) current, count",
            lambda: con.sql(f"select count(*) from delta_scan('{sentences_uri}')").fetchone()[0],
            args.repeats,
        )
        prev = timed(
            "duckdb: delta_scan(sentences, version=previous), count",
            lambda: con.sql(f"select count(*) from delta_scan('{sentences_uri}', version={v_before['sentences']})").fetchone()[0],
            args.repeats,
        )
        RESULTS["duckdb counts (current, previous, expected)"] = [
            cur,
            prev,
            after["sentences"].num_rows,
            tables["sentences"].num_rows,
        ]
        today_read = timed(
            "today: read_parquet(snapshot's sentences parts), count",
            lambda: con.sql(
                "select count(*) from read_parquet("
                + json.dumps([today.store.uri(p) for p in snap2.parts["sentences"]]).replace('"', "'")
                + ")"
            ).fetchone()[0],
            args.repeats,
        )
        RESULTS["today duckdb count"] = today_read
        # articles.minhash is list<uint32>: Delta has no unsigned types (its schema says
        # integer), so a reader that checks the file against the log's schema may refuse it.
        attempt(
            "polars articles (minhash list<uint32>)",
            lambda: timed(
                "polars: scan_delta(articles, version=previous).collect()",
                lambda: pl.scan_delta(delta.uri("articles"), version=v_before["articles"]).collect(),
                args.repeats,
            ),
        )
        sent_prev = attempt(
            "polars sentences",
            lambda: timed(
                "polars: scan_delta(sentences, version=previous).collect()",
                lambda: pl.scan_delta(sentences_uri, version=v_before["sentences"]).collect(),
                args.repeats,
            ),
        )
        if sent_prev is not None:
            RESULTS["polars previous sentences equal the cold run's"] = same_rows(
                sent_prev.to_arrow(), tables["sentences"], "sentences"
            )
        sent_ts = attempt(
            "polars timestamp",
            lambda: timed(
                "polars: scan_delta(sentences, version=timestamp).collect()",
                lambda: pl.scan_delta(sentences_uri, version=ts_before).collect(),
                args.repeats,
            ),
        )
        if sent_ts is not None:
            RESULTS["polars as-of timestamp equals the cold run's"] = same_rows(
                sent_ts.to_arrow(), tables["sentences"], "sentences"
            )
        art_duck = attempt(
            "duckdb articles",
            lambda: con.sql(f"select * from delta_scan('{delta.uri('articles')}', version={v_before['articles']})").arrow(),
        )
        if art_duck is not None:
            RESULTS["duckdb previous articles equal the cold run's"] = same_rows(
                art_duck.read_all() if hasattr(art_duck, "read_all") else art_duck, tables["articles"], "articles"
            )

        def load_ts():
            t = DeltaTable(delta.uri("articles"))
            t.load_as_version(ts_before)
            return t.to_pyarrow_table()

        art_dl = timed("deltalake: load_as_version(timestamp) + read articles", load_ts, args.repeats)
        RESULTS["deltalake as-of timestamp equals the cold run's"] = same_rows(art_dl, tables["articles"], "articles")

        # --- no-op run's store checks
        timed("today: no-op checks (snapshot + part sizes)", today.noop, args.repeats)
        timed("delta: no-op checks (13 logs + file sizes)", delta.noop, args.repeats)
        timed("delta: no-op versions only (13 DeltaTable opens)", delta.noop_versions_only, args.repeats)
        timed("delta: no-op cheap (run-history row, 13 log listings, stats)", delta.noop_cheap, args.repeats)
        timed(
            "delta: read run-history table (last run's versions)",
            lambda: DeltaTable(str(delta.root / "_run_history")).to_pyarrow_table().num_rows,
            args.repeats,
        )

        # --- compaction, then cleanup that keeps the previous version readable
        timed(
            "today: compaction (keyed tables to 1 part) + snapshot",
            lambda d: Today(d.parent / "copy").compact(storage.load_snapshot(d.parent / "copy" / "wh"), "r3"),
            args.repeats,
            copy_of(today.warehouse.parent),
        )
        timed(
            "delta: optimize.compact() per keyed table", lambda d: Delta(d).optimize(), args.repeats, copy_of(delta.root.parent)
        )
        today.compact(snap2, "r3")
        removed = delta.optimize()
        v3 = {n: DeltaTable(delta.uri(n)).version() for n in TABLES}
        RESULTS["delta optimize files removed"] = removed
        gc_today = timed(
            "today: collect_garbage(grace 0)",
            lambda d: Today(d.parent / "copy").gc(),
            args.repeats,
            copy_of(today.warehouse.parent),
        )
        vac = timed(
            "delta: vacuum(0 h, keep_versions=[previous])",
            lambda d: Delta(d).vacuum(keep_previous=True),
            args.repeats,
            copy_of(delta.root.parent),
        )
        RESULTS["files removed by cleanup (today, delta)"] = [gc_today, vac]
        delta.vacuum(keep_previous=True)
        prev_ok = attempt(
            "read previous after vacuum",
            lambda: same_rows(
                DeltaTable(delta.uri("sentences"), version=v3["sentences"] - 1).to_pyarrow_table(),
                after["sentences"],
                "sentences",
            ),
        )
        try:  # expected to fail: vacuum removed the files only that version listed
            older = DeltaTable(delta.uri("sentences"), version=v3["sentences"] - 2).to_pyarrow_table().num_rows
        except Exception:
            older = None
        RESULTS["after vacuum: previous version readable, same rows"] = prev_ok
        RESULTS["after vacuum: two versions back readable (expected: no)"] = older is not None
        RESULTS["files after compaction+cleanup"] = {
            "today_parquet": (today.gc(), parquet_files(today.store.local_path("")))[1],
            "delta_parquet": parquet_files(delta.root),
        }
        if not args.no_iceberg:
            iceberg_probe(work, groups, tables, changed, deleted, new, after, args.repeats)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    RESULTS["failed"] = FAILED
    RESULTS["load_after"] = os.getloadavg()
    print(json.dumps({k: v for k, v in RESULTS.items() if "wall_s" not in v} if False else RESULTS, indent=1, default=str))
    if args.json:
        args.json.write_text(json.dumps(RESULTS, indent=1, default=str))


if __name__ == "__main__":
    main()
