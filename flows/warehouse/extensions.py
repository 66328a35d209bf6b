"""DuckDB's extensions, loaded from the registry wheels installed with the project.

DuckDB would otherwise download an extension from its own servers the first time a query
needs it (`INSTALL`, or autoloading a known extension), which our machines cannot reach
and which would make a run depend on the network. Each extension the project uses is a
pinned, hash-checked wheel in requirements.lock (`duckdb-extension-<name>`, the same
version as `duckdb`) holding the signed extension file at
`duckdb_extension_<name>/extensions/v<duckdb version>/<name>.duckdb_extension`; `LOAD` of
that path reads it from there, installs nothing into ~/.duckdb, and keeps DuckDB's
signature check on.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import duckdb

from flows.settings import WirehouseError
from flows.warehouse.sql_text import sql_string

# The extensions every warehouse connection loads: fts gives `stem` and the BM25 macros of
# the search index.
EXTENSIONS = ("fts",)

# DuckDB settings that keep it from fetching or autoloading an extension by itself.
NO_DOWNLOADS = {"autoinstall_known_extensions": False, "autoload_known_extensions": False}


def extension_file(name: str) -> Path:
    """The extension file inside the installed `duckdb-extension-<name>` wheel."""
    spec = importlib.util.find_spec(f"duckdb_extension_{name}")
    if spec is None or not spec.submodule_search_locations:
        raise WirehouseError(
            f"DuckDB's {name} extension is not installed (package duckdb-extension-{name}=={duckdb.__version__}): run `make setup`"
        )
    folder = Path(next(iter(spec.submodule_search_locations)))
    path = folder / "extensions" / f"v{duckdb.__version__}" / f"{name}.duckdb_extension"
    if not path.is_file():
        raise WirehouseError(
            f"the installed duckdb-extension-{name} is not for duckdb {duckdb.__version__} (no {path.relative_to(folder.parent)}): "
            "run `make setup`"
        )
    return path


def load_extensions(con: duckdb.DuckDBPyConnection, names: tuple[str, ...] = EXTENSIONS) -> None:
    """LOAD each extension from its wheel's folder (a no-op for one already loaded)."""
    for name in names:
        path = str(extension_file(name))
        try:
            con.execute(f"load {sql_string(path)}")
        except duckdb.Error as exc:
            raise WirehouseError(f"DuckDB could not load its {name} extension from {path}: {str(exc).splitlines()[0]}") from exc
