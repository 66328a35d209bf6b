"""What two versions of the archive-level identity step decide on the same warehouse: the
merged groups of each, the joins only one makes (by rule, with the names, to judge by eye),
and each one's CPU seconds. The per-article extraction is the warehouse's, so only the
identity rules differ.

    .venv/bin/python bench/identity_diff.py WAREHOUSE --base /tmp/main-export [--this .] [--list 80] [--name NAME]

`--base`/`--this` are source trees (a `git archive` export of main, a worktree): each decides in
a fresh process started in that tree (its own `flows`/`transforms` imported), over the
warehouse's `stg_entities` and `stg_articles` (opened read-only), with the identity step's
memory cap and threads. The gazetteer is loaded before the clock starts (a run's process has
it already). Writes bench/results/identity_diff.json (`--name`: another file).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import ROOT, write_result  # noqa: E402

CHILD = r"""
import json, sys, time
import duckdb
from flows import settings
from flows.warehouse.identity import decide_identity
from transforms.places import gazetteer
from transforms.reference import DEFAULT_REFERENCE
warehouse, out = sys.argv[1], sys.argv[2]
gazetteer()
con = duckdb.connect(config={"memory_limit": settings.identity_memory(), "threads": settings.identity_threads()})
con.execute(f"attach '{warehouse}/news.duckdb' as wh (read_only)")
con.execute("create table ents as select * from wh.stg_entities")
con.execute("create table arts as select article_id, source, published_date from wh.stg_articles")
names = {e: [n, label, m] for e, n, label, m in con.execute(
    "select entity_id, min(canonical_name), min(label), count(*) from ents group by 1").fetchall()}
started = time.process_time()
table = decide_identity(con, "select * from ents", "select * from arts", DEFAULT_REFERENCE, "diff").read_all()
cpu = time.process_time() - started
decisions = {e: [r, rule] for e, r, rule in zip(
    table["entity_id"].to_pylist(), table["resolved_id"].to_pylist(), table["rule"].to_pylist())}
json.dump({"cpu_s": cpu, "names": names, "decisions": decisions}, open(out, "w"))
"""


def decide(tree: Path, warehouse: Path) -> dict:
    with tempfile.NamedTemporaryFile(suffix=".json") as out:
        subprocess.run([sys.executable, "-c", CHILD, str(warehouse), out.name], cwd=tree, check=True)
        return json.loads(Path(out.name).read_text())


def groups(decisions: dict) -> set[frozenset[str]]:
    by_root: dict[str, set[str]] = defaultdict(set)
    for eid, (root, _rule) in decisions.items():
        by_root[root].add(eid)
    return {frozenset(ids) for ids in by_root.values() if len(ids) > 1}


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("warehouse", type=Path)
    parser.add_argument("--base", type=Path, required=True, help="source tree of the version to compare against")
    parser.add_argument("--this", type=Path, default=ROOT, help="source tree of this version (default: this repo)")
    parser.add_argument("--list", type=int, default=80, help="new joins to list")
    parser.add_argument("--name", default="identity_diff")
    args = parser.parse_args(argv)
    base, this = decide(args.base.resolve(), args.warehouse.resolve()), decide(args.this.resolve(), args.warehouse.resolve())
    names = this["names"]
    base_root = {e: r for e, (r, _) in base["decisions"].items()}
    gb, gt = groups(base["decisions"]), groups(this["decisions"])
    joined = [g for g in gt if len({base_root[e] for e in g}) > 1]
    split = [g for g in gb if not any(g <= h for h in gt)]
    by_rule: dict[str, int] = defaultdict(int)
    for eid, (root, rule) in this["decisions"].items():
        if root != eid and base_root[eid] != base_root[root]:
            by_rule[rule] += 1

    def show(g: frozenset[str]) -> list[list[str]]:
        parts: dict[str, list[str]] = defaultdict(list)
        for e in sorted(g):
            n, label, m = names[e]
            parts[base_root[e]].append(f"{n} [{label}] {m} ({this['decisions'][e][1]})")
        return sorted(parts.values())

    joined.sort(key=lambda g: (-sum(names[e][2] for e in g), sorted(g)))
    result = {
        "warehouse": str(args.warehouse),
        "entities": len(this["decisions"]),
        "merged_ids": {
            "base": sum(r != e for e, (r, _) in base["decisions"].items()),
            "this": sum(r != e for e, (r, _) in this["decisions"].items()),
        },
        "merged_groups": {"base": len(gb), "this": len(gt)},
        "groups_with_a_new_join": len(joined),
        "new_joins_by_rule": dict(sorted(by_rule.items())),
        "base_groups_split": [show(g) for g in split],
        "cpu_s": {"base": round(base["cpu_s"], 3), "this": round(this["cpu_s"], 3)},
        "new_joins": [show(g) for g in joined],
    }
    print(f"{args.warehouse}: {result['entities']} entity ids")
    print(f"merged groups: base {len(gb)}, this {len(gt)}; groups with a new join {len(joined)}; base groups split {len(split)}")
    print(f"new joins by rule: {result['new_joins_by_rule']}")
    print(f"identity step CPU-s: base {result['cpu_s']['base']}, this {result['cpu_s']['this']}")
    for g in split:
        print("  split:", " | ".join("; ".join(p) for p in show(g)))
    for g in joined[: args.list]:
        print("  +", " | ".join("; ".join(p) for p in show(g)))
    write_result(args.name, result)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
