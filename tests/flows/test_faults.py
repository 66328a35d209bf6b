"""Faults handled as a careful sync tool would: files rejected for a passing reason are
read again, a run that would delete much of the archive stops first, a full disk is one
line with the previous warehouse untouched."""

from __future__ import annotations

import os
import shutil
import subprocess
import time

import duckdb
import pytest

from flows.pipeline.disk_full import DiskFull
from flows.pipeline.ingest import ingest
from flows.plan import manifest
from flows.settings import WirehouseError
from flows.store import storage
from tests.flows.conftest import run_cli, snapshot_rows
from tests.flows.test_incremental import seeded_folder, settle


def _state(key, size=10, mtime_ns=5, status="article", part="part-r1-00000"):
    return manifest.FileState(
        source_key=key,
        source_path=f"/in/{key}",
        size=size,
        mtime_ns=mtime_ns,
        source_sha256="",
        status=status,
        articles=int(status == "article"),
        rejects=int(status != "article"),
        part=part,
        run_id="r1",
    )


def _file(key, size=10, mtime_ns=5):
    return storage.InputFile(path=f"/in/{key}", key=key, size=size, mtime_ns=mtime_ns)


def test_a_file_rejected_for_a_passing_reason_is_read_again_whatever_its_times_say():
    old = {"a.txt": _state("a.txt"), "b.txt": _state("b.txt", status=manifest.RETRY, part="part-r1-00001")}
    plan = manifest.plan_run([_file("a.txt"), _file("b.txt")], old)
    assert [f.key for f in plan.to_process] == ["b.txt"]
    assert [s.source_key for s in plan.unchanged] == ["a.txt"]
    assert (plan.new, plan.changed, plan.dirty_parts, plan.dropped_paths) == (0, 1, {"part-r1-00001"}, {"/in/b.txt"})


@pytest.mark.parametrize(
    "files, deleted, refused",
    [(5, 1, False), (5, 2, True), (10, 2, False), (10, 10, True), (1, 1, True), (0, 0, False)],
)
def test_a_run_that_would_delete_more_than_a_share_of_the_archive_stops(files, deleted, refused):
    old = {f"f{i}.txt": _state(f"f{i}.txt") for i in range(files)}
    plan = manifest.plan_run([_file(f"f{i}.txt") for i in range(deleted, files)], old)
    assert len(plan.deleted) == deleted
    if not refused:
        manifest.check_deletions(plan, "/in")
        return
    with pytest.raises(manifest.MassDelete) as err:
        manifest.check_deletions(plan, "/in")
    assert str(err.value) == (
        f"this run would delete the rows of {deleted} of the warehouse's {files} files ({deleted / files:.0%}, more than 20%) "
        "because they are missing from /in: if the folder is complete (not an unmounted share or a copy in progress), "
        "run again with --allow-mass-delete; nothing was changed"
    )
    manifest.check_deletions(plan, "/in", max_share=1.0)  # --allow-mass-delete


