from tests.conftest import SEED_AFP, SEED_MARKER
from transforms import RawDocument, prepare
from transforms.article import annotate
from transforms.duplicates import Duplicate, body_fingerprint, find_duplicates, minhash_signature


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


def test_the_first_in_order_is_the_original():
    sig = minhash_signature("same text here")
    assert find_duplicates(["late", "early"], ["f", "f"], [sig, sig]) == [Duplicate("early", "late", "exact", 1.0)]


class CountingPipeline:
    """The real pipeline, counting the texts it is given."""

    def __init__(self, nlp):
        self.nlp, self.texts = nlp, 0

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
    counting = CountingPipeline(nlp)
    annotate(prepared, counting)
    assert counting.texts == 1
    assert prepared[0].mentions == prepared[1].mentions == prepared[2].mentions != []


def test_a_copy_of_a_near_duplicate_links_to_the_original():
    afp = _body(SEED_AFP)
    edited = afp.replace("130,000", "135,000")
    bodies = [afp, edited, edited]
    got = find_duplicates(["orig", "near", "copy"], [body_fingerprint(b) for b in bodies], [minhash_signature(b) for b in bodies])
    assert sorted((d.article_id, d.duplicate_of, d.kind) for d in got) == [("copy", "orig", "near"), ("near", "orig", "near")]
    assert got[0].similarity == got[1].similarity
