"""What changed since the last run: the manifest of ingested files, and the run's plan.

A file is unchanged when its size and modification time match the manifest (no read,
no hash: a no-op run over a large archive only lists the folder), unless it was rejected
for a passing reason (status `retry`: permission denied, an I/O error), which every run
reads again whatever its times say — `chmod` does not change a file's modification time. New and changed files
are processed; a changed file's old rows are dropped by rewriting the part-file groups
that held them. A file that is gone from the input folder has its rows removed too: the
warehouse mirrors the folder, so a run never reports articles whose source is missing.
"""

from __future__ import annotations

import itertools
import json
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

import pyarrow as pa
import pyarrow.compute as pc

from flows.settings import WirehouseError
from flows.store import storage
from transforms import schemas

if TYPE_CHECKING:
    from flows.store import integrity

# Tables whose rows belong to input files, keyed by source_path or by article_id.
ROW_TABLES_BY_PATH = ("articles", "rejects")
ROW_TABLES_BY_ARTICLE = (
    "sentences",
    "entities",
    "removed_lines",
    "dates_mentioned",
    "amounts",
    "quotes",
    "ner_spans",
    "ner_units",
)


# The status of a file rejected for a reason that may pass (unreadable): read again by every run.
RETRY = "retry"


@dataclass(frozen=True)
class FileState:
    source_key: str
    source_path: str
    size: int
    mtime_ns: int
    source_sha256: str
    status: str
    articles: int
    rejects: int
    part: str
    run_id: str


@dataclass
class Plan:
    to_process: list[storage.InputFile]
    unchanged: list[FileState]
    deleted: list[FileState]
    new: int = 0
    changed: int = 0
    dirty_parts: set[str] = field(default_factory=set)  # part groups holding rows to drop
    dropped_paths: set[str] = field(default_factory=set)  # source paths whose old rows go
    known_groups: set[str] = field(default_factory=set)  # every part group the manifest names
    # What the run's verification found (flows/store/integrity.py): repairs to make and report.
    health: integrity.Health | None = None
    unrepairable: list[str] = field(default_factory=list)


def load_manifest(warehouse: Path, snapshot: storage.Snapshot | None) -> dict[str, FileState]:
    if snapshot is None or not snapshot.parts.get("files"):
        return {}
    store = snapshot.store(warehouse)
    table = pa.concat_tables(store.read_table(p) for p in snapshot.parts["files"])
    return {row["source_key"]: FileState(**row) for row in table.to_pylist()}


def plan_folder(
    files: list[storage.InputFile], warehouse: Path, parquet_url: str | None = None
) -> tuple[storage.ParquetStore, storage.Snapshot | None, Plan, bool]:
    """The run's Parquet store, the snapshot to build on and the plan of `files` against its
    manifest. The snapshot is verified first (flows/store/integrity.py): a damaged current one is
    replaced by the previous, and the files whose rows sat in a damaged part are planned
    as changed. A snapshot written in other table schemas (an older wirehouse) counts as
    none, so that every file is processed again; the last value says when that happened."""
    from flows.store import integrity

    health = integrity.inspect(warehouse)
    previous = health.snapshot
    store = storage.open_store(warehouse, previous, parquet_url)
    outdated = bool(previous) and not storage.snapshot_matches_schemas(warehouse, health.source, skip=set(health.bad_parts))
    if outdated:
        previous = None
    known = load_manifest(warehouse, previous)
    previous, lost = integrity.without_merged_files(health, previous, {s.part for s in known.values()})
    plan = plan_run(files, known, lost_groups=lost)
    plan.health = health
    gone = sorted(s.source_path for s in plan.deleted if s.part in lost)
    if gone:
        plan.unrepairable.append(
            f"{len(gone)} file(s) whose rows were in a damaged part are gone from the input folder too, "
            f"their rows are not in the warehouse: {', '.join(gone[:5])}{' …' if len(gone) > 5 else ''}"
        )
    return store, previous, plan, outdated


