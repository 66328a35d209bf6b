"""The run's batches: files cut into batches, each batch read, transformed and written as one
group of Parquet parts by a Prefect task, in worker processes or on a Dask cluster.

Tasks take batches of files, never one file: a task run costs milliseconds of
orchestration, and spaCy is fastest over an `nlp.pipe` stream. Each worker loads the model once.
"""

from __future__ import annotations

import collections
import contextlib
import dataclasses
import datetime as dt
import os
import queue
import zlib
from dataclasses import dataclass, field

import pyarrow as pa
import pyarrow.compute as pc
from prefect import get_run_logger, task
from prefect.cache_policies import NO_CACHE
from prefect.task_runners import ProcessPoolTaskRunner, ThreadPoolTaskRunner

from flows import settings
from flows.faults import crash_point
from flows.pipeline import interrupt, ner_cache, progress, worker_state
from flows.plan import manifest
from flows.store import storage, streaming
from transforms import formats, schemas
from transforms.article import RawDocument
from transforms.batch import process_documents, process_records
from transforms.nlp import load_pipeline
from transforms.reference import Reference


@dataclass
class BatchResult:
    group: str
    parts: dict[str, list[str]]
    counts: dict[str, int]
    files: list[manifest.FileState]
    skipped: list[tuple[str, str]]  # (path, why): not ingested this run, tried again next run
    entity_ids: list[str] = dataclasses.field(default_factory=list)  # what the identity step re-decides


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
    return {name: schemas.TABLES[name].empty_table() for name in ("articles", "ner_spans", "ner_units", "rejects")}


@dataclass
class _ReadFiles:
    """A batch's files as read: documents to transform, files for the streaming reader, and
    what could not be read now (rejected, or skipped until the next run)."""

    docs: list[RawDocument] = field(default_factory=list)
    streamed: list[tuple[storage.InputFile, streaming.Container]] = field(default_factory=list)
    unreadable: list[tuple[storage.InputFile, str, str]] = field(default_factory=list)  # (file, reason, detail)
    transient: set[str] = field(default_factory=set)  # keys of files rejected for a passing reason: read again next run
    skipped: list[tuple[storage.InputFile, str]] = field(default_factory=list)
    hashes: dict[str, str] = field(default_factory=dict)


def _why_skipped(exc: Exception) -> str:
    """Why a file is left for the next run: it changed while being read, or went away."""
    return f"still being written ({exc})" if isinstance(exc, storage.FileChanging) else "deleted before it could be read"


def _read_files(files: list[storage.InputFile], max_file_bytes: int) -> _ReadFiles:
    read = _ReadFiles()
    for entry in files:
        if entry.kind != "file":
            read.unreadable.append((entry, entry.kind, _KIND_DETAIL[entry.kind]))
            continue
        if (found := streaming.container(entry)) is not None:
            read.streamed.append((entry, found))
            continue
        if entry.size > max_file_bytes:
            detail = f"{entry.size / 2**20:.1f} MiB is over the {max_file_bytes / 2**20:.0f} MiB limit (--max-file-mb)"
            read.unreadable.append((entry, "too_large", detail))
            continue
        try:
            data, sha = storage.read_file(entry)
        except (storage.FileChanging, storage.FileVanished) as exc:
            read.skipped.append((entry, _why_skipped(exc)))
            continue
        except OSError as exc:  # permission denied, an I/O error: may well pass by the next run
            read.unreadable.append((entry, "unreadable", f"{type(exc).__name__}: {exc.strerror or exc}"))
            read.transient.add(entry.key)
            continue
        read.hashes[entry.path] = sha
        if data.startswith(formats.GZIP_MAGIC) and (big := _big_inside(entry, data, max_file_bytes)):
            if isinstance(big, streaming.Container):
                read.streamed.append((entry, big))
            else:
                read.unreadable.append((entry, "too_large", big))
            continue
        read.docs.append(RawDocument(path=entry.display_path, key=entry.key, data=data, sha256=sha))
    return read


