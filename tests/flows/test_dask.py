"""`--dask-address`: the same batch tasks on a Dask cluster (a real LocalCluster here)."""

from __future__ import annotations

import shutil

import pytest

from flows.pipeline.ingest import ingest
from tests.conftest import SEEDS
from tests.flows.conftest import snapshot_rows
from tests.flows.test_incremental import settle


@pytest.fixture(scope="module")
def dask_cluster():
    from distributed import LocalCluster

    cluster = LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None, host="127.0.0.1")
    yield cluster.scheduler_address
    cluster.close()


def test_batches_run_on_a_dask_cluster_with_the_same_rows(prefect_api, dask_cluster, tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    for seed in SEEDS.glob("*.txt"):
        shutil.copy(seed, folder / seed.name)
    (folder / "empty.txt").write_bytes(b"")
    settle(folder)
    local = ingest(folder, tmp_path / "local", batch_size=1, workers=1)
    # The cluster's workers write the parts to shared storage given as an fsspec URL.
    shared = tmp_path / "shared"
    on_dask = ingest(folder, tmp_path / "dask", batch_size=1, dask_address=dask_cluster, parquet_url=f"file://{shared}")
    assert (on_dask.articles, on_dask.rejects) == (local.articles, local.rejects) == (2, 1)
    assert snapshot_rows(tmp_path / "dask") == snapshot_rows(tmp_path / "local")
    assert len(list((shared / "articles").glob("*.parquet"))) == 2 and not (tmp_path / "dask" / "parquet").exists()
