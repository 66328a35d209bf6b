"""The Parquet store's tables as Delta Lake tables (delta-rs), so that other engines (Spark,
Trino, DuckDB's delta extension, polars) read them, and earlier runs stay readable.

Each table folder of a local store (`<store>/<table>/`) is a Delta table: the run's parts
are plain Parquet files written by the workers as before (delta-rs panics in a forked child,
so workers never touch it), and the run's parent commits them here once the run's snapshot
is published: one commit per table that adds the parts the snapshot lists and the table
does not, and removes the ones the table lists and the snapshot no longer does. The
table's files after that commit are exactly the snapshot's, whatever an earlier killed run
left in the log.

There is no commit across tables in Delta: the run-level publish is the `table_versions`
table (`<store>/table_versions/`), committed last, one row per table naming the version of
it the run published. (It was `<store>/run_history/` in the sixth session; a run renames
it. `run_history` is the warehouse's mart of runs: one name per thing.) Read the warehouse
of a run through it (`read_pointer`); a table read at its newest version may be ahead of it
after a killed run.

On a local store the Delta logs are what the warehouse is: the build, the plan and
`wirehouse check` read the last `table_versions` run (`published_snapshot`), and no snapshot
JSON is written (an older store's `_state/current.json` is read once, and goes when the next
run publishes). Each `table_versions` row also names the files, sizes, rows and content
hashes of its table's version, read back from the table after its commit, so that a run over
an unchanged folder reads the pointer from the log's newest commit and one small Parquet
file, without importing deltalake (0.7 CPU-s). Garbage collection is Delta's `vacuum`
(`vacuum` below), so the logs' history reaches as far back as the files do. Object-store
URLs are not committed as Delta tables yet: their snapshot JSON stays.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import os
from dataclasses import dataclass
from urllib.parse import unquote

import pyarrow as pa

from flows.faults import crash_point
from flows.settings import WirehouseError, gc_grace_s
from flows.store.storage import ParquetStore
from transforms.schemas import TABLES

VERSIONS = "table_versions"
LEGACY_VERSIONS = "run_history"  # its name before: renamed by the next commit
LOG_FOLDER = "_delta_log"
VERSIONS_SCHEMA = pa.schema(
    [
        pa.field("run_id", pa.string(), nullable=False),
        pa.field("finished_at", pa.timestamp("us", tz="UTC"), nullable=False),
        pa.field("table_name", pa.string(), nullable=False),
        pa.field("version", pa.int64(), nullable=False),
        # The table's files at that version: JSON {path in the store: {"bytes", "rows", "sha256"}}
        # (null in rows of the sixth and seventh sessions: those versions are read from the table).
        pa.field("files", pa.string(), nullable=True),
    ]
)
# Every table's log gets a checkpoint every 10 commits (delta-rs writes none by default
# before 100: measured, none after 45); the log keeps 30 days of versions.
TABLE_CONFIGURATION = {"delta.checkpointInterval": "10", "delta.logRetentionDuration": "interval 30 days"}


def delta_schema(schema: pa.Schema) -> pa.Schema:
    """The schema the Delta log declares for a table: Delta has no unsigned integers, and a
    uint32 column declared `integer` is refused by polars when it reads the file's UInt32
    (measured), so unsigned columns are declared one size up (uint32 → long, read back
    exactly)."""

    def widen(t: pa.DataType) -> pa.DataType:
        if pa.types.is_list(t):
            return pa.list_(pa.field(t.value_field.name, widen(t.value_type), t.value_field.nullable))
        if pa.types.is_uint8(t):
            return pa.int16()
        if pa.types.is_uint16(t):
            return pa.int32()
        if pa.types.is_uint32(t) or pa.types.is_uint64(t):
            return pa.int64()
        return t

    return pa.schema([pa.field(f.name, widen(f.type), f.nullable) for f in schema])


def enabled(store: ParquetStore) -> bool:
    """Delta tables are kept for local stores and S3 (`s3://`, AWS or an S3-compatible
    server). On S3, delta-rs 1.6 writes each commit `_delta_log/<version>.json` with a
    conditional write (`If-None-Match: *`, put-if-absent: measured against moto, which refuses
    an existing key with 412), so two writers never both make one version: no locking
    provider (delta-rs 1.x dropped its DynamoDB log store) and no AWS_S3_ALLOW_UNSAFE_RENAME,
    which would give that up. AWS S3 has had conditional writes since 2024-08, MinIO too;
    a server without them is not supported. Other fsspec URLs keep the snapshot JSON."""
    return store.is_local or store.url.startswith("s3://")


def table_uri(store: ParquetStore, table: str) -> str:
    return str(store.local_path(table)) if store.is_local else f"{store.url.rstrip('/')}/{table}"


def storage_options(store: ParquetStore) -> dict[str, str] | None:
    """What delta-rs needs to reach an S3 store, from the variables s3fs and DuckDB read too
    (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN, AWS_REGION or
    AWS_DEFAULT_REGION, AWS_ENDPOINT_URL(_S3); an http:// endpoint is allowed as such);
    without keys, delta-rs asks the AWS default chain (~/.aws, instance roles)."""
    if store.is_local:
        return None
    env = os.environ
    options = {k: env[k] for k in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN") if env.get(k)}
    if region := env.get("AWS_REGION") or env.get("AWS_DEFAULT_REGION"):
        options["AWS_REGION"] = region
    if endpoint := env.get("AWS_ENDPOINT_URL_S3") or env.get("AWS_ENDPOINT_URL"):
        options["AWS_ENDPOINT_URL"] = endpoint
        if endpoint.startswith("http://"):
            options["AWS_ALLOW_HTTP"] = "true"
    return options


def open_table(store: ParquetStore, table: str, version: int | None = None):
    """The Delta table `table` of the store (at `version`), with the store's credentials."""
    from deltalake import DeltaTable

    uri = versions_uri(store) if table == VERSIONS else table_uri(store, table)
    return DeltaTable(uri, version=version, storage_options=storage_options(store))


def is_table(store: ParquetStore, table: str) -> bool:
    from deltalake import DeltaTable

    uri = versions_uri(store) if table == VERSIONS else table_uri(store, table)
    return DeltaTable.is_deltatable(uri, storage_options=storage_options(store))


def _props(run_id: str):
    from deltalake import CommitProperties

    return CommitProperties(custom_metadata={"wirehouse_run": run_id})


@dataclass(frozen=True)
class Pointer:
    """A published run and the version of each table it published."""

    run_id: str
    finished_at: dt.datetime
    versions: dict[str, int]
    # table -> {path in the store: {"bytes", "rows", "sha256"}} as the row recorded it; None
    # for a row of an older wirehouse (its files are read from each table at its version).
    files: dict[str, dict[str, dict]] | None = None


def commit_run(store: ParquetStore, run_id: str, parts: dict[str, list[str]], checks: dict[str, dict]) -> dict[str, int]:
    """Make each table's Delta log list exactly `parts[table]` (paths relative to the store,
    as the snapshot lists them; `checks` gives each one's bytes and rows), then append the
    run's rows to `table_versions`. Returns each table's version. Called by the run's parent
    with the run lock held, after the snapshot is published."""
    versions: dict[str, int] = {}
    files: dict[str, dict[str, dict]] = {}
    for table in TABLES:
        committed = commit_table(store, run_id, table, parts.get(table, []), checks)
        versions[table] = committed.version()
        files[table] = _committed_files(committed, table, checks)
        crash_point("between_table_commits")
    crash_point("before_table_versions_commit")
    _append_versions(store, run_id, versions, files)
    return versions


def commit_table(store: ParquetStore, run_id: str, table: str, parts: list[str], checks: dict[str, dict]):
    """Make the Delta log of `table` list exactly `parts` (a commit only if it does not
    already); returns the table at its new version."""
    from deltalake import Schema
    from deltalake.transaction import RemoveAction, create_table_with_add_actions

    now_ms = int(dt.datetime.now(dt.UTC).timestamp() * 1000)
    prefix = f"{table}/"
    wanted = {rel[len(prefix) :]: rel for rel in parts if rel.startswith(prefix)}
    uri = table_uri(store, table)
    delta_types = Schema.from_arrow(delta_schema(TABLES[table]))
    if not is_table(store, table):
        create_table_with_add_actions(
            uri,
            delta_types,
            [_add(store, wanted[p], p, checks, now_ms) for p in sorted(wanted)],
            mode="error",
            configuration=TABLE_CONFIGURATION,
            commit_properties=_props(run_id),
            storage_options=storage_options(store),
        )
        return open_table(store, table)
    delta = open_table(store, table)
    if delta.schema().to_json() != delta_types.to_json():
        # A table whose columns changed (a warehouse of an older wirehouse, processed
        # again): a commit that only declares the new schema and empties the table,
        # then the parts as below. (An append that declares another schema keeps the
        # old one, and an overwrite drops the table's configuration: measured.)
        create_table_with_add_actions(
            uri,
            delta_types,
            [],
            mode="overwrite",
            configuration=TABLE_CONFIGURATION,
            commit_properties=_props(run_id),
            storage_options=storage_options(store),
        )
        delta = open_table(store, table)
    listed = set(listed_files(delta))
    actions = [_add(store, wanted[p], p, checks, now_ms) for p in sorted(set(wanted) - listed)]
    actions += [RemoveAction(p, True, now_ms) for p in sorted(listed - set(wanted))]
    if not actions:
        return delta
    delta.create_write_transaction(actions, mode="append", schema=delta_types, commit_properties=_props(run_id))
    return open_table(store, table)


# Optimize's files: up to this size (delta-rs's default is 100 MiB). A changed input file
# whose rows sit in one is rewritten whole with its other rows (flows/plan/manifest.py), so
# it stays small: 32 MiB of zstd Parquet is some 20,000 BBC articles' sentences.
COMPACT_TARGET_BYTES = 32 * 2**20


def compact_table(store: ParquetStore, run_id: str, table: str, parts: list[str], checks: dict[str, dict]) -> list[str]:
    """Commit `parts` to `table` (as `commit_table`), then compact it with Delta's own
    `optimize.compact()` (its small files merged into files of up to COMPACT_TARGET_BYTES,
    one commit whose removes say dataChange false). Returns the table's files after it,
    relative to the store. The run's `table_versions` row, written later, names this version."""
    delta = commit_table(store, run_id, table, parts, checks)
    crash_point("between_table_commits")
    metrics = delta.optimize.compact(target_size=COMPACT_TARGET_BYTES, commit_properties=_props(run_id))
    if metrics.get("numFilesRemoved"):
        delta = open_table(store, table)
        crash_point("after_compaction_commit")
    return sorted(f"{table}/{unquote(p)}" for p in listed_files(delta))


def _committed_files(delta, table: str, checks: dict[str, dict]) -> dict[str, dict]:
    """What `table_versions` records of a table's version: each file as the committed log
    lists it (path, size, rows), with its content hash as written."""
    actions = pa.table(delta.get_add_actions(flatten=True))
    rows = actions.column("num_records").to_pylist() if "num_records" in actions.column_names else [None] * len(actions)
    found = {}
    for path, size, n in zip(actions.column("path").to_pylist(), actions.column("size_bytes").to_pylist(), rows, strict=True):
        rel = f"{table}/{unquote(path)}"
        record = {"bytes": int(size), "rows": int(n) if n is not None else (checks.get(rel) or {}).get("rows")}
        if (sha := (checks.get(rel) or {}).get("sha256")) is not None:
            record["sha256"] = sha
        found[rel] = record
    return found


def _add(store: ParquetStore, rel: str, path: str, checks: dict[str, dict], now_ms: int):
    """The add action of a part: its size and rows as the snapshot recorded them."""
    from deltalake.transaction import AddAction

    check = checks.get(rel) or {}
    size = check.get("bytes")
    if size is None:  # a snapshot of an older wirehouse records no checks
        size = store.size(rel)
    return AddAction(path, size, {}, now_ms, True, json.dumps(file_stats(store, rel)))


def file_stats(store: ParquetStore, rel: str) -> dict:
    """A part's statistics as a Delta add action records them: its rows, and the minimum,
    maximum and null count of each date and integer column, summed up from the Parquet
    footer's row groups (exact). Other engines skip files by them (a reader of `articles`
    asking for a month of `published_date` reads only the files whose range meets it): the
    tables have no partition columns (README, "The warehouse as an earlier run left it").
    Strings are left out (a body's maximum is the body; Delta truncates long ones, which
    needs care to stay right), timestamps (the log keeps milliseconds, the files
    microseconds: a maximum truncated is below the file's) and floats (a Parquet writer leaves
    NaN out of a column's range, which DuckDB orders above every number). Optimize's files get
    delta-rs's own statistics."""
    meta = store.metadata(rel)
    stats: dict = {"numRecords": meta.num_rows, "minValues": {}, "maxValues": {}, "nullCount": {}}
    arrow = meta.schema.to_arrow_schema()
    # A field's Parquet column by its path, not its place: a nested field before it (a list
    # of structs, as ner_spans' spans) is several Parquet columns.
    columns = {meta.schema.column(i).path: i for i in range(meta.num_columns)}
    for field in arrow:
        kind = field.type
        if not (pa.types.is_date32(kind) or pa.types.is_integer(kind)) or (index := columns.get(field.name)) is None:
            continue
        low = high = None
        nulls = 0
        for group in range(meta.num_row_groups):
            column = meta.row_group(group).column(index)
            found = column.statistics
            if found is None or not found.has_null_count:
                break
            nulls += found.null_count
            if found.has_min_max:
                low = found.min if low is None else min(low, found.min)
                high = found.max if high is None else max(high, found.max)
            elif found.null_count != meta.row_group(group).num_rows:
                break  # values without a minimum and maximum: none recorded
        else:
            stats["nullCount"][field.name] = nulls
            if low is not None:
                stats["minValues"][field.name] = low.isoformat() if isinstance(low, dt.date) else low
                stats["maxValues"][field.name] = high.isoformat() if isinstance(high, dt.date) else high
    return stats


def listed_files(delta) -> list[str]:
    """The data files a Delta table's version lists, relative to the table's folder."""
    return pa.table(delta.get_add_actions(flatten=True)).column("path").to_pylist()


def versions_uri(store: ParquetStore) -> str:
    """Where `table_versions` is: under its old name in a store no run has committed to since."""
    uri = table_uri(store, VERSIONS)
    legacy = table_uri(store, LEGACY_VERSIONS)
    if store.is_local and not os.path.isdir(uri) and os.path.isdir(os.path.join(legacy, LOG_FOLDER)):
        return legacy  # (a local store's only: the sixth session kept no Delta tables elsewhere)
    return uri


def versions_name(store: ParquetStore) -> str:
    """The folder of `table_versions` in the store (its sixth-session name, till a commit)."""
    return LEGACY_VERSIONS if versions_uri(store) != table_uri(store, VERSIONS) else VERSIONS


def _append_versions(store: ParquetStore, run_id: str, versions: dict[str, int], files: dict[str, dict[str, dict]]) -> None:
    from deltalake import write_deltalake

    if (uri := versions_uri(store)) != table_uri(store, VERSIONS):
        os.replace(uri, table_uri(store, VERSIONS))  # a Delta table's log holds relative paths: it moves whole

    finished = dt.datetime.now(dt.UTC)
    rows = pa.table(
        {
            "run_id": [run_id] * len(versions),
            "finished_at": [finished] * len(versions),
            "table_name": list(versions),
            "version": list(versions.values()),
            "files": [json.dumps(files[t], sort_keys=True, separators=(",", ":")) for t in versions],
        },
        schema=VERSIONS_SCHEMA,
    )
    drop_unreadable_commits(store, VERSIONS)
    if damaged_older_commits(store):
        rebuild_versions(store)
    write_deltalake(
        table_uri(store, VERSIONS),
        rows,
        storage_options=storage_options(store),
        mode="append",
        schema_mode="merge",  # a table_versions of an older wirehouse has no `files` column
        configuration=TABLE_CONFIGURATION,
        commit_properties=_props(run_id),
    )


def last_committed_run(store: ParquetStore) -> str | None:
    """The run whose `table_versions` commit is the newest (read from the newest log file
    alone: a no-op run asks this, and opening the table costs ten times more); None if
    there is none."""
    versions = _commit_versions(store, versions_name(store))
    if not versions:
        return None
    for action in _read_commit(store, versions_name(store), versions[0]):
        if (info := action.get("commitInfo")) is not None:
            return info.get("wirehouse_run")
    return None


def published_runs(store: ParquetStore) -> list[Pointer]:
    """Every published run in the order they finished, with each table's version."""
    if not enabled(store) or not is_table(store, VERSIONS):
        return []
    return _pointers(open_table(store, VERSIONS).to_pyarrow_table())


def published_versions(store: ParquetStore) -> pa.Table | None:
    """`table_versions`' run_id, finished_at, table_name and version columns alone (not
    `files`, whose JSON `published_runs` parses: 100 times the CPU at 300 runs), in the order
    the runs finished; None if the store has no Delta tables."""
    if not enabled(store) or not is_table(store, VERSIONS):
        return None
    rows = open_table(store, VERSIONS).to_pyarrow_table(columns=["run_id", "finished_at", "table_name", "version"])
    return rows.sort_by([("finished_at", "ascending"), ("table_name", "ascending")])


def _pointers(rows: pa.Table) -> list[Pointer]:
    runs: dict[str, Pointer] = {}
    for row in rows.to_pylist():
        pointer = runs.setdefault(row["run_id"], Pointer(row["run_id"], row["finished_at"], {}, {}))
        pointer.versions[row["table_name"]] = row["version"]
        if row.get("files") is None:
            pointer.files = None
        elif pointer.files is not None:
            pointer.files[row["table_name"]] = json.loads(row["files"])
    return sorted(runs.values(), key=lambda p: p.finished_at)


def read_pointer(store: ParquetStore, as_of: str | dt.datetime) -> Pointer:
    """The run `as_of` names (a run id), or the last run that finished at or before it (a
    timestamp, ISO 8601; UTC unless it says otherwise). WirehouseError, in one line, if
    there is none."""
    history = published_runs(store)
    if not history:
        raise WirehouseError("this warehouse has no run history yet (its tables are not Delta tables): run `wirehouse run` first")
    when = as_of if isinstance(as_of, dt.datetime) else None
    if when is None:
        for pointer in history:
            if pointer.run_id == as_of:
                return pointer
        try:
            when = dt.datetime.fromisoformat(str(as_of))
        except ValueError:
            if as_of in _runs_table_ids(store):
                raise WirehouseError(
                    f"--as-of {as_of}: that run published no table versions (an older wirehouse made it, before the "
                    f"store's tables were Delta tables); the first run --as-of can read is {history[0].run_id}"
                ) from None
            raise WirehouseError(
                f"--as-of {as_of}: no such run and not a timestamp; give a run id from the runs table "
                f"(the last is {history[-1].run_id}) or a time such as {history[-1].finished_at:%Y-%m-%dT%H:%M:%S}"
            ) from None
    when = when if when.tzinfo else when.replace(tzinfo=dt.UTC)
    before = [p for p in history if p.finished_at <= when]
    if not before:
        raise WirehouseError(
            f"--as-of {as_of}: no run had finished by then; the first finished at {history[0].finished_at:%Y-%m-%dT%H:%M:%S%z}"
        )
    return before[-1]


def _runs_table_ids(store: ParquetStore) -> set[str]:
    """The run ids of the store's `runs` table as its newest version holds them (runs an
    older wirehouse made before table_versions included); none if it does not read."""
    from deltalake.exceptions import DeltaError

    try:
        return set(open_table(store, "runs").to_pyarrow_table(columns=["run_id"])["run_id"].to_pylist())
    except (DeltaError, OSError):
        return set()


def retention_hours(grace_s: float) -> int:
    """`vacuum`'s retention for a grace period in seconds: whole hours, rounded up."""
    return math.ceil(grace_s / 3600)


# How long a table's log remembers a removed file (Delta's default: a week); at least the grace.
TOMBSTONE_RETENTION = "delta.deletedFileRetentionDuration"
# table_versions gets a file per run: compacted (`optimize`) once it holds this many.
VERSIONS_FILES = 20


def vacuum(store: ParquetStore, grace_s: float, keep: set[str]) -> int:
    """The store's garbage collection, by Delta's own `vacuum`, table by table: a part that a
    commit removed goes once it has been removed for `grace_s` (rounded up to whole hours),
    unless the version of the run before the last lists it (`keep_versions`: a reader of
    the previous database keeps reading); a part no version ever listed (written by a killed
    or failed run) goes at once, unless it is in `keep` (the parts of the published
    snapshots). Each table's log is then trimmed to its retention (`cleanup_metadata`), and
    `table_versions`, a file per run, is compacted (`optimize`) every VERSIONS_FILES runs.
    Vacuum's commits carry the last run's id, as that run's own do. Returns files removed.
    Called with the run lock held: `full` mode deletes whatever no version lists."""
    history = published_runs(store)
    if not history:
        return 0
    props = _props(history[-1].run_id)
    previous = history[-2].versions if len(history) > 1 else {}
    hours = retention_hours(grace_s)
    removed = 0
    for table in [*TABLES, VERSIONS]:
        uri = versions_uri(store) if table == VERSIONS else table_uri(store, table)
        if not is_table(store, table):
            continue
        delta = open_table(store, table)

        def relative(paths: list[str], uri: str = uri) -> list[str]:  # vacuum names files by URL on S3
            return [p[len(uri) + 1 :] if p.startswith(uri + "/") else p for p in paths]

        wanted = f"interval {max(hours, 168)} hours"
        if delta.metadata().configuration.get(TOMBSTONE_RETENTION, "interval 168 hours") != wanted:
            # A checkpoint forgets removals older than this, and vacuum's full mode below would
            # then take their files for ones no version listed: never before the grace.
            delta.alter.set_table_properties({TOMBSTONE_RETENTION: wanted}, commit_properties=props)
            delta = open_table(store, table)
        if table == VERSIONS and len(delta.file_uris()) >= VERSIONS_FILES:
            delta.optimize.compact(commit_properties=props)
            delta = open_table(store, table)
        lapsed = dict(retention_hours=0, dry_run=True, enforce_retention_duration=False)
        # Full mode lists the files no version lists besides the removed ones lite mode lists.
        never_listed = set(relative(delta.vacuum(**lapsed, full=True))) - set(relative(delta.vacuum(**lapsed)))
        for path in sorted(never_listed):
            rel = f"{table}/{path}"
            if rel not in keep and path.endswith(".parquet") and not path.rsplit("/", 1)[-1].startswith("."):
                store.remove(rel)
                removed += 1
        expire = dict(
            retention_hours=hours,
            enforce_retention_duration=False,
            keep_versions=[previous[table]] if table in previous else None,
        )
        due = [p for p in relative(delta.vacuum(**expire, dry_run=True)) if store.size(f"{table}/{p}") is not None]
        # A vacuum commits (twice) even when it deletes nothing: only when there is something,
        # and never a part a published snapshot lists (the log behind the snapshot: kept).
        if due and not any(f"{table}/{p}" in keep for p in due):
            delta.vacuum(**expire, dry_run=False, commit_properties=props)
            removed += len(due)
        delta.cleanup_metadata()
    return removed


def files_at(store: ParquetStore, pointer: Pointer) -> dict[str, list[str]]:
    """Each table's part files (relative to the store) at the version `pointer` names."""
    if (why := _unreadable(store, pointer)) is None:
        return _files_at(store, pointer)
    readable = [p.run_id for p in published_runs(store) if p.finished_at > pointer.finished_at and _unreadable(store, p) is None]
    oldest = f"the oldest it can read is {readable[0]}" if readable else "it can read none"
    raise WirehouseError(
        f"run {pointer.run_id} can no longer be read: {why}. A warehouse keeps its last two runs and every run "
        f"that was the newest within WIREHOUSE_GC_GRACE ({retention_hours(gc_grace_s())} h) before the last run's cleanup; {oldest}"
    )


def _files_at(store: ParquetStore, pointer: Pointer) -> dict[str, list[str]]:
    parts = {}
    for table in TABLES:
        if table not in pointer.versions:
            raise WirehouseError(f"run {pointer.run_id} published no version of the {table} table: it cannot be read as of then")
        files = listed_files(open_table(store, table, version=pointer.versions[table]))
        parts[table] = sorted(f"{table}/{path}" for path in files)
    return parts


def _unreadable(store: ParquetStore, pointer: Pointer) -> str | None:
    """Why the warehouse of `pointer` cannot be read any more (its files vacuumed, or its
    versions older than the log keeps), or None."""
    from deltalake.exceptions import DeltaError

    try:
        parts = _files_at(store, pointer)
    except DeltaError as exc:
        return f"its table versions are no longer in the Delta logs ({str(exc).splitlines()[0][:120]})"
    gone = [rel for paths in parts.values() for rel in paths if store.size(rel) is None]
    if gone:
        return f"{len(gone)} of its Parquet files (e.g. {gone[0]}) were vacuumed"
    return None


def _log_rel(table: str, name: str = "") -> str:
    return f"{table}/{LOG_FOLDER}/{name}" if name else f"{table}/{LOG_FOLDER}"


def _commit_versions(store: ParquetStore, table: str) -> list[int]:
    """The versions of a Delta log's commit files, newest first ([] if there is no log)."""
    names = store.list_names(_log_rel(table))
    return sorted((int(n[:-5]) for n in names if n.endswith(".json") and n[:-5].isdigit()), reverse=True)


def _commit_name(version: int) -> str:
    return f"{version:020d}.json"


def _read_commit(store: ParquetStore, table: str, version: int) -> list[dict]:
    """The actions of one commit; ValueError if the file is not a commit (OSError if gone)."""
    data = store.read_bytes(_log_rel(table, _commit_name(version)))
    if data is None:
        raise FileNotFoundError(_log_rel(table, _commit_name(version)))
    actions = [json.loads(line) for line in data.decode("utf-8").splitlines() if line.strip()]
    # Every line of a commit is one action: an object with a single key (add, remove, commitInfo, …).
    if not actions or not all(isinstance(a, dict) and len(a) == 1 for a in actions):
        raise ValueError("empty, or not Delta actions")
    return actions


class PointerDamaged(Exception):
    """`table_versions` does not read: its log or its files are damaged."""

    def __init__(self, path: str, why: str):
        super().__init__(f"{path}: {why}")
        self.path, self.why = path, why


def last_pointer(store: ParquetStore) -> Pointer | None:
    """The last published run (None if there is none), read from the newest run commit of
    `table_versions`' log and the Parquet file it added, without deltalake: what every
    run asks first, a run over an unchanged folder included. Falls back to deltalake when
    that commit is not in the log any more or its file was compacted away; PointerDamaged
    if the log does not read."""

    table = versions_name(store)
    versions = _commit_versions(store, table)
    if not versions:
        return None
    for version in versions[:20]:  # past vacuum's and optimize's commits, which follow a run's
        try:
            actions = _read_commit(store, table, version)
        except (OSError, ValueError) as exc:
            raise PointerDamaged(_log_rel(VERSIONS, _commit_name(version)), f"not a Delta commit ({type(exc).__name__})") from exc
        info = next((a["commitInfo"] for a in actions if "commitInfo" in a), {})
        added = [a["add"]["path"] for a in actions if "add" in a]
        if not added or info.get("operation") != "WRITE" or not info.get("wirehouse_run"):
            continue
        try:
            rows = pa.concat_tables(store.read_table(f"{table}/{unquote(p)}") for p in added)
        except (OSError, ValueError):
            break  # compacted and vacuumed, or damaged: deltalake reads the table
        if "files" not in rows.column_names:
            break
        found = [p for p in _pointers(rows) if p.run_id == info["wirehouse_run"]]
        return found[-1] if found else None
    return _last_pointer_by_deltalake(store)


def _last_pointer_by_deltalake(store: ParquetStore) -> Pointer | None:
    from deltalake.exceptions import DeltaError

    try:
        history = published_runs(store)
    except (DeltaError, OSError, ValueError) as exc:
        raise PointerDamaged(f"{VERSIONS}", f"does not read ({str(exc).splitlines()[0][:120]})") from exc
    return history[-1] if history else None


def previous_pointer(store: ParquetStore, current: Pointer) -> Pointer | None:
    """The run published before `current`, or None."""
    before = [p for p in published_runs(store) if p.finished_at < current.finished_at and p.run_id != current.run_id]
    return before[-1] if before else None


def has_pointer(store: ParquetStore) -> bool:
    """Whether the store's tables are Delta tables with a published run (`table_versions`)."""
    return enabled(store) and bool(_commit_versions(store, versions_name(store)))


def pointer_files(store: ParquetStore, pointer: Pointer) -> dict[str, dict[str, dict]]:
    """Each table's files at the pointed version, with what is recorded of each: from the
    `table_versions` row, else (a row of an older wirehouse) from each table's log: size and
    rows, no content hash."""
    if pointer.files is not None:
        return pointer.files
    return {table: _committed_files(open_table(store, table, version=v), table, {}) for table, v in pointer.versions.items()}


def tables_ahead(store: ParquetStore, run_id: str, versions: dict[str, int], parts: dict[str, list[str]]) -> dict[str, str]:
    """Tables whose newest version lists other files than the version of run `run_id`
    (`versions`, listing `parts`) does: a run killed between its table commits and its
    `table_versions` row, or a `table_versions` commit lost. table -> the run whose commit it
    is. Reads only the commits after the pointed version (usually none, or vacuum's, which
    change no files)."""

    ahead = {}
    for table, version in versions.items():
        newer = sorted(v for v in _commit_versions(store, table) if v > version)
        if not newer:
            continue
        if newer != list(range(version + 1, newer[-1] + 1)):
            ahead[table] = "unknown (commits missing from its log)"
            continue
        last: dict[str, bool] = {}
        runs = set()
        for v in newer:
            try:
                actions = _read_commit(store, table, v)
            except (OSError, ValueError):
                ahead[table] = f"unknown (commit {v} does not read)"
                break
            for action in actions:
                if "add" in action or "remove" in action:
                    kind = "add" if "add" in action else "remove"
                    last[f"{table}/{unquote(action[kind]['path'])}"] = kind == "add"
                elif "commitInfo" in action:
                    runs.add(str(action["commitInfo"].get("wirehouse_run")))
        else:
            listed = set(parts.get(table, []))
            if any(present != (rel in listed) for rel, present in last.items()):
                ahead[table] = ", ".join(sorted(runs - {run_id})) or run_id
    return ahead


def drop_unreadable_commits(store: ParquetStore, table: str) -> list[str]:
    """Remove the commits at the end of a Delta log that do not read (damaged between runs),
    so that the table is again at its last readable version and takes new commits: a reader
    cannot read past them anyway. Returns the files removed."""
    removed = []
    for version in _commit_versions(store, table):
        try:
            _read_commit(store, table, version)
            break
        except (OSError, ValueError):
            store.remove(_log_rel(table, _commit_name(version)))
            removed.append(_commit_name(version))
    return removed


def last_readable_pointer(store: ParquetStore) -> Pointer | None:
    """The last run `table_versions` names at its newest version that reads: what the
    warehouse is recovered from when the newest commit of that log is damaged."""
    from deltalake.exceptions import DeltaError

    table = versions_name(store)
    for version in _commit_versions(store, table):
        try:
            _read_commit(store, table, version)
            runs = _pointers(open_table(store, VERSIONS, version=version).to_pyarrow_table())
        except (DeltaError, OSError, ValueError):
            continue
        return runs[-1] if runs else None
    return None


def _checkpoint_version(store: ParquetStore, table: str) -> int:
    """The version of the log's last checkpoint (-1 if none or unreadable): readers replay
    only the commits after it."""
    try:
        data = store.read_bytes(_log_rel(table, "_last_checkpoint"))
        return int(json.loads(data)["version"]) if data else -1
    except (ValueError, KeyError, TypeError):
        return -1


def damaged_older_commits(store: ParquetStore) -> dict[str, str]:
    """The commits of `table_versions`' log, other than the newest (`drop_unreadable_commits`
    handles that one), that a reader replays (those after the last checkpoint) and that do not
    read: commit file (under the store) -> why. Reads at most the commits since the last
    checkpoint (every 10 runs): a few small files."""
    table = versions_name(store)
    versions = _commit_versions(store, table)
    checkpoint = _checkpoint_version(store, table)
    found = {}
    for version in versions[1:]:
        if version <= checkpoint:
            break
        try:
            _read_commit(store, table, version)
        except (OSError, ValueError, UnicodeDecodeError) as exc:
            found[_log_rel(table, _commit_name(version))] = f"not a Delta commit ({type(exc).__name__})"
    return found


def log_moved_aside(store: ParquetStore) -> bool:
    """Whether `table_versions` has a damaged log kept aside and no log of its own: a run was
    killed while it wrote the table anew (`rebuild_versions`)."""
    table = versions_name(store)
    names = store.list_names(table)
    return any(n.startswith(f"{LOG_FOLDER}.damaged-") for n in names) and not _commit_versions(store, table)


def rebuild_versions(store: ParquetStore) -> int:
    """Write `table_versions` anew from the rows of its Parquet files, when an older commit
    of its log is damaged: the log cannot be read past it, so every reader and writer of the
    table fails. Its rows are never deleted (runs append, optimize merges), so the rows of
    every file in its folder that reads, one per run and table, are the table; a run that
    finished after the run the newest commit names (a killed run's file) is left out. The
    damaged log is kept beside it as `_delta_log.damaged-<time>` (a folder Delta ignores).
    Returns the runs kept. A kill between moving the log aside and the new table's first
    commit leaves no published run: the next run processes every file again."""
    from deltalake import write_deltalake

    table = versions_name(store)
    newest = last_committed_run(store)
    pieces = []
    for rel in store.table_files(table):  # a listing, as the log does not read
        if any(name.startswith(("_", ".")) for name in rel.split("/")[1:]):
            continue  # a damaged log kept aside (its checkpoints are Parquet too)
        try:
            piece = store.read_table(rel)
        except (OSError, ValueError):
            continue
        if "files" not in piece.column_names:  # a row of the sixth or seventh session
            piece = piece.append_column("files", pa.nulls(piece.num_rows, pa.string()))
        pieces.append(piece.select(VERSIONS_SCHEMA.names).cast(VERSIONS_SCHEMA))
    rows: dict[tuple[str, str], dict] = {}
    for row in pa.concat_tables(pieces).to_pylist() if pieces else []:
        key = (row["run_id"], row["table_name"])
        if key not in rows or rows[key]["files"] is None:
            rows[key] = row
    last = max((r["finished_at"] for r in rows.values() if r["run_id"] == newest), default=None)
    kept = [r for r in rows.values() if last is None or r["finished_at"] <= last]
    kept.sort(key=lambda r: (r["finished_at"], r["run_id"], r["table_name"]))
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    log = store.uri(_log_rel(table))
    store.filesystem().mv(log, f"{log}.damaged-{stamp}", recursive=True)
    crash_point("table_versions_log_moved_aside")
    write_deltalake(
        table_uri(store, table),
        pa.Table.from_pylist(kept, schema=VERSIONS_SCHEMA),
        storage_options=storage_options(store),
        mode="error",
        configuration=TABLE_CONFIGURATION,
        commit_properties=_props(newest or "rebuilt"),
    )
    return len({r["run_id"] for r in kept})
