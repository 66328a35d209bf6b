"""The ingest flow: discover → plan (what changed) → batches (decode, parse, clean,
sentences, entities → Parquet parts) → warehouse (build, data tests, swap) → report.

Tasks take batches of files, never one file: a task run costs milliseconds of
orchestration, and spaCy is fastest over an `nlp.pipe` stream. Batches run in worker
processes (both cores by default) or on a Dask cluster; each worker loads the model once.
"""

from __future__ import annotations

import collections
import contextlib
import dataclasses
import datetime as dt
import errno
import os
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
from prefect import flow, get_run_logger, task
from prefect.artifacts import create_markdown_artifact
from prefect.cache_policies import NO_CACHE
from prefect.futures import as_completed
from prefect.task_runners import ProcessPoolTaskRunner, ThreadPoolTaskRunner

from flows import settings
from flows.faults import crash_point
from flows.pipeline import compaction, interrupt, ner_cache, progress, worker_state
from flows.pipeline.lock import run_lock
from flows.pipeline.summary import RunSummary, reject_reasons, row_counts, summary_markdown
from flows.plan import manifest
from flows.plan.up_to_date import nothing_to_do, unchanged_summary
from flows.settings import DEFAULT_BATCH_SIZE, WirehouseError, load_reference, spacy_model
from flows.store import storage, streaming
from flows.warehouse.build import build_warehouse, connect_capped
from flows.warehouse.duplicates import find_duplicates_sql
from flows.warehouse.identity import decide_identity
from flows.warehouse.sql_text import sql_list
from transforms import schemas
from transforms.article import RawDocument
from transforms.batch import process_documents, process_records
from transforms.nlp import check_model, load_pipeline
from transforms.reference import Reference


@dataclass
class BatchResult:
    group: str
    parts: dict[str, list[str]]
    counts: dict[str, int]
    files: list[manifest.FileState]
    skipped: list[tuple[str, str]]  # (path, why): not ingested this run, tried again next run
    entity_ids: list[str] = dataclasses.field(default_factory=list)  # what the identity step re-decides


@task(name="discover", cache_policy=NO_CACHE)
def discover_files(input_dir: Path) -> list[storage.InputFile]:
    files = storage.discover(input_dir)
    get_run_logger().info("found %d files under %s", len(files), input_dir)
    return files


_KIND_DETAIL = {
    "not_regular": "not a regular file (a FIFO, socket or device): not read",
    "broken_link": "a symbolic link to nothing",
    "stat_failed": "its status could not be read (a looping symbolic link, or no permission)",
}


def _unreadable_rejects(unreadable: list[tuple[storage.InputFile, str, str]], run_id: str) -> pa.Table:
    return pa.table(
        {
            "source_path": [e.display_path for e, _, _ in unreadable],
            "source_record": pa.nulls(len(unreadable), pa.int32()),
            "source_sha256": [""] * len(unreadable),
            "reason": [reason for _, reason, _ in unreadable],
            "detail": [detail for _, _, detail in unreadable],
            "run_id": [run_id] * len(unreadable),
        },
        schema=schemas.REJECTS,
    )


def _empty_tables() -> dict[str, pa.Table]:
    return {name: schemas.TABLES[name].empty_table() for name in ("articles", "ner_spans", "rejects")}


