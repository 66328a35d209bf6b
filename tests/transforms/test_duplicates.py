import copy
import datetime as dt
import zlib

import numpy as np
import pytest
import spacy
from datasketch import MinHash
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.conftest import SEED_AFP, SEED_MARKER
from transforms import RawDocument, prepare
from transforms.annotation import annotate, annotate_key
from transforms.duplicates import SHINGLE, Duplicate, body_fingerprint, find_duplicates, minhash_signature, normalized_words
from transforms.nlp import DEFAULT_MODEL, model_units, ner_key
from transforms.reference import DEFAULT_REFERENCE
from transforms.tables import to_tables


def _body(path):
    (prepared,), _ = prepare(RawDocument.from_bytes(path.read_bytes(), path.name))
    return prepared.body


def test_exact_near_and_distinct():
    afp, marker = _body(SEED_AFP), _body(SEED_MARKER)
    edited = afp.replace("130,000", "135,000").replace("Thursday", "Wednesday")
    bodies = {"a": afp, "b": marker, "c": "  " + afp.upper() + "  ", "d": edited}
    ids = list(bodies)
    got = find_duplicates(ids, [body_fingerprint(b) for b in bodies.values()], [minhash_signature(b) for b in bodies.values()])
    assert [(d.article_id, d.duplicate_of, d.kind) for d in got] == [("c", "a", "exact"), ("d", "a", "near")]
    assert 0.8 <= got[1].similarity < 1.0


def test_no_articles_no_duplicates():
    assert find_duplicates([], [], []) == []
    assert minhash_signature("") == minhash_signature("   ")
    assert len(minhash_signature("one")) == 64


def _datasketch_signature(body: str, num_perm: int, seed: int) -> list[int]:
    words = normalized_words(body)
    shingles = [" ".join(words[i : i + SHINGLE]).encode() for i in range(max(1, len(words) - SHINGLE + 1))]
    sketch = MinHash(num_perm=num_perm, seed=seed, hashfunc=zlib.crc32, scheme="affine32")
    sketch.update_batch(shingles)
    return sketch.hashvalues.astype(np.uint32).tolist()


@pytest.mark.parametrize(("num_perm", "seed"), [(64, 1), (64, 7), (128, 1), (16, 42), (1, 3)])
def test_signatures_are_datasketchs_minhash(num_perm, seed):
    bodies = ["", "one", "a b c d e", "a b c d e f", _body(SEED_AFP), _body(SEED_MARKER), "Zürich ČSSR 北京 " * 40]
    for body in bodies:
        assert minhash_signature(body, num_perm, seed) == _datasketch_signature(body, num_perm, seed)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=400), st.sampled_from([(64, 1), (32, 5)]))
def test_signatures_are_datasketchs_minhash_for_any_text(body, perm_seed):
    assert minhash_signature(body, *perm_seed) == _datasketch_signature(body, *perm_seed)


def test_the_first_in_order_is_the_original():
    sig = minhash_signature("same text here")
    assert find_duplicates(["late", "early"], ["f", "f"], [sig, sig]) == [Duplicate("early", "late", "exact", 1.0)]


class CountingPipeline:
    """The real pipeline, counting the texts it is given."""

    def __init__(self, nlp):
        self.nlp, self.texts = nlp, 0

    def __getattr__(self, name):
        return getattr(self.nlp, name)

    def pipe(self, texts, **kwargs):
        def counted():
            for text in texts:
                self.texts += 1
                yield text

        return self.nlp.pipe(counted(), **kwargs)


def test_exact_duplicates_go_through_ner_once(nlp):
    data = SEED_AFP.read_bytes()
    prepared = []
    for name in ("a.txt", "b.txt", "c.txt"):
        prepared.extend(prepare(RawDocument.from_bytes(data, name))[0])
    before = copy.deepcopy(prepared)
    counting = CountingPipeline(nlp)
    annotated, failed = annotate(prepared, counting)
    paragraphs = {u.text for u in model_units(prepared[0].body, prepared[0].sentences, DEFAULT_REFERENCE.acronyms)}
    assert (counting.texts, failed) == (len(paragraphs), [])
    assert annotated[0].mentions == annotated[1].mentions == annotated[2].mentions != []
    assert [p.ner_from for p in annotated] == [prepared[0].article_id] * 3
    assert annotated[0].ner_spans == annotated[1].ner_spans == annotated[2].ner_spans != []
    # New values: what was given is left as it was.
    assert prepared == before and [p.mentions for p in prepared] == [[]] * 3


def _prepared(data: bytes, name: str):
    (item,), _ = prepare(RawDocument.from_bytes(data, name))
    return item


def _stored(prepared) -> dict:
    """What a store would return for these articles' ner_units rows."""
    rows = to_tables(prepared, [], run_id="r1", ingested_at=dt.datetime.now(dt.UTC))["ner_units"].to_pylist()
    return {
        (row["ner_key"], row["unit_sha256"]): (
            [(s["char_start"], s["char_end"], s["label"]) for s in row["spans"]],
            row["article_id"],
        )
        for row in rows
    }


def _units(item):
    return model_units(item.body, item.sentences, DEFAULT_REFERENCE.acronyms)


