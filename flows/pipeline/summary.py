"""What a run reports (`RunSummary`), and the check that lets a run over an unchanged
folder stop after listing it.

Nothing here imports Prefect or spaCy: `wirehouse run` asks `up_to_date` before it starts
Prefect, so a no-op run over a large archive costs the folder listing and little else.
"""

from __future__ import annotations

import collections
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from flows import settings
from flows.plan import manifest
from flows.store import storage
from flows.warehouse.build import database_is_current

if TYPE_CHECKING:
    from transforms.reference import Reference


@dataclass
class RunSummary:
    run_id: str
    input_dir: str
    warehouse_dir: str
    database: str
    files_seen: int
    articles: int
    sentences: int
    entities: int
    rejects: int
    files_new: int = 0
    files_changed: int = 0
    files_unchanged: int = 0
    files_deleted: int = 0
    files_skipped: int = 0
    skipped: list[tuple[str, str]] = field(default_factory=list)
    processed_articles: int = 0
    processed_rejects: int = 0
    # Processed articles the model did not run on: exact duplicates of a body it had seen.
    ner_spared: int = 0
    reject_reasons: dict[str, int] = field(default_factory=dict)
    duration_s: float = 0.0
    model: str = ""
    workers: int = 1
    # Nothing was new, changed or deleted and the database was current: the run wrote
    # nothing, and `run_id` is the last run that changed the warehouse.
    up_to_date: bool = False
    # Damage found and repaired by the run, and what could not be (flows/store/integrity.py).
    repaired: list[str] = field(default_factory=list)
    unrepairable: list[str] = field(default_factory=list)


def reject_reasons(store: storage.ParquetStore, rejects_parts: list[str]) -> dict[str, int]:
    reasons: collections.Counter = collections.Counter()
    for rel in rejects_parts:
        reasons.update(store.read_table(rel, columns=["reason"])["reason"].to_pylist())
    return dict(sorted(reasons.items()))


def row_counts(store: storage.ParquetStore, parts: dict[str, list[str]], tables: tuple[str, ...]) -> list[int]:
    """Rows in the snapshot's parts, from the Parquet footers (no data read)."""
    return [sum(store.num_rows(p) for p in parts[t]) for t in tables]


def nothing_to_do(
    warehouse: Path, previous: storage.Snapshot | None, plan: manifest.Plan, reference: Reference | None = None
) -> bool:
    """No file new, changed or deleted, nothing damaged (flows/store/integrity.py), and the
    published database is the one built from the current snapshot with today's sql/ (a
    crash before the swap, or a new wirehouse version with other models, still needs a
    build), and the entity identity was decided under `reference`'s alias rows (a row
    added to reference/aliases.csv needs a new one)."""
    damaged = plan.health is not None and plan.health.damaged
    if not (
        bool(previous) and not plan.to_process and not plan.deleted and not damaged and database_is_current(warehouse, previous)
    ):
        return False
    if reference is not None:
        from flows.warehouse.identity import overrides_changed

        return not overrides_changed(previous.store(warehouse), previous.parts.get("entity_identity", []), reference)
    return True


def unchanged_summary(
    input_dir: Path,
    warehouse: Path,
    files: list[storage.InputFile],
    previous: storage.Snapshot,
    plan: manifest.Plan,
    started: float,
) -> RunSummary:
    store = previous.store(warehouse)
    summary = RunSummary(
        run_id=previous.run_id,
        input_dir=str(input_dir),
        warehouse_dir=str(warehouse),
        database=str(settings.database_path(warehouse)),
        files_seen=len(files),
        articles=sum(s.articles for s in plan.unchanged),
        sentences=0,
        entities=0,
        rejects=sum(s.rejects for s in plan.unchanged),
        files_unchanged=len(plan.unchanged),
        reject_reasons=reject_reasons(store, previous.parts.get("rejects", [])),
        workers=0,
        up_to_date=True,
    )
    summary.sentences, summary.entities = row_counts(store, previous.parts, ("sentences", "entities"))
    summary.duration_s = round(time.perf_counter() - started, 3)
    return summary


def up_to_date(
    input_dir: Path,
    warehouse: Path,
    parquet_url: str | None = None,
    max_delete_share: float = 1.0,
    force: bool = False,
) -> RunSummary | None:
    """The summary of a run that would find nothing to do, or None if a run has work (or
    `force`). A run that would delete more than `max_delete_share` of the warehouse's files
    is refused here (`manifest.MassDelete`), before anything slow starts.
    Read-only and without the run lock: a run that is writing publishes its snapshot by
    rename, so this sees the old or the new one, and the run itself checks again."""
    started = time.perf_counter()
    if not (settings.database_path(warehouse).exists() or (storage.state_dir(warehouse) / storage.SNAPSHOT_FILE).exists()):
        return None  # a new warehouse: nothing to compare, nothing to delete
    files = storage.discover(input_dir)
    _, previous, plan, _ = manifest.plan_folder(files, warehouse, parquet_url)
    manifest.check_deletions(plan, input_dir, max_delete_share)
    if force or not nothing_to_do(warehouse, previous, plan, settings.load_reference(input_dir)):
        return None
    return unchanged_summary(input_dir, warehouse, files, previous, plan, started)


def summary_markdown(summary: RunSummary) -> str:
    rows = [
        ("files seen", summary.files_seen),
        (
            "new / changed / unchanged / deleted",
            f"{summary.files_new} / {summary.files_changed} / {summary.files_unchanged} / {summary.files_deleted}",
        ),
        ("articles", summary.articles),
        ("sentences", summary.sentences),
        ("entities", summary.entities),
        ("rejects", summary.rejects),
        ("skipped (tried again next run)", summary.files_skipped),
        ("exact duplicates spared NER", summary.ner_spared),
        *((f"rejected: {reason}", n) for reason, n in summary.reject_reasons.items()),
        ("workers", summary.workers),
        ("duration (s)", summary.duration_s),
    ]
    title = (
        f"# wirehouse run {summary.run_id}" if not summary.up_to_date else f"# wirehouse: up to date since run {summary.run_id}"
    )
    lines = [title, "", "| what | count |", "|---|---:|"]
    lines += [f"| {what} | {n} |" for what, n in rows]
    return "\n".join(lines)