@task(name="process-batch", cache_policy=NO_CACHE)
def process_batch(  # noqa: C901
    group: str,
    files: list[storage.InputFile],
    store: storage.ParquetStore,
    run_id: str,
    model: str,
    reference: Reference,
    ingested_at: dt.datetime,
    max_file_bytes: int = settings.DEFAULT_MAX_FILE_MB * 2**20,
    max_article_chars: int = settings.DEFAULT_MAX_ARTICLE_MB * 2**20,
    state_folder: str | None = None,
) -> BatchResult:
    """Read, transform and write one batch of files as one group of Parquet parts (a big
    file of records adds one part per slice of its records to the group). `state_folder`:
    where workers keep ready-made pipeline state (flows/pipeline/worker_state.py)."""
    worker_state.ready(state_folder)
    docs: list[RawDocument] = []
    unreadable: list[tuple[storage.InputFile, str, str]] = []  # (file, reason, detail)
    transient: set[str] = set()  # keys of files rejected for a passing reason: read again next run
    skipped: list[tuple[storage.InputFile, str]] = []
    hashes: dict[str, str] = {}
    streamed: list[tuple[storage.InputFile, streaming.Container]] = []
    for entry in files:
        if entry.kind != "file":
            unreadable.append((entry, entry.kind, _KIND_DETAIL[entry.kind]))
            continue
        if (found := streaming.container(entry)) is not None:
            streamed.append((entry, found))
            continue
        if entry.size > max_file_bytes:
            detail = f"{entry.size / 2**20:.1f} MiB is over the {max_file_bytes / 2**20:.0f} MiB limit (--max-file-mb)"
            unreadable.append((entry, "too_large", detail))
            continue
        try:
            data, sha = storage.read_file(entry)
        except storage.FileChanging as exc:
            skipped.append((entry, f"still being written ({exc})"))
            continue
        except storage.FileVanished:
            skipped.append((entry, "deleted before it could be read"))
            continue
        except OSError as exc:  # permission denied, an I/O error: may well pass by the next run
            unreadable.append((entry, "unreadable", f"{type(exc).__name__}: {exc.strerror or exc}"))
            transient.add(entry.key)
            continue
        hashes[entry.path] = sha
        docs.append(RawDocument(path=entry.display_path, key=entry.key, data=data, sha256=sha))
    stored = ner_cache.StoredSpans(store, warn=get_run_logger().warning)
    nlp = load_pipeline(model)
    tables = process_documents(
        docs,
        nlp,
        reference=reference,
        run_id=run_id,
        ingested_at=ingested_at,
        known=stored,
        max_article_chars=max_article_chars,
    )
    if unreadable:
        tables["rejects"] = pa.concat_tables([tables["rejects"], _unreadable_rejects(unreadable, run_id)])
    parts: dict[str, list[str]] = {}
    counts: collections.Counter = collections.Counter()
    per_article: collections.Counter = collections.Counter()
    per_reject: collections.Counter = collections.Counter()
    in_batch_copies = 0
    entity_ids: set[str] = set()  # what the identity step re-decides

    def write(tables: dict[str, pa.Table], partition: str | None) -> None:
        nonlocal in_batch_copies
        if "entities" in tables:
            entity_ids.update(pc.unique(tables["entities"]["entity_id"]).to_pylist())
        for name, table in tables.items():
            if table.num_rows:
                parts.setdefault(name, []).append(store.write(name, table, group, partition=partition))
            counts[name] += table.num_rows
        per_article.update(tables["articles"].column("source_path").to_pylist())
        per_reject.update(tables["rejects"].column("source_path").to_pylist())
        spans = tables["ner_spans"]
        in_batch_copies += spans.num_rows - pc.count_distinct(spans["body_sha256"]).as_py()

    write(tables, None)
    del tables
    piece = 0
    for entry, found in streamed:
        try:
            sha = streaming.file_sha256(entry)
        except storage.FileChanging as exc:
            skipped.append((entry, f"still being written ({exc})"))
            continue
        except storage.FileVanished:
            skipped.append((entry, "deleted before it could be read"))
            continue
        except OSError as exc:
            piece += 1
            detail = f"{type(exc).__name__}: {exc.strerror or exc}"
            write(
                {**_empty_tables(), "rejects": _unreadable_rejects([(entry, "unreadable", detail)], run_id)}, f"slice={piece:05d}"
            )
            continue
        hashes[entry.path] = sha
        doc = RawDocument(path=entry.display_path, key=entry.key, data=b"", sha256=sha)
        try:
            for records in streaming.slices(streaming.records(entry, found)):
                piece += 1
                write(
                    process_records(
                        doc,
                        records,
                        found.kind,
                        found.source_format,
                        nlp,
                        reference=reference,
                        run_id=run_id,
                        ingested_at=ingested_at,
                        known=stored,
                        max_article_chars=max_article_chars,
                    ),
                    f"slice={piece:05d}",
                )
        except (OSError, EOFError) as exc:  # rows of the slices read so far stay; the rest is one reject
            piece += 1
            detail = f"read failed part way: {type(exc).__name__}: {getattr(exc, 'strerror', None) or exc}"
            write(
                {**_empty_tables(), "rejects": _unreadable_rejects([(entry, "unreadable", detail)], run_id)}, f"slice={piece:05d}"
            )
    skipped_keys = {entry.key for entry, _ in skipped}
    states = []
    for entry in files:
        if entry.key in skipped_keys:
            continue
        n_art, n_rej = per_article[entry.display_path], per_reject[entry.display_path]
        status = manifest.RETRY if entry.key in transient else "mixed" if n_art and n_rej else "article" if n_art else "reject"
        states.append(
            manifest.FileState(
                source_key=entry.key,
                source_path=entry.display_path,
                size=entry.size,
                mtime_ns=entry.mtime_ns,
                source_sha256=hashes.get(entry.path, ""),
                status=status,
                articles=n_art,
                rejects=n_rej,
                part=group,
                run_id=run_id,
            )
        )
    counts = dict(counts)
    # Articles the model did not run on: copies of another in the batch, and bodies whose
    # spans were stored (another article's, or this file's before it was touched).
    counts["ner_spared"] = in_batch_copies + stored.found
    get_run_logger().info(
        "batch %s: %d files → %d articles, %d sentences, %d entities, %d rejects%s",
        group,
        len(files),
        counts["articles"],
        counts["sentences"],
        counts["entities"],
        counts["rejects"],
        f" ({counts['ner_spared']} exact duplicates spared NER)" if counts["ner_spared"] else "",
    )
    for entry, why in skipped:
        get_run_logger().warning("skipped %s: %s; the next run will try again", entry.display_path, why)
    return BatchResult(
        group=group,
        parts=parts,
        counts=counts,
        files=states,
        skipped=[(e.display_path, why) for e, why in skipped],
        entity_ids=sorted(entity_ids),
    )


