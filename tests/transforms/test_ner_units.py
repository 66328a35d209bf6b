"""NER once per distinct paragraph (transforms.nlp.model_units, transforms.annotation):
what a unit is, its reuse within a batch and across batches, and the key that retires it."""

from __future__ import annotations

import datetime as dt
import hashlib

import pytest

import transforms.annotation as annotation
from tests.transforms.test_duplicates import CountingPipeline
from transforms import RawDocument, prepare
from transforms.annotation import annotate, annotate_key
from transforms.nlp import load_pipeline, model_spans, model_units
from transforms.reference import DEFAULT_REFERENCE
from transforms.sentences import split_sentences
from transforms.tables import to_tables

STORY = [
    "Chancellor Olaf Scholz met President Emmanuel Macron in Paris on Tuesday to discuss energy prices.",
    "The two leaders agreed that the European Commission should propose a joint gas purchase. Officials in Berlin "
    "said talks would continue.",
    "Mr Macron later flew to Brussels, where NATO ministers were meeting.",
]
BOILERPLATE = "Reporting by Sarah Jones in London; Editing by Alex Richardson."


def _units(body: str):
    return [(u.start, u.text) for u in model_units(body, split_sentences(body), DEFAULT_REFERENCE.acronyms)]


def _sha(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def test_units_are_paragraphs_keyed_by_what_the_model_reads():
    body = "First one. Still first.\n\nSecond\nline wrapped.\n\n\nFirst one. Still first."
    assert _units(body) == [(0, "First one. Still first."), (25, "Second\nline wrapped."), (48, "First one. Still first.")]
    got = model_units(body, split_sentences(body))
    assert got[0].sha256 == got[2].sha256 == _sha("First one. Still first.") != got[1].sha256
    # A shouted paragraph is recased with the rest of its chunk in view (`Russia` as the
    # body writes it): its key is the hash of the recased text, which is what the model reads.
    shouted = "RUSSIA MASSES TROOPS NEAR BORDER\n\nRussia denies any plan to invade."
    (headline, rest) = model_units(shouted, split_sentences(shouted))
    assert (headline.text, headline.sha256) == ("Russia masses troops near border", _sha("Russia masses troops near border"))
    assert (rest.start, rest.text) == (34, "Russia denies any plan to invade.")
    assert model_units("", []) == [] and model_units("   \n\n  ", split_sentences("   \n\n  ")) == []


def test_a_long_paragraph_is_cut_on_sentences_into_chunks():
    sentence = "The committee met again on Friday and heard evidence from witnesses. "
    body = (sentence * 400).strip()  # one paragraph of 27,600 characters: two chunks, the first of 289 sentences
    units = model_units(body, split_sentences(body))
    assert [u.start for u in units] == [0, 289 * len(sentence)] and all(len(u.text) <= 20_000 for u in units)
    assert "".join(body[u.start : u.start + len(u.text)] for u in units).replace(" ", "") == body.replace(" ", "")


def _article(name: str, paragraphs: list[str], date: str = "March 3, 2022") -> object:
    text = "\n\n".join([f"Headline for {name}", f"{date}", *paragraphs]) + "\n"
    (item,), _ = prepare(RawDocument.from_bytes(text.encode(), name))
    return item


def test_a_paragraph_goes_through_the_model_once_in_a_batch(nlp):
    original = _article("orig.txt", STORY)
    # Republished: another intro paragraph, the last one cut, a boilerplate line added.
    wire = _article("wire.txt", ["LONDON (Reuters) - European leaders met on Tuesday.", *STORY[:2], BOILERPLATE])
    counting = CountingPipeline(nlp)
    (a, b), failed = annotate([original, wire], counting)
    assert failed == [] and counting.texts == 5  # 3 story paragraphs, the intro, the boilerplate
    # Each article's spans are what the model gives on it alone, and where the paragraphs are
    # the same, the same spans at their offsets in each body.
    assert (a.ner_spans, b.ner_spans) == tuple(model_spans(nlp, [(p.body, p.sentences) for p in (original, wire)]))
    shift = wire.body.index(STORY[0]) - original.body.index(STORY[0])
    end = original.body.index(STORY[1]) + len(STORY[1])
    assert [(s + shift, e + shift, label) for s, e, label in a.ner_spans if e <= end] == [
        span for span in b.ner_spans if wire.body.index(STORY[0]) <= span[0] < wire.body.index(BOILERPLATE)
    ]
    assert {"Olaf Scholz", "Emmanuel Macron", "Paris"} <= {m.text for m in b.mentions}
    # Each paragraph is stored once, by the first article that had it.
    rows = to_tables([a, b], [], run_id="r", ingested_at=dt.datetime.now(dt.UTC))["ner_units"].to_pylist()
    assert sorted((r["article_id"], r["unit_sha256"]) for r in rows) == sorted(
        [(a.article_id, _sha(p)) for p in STORY]
        + [(b.article_id, _sha(wire.body.split("\n\n")[0])), (b.article_id, _sha(BOILERPLATE))]
    )
    assert {r["ner_key"] for r in rows} == {annotate_key(nlp)}
    assert (a.ner_from, b.ner_from) == (a.article_id, b.article_id)  # b: its own paragraphs and a's


def _store(annotated) -> dict:
    rows = to_tables(annotated, [], run_id="r1", ingested_at=dt.datetime.now(dt.UTC))["ner_units"].to_pylist()
    return {
        (r["ner_key"], r["unit_sha256"]): ([(s["char_start"], s["char_end"], s["label"]) for s in r["spans"]], r["article_id"])
        for r in rows
    }


def test_paragraphs_stored_by_an_earlier_batch_spare_the_model(nlp):
    (first,), _ = annotate([_article("orig.txt", STORY)], nlp)
    stored = _store([first])
    asked = []

    def known(key, hashes):
        asked.append(key)
        return {h: stored[key, h] for h in hashes if (key, h) in stored}

    later = _article("later.txt", [*STORY, BOILERPLATE], date="March 9, 2022")
    counting = CountingPipeline(nlp)
    (got,), _ = annotate([later], counting, known=known)
    assert (counting.texts, asked) == (1, [annotate_key(nlp)])  # only the boilerplate paragraph
    (fresh,), _ = annotate([later], nlp)
    assert (got.ner_spans, got.mentions, got.dates) == (fresh.ner_spans, fresh.mentions, fresh.dates)
    start = later.body.index(BOILERPLATE)
    assert got.ner_units == [
        (_sha(BOILERPLATE), [(s - start, e - start, label) for s, e, label in fresh.ner_spans if s >= start])
    ]
    assert got.ner_from == got.article_id and [BOILERPLATE[s:e] for s, e, _ in got.ner_units[0][1]] == [
        "Sarah Jones",
        "London",
        "Alex Richardson",
    ]
    # The whole story again (another header): nothing for the model, the spans come from
    # the one article that read every paragraph.
    copy = _article("copy.txt", STORY, date="April 1, 2022")
    counting = CountingPipeline(nlp)
    (got,), _ = annotate([copy], counting, known=known)
    assert (counting.texts, got.ner_units, got.ner_from, got.ner_spans) == (0, [], first.article_id, first.ner_spans)


def test_spans_stored_under_another_key_are_not_reused(nlp):
    """A changed model, gazetteer patterns, acronyms or paragraph-cutting code makes another
    key, and stored spans are asked for and found under the key they were stored with."""
    (first,), _ = annotate([_article("orig.txt", STORY)], nlp)
    stored = _store([first])
    counting = CountingPipeline(nlp)
    (got,), _ = annotate(
        [_article("copy.txt", STORY)],
        counting,
        known=lambda key, hs: {h: stored[k, h] for k, h in stored if k == key and h in hs},
    )
    assert counting.texts == 0
    more = DEFAULT_REFERENCE.extend(aliases_csv="alias,canonical_name,label\nBSSR,Byelorussian SSR,GPE\n")
    counting = CountingPipeline(nlp)
    annotate(
        [_article("copy.txt", STORY)],
        counting,
        reference=more,
        known=lambda key, hs: {h: stored[k, h] for k, h in stored if k == key and h in hs},
    )
    assert counting.texts == 3


def test_the_key_covers_the_paragraph_code_and_the_gazetteer(nlp, monkeypatch):
    key = annotate_key(nlp)

    def other_units(body, sentences, acronyms=frozenset()):  # another way of cutting paragraphs
        return model_units(body, sentences[:1], acronyms)

    monkeypatch.setattr(annotation, "model_units", other_units)
    assert annotate_key(nlp) != key
    monkeypatch.undo()
    assert annotate_key(nlp) == key
    # One more gazetteer pattern: another pipeline fingerprint, another key.
    patterned = load_pipeline.__wrapped__()  # a pipeline of its own, not the cached one
    patterned.get_pipe("wirehouse_places").add_patterns([{"label": "GPE", "pattern": "Quuxville"}])
    assert annotate_key(patterned) != key


@pytest.mark.parametrize("sep", ["\n\n", "\n \n", "\n\n\n"])
def test_paragraph_breaks_of_any_blank_line_cut_units(sep):
    body = sep.join(STORY)
    assert [t for _, t in _units(body)] == STORY
