"""Make a larger corpus for the memory benchmark by repeating a corpus's article files
with small edits, so that no two files are byte-identical (nor their bodies).

    .venv/bin/python bench/make_corpus.py ../shared/corpora/bbc --out /tmp/bbc20k [--copies 9]

Copy k of each article (k = 0 … copies-1) goes to OUT/copy<k>/<its relative path>, with:
numbers changed (each run of digits gets a deterministic offset), the body's paragraphs
after the first shuffled, and a few common first names swapped for others; the title line
stays first. Deterministic: the same arguments give the same files. Only files inside
sub-folders are copied (a corpus's top-level README is not an article). The output is
for benchmarks only: keep it under /tmp, never in the repository.
"""

from __future__ import annotations

import argparse
import random
import re
import shutil
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import corpus_files, read_text  # noqa: E402

_DIGITS = re.compile(r"\d+")
_NAMES = ["John", "David", "Michael", "Tony", "Gordon", "Peter", "Mark", "Paul", "James", "Robert", "Steve", "Chris"]
_NAME_RE = re.compile(r"\b(" + "|".join(_NAMES) + r")\b")


def edit(text: str, rng: random.Random) -> str:
    title, _, body = text.partition("\n")
    offset = rng.randint(1, 9)
    bump = lambda m: str(int(m.group()) + offset) if len(m.group()) < 12 else m.group()  # noqa: E731
    rename = {n: rng.choice(_NAMES) for n in _NAMES}
    paragraphs = [p for p in re.split(r"\n\s*\n", body.strip()) if p.strip()]
    if len(paragraphs) > 2:
        rest = paragraphs[1:]
        rng.shuffle(rest)
        paragraphs = paragraphs[:1] + rest
    body = "\n\n".join(paragraphs)
    body = _NAME_RE.sub(lambda m: rename[m.group()], _DIGITS.sub(bump, body))
    return f"{_DIGITS.sub(bump, title)}\n\n{body}\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("corpus", type=Path, help="source corpus folder (e.g. ../shared/corpora/bbc)")
    parser.add_argument("--out", type=Path, default=Path("/tmp/bbc20k"))
    parser.add_argument("--copies", type=int, default=9, help="edited copies of each article (9 × 2,225 = 20,025)")
    parser.add_argument("--seed", type=int, default=20261121)
    args = parser.parse_args(argv)
    src = args.corpus.resolve()
    out = args.out.resolve()
    if out == src or src in out.parents or out in src.parents or str(out).startswith(str(Path(__file__).resolve().parent.parent)):
        parser.error("--out must be outside the source corpus and the repository (use /tmp/...)")
    files = [p for p in corpus_files(src) if p.parent != src]
    if out.exists():
        shutil.rmtree(out)
    t0 = time.perf_counter()
    seen: set[int] = set()
    n = 0
    for k in range(args.copies):
        for path in files:
            rel = path.relative_to(src)
            rng = random.Random(f"{args.seed}:{k}:{rel.as_posix()}")
            text = edit(read_text(path), rng)
            h = hash(text)
            tries = 0
            while h in seen:  # the corpus repeats some articles, and one with no digits may come out the same
                text = edit(text, rng) if tries < 3 else text.rstrip("\n") + f" (Updated {rng.randint(1, 10**6)}.)\n"
                h, tries = hash(text), tries + 1
            seen.add(h)
            target = out / f"copy{k}" / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8")
            n += 1
    # Old enough that wirehouse's "still being written" check (1 s) never skips a file.
    time.sleep(1.1)
    print(f"wrote {n} files ({len(seen)} distinct) to {out} in {time.perf_counter() - t0:.1f}s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
