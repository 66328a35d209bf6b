"""The ingest flow, step by step: plan what changed → carry over what did not → batches
(decode, parse, clean, sentences, entities → Parquet parts) → compact → archive-wide steps
(manifest, duplicates, identity) → snapshot → build, test and publish the warehouse → report.

Each step is a function or task of its own (flows/pipeline/batches.py,
flows/pipeline/archive_steps.py, flows/plan/); this module only wires them.
"""

from __future__ import annotations

import datetime as dt
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa
from prefect import flow, get_run_logger, task
from prefect.artifacts import create_markdown_artifact
from prefect.cache_policies import NO_CACHE

from flows import settings
from flows.pipeline import compaction, interrupt, worker_state
from flows.pipeline.archive_steps import link_duplicates, publish_warehouse, resolve_identity
from flows.pipeline.batches import BatchesDone, default_workers, run_batches
from flows.pipeline.disk_full import disk_full_in_one_line
from flows.pipeline.lock import run_lock
from flows.pipeline.summary import RunSummary, reject_reasons, row_counts, summary_markdown
from flows.plan import manifest
from flows.plan.up_to_date import nothing_to_do, unchanged_summary
from flows.settings import DEFAULT_BATCH_SIZE, WirehouseError, load_reference, spacy_model
from flows.store import storage
from transforms import schemas
from transforms.nlp import check_model
from transforms.reference import Reference


@task(name="discover", cache_policy=NO_CACHE)
def discover_files(input_dir: Path) -> list[storage.InputFile]:
    files = storage.discover(input_dir)
    get_run_logger().info("found %d files under %s", len(files), input_dir)
    return files


def new_run_id(now: dt.datetime) -> str:
    return now.strftime("%Y%m%dT%H%M%SZ") + "-" + uuid.uuid4().hex[:6]


@flow(name="wirehouse-ingest", log_prints=False, validate_parameters=False)
def ingest(
    input_dir: Path | str | None = None,
    warehouse_dir: Path | str | None = None,
    model: str | None = None,
    batch_size: int = DEFAULT_BATCH_SIZE,
    workers: int | None = None,
    dask_address: str | None = None,
    lock_wait_s: float = 0.0,
    max_file_mb: float = settings.DEFAULT_MAX_FILE_MB,
    parquet_url: str | None = None,
    max_delete_share: float = manifest.DEFAULT_MAX_DELETE_SHARE,
    max_article_mb: float = settings.DEFAULT_MAX_ARTICLE_MB,
    replace_input: bool = False,
) -> RunSummary:
    """Bring the warehouse at `warehouse_dir` up to date with the files under `input_dir`
    (defaults: $WIREHOUSE_INPUT / $WIREHOUSE_WAREHOUSE, else the project's seeds/ and warehouse/).
    `parquet_url` (default: $WIREHOUSE_PARQUET_URL, else `<warehouse_dir>/parquet`) is any
    fsspec URL for the Parquet parts: shared storage when batches run on a cluster.
    A run that would delete the rows of more than `max_delete_share` of the warehouse's
    files (their inputs are missing) stops before it changes anything. A warehouse mirrors
    one input folder: a run over another is refused unless `replace_input`."""
    interrupt.reinstall()  # over Prefect's SIGTERM handler, when started by `wirehouse run`
    interrupt.release_semaphores_on_sigterm()  # a flow run started by Prefect (serve, a worker)
    input_dir, warehouse_dir = settings.input_dir(input_dir), settings.warehouse_dir(warehouse_dir)
    if not input_dir.is_dir():
        raise WirehouseError(f"input folder {input_dir} does not exist or is not a folder")
    with run_lock(warehouse_dir, wait=lock_wait_s), disk_full_in_one_line(warehouse_dir, parquet_url):
        return _ingest(
            input_dir,
            warehouse_dir,
            model,
            batch_size,
            workers or default_workers(),
            dask_address,
            int(max_file_mb * 2**20),
            settings.parquet_url(parquet_url),
            1.0 if replace_input else max_delete_share,
            max_article_chars=int(max_article_mb * 2**20),
            replace_input=replace_input,
        )


@dataclass(frozen=True)
class _Run:
    """What every step of one run shares."""

    run_id: str
    started_at: dt.datetime
    clock: float  # time.perf_counter() at the start
    input_dir: Path
    warehouse_dir: Path
    model: str
    reference: Reference


