"""What a run reports: `RunSummary`, the counts it is made of, and its Markdown artifact."""

from __future__ import annotations

import collections
from dataclasses import dataclass, field

from flows.store import storage


@dataclass
class RunSummary:
    run_id: str
    input_dir: str
    warehouse_dir: str
    database: str
    files_seen: int
    articles: int
    sentences: int
    entities: int
    rejects: int
    files_new: int = 0
    files_changed: int = 0
    files_unchanged: int = 0
    files_deleted: int = 0
    files_skipped: int = 0
    skipped: list[tuple[str, str]] = field(default_factory=list)
    processed_articles: int = 0
    processed_rejects: int = 0
    # Processed articles the model read no paragraph of: each paragraph it had read before.
    ner_spared: int = 0
    reject_reasons: dict[str, int] = field(default_factory=dict)
    duration_s: float = 0.0
    model: str = ""
    workers: int = 1
    # Nothing was new, changed or deleted and the database was current: the run wrote
    # nothing, and `run_id` is the last run that changed the warehouse.
    up_to_date: bool = False
    # Damage found and repaired by the run, and what could not be (flows/store/integrity.py).
    repaired: list[str] = field(default_factory=list)
    unrepairable: list[str] = field(default_factory=list)


def reject_reasons(store: storage.ParquetStore, rejects_parts: list[str]) -> dict[str, int]:
    reasons: collections.Counter = collections.Counter()
    for rel in rejects_parts:
        reasons.update(store.read_table(rel, columns=["reason"])["reason"].to_pylist())
    return dict(sorted(reasons.items()))


def row_counts(store: storage.ParquetStore, parts: dict[str, list[str]], tables: tuple[str, ...]) -> list[int]:
    """Rows in the snapshot's parts, from the Parquet footers (no data read)."""
    return [sum(store.num_rows(p) for p in parts[t]) for t in tables]


def summary_markdown(summary: RunSummary) -> str:
    rows = [
        ("files seen", summary.files_seen),
        (
            "new / changed / unchanged / deleted",
            f"{summary.files_new} / {summary.files_changed} / {summary.files_unchanged} / {summary.files_deleted}",
        ),
        ("articles", summary.articles),
        ("sentences", summary.sentences),
        ("entities", summary.entities),
        ("rejects", summary.rejects),
        ("skipped (tried again next run)", summary.files_skipped),
        ("articles spared NER (every paragraph read before)", summary.ner_spared),
        *((f"rejected: {reason}", n) for reason, n in summary.reject_reasons.items()),
        ("workers", summary.workers),
        ("duration (s)", summary.duration_s),
    ]
    title = (
        f"# wirehouse run {summary.run_id}" if not summary.up_to_date else f"# wirehouse: up to date since run {summary.run_id}"
    )
    lines = [title, "", "| what | count |", "|---|---:|"]
    lines += [f"| {what} | {n} |" for what, n in rows]
    return "\n".join(lines)