@task(name="build-warehouse", cache_policy=NO_CACHE)
def publish(warehouse: Path, snapshot: storage.Snapshot) -> str:
    # The snapshot is published once the new database passed its data tests and before it
    # replaces the old one: a crash in between leaves the old database, whose parts the
    # previous snapshot still keeps, and the next run rebuilds the database.
    result = build_warehouse(warehouse, snapshot, before_swap=lambda: storage.publish_snapshot(warehouse, snapshot))
    crash_point("before_garbage_collection")
    removed = storage.collect_garbage(warehouse, snapshot.store(warehouse))
    get_run_logger().info(
        "warehouse %s built: %d models, %d data tests passed, %d old part files removed",
        result.database,
        result.models,
        result.data_tests,
        removed,
    )
    return str(result.database)


class DiskFull(WirehouseError):
    pass


_DISK_FULL = {errno.ENOSPC, errno.EDQUOT, errno.EFBIG}
_DISK_FULL_TEXT = ("No space left on device", "Disk quota exceeded", "File too large")


def disk_full(exc: BaseException | None) -> str | None:
    """What an OSError (Python's, or pyarrow's, which keeps only the text) or a DuckDB
    error, itself or what caused it, says when the disk, the quota or the file size limit
    is full (`No space left on device`); None for any other error."""
    for _ in range(5):
        if exc is None:
            return None
        if getattr(exc, "errno", None) in _DISK_FULL:
            return os.strerror(exc.errno)
        if found := next((t for t in _DISK_FULL_TEXT if t in str(exc)), None):
            return found
        exc = exc.__cause__ or exc.__context__
    return None


@contextlib.contextmanager
def _disk_full_in_one_line(warehouse_dir: Path, parquet_url: str | None):
    """A full disk ends the run in one line naming the folder. Nothing is published before
    the new database is built and tested, so the previous warehouse stays as it was; the
    parts this run wrote are removed at once, to give the space back."""
    try:
        yield
    except Exception as exc:
        if not (why := disk_full(exc)):
            raise
        with contextlib.suppress(Exception):
            snapshot = storage.load_snapshot(warehouse_dir)
            storage.collect_garbage(warehouse_dir, storage.open_store(warehouse_dir, snapshot, settings.parquet_url(parquet_url)))
        raise DiskFull(
            f"the disk holding {warehouse_dir} is full ({why}): free some space there and run again; "
            "the published warehouse is unchanged"
        ) from exc


