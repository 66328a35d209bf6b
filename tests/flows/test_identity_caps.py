"""The identity step's own DuckDB cap and threads (flows/settings.py), and the benchmark's
switch that leaves it out."""

from __future__ import annotations

from flows import settings
from flows.store.storage import ParquetStore
from flows.warehouse.build import connect_capped


def _setting(con, name: str) -> str:
    return con.execute(f"select current_setting('{name}')").fetchone()[0]


def test_a_connection_takes_its_own_cap_and_threads(tmp_path, monkeypatch):
    monkeypatch.setenv("WIREHOUSE_BUILD_MEMORY", "256MB")
    store = ParquetStore(str(tmp_path / "parquet"))
    build = connect_capped(":memory:", tmp_path, store)
    own = connect_capped(":memory:", tmp_path, store, memory="64MB", threads=1)
    try:
        assert _setting(build, "memory_limit") == "244.1 MiB"  # DuckDB shows 256 MB in MiB
        assert (_setting(own, "memory_limit"), _setting(own, "threads")) == ("61.0 MiB", 1)
    finally:
        build.close()
        own.close()


def test_the_identity_settings_and_their_environment(monkeypatch):
    for name in ("WIREHOUSE_IDENTITY_MEMORY", "WIREHOUSE_IDENTITY_THREADS", "WIREHOUSE_SKIP_IDENTITY"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("WIREHOUSE_BUILD_MEMORY", "2GB")  # the build's cap is not the step's
    assert (settings.identity_memory(), settings.identity_threads(), settings.skip_identity()) == (
        settings.IDENTITY_MEMORY,
        settings.IDENTITY_THREADS,
        False,
    )
    monkeypatch.setenv("WIREHOUSE_IDENTITY_MEMORY", "96MB")
    monkeypatch.setenv("WIREHOUSE_IDENTITY_THREADS", "2")
    monkeypatch.setenv("WIREHOUSE_SKIP_IDENTITY", "1")
    assert (settings.identity_memory(), settings.identity_threads(), settings.skip_identity()) == ("96MB", 2, True)
    monkeypatch.setenv("WIREHOUSE_SKIP_IDENTITY", "yes")  # only "1" skips
    assert settings.skip_identity() is False
