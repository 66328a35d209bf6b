"""Exact and near-duplicate articles (syndicated wire copy with small edits).

Each article gets a fingerprint of its normalized body (exact duplicates share it) and a
MinHash signature of its word 5-shingles (datasketch); `find_duplicates` links every
duplicate to the article it copies. MinHash with LSH finds pairs whose estimated Jaccard
similarity passes a threshold without comparing every pair.

`find_duplicates` holds everything in memory: it is the reference for the rule, and the
run links the whole archive with `flows.warehouse.duplicates`, which does the same in DuckDB
within a memory cap (tests/flows/test_duplicates_sql.py compares the two).
"""

from __future__ import annotations

import functools
import hashlib
import re
import zlib
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

NUM_PERM = 64
SHINGLE = 5
NEAR_THRESHOLD = 0.8
_WORD = re.compile(r"\w+")


def normalized_words(body: str) -> list[str]:
    return _WORD.findall(body.casefold())


def body_fingerprint(body: str) -> str:
    """Same for two bodies that differ only in case, punctuation and spacing."""
    return hashlib.sha256(" ".join(normalized_words(body)).encode()).hexdigest()[:32]


@functools.lru_cache(maxsize=8)
def _permutations(num_perm: int = NUM_PERM, seed: int = 1) -> tuple[np.ndarray, np.ndarray]:
    """The (a, b) of datasketch's affine32 permutations, drawn as `MinHash(num_perm, seed)`
    draws them. Seed 1 (datasketch's default): signatures from any process and any run compare."""
    gen = np.random.RandomState(seed)
    a = gen.randint(0, 1 << 31, num_perm, dtype=np.uint32) * np.uint32(2) + np.uint32(1)
    b = gen.randint(0, 1 << 32, num_perm, dtype=np.uint32)
    return a, b


def _fmix32(hv: np.ndarray) -> np.ndarray:
    """MurmurHash3's 32-bit finalizer, as datasketch's affine32 scheme pre-mixes each hash."""
    hv = hv ^ (hv >> np.uint32(16))
    hv = hv * np.uint32(0x85EBCA6B)
    hv = hv ^ (hv >> np.uint32(13))
    hv = hv * np.uint32(0xC2B2AE35)
    return hv ^ (hv >> np.uint32(16))


def minhash_signature(body: str, num_perm: int = NUM_PERM, seed: int = 1) -> list[int]:
    """MinHash of the body's word 5-shingles: datasketch's `MinHash(num_perm, seed,
    hashfunc=zlib.crc32, scheme="affine32")` value for value (tests/transforms/test_duplicates.py
    compares them), computed here so that a worker need not import datasketch: its package
    imports its LSH and with it scipy.integrate, measured ~0.6 CPU-s of every worker's start-up.
    crc32 instead of datasketch's default sha1: measured 1.04 → 0.66 ms per BBC article."""
    words = normalized_words(body)
    shingles = [" ".join(words[i : i + SHINGLE]).encode() for i in range(max(1, len(words) - SHINGLE + 1))]
    a, b = _permutations(num_perm, seed)
    hashes = np.fromiter(map(zlib.crc32, shingles), dtype=np.uint32, count=len(shingles)).reshape(-1, 1)
    return (_fmix32(hashes) * a + b).min(axis=0).tolist()


@dataclass(frozen=True)
class Duplicate:
    article_id: str
    duplicate_of: str
    kind: str  # "exact" or "near"
    similarity: float  # estimated Jaccard similarity of the bodies' 5-shingles (1.0 for exact)


def find_duplicates(
    article_ids: Sequence[str],
    fingerprints: Sequence[str],
    signatures: Sequence[Sequence[int]],
    threshold: float = NEAR_THRESHOLD,
) -> list[Duplicate]:
    """Link each duplicate to the first article (in the given order) of its group. Callers
    order the articles so that the original comes first (e.g. by publication date)."""
    from datasketch import MinHash, MinHashLSH  # here: a worker computing signatures never imports it

    duplicates: list[Duplicate] = []
    first_of: dict[str, int] = {}
    originals: list[int] = []
    for i, fp in enumerate(fingerprints):
        if fp in first_of:
            duplicates.append(Duplicate(article_ids[i], article_ids[first_of[fp]], "exact", 1.0))
        else:
            first_of[fp] = i
            originals.append(i)
    lsh = MinHashLSH(threshold=threshold, num_perm=NUM_PERM)
    sketches: dict[int, MinHash] = {}
    for i in originals:
        sketch = MinHash(hashvalues=np.asarray(signatures[i], dtype=np.uint64), scheme="affine32")
        sketches[i] = sketch
        matches = [int(key) for key in lsh.query(sketch)]
        best = None
        for j in matches:
            similarity = sketch.jaccard(sketches[j])
            if similarity >= threshold and (best is None or (similarity, -j) > (best[1], -best[0])):
                best = (j, similarity)
        if best is None:
            lsh.insert(str(i), sketch)
        else:
            # Link to the group's original: the matched article is one (only originals are indexed).
            duplicates.append(Duplicate(article_ids[i], article_ids[best[0]], "near", round(best[1], 4)))
    # An exact copy of a near duplicate links to that one's original, with its similarity.
    links = {d.article_id: d for d in duplicates}
    resolved = []
    for d in duplicates:
        target = links.get(d.duplicate_of)
        resolved.append(Duplicate(d.article_id, target.duplicate_of, "near", target.similarity) if target else d)
    return resolved
