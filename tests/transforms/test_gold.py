"""Extraction quality on the gold set (tests/gold/) must not regress.

Each floor is set a little below what wirehouse measured when it was set (see
bench/entity_gold_eval.py for the full table, bare spaCy against wirehouse). The gold
set was also the development set for the rules, so these are floors against regression,
not estimates of accuracy on unseen news.
"""

from __future__ import annotations

import pytest

from tests.gold.evaluate import load_gold, run_wirehouse, score

# type → (minimum precision, minimum recall); measured in brackets.
FLOORS = {
    "PERSON": (0.95, 0.95),  # (1.000, 1.000)
    "ORG": (0.92, 0.90),  # (0.972, 0.959)
    "GPE": (0.97, 0.97),  # (0.995, 0.995)
    "LOC": (0.90, 0.80),  # (1.000, 0.857)
    "NORP": (0.95, 0.95),  # (1.000, 1.000)
    "EVENT": (0.70, 0.70),  # (0.778, 0.778)
    "entities (all labels)": (0.96, 0.95),  # (0.989, 0.983)
    "linking (span + canonical)": (0.94, 0.93),  # (0.979, 0.972)
    "linking B-cubed (found spans)": (0.97, 0.97),  # (1.000, 1.000)
    "place country codes": (0.97, 0.95),  # (1.000, 0.986)
    "dates (span + value)": (0.95, 0.95),  # (1.000, 1.000)
    "amounts (value + unit + qualifier)": (0.93, 0.93),  # (1.000, 1.000)
    "quotes (text)": (0.95, 0.95),  # (1.000, 1.000)
    "quotes with speaker": (0.93, 0.93),  # (1.000, 1.000)
}


@pytest.fixture(scope="module")
def scores(nlp):
    articles = load_gold()
    return score(articles, run_wirehouse(articles, nlp))


@pytest.mark.parametrize("kind", list(FLOORS))
def test_precision_and_recall_floors(scores, kind):
    floor_p, floor_r = FLOORS[kind]
    got = scores[kind]
    assert (got["precision"] >= floor_p, got["recall"] >= floor_r) == (True, True), got


def test_gold_texts_are_all_found_in_the_pipeline_bodies():
    articles = load_gold()  # raises if a gold text is not in its body
    assert len(articles) == 14
    assert sum(len(a.entities) for a in articles) == 469