@contextlib.contextmanager
def _workers_stopped_on_interrupt():
    """A run stopped (SIGTERM from a Prefect worker or `serve`, Ctrl-C) kills its worker
    processes at once: otherwise leaving the process pool waits for every running batch.
    Their parts are published by no snapshot, and the next run removes them."""
    try:
        yield
    except BaseException as exc:
        if not isinstance(exc, Exception):
            interrupt.stop_children()
        raise


def make_batches(
    files: list[storage.InputFile], batch_size: int, batch_bytes: int = settings.BATCH_BYTES
) -> list[list[storage.InputFile]]:
    """Consecutive runs of `files` of at most `batch_size` files and, unless one file is
    bigger on its own, at most `batch_bytes` bytes."""
    batches: list[list[storage.InputFile]] = []
    batch: list[storage.InputFile] = []
    size = 0
    for entry in files:
        if batch and (len(batch) >= batch_size or size + entry.size > batch_bytes):
            batches.append(batch)
            batch, size = [], 0
        batch.append(entry)
        size += entry.size
    if batch:
        batches.append(batch)
    return batches


def biggest_first(batches: list[list[storage.InputFile]]) -> list[tuple[int, list[storage.InputFile]]]:
    """(index, batch) by bytes, biggest first: with the longest articles last (batches are
    cut from files sorted by size), one worker would still be on them while the others
    sit idle at the end of the run."""
    return sorted(enumerate(batches), key=lambda ib: -sum(f.size for f in ib[1]))


def new_run_id(now: dt.datetime) -> str:
    return now.strftime("%Y%m%dT%H%M%SZ") + "-" + uuid.uuid4().hex[:6]


def default_workers() -> int:
    return max(1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1)


def task_runner_for(workers: int, batches: int, dask_address: str | None):
    """Batches run in `workers` processes (one model load each), on a Dask cluster when an
    address is given, or in this process when there is only one batch or one worker."""
    if dask_address:
        from prefect_dask import DaskTaskRunner

        return DaskTaskRunner(address=dask_address)
    if workers > 1 and batches > 1:
        return ProcessPoolTaskRunner(max_workers=min(workers, batches))
    return ThreadPoolTaskRunner(max_workers=1)


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
    input_dir, warehouse_dir = settings.input_dir(input_dir), settings.warehouse_dir(warehouse_dir)
    if not input_dir.is_dir():
        raise WirehouseError(f"input folder {input_dir} does not exist or is not a folder")
    with run_lock(warehouse_dir, wait=lock_wait_s), _disk_full_in_one_line(warehouse_dir, parquet_url):
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


