"""Ready-made pipeline state for the batch workers, in the user's cache
(`~/.cache/wirehouse/pipeline/`, `flows.settings.cache_dir`).

Each worker process pays a one-off start-up before its first batch. Two parts of it were
the same work in every worker of every run:

- the gazetteer ruler's ~1,000 phrases, which spaCy ran through the whole model (0.9 CPU-s):
  now tokenized only, which is cheaper than any cache (transforms/nlp.py `load_pipeline`);
- the language-ID model, 4.5 MB of LZMA decompressed in every worker (0.7 CPU-s): the
  first worker writes the decompressed arrays here, later ones load them (~10 ms).

A state file is named by `state_key()`, which changes when its inputs do: the packaged
model's bytes, py3langid's version and the source of the code that builds and uses the
state (hashed as `transforms.nlp.ner_key` hashes the code that makes the model's input).
A worker never reads a file of another key, and removes those it finds. A state folder
that cannot be read or written costs the one-off build, never the batch.

The state depends on the installed code and model only, so one copy serves every
warehouse: it was once kept in each warehouse's `_state/pipeline/`, 67 MB beside a seed
warehouse of 6 MB, and a test suite that builds hundreds of warehouses filled the disk.
A run removes that old folder (`retire_warehouse_copy`).
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import shutil
import tempfile
from importlib import metadata
from pathlib import Path

import numpy as np

from transforms import language
from transforms.nlp import _source_fingerprint

FOLDER = "pipeline"
PREFIX = "language-"
# The code whose change retires stored state.
CODE = (language,)


def state_key() -> str:
    """What the stored language-ID arrays depend on."""
    described = {
        "model_sha256": hashlib.sha256(language.MODEL_PATH.read_bytes()).hexdigest(),
        "py3langid": metadata.version("py3langid"),
        "code": _source_fingerprint(CODE),
    }
    return hashlib.sha256(json.dumps(described, sort_keys=True).encode()).hexdigest()[:16]


def state_folder() -> Path:
    from flows.settings import cache_dir

    return cache_dir() / FOLDER


def retire_warehouse_copy(warehouse: Path) -> None:
    """Remove the copy an earlier wirehouse kept in `<warehouse>/_state/pipeline/`."""
    from flows.store.storage import state_dir

    shutil.rmtree(state_dir(warehouse) / FOLDER, ignore_errors=True)


@functools.lru_cache(maxsize=4)
def ready(folder: str | None) -> str:
    """Give `transforms.language` its model, from `folder` when a state file of the current
    key is there, else from the package (and leave the file for the next worker). Once per
    process and folder; returns where it came from: "cache" or "package"."""
    if folder is None:
        return "package"
    path = Path(folder) / f"{PREFIX}{state_key()}.npz"
    try:
        with np.load(path, allow_pickle=False) as data:
            arrays = {name: data[name] for name in data.files}
        language.use_model(arrays)
        return "cache"
    except (OSError, ValueError, KeyError, EOFError):  # missing, unreadable or torn: build it
        pass
    arrays = language.model_arrays()
    language.use_model(arrays)
    _write(path, arrays)
    return "package"


def release() -> None:
    """Forget the language model `ready` gave this process (a later `ready` gives it again)."""
    ready.cache_clear()
    language.release_model()


def prepare(folder: str) -> bool:
    """Leave the state file of the current key in `folder` for the workers, without taking
    the model into this process: `wirehouse run` calls it while Prefect's server starts, a
    time its process otherwise waits. A warehouse's first run otherwise had every worker
    build the arrays at once (0.7 CPU-s each, all starting together). True: it was built."""
    path = Path(folder) / f"{PREFIX}{state_key()}.npz"
    if path.exists():
        return False
    _write(path, language.model_arrays())
    return True


def _write(path: Path, arrays: dict[str, np.ndarray]) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        for stale in path.parent.glob(f"{PREFIX}*.npz"):
            if stale != path:
                stale.unlink(missing_ok=True)
        # Written under a temporary name and renamed: a worker reading meanwhile never sees half a file.
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=".npz")
        with os.fdopen(fd, "wb") as out:
            np.savez(out, **arrays)
        os.replace(tmp, path)
    except OSError:
        pass