def _ingest(
    input_dir: Path,
    warehouse_dir: Path,
    model: str | None,
    batch_size: int,
    workers: int,
    dask_address: str | None,
    max_file_bytes: int,
    parquet_url: str | None,
    max_delete_share: float = manifest.DEFAULT_MAX_DELETE_SHARE,
    max_article_chars: int = settings.DEFAULT_MAX_ARTICLE_MB * 2**20,
    replace_input: bool = False,
) -> RunSummary:
    manifest.check_input(warehouse_dir, input_dir, replace_input)
    started_at = dt.datetime.now(dt.UTC)
    run = _Run(
        new_run_id(started_at),
        started_at,
        time.perf_counter(),
        input_dir,
        warehouse_dir,
        spacy_model(model),
        load_reference(input_dir),
    )

    files = discover_files(input_dir)
    store, previous, plan = _plan(run, files, parquet_url, max_delete_share)
    if nothing_to_do(warehouse_dir, previous, plan, run.reference):
        return _report_unchanged(run, files, store, previous, plan)
    repaired, unrepairable = _repair(run, store, plan)
    parts, states = _carry_over(run, store, previous, plan)
    worker_state.retire_warehouse_copy(warehouse_dir)
    done = run_batches(
        plan.to_process,
        batch_size,
        workers,
        dask_address,
        store=store,
        run_id=run.run_id,
        model=run.model,
        reference=run.reference,
        ingested_at=run.started_at,
        max_file_bytes=max_file_bytes,
        max_article_chars=max_article_chars,
        state_folder=str(worker_state.state_folder()),
    )
    for name, paths in done.parts.items():
        parts[name].extend(paths)
    checks = _PartChecks(store, previous)
    parts, states, _ = compaction.compact(store, parts, [*states, *done.files], run.run_id, checks)
    parts["files"] = [store.write("files", manifest.manifest_table(states), f"part-{run.run_id}")]
    parts["duplicates"] = [link_duplicates(store, parts["articles"], f"part-{run.run_id}", warehouse_dir)]
    previous_identity = previous.parts.get("entity_identity", []) if previous else []
    parts["entity_identity"] = [
        resolve_identity(store, parts, previous_identity, done.touched_ids, run.reference, run.run_id, warehouse_dir)
    ]
    summary = _summarize(run, files, store, plan, parts, states, done, repaired, unrepairable)
    parts["runs"].append(_runs_part(store, summary, run.started_at))
    snapshot = _snapshot(run, store, parts, checks)
    summary.database = publish_warehouse(warehouse_dir, snapshot)
    manifest.record_input(warehouse_dir, input_dir)
    summary.duration_s = round(time.perf_counter() - run.clock, 3)
    _report(summary)
    return summary


def _plan(run: _Run, files: list[storage.InputFile], parquet_url: str | None, max_delete_share: float):
    """New, changed, unchanged and deleted files against the previous snapshot; a run that
    would delete too much of the warehouse stops here."""
    store, previous, plan, outdated = manifest.plan_folder(files, run.warehouse_dir, parquet_url)
    logger = get_run_logger()
    if outdated:
        logger.warning("the warehouse was written by another version of wirehouse: every file is processed again")
    logger.info(
        "plan: %d new, %d changed, %d unchanged, %d deleted files",
        plan.new,
        plan.changed,
        len(plan.unchanged),
        len(plan.deleted),
    )
    manifest.check_deletions(plan, run.input_dir, max_delete_share)
    return store, previous, plan


def _report_unchanged(
    run: _Run, files, store: storage.ParquetStore, previous: storage.Snapshot, plan: manifest.Plan
) -> RunSummary:
    """Nothing to write: no runs row, no rebuild (a rebuild re-materializes every mart);
    only what a killed run may have left (orphan parts, a half-built database) goes."""
    storage.collect_garbage(run.warehouse_dir, store)
    summary = unchanged_summary(run.input_dir, run.warehouse_dir, files, previous, plan, run.clock)
    summary.model = run.model
    get_run_logger().info("nothing new, changed or deleted: the warehouse of run %s is up to date", previous.run_id)
    create_markdown_artifact(key="wirehouse-run-summary", markdown=summary_markdown(summary), description="wirehouse run summary")
    return summary


def _repair(run: _Run, store: storage.ParquetStore, plan: manifest.Plan) -> tuple[list[str], list[str]]:
    """What verification found (flows/store/integrity.py), logged; the model checked before
    any work if there are files to process."""
    repaired = [*(plan.health.repairs if plan.health else []), *storage.claim_store(run.warehouse_dir, store)]
    unrepairable = [*(plan.health.unrepairable if plan.health else []), *plan.unrepairable]
    logger = get_run_logger()
    for line in repaired:
        logger.warning("repairing: %s", line)
    for line in unrepairable:
        logger.error("cannot repair: %s", line)
    if plan.to_process:
        check_model(run.model)  # fail early, before any work, if the model is missing
    return repaired, unrepairable