def test_spans_stored_by_an_earlier_batch_spare_the_model(nlp):
    afp = SEED_AFP.read_bytes()
    ((original,), _) = annotate([_prepared(afp, "a.txt")], nlp)
    stored = _stored([original])
    asked = []

    def known(key, hashes):
        asked.append((key, hashes))
        return {h: stored[key, h] for h in hashes if (key, h) in stored}

    # The same story under another header, with another date; and another story.
    later = afp.replace(b"February 11, 2022", b"March 3, 2022")
    copy, other = _prepared(later, "b.txt"), _prepared(SEED_MARKER.read_bytes(), "m.txt")
    counting = CountingPipeline(nlp)
    ((copy, other), _) = annotate([copy, other], counting, known=known)
    assert asked == [(annotate_key(nlp), sorted({u.sha256 for u in _units(copy) + _units(other)}))]
    # The model read only the other story's paragraphs (none of them is in the first).
    assert counting.texts == len({u.text for u in _units(other)}) and not {u.text for u in _units(other)} & {
        u.text for u in _units(copy)
    }
    assert (copy.ner_spans, copy.ner_from) == (original.ner_spans, original.article_id)
    assert (other.ner_from, other.ner_key) == (other.article_id, annotate_key(nlp))
    # Everything derived from the spans is what a model run on the copy gives; its relative
    # dates resolve against its own date (`Thursday` before 3 March, not 11 February).
    ((fresh,), _) = annotate([_prepared(later, "c.txt")], nlp)
    assert (copy.mentions, copy.dates, copy.amounts, copy.quotes) == (fresh.mentions, fresh.dates, fresh.amounts, fresh.quotes)
    assert copy.ner_spans == fresh.ner_spans
    assert [(d.text, d.value) for d in copy.dates if d.text == "Thursday"] == [("Thursday", "2022-03-03")] * 2
    assert [(d.text, d.value) for d in original.dates if d.text == "Thursday"] == [("Thursday", "2022-02-10")] * 2


def test_spans_are_keyed_by_the_model_and_the_acronyms(nlp):
    key = annotate_key(nlp)
    assert key == annotate_key(nlp) and len(key) == 16 and key != ner_key(nlp)  # the input-making code counts
    # Recasing keeps the reference's acronyms in capitals: more acronyms, other model input.
    more = DEFAULT_REFERENCE.extend(aliases_csv="alias,canonical_name,label\nBSSR,Byelorussian SSR,GPE\n")
    assert "BSSR" in more.acronyms
    assert annotate_key(nlp, more) != key
    # The same package loaded twice gives one key; the same package with one weight changed
    # (a retrained model keeping its name and version) another; so does a missing gazetteer.
    plain, retrained = spacy.load(DEFAULT_MODEL, enable=["ner"]), spacy.load(DEFAULT_MODEL, enable=["ner"])
    assert ner_key(plain) != ner_key(nlp)
    # A pipeline that has read other texts (new strings in its vocab) keeps its key: two
    # workers agree.
    used = spacy.load(DEFAULT_MODEL, enable=["ner"])
    list(used.pipe(["Zxqwerty Blorfington visited Quuxville with Mr Snorkelwhite."]))
    assert ner_key(used) == ner_key(plain)
    node = next(n for n in retrained.get_pipe("ner").model.walk() if n.has_param("W"))
    weights = node.get_param("W").copy()
    weights.flat[0] += 0.5
    node.set_param("W", weights)
    assert retrained.meta["version"] == plain.meta["version"]
    assert ner_key(retrained) != ner_key(plain)


def test_non_english_articles_get_no_spans_and_no_lookup(nlp):
    text = "Titel\n\n" + " ".join(["Die Regierung in Berlin hat am Montag neue Regeln für die Industrie beschlossen."] * 4)
    german = _prepared(text.encode(), "de.txt")
    assert german.header.language == "de"
    asked = []
    assert annotate([german], nlp, known=lambda key, hashes: asked.append(hashes) or {}) == ([german], [])
    assert (german.ner_spans, german.ner_from, german.mentions, asked) == (None, None, [], [])
    assert to_tables([german], [], run_id="r", ingested_at=dt.datetime.now(dt.UTC))["ner_spans"].num_rows == 0


def test_a_copy_of_a_near_duplicate_links_to_the_original():
    afp = _body(SEED_AFP)
    edited = afp.replace("130,000", "135,000")
    bodies = [afp, edited, edited]
    got = find_duplicates(["orig", "near", "copy"], [body_fingerprint(b) for b in bodies], [minhash_signature(b) for b in bodies])
    assert sorted((d.article_id, d.duplicate_of, d.kind) for d in got) == [("copy", "orig", "near"), ("near", "orig", "near")]
    assert got[0].similarity == got[1].similarity


def test_gazetteer_patterns_are_tokenized_only_and_keep_the_key(nlp):
    """`load_pipeline` adds the ruler's phrases with every other component disabled (the
    tokenizer alone sets what the ruler matches on): the same patterns, tokens and
    fingerprint as adding them through the whole pipeline, which spaCy does by default and
    which cost 0.9 CPU-s per worker."""
    from transforms.nlp import PLACE_RULER, _pipeline_fingerprint

    full = spacy.load(DEFAULT_MODEL)
    ruler = full.add_pipe("entity_ruler", name=PLACE_RULER, after="ner", config={"overwrite_ents": False})
    mine = nlp.get_pipe(PLACE_RULER)
    ruler.add_patterns(mine.patterns)  # spaCy's default: the phrases go through tok2vec, parser, ner…
    assert ruler.patterns == mine.patterns and len(mine.patterns) > 900
    assert {label: [[t.orth_ for t in d] for d in docs] for label, docs in ruler.phrase_patterns.items()} == {
        label: [[t.orth_ for t in d] for d in docs] for label, docs in mine.phrase_patterns.items()
    }
    # The phrase Docs the pipeline stores were made by the tokenizer alone: no entities, no parse.
    assert not any(d.has_annotation("DEP") or d.ents for docs in mine.phrase_patterns.values() for d in docs)
    assert any(d.ents for docs in ruler.phrase_patterns.values() for d in docs)  # what the default would have cost
    full.select_pipes(enable=nlp.pipe_names)
    assert _pipeline_fingerprint(full) == _pipeline_fingerprint(nlp)