def _big_inside(entry: storage.InputFile, data: bytes, max_file_bytes: int) -> streaming.Container | str | None:
    """For a gzip file (`data`, read whole), what its size once decompressed calls for,
    known without decompressing more than a limit's worth: a container of records over
    STREAM_MIN_BYTES inside is streamed (its Container); anything else over
    `max_file_bytes` inside is refused (the reject's detail); None: read it whole."""
    inflated = streaming.inflated_size(data, streaming.STREAM_MIN_BYTES)
    if inflated > streaming.STREAM_MIN_BYTES:
        if (found := streaming.container(entry, big=True)) is not None:
            return found
        if max_file_bytes > streaming.STREAM_MIN_BYTES:
            inflated = streaming.inflated_size(data, max_file_bytes)
    if inflated > max_file_bytes:
        return f"decompresses to more than the {max_file_bytes / 2**20:.0f} MiB limit (--max-file-mb): not read"
    return None


@dataclass
class _Written:
    """What a batch wrote: its parts, row counts per table and per input file, and the
    entity ids its mentions touch (what the identity step re-decides)."""

    store: storage.ParquetStore
    group: str
    parts: dict[str, list[str]] = field(default_factory=dict)
    counts: collections.Counter = field(default_factory=collections.Counter)
    per_article: collections.Counter = field(default_factory=collections.Counter)
    per_reject: collections.Counter = field(default_factory=collections.Counter)
    ner_spared: int = 0
    entity_ids: set[str] = field(default_factory=set)

    def write(self, tables: dict[str, pa.Table], partition: str | None) -> None:
        if "entities" in tables:
            self.entity_ids.update(pc.unique(tables["entities"]["entity_id"]).to_pylist())
        for name, table in tables.items():
            if table.num_rows:
                self.parts.setdefault(name, []).append(self.store.write(name, table, self.group, partition=partition))
            self.counts[name] += table.num_rows
        self.per_article.update(tables["articles"].column("source_path").to_pylist())
        self.per_reject.update(tables["rejects"].column("source_path").to_pylist())
        # Articles the model read no paragraph of: each came from an exact copy in the
        # batch, or from paragraphs stored by earlier batches and runs.
        read = set(tables["ner_units"].column("article_id").to_pylist())
        self.ner_spared += sum(a not in read for a in tables["ner_spans"].column("article_id").to_pylist())


def _write_streamed(read: _ReadFiles, out: _Written, nlp, run_id: str, **transform) -> None:
    """Big JSON/JSONL files, read and written slice by slice (one partition per slice)."""
    piece = 0

    def reject(entry: storage.InputFile, detail: str) -> None:
        nonlocal piece
        piece += 1
        out.write(
            {**_empty_tables(), "rejects": _unreadable_rejects([(entry, "unreadable", detail)], run_id)}, f"slice={piece:05d}"
        )

    for entry, found in read.streamed:
        try:
            sha = streaming.file_sha256(entry)
        except (storage.FileChanging, storage.FileVanished) as exc:
            read.skipped.append((entry, _why_skipped(exc)))
            continue
        except OSError as exc:
            reject(entry, f"{type(exc).__name__}: {exc.strerror or exc}")
            continue
        read.hashes[entry.path] = sha
        doc = RawDocument(path=entry.display_path, key=entry.key, data=b"", sha256=sha)
        try:
            for records in streaming.slices(streaming.records(entry, found, transform["max_article_chars"])):
                piece += 1
                out.write(
                    process_records(doc, records, found.kind, found.source_format, nlp, run_id=run_id, **transform),
                    f"slice={piece:05d}",
                )
        except (OSError, EOFError, zlib.error) as exc:  # not opened (a failure part way is the records' last bad record)
            reject(entry, f"read failed: {type(exc).__name__}: {getattr(exc, 'strerror', None) or exc}")


def _file_states(files: list[storage.InputFile], read: _ReadFiles, out: _Written, run_id: str) -> list[manifest.FileState]:
    """The manifest rows of the batch's files (skipped files get none: the next run tries again)."""
    skipped_keys = {entry.key for entry, _ in read.skipped}
    states = []
    for entry in files:
        if entry.key in skipped_keys:
            continue
        n_art, n_rej = out.per_article[entry.display_path], out.per_reject[entry.display_path]
        status = (
            manifest.RETRY if entry.key in read.transient else "mixed" if n_art and n_rej else "article" if n_art else "reject"
        )
        states.append(
            manifest.FileState(
                source_key=entry.key,
                source_path=entry.display_path,
                size=entry.size,
                mtime_ns=entry.mtime_ns,
                source_sha256=read.hashes.get(entry.path, ""),
                status=status,
                articles=n_art,
                rejects=n_rej,
                part=out.group,
                run_id=run_id,
            )
        )
    return states