def plan_run(files: list[storage.InputFile], manifest: dict[str, FileState], lost_groups: set[str] = frozenset()) -> Plan:
    """The plan of `files` against the `manifest`; files whose rows were in `lost_groups`
    (damaged parts) are changed, whatever their size and time say."""
    plan = Plan(to_process=[], unchanged=[], deleted=[], known_groups={s.part for s in manifest.values()})
    seen = set()
    for entry in files:
        seen.add(entry.key)
        old = manifest.get(entry.key)
        if (
            old
            and old.status != RETRY
            and old.part not in lost_groups
            and old.size == entry.size
            and old.mtime_ns == entry.mtime_ns
            and old.source_path == entry.display_path
        ):
            plan.unchanged.append(old)
            continue
        plan.to_process.append(entry)
        if old:
            plan.changed += 1
            plan.dirty_parts.add(old.part)
            plan.dropped_paths.add(old.source_path)
        else:
            plan.new += 1
    for key, old in manifest.items():
        if key not in seen:
            plan.deleted.append(old)
            plan.dirty_parts.add(old.part)
            plan.dropped_paths.add(old.source_path)
    return plan


class MassDelete(WirehouseError):
    pass


DEFAULT_MAX_DELETE_SHARE = 0.2


def check_deletions(plan: Plan, input_dir: Path, max_share: float = DEFAULT_MAX_DELETE_SHARE) -> None:
    """Refuse a run that would delete the rows of more than `max_share` of the files the
    warehouse holds: an input folder that is momentarily empty or half there (an unmounted
    share, a copy in progress) must not wipe the warehouse."""
    known = len(plan.unchanged) + plan.changed + len(plan.deleted)
    if known and len(plan.deleted) > max_share * known:
        raise MassDelete(
            f"this run would delete the rows of {len(plan.deleted)} of the warehouse's {known} files "
            f"({len(plan.deleted) / known:.0%}, more than {max_share:.0%}) because they are missing from {input_dir}: "
            "if the folder is complete (not an unmounted share or a copy in progress), run again with "
            "--allow-mass-delete; nothing was changed"
        )


INPUT_FILE = "input.json"  # in `_state/`: the input folder the warehouse mirrors


def recorded_input(warehouse: Path) -> str | None:
    try:
        return json.loads((storage.state_dir(warehouse) / INPUT_FILE).read_text())["input"]
    except (OSError, ValueError, KeyError, TypeError):
        return None  # a warehouse from before the record (or none yet): the next run records it


def check_input(warehouse: Path, input_dir: Path, replace: bool = False) -> None:
    """One warehouse, one input: the warehouse mirrors one folder, so a run over another
    would replace every article; it has to be asked for."""
    recorded = recorded_input(warehouse)
    if recorded and recorded != str(input_dir) and not replace:
        raise WirehouseError(
            f"the warehouse {warehouse} was built from {recorded}, not {input_dir}: pass --replace-input to replace "
            f"its articles with those of {input_dir}, or give another --warehouse"
        )


def record_input(warehouse: Path, input_dir: Path) -> None:
    if recorded_input(warehouse) != str(input_dir):
        storage.state_dir(warehouse).mkdir(parents=True, exist_ok=True)
        storage.write_atomically(storage.state_dir(warehouse) / INPUT_FILE, json.dumps({"input": str(input_dir)}))


def part_group(rel_path: str) -> str:
    """`articles/part-R-00001.parquet` → `part-R-00001` (the same name in every table)."""
    return Path(rel_path).stem


