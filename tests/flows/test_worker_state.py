"""Ready-made language-ID state for the batch workers: the same answers as the packaged
model, and retired when the model or the code changes."""

from __future__ import annotations

import shutil

import numpy as np
import pytest
from py3langid.langid import LanguageIdentifier

from flows.pipeline import worker_state
from transforms import language

TEXTS = [
    "The government said on Monday that the economy grew faster than expected last year.",
    "Die Regierung in Berlin hat am Montag neue Regeln für die Industrie beschlossen.",
    "Le gouvernement a annoncé lundi de nouvelles règles pour l'industrie française.",
    "Правительство в понедельник объявило о новых правилах для промышленности страны.",
    "12 34 56",
]


@pytest.fixture(autouse=True)
def _fresh(monkeypatch):
    worker_state.ready.cache_clear()
    monkeypatch.setattr(language, "_ready", None)
    yield
    worker_state.ready.cache_clear()


def _answers():
    return [language._identifier().classify(t) for t in TEXTS]


def test_cached_state_gives_the_packaged_models_answers(tmp_path):
    packaged = LanguageIdentifier.from_model_file(language.MODEL_FILE, norm_probs=True)
    expected = [packaged.classify(t) for t in TEXTS]
    assert worker_state.ready(str(tmp_path)) == "package"
    (state,) = tmp_path.glob("language-*.npz")
    assert state.name == f"language-{worker_state.state_key()}.npz"
    assert _answers() == expected
    worker_state.ready.cache_clear()
    language._ready = None
    assert worker_state.ready(str(tmp_path)) == "cache"
    assert _answers() == expected
    assert [detect for detect in map(language.detect_language, TEXTS)] == ["en", "de", "fr", "ru", None]


def _doctored(tmp_path):
    """A state file of the current key whose model answers 'xx' for English."""
    arrays = language.model_arrays()
    arrays["classes"] = np.array(["xx" if c == "en" else c for c in arrays["classes"].tolist()])
    np.savez(tmp_path / f"language-{worker_state.state_key()}.npz", **arrays)


def test_a_state_file_is_used_under_its_key_only(tmp_path, monkeypatch):
    _doctored(tmp_path)
    assert worker_state.ready(str(tmp_path)) == "cache"
    assert language.detect_language(TEXTS[0]) == "xx"  # the stored state is what a worker uses

    # The code that builds the state changes: another key, the old file is neither used nor kept.
    worker_state.ready.cache_clear()
    old_key = worker_state.state_key()
    monkeypatch.setattr(worker_state, "CODE", (*worker_state.CODE, test_a_state_file_is_used_under_its_key_only))
    assert worker_state.state_key() != old_key
    assert worker_state.ready(str(tmp_path)) == "package"
    assert language.detect_language(TEXTS[0]) == "en"
    assert [p.name for p in tmp_path.glob("language-*.npz")] == [f"language-{worker_state.state_key()}.npz"]


def test_a_changed_model_retires_the_state(tmp_path, monkeypatch):
    import lzma

    state = tmp_path / "state"
    state.mkdir()
    copy = tmp_path / "same.npz.xz"
    shutil.copy(language.MODEL_PATH, copy)
    monkeypatch.setattr(language, "MODEL_PATH", copy)
    _doctored(state)
    assert worker_state.ready(str(state)) == "cache"  # the same model's bytes: the same key
    # Another release of the model (here: the same arrays compressed otherwise, other bytes).
    other = tmp_path / "other.npz.xz"
    other.write_bytes(lzma.compress(lzma.decompress(copy.read_bytes()), preset=1))
    monkeypatch.setattr(language, "MODEL_PATH", other)
    worker_state.ready.cache_clear()
    assert worker_state.ready(str(state)) == "package"
    assert language.detect_language(TEXTS[0]) == "en"


def test_an_unwritable_state_folder_costs_the_build_only(tmp_path):
    folder = tmp_path / "file-not-folder"
    folder.write_text("")
    assert worker_state.ready(str(folder)) == "package"
    assert language.detect_language(TEXTS[0]) == "en"


def test_prepare_leaves_the_state_for_the_workers_without_loading_it(tmp_path):
    folder = tmp_path / "_state" / "pipeline"
    assert worker_state.prepare(str(folder)) is True
    assert [p.name for p in folder.iterdir()] == [f"language-{worker_state.state_key()}.npz"]
    assert language._ready is None  # this process did not take the model
    assert worker_state.prepare(str(folder)) is False  # there already: not built again
    assert worker_state.ready(str(folder)) == "cache"


def test_the_cli_prepares_the_state_while_the_server_starts(tmp_path):
    from flows.app.cli import _before_the_flow

    _before_the_flow(tmp_path / "wh", None)
    assert [p.name for p in worker_state.state_folder(tmp_path / "wh").iterdir()] == [f"language-{worker_state.state_key()}.npz"]
    _before_the_flow(tmp_path / "other", "tcp://127.0.0.1:8786")  # a cluster's workers may not see the folder
    assert not (tmp_path / "other").exists()
