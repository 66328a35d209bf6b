"""Cross-article alias merges on a corpus: do the spellings of one entity come out as one
entity id, and do look-alikes stay apart?

    .venv/bin/python bench/alias_merges.py /tmp/transliterated [--warehouse DIR]
    .venv/bin/python bench/alias_merges.py /work/shared/corpora/bbc --warehouse DIR [--top 30]

CORPUS is a folder of article files. Unless `--warehouse DIR` already holds a news.duckdb,
`wirehouse run` ingests CORPUS into DIR (default: a new folder under /tmp). The corpus is
read in place, never copied.

- With CORPUS/expected_groups.json (/tmp/transliterated, written by bench/make_transliterated.py): for each group, the
  entity ids its spellings got (mentions in `entity_mentions` whose text is one of its
  aliases, whatever their label); a group is merged when they are one id. Pairs in
  `apart` must share no id. Reported with the ids of `entity_mentions` (what every mart
  counts) and after `entities_dim`'s merges.
- Without it (the BBC corpus): the top names that look like one entity under different
  ids: `top_entities` rows with the same name folded to ASCII and lower case, or a
  person's surname (so folded) shared with a one-word name or another person, listed
  by mentions. These are candidates to read, not
  errors: two Johnsons are two people.

Results: bench/results/alias_merges_<CORPUS name>.json.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
import unicodedata
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench._common import run_sampled, wirehouse_cmd, wirehouse_env, write_result  # noqa: E402


def fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def ensure_warehouse(corpus: Path, warehouse: Path | None, workers: int) -> tuple[Path, float | None]:
    """A warehouse of the corpus: the given one if it is built, else a fresh run."""
    if warehouse is not None and (warehouse / "news.duckdb").is_file():
        return warehouse, None
    warehouse = warehouse or Path(f"/tmp/alias-merges-{corpus.name}-{int(time.time())}")
    cmd = wirehouse_cmd(corpus, warehouse, workers)
    print("$ " + " ".join(cmd), flush=True)
    started = time.perf_counter()
    result = run_sampled(cmd, env=wirehouse_env(), cwd=ROOT, sample=False)
    elapsed = time.perf_counter() - started
    if result.returncode != 0 or not (warehouse / "news.duckdb").is_file():
        lines = [line for line in (result.stderr + result.stdout).splitlines() if line.strip() and "nanobind" not in line]
        print("\n".join(lines[-15:]), file=sys.stderr)
        raise SystemExit(f"alias_merges: wirehouse run failed ({result.returncode}); its last lines are above")
    return warehouse, elapsed


def expected_scores(con, expected: dict) -> dict:
    """Groups merged and pairs kept apart, on entity_mentions ids and after entities_dim."""
    rows = con.execute("select text, entity_id from entity_mentions").fetchall()
    dim = dict(con.execute("select unnest(merged_ids), entity_id from entities_dim").fetchall())
    ids_of: dict[str, set] = defaultdict(set)
    for text, eid in rows:
        ids_of[text].add(eid)

    def score(mapping) -> dict:
        group_ids, merged, split = {}, 0, []
        for g in expected["groups"]:
            ids = {mapping.get(i, i) for a in g["aliases"] for i in ids_of.get(a, ())}
            found = [a for a in g["aliases"] if a in ids_of]
            group_ids[g["canonical"]] = ids
            if len(ids) == 1:
                merged += 1
            else:
                split.append(
                    {
                        "canonical": g["canonical"],
                        "ids": len(ids),
                        "aliases found": found,
                        "aliases missing": sorted(set(g["aliases"]) - set(found)),
                    }
                )
        multi = [g for g in expected["groups"] if len(g["aliases"]) > 1]
        merged_multi = sum(len(group_ids[g["canonical"]]) == 1 for g in multi)
        joined = [
            f"{p['a']} / {p['b']}" for p in expected["apart"] if group_ids.get(p["a"], set()) & group_ids.get(p["b"], set())
        ]
        return {
            "groups one entity": merged,
            "groups": len(expected["groups"]),
            "multi-spelling groups one entity": merged_multi,
            "multi-spelling groups": len(multi),
            "pairs apart": len(expected["apart"]) - len(joined),
            "pairs": len(expected["apart"]),
            "split": split,
            "joined": joined,
        }

    return {"entity_mentions": score({}), "entities_dim": score(dim)}


def lookalikes(con, top: int) -> list[dict]:
    """top_entities rows that look like one entity under different ids, biggest first:
    the same name folded to ASCII and lower case (a label split, a diacritic), or a
    person's surname shared with a one-word name or another person (`Blair`, `Tony
    Blair`, `Cherie Blair`). Multi-word names of other labels are keyed by their whole
    name only, so `Bank of England` is not grouped with `England`."""
    rows = con.execute(
        "select entity_id, canonical_name, label, mentions from top_entities "
        "where label in ('PERSON', 'ORG', 'GPE', 'LOC', 'NORP') and mentions >= 2"
    ).fetchall()
    by_key: dict[str, dict] = {}
    for eid, name, label, mentions in rows:
        words = fold(name).replace("’s", "").replace("'s", "").split()
        if not words:
            continue
        key = words[-1] if (label == "PERSON" or len(words) == 1) else " ".join(words)
        by_key.setdefault(key, {})[eid] = {"entity_id": eid, "name": name, "label": label, "mentions": mentions}
    groups = [
        {
            "key": key,
            "ids": len(items),
            "mentions": sum(i["mentions"] for i in items.values()),
            "names": sorted(items.values(), key=lambda i: -i["mentions"]),
        }
        for key, items in by_key.items()
        if len(items) > 1
    ]
    return sorted(groups, key=lambda g: -g["mentions"])[:top]


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("corpus", type=Path)
    parser.add_argument("--warehouse", type=Path, default=None, help="read this warehouse (run into it if it has none)")
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--top", type=int, default=25, help="look-alike groups to list (corpora without expected groups)")
    args = parser.parse_args(argv)
    corpus = args.corpus.resolve()
    if not corpus.is_dir():
        print(f"alias_merges: {corpus} is not a folder; give a corpus folder", file=sys.stderr)
        return 2
    warehouse, run_s = ensure_warehouse(corpus, args.warehouse.resolve() if args.warehouse else None, args.workers)

    import duckdb

    con = duckdb.connect(str(warehouse / "news.duckdb"), read_only=True)
    payload: dict = {
        "corpus": str(corpus),
        "warehouse": str(warehouse),
        "run_s": run_s,
        "articles": con.execute("select count(*) from stg_articles").fetchone()[0],
    }
    expected_path = corpus / "expected_groups.json"
    print(f"corpus {corpus} ({payload['articles']} articles), warehouse {warehouse}")
    if expected_path.is_file():
        expected = json.loads(expected_path.read_text(encoding="utf-8"))
        payload["expected"] = expected_scores(con, expected)
        for source, s in payload["expected"].items():
            print(
                f"\nids from {source}: alias groups one entity {s['groups one entity']}/{s['groups']} "
                f"(with 2+ spellings: {s['multi-spelling groups one entity']}/{s['multi-spelling groups']}), "
                f"look-alike pairs apart {s['pairs apart']}/{s['pairs']}"
            )
            for sp in s["split"]:
                print(
                    f"  split  {sp['canonical']}: {sp['ids']} ids; found {', '.join(sp['aliases found'])}"
                    + (f"; never found {', '.join(sp['aliases missing'])}" if sp["aliases missing"] else "")
                )
            for j in s["joined"]:
                print(f"  joined {j}")
    else:
        payload["lookalikes"] = lookalikes(con, args.top)
        print(f"\ntop {args.top} names sharing a folded last word under different ids (top_entities):")
        for g in payload["lookalikes"]:
            names = "; ".join(f"{n['name']} [{n['label']}] {n['mentions']}" for n in g["names"][:6])
            print(f"  {g['key']:<14} {g['ids']:>3} ids {g['mentions']:>6} mentions: {names}")
    con.close()
    path = write_result(f"alias_merges_{corpus.name}", payload)
    print(f"\nwrote {path.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
