"""Prefect flows, file I/O, the warehouse build and the `wirehouse` CLI.

`from flows import connect, query, engine` gives the read-only way into a built warehouse (see
flows/warehouse/read_only.py), and `search` its full-text search (flows/warehouse/search.py); they
are imported on first use so that `import flows.settings` stays cheap.
"""

__all__ = ["connect", "engine", "query", "search"]


def __getattr__(name: str):
    if name == "search":
        from flows.warehouse.search import search

        return search
    if name in __all__:
        from flows.warehouse import read_only

        return getattr(read_only, name)
    raise AttributeError(f"module 'flows' has no attribute {name!r}")
