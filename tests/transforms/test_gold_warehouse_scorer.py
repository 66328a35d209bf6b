"""The held-out scorer reads a warehouse the way an analyst does: a quote's speaker is the
entity the archive-level identity resolved it to (as the `quotes` mart gives it), the same
ids the mentions carry (`entity_mentions`). Fast: a hand-made warehouse, no pipeline."""

from __future__ import annotations

import json

import duckdb

from tests.gold.evaluate import issue12_scores, warehouse_predictions

BODY = 'Biden spoke in Washington. "We are ready," Biden said.'


def test_a_speaker_merged_by_the_identity_step_counts_as_its_entity(tmp_path):
    # The article names `Biden` only; the archive-level identity resolved him to Joe Biden
    # (`jb`, named in other articles). The gold speaker is `Joe Biden`.
    gold = {
        "a.txt": {
            "published_date": "2022-02-12",
            "entities": [
                {"text": "Biden", "label": "PERSON", "canonical": "Joe Biden", "country": None},
                {"text": "Washington", "label": "GPE", "canonical": "Washington", "country": "US"},
            ],
            "dates": [],
            "amounts": [],
            "quotes": [{"quote": "We are ready,", "speaker": "Joe Biden", "verb": "said"}],
        }
    }
    (tmp_path / "gold.json").write_text(json.dumps(gold))
    con = duckdb.connect(str(tmp_path / "news.duckdb"))
    con.execute(
        "create table stg_articles as select 'a1' as article_id, '/in/a.txt' as file_path, ? as body, "
        "date '2022-02-12' as published_date, 'header' as date_source",
        [BODY],
    )
    biden = BODY.index("Biden")
    said_by = BODY.index("Biden said")
    wash = BODY.index("Washington")
    con.execute(
        "create table stg_entities as select * from (values "
        f"('a1', {biden}, {biden + 5}, 'PERSON', 'b', 'Biden', null, 'PERSON:biden'), "
        f"('a1', {wash}, {wash + 10}, 'GPE', 'w', 'Washington', 'US', 'PLACE:washington'), "
        f"('a1', {said_by}, {said_by + 5}, 'PERSON', 'b', 'Biden', null, 'PERSON:biden')) "
        "as t(article_id, char_start, char_end, label, entity_id, canonical_name, country_code, entity_key)"
    )
    con.execute(
        "create table stg_entity_identity as select * from (values ('b', 'jb', 'Joe Biden'), ('w', 'w', 'Washington')) "
        "as t(entity_id, resolved_id, canonical_name)"
    )
    con.execute(
        "create table entity_mentions as select e.article_id, e.char_start, e.char_end, i.resolved_id as entity_id "
        "from stg_entities as e join stg_entity_identity as i using (entity_id)"
    )
    con.execute("create table entities_dim as select 'jb' as entity_id, ['b'] as merged_ids")
    start = BODY.index("We are")
    con.execute(
        "create table stg_quotes as select 'a1' as article_id, ? as char_start, ? as char_end, 'Biden' as speaker_text, "
        "'b' as speaker_entity_id, 'Biden' as speaker_name, 'said' as verb",
        [start, start + len("We are ready,")],
    )
    con.execute(
        "create table stg_dates_mentioned (article_id varchar, char_start int, char_end int, value varchar, resolution varchar)"
    )
    con.execute(
        "create table stg_amounts (article_id varchar, char_start int, char_end int, value double, unit varchar, qualifier varchar)"
    )
    con.close()

    articles, preds, meta = warehouse_predictions(tmp_path, tmp_path)
    assert [(q["speaker_id"], q["speaker"]) for q in preds["a.txt"].quotes] == [("jb", "Joe Biden")]
    scores = issue12_scores(articles, preds)
    assert scores["speaker accuracy (gold quotes found)"] == {"correct": 1, "of": 1, "accuracy": 1.0}
    assert scores["_speaker_errors"] == []


def test_in_process_predictions_carry_the_ends_of_a_range():
    # A range in the gold matches only when both ends do; the in-process lane once passed the
    # upper end alone, so no range could match there.
    import dataclasses

    from tests.gold.evaluate import as_prepared, located, predictions
    from transforms.amounts import Amount

    body = "Some 70,000-80,000 rescuers came."
    entry = {
        "published_date": "2023-02-07",
        "entities": [],
        "dates": [],
        "amounts": [
            {
                "text": "70,000-80,000 rescuers",
                "value": 70000,
                "value_low": 70000,
                "value_high": 80000,
                "unit": "rescuers",
                "qualifier": None,
            }
        ],
        "quotes": [],
    }
    article = located("a.txt", entry, body)
    found = Amount(5, 27, "70,000-80,000 rescuers", 80000.0, "rescuers", None, 70000.0, 80000.0)
    prepared = dataclasses.replace(as_prepared(article, article.published), amounts=[found])
    scores = issue12_scores([article], {"a.txt": predictions(prepared)})
    assert scores["amounts (ranges as low/high)"] == {"tp": 1, "pred": 1, "gold": 1, "precision": 1.0, "recall": 1.0, "f1": 1.0}


def test_at_least_and_less_than_score_as_the_gold_formats_bounds():
    # The gold format has three qualifiers (`at least` is written `more than`, `fewer than`
    # `up to`); wirehouse's `at least` and `less than` are those bounds, not misses.
    import dataclasses

    from tests.gold.evaluate import as_prepared, located, predictions, score
    from transforms.amounts import Amount

    body = "At least 12 people died and fewer than 40 homes stood."
    entry = {
        "published_date": "2023-02-07",
        "entities": [],
        "dates": [],
        "amounts": [
            {"text": "At least 12 people", "value": 12, "unit": "people", "qualifier": "more than"},
            {"text": "fewer than 40 homes", "value": 40, "unit": "homes", "qualifier": "up to"},
        ],
        "quotes": [],
    }
    article = located("a.txt", entry, body)
    found = [
        Amount(0, 18, "At least 12 people", 12.0, "people", "at least", 12.0, 12.0),
        Amount(28, 47, "fewer than 40 homes", 40.0, "homes", "less than", 40.0, 40.0),
    ]
    prepared = dataclasses.replace(as_prepared(article, article.published), amounts=found)
    preds = {"a.txt": predictions(prepared)}
    both = {"tp": 2, "pred": 2, "gold": 2, "precision": 1.0, "recall": 1.0, "f1": 1.0}
    assert issue12_scores([article], preds)["amounts (ranges as low/high)"] == both
    assert score([article], preds)["amounts (value + unit + qualifier)"] == both
