"""The gold sets stay consistent: tests/gold/check_gold.py passes on each of them and
fails on a broken one. Fast: no spaCy, no pipeline."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from tests.gold.check_gold import check_amounts, main, spelled_range, spelled_value

GOLD = Path(__file__).resolve().parent.parent / "gold"
DEV_AMOUNTS_DATES = GOLD.parent.parent / "bench" / "dev_amounts_dates"
CHECK_AMOUNTS_DATES = GOLD.parent.parent / "bench" / "check_amounts_dates"


@pytest.mark.parametrize(
    "folder",
    [GOLD, GOLD / "heldout", GOLD / "unseen", DEV_AMOUNTS_DATES, CHECK_AMOUNTS_DATES],
    ids=["main", "heldout", "unseen", "dev_amounts_dates", "check_amounts_dates"],
)
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


def test_amount_values_read_lakh_crore_trillion_and_a_repeated_currency_marker():
    assert spelled_value("₹25 lakh") == 2.5e6
    assert spelled_value("Tk 1.2 crore") == 1.2e7
    assert spelled_value("¥1.26 trillion") == 1.26e12
    assert spelled_range("between ₹2 lakh and ₹5 lakh") == (2e5, 5e5)
    assert spelled_range("between Sh2 million and Sh3 million") == (2e6, 3e6)
    assert spelled_range("between G$100,000 and G$150,000") == (100000, 150000)


def test_currency_markers_of_the_fifth_held_out_set_are_known():
    amounts = [
        ("18.4 billion rand", 18.4e9, "ZAR"),
        ("Sh300", 300, "KES"),
        ("N1,450", 1450, "NGN"),
        ("Shs48 billion", 48e9, "UGX"),
        ("P4.1 billion", 4.1e9, "BWP"),
        ("₹10 lakh", 1e6, "INR"),
        ("Tk 18 lakh", 1.8e6, "BDT"),
        ("Rs 412 billion", 412e9, "LKR"),
        ("Rp 15 billion", 15e9, "IDR"),
        ("700 million baht", 700e6, "THB"),
        ("VND50 billion", 50e9, "VND"),
        ("180 billion won", 180e9, "KRW"),
        ("$90 million", 90e6, "CAD"),
        ("$25 million", 25e6, "AUD"),
        ("18.42 pesos", 18.42, "MXN"),
        ("G$397 billion", 397e9, "GYD"),
        ("500,000 birr", 500000, "ETB"),
    ]
    body = " ".join(text for text, _, _ in amounts)
    items = [{"text": t, "value": v, "unit": u, "qualifier": None} for t, v, u in amounts]
    errors: list[str] = []
    check_amounts("t.txt", body, items, errors)
    assert errors == []
    check_amounts("t.txt", "1,450 naira", [{"text": "1,450 naira", "value": 1450, "unit": "KRW", "qualifier": None}], errors)
    assert errors == ["t.txt amounts[0] '1,450 naira': no KRW marker in the text"]


def test_currency_markers_of_the_sixth_held_out_set_are_known():
    amounts = [
        ("zł 12 million", 12e6, "PLN"),
        ("₺7,500", 7500, "TRY"),
        ("40 million lira", 40e6, "TRY"),
        ("₪250,000", 250000, "ILS"),
        ("NIS 90 million", 90e6, "ILS"),
        ("₴3 billion", 3e9, "UAH"),
        ("2 million rubles", 2e6, "RUB"),
        ("600 million Swedish crowns", 600e6, "SEK"),
        ("1,200 kronor", 1200, "SEK"),
        ("K4 million", 4e6, "PGK"),
    ]
    body = " ".join(text for text, _, _ in amounts)
    items = [{"text": t, "value": v, "unit": u, "qualifier": None} for t, v, u in amounts]
    errors: list[str] = []
    check_amounts("t.txt", body, items, errors)
    assert errors == []
    check_amounts("t.txt", "₪40", [{"text": "₪40", "value": 40, "unit": "TRY", "qualifier": None}], errors)
    assert errors == ["t.txt amounts[0] '₪40': no TRY marker in the text"]


def test_amount_values_read_regional_notation():
    # South Asian scales and grouping, space-grouped thousands, short scales, hyphenated scales.
    assert spelled_value("Rs 2,000 crore") == 2e10
    assert spelled_value("Rs 1.2 lakh crore") == 1.2e12
    assert spelled_value("more than 4.5 lakh people") == 450000
    assert spelled_value("12,50,000 hectares") == 1250000
    assert spelled_value("R50 000") == 50000
    assert spelled_value("8600 farmer shareholders") == 8600
    assert spelled_value("RM419.2bil") == 419.2e9
    assert spelled_value("about $26b") == 26e9
    assert spelled_value("Sh10.9 trillion") == 10.9e12
    assert spelled_value("P6.4-billion") == 6.4e9
    # Each end of a range may carry its currency marker.
    assert spelled_range("R5 billion and R6 billion") == (5e9, 6e9)
    assert spelled_range("Dh500 to Dh10,000") == (500, 10000)
    assert spelled_range("$200m and $250m") == (200e6, 250e6)
    assert spelled_range("RM2.5bil to RM4bil") == (2.5e9, 4e9)


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
