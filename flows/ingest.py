"""The ingest flow: discover → batches (decode, parse, clean, sentences, entities →
Parquet parts) → warehouse (build, data tests, swap) → report.

Tasks take batches of files, never one file: a task run costs milliseconds of
orchestration, and spaCy is fastest over an `nlp.pipe` stream.
"""

from __future__ import annotations

import collections
import datetime as dt
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import pyarrow as pa
from prefect import flow, get_run_logger, task
from prefect.artifacts import create_markdown_artifact
from prefect.cache_policies import NO_CACHE

from flows import storage
from flows.settings import DEFAULT_BATCH_SIZE, REFERENCE_DIR, WirehouseError, spacy_model
from flows.warehouse import build_warehouse
from transforms import schemas
from transforms.article import RawDocument, process_documents
from transforms.nlp import load_pipeline
from transforms.reference import DEFAULT_REFERENCE, Reference


@dataclass
class BatchResult:
    index: int
    parts: dict[str, list[str]]
    counts: dict[str, int]
    reject_reasons: dict[str, int]


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
    reject_reasons: dict[str, int] = field(default_factory=dict)
    duration_s: float = 0.0
    model: str = ""


def load_reference(input_dir: Path) -> Reference:
    """Built-in agencies and aliases, extended by `reference/agencies.csv` and
    `reference/aliases.csv` in the input folder, if present."""
    folder = input_dir / REFERENCE_DIR

    def text(name: str) -> str | None:
        path = folder / name
        return path.read_text(encoding="utf-8") if path.is_file() else None

    try:
        return DEFAULT_REFERENCE.extend(agencies_csv=text("agencies.csv"), aliases_csv=text("aliases.csv"))
    except ValueError as exc:
        raise WirehouseError(f"{folder}: {exc}") from exc


@task(name="discover", cache_policy=NO_CACHE)
def discover_files(input_dir: Path) -> list[storage.InputFile]:
    files = storage.discover(input_dir)
    get_run_logger().info("found %d files under %s", len(files), input_dir)
    return files


@task(name="process-batch", cache_policy=NO_CACHE)
def process_batch(
    index: int,
    files: list[storage.InputFile],
    warehouse: Path,
    run_id: str,
    model: str,
    reference: Reference,
    ingested_at: dt.datetime,
) -> BatchResult:
    """Read, transform and write one batch of files as Parquet parts."""
    docs: list[RawDocument] = []
    unreadable: list[tuple[storage.InputFile, str]] = []
    for entry in files:
        try:
            data, sha = storage.read_file(entry)
        except OSError as exc:
            unreadable.append((entry, f"{type(exc).__name__}: {exc.strerror or exc}"))
            continue
        docs.append(RawDocument(path=entry.path, key=entry.key, data=data, sha256=sha))
    tables = process_documents(docs, load_pipeline(model), reference=reference, run_id=run_id, ingested_at=ingested_at)
    if unreadable:
        extra = pa.table(
            {
                "source_path": [e.path for e, _ in unreadable],
                "source_record": pa.nulls(len(unreadable), pa.int32()),
                "source_sha256": [""] * len(unreadable),
                "reason": ["unreadable"] * len(unreadable),
                "detail": [d for _, d in unreadable],
                "run_id": [run_id] * len(unreadable),
            },
            schema=schemas.REJECTS,
        )
        tables["rejects"] = pa.concat_tables([tables["rejects"], extra])
    parts: dict[str, list[str]] = {}
    for name, table in tables.items():
        if table.num_rows:
            parts[name] = [storage.write_part(warehouse, name, table, f"part-{run_id}-{index:05d}")]
    reasons = collections.Counter(tables["rejects"].column("reason").to_pylist())
    counts = {name: table.num_rows for name, table in tables.items()}
    get_run_logger().info(
        "batch %d: %d files → %d articles, %d sentences, %d entities, %d rejects",
        index,
        len(files),
        counts["articles"],
        counts["sentences"],
        counts["entities"],
        counts["rejects"],
    )
    return BatchResult(index=index, parts=parts, counts=counts, reject_reasons=dict(reasons))


@task(name="build-warehouse", cache_policy=NO_CACHE)
def publish(warehouse: Path, snapshot: storage.Snapshot) -> str:
    result = build_warehouse(warehouse, snapshot)
    storage.publish_snapshot(warehouse, snapshot)
    storage.collect_garbage(warehouse)
    get_run_logger().info("warehouse %s built: %d models, %d data tests passed", result.database, result.models, result.data_tests)
    return str(result.database)


