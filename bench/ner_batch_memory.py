"""What a worker's peak memory is made of: wirehouse's NER pipeline over the longest
articles of a corpus, at several `nlp.pipe` batch sizes, and `process_documents` on the
same files (the memory profile behind benchmark 4).

    .venv/bin/python bench/ner_batch_memory.py /tmp/bbc20k [--files 200] [--batch-sizes 64,16,8]

The files are the corpus's `--files` largest (what the last batch of a size-sorted run
holds). Each measurement runs in a fresh subprocess (so one's memory does not hide the
next's): load `transforms.nlp.load_pipeline`, warm up on two texts, then sample RSS every
50 ms while the bodies (the text after the title line) go through `nlp.pipe`; reported:
the peak RSS above the warmed-up process, and the CPU seconds. Last, one
`transforms.batch.process_documents` over the same files (what `process_batch` runs).
Writes bench/results/ner_batch_memory_<corpus folder name>.json.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from _common import MODEL, corpus_files, print_table, write_result  # noqa: E402

_CHILD = r"""
import gc, json, sys, threading, time
sys.path.insert(0, ROOT); sys.path.insert(0, ROOT + "/bench")
import psutil
from pathlib import Path
from transforms.nlp import load_pipeline
paths = [Path(p) for p in json.loads(sys.argv[1])]
mode, bs = sys.argv[2], int(sys.argv[3])
nlp = load_pipeline(MODEL)
proc = psutil.Process()
if mode == "pipe":
    texts = [p.read_bytes().decode("utf-8", "replace").partition("\n")[2] for p in paths]
    list(nlp.pipe(texts[:2]))
else:
    from transforms.article import RawDocument
    from transforms.batch import process_documents
    docs = [RawDocument.from_bytes(p.read_bytes(), p.name) for p in paths]
    process_documents(docs[:2], nlp)
gc.collect()
base = peak = proc.memory_info().rss
stop = False
def sample():
    global peak
    while not stop:
        peak = max(peak, proc.memory_info().rss)
        time.sleep(0.05)
t = threading.Thread(target=sample); t.start()
c0 = time.process_time()
if mode == "pipe":
    n = sum(len(d.ents) for d in nlp.pipe(texts, batch_size=bs))
else:
    n = process_documents(docs, nlp)["entities"].num_rows
cpu = time.process_time() - c0
stop = True; t.join()
print(json.dumps({"base_mib": base / 2**20, "peak_mib": peak / 2**20, "delta_mib": (peak - base) / 2**20, "cpu_s": cpu, "entities": n}))
"""


def measure(paths: list[Path], mode: str, batch_size: int, model: str) -> dict:
    code = _CHILD.replace("ROOT", repr(str(ROOT))).replace("MODEL", repr(model))
    out = subprocess.run(
        [sys.executable, "-c", code, json.dumps([str(p) for p in paths]), mode, str(batch_size)],
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("corpus", type=Path)
    parser.add_argument("--files", type=int, default=200)
    parser.add_argument("--batch-sizes", default="64,16,8")
    parser.add_argument("--workers", type=int, default=1, help="ignored: one process at a time")
    parser.add_argument("--model", default=MODEL)
    args = parser.parse_args(argv)
    corpus = args.corpus.resolve()
    files = [p for p in corpus_files(corpus) if p.parent != corpus]
    largest = sorted(files, key=lambda p: (p.stat().st_size, p.as_posix()))[-args.files :]
    total = sum(p.stat().st_size for p in largest)
    print(
        f"{len(largest)} largest files of {corpus}: {total / 2**20:.2f} MiB, "
        f"{min(p.stat().st_size for p in largest):,}–{max(p.stat().st_size for p in largest):,} bytes",
        flush=True,
    )
    rows, results = [], {}
    for bs in [int(b) for b in args.batch_sizes.split(",")]:
        r = measure(largest, "pipe", bs, args.model)
        results[f"nlp.pipe batch_size={bs}"] = r
        rows.append([f"nlp.pipe(bodies, batch_size={bs})", round(r["delta_mib"]), round(r["base_mib"]), round(r["cpu_s"], 1)])
        print(f"  batch_size={bs}: +{r['delta_mib']:.0f} MiB, {r['cpu_s']:.1f} CPU s", flush=True)
    r = measure(largest, "process_documents", 0, args.model)
    results["process_documents"] = r
    rows.append(["process_documents (as process_batch)", round(r["delta_mib"]), round(r["base_mib"]), round(r["cpu_s"], 1)])
    print()
    print_table(rows, ["what", "peak above warm process MiB", "warm process MiB", "CPU s"])
    path = write_result(
        f"ner_batch_memory_{corpus.name}",
        {
            "corpus": str(corpus),
            "files": len(largest),
            "bytes": total,
            "results": results,
            "command": "python bench/ner_batch_memory.py " + " ".join(argv if argv is not None else sys.argv[1:]),
        },
    )
    print(f"\nwrote {path.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
