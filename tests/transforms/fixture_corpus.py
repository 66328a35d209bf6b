"""The fixture corpus (tests/fixtures/raw + expected.json) through `prepare()`, field by field.

Shared by tests/transforms/test_fixtures.py and bench/fixture_accuracy.py. Each expected
entry is turned into the same shape as what the pipeline produced, so a test can compare
whole dicts and a report can count matches per field.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from transforms.article import Prepared, RawDocument, Reject, prepare

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
RAW = FIXTURES / "raw"
# A fixed "today", so that the future-date check does not depend on when the tests run.
TODAY = dt.date(2026, 1, 1)

FIELDS = (
    "title",
    "authors",
    "source",
    "published_date",
    "date_source",
    "dateline_place",
    "dateline_source",
    "language",
    "first_sentence",
    "removed",
    "contains",
    "reject",
)
# Fields that only mean something for an article that was kept.
ARTICLE_FIELDS = tuple(f for f in FIELDS if f != "reject")


def expected() -> dict[str, dict]:
    return json.loads((FIXTURES / "expected.json").read_text(encoding="utf-8"))


def fixture_paths() -> list[Path]:
    return sorted(p for p in RAW.rglob("*") if p.is_file())


def _key(doc_key: str, record: int | None) -> str:
    return doc_key if record is None else f"{doc_key}#{record}"


def _squash(text: str) -> str:
    return " ".join(text.split())


def run_file(path: Path) -> dict[str, Prepared | Reject]:
    """`prepare()` over one fixture file: fixture key → the article or reject it gave."""
    rel = path.relative_to(RAW).as_posix()
    prepared, rejects = prepare(RawDocument.from_bytes(path.read_bytes(), rel), today=TODAY)
    out: dict[str, Prepared | Reject] = {}
    for item in [*prepared, *rejects]:
        out[_key(rel, item.source_record if isinstance(item, Reject) else item.record)] = item
    return out


def run_corpus() -> dict[str, Prepared | Reject]:
    results: dict[str, Prepared | Reject] = {}
    for path in fixture_paths():
        results.update(run_file(path))
    return results


def actual_fields(result: Prepared | Reject | None, want: dict) -> dict:
    """What the pipeline produced, in the shape of an expected.json entry.

    `removed` and `contains` are checked rather than copied: `removed` lists the expected
    junk that is both in removed_lines (an exact line for text files, a snippet of a
    removed line for HTML pages) and absent from the body; `contains` lists the expected
    substrings found in the body (whitespace collapsed). Either equals the expected list
    when all is well.
    """
    if result is None:
        return {name: "<missing>" for name in FIELDS}
    if isinstance(result, Reject):
        removed_texts = [r.text for r in getattr(result, "removed", [])]
        return {
            **{name: None for name in ARTICLE_FIELDS},  # a reject has none (compared only when an article was expected)
            "removed": [line for line in want["removed"] if line in removed_texts],
            "reject": result.reason,
        }
    h = result.header
    body = _squash(result.body)
    is_html = result.source_format.startswith("html")
    removed_texts = [r.text for r in result.removed]

    def was_removed(line: str) -> bool:
        found = line in removed_texts or (is_html and any(line in text for text in removed_texts))
        return found and _squash(line) not in body

    first = result.body[slice(*result.sentences[0])] if result.sentences else None
    return {
        "title": h.title,
        "authors": h.authors,
        "source": h.source,
        "published_date": h.published_date.isoformat() if h.published_date else None,
        "date_source": h.date_source,
        "dateline_place": result.dateline_place,
        "dateline_source": result.dateline_source,
        "language": h.language,
        "first_sentence": first,
        "removed": [line for line in want["removed"] if was_removed(line)],
        "contains": [s for s in want["contains"] if _squash(s) in body],
        "reject": None,
    }


def compare(results: dict[str, Prepared | Reject]) -> dict[str, tuple[dict, dict]]:
    """Fixture key → (actual, expected), over every expected key and every produced one."""
    want = expected()
    pairs = {}
    for key in sorted(set(want) | set(results)):
        exp = want.get(key)
        if exp is None:  # produced, but no expectation: always a mismatch
            pairs[key] = ({"unexpected": True}, {})
            continue
        pairs[key] = (actual_fields(results.get(key), exp), exp)
    return pairs


def field_applies(name: str, exp: dict) -> bool:
    """Whether a field counts for an entry: article fields only for kept articles,
    `removed`/`contains` only where something is expected."""
    if not exp:
        return True
    if name == "reject":
        return True
    if name == "removed":
        return bool(exp["removed"])
    if exp["reject"] is not None:
        return False
    if name == "contains":
        return bool(exp["contains"])
    return True


def accuracy(pairs: dict[str, tuple[dict, dict]]) -> dict[str, tuple[int, int]]:
    """Field → (correct, counted), over the expected entries (see `unexpected`)."""
    table = {name: [0, 0] for name in FIELDS}
    for actual, exp in pairs.values():
        if not exp:
            continue
        for name in FIELDS:
            if not field_applies(name, exp):
                continue
            table[name][1] += 1
            table[name][0] += int(actual.get(name) == exp[name])
    return {name: (ok, n) for name, (ok, n) in table.items()}


def unexpected(pairs: dict[str, tuple[dict, dict]]) -> list[str]:
    """Keys the pipeline produced that expected.json does not have (e.g. a whole JSON Lines
    file rejected under its own name instead of one entry per line)."""
    return [key for key, (_, exp) in pairs.items() if not exp]