def rewrite_parts(
    store: storage.ParquetStore,
    snapshot: storage.Snapshot,
    groups: set[str],
    dropped_paths: set[str],
    new_group: str,
    known_groups: set[str] = frozenset(),
) -> tuple[dict[str, list[str]], set[str]]:
    """Copy the rows of `groups` that do not belong to `dropped_paths` into one new part
    group (one file per table and folder); rows of `dropped_paths` in files no part group
    names (not in `known_groups`, the manifest's: files Delta's optimize merged,
    flows/pipeline/compaction.py) are found by key, and each such file's other rows copied
    into a file of its own, `<new_group>-shared-<n>` in the same folder, a name no manifest
    row points to, so that a later run finds them by key again. Rows are streamed in record
    batches, from each file read to the file written: the memory a run needs is one batch,
    not the files it touches (a merged file is up to 32 MiB of zstd Parquet, several times
    that decoded; the sixth to ninth sessions held every touched file at once,
    bench/rewrite_memory.py). Returns the new part paths per table (tables left empty get no
    part) and the files they replace."""
    parts: dict[str, list[str]] = {}
    replaced: set[str] = set()
    dropped = pa.array(sorted(dropped_paths), pa.string())
    dropped_ids: list[pa.Array] = []
    for table in ROW_TABLES_BY_PATH + ROW_TABLES_BY_ARTICLE:
        if table == ROW_TABLES_BY_ARTICLE[0]:
            dropped = pa.concat_arrays([a.cast(pa.string()) for a in dropped_ids]) if dropped_ids else pa.array([], pa.string())
        key = "source_path" if table in ROW_TABLES_BY_PATH else "article_id"
        found = list(_files_holding(store, snapshot.parts.get(table, []), key, dropped, groups, known_groups))
        replaced.update(rel for rel, _ in found)
        ids = dropped_ids if table == "articles" else None
        if written := list(_rewrite(store, table, found, key, dropped, new_group, ids)):
            parts[table] = written
    return parts, replaced


def _rewrite(
    store: storage.ParquetStore, table: str, found, key: str, values: pa.Array, new_group: str, dropped_ids: list | None
):
    """The files written for the files `found` ((file, whether it is a group's), of `table`)
    without their rows whose `key` is one of `values`: a group's files into `new_group`, each
    other file into one of its own (`<new_group>-shared-<n>`), in the same folder; none for
    rows all dropped. The article ids of the rows dropped are appended to `dropped_ids`."""
    targets: dict[tuple[str, str], list[str]] = {}  # (folder under the table, part name) -> files copied into it
    shared = itertools.count()
    for rel, in_group in found:
        folder = rel[len(table) + 1 :].rpartition("/")[0]
        name = new_group if in_group else f"{new_group}-shared-{next(shared):05d}"
        targets.setdefault((folder, name), []).append(rel)
    for (folder, name), sources in targets.items():

        def kept(sources=sources):
            for rel in sources:
                for batch in store.iter_batches(rel):
                    drop = pc.is_in(batch[key], value_set=values)
                    if dropped_ids is not None:
                        dropped_ids.append(pc.filter(batch["article_id"], drop))
                    yield batch.filter(pc.invert(drop))

        if (written := store.write_batches(table, kept(), name, partition=folder or None, skip_empty=True)) is not None:
            yield written


def _files_holding(store: storage.ParquetStore, files: list[str], key: str, values: pa.Array, groups: set[str], known: set[str]):
    """(file, whether it is a group's) of `files` in one of `groups`, or in no `known` group
    and holding one of `values` in column `key` (read alone, a batch at a time)."""
    for rel in files:
        group = part_group(rel)
        if group in groups:
            yield rel, True
        elif group not in known and len(values):
            if any(pc.any(pc.is_in(b[key], value_set=values)).as_py() for b in store.iter_batches(rel, columns=[key])):
                yield rel, False


def manifest_table(states: list[FileState]) -> pa.Table:
    rows = sorted(states, key=lambda s: s.source_key)
    columns = {name: [getattr(s, name) for s in rows] for name in schemas.FILES.names}
    return pa.table(columns, schema=schemas.FILES)


def moved(state: FileState, part: str) -> FileState:
    return replace(state, part=part)
