"""What a run relies on, verified before it is trusted: the snapshot files, the Parquet
parts they list, the store's markers and the published database.

Damage that happens between runs (a disk error, a stray `cp`, a truncated copy) is found
by cheap checks every run makes — the files parse, every listed part exists with the
size it was written with, the database is the file the last build left — and repaired
by the run: a damaged or missing current snapshot is replaced by the last run the store's
Delta tables published (`table_versions`), else by the previous snapshot, the rows of a
damaged part are derived again from their input files, the database is rebuilt. `check`
makes the same checks plus row counts from the Parquet footers, and with `--deep` the
content hashes recorded when each part was written.

Nothing here imports Prefect: the no-op check of `wirehouse run` calls `inspect` first.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

from flows.plan import manifest
from flows.plan.manifest import part_group
from flows.settings import database_path
from flows.store import storage
from flows.store.storage import PREVIOUS_FILE, SNAPSHOT_FILE, ParquetStore, Snapshot, SnapshotDamaged

# Tables whose rows belong to input files: the manifest's `part` names the group holding a
# file's rows in each of them, so a damaged part's rows are derived again from those files.
ROW_TABLES = manifest.ROW_TABLES_BY_PATH + manifest.ROW_TABLES_BY_ARTICLE


def _sha256(store: ParquetStore, rel: str) -> str:
    digest = hashlib.sha256()
    with store.open_binary(rel) as fh:
        while chunk := fh.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def verify_part(store: ParquetStore, rel: str, recorded: dict | None, *, rows: bool = False, deep: bool = False) -> str | None:
    """What is wrong with one part, or None. Always: it exists with its recorded size.
    `rows` (or no record: a snapshot of an older version): its footer reads and holds the
    recorded rows. `deep`: its content hash is the one recorded when it was written."""
    size = store.size(rel)
    if size is None:
        return "missing"
    if recorded and size != recorded.get("bytes"):
        return f"{size} bytes, not the {recorded.get('bytes')} it was written with"
    if rows or deep or not recorded:
        try:
            found = store.num_rows(rel)
        except (OSError, ValueError) as exc:  # pyarrow's ArrowInvalid is a ValueError
            return f"not a readable Parquet file ({str(exc).splitlines()[0][:120]})"
        if recorded and found != recorded.get("rows"):
            return f"{found} rows, not the {recorded.get('rows')} it was written with"
    if deep and recorded and _sha256(store, rel) != recorded.get("sha256"):
        return "content differs from what was written (sha256)"
    return None


def verify_parts(store: ParquetStore, snapshot: Snapshot, *, rows: bool = False, deep: bool = False) -> dict[str, str]:
    """Damaged or missing parts of `snapshot`: part path -> what is wrong."""
    bad = {}
    for parts in snapshot.parts.values():
        for rel in parts:
            if problem := verify_part(store, rel, snapshot.checks.get(rel), rows=rows, deep=deep):
                bad[rel] = problem
    return bad


@dataclass
class Health:
    """The snapshot a run may build on, and what it must repair first."""

    snapshot: Snapshot | None  # intact parts only; None: every file is processed again
    source: Snapshot | None = None  # the snapshot file it comes from, damaged parts and all
    repairs: list[str] = field(default_factory=list)  # one phrase per repair, for the summary
    unrepairable: list[str] = field(default_factory=list)
    lost_groups: set[str] = field(default_factory=set)  # their files' rows are derived again
    bad_parts: dict[str, str] = field(default_factory=dict)  # part -> problem
    needs_publish: bool = False  # a new snapshot must be published even if no file changed

    @property
    def damaged(self) -> bool:
        return bool(self.repairs or self.unrepairable or self.needs_publish)


def _load(warehouse: Path, name: str) -> tuple[Snapshot | None, str | None]:
    try:
        return storage.load_snapshot(warehouse, name), None
    except SnapshotDamaged as exc:
        return None, exc.why


def inspect(warehouse: Path, *, rows: bool = False, deep: bool = False) -> Health:
    """Read the snapshot files, verify the parts of the one to build on, the store's
    markers and the database. Read-only: the run repairs what this finds."""
    current, current_problem = _load(warehouse, SNAPSHOT_FILE)
    previous, previous_problem = _load(warehouse, PREVIOUS_FILE)
    health = Health(snapshot=current, source=current)
    published = _from_delta(warehouse, previous) if current is None else None
    if current_problem or (current is None and (previous is not None or published is not None)):
        why = current_problem or "missing"
        health.needs_publish = True
        health.snapshot = health.source = published or previous
        if published:
            fix = f"recovered from the Delta tables (run {published.run_id})"
        else:
            fix = f"recovered from {PREVIOUS_FILE}" if previous else "no previous snapshot: every file processed again"
        health.repairs.append(f"_state/{SNAPSHOT_FILE} was damaged ({why}): {fix}")
    elif previous_problem:
        health.needs_publish = True  # publishing makes the current snapshot the previous
        health.repairs.append(f"_state/{PREVIOUS_FILE} was damaged ({previous_problem}): replaced")
    snapshot = health.snapshot
    if snapshot is None:
        return health
    store = snapshot.store(warehouse)
    if not storage.markers_agree(warehouse, store):
        health.needs_publish = True  # the run's claim of the store repairs or refuses them
    bad = verify_parts(store, snapshot, rows=rows, deep=deep)
    health.bad_parts = dict(bad)
    files_bad = [rel for rel in snapshot.parts.get("files", []) if rel in bad]
    if files_bad:
        # The manifest says which input file each row came from: without it, build on the
        # previous snapshot (its parts are kept), else process every file again.
        what = f"the manifest part {files_bad[0]} was damaged ({bad[files_bad[0]]})"
        health.needs_publish = True
        fallback = previous if snapshot is current else None
        fallback_bad = verify_parts(store, fallback, rows=rows, deep=deep) if fallback else {}
        if fallback is None or any(rel in fallback_bad for rel in fallback.parts.get("files", [])):
            health.repairs.append(f"{what}: every file processed again")
            health.snapshot = None
            return health
        health.repairs.append(f"{what}: recovered from {PREVIOUS_FILE}")
        snapshot, bad = fallback, fallback_bad
        health.snapshot = health.source = fallback
        health.bad_parts.update(bad)
    if bad:
        health.needs_publish = True
        health.snapshot = snapshot = _without_damage(health, snapshot, bad)
    if problem := database_problem(warehouse, snapshot):
        health.needs_publish = True
        health.repairs.append(f"{problem}: rebuilt from the Parquet store")
    return health


def _from_delta(warehouse: Path, previous: Snapshot | None) -> Snapshot | None:
    """The last run the store's Delta tables published (`table_versions`), as a snapshot:
    what a damaged or missing current snapshot is recovered from, unless the previous
    snapshot is newer (Delta commits of an older wirehouse missing) or the run's files are
    gone. Sizes and hashes as the previous snapshot recorded them, where it lists the same
    part; the others are checked by their footers and hashed again when published."""
    from deltalake.exceptions import DeltaError

    from flows.settings import WirehouseError
    from flows.store import delta_log

    store = previous.store(warehouse) if previous else ParquetStore(str(storage.default_parquet_dir(warehouse)))
    if not delta_log.enabled(store) or not (Path(delta_log.versions_uri(store)) / delta_log.LOG_FOLDER).is_dir():
        return None
    try:
        runs = delta_log.published_runs(store)
        if not runs or (previous is not None and previous.run_id > runs[-1].run_id):  # run ids begin with their time
            return None
        parts = delta_log.files_at(store, runs[-1])
    except (WirehouseError, DeltaError, OSError, ValueError):  # a log that does not read: recovered otherwise
        return None
    known = previous.checks if previous else {}
    checks = {rel: known[rel] for paths in parts.values() for rel in paths if rel in known}
    return Snapshot(run_id=runs[-1].run_id, parts=parts, parquet_url=previous.parquet_url if previous else "", checks=checks)


def _without_damage(health: Health, snapshot: Snapshot, bad: dict[str, str]) -> Snapshot:
    """`snapshot` without its damaged parts: a row table's damaged part takes its whole
    group along (every table's part of those input files), whose files the plan marks
    changed; run history has no input to come from."""
    lost = {part_group(rel) for table in ROW_TABLES for rel in snapshot.parts.get(table, []) if rel in bad}
    health.lost_groups |= lost
    parts = {
        table: [p for p in paths if (part_group(p) not in lost if table in ROW_TABLES else p not in bad)]
        for table, paths in snapshot.parts.items()
    }
    runs_lost = [rel for rel in snapshot.parts.get("runs", []) if rel in bad]
    if runs_lost:
        health.unrepairable.append(
            f"run history in {', '.join(runs_lost)} is damaged ({bad[runs_lost[0]]}) and no input file holds it: "
            "left out of run_history"
        )
    rederived = [rel for rel in bad if part_group(rel) in lost]
    if rederived:
        health.repairs.append(
            f"{len(rederived)} damaged part(s) ({rederived[0]}: {bad[rederived[0]]}): rows derived again from their input files"
        )
    recomputed = [rel for rel in bad if rel not in rederived and rel not in runs_lost]
    if recomputed:
        health.repairs.append(f"damaged part {recomputed[0]} ({bad[recomputed[0]]}): computed again")
    return Snapshot(run_id=snapshot.run_id, parts=parts, parquet_url=snapshot.parquet_url, checks=snapshot.checks)


def database_problem(warehouse: Path, snapshot: Snapshot) -> str | None:
    """Why the published database cannot be trusted, or None. Only damage counts here:
    the file is not the one the last build left, or does not open. A database built from
    another snapshot or sql/ is rebuilt anyway (`warehouse.database_is_current`)."""
    from flows.warehouse.build import recorded_database

    db = database_path(warehouse)
    recorded, problem = recorded_database(warehouse)
    if problem:
        return problem
    if recorded is None:  # written by every build: gone only by damage
        return "_state/database.json is missing" if db.exists() else None
    if recorded.get("run_id") != snapshot.run_id:
        return None  # built from another snapshot (a crash before the swap): rebuilt anyway
    try:
        st = db.stat()
    except FileNotFoundError:
        return f"{db.name} is missing"
    if "bytes" in recorded and st.st_size != recorded["bytes"]:
        return f"{db.name} is {st.st_size} bytes, not the {recorded['bytes']} it was built with"
    if "mtime_ns" in recorded and st.st_mtime_ns != recorded["mtime_ns"]:
        return f"{db.name} was modified after it was built"
    return _open_problem(db)


def _open_problem(db: Path) -> str | None:
    import duckdb

    try:
        con = duckdb.connect(str(db), read_only=True)
        try:
            con.execute("select count(*) from duckdb_tables()").fetchone()
        finally:
            con.close()
    except duckdb.Error as exc:
        return f"{db.name} does not open ({str(exc).splitlines()[0][:120]})"
    return None


@dataclass
class CheckResult:
    findings: list[str]  # "<file>: what is wrong", one per problem
    parts: int = 0
    rows: int = 0
    data_tests: int = 0
    data_tests_run: bool = False  # run again (deep), or passed when the database was built


def check(warehouse: Path, *, deep: bool = False) -> CheckResult:  # noqa: C901
    """`wirehouse check`: the snapshot files and markers parse; every part of the current
    snapshot exists with its recorded size and (from its footer) row count, and with
    `deep` its recorded content hash; the database is the one built from the snapshot,
    opens, holds the snapshot's rows and passes the data tests. Read-only."""
    from flows.settings import SQL_DIR, WirehouseError
    from flows.warehouse.build import data_tests, database_is_current, file_sha256, run_data_tests

    db = database_path(warehouse)
    if not storage.state_dir(warehouse).is_dir() and not db.exists():
        raise WirehouseError(f"no warehouse at {warehouse}: run `wirehouse run` first")
    result = CheckResult(findings=[])
    found = result.findings
    snapshots = {}
    for name in (SNAPSHOT_FILE, PREVIOUS_FILE):
        snapshots[name], problem = _load(warehouse, name)
        if problem:
            found.append(f"_state/{name}: {problem}")
    snapshot = snapshots[SNAPSHOT_FILE]
    if snapshot is None:
        if not any(f.startswith(f"_state/{SNAPSHOT_FILE}") for f in found):
            found.append(f"_state/{SNAPSHOT_FILE}: missing")
        return result
    store = snapshot.store(warehouse)
    own, owner = storage.read_warehouse_id(warehouse), storage.read_marker(store)
    if own == "" or own is None:
        found.append(f"_state/{storage.WAREHOUSE_ID}: {'damaged' if own == '' else 'missing'}")
    if owner == {} or owner is None:
        found.append(f"{store.url}/{storage.STORE_MARKER}: {'damaged' if owner == {} else 'missing'}")
    elif own and owner["warehouse_id"] != own:
        found.append(f"{store.url}/{storage.STORE_MARKER}: names another warehouse ({owner.get('warehouse', 'unknown')})")
    bad = verify_parts(store, snapshot, rows=True, deep=deep)
    found.extend(f"{rel}: {problem}" for rel, problem in bad.items())
    result.parts = sum(len(p) for p in snapshot.parts.values())
    expected = {t: sum(snapshot.checks.get(p, {}).get("rows", -1) for p in paths) for t, paths in snapshot.parts.items()}
    result.rows = sum(n for n in expected.values() if n > 0)
    recorded, problem = _recorded(warehouse)
    problem = problem or database_problem(warehouse, snapshot)
    if problem:
        found.append(problem)
        return result
    if recorded is None or not database_is_current(warehouse, snapshot):
        found.append(f"{db.name}: not built from the current snapshot (run {snapshot.run_id}) with today's sql/")
        return result
    if deep and recorded.get("sha256") and file_sha256(db) != recorded["sha256"]:
        found.append(f"{db.name}: content differs from what was built (sha256)")
        return result
    import duckdb

    from flows.warehouse.object_store import reach_store_of_views

    try:
        con = duckdb.connect(str(db), read_only=True)
    except duckdb.Error as exc:
        found.append(f"{db.name} does not open ({str(exc).splitlines()[0][:120]})")
        return result
    try:
        reach_store_of_views(con)  # an s3:// store's views: httpfs and its credentials
    except BaseException:
        con.close()
        raise
    try:
        if not bad:  # a missing part would fail every view over its table
            for table, n in expected.items():
                if n < 0:
                    continue
                try:
                    got = con.execute(f"select count(*) from stg_{table}").fetchone()[0]
                except duckdb.Error as exc:
                    found.append(f"{db.name}: stg_{table} does not read ({str(exc).splitlines()[0][:120]})")
                    continue
                if got != n:
                    found.append(f"{db.name}: stg_{table} has {got} rows, the snapshot's parts {n}")
            if deep:
                # Without `deep` the database is the very file whose data tests passed
                # before it was published (its size and time as the build recorded them)
                # over parts of their recorded sizes and rows: running them again (4 of
                # the 4.5 CPU-s of a check at BBC scale) could only find content changed
                # behind those, which is what `deep`'s hashes look for.
                # (Not even listed otherwise: their accepted values import the transforms, 1.5 CPU-s.)
                result.data_tests, result.data_tests_run = len(data_tests(SQL_DIR)), True
                found.extend(f"data test {f}" for f in run_data_tests(con, SQL_DIR))
    finally:
        con.close()
    return result


def _recorded(warehouse: Path) -> tuple[dict | None, str | None]:
    from flows.warehouse.build import recorded_database

    return recorded_database(warehouse)
