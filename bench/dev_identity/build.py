#!/usr/bin/env python3
"""Build articles/*.txt and gold.json of this development set from marked/*.txt (with the
builder of bench/dev_persons_world/build.py; each entry says where its body starts, after a
`Date: ` line), and identity.json: the alias groups (every non-NORP canonical written more than
one way or in more than one article) and the look-alike pairs of APART.

The marked format is the one bench/dev_persons_world/build.py's docstring describes.

    .venv/bin/python bench/dev_identity/build.py && .venv/bin/python tests/gold/check_gold.py bench/dev_identity
"""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

HERE = Path(__file__).resolve().parent
# Look-alikes that must stay apart (canonical names of gold.json): people sharing a surname in
# other articles, a person and a company or a given name, a city and its football club, two Congos.
APART = [
    ("Charles Kiprono Mutai", "Grace Mutai"),
    ("John Otieno", "Dennis Otieno"),
    ("Lim Wei Keat", "Lim Boon Hock"),
    ("Lee Jae-myung", "Lee Joon-seok"),
    ("Lee Jae-myung", "Lee Kinyanjui"),
    ("Lee Joon-seok", "Lee Kinyanjui"),
    ("Khalid Al Mansouri", "Saeed Al Mansouri"),
    ("Khalid Al Mansouri", "Al Mansouri Group"),
    ("Saeed Al Mansouri", "Al Mansouri Group"),
    ("Al Ain", "Al Ain FC"),
    ("Ulsan", "Ulsan HD FC"),
    ("Sharjah", "Sharjah FC"),
    ("Democratic Republic of the Congo", "Republic of the Congo"),
    ("Democratic Party of Korea", "South Korea"),
]


def main() -> None:
    spec = importlib.util.spec_from_file_location("dev_persons_world_build", HERE.parent / "dev_persons_world" / "build.py")
    assert spec is not None and spec.loader is not None
    builder = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(builder)
    gold = builder.main(HERE, body_start=True)
    identity = identity_of(gold)
    (HERE / "identity.json").write_text(json.dumps(identity, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"{len(gold)} articles, {len(identity['groups'])} alias groups, {len(identity['apart'])} look-alike pairs")


def identity_of(gold: dict) -> dict:
    """tests/gold/unseen/identity.json's format: groups of the gold's canonical names, and
    pairs that must share no entity id (as tests/gold/evaluate.identity_from_gold derives
    them, plus APART)."""
    surfaces: dict[str, set] = {}
    seen_in: dict[str, set] = {}
    labels = {}
    for name, entry in gold.items():
        for e in entry["entities"]:
            surfaces.setdefault(e["canonical"], set()).add(e["text"])
            seen_in.setdefault(e["canonical"], set()).add(name)
            labels[e["canonical"]] = e["label"]
    for a, b in APART:
        assert a in labels and b in labels, (a, b)
    groups = [
        {"canonical": c, "label": labels[c], "aliases": sorted(surfaces[c])}
        for c in sorted(surfaces)
        if labels[c] != "NORP" and (len(surfaces[c]) > 1 or len(seen_in[c]) > 1)
    ]
    return {"groups": groups, "apart": [{"a": a, "b": b} for a, b in APART]}


if __name__ == "__main__":
    main()
