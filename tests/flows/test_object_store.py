"""`--parquet-url s3://…` against a local S3-compatible server the tests start and stop
(moto's server mode on 127.0.0.1, with request signing checked against keys its IAM knows):
the workers write the parts through s3fs, the built database reads them through DuckDB's
httpfs extension (flows/warehouse/object_store.py)."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
from dataclasses import dataclass

import duckdb
import httpx
import pytest

from flows import connect
from flows.pipeline.ingest import ingest
from flows.settings import WirehouseError
from flows.store import delta_log, storage
from flows.warehouse import object_store
from flows.warehouse.extensions import NO_DOWNLOADS, load_extensions
from tests.conftest import SEEDS
from tests.flows.conftest import WIREHOUSE, run_cli, run_in_process, snapshot_rows
from tests.flows.test_incremental import seeded_folder, settle

REGION = "eu-west-1"
BUCKET = "wirehouse-news"
AWS_VARIABLES = (
    "AWS_ACCESS_KEY_ID",
    "AWS_SECRET_ACCESS_KEY",
    "AWS_SESSION_TOKEN",
    "AWS_REGION",
    "AWS_DEFAULT_REGION",
    "AWS_ENDPOINT_URL",
    "AWS_ENDPOINT_URL_S3",
)


@dataclass(frozen=True)
class S3Server:
    endpoint: str
    key_id: str
    secret: str

    @property
    def env(self) -> dict[str, str]:
        """What a user of this server sets: the key, its region and the endpoint."""
        return {
            "AWS_ACCESS_KEY_ID": self.key_id,
            "AWS_SECRET_ACCESS_KEY": self.secret,
            "AWS_DEFAULT_REGION": REGION,
            "AWS_ENDPOINT_URL": self.endpoint,
        }


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def s3_server():
    """moto's S3 on a free port of 127.0.0.1, with authentication on: after the four
    requests that make a user, its key, its policy and the bucket, every request must be
    signed with a key moto's IAM holds (a wrong key or secret gets S3's 403). A process of
    its own: in this one (ThreadedMotoServer), delta-rs calls that hold the GIL while they
    wait for its answer (`DeltaTable.is_deltatable`) would wait for ever (measured: a
    180 s timeout)."""
    import time

    import boto3

    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    endpoint = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            try:
                httpx.get(f"{endpoint}/moto-api/")
                break
            except httpx.TransportError:
                time.sleep(0.1)
        httpx.post(f"{endpoint}/moto-api/reset-auth", content=b"4").raise_for_status()
        admin = boto3.Session(aws_access_key_id="admin", aws_secret_access_key="admin", region_name=REGION)
        iam = admin.client("iam", endpoint_url=endpoint)
        iam.create_user(UserName="wirehouse")
        key = iam.create_access_key(UserName="wirehouse")["AccessKey"]
        policy = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "*"}]}
        iam.put_user_policy(UserName="wirehouse", PolicyName="s3", PolicyDocument=json.dumps(policy))
        admin.client("s3", endpoint_url=endpoint).create_bucket(
            Bucket=BUCKET, CreateBucketConfiguration={"LocationConstraint": REGION}
        )
        yield S3Server(endpoint, key["AccessKeyId"], key["SecretAccessKey"])
    finally:
        server.terminate()
        server.wait(timeout=30)


@pytest.fixture
def s3_env(s3_server, monkeypatch, tmp_path):
    """This process (and the Dask workers and CLI children it starts) configured for the
    server the way a user would: AWS_* variables."""
    for name in AWS_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    for name, value in s3_server.env.items():
        monkeypatch.setenv(name, value)
    return s3_server


def _without_aws(home) -> dict[str, str]:
    """This environment without AWS_* variables, and with a home of its own (DuckDB keeps a
    user's persistent secrets in ~/.duckdb; Prefect's home stays where it was)."""
    home.mkdir(exist_ok=True)
    env = {k: v for k, v in os.environ.items() if k not in AWS_VARIABLES and k != "PREFECT_API_URL"}
    return {**env, "HOME": str(home), "PREFECT_HOME": os.environ.get("PREFECT_HOME", os.path.expanduser("~/.prefect"))}


def _parts(server: S3Server, prefix: str) -> list[str]:
    """The bucket's objects under `prefix` but the Delta tables' logs and `table_versions`."""
    return [k for k in _objects(server, prefix) if not storage.in_delta_log(k) and not k.startswith("table_versions/")]


def _objects(server: S3Server, prefix: str) -> list[str]:
    import boto3

    s3 = boto3.client(
        "s3",
        endpoint_url=server.endpoint,
        aws_access_key_id=server.key_id,
        aws_secret_access_key=server.secret,
        region_name=REGION,
    )
    found = []
    for page in s3.get_paginator("list_objects_v2").paginate(Bucket=BUCKET, Prefix=f"{prefix}/"):
        found += [item["Key"][len(prefix) + 1 :] for item in page.get("Contents", [])]
    return sorted(found)


# ---------------------------------------------------------------- fast: DuckDB and the server alone


def test_the_secret_comes_from_the_variables_botocore_reads(monkeypatch):
    for name in AWS_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    assert object_store.secret_from_environment() is None
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "AKIDEXAMPLE")
    assert object_store.secret_from_environment() is None  # a key without its secret
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "s3cr3t")
    assert object_store.secret_from_environment() == {"key_id": "AKIDEXAMPLE", "secret": "s3cr3t"}
    monkeypatch.setenv("AWS_DEFAULT_REGION", "eu-west-1")
    monkeypatch.setenv("AWS_SESSION_TOKEN", "tok")
    monkeypatch.setenv("AWS_ENDPOINT_URL", "http://127.0.0.1:9000/")
    assert object_store.secret_from_environment() == {
        "key_id": "AKIDEXAMPLE",
        "secret": "s3cr3t",
        "session_token": "tok",
        "region": "eu-west-1",
        "endpoint": "127.0.0.1:9000",
        "use_ssl": "False",
        "url_style": "path",
    }
    # The S3-specific variables win, as in botocore.
    monkeypatch.setenv("AWS_REGION", "us-east-2")
    monkeypatch.setenv("AWS_ENDPOINT_URL_S3", "https://minio.example:9443")
    found = object_store.secret_from_environment()
    assert (found["region"], found["endpoint"], found["use_ssl"]) == ("us-east-2", "minio.example:9443", "True")
    monkeypatch.setenv("AWS_ENDPOINT_URL_S3", "minio:9000")
    with pytest.raises(WirehouseError, match=r"^AWS_ENDPOINT_URL 'minio:9000' is not an http\(s\) URL"):
        object_store.secret_from_environment()


def test_which_stores_duckdb_reads_itself():
    assert [object_store.reads_through_httpfs(u) for u in ("s3://b/p", "memory://x", "gcs://b/p", "/abs/path", "file:///x")] == [
        True,
        False,
        False,
        False,
        False,
    ]


def _write_part(server: S3Server, key: str) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq
    import s3fs

    fs = s3fs.S3FileSystem(
        key=server.key_id, secret=server.secret, endpoint_url=server.endpoint, client_kwargs={"region_name": REGION}
    )
    with fs.open(f"{BUCKET}/{key}", "wb") as fh:
        pq.write_table(pa.table({"n": [1, 2, 3]}), fh)


def test_an_s3_stores_tables_are_delta_tables_committed_with_a_conditional_write(s3_env, tmp_path):
    """Two runs committed to Delta tables in the bucket: the pointer read back from the log
    (without deltalake) is the one deltalake reads; each commit went up with
    `If-None-Match: *` (a version is put only if absent), and a commit of a version that
    exists is refused by the server (412), so delta-rs moves to the next version."""
    import boto3
    import botocore.exceptions

    from transforms.schemas import TABLES

    store = storage.ParquetStore(f"s3://{BUCKET}/delta-{tmp_path.name}")
    parts = {n: [store.write(n, TABLES[n].empty_table(), "part-r1")] for n in TABLES}
    checks = {rel: store.checks(rel) for paths in parts.values() for rel in paths}
    delta_log.commit_run(store, "r1", parts, checks)
    second = {**parts, "articles": [store.write("articles", TABLES["articles"].empty_table(), "part-r2")]}
    checks.update({rel: store.checks(rel) for rel in second["articles"]})
    versions = delta_log.commit_run(store, "r2", second, checks)
    fast = delta_log.last_pointer(store)
    assert fast == delta_log.published_runs(store)[-1] and fast.run_id == "r2" and fast.versions == versions
    assert {t: sorted(f) for t, f in fast.files.items()} == second
    assert delta_log.tables_ahead(store, "r2", versions, second) == {}
    assert delta_log.previous_pointer(store, fast).run_id == "r1"
    # The server refuses a second object at a version's key: the put-if-absent delta-rs relies on.
    s3 = boto3.client("s3", endpoint_url=s3_env.endpoint)
    key = f"delta-{tmp_path.name}/articles/_delta_log/{versions['articles']:020d}.json"
    with pytest.raises(botocore.exceptions.ClientError, match="PreconditionFailed"):
        s3.put_object(Bucket=BUCKET, Key=key, Body=b"{}", IfNoneMatch="*")
    # A second engine reads the bucket's Delta tables: DuckDB's delta extension (registry wheel, offline).
    con = duckdb.connect(config=NO_DOWNLOADS)
    load_extensions(con, ("httpfs", "delta"))
    con.execute(
        f"create secret s (type s3, key_id '{s3_env.key_id}', secret '{s3_env.secret}', region '{REGION}', "
        f"endpoint '{s3_env.endpoint.removeprefix('http://')}', use_ssl false, url_style 'path')"
    )
    pointer = con.execute(
        f"select table_name, version from delta_scan('{delta_log.table_uri(store, delta_log.VERSIONS)}') where run_id = 'r2'"
    ).fetchall()
    assert dict(pointer) == versions
    con.close()
    # Vacuum with no grace keeps the previous run's files (its version is kept).
    assert delta_log.vacuum(store, 0, set()) == 0
    assert store.size(parts["articles"][0]) is not None


def test_duckdb_reads_the_server_with_the_environments_credentials_and_says_when_it_cannot(s3_env, monkeypatch):
    _write_part(s3_env, "fast/t/part.parquet")
    url = f"s3://{BUCKET}/fast"
    con = duckdb.connect()
    object_store.reach_store(con, url)
    assert con.execute(f"select sum(n) from read_parquet('{url}/t/part.parquet')").fetchone() == (6,)
    # The secret is the store's: scoped to it, with the endpoint in path style.
    assert con.execute("select name, scope from duckdb_secrets()").fetchall() == [("wirehouse_store", [url])]
    con.close()

    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "not-the-secret")
    con = duckdb.connect()
    object_store.reach_store(con, url)
    with pytest.raises(duckdb.HTTPException) as caught:
        con.execute(f"select * from read_parquet('{url}/t/part.parquet')")
    assert object_store.store_error(caught.value) == (
        "DuckDB could not read the Parquet store (HTTP 403 SignatureDoesNotMatch: The request signature we calculated "
        "does not match the signature you provided. Check your key and signing method.): " + object_store.HOW_TO_GIVE_CREDENTIALS
    )
    con.close()

    for name in AWS_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    con = duckdb.connect()
    with pytest.raises(WirehouseError) as missing:
        object_store.reach_store(con, url)
    assert str(missing.value) == f"no credentials for the Parquet store {url}: {object_store.HOW_TO_GIVE_CREDENTIALS}"
    # A DuckDB secret of the user's whose scope covers the store is enough.
    con.execute(
        f"create secret mine (type s3, key_id '{s3_env.key_id}', secret '{s3_env.secret}', region '{REGION}', "
        f"endpoint '{s3_env.endpoint.removeprefix('http://')}', use_ssl false, url_style 'path', scope 's3://{BUCKET}')"
    )
    object_store.reach_store(con, url)
    assert con.execute(f"select count(*) from read_parquet('{url}/t/part.parquet')").fetchone() == (3,)
    con.close()


def test_an_unreachable_store_is_one_line(s3_env, monkeypatch):
    import s3fs

    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "AKIANOTAKEY")
    s3fs.S3FileSystem.clear_instance_cache()  # fsspec keeps one per set of arguments, with its credentials
    store = storage.ParquetStore(f"s3://{BUCKET}/unreachable")
    try:
        with pytest.raises(storage.StoreUnreachable) as caught:
            store.read_bytes(storage.STORE_MARKER)
    finally:
        s3fs.S3FileSystem.clear_instance_cache()
    assert str(caught.value).startswith(
        f"the Parquet store s3://{BUCKET}/unreachable cannot be read (PermissionError: Forbidden): "
        "give its credentials in AWS_ACCESS_KEY_ID"
    )


# ---------------------------------------------------------------- end to end: the CLI, the flow, Dask


@pytest.fixture
def folder(tmp_path):
    return seeded_folder(tmp_path / "in", {"note.txt": "Note\n\nA short article about Minsk and NATO.\n", "empty.txt": b""})


def test_a_run_on_s3_gives_the_rows_of_a_local_run_and_the_database_reads_s3(prefect_api, s3_env, folder, tmp_path):
    prefix = f"runs-{tmp_path.name}"
    url = f"s3://{BUCKET}/{prefix}"
    remote = tmp_path / "remote"
    first = run_cli("run", "--input", str(folder), "--warehouse", str(remote), "--parquet-url", url, "--workers", "1")
    assert first.returncode == 0, first.stderr
    ingest(folder, tmp_path / "local", workers=1)
    assert snapshot_rows(remote) == snapshot_rows(tmp_path / "local")

    # The parts are in the bucket, none in the warehouse folder; the snapshot names the store.
    snapshot = storage.load_snapshot(remote)
    assert snapshot.parquet_url == url and not (remote / "parquet").exists()
    listed = sorted(p for paths in snapshot.parts.values() for p in paths)
    assert _parts(s3_env, prefix) == sorted([storage.STORE_MARKER, *listed])
    # Each table in the bucket is a Delta table listing exactly those parts, `table_versions` names
    # the run, and no snapshot JSON was written (flows/store/delta_log.py).
    store = snapshot.store(remote)
    assert [p.run_id for p in delta_log.published_runs(store)] == [snapshot.run_id] == [delta_log.last_pointer(store).run_id]
    for name, parts in snapshot.parts.items():
        table = delta_log.open_table(store, name)
        assert sorted(f"{name}/{p}" for p in delta_log.listed_files(table)) == sorted(parts), name
    assert not (remote / "_state" / "current.json").exists()

    # The staging models are views over the parts' s3:// URLs, read through httpfs.
    with connect(remote) as con:
        kinds = dict(con.execute("select table_name, table_type from information_schema.tables").fetchall())
        assert kinds["stg_articles"] == "VIEW" and kinds["top_entities"] in ("BASE TABLE", "VIEW")
        (sql,) = con.execute("select sql from duckdb_views() where view_name = 'stg_articles'").fetchone()
        assert [f"{url}/{rel}" in sql for rel in snapshot.parts["articles"]] == [True] * len(snapshot.parts["articles"])
        assert con.execute("select count(*) from stg_articles").fetchone() == (3,)
        assert con.execute("select count(*) from stg_rejects").fetchone() == (1,)

    # `wirehouse query` in a child process, with the environment's credentials...
    answer = run_cli("query", "select count(*) as n from stg_articles", "--warehouse", str(remote))
    assert (answer.returncode, answer.stdout.split()[:3]) == (0, ["n", "-", "3"]), answer.stderr
    # ...without any: one line, before a request is sent.
    bare = subprocess.run(
        [WIREHOUSE, "query", "select count(*) from stg_articles", "--warehouse", str(remote)],
        env=_without_aws(tmp_path / "nobody"),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert (bare.returncode, bare.stderr) == (
        1,
        f"Error: no credentials for the Parquet store {url}: {object_store.HOW_TO_GIVE_CREDENTIALS}\n",
    )
    # ...with a wrong secret: S3's refusal, in one line.
    wrong = run_cli(
        "query", "select count(*) from stg_articles", "--warehouse", str(remote), env={"AWS_SECRET_ACCESS_KEY": "wrong"}
    )
    assert wrong.returncode == 1 and wrong.stderr.count("\n") == 1, wrong.stderr
    assert wrong.stderr.startswith("Error: DuckDB could not read the Parquet store (HTTP 403 SignatureDoesNotMatch:")
    # ...and a BI reader with a persistent DuckDB secret of its own in its home, no variables.
    home = tmp_path / "analyst"
    secret = (
        f"create persistent secret news (type s3, key_id '{s3_env.key_id}', secret '{s3_env.secret}', region '{REGION}', "
        f"endpoint '{s3_env.endpoint.removeprefix('http://')}', use_ssl false, url_style 'path', scope '{url}')"
    )
    script = (
        "import duckdb; from flows.warehouse.extensions import load_extensions; con = duckdb.connect(); "
        f"load_extensions(con, ('httpfs',)); con.execute({secret!r})"
    )
    subprocess.run([sys.executable, "-c", script], env=_without_aws(home), check=True)
    assert (home / ".duckdb" / "stored_secrets" / "news.duckdb_secret").is_file()
    analyst = subprocess.run(
        [WIREHOUSE, "query", "select count(*) as n from stg_sentences", "--warehouse", str(remote)],
        env=_without_aws(home),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert analyst.returncode == 0, analyst.stderr
    with connect(tmp_path / "local") as con:
        assert analyst.stdout.split()[2] == str(con.execute("select count(*) from stg_sentences").fetchone()[0])

    # A run with a wrong key: one line, the warehouse untouched.
    before = (remote / "news.duckdb").stat().st_mtime_ns
    (folder / "more.txt").write_text("More\n\nAnother note, about Kyiv.\n")
    settle(folder, {"more.txt"})
    refused = run_cli("run", "--input", str(folder), "--warehouse", str(remote), env={"AWS_ACCESS_KEY_ID": "AKIANOTAKEY"})
    assert refused.returncode == 1 and refused.stderr.count("\n") == 1, refused.stderr
    # (The run's first request lists table_versions' Delta log: S3's refusal of a listing has a body.)
    assert refused.stderr.startswith(f"Error: the Parquet store {url} cannot be read (PermissionError: ")
    assert "): give its credentials in AWS_ACCESS_KEY_ID" in refused.stderr
    assert (remote / "news.duckdb").stat().st_mtime_ns == before

    # Incremental: a changed and a new file; the old parts go once no snapshot lists them.
    (folder / "note.txt").write_text("Note, rewritten\n\nThe rewritten note mentions Kyiv.\n")
    settle(folder, {"note.txt"}, age_s=30)
    second = run_cli("run", "--input", str(folder), "--warehouse", str(remote), env={"WIREHOUSE_GC_GRACE": "0"})
    assert second.returncode == 0, second.stderr
    ingest(folder, tmp_path / "local", workers=1)
    assert snapshot_rows(remote) == snapshot_rows(tmp_path / "local")
    with connect(remote) as con:
        assert con.execute("select count(*) from stg_articles").fetchone() == (4,)
    current, previous = (storage.load_snapshot(remote, n) for n in ("current.json", "previous.json"))
    assert current.versions and previous.versions  # read from table_versions in the bucket
    kept = {p for snap in (current, previous) for paths in snap.parts.values() for p in paths}
    assert set(_parts(s3_env, prefix)) == kept | {storage.STORE_MARKER}
    # Nothing new: a no-op that reads only the store's marker and part sizes.
    again = run_cli("run", "--input", str(folder), "--warehouse", str(remote))
    assert again.returncode == 0 and "up to date" in again.stdout.lower(), again.stdout + again.stderr


def _view_rows(warehouse, view, *extra, cli=run_in_process):
    result = cli("query", f"select * from {view}", "--warehouse", str(warehouse), "--format", "json", *extra)
    assert result.returncode == 0, result.stderr[-2000:]
    return sorted(json.dumps(r, sort_keys=True) for r in json.loads(result.stdout))


def test_as_of_on_an_s3_store_gives_the_previous_runs_rows_exactly(prefect_api, s3_env, tmp_path, monkeypatch):
    """`wirehouse query --as-of RUN_ID|TIMESTAMP` over a warehouse whose store is in the bucket:
    the run before the last, read from its Delta table versions in the bucket, even after the
    last run's cleanup with no grace period (vacuum keeps the previous run's files)."""
    monkeypatch.setenv("WIREHOUSE_GC_GRACE", "0")
    notes = {f"note{i}.txt": f"Note {i}\n\nA short article number {i} about Minsk and NATO.\n" for i in range(3)}
    folder, wh = seeded_folder(tmp_path / "in", notes, age_s=120), tmp_path / "wh"
    url = f"s3://{BUCKET}/as-of-{tmp_path.name}"
    ingest(folder, wh, workers=1, parquet_url=url)
    views = ("stg_articles", "stg_sentences", "stg_entities", "top_entities")
    first = {v: _view_rows(wh, v) for v in views}
    (folder / "note0.txt").write_text("Note 0, corrected\n\nKyiv and Warsaw said so.\n")
    (folder / "note1.txt").unlink()
    (folder / "note7.txt").write_text("Note 7\n\nA new article about Vilnius.\n")
    settle(folder, age_s=60)
    ingest(folder, wh, workers=1)
    second = {v: _view_rows(wh, v) for v in views}
    history = delta_log.published_runs(storage.open_store(wh, storage.load_snapshot(wh)))
    assert len(history) == 2 and all(first[v] != second[v] for v in ("stg_articles", "stg_sentences"))
    # run_history links each run to the versions the bucket's table_versions names (issue 17 item 3).
    versions = {r["run_id"]: r["table_versions"] for r in map(json.loads, _view_rows(wh, "run_history"))}
    assert versions == {p.run_id: p.versions for p in history}
    as_of = {
        r["run_id"]: r["table_versions"] for r in map(json.loads, _view_rows(wh, "run_history", "--as-of", history[0].run_id))
    }
    assert as_of == {history[0].run_id: history[0].versions}
    # By run id, in a child process as a user runs it, and in this one for every view.
    assert _view_rows(wh, "stg_articles", "--as-of", history[0].run_id, cli=run_cli) == first["stg_articles"]
    for view in views:
        assert _view_rows(wh, view, "--as-of", history[0].run_id) == first[view], view
    # By time: the first run's finish, and the last's.
    assert _view_rows(wh, "stg_sentences", "--as-of", history[0].finished_at.isoformat()) == first["stg_sentences"]
    assert _view_rows(wh, "stg_sentences", "--as-of", history[1].finished_at.isoformat()) == second["stg_sentences"]
    # The Python API, the same.
    with connect(wh, as_of=history[0].run_id) as con:
        assert con.execute("select count(*) from stg_articles").fetchone() == (len(first["stg_articles"]),)


def test_compaction_on_s3_is_deltas_optimize_with_the_rows_of_a_local_run(prefect_api, s3_env, tmp_path):
    """More part groups than compaction's threshold on an s3:// store: each row table's
    small files merged by delta-rs's optimize in the bucket, the rows those of a local run;
    a changed file's rows in the merged files replaced."""
    notes = {f"note{i:02d}.txt": f"Note {i}\n\nA short article number {i} about Minsk and NATO.\n" for i in range(17)}
    folder = seeded_folder(tmp_path / "in", notes, age_s=120)
    url = f"s3://{BUCKET}/compaction-{tmp_path.name}"
    ingest(folder, tmp_path / "remote", workers=1, batch_size=1, parquet_url=url)
    ingest(folder, tmp_path / "local", workers=1)
    assert snapshot_rows(tmp_path / "remote") == snapshot_rows(tmp_path / "local")
    store = storage.load_snapshot(tmp_path / "remote").store(tmp_path / "remote")
    for table in ("articles", "sentences", "entities"):
        delta = delta_log.open_table(store, table)
        assert len(delta_log.listed_files(delta)) == 1, table
        assert [h["operation"] for h in delta.history()][0] == "OPTIMIZE", table
    (folder / "note03.txt").write_text("Note 3, rewritten\n\nThe rewritten note mentions Kyiv.\n")
    settle(folder, {"note03.txt"}, age_s=30)
    ingest(folder, tmp_path / "remote", workers=1, batch_size=1)
    ingest(folder, tmp_path / "local", workers=1)
    assert snapshot_rows(tmp_path / "remote") == snapshot_rows(tmp_path / "local")


