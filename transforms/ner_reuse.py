"""Which paragraphs of a batch the NER model must read, and where the others' spans come from.

The model reads a body paragraph by paragraph (`transforms.nlp.model_units`), and a
paragraph's spans depend on nothing but the exact text the model read and the `ner_key` of
the model and of the code that made its input. So a paragraph is read once: a later copy in
the batch (in the same article, another article, an exact duplicate) takes the first one's
spans, and, given `known` (a lookup over what earlier batches and runs stored:
flows/pipeline/ner_cache.py), a paragraph already in the store takes its stored spans.
Paragraphs are matched by the sha256 of the model's input (`Unit.sha256`).

Exact duplicate bodies are still found apart (`plan_copies`): a later copy in the batch
also shares the first copy's extraction when both have the same date.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass

# The model's (start, end, label) spans over a text (a body, or one of its paragraphs).
Spans = list[tuple[int, int, str]]
# (ner_key, paragraph hashes) → {hash: (spans within the paragraph, the article whose model
# run gave them)}: what an earlier batch or run already found (flows/pipeline/ner_cache.py).
KnownSpans = Callable[[str, list[str]], Mapping[str, tuple[Spans, str]]]


@dataclass(frozen=True)
class Unit:
    """A run of a body's sentences between paragraph breaks, as the model reads it: `text`
    is `body[start:start + len(text)]` recased (`transforms.nlp.model_units`), `sha256` the
    key of its spans."""

    start: int
    text: str
    sha256: str


def body_sha256(body: str) -> str:
    """The hash of a body's exact clean text (`body_fingerprint` forgives case and spacing)."""
    return hashlib.sha256(body.encode("utf-8", "surrogatepass")).hexdigest()


def plan_copies(bodies: list[str]) -> dict[int, int]:
    """Each later copy of a body in `bodies` → the index of its first copy."""
    first: dict[str, int] = {}
    return {i: j for i, body in enumerate(bodies) if (j := first.setdefault(body, i)) != i}


@dataclass(frozen=True)
class UnitPlan:
    """For the distinct paragraphs of a batch (by hash): the texts the model must read,
    with the article whose model run they are; and the stored (spans, ner_from) of the others."""

    to_run: dict[str, tuple[str, str]]  # hash → (text, article id)
    stored: dict[str, tuple[Spans, str]]


def plan_units(units: list[tuple[str, list[Unit]]], key: str, known: KnownSpans | None = None) -> UnitPlan:
    """What the model must read of the paragraphs of `units` ((article id, its units), in
    batch order) under `key`: each distinct paragraph not stored, once, for the first
    article it occurs in."""
    first: dict[str, tuple[str, str]] = {}
    for article, per_article in units:
        for unit in per_article:
            first.setdefault(unit.sha256, (unit.text, article))
    found = known(key, sorted(first)) if known and first else {}
    stored = {h: (list(found[h][0]), found[h][1]) for h in first if h in found}
    return UnitPlan({h: v for h, v in first.items() if h not in stored}, stored)
