"""Whether a run has anything to do: the check that lets a run over an unchanged folder stop
after listing it, and the summary such a run reports.

Nothing here imports Prefect or spaCy: `wirehouse run` asks `up_to_date` before it starts
Prefect, so a no-op run over a large archive costs the folder listing and little else.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import TYPE_CHECKING

from flows import settings
from flows.pipeline.summary import RunSummary, reject_reasons, row_counts
from flows.plan import manifest
from flows.store import storage
from flows.warehouse.build import database_is_current

if TYPE_CHECKING:
    from transforms.reference import Reference


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
    if not (settings.database_path(warehouse).exists() or storage.state_dir(warehouse).is_dir()):
        return None  # a new warehouse: nothing to compare, nothing to delete
    files = storage.discover(input_dir)
    _, previous, plan, _ = manifest.plan_folder(files, warehouse, parquet_url)
    manifest.check_deletions(plan, input_dir, max_delete_share)
    if force or not nothing_to_do(warehouse, previous, plan, settings.load_reference(input_dir)):
        return None
    return unchanged_summary(input_dir, warehouse, files, previous, plan, started)
