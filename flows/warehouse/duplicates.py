"""Duplicate linking over the whole archive in DuckDB, so that its memory does not grow
with the archive.

`transforms.duplicates.find_duplicates` holds every article's MinHash and an in-memory LSH
index (~3.4 KB per article: 68 MiB at 20,000 articles, gigabytes at millions). Here the
same LSH bands (datasketch's choice for the threshold: 5 bands of 11 values for 64
permutations at 0.8) are keys of a DuckDB self-join that spills to disk past the memory
cap, and only the candidate pairs that pass the threshold come back to Python, where the
same greedy rule as `find_duplicates` picks each article's original:

- articles are ordered by publication date (undated last), then id; the first of each
  body fingerprint is an original, the others exact duplicates of it;
- an original is a near duplicate of the best earlier original (highest similarity, then
  earliest) that is not itself a near duplicate, among those sharing an LSH band;
- an exact copy of a near duplicate links to that one's original.

tests/flows/test_duplicates_sql.py checks that both give the same links.
"""

from __future__ import annotations

import functools

import duckdb

from transforms.duplicates import NEAR_THRESHOLD, NUM_PERM, Duplicate

# datasketch's choice at the run's threshold, written down so that a run need not import
# datasketch to learn it: its package imports scipy.integrate (measured ~0.6 CPU-s) to find
# (bands, rows) by numerical integration. tests/flows/test_duplicates.py checks it against datasketch.
_KNOWN_BANDS = {(NEAR_THRESHOLD, NUM_PERM): (5, 11)}


@functools.lru_cache(maxsize=4)
def lsh_bands(threshold: float = NEAR_THRESHOLD) -> tuple[int, int]:
    """(bands, rows per band) that datasketch's MinHashLSH uses for `threshold`."""
    if (known := _KNOWN_BANDS.get((threshold, NUM_PERM))) is not None:
        return known
    from datasketch import MinHashLSH

    lsh = MinHashLSH(threshold=threshold, num_perm=NUM_PERM)
    return lsh.b, lsh.r


def find_duplicates_sql(con: duckdb.DuckDBPyConnection, source: str, threshold: float = NEAR_THRESHOLD) -> list[Duplicate]:
    """Links for the articles of `source` (SQL yielding article_id, published_date,
    body_fingerprint, minhash), computed by `con`."""
    bands, rows = lsh_bands(threshold)
    con.execute(
        f"""
        create or replace temp table dup_articles as
        select row_number() over (order by published_date asc nulls last, article_id asc nulls last) as i,
               article_id, body_fingerprint, minhash
        from ({source})
        """
    )
    con.execute(
        """
        create or replace temp table dup_first as
        select body_fingerprint, min(i) as first from dup_articles group by body_fingerprint
        """
    )
    exact = con.execute(
        """
        select a.article_id, o.article_id
        from dup_articles a join dup_first f using (body_fingerprint) join dup_articles o on o.i = f.first
        where a.i <> f.first
        order by a.i
        """
    ).fetchall()
    near = con.execute(
        f"""
        with originals as (
            select a.i, a.article_id, a.minhash from dup_articles a join dup_first f on a.i = f.first
        ),
        keys as (
            select i, band, hash(list_slice(minhash, band * {rows} + 1, band * {rows} + {rows})) as key
            from originals, range({bands}) as b(band)
        ),
        candidates as (
            select distinct x.i as i, y.i as j from keys x join keys y on x.band = y.band and x.key = y.key and x.i < y.i
        )
        select c.i, c.j, x.article_id, y.article_id,
               list_sum(list_transform(range(1, {NUM_PERM} + 1), lambda k: (x.minhash[k] = y.minhash[k])::int)) / {NUM_PERM}.0 as similarity
        from candidates c join originals x on x.i = c.i join originals y on y.i = c.j
        where similarity >= {threshold}
        order by c.j, c.i
        """
    ).fetchall()
    con.execute("drop table dup_articles; drop table dup_first")
    return _settle(near, exact)


def _settle(near: list[tuple], exact: list[tuple[str, str]]) -> list[Duplicate]:
    # Pairs come sorted by j then i. Walking them in that order, every candidate i < j has
    # been settled (linked or not) before j's pairs start, as in find_duplicates' loop.
    linked: dict[int, tuple[str, float]] = {}
    ids: dict[int, str] = {}
    position = 0
    while position < len(near):
        j = near[position][1]
        choice: tuple[int, str, float] | None = None
        while position < len(near) and near[position][1] == j:
            i, _, id_i, id_j, similarity = near[position]
            ids[j] = id_j
            if i not in linked and (choice is None or (similarity, -i) > (choice[2], -choice[0])):
                choice = (i, id_i, similarity)
            position += 1
        if choice is not None:
            linked[j] = (choice[1], round(choice[2], 4))
    near_links = {ids[j]: target for j, target in linked.items()}
    duplicates = [Duplicate(dup, orig, "exact", 1.0) for dup, orig in exact]
    duplicates += [Duplicate(dup, target, "near", similarity) for dup, (target, similarity) in near_links.items()]
    resolved = []
    for d in duplicates:
        target = near_links.get(d.duplicate_of) if d.kind == "exact" else None
        resolved.append(Duplicate(d.article_id, target[0], "near", target[1]) if target else d)
    return resolved