def _rows(warehouse, sql):
    con = duckdb.connect(str(warehouse / "news.duckdb"), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def test_an_unreadable_file_is_tried_again_by_the_next_run(prefect_api, tmp_path):
    """A real I/O error (reading a process's memory file at offset 0 fails with EIO, even as
    root): rejected as unreadable, then read again by the next run though its size and
    times are the same, without a second reject row."""
    folder = seeded_folder(tmp_path / "in", {})
    mem = f"/proc/{os.getpid()}/mem"  # this process: with one worker the batch reads in it
    os.stat(mem)  # its inode's time is when it was first looked up: a second ago, settled
    time.sleep(1.2)
    (folder / "io-error.txt").symlink_to(mem)
    wh = tmp_path / "wh"
    ingest(folder, wh, batch_size=10, workers=1)
    expected = [(str(folder / "io-error.txt"), "unreadable", "OSError: Input/output error")]
    assert _rows(wh, "select file_path, reason, detail from stg_rejects") == expected
    assert _rows(wh, "select file_key, status from stg_files order by 1") == [
        ("a.txt", "article"),
        ("b.txt", "article"),
        ("io-error.txt", "retry"),
    ]
    again = ingest(folder, wh, batch_size=10, workers=1)
    assert (again.up_to_date, again.files_changed, again.files_unchanged, again.rejects) == (False, 1, 2, 1)
    assert _rows(wh, "select file_path, reason, detail from stg_rejects") == expected


def test_an_empty_input_folder_does_not_wipe_the_warehouse(prefect_api, tmp_path):
    folder = seeded_folder(tmp_path / "in", {f"n{i}.txt": f"Note {i}\n\nMinsk and NATO, note {i}.\n" for i in range(3)})
    wh = tmp_path / "wh"
    ingest(folder, wh, batch_size=10, workers=1)
    published = sorted((p.relative_to(wh), p.stat().st_mtime_ns) for p in wh.rglob("*") if p.name != ".wirehouse.lock")
    moved = tmp_path / "unmounted"
    shutil.move(folder, moved)
    folder.mkdir()  # the mount point of a share that is not mounted
    with pytest.raises(manifest.MassDelete, match=r"delete the rows of 5 of the warehouse's 5 files \(100%, more than 20%\)"):
        ingest(folder, wh, batch_size=10, workers=1)
    assert sorted((p.relative_to(wh), p.stat().st_mtime_ns) for p in wh.rglob("*") if p.name != ".wirehouse.lock") == published
    assert _rows(wh, "select count(*) from stg_articles") == [(5,)]
    emptied = ingest(folder, wh, batch_size=10, workers=1, max_delete_share=1.0)  # --allow-mass-delete
    assert (emptied.files_deleted, emptied.articles) == (5, 0)


@pytest.fixture
def small_disk(tmp_path):
    """A real file system of a set size: a tmpfs (needs root, as in CI's container)."""
    mount = tmp_path / "disk"
    mount.mkdir()
    if subprocess.run(["mount", "-t", "tmpfs", "-o", "size=512m", "tmpfs", str(mount)], capture_output=True).returncode:
        pytest.skip("cannot mount a tmpfs here (needs root)")
    yield mount
    subprocess.run(["umount", "-l", str(mount)], check=True)


def _resize(mount, size: str):
    subprocess.run(["mount", "-o", f"remount,size={size}", str(mount)], check=True)


def _listing(warehouse):
    return sorted(
        (str(p.relative_to(warehouse)), p.stat().st_size, p.stat().st_mtime_ns)
        for p in warehouse.rglob("*")
        if p.is_file() and p.name != ".wirehouse.lock"
    )


def test_a_full_disk_is_one_line_and_the_previous_warehouse_stays(prefect_api, small_disk, tmp_path):
    folder = seeded_folder(tmp_path / "in", {f"n{i}.txt": f"Note {i}\n\nMinsk and NATO, note {i}.\n" for i in range(3)})
    wh = small_disk / "wh"
    ingest(folder, wh, batch_size=10, workers=1)
    published, rows = _listing(wh), snapshot_rows(wh)
    used = shutil.disk_usage(small_disk).used
    _resize(small_disk, f"{used // 1024 + 256}k")  # room for new parts, not for a second database
    for i in range(3, 40):
        (folder / f"n{i}.txt").write_text(f"Note {i}\n\nKyiv and Warsaw, note {i}, said the report from Minsk.\n")
    settle(folder)
    with pytest.raises(DiskFull) as err:
        ingest(folder, wh, batch_size=10, workers=1)
    print(err.value)
    assert str(err.value) == (
        f"the disk holding {wh} is full (No space left on device): free some space there and run again; "
        "the published warehouse is unchanged"
    )
    assert _listing(wh) == published  # untouched, and the failed run's parts are gone
    assert snapshot_rows(wh) == rows
    _resize(small_disk, "512m")  # space freed: the next run is exact
    ingest(folder, wh, batch_size=10, workers=1)
    clean = tmp_path / "clean"
    ingest(folder, clean, batch_size=10, workers=1)
    assert snapshot_rows(wh) == snapshot_rows(clean)


def test_one_warehouse_one_input(tmp_path):
    wh = tmp_path / "wh"
    manifest.check_input(wh, tmp_path / "a")  # nothing recorded yet: any input
    manifest.record_input(wh, tmp_path / "a")
    manifest.check_input(wh, tmp_path / "a")
    with pytest.raises(WirehouseError) as err:
        manifest.check_input(wh, tmp_path / "b")
    assert str(err.value) == (
        f"the warehouse {wh} was built from {tmp_path / 'a'}, not {tmp_path / 'b'}: pass --replace-input to replace "
        f"its articles with those of {tmp_path / 'b'}, or give another --warehouse"
    )
    manifest.check_input(wh, tmp_path / "b", replace=True)


def test_a_run_over_another_input_is_refused_unless_asked(prefect_api, tmp_path):
    first = seeded_folder(tmp_path / "first", {})
    other = seeded_folder(tmp_path / "other", {"n.txt": "Note\n\nMinsk and NATO.\n"})
    wh = tmp_path / "wh"
    ingest(first, wh, batch_size=10, workers=1)
    published = _listing(wh)
    with pytest.raises(WirehouseError, match=f"^the warehouse {wh} was built from {first}, not {other}: pass --replace-input"):
        ingest(other, wh, batch_size=10, workers=1)
    assert _listing(wh) == published
    replaced = ingest(other, wh, batch_size=10, workers=1, replace_input=True)
    assert (replaced.files_new, replaced.files_changed, replaced.files_deleted, replaced.articles) == (1, 2, 0, 3)
    assert sorted(_rows(wh, "select file_path from stg_articles")) == [(str(other / n),) for n in ("a.txt", "b.txt", "n.txt")]
    with pytest.raises(WirehouseError, match=f"built from {other}, not {first}"):
        ingest(first, wh, batch_size=10, workers=1)


def test_the_cli_refuses_another_input_before_starting_prefect(warehouse_runs, tmp_path):
    started = time.monotonic()
    proc = run_cli("run", "--input", str(tmp_path), "--warehouse", str(warehouse_runs[0]))
    elapsed = time.monotonic() - started
    assert (proc.returncode, proc.stdout) == (1, "")
    assert proc.stderr.startswith(f"Error: the warehouse {warehouse_runs[0]} was built from ") and proc.stderr.count("\n") == 1
    assert f", not {tmp_path}: pass --replace-input" in proc.stderr
    assert elapsed < 5, elapsed


@pytest.mark.parametrize("flags", [[], ["--force-flow"], ["--allow-mass-delete"]], ids=["plain", "force-flow", "allowed"])
def test_the_cli_refuses_a_mass_delete_before_starting_prefect(warehouse_runs, tmp_path, flags):
    """The share is checked before Prefect's server starts: with a Prefect API that cannot
    answer, a refused run says why in a second, and an allowed one goes on to need Prefect."""
    wh, folder = tmp_path / "wh", tmp_path / "unmounted"
    shutil.copytree(warehouse_runs[0], wh, ignore=shutil.ignore_patterns(".wirehouse.lock"))
    folder.mkdir()  # the mount point of a share that is not mounted
    (wh / "_state" / manifest.INPUT_FILE).write_text(f'{{"input": "{folder}"}}')
    published = _listing(wh)
    started = time.monotonic()
    proc = run_cli(
        "run", "--input", str(folder), "--warehouse", str(wh), *flags, env={"PREFECT_API_URL": "http://127.0.0.1:1/api"}
    )
    elapsed = time.monotonic() - started
    if flags == ["--allow-mass-delete"]:
        assert (proc.returncode, proc.stderr.count("\n")) == (1, 1), proc.stderr
        assert "Prefect API" in proc.stderr and "delete" not in proc.stderr, proc.stderr
    else:
        assert (proc.returncode, proc.stdout, proc.stderr) == (
            1,
            "",
            f"Error: this run would delete the rows of 5 of the warehouse's 5 files (100%, more than 20%) because they are "
            f"missing from {folder}: if the folder is complete (not an unmounted share or a copy in progress), run again "
            "with --allow-mass-delete; nothing was changed\n",
        )
        assert elapsed < 10, elapsed
    assert _listing(wh) == published
