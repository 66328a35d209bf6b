"""Which bodies of a batch the NER model must read, and where the others' spans come from.

An exact duplicate (the same clean text in two files) goes through the model once: a
later copy in the batch takes the first copy's spans, and, given `known` (a lookup over
what earlier batches and runs stored: flows/pipeline/ner_cache.py), a body already in the store
takes its stored spans. Spans are offsets into the exact clean text, so bodies are
matched by the sha256 of that text, under the `ner_key` of the model and the code that
made the model's input.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass

# The model's (start, end, label) spans over a body.
Spans = list[tuple[int, int, str]]
# (ner_key, body hashes) → {body hash: (spans, the article whose model run gave them)}:
# what an earlier batch or run already found in these bodies (flows/pipeline/ner_cache.py).
KnownSpans = Callable[[str, list[str]], Mapping[str, tuple[Spans, str]]]


def body_sha256(body: str) -> str:
    """The hash under which a body's model spans are stored: of the exact clean text, as
    spans are offsets into it (`body_fingerprint` forgives case and spacing)."""
    return hashlib.sha256(body.encode("utf-8", "surrogatepass")).hexdigest()


@dataclass(frozen=True)
class ReusePlan:
    """For a batch's bodies, by their index: the distinct bodies the model must read, the
    stored (spans, ner_from) of those it need not, and each later copy's first copy."""

    to_run: list[int]
    stored: dict[int, tuple[Spans, str]]
    copy_of: dict[int, int]

    @property
    def distinct(self) -> list[int]:
        """The first copy of each body, in batch order."""
        return sorted([*self.to_run, *self.stored])


def plan_reuse(bodies: list[str], key: str, known: KnownSpans | None = None) -> ReusePlan:
    """What the model must read of `bodies` under `key`, and what it is spared."""
    first: dict[str, int] = {}
    copy_of: dict[int, int] = {}
    for i, body in enumerate(bodies):
        if (j := first.setdefault(body, i)) != i:
            copy_of[i] = j
    hashes = {i: body_sha256(bodies[i]) for i in first.values()}
    found = known(key, sorted(set(hashes.values()))) if known else {}
    stored = {i: (list(found[h][0]), found[h][1]) for i, h in hashes.items() if h in found}
    return ReusePlan([i for i in hashes if i not in stored], stored, copy_of)
