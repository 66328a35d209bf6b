#!/usr/bin/env python3
"""Build articles/*.txt and gold.json of this development set from marked/*.txt, in the marked
format and with the builder of bench/dev_persons_world/build.py (its docstring says the format).

    .venv/bin/python bench/dev_persons_world2/build.py && .venv/bin/python tests/gold/check_gold.py bench/dev_persons_world2
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

HERE = Path(__file__).resolve().parent

if __name__ == "__main__":
    spec = importlib.util.spec_from_file_location("dev_persons_world_build", HERE.parent / "dev_persons_world" / "build.py")
    assert spec is not None and spec.loader is not None
    builder = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(builder)
    builder.main(HERE)