def _ingest(  # noqa: C901
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
    logger = get_run_logger()
    manifest.check_input(warehouse_dir, input_dir, replace_input)
    clock = time.perf_counter()
    started_at = dt.datetime.now(dt.UTC)
    run_id = new_run_id(started_at)
    model = spacy_model(model)
    reference = load_reference(input_dir)

    files = discover_files(input_dir)
    store, previous, plan, outdated = manifest.plan_folder(files, warehouse_dir, parquet_url)
    if outdated:
        logger.warning("the warehouse was written by another version of wirehouse: every file is processed again")
    logger.info(
        "plan: %d new, %d changed, %d unchanged, %d deleted files",
        plan.new,
        plan.changed,
        len(plan.unchanged),
        len(plan.deleted),
    )
    manifest.check_deletions(plan, input_dir, max_delete_share)
    if nothing_to_do(warehouse_dir, previous, plan, reference):
        # Nothing to write: no runs row, no rebuild (a rebuild re-materializes every mart);
        # only what a killed run may have left (orphan parts, a half-built database).
        storage.collect_garbage(warehouse_dir, store)
        summary = unchanged_summary(input_dir, warehouse_dir, files, previous, plan, clock)
        summary.model = model
        logger.info("nothing new, changed or deleted: the warehouse of run %s is up to date", previous.run_id)
        create_markdown_artifact(
            key="wirehouse-run-summary", markdown=summary_markdown(summary), description="wirehouse run summary"
        )
        return summary
    repaired = [*(plan.health.repairs if plan.health else []), *storage.claim_store(warehouse_dir, store)]
    unrepairable = [*(plan.health.unrepairable if plan.health else []), *plan.unrepairable]
    for line in repaired:
        logger.warning("repairing: %s", line)
    for line in unrepairable:
        logger.error("cannot repair: %s", line)
    if plan.to_process:
        check_model(model)  # fail early, before any work, if the model is missing

    parts: dict[str, list[str]] = {name: [] for name in schemas.TABLES}
    states: list[manifest.FileState] = []
    if previous:
        for name in manifest.ROW_TABLES_BY_PATH + manifest.ROW_TABLES_BY_ARTICLE:
            parts[name] = [p for p in previous.parts.get(name, []) if manifest.part_group(p) not in plan.dirty_parts]
        parts["runs"] = list(previous.parts.get("runs", []))
    # Unchanged files in a rewritten group move with their rows to the new group.
    rewritten_group = f"part-{run_id}-rewrite"
    if plan.dirty_parts and previous:
        for name, paths in manifest.rewrite_parts(store, previous, plan.dirty_parts, plan.dropped_paths, rewritten_group).items():
            parts[name].extend(paths)
    states = [manifest.moved(s, rewritten_group) if s.part in plan.dirty_parts else s for s in plan.unchanged]

    # Files of equal size share a batch (an exact duplicate usually has its original's size),
    # so that in-batch duplicate detection lets NER run once per story; batches of similar
    # length also pad less in spaCy.
    batches = make_batches(sorted(plan.to_process, key=lambda f: (f.size, f.key)), batch_size)
    runner = task_runner_for(workers, len(batches), dask_address)
    totals: collections.Counter = collections.Counter()
    skipped: list[tuple[str, str]] = []
    touched_ids: set[str] = set()
    done_files = 0
    progress.start(len(plan.to_process))
    if batches:
        with runner, _workers_stopped_on_interrupt():
            futures = [
                runner.submit(
                    process_batch,
                    parameters={
                        "group": f"part-{run_id}-{i:05d}",
                        "files": batch,
                        "store": store,
                        "run_id": run_id,
                        "model": model,
                        "reference": reference,
                        "ingested_at": started_at,
                        "max_file_bytes": max_file_bytes,
                        "max_article_chars": max_article_chars,
                        "state_folder": str(worker_state.state_folder(warehouse_dir)),
                    },
                )
                for i, batch in biggest_first(batches)
            ]
            for future in as_completed(futures):
                result: BatchResult = future.result()
                for name, paths in result.parts.items():
                    parts[name].extend(paths)
                states.extend(result.files)
                skipped.extend(result.skipped)
                touched_ids.update(result.entity_ids)
                totals.update(result.counts)
                done_files += len(result.files) + len(result.skipped)
                progress.advance(done_files)
                crash_point("after_batch")
    progress.finish()

    parts, states, compacted = compaction.compact(store, parts, states, run_id)
    if compacted:
        logger.info("compacted %d small part groups into month-partitioned ones", compacted)
    parts["files"] = [store.write("files", manifest.manifest_table(states), f"part-{run_id}")]
    parts["duplicates"] = [link_duplicates(store, parts["articles"], f"part-{run_id}", warehouse_dir)]
    parts["entity_identity"] = [
        resolve_identity(
            store,
            parts,
            previous.parts.get("entity_identity", []) if previous else [],
            touched_ids,
            reference,
            run_id,
            warehouse_dir,
        )
    ]
    summary = RunSummary(
        run_id=run_id,
        input_dir=str(input_dir),
        warehouse_dir=str(warehouse_dir),
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
        files_skipped=len(skipped),
        skipped=skipped,
        processed_articles=totals["articles"],
        processed_rejects=totals["rejects"],
        ner_spared=totals["ner_spared"],
        reject_reasons=reject_reasons(store, parts["rejects"]),
        model=model,
        workers=1 if isinstance(runner, ThreadPoolTaskRunner) else min(workers, len(batches)),
        repaired=repaired,
        unrepairable=unrepairable,
    )
    summary.sentences, summary.entities = row_counts(store, parts, ("sentences", "entities"))
    summary.duration_s = round(time.perf_counter() - clock, 3)  # the warehouse build follows
    parts["runs"].append(_runs_part(store, summary, started_at))
    for name, paths in parts.items():
        if not paths:
            paths.append(store.write(name, schemas.TABLES[name].empty_table(), f"part-{run_id}-empty"))
    # Each part's size, rows and hash as written (or as recorded when an earlier run wrote it).
    known = previous.checks if previous else {}
    checks = {rel: known.get(rel) or store.checks(rel) for paths in parts.values() for rel in paths}
    storage.forget_written(store)
    snapshot = storage.Snapshot(run_id=run_id, parts=parts, parquet_url=storage.snapshot_url(warehouse_dir, store), checks=checks)
    summary.database = publish(warehouse_dir, snapshot)
    manifest.record_input(warehouse_dir, input_dir)
    summary.duration_s = round(time.perf_counter() - clock, 3)
    logger.info(
        "run %s: %d files (%d new, %d changed, %d unchanged, %d deleted) → %d articles, %d rejects in %.1fs",
        run_id,
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
    return summary


@task(name="link-duplicates", cache_policy=NO_CACHE)
def link_duplicates(store: storage.ParquetStore, article_parts: list[str], group: str, warehouse: Path) -> str:
    """Exact and near duplicates over every article of the snapshot; earlier published
    (then lower id) is the original. In DuckDB under the build's memory cap: holding every
    article's MinHash in Python grew the run's parent process with the archive."""
    found = []
    if article_parts:
        con = connect_capped(":memory:", warehouse, store)
        try:
            files = sql_list([store.uri(rel) for rel in article_parts])
            source = f"select article_id, published_date, body_fingerprint, minhash from read_parquet({files}, hive_partitioning = false)"
            found = find_duplicates_sql(con, source)
        finally:
            con.close()
    out = pa.table({name: [getattr(d, name) for d in found] for name in schemas.DUPLICATES.names}, schema=schemas.DUPLICATES)
    get_run_logger().info("%d duplicate articles (%d exact)", len(found), sum(d.kind == "exact" for d in found))
    return store.write("duplicates", out, group)


@task(name="resolve-identity", cache_policy=NO_CACHE)
def resolve_identity(
    store: storage.ParquetStore,
    parts: dict[str, list[str]],
    previous_parts: list[str],
    touched_ids: set[str],
    reference: Reference,
    run_id: str,
    warehouse: Path,
) -> str:
    """One identity per real-world entity over every entity of the snapshot (flows/warehouse/identity.py),
    re-deciding only the blocks this run's mentions touch when a previous decision exists."""
    group = f"part-{run_id}"
    if not parts["entities"]:
        return store.write("entity_identity", schemas.ENTITY_IDENTITY.empty_table(), group)
    con = connect_capped(":memory:", warehouse, store)
    try:
        entities = f"select * from read_parquet({sql_list([store.uri(p) for p in parts['entities']])}, hive_partitioning = false)"
        articles = (
            f"select article_id, source, published_date from read_parquet({sql_list([store.uri(p) for p in parts['articles']])},"
            " hive_partitioning = false)"
        )
        previous = (
            f"select * from read_parquet({sql_list([store.uri(p) for p in previous_parts])}, hive_partitioning = false)"
            if previous_parts
            else None
        )
        reader = decide_identity(con, entities, articles, reference, run_id, previous, touched_ids)
        part = store.write_batches("entity_identity", reader, group)
    finally:
        con.close()
    get_run_logger().info("entity identity decided (%d entity ids this run's mentions touched)", len(touched_ids))
    return part


def _runs_part(store: storage.ParquetStore, summary: RunSummary, started_at: dt.datetime) -> str:
    row = {name: [getattr(summary, name, None)] for name in schemas.RUNS.names}
    row["started_at"] = [started_at]
    row["finished_at"] = [dt.datetime.now(dt.UTC)]
    return store.write("runs", pa.table(row, schema=schemas.RUNS), f"part-{summary.run_id}")