def _runs_part(warehouse: Path, summary: RunSummary, started_at: dt.datetime, finished_at: dt.datetime) -> str:
    row = {
        "run_id": [summary.run_id],
        "started_at": [started_at],
        "finished_at": [finished_at],
        "input_dir": [summary.input_dir],
        "files_seen": [summary.files_seen],
        "articles": [summary.articles],
        "sentences": [summary.sentences],
        "entities": [summary.entities],
        "rejects": [summary.rejects],
        "duration_s": [summary.duration_s],
        "model": [summary.model],
    }
    return storage.write_part(warehouse, "runs", pa.table(row, schema=schemas.RUNS), f"part-{summary.run_id}")


def _empty_part(warehouse: Path, table: str, run_id: str) -> str:
    schema = schemas.TABLES[table]
    return storage.write_part(warehouse, table, schema.empty_table(), f"part-{run_id}-empty")


def new_run_id(now: dt.datetime) -> str:
    return now.strftime("%Y%m%dT%H%M%SZ") + "-" + uuid.uuid4().hex[:6]


@flow(name="wirehouse-ingest", log_prints=False, validate_parameters=False)
def ingest(
    input_dir: Path,
    warehouse_dir: Path,
    model: str | None = None,
    batch_size: int = DEFAULT_BATCH_SIZE,
) -> RunSummary:
    """Ingest every file under `input_dir` into the warehouse at `warehouse_dir`."""
    logger = get_run_logger()
    clock = time.perf_counter()
    started_at = dt.datetime.now(dt.timezone.utc)
    run_id = new_run_id(started_at)
    model = spacy_model(model)
    reference = load_reference(input_dir)
    load_pipeline(model)  # fail early, before any work, if the model is missing

    files = discover_files(input_dir)
    batches = [files[i : i + batch_size] for i in range(0, len(files), batch_size)]
    results = [
        process_batch(i, batch, warehouse_dir, run_id, model, reference, started_at) for i, batch in enumerate(batches)
    ]

    parts: dict[str, list[str]] = {name: [] for name in schemas.TABLES}
    for result in results:
        for name, paths in result.parts.items():
            parts[name].extend(paths)
    totals = collections.Counter()
    reasons = collections.Counter()
    for result in results:
        totals.update(result.counts)
        reasons.update(result.reject_reasons)

    summary = RunSummary(
        run_id=run_id,
        input_dir=str(input_dir),
        warehouse_dir=str(warehouse_dir),
        database="",
        files_seen=len(files),
        articles=totals["articles"],
        sentences=totals["sentences"],
        entities=totals["entities"],
        rejects=totals["rejects"],
        reject_reasons=dict(sorted(reasons.items())),
        model=model,
    )
    summary.duration_s = round(time.perf_counter() - clock, 3)  # the warehouse build follows
    previous = storage.load_snapshot(warehouse_dir)
    parts["runs"] = (previous.parts.get("runs", []) if previous else []) + [
        _runs_part(warehouse_dir, summary, started_at, dt.datetime.now(dt.timezone.utc))
    ]
    for name, paths in parts.items():
        if not paths:
            paths.append(_empty_part(warehouse_dir, name, run_id))
    summary.database = publish(warehouse_dir, storage.Snapshot(run_id=run_id, parts=parts))
    summary.duration_s = round(time.perf_counter() - clock, 3)
    logger.info(
        "run %s: %d files, %d articles, %d sentences, %d entities, %d rejects in %.1fs",
        run_id,
        summary.files_seen,
        summary.articles,
        summary.sentences,
        summary.entities,
        summary.rejects,
        summary.duration_s,
    )
    create_markdown_artifact(key="wirehouse-run-summary", markdown=summary_markdown(summary), description="wirehouse run summary")
    return summary


def summary_markdown(summary: RunSummary) -> str:
    rows = [
        ("files seen", summary.files_seen),
        ("articles", summary.articles),
        ("sentences", summary.sentences),
        ("entities", summary.entities),
        ("rejects", summary.rejects),
        *((f"rejected: {reason}", n) for reason, n in summary.reject_reasons.items()),
        ("duration (s)", summary.duration_s),
    ]
    lines = [f"# wirehouse run {summary.run_id}", "", "| what | count |", "|---|---:|"]
    lines += [f"| {what} | {n} |" for what, n in rows]
    return "\n".join(lines)