@pytest.fixture(scope="module")
def dask_on_s3(s3_server):
    """A LocalCluster whose worker processes get the server's variables as a user's would."""
    from distributed import LocalCluster

    saved = {name: os.environ.get(name) for name in AWS_VARIABLES}
    os.environ.update(s3_server.env)
    try:
        cluster = LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None, host="127.0.0.1")
    finally:
        for name, value in saved.items():
            os.environ.pop(name, None) if value is None else os.environ.__setitem__(name, value)
    yield cluster.scheduler_address
    cluster.close()


def test_a_dask_run_writes_to_s3_with_the_rows_of_a_local_run(prefect_api, s3_env, dask_on_s3, tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    for seed in SEEDS.glob("*.txt"):
        shutil.copy(seed, folder / seed.name)
    settle(folder)
    prefix = f"dask-{tmp_path.name}"
    url = f"s3://{BUCKET}/{prefix}"
    on_dask = ingest(folder, tmp_path / "dask", batch_size=1, dask_address=dask_on_s3, parquet_url=url)
    local = ingest(folder, tmp_path / "local", batch_size=1, workers=1)
    assert (on_dask.articles, on_dask.rejects) == (local.articles, local.rejects) == (2, 0)
    assert snapshot_rows(tmp_path / "dask") == snapshot_rows(tmp_path / "local")
    snapshot = storage.load_snapshot(tmp_path / "dask")
    assert len(snapshot.parts["articles"]) == 2  # one part per batch, each written by a Dask worker
    assert _parts(s3_env, prefix) == sorted([storage.STORE_MARKER, *(p for paths in snapshot.parts.values() for p in paths)])
    assert delta_log.last_pointer(snapshot.store(tmp_path / "dask")).run_id == snapshot.run_id
    with connect(tmp_path / "dask") as con:
        assert url in con.execute("select sql from duckdb_views() where view_name = 'stg_entities'").fetchone()[0]


# --- gs:// (issue 17 item 6): what blocks a gcs store of Delta tables ---------------------


@pytest.fixture
def gcs_server(tmp_path):
    """tests/flows/gcs_xml_server.py on a free port (GCS's XML API, in memory, in a process
    of its own, for the reason s3_server gives); yields its URL and its request log."""
    import time

    port, log = _free_port(), tmp_path / "gcs-requests.log"
    server = subprocess.Popen(
        [sys.executable, "-m", "tests.flows.gcs_xml_server", str(port), str(log)],
        cwd=os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            try:
                httpx.get(f"{url}/b/none")
                break
            except httpx.TransportError:
                time.sleep(0.05)
        yield url, log
    finally:
        server.terminate()
        server.wait(timeout=30)


def test_delta_rs_and_duckdb_read_and_write_delta_tables_on_a_gcs_test_server(gcs_server, tmp_path):
    """The two engines a gs:// Delta store needs, against GCS's XML API (our test server):
    delta-rs (object_store, a service-account file naming the server, no OAuth) commits each
    version with `x-goog-if-generation-match: 0` (put-if-absent: the server refuses an
    existing version with 412), reads an earlier version, optimizes and vacuums; DuckDB's
    httpfs (a gcs secret with the server as its endpoint) reads the table's files and its
    delta extension the table. What is missing is the third: the project writes a store's
    parts through fsspec, and gcsfs (which speaks GCS's JSON API) is no dependency, so a run
    on gs:// stops at once (next test)."""
    import pyarrow as pa
    from deltalake import DeltaTable, write_deltalake

    url, log = gcs_server
    account = tmp_path / "service-account.json"
    account.write_text(
        json.dumps({"gcs_base_url": url, "disable_oauth": True, "client_email": "", "private_key": "", "private_key_id": ""})
    )
    options = {"google_service_account": str(account)}
    uri = "gs://news/wirehouse/articles"
    first, second = pa.table({"n": [1, 2, 3]}), pa.table({"n": [4, 5]})
    write_deltalake(uri, first, storage_options=options)
    write_deltalake(uri, second, mode="append", storage_options=options)
    table = DeltaTable(uri, storage_options=options)
    assert table.version() == 1 and sorted(table.to_pyarrow_table()["n"].to_pylist()) == [1, 2, 3, 4, 5]
    assert DeltaTable(uri, version=0, storage_options=options).to_pyarrow_table()["n"].to_pylist() == [1, 2, 3]
    commits = [line.split() for line in log.read_text().splitlines() if line.startswith("PUT ") and "_delta_log" in line]
    assert len(commits) == 2 and all(c[2] == "200" and c[3] == "x-goog-if-generation-match=0" for c in commits), commits
    again = httpx.put(
        f"{url}/news/wirehouse/articles/_delta_log/{0:020d}.json", content=b"{}", headers={"x-goog-if-generation-match": "0"}
    )
    assert again.status_code == 412 and DeltaTable(uri, storage_options=options).version() == 1
    table.optimize.compact()
    table = DeltaTable(uri, storage_options=options)
    assert table.version() == 2 and len(table.file_uris()) == 1
    assert len(table.vacuum(retention_hours=0, enforce_retention_duration=False, dry_run=False)) == 2
    # DuckDB, the registry wheels, offline; the secret's endpoint is the server.
    con = duckdb.connect(config=NO_DOWNLOADS)
    load_extensions(con, ("httpfs", "delta"))
    con.execute(
        f"create secret g (type gcs, key_id 'k', secret 's', endpoint '{url.removeprefix('http://')}', "
        "url_style 'path', use_ssl false)"
    )
    files = DeltaTable(uri, storage_options=options).file_uris()
    assert con.execute(f"select sum(n) from read_parquet({files!r})").fetchone() == (15,)
    assert sorted(r[0] for r in con.execute(f"select n from delta_scan('{uri}')").fetchall()) == [1, 2, 3, 4, 5]
    con.close()


@pytest.mark.parametrize("scheme", ["gs", "gcs"])
def test_a_gcs_store_stops_the_run_at_once_without_gcsfs(scheme, tmp_path):
    """gcsfs is not a dependency: a gs:// or gcs:// store is refused in one line before the
    run starts anything (README, "Not supported")."""
    folder = seeded_folder(tmp_path / "in", {"a.txt": "A note\n\nAbout Minsk.\n"}, age_s=120)
    result = run_in_process(
        "run", "--input", str(folder), "--warehouse", str(tmp_path / "wh"), "--parquet-url", f"{scheme}://news/wirehouse"
    )
    assert result.returncode != 0 and "Traceback" not in result.stderr, result.stderr[-2000:]
    assert (
        result.stderr.strip() == f"Error: Parquet URL '{scheme}://news/wirehouse': Please install gcsfs to access Google Storage"
    )
    # Before Prefect's server, the model or the store: nothing in the warehouse but its lock.
    assert sorted(p.name for p in (tmp_path / "wh").rglob("*")) == [".wirehouse.lock"]


@pytest.mark.parametrize("point", ["between_table_commits", "before_table_versions_commit", "before_database_swap"])
def test_a_run_on_s3_killed_at_a_commit_point_leaves_the_last_warehouse_and_the_next_run_exact(
    point, prefect_api, s3_env, tmp_path
):
    """kill -9 of a run on an s3:// store at each point between its Delta commits in the
    bucket and its database swap (tests/flows/test_crash_safety.py does every point on a local
    store): the warehouse still reads the last published run's rows through httpfs; the next
    run gives the rows of a run never killed (a local warehouse of the same folder) and the
    bucket's tables the versions its table_versions row names."""
    import signal

    notes = {f"note{i}.txt": f"Note {i}\n\nA short article number {i} about Minsk and NATO.\n" for i in range(3)}
    folder, wh = seeded_folder(tmp_path / "in", notes, age_s=120), tmp_path / "wh"
    url = f"s3://{BUCKET}/kill-{tmp_path.name}"
    ingest(folder, wh, workers=1, parquet_url=url)
    before = snapshot_rows(wh, folder)
    (folder / "note0.txt").write_text("Note 0, corrected\n\nKyiv and Warsaw said so.\n")
    (folder / "note1.txt").unlink()
    (folder / "note7.txt").write_text("Note 7\n\nA new article about Vilnius.\n")
    settle(folder, age_s=60)
    env = {"PREFECT_API_URL": prefect_api, "WIREHOUSE_CRASH_AT": point}
    killed = run_cli("run", "--input", str(folder), "--warehouse", str(wh), "--workers", "1", env=env)
    assert killed.returncode == -signal.SIGKILL, killed.stderr[-2000:]
    assert snapshot_rows(wh, folder) == before  # the database is the last published run's
    again = run_in_process("run", "--input", str(folder), "--warehouse", str(wh), "--workers", "1")
    assert again.returncode == 0 and "Traceback" not in again.stderr, again.stderr[-3000:]
    ingest(folder, tmp_path / "local", workers=1)
    after = snapshot_rows(wh, folder)
    assert after == snapshot_rows(tmp_path / "local", folder) and after != before
    snapshot = storage.load_snapshot(wh)
    store = snapshot.store(wh)
    history = delta_log.published_runs(store)
    assert history[-1].run_id == snapshot.run_id and len(history) == (3 if point == "before_database_swap" else 2)
    for name, parts in snapshot.parts.items():
        table = delta_log.open_table(store, name)
        assert table.version() == history[-1].versions[name], name
        assert sorted(f"{name}/{p}" for p in delta_log.listed_files(table)) == sorted(parts), name
