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


def test_the_cli_prepares_the_state_while_the_server_starts(tmp_path, monkeypatch):
    from flows.app.cli import _before_the_flow

    monkeypatch.setenv("WIREHOUSE_CACHE_DIR", str(tmp_path / "cache"))
    _before_the_flow(None)
    assert [p.name for p in (tmp_path / "cache" / "pipeline").iterdir()] == [f"language-{worker_state.state_key()}.npz"]
    monkeypatch.setenv("WIREHOUSE_CACHE_DIR", str(tmp_path / "other"))
    _before_the_flow("tcp://127.0.0.1:8786")  # a cluster's workers may not see the folder
    assert not (tmp_path / "other").exists()


def test_the_cache_folder_is_the_users_not_a_warehouses(tmp_path, monkeypatch):
    from flows.settings import cache_dir

    monkeypatch.delenv("WIREHOUSE_CACHE_DIR")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.delenv("XDG_CACHE_HOME", raising=False)
    assert worker_state.state_folder() == tmp_path / "home" / ".cache" / "wirehouse" / "pipeline"
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert cache_dir() == tmp_path / "xdg" / "wirehouse"
    monkeypatch.setenv("WIREHOUSE_CACHE_DIR", "~/elsewhere")
    assert cache_dir() == tmp_path / "home" / "elsewhere"


def test_a_run_retires_the_copy_an_older_wirehouse_kept_in_the_warehouse(tmp_path):
    old = tmp_path / "wh" / "_state" / "pipeline"
    old.mkdir(parents=True)
    (old / "language-0123456789abcdef.npz").write_bytes(b"x" * 100)
    (tmp_path / "wh" / "_state" / "store.json").write_text("{}")
    worker_state.retire_warehouse_copy(tmp_path / "wh")
    assert sorted(p.name for p in (tmp_path / "wh" / "_state").iterdir()) == ["store.json"]
    worker_state.retire_warehouse_copy(tmp_path / "absent")  # nothing there: nothing to do


def test_a_run_leaves_the_state_in_the_cache_and_none_in_the_warehouse(tmp_path, monkeypatch, prefect_api):
    from tests.conftest import SEED_AFP
    from tests.flows.conftest import run_in_process

    monkeypatch.setenv("WIREHOUSE_CACHE_DIR", str(tmp_path / "cache"))
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(SEED_AFP, folder / SEED_AFP.name)
    old = tmp_path / "wh" / "_state" / "pipeline"
    old.mkdir(parents=True)  # what an older wirehouse left: 67 MB in every warehouse
    (old / "language-0123456789abcdef.npz").write_bytes(b"x")
    run = run_in_process("run", "--input", str(folder), "--warehouse", str(tmp_path / "wh"), env={"PREFECT_API_URL": prefect_api})
    assert run.returncode == 0, run.stderr
    assert not old.exists()
    assert [p.name for p in (tmp_path / "cache" / "pipeline").iterdir()] == [f"language-{worker_state.state_key()}.npz"]
