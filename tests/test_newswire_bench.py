"""bench/newswire_ner.py's pure parts on a CoNLL snippet written for this test: reading,
IOB1/IOB2 spans, detokenizing with offsets, aligning to a body the pipeline cut, scoring."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))

import newswire_ner as nw  # noqa: E402

SNIPPET = """-DOCSTART- -X- -X- O

HARBOURVILLE NNP I-NP I-ORG
WINS VBZ I-VP O
AGAIN RB I-ADVP O
. . O O

PORTMEADOW NNP I-NP I-LOC
1999-04-01 CD I-NP O

Mara NNP I-NP I-PER
Okafor NNP I-NP I-PER
said VBD I-VP O
" " O O
Harbourville NNP I-NP I-ORG
Rovers NNP I-NP I-ORG
are VBP I-VP O
n't RB I-ADVP O
done VBN I-VP O
" " O O
( ( O O
in IN I-PP O
Portmeadow NNP I-NP I-LOC
) ) O O
, , O O
the DT I-NP O
club NN I-NP O
'S POS B-NP O
coach NN I-NP O
told VBD I-VP O
Northern NNP I-NP I-MISC
Times NNP I-NP I-MISC
. . O O

Okafor NNP I-NP I-PER
Lind NNP I-NP B-PER
scored VBD I-VP O
for IN I-PP O
the DT I-NP O
second JJ I-NP O

time NN I-NP O
at IN I-PP O
$ $ I-NP O
5 CD I-NP O
. . O O

-DOCSTART- -X- -X- O

Quiet JJ I-NP O
day NN I-NP O
. . O O
"""


def _docs(tmp_path):
    path = tmp_path / "snippet.conll"
    path.write_text(SNIPPET, encoding="utf-8")
    return nw.read_conll(path)


def test_reading_and_spans(tmp_path):
    docs = _docs(tmp_path)
    assert [len(d.sentences) for d in docs] == [5, 1]
    assert nw.tag_spans(["I-PER", "B-PER", "O", "I-ORG", "I-ORG", "I-LOC"]) == [
        (0, 1, "PER"),
        (1, 2, "PER"),
        (3, 5, "ORG"),
        (5, 6, "LOC"),
    ]
    assert nw.tag_spans(["B-LOC", "I-LOC", "B-LOC", "O"]) == [(0, 2, "LOC"), (2, 3, "LOC")]


def test_detokenize_keeps_every_token_offset(tmp_path):
    doc = _docs(tmp_path)[0]
    text, offsets = nw.detokenize(doc)
    assert text.startswith("HARBOURVILLE WINS AGAIN.\n\nPORTMEADOW 1999-04-01\n\n")
    assert "Mara Okafor said \"Harbourville Rovers aren't done\" (in Portmeadow), the club'S coach told Northern Times." in text
    # the line the source broke ("second" / "time") stays one paragraph
    assert "Okafor Lind scored for the second time at $5.\n" in text
    for sent, offs in zip(doc.sentences, offsets, strict=True):
        assert [text[a:b] for a, b in offs] == [tok for tok, _ in sent]
    gold = nw.gold_mentions(doc, offsets)
    assert [(text[a:b], t) for a, b, t in gold] == [
        ("HARBOURVILLE", "ORG"),
        ("PORTMEADOW", "LOC"),
        ("Mara Okafor", "PER"),
        ("Harbourville Rovers", "ORG"),
        ("Portmeadow", "LOC"),
        ("Okafor", "PER"),
        ("Lind", "PER"),
    ]  # MISC left out


def test_alignment_to_a_cut_body_and_scores(tmp_path):
    doc = _docs(tmp_path)[0]
    text, offsets = nw.detokenize(doc)
    gold = nw.gold_mentions(doc, offsets)
    # The pipeline kept the story only, curled the quotes and joined the paragraphs' spacing.
    story = text.split("\n\n", 2)[2]
    body = story.replace('"Harbourville', "\u201cHarbourville").replace('done"', "done\u201d")
    body = "  " + body.replace("\n\n", "\n\n\n")
    mapping = nw.align(text, body)
    in_body = [(m, t) for a, b, t in gold if (m := nw.map_span((a, b), mapping, text, body)) is not None]
    assert [(body[m[0] : m[1]], t) for m, t in in_body] == [
        ("Mara Okafor", "PER"),
        ("Harbourville Rovers", "ORG"),
        ("Portmeadow", "LOC"),
        ("Okafor", "PER"),
        ("Lind", "PER"),
    ]
    gold_set = {(m[0], m[1], t) for m, t in in_body}
    start = body.index("Okafor Lind")
    preds = nw.mapped(
        [
            (body.index("Mara"), body.index("Mara") + 11, "PERSON"),  # hit
            (body.index("Harbourville"), body.index("Harbourville") + 12, "GPE"),  # wrong span and type
            (body.index("Portmeadow"), body.index("Portmeadow") + 10, "GPE"),  # hit (GPE -> LOC)
            (start, start + 11, "PERSON"),  # two people as one: a miss and a false alarm
            (body.index("Northern"), body.index("Northern") + 14, "NORP"),  # not scored
        ]
    )
    res = nw.score([gold_set], [preds])
    assert (res["PER"]["tp"], res["PER"]["pred"], res["PER"]["gold"]) == (1, 2, 3)
    assert (res["LOC"]["tp"], res["LOC"]["pred"], res["LOC"]["gold"]) == (1, 2, 1)
    assert (res["ORG"]["tp"], res["ORG"]["pred"], res["ORG"]["gold"]) == (0, 0, 1)
    assert res["micro"] == {"precision": 0.5, "recall": 0.4, "f1": 0.4444, "tp": 2, "pred": 4, "gold": 5}