def _carry_over(
    run: _Run, store: storage.ParquetStore, previous: storage.Snapshot | None, plan: manifest.Plan
) -> tuple[dict[str, list[str]], list[manifest.FileState]]:
    """The previous snapshot's parts and manifest rows of files that did not change."""
    parts: dict[str, list[str]] = {name: [] for name in schemas.TABLES}
    # Unchanged files in a rewritten group move with their rows to the new group.
    rewritten_group = f"part-{run.run_id}-rewrite"
    rewritten, replaced = {}, set()
    if plan.dirty_parts and previous:
        rewritten, replaced = manifest.rewrite_parts(
            store, previous, plan.dirty_parts, plan.dropped_paths, rewritten_group, plan.known_groups
        )
    if previous:
        for name in manifest.ROW_TABLES_BY_PATH + manifest.ROW_TABLES_BY_ARTICLE:
            parts[name] = [
                p for p in previous.parts.get(name, []) if p not in replaced and manifest.part_group(p) not in plan.dirty_parts
            ]
            parts[name].extend(rewritten.get(name, []))
        parts["runs"] = list(previous.parts.get("runs", []))
    states = [manifest.moved(s, rewritten_group) if s.part in plan.dirty_parts else s for s in plan.unchanged]
    return parts, states


def _summarize(
    run: _Run,
    files: list[storage.InputFile],
    store: storage.ParquetStore,
    plan: manifest.Plan,
    parts: dict[str, list[str]],
    states: list[manifest.FileState],
    done: BatchesDone,
    repaired: list[str],
    unrepairable: list[str],
) -> RunSummary:
    summary = RunSummary(
        run_id=run.run_id,
        input_dir=str(run.input_dir),
        warehouse_dir=str(run.warehouse_dir),
        database="",
        files_seen=len(files),
        articles=sum(s.articles for s in states),
        sentences=0,
        entities=0,
        rejects=sum(s.rejects for s in states),
        files_new=plan.new,
        files_changed=plan.changed,
        files_unchanged=len(plan.unchanged),
        files_deleted=len(plan.deleted),
        files_skipped=len(done.skipped),
        skipped=done.skipped,
        processed_articles=done.totals["articles"],
        processed_rejects=done.totals["rejects"],
        ner_spared=done.totals["ner_spared"],
        reject_reasons=reject_reasons(store, parts["rejects"]),
        model=run.model,
        workers=done.workers,
        repaired=repaired,
        unrepairable=unrepairable,
    )
    summary.sentences, summary.entities = row_counts(store, parts, ("sentences", "entities"))
    summary.duration_s = round(time.perf_counter() - run.clock, 3)  # the warehouse build follows
    return summary


class _PartChecks:
    """A part's size, rows and hash as written (or as recorded when an earlier run wrote
    it), each asked once: compaction's commit and the snapshot both need them."""

    def __init__(self, store: storage.ParquetStore, previous: storage.Snapshot | None):
        self.store, self.known = store, dict(previous.checks) if previous else {}

    def __call__(self, rel: str) -> dict:
        # A part recorded without its content hash (by a table_versions row of an older wirehouse): hashed again.
        if not (self.known.get(rel) or {}).get("sha256"):
            self.known[rel] = self.store.checks(rel)
        return self.known[rel]


def _snapshot(run: _Run, store: storage.ParquetStore, parts: dict[str, list[str]], checks: _PartChecks) -> storage.Snapshot:
    """The run's snapshot: every table's parts (an empty part for an empty table), with each
    part's size, rows and hash as written (or as recorded when an earlier run wrote it)."""
    for name, paths in parts.items():
        if not paths:
            paths.append(store.write(name, schemas.TABLES[name].empty_table(), f"part-{run.run_id}-empty"))
    recorded = {rel: checks(rel) for paths in parts.values() for rel in paths}
    storage.forget_written(store)
    return storage.Snapshot(
        run_id=run.run_id, parts=parts, parquet_url=storage.snapshot_url(run.warehouse_dir, store), checks=recorded
    )


def _report(summary: RunSummary) -> None:
    get_run_logger().info(
        "run %s: %d files (%d new, %d changed, %d unchanged, %d deleted) → %d articles, %d rejects in %.1fs",
        summary.run_id,
        summary.files_seen,
        summary.files_new,
        summary.files_changed,
        summary.files_unchanged,
        summary.files_deleted,
        summary.articles,
        summary.rejects,
        summary.duration_s,
    )
    create_markdown_artifact(key="wirehouse-run-summary", markdown=summary_markdown(summary), description="wirehouse run summary")


def _runs_part(store: storage.ParquetStore, summary: RunSummary, started_at: dt.datetime) -> str:
    row = {name: [getattr(summary, name, None)] for name in schemas.RUNS.names}
    row["started_at"] = [started_at]
    row["finished_at"] = [dt.datetime.now(dt.UTC)]
    return store.write("runs", pa.table(row, schema=schemas.RUNS), f"part-{summary.run_id}")