def batch_group(run_id: str, i: int) -> str:
    """The part group (file name) of the run's `i`th batch."""
    return f"part-{run_id}-{i:05d}"


@task(name="process-batch", cache_policy=NO_CACHE)
def process_batch(
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
    run_batches: int = 0,
) -> BatchResult:
    """Read, transform and write one batch of files as one group of Parquet parts (a big
    file of records adds one part per slice of its records to the group). `state_folder`:
    where workers keep ready-made pipeline state (flows/pipeline/worker_state.py);
    `run_batches`: how many batches the run has (their parts' names: `batch_group`)."""
    with interrupt.stoppable_batch():  # when it runs in a thread of the run's own process
        worker_state.ready(state_folder)
        read = _read_files(files, max_file_bytes)
        out = _Written(store, group)
        others = [batch_group(run_id, i) for i in range(run_batches) if batch_group(run_id, i) != group]
        stored = ner_cache.StoredSpans(
            store, warn=get_run_logger().warning, run_groups=others, own=lambda: out.parts.get("ner_units", [])
        )
        nlp = load_pipeline(model)
        transform = {"reference": reference, "ingested_at": ingested_at, "known": stored, "max_article_chars": max_article_chars}
        tables = process_documents(read.docs, nlp, run_id=run_id, **transform)
        if read.unreadable:
            tables["rejects"] = pa.concat_tables([tables["rejects"], _unreadable_rejects(read.unreadable, run_id)])
        out.write(tables, None)
        del tables
        _write_streamed(read, out, nlp, run_id, **transform)
        counts = dict(out.counts)
        counts["ner_spared"] = out.ner_spared
        _log_batch(group, len(files), counts, read.skipped)
        return BatchResult(
            group=group,
            parts=out.parts,
            counts=counts,
            files=_file_states(files, read, out, run_id),
            skipped=[(e.display_path, why) for e, why in read.skipped],
            entity_ids=sorted(out.entity_ids),
        )


def _log_batch(group: str, n_files: int, counts: dict[str, int], skipped: list[tuple[storage.InputFile, str]]) -> None:
    get_run_logger().info(
        "batch %s: %d files → %d articles, %d sentences, %d entities, %d rejects%s",
        group,
        n_files,
        counts["articles"],
        counts["sentences"],
        counts["entities"],
        counts["rejects"],
        f" ({counts['ner_spared']} articles spared NER)" if counts["ner_spared"] else "",
    )
    for entry, why in skipped:
        get_run_logger().warning("skipped %s: %s; the next run will try again", entry.display_path, why)


@contextlib.contextmanager
def workers_stopped_on_interrupt():
    """A run stopped (SIGTERM from a Prefect worker or `serve`, Ctrl-C) kills its worker
    processes at once and stops the batch running in this process: otherwise leaving the
    task runners waits for every running batch.
    Their parts are published by no snapshot, and the next run removes them."""
    try:
        yield
    except BaseException as exc:
        if not isinstance(exc, Exception):
            if isinstance(signum := getattr(exc, "signal", None), int):  # Prefect's TerminationSignal
                interrupt.stopped_by(signum)
            interrupt.stop_children()
            interrupt.stop_batch_threads()
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


def default_workers() -> int:
    return max(1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1)


# Prefect collections a batch worker never uses: prefect-dask (the Dask task runner) runs in
# the process that starts the flow, never in a process-pool worker.
_UNUSED_IN_WORKERS = ("prefect_dask",)


def _skip_unused_collections() -> None:
    """The process pool's initializer: each worker rebuilds the flow run's context, whose
    result storage is a Prefect block, and looking up a block class imports every installed
    Prefect collection (`prefect.plugins.load_prefect_collections`): prefect-dask and with
    it dask and distributed, 0.2-0.3 CPU-s and ~14 MiB in every worker of every run.
    Prefect 3.8.8 has no setting for it; its cache of loaded collections is marked with the
    unused ones (so they count as loaded), and any other installed collection still loads.
    A test (test_batches_and_model) checks in a real worker that dask stays out."""
    from prefect._internal.plugins import collections

    from flows.quick_exit import freeze_at_exit

    freeze_at_exit()  # a worker's exit without the interpreter's collections over the model (~0.7 CPU-s)
    if collections._collections is None:
        collections._collections = dict.fromkeys(_UNUSED_IN_WORKERS)
        collections.load_prefect_collections(reload=True)


