"""Pure text logic of wirehouse: bytes in, records out. No Prefect, no files on disk.

    from transforms import RawDocument, load_pipeline, process_documents
    tables = process_documents([RawDocument.from_bytes(data, "a.txt")], load_pipeline())
"""

from transforms.article import RawDocument, annotate, prepare, process_documents
from transforms.nlp import DEFAULT_MODEL, load_pipeline
from transforms.reference import DEFAULT_REFERENCE, Reference

__all__ = [
    "DEFAULT_MODEL",
    "DEFAULT_REFERENCE",
    "RawDocument",
    "Reference",
    "annotate",
    "load_pipeline",
    "prepare",
    "process_documents",
]
