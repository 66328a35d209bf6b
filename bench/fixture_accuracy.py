"""Per-field accuracy of `transforms.article.prepare()` on the fixture corpus.

    .venv/bin/python bench/fixture_accuracy.py          # the table
    .venv/bin/python bench/fixture_accuracy.py -v       # and every mismatch

Reads tests/fixtures/raw and tests/fixtures/expected.json; see tests/fixtures/README.md
for what each field means and which entries count for it.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.transforms.fixture_corpus import (  # noqa: E402
    FIELDS,
    accuracy,
    compare,
    field_applies,
    run_corpus,
    unexpected,
)


def main(argv: list[str]) -> int:
    started = time.perf_counter()
    pairs = compare(run_corpus())
    elapsed = time.perf_counter() - started
    table = accuracy(pairs)
    print(f"{'field':<16} {'correct':>7} / {'of':<3}  accuracy")
    for name in FIELDS:
        ok, n = table[name]
        print(f"{name:<16} {ok:>7} / {n:<3}  {ok / n:6.1%}" if n else f"{name:<16}       - / 0")
    expected = {k: (a, e) for k, (a, e) in pairs.items() if e}
    whole = sum(all(a.get(f) == e[f] for f in FIELDS if field_applies(f, e)) for a, e in expected.values())
    print(f"\nentries entirely right: {whole} / {len(expected)}   ({elapsed:.1f} s)")
    extra = unexpected(pairs)
    print(f"unexpected outputs: {len(extra)}" + (f" ({', '.join(extra)})" if extra else ""))
    if "-v" in argv:
        for key, (actual, exp) in pairs.items():
            for name in FIELDS:
                if field_applies(name, exp) and (not exp or actual.get(name) != exp[name]):
                    print(f"\n{key} [{name}]\n  expected: {exp.get(name)!r}\n  actual:   {actual.get(name)!r}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