def runners_for(workers: int, batches: int, dask_address: str | None) -> list[tuple[object, int]]:
    """Where the batches run: (task runner, how many batches it runs at once). `workers`
    counts this process: it runs batches itself, beside `workers - 1` worker processes.
    A worker process costs ~2 CPU-s before its first batch (an interpreter, Prefect, our
    modules, the flow run's context) on top of the model's load, which this process,
    waiting on the batches anyway, need not pay: on a 2-core laptop the run is this process
    and one worker, as bare spaCy's is two processes. A Dask cluster takes every batch."""
    if dask_address:
        from prefect_dask import DaskTaskRunner

        return [(DaskTaskRunner(address=dask_address), batches)]
    here = ThreadPoolTaskRunner(max_workers=1)
    processes = min(workers, batches) - 1
    if processes < 1:
        return [(here, 1)]
    return [(here, 1), (ProcessPoolTaskRunner(max_workers=processes, initializer=_skip_unused_collections), processes)]


@dataclass
class BatchesDone:
    """The batches' results, gathered as they finished."""

    parts: dict[str, list[str]] = field(default_factory=lambda: collections.defaultdict(list))
    files: list[manifest.FileState] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)
    touched_ids: set[str] = field(default_factory=set)
    totals: collections.Counter = field(default_factory=collections.Counter)
    workers: int = 1


def run_batches(files: list[storage.InputFile], batch_size: int, workers: int, dask_address: str | None, **batch) -> BatchesDone:
    """Every file to process, in batches on the task runner; `batch` holds the parameters
    every `process_batch` shares. Progress advances as batches finish."""
    # Files of equal size share a batch (an exact duplicate usually has its original's size),
    # so that in-batch duplicate detection lets NER run once per story; batches of similar
    # length also pad less in spaCy.
    batches = make_batches(sorted(files, key=lambda f: (f.size, f.key)), batch_size)
    runners = runners_for(workers, len(batches), dask_address)
    done = BatchesDone(workers=1 if dask_address is None and len(runners) == 1 else min(workers, len(batches)))
    progress.start(len(files))
    if batches:
        waiting = collections.deque(biggest_first(batches))
        finished: queue.SimpleQueue = queue.SimpleQueue()

        def submit(runner) -> None:
            """The next batch, biggest first, to `runner`, which has a free slot: a slow
            batch in one place never holds up the batches queued behind it."""
            i, files_ = waiting.popleft()
            parameters = {"group": batch_group(batch["run_id"], i), "files": files_, "run_batches": len(batches), **batch}
            future = runner.submit(process_batch, parameters=parameters)
            future.add_done_callback(lambda f: finished.put((f, runner)))

        with contextlib.ExitStack() as entered:
            for runner, _ in runners:
                entered.enter_context(runner)
            entered.enter_context(workers_stopped_on_interrupt())
            for runner, slots in runners:
                for _ in range(min(slots, len(waiting))):
                    submit(runner)
            for _ in batches:
                future, runner = finished.get()
                if waiting:
                    submit(runner)
                result: BatchResult = future.result()
                for name, paths in result.parts.items():
                    done.parts[name].extend(paths)
                done.files.extend(result.files)
                done.skipped.extend(result.skipped)
                done.touched_ids.update(result.entity_ids)
                done.totals.update(result.counts)
                progress.advance(len(done.files) + len(done.skipped))
                crash_point("after_batch")
        release_batch_state()
    progress.finish()
    return done


def release_batch_state() -> None:
    """After the run's last batch, this process (which ran batches in a thread) lets go of
    the model and the language model and gives their memory back to the system before the
    identity step and the build: ~150 MiB of the run's largest process (the model alone is
    not enough: glibc keeps what Python frees, hence `malloc_trim`; DuckDB, which the build
    runs, allocates with its own allocator and would not reuse it)."""
    import gc

    from transforms.nlp import release_pipelines

    release_pipelines()
    worker_state.release()
    gc.collect()
    _malloc_trim()


def _malloc_trim() -> None:
    """glibc's `malloc_trim(0)`: the free memory at the top and inside its heaps back to
    the system; nothing where the C library is not glibc."""
    import ctypes

    try:
        trim = ctypes.CDLL(None).malloc_trim  # the symbols of the process, the C library's among them
    except (OSError, AttributeError):  # musl, macOS: no malloc_trim
        return
    trim.argtypes = [ctypes.c_size_t]
    trim(0)
