"""Pure text logic of wirehouse: bytes in, records out. No Prefect, no files on disk.

    from transforms import RawDocument, load_pipeline, process_documents
    tables = process_documents([RawDocument.from_bytes(data, "a.txt")], load_pipeline())

The names below are imported on first use: `import transforms.schemas` (all a planning
step or the CLI needs) must not pay for importing spaCy and SciPy (~2 s).
"""

import importlib

_EXPORTS = {
    "RawDocument": "transforms.article",
    "annotate": "transforms.annotation",
    "prepare": "transforms.article",
    "process_documents": "transforms.batch",
    "DEFAULT_MODEL": "transforms.nlp",
    "load_pipeline": "transforms.nlp",
    "DEFAULT_REFERENCE": "transforms.reference",
    "Reference": "transforms.reference",
}
__all__ = sorted(_EXPORTS)


def __getattr__(name: str):
    if name in _EXPORTS:
        return getattr(importlib.import_module(_EXPORTS[name]), name)
    raise AttributeError(f"module 'transforms' has no attribute {name!r}")
