"""DuckDB's extensions come from their registry wheels (issue 17 item 4): loaded from the installed
folder, never installed or downloaded at run time."""

from __future__ import annotations

import duckdb
import pytest

from flows.settings import WirehouseError
from flows.warehouse.extensions import NO_DOWNLOADS, extension_file, load_extensions


def test_the_extension_comes_from_the_installed_wheel():
    path = extension_file("fts")
    assert path.is_file()
    assert path.parts[-4:] == ("duckdb_extension_fts", "extensions", f"v{duckdb.__version__}", "fts.duckdb_extension")
    with pytest.raises(WirehouseError, match=r"duckdb-extension-nosuch==.*run `make setup`"):
        extension_file("nosuch")


def test_loading_installs_and_downloads_nothing(tmp_path):
    # An empty extension folder and a repository nobody listens on: any INSTALL, autoinstall or
    # download would either fail or leave a file in the folder.
    config = {**NO_DOWNLOADS, "extension_directory": str(tmp_path / "ext"), "custom_extension_repository": "http://127.0.0.1:9"}
    con = duckdb.connect(config=config)
    with pytest.raises(duckdb.CatalogException):  # not there until loaded: nothing is fetched for it
        con.execute("select stem('corridors', 'porter')")
    load_extensions(con)
    assert con.execute("select stem('corridors', 'porter')").fetchone() == ("corridor",)
    assert con.execute(
        "select loaded, installed, install_mode from duckdb_extensions() where extension_name = 'fts'"
    ).fetchone() == (True, False, "NOT_INSTALLED")
    assert not (tmp_path / "ext").exists() or list((tmp_path / "ext").rglob("*")) == []
