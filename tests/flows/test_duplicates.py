"""Duplicate linking in DuckDB gives the links of the in-memory `find_duplicates`."""

from __future__ import annotations

import datetime as dt
import random

import duckdb
import pyarrow as pa
import pytest
from datasketch import MinHashLSH

from flows.warehouse.duplicates import find_duplicates_sql, lsh_bands
from tests.conftest import SEED_AFP, SEED_MARKER
from transforms.duplicates import NEAR_THRESHOLD, NUM_PERM, body_fingerprint, find_duplicates, minhash_signature


def _articles(seed: int, n_stories: int = 40) -> pa.Table:
    """Stories with exact copies, near copies (a few words changed), copies of near copies,
    undated articles and equal dates, in a shuffled order."""
    rng = random.Random(seed)
    words = (SEED_AFP.read_text() + " " + SEED_MARKER.read_text()).split()
    rows = []
    for s in range(n_stories):
        start = rng.randrange(len(words) - 200)
        body = " ".join(words[start : start + 150]) + f" story {s}"
        versions = [body]
        for _ in range(rng.randrange(4)):
            edited = body.split()
            for _ in range(rng.randrange(1, 6)):
                edited[rng.randrange(len(edited))] = rng.choice(["alpha", "beta", "gamma", "delta"])
            versions.append(" ".join(edited))
        versions += [rng.choice(versions) for _ in range(rng.randrange(3))]  # exact copies
        for v, text in enumerate(versions):
            date = None if rng.random() < 0.2 else dt.date(2022, 1, 1) + dt.timedelta(days=rng.randrange(5))
            rows.append((f"{s:03d}-{v}-{rng.randrange(10**6):06d}", date, body_fingerprint(text), minhash_signature(text)))
    rng.shuffle(rows)
    return pa.table(
        {
            "article_id": [r[0] for r in rows],
            "published_date": pa.array([r[1] for r in rows], pa.date32()),
            "body_fingerprint": [r[2] for r in rows],
            "minhash": pa.array([r[3] for r in rows], pa.list_(pa.uint32())),
        }
    )


def _in_memory(table: pa.Table):
    ordered = table.sort_by([("published_date", "ascending", "at_end"), ("article_id", "ascending", "at_end")])
    return find_duplicates(
        ordered["article_id"].to_pylist(), ordered["body_fingerprint"].to_pylist(), ordered["minhash"].to_pylist()
    )


@pytest.mark.parametrize("seed", range(6))
def test_the_same_links_as_the_in_memory_lsh(seed):
    table = _articles(seed)
    expected = sorted(_in_memory(table), key=repr)
    con = duckdb.connect()
    con.register("articles", table)
    got = sorted(find_duplicates_sql(con, "select * from articles"), key=repr)
    assert got == expected
    kinds = {d.kind for d in expected}
    assert kinds == {"exact", "near"}  # the data exercises both, and copies of near copies
    assert any(d.kind == "near" and d.similarity < 1.0 for d in expected)


def test_no_articles_and_the_lsh_parameters():
    con = duckdb.connect()
    con.register("articles", _articles(0).slice(0, 0))
    assert find_duplicates_sql(con, "select * from articles") == []
    assert lsh_bands() == (5, 11) and 5 * 11 <= NUM_PERM


@pytest.mark.parametrize("threshold", [NEAR_THRESHOLD, 0.5, 0.9])
def test_bands_are_datasketchs_choice(threshold):
    lsh = MinHashLSH(threshold=threshold, num_perm=NUM_PERM)
    lsh_bands.cache_clear()
    assert lsh_bands(threshold) == (lsh.b, lsh.r)
