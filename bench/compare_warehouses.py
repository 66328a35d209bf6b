"""Are two warehouses the same, row for row? For a change that must not change the data
(a restructuring, a storage change): build a warehouse with the old code and one with the
new code over the same input, then

    .venv/bin/python bench/compare_warehouses.py OLD_WAREHOUSE NEW_WAREHOUSE [--rename old=new ...]

Every table and view both databases have is compared as a multiset of rows (`except all`
both ways), leaving out the columns that name the run (run ids, timestamps, paths of Parquet
parts). `--rename stg_x.old=new` maps a column renamed on purpose; `--rename old=new` maps it
in every relation. Views only one side has are listed. Exit 0 when everything compared is
equal, 1 otherwise.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import duckdb

# Columns whose values differ from run to run by design.
RUN_COLUMNS = {"run_id", "ingested_at", "started_at", "finished_at", "duration_s", "decided_run_id", "first_run_id"}
# The key of the code and model that found stored NER spans: it changes with the code by design.
RUN_COLUMNS |= {"ner_key"}
# Columns that hold where the input and the warehouse were (two builds of one corpus from two
# checkouts differ only there); compared too with --with-locations.
LOCATION_COLUMNS = {"source_path", "file_path", "mtime_ns", "input_dir", "warehouse_dir", "database", "part"}


def relations(con: duckdb.DuckDBPyConnection) -> dict[str, list[str]]:
    rows = con.execute(
        "select table_name, list(column_name order by ordinal_position) from information_schema.columns"
        " where table_schema = 'main' and table_catalog = current_database() group by table_name"
    ).fetchall()
    return {name: cols for name, cols in rows}


def compare(old: Path, new: Path, renames: dict[str, str], with_locations: bool = False) -> int:
    skip = RUN_COLUMNS if with_locations else RUN_COLUMNS | LOCATION_COLUMNS
    con = duckdb.connect()
    con.execute(f"attach '{old / 'news.duckdb'}' as old (read_only)")
    con.execute(f"attach '{new / 'news.duckdb'}' as new (read_only)")
    con.execute("use old")
    old_rel = relations(con)
    con.execute("use new")
    new_rel = relations(con)
    con.execute("use memory")
    differ = 0
    for name in sorted(set(old_rel) | set(new_rel)):
        if name not in old_rel or name not in new_rel:
            print(f"{name:32} only in {'old' if name in old_rel else 'new'}")
            continue
        pairs = []
        for col in old_rel[name]:
            target = renames.get(f"{name}.{col}", renames.get(col, col))
            if col in skip or target not in new_rel[name]:
                continue
            pairs.append((col, target))
        extra = sorted(set(new_rel[name]) - {t for _, t in pairs} - skip)
        old_sql = "select " + ", ".join(f'"{c}"' for c, _ in pairs) + f" from old.main.{name}"
        new_sql = "select " + ", ".join(f'"{t}"' for _, t in pairs) + f" from new.main.{name}"
        gone = con.execute(f"select count(*) from ({old_sql} except all {new_sql})").fetchone()[0]
        added = con.execute(f"select count(*) from ({new_sql} except all {old_sql})").fetchone()[0]
        rows = con.execute(f"select count(*) from old.main.{name}").fetchone()[0]
        dropped = [c for c in old_rel[name] if c not in skip and c not in {p[0] for p in pairs}]
        state = "same" if not (gone or added) else "DIFFERENT"
        differ += state != "same"
        note = (f"  columns only in old: {dropped}" if dropped else "") + (f"  only in new: {extra}" if extra else "")
        print(f"{name:32} {state:9} {rows:>8} rows  (-{gone} +{added}){note}")
    return 1 if differ else 0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("old", type=Path)
    parser.add_argument("new", type=Path)
    parser.add_argument("--rename", action="append", default=[], metavar="[RELATION.]OLD=NEW")
    parser.add_argument("--with-locations", action="store_true", help="also compare input paths and folders")
    args = parser.parse_args()
    renames = dict(r.split("=", 1) for r in args.rename)
    sys.exit(compare(args.old, args.new, renames, args.with_locations))


if __name__ == "__main__":
    main()
