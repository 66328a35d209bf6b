"""Issue 13: the inputs the reader used to hold whole, read now in pieces. Each case is
read by the batch reader (`flows.pipeline.batches._read_files`, then
`flows.store.streaming.records` for what it streams, no NLP) in a fresh child process,
at two sizes ten times apart; the child's peak RSS (ru_maxrss) is compared with a
baseline child that imports the same modules and reads a one-record file, and with the
old way of reading the same input (whole) at the smaller size.

- `gzip-jsonl`: a small gzip file of SIZE MB of JSON Lines inside (streamed);
- `gzip-bomb`: a gzip file of SIZE MB of NULs under a text header (refused after
  decompressing --max-file-mb, 64 MiB);
- `long-line`: JSON Lines with one line of SIZE MB between two normal records (skipped
  unread, the records around it kept);
- `utf16-jsonl`: SIZE MB of UTF-16 JSON Lines (streamed).

    .venv/bin/python bench/stream_pieces.py [--sizes 20 200]

Writes bench/results/stream_pieces.json.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from _common import write_result  # noqa: E402

CASES = ("gzip-jsonl", "gzip-bomb", "long-line", "utf16-jsonl")
MAX_FILE_BYTES = 64 * 2**20


def _record(i: int) -> str:
    page = "".join(f"<div class='teaser'><a href='/n/{i}-{k}'>Mehr aus der Region {k}</a></div>" for k in range(120))
    text = "Berlin (dpa) - Der Haushalt wurde am Montag beschlossen, teilte die Regierung mit. " * 6
    return json.dumps({"title": f"Bericht {i}", "date": "2022-02-11", "text": text + str(i), "page_html": page}) + "\n"


def _write_jsonl(fh, megabytes: int) -> None:
    written, i = 0, 0
    while written < megabytes * 10**6:
        line = _record(i)
        fh.write(line)
        written += len(line)
        i += 1


def make(case: str, folder: Path, megabytes: int) -> Path:
    if case == "gzip-jsonl":
        path = folder / "feed.jsonl.gz"
        with gzip.open(path, "wt", encoding="utf-8", compresslevel=1) as fh:
            _write_jsonl(fh, megabytes)
    elif case == "gzip-bomb":
        path = folder / "bomb.txt.gz"
        with gzip.open(path, "wb", compresslevel=1) as fh:
            fh.write(b"Title: Bomb\nDate: 15 February 2022\n\n")
            block = b"\0" * 2**20
            for _ in range(megabytes * 10**6 // len(block)):
                fh.write(block)
    elif case == "long-line":
        path = folder / "feed.jsonl"
        with open(path, "w", encoding="utf-8") as fh:
            fh.write(_record(1))
            fh.write('{"title": "Huge", "text": "')
            chunk = "word " * 200_000
            for _ in range(megabytes * 10**6 // len(chunk)):
                fh.write(chunk)
            fh.write('"}\n')
            fh.write(_record(3))
    else:
        path = folder / "feed.jsonl"
        with open(path, "w", encoding="utf-16") as fh:
            _write_jsonl(fh, megabytes // 2)  # UTF-16 doubles the bytes: SIZE MB on disk
    old = time.time() - 60
    os.utime(path, (old, old))
    return path


def child(case: str, path: Path, mode: str) -> dict:
    """Read `path` as the pipeline does (`new`), or whole as it used to (`old`), or import
    the modules only and read nothing (`baseline`); the outcome and this process's peak."""
    from flows.pipeline import batches
    from flows.store import storage, streaming
    from transforms import formats

    stat = path.stat()
    entry = storage.InputFile(path=str(path), key=path.name, size=stat.st_size, mtime_ns=stat.st_mtime_ns)
    t0 = time.process_time()
    outcome: dict = {}
    if mode == "new":
        read = batches._read_files([entry], MAX_FILE_BYTES)
        outcome = {"whole": len(read.docs), "refused": [r for _, r, _ in read.unreadable], "streamed": len(read.streamed)}
        for e, found in read.streamed:
            good = bad = 0
            for record, _ in streaming.records(e, found):
                good += isinstance(record, formats.JsonRecord)
                bad += isinstance(record, formats.BadRecord)
            outcome.update(records=good, bad_records=bad)
    elif mode == "old" and case == "long-line":  # line by line, each line whole (the old streaming reader)
        with open(path, "rb") as fh:
            outcome = {"lines": sum(1 for raw in fh if formats.json_line_record(raw.decode("utf-8"), 1))}
    elif mode == "old":  # the file read whole (a lower bound: its bytes and lines only, before any parsing)
        data = path.read_bytes()
        if case in ("gzip-jsonl", "gzip-bomb"):
            data = formats.unwrap(data, path.name).data  # whole, up to the 256 MB cap
        if case == "utf16-jsonl":
            lines = data.decode("utf-16").splitlines()
        else:
            lines = data.splitlines()
        outcome = {"lines": len(lines)}
    return {
        "mode": mode,
        "peak_rss_mib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "cpu_s": round(time.process_time() - t0, 2),
        **outcome,
    }


def _run_child(case: str, path: Path, mode: str) -> dict:
    out = subprocess.run(
        [sys.executable, __file__, "--child", case, str(path), mode], capture_output=True, text=True, check=False
    )
    if out.returncode:
        return {"mode": mode, "error": out.stderr.strip().splitlines()[-1] if out.stderr.strip() else f"exit {out.returncode}"}
    return json.loads(out.stdout.strip().splitlines()[-1])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs=2, default=[20, 200], help="two sizes in MB (inside the compression)")
    parser.add_argument("--cases", nargs="+", choices=CASES, default=list(CASES))
    parser.add_argument("--child", nargs=3, metavar=("CASE", "PATH", "MODE"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        print(json.dumps(child(args.child[0], Path(args.child[1]), args.child[2])))
        return 0
    scratch = Path(tempfile.mkdtemp(prefix="bench-stream-pieces-", dir="/tmp"))
    rows = []
    try:
        tiny = scratch / "tiny.jsonl"
        tiny.write_text(_record(0), encoding="utf-8")
        base = _run_child("gzip-jsonl", tiny, "baseline")
        print(f"baseline (imports, nothing read): {base['peak_rss_mib']} MiB", flush=True)
        for case in args.cases:
            for size in args.sizes:
                folder = scratch / f"{case}-{size}"
                folder.mkdir()
                path = make(case, folder, size)
                modes = ["new", "old"] if size == args.sizes[0] else ["new"]
                for mode in modes:
                    r = {"case": case, "size_mb": size, "file_bytes": path.stat().st_size, **_run_child(case, path, mode)}
                    if "peak_rss_mib" in r:
                        r["over_baseline_mib"] = round(r["peak_rss_mib"] - base["peak_rss_mib"], 1)
                    rows.append(r)
                    print(json.dumps(r), flush=True)
                shutil.rmtree(folder)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    print("\n| case | MB inside | read | peak RSS MiB | over baseline MiB | CPU s | outcome |\n|---|---|---|---|---|---|---|")
    for r in rows:
        what = {k: v for k, v in r.items() if k in ("whole", "refused", "streamed", "records", "bad_records", "lines", "error")}
        print(
            f"| {r['case']} | {r['size_mb']} | {r['mode']} | {r.get('peak_rss_mib')} | {r.get('over_baseline_mib')} | "
            f"{r.get('cpu_s')} | {what} |"
        )
    path = write_result(
        "stream_pieces",
        {"baseline": base, "runs": rows, "command": "python bench/stream_pieces.py " + " ".join(argv or sys.argv[1:])},
    )
    print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
