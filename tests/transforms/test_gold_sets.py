"""The gold sets stay consistent: tests/gold/check_gold.py passes on each of them and
fails on a broken one. Fast: no spaCy, no pipeline."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from tests.gold.check_gold import main, spelled_range, spelled_value

GOLD = Path(__file__).resolve().parent.parent / "gold"


@pytest.mark.parametrize("folder", [GOLD, GOLD / "heldout", GOLD / "unseen"], ids=["main", "heldout", "unseen"])
def test_gold_set_is_consistent(folder, capsys):
    assert main([str(folder)]) == 0, capsys.readouterr().out
    assert capsys.readouterr().out.rstrip().endswith("OK")


def test_unseen_identity_names_exist_in_the_gold():
    gold = json.loads((GOLD / "unseen" / "gold.json").read_text(encoding="utf-8"))
    identity = json.loads((GOLD / "unseen" / "identity.json").read_text(encoding="utf-8"))
    canonicals = {e["canonical"] for entry in gold.values() for e in entry["entities"]}
    surfaces = {e["canonical"]: set() for entry in gold.values() for e in entry["entities"]}
    for entry in gold.values():
        for e in entry["entities"]:
            surfaces[e["canonical"]].add(e["text"])
    for group in identity["groups"]:
        assert set(group["aliases"]) == surfaces[group["canonical"]], group["canonical"]
    assert all(p["a"] in canonicals and p["b"] in canonicals for p in identity["apart"])
    assert len(gold) >= 24 and len(identity["apart"]) >= 6


def test_amount_values_read_ranges_and_compounds():
    assert spelled_value("$11 billion 700 million") == 11.7e9
    assert spelled_value("£210m") == 210e6
    assert spelled_value("46 of our partners") == 46
    assert spelled_range("70,000-80,000 rescuers") == (70000, 80000)
    assert spelled_range("between 6 and 8 billion euros") == (6e9, 8e9)
    assert spelled_range("$4-5 billion") == (4e9, 5e9)
    assert spelled_range("about 100 tanks") is None


def test_a_broken_gold_set_fails(tmp_path, capsys):
    folder = tmp_path / "unseen"
    shutil.copytree(GOLD / "unseen", folder)
    gold = json.loads((folder / "gold.json").read_text(encoding="utf-8"))
    entry = gold["2023-02-07_reuters_erdogan_quake_aid.txt"]
    rescuers = next(a for a in entry["amounts"] if a["unit"] == "rescuers")
    rescuers["value_high"] = 90000  # the text says 80,000
    entry["entities"].pop(0)  # `Turkish` left unannotated
    (folder / "gold.json").write_text(json.dumps(gold), encoding="utf-8")
    assert main([str(folder)]) == 1
    out = capsys.readouterr().out
    assert "range 70000-90000" in out and "unannotated 'Turkish'" in out
    assert main([str(tmp_path / "missing")]) == 2
