"""DuckDB reading a Parquet store on S3 itself, through its httpfs extension.

With `--parquet-url s3://bucket/prefix` the workers write the parts through fsspec (s3fs),
and the built database's staging models are views over the parts' `s3://` URLs, read by
DuckDB's httpfs extension: loaded from its registry wheel (`duckdb-extension-httpfs`,
flows/warehouse/extensions.py), never downloaded. Any S3-compatible server works
(AWS_ENDPOINT_URL). Other fsspec stores (`memory://`, …) are read through fsspec
while the database is built, and their staging models materialized (flows/warehouse/build.py).

Credentials, for every connection that reads the views (the build, `wirehouse query`, the
dashboard, `check`): the environment's AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (with
AWS_SESSION_TOKEN, AWS_REGION or AWS_DEFAULT_REGION, AWS_ENDPOINT_URL_S3 or
AWS_ENDPOINT_URL: the variables botocore, and so the writer, reads) become a temporary
DuckDB secret scoped to the store; without them, a DuckDB secret the user created whose
scope covers the store (a persistent one: `CREATE PERSISTENT SECRET`) is used; with
neither, a one-line error says how to give them, before any request is sent.
"""

from __future__ import annotations

import os
import re
from urllib.parse import urlsplit

import duckdb

from flows.settings import WirehouseError
from flows.warehouse.extensions import load_extensions
from flows.warehouse.sql_text import sql_string

# The URL schemes whose stores DuckDB reads through httpfs. (gcs:// would read too, with an
# HMAC-key secret, but its writer (gcsfs) is not installed or tested here: such stores are
# materialized through fsspec like any other.)
HTTPFS_SCHEMES = ("s3://",)

HOW_TO_GIVE_CREDENTIALS = (
    "set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (and AWS_REGION; AWS_ENDPOINT_URL for an S3-compatible server), "
    'or create a DuckDB secret for it (README "Parquet on object storage")'
)

_S3_URL = re.compile(r"'(s3://[^']*)'")


def reads_through_httpfs(url: str) -> bool:
    """Whether DuckDB reads a store at `url` itself (httpfs), rather than through fsspec."""
    return url.startswith(HTTPFS_SCHEMES)


def secret_from_environment() -> dict[str, str] | None:
    """The parameters of a DuckDB S3 secret from the AWS_* variables botocore reads; None
    when the access key or its secret is not set."""
    key, secret = os.environ.get("AWS_ACCESS_KEY_ID"), os.environ.get("AWS_SECRET_ACCESS_KEY")
    if not key or not secret:
        return None
    params = {"key_id": key, "secret": secret}
    if token := os.environ.get("AWS_SESSION_TOKEN"):
        params["session_token"] = token
    if region := os.environ.get("AWS_REGION") or os.environ.get("AWS_DEFAULT_REGION"):
        params["region"] = region
    if endpoint := os.environ.get("AWS_ENDPOINT_URL_S3") or os.environ.get("AWS_ENDPOINT_URL"):
        parts = urlsplit(endpoint)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise WirehouseError(f"AWS_ENDPOINT_URL {endpoint!r} is not an http(s) URL such as http://127.0.0.1:9000")
        # A server of its own (MinIO, moto, Ceph, R2, …) names buckets in the path: DuckDB's
        # default (virtual-host style, bucket.host) needs DNS for every bucket.
        params.update(endpoint=parts.netloc + parts.path.rstrip("/"), use_ssl=str(parts.scheme == "https"), url_style="path")
    return params


def reach_store(con: duckdb.DuckDBPyConnection, url: str) -> None:
    """Let `con` read the Parquet files under `url` (an s3:// store): load httpfs from its
    wheel, and give it the store's credentials — the environment's, as a temporary secret
    scoped to the store (a longer scope than any bucket-wide secret, so it wins), else a
    DuckDB secret whose scope covers the store. WirehouseError in one line when there are
    neither."""
    load_extensions(con, ("httpfs",))
    params = secret_from_environment()
    if params is not None:
        options = ", ".join(f"{name} {sql_string(value)}" for name, value in params.items())
        con.execute(f"create or replace temporary secret wirehouse_store (type s3, scope {sql_string(url)}, {options})")
        return
    # which_secret loads the user's persistent secrets (~/.duckdb/stored_secrets) too.
    if con.execute("select name from which_secret(?, 's3')", [url]).fetchone() is None:
        raise WirehouseError(f"no credentials for the Parquet store {url}: {HOW_TO_GIVE_CREDENTIALS}")


def store_url_of_views(con: duckdb.DuckDBPyConnection) -> str | None:
    """Where the database's views read s3:// parts: the folder all their URLs share (the
    store's root, as every table has parts); None when they read none."""
    rows = con.execute("select sql from duckdb_views() where not internal").fetchall()
    found = sorted({m for (sql,) in rows for m in _S3_URL.findall(sql or "")})
    if not found:
        return None
    return os.path.commonprefix(found).rsplit("/", 1)[0]


def reach_store_of_views(con: duckdb.DuckDBPyConnection) -> str | None:
    """`reach_store` for the s3:// store the database's views read, if they read one."""
    url = store_url_of_views(con)
    if url is not None:
        reach_store(con, url)
    return url


def store_error(exc: duckdb.Error) -> str | None:
    """One line for DuckDB failing to read an s3:// part (refused credentials, an unknown
    host, a missing bucket), or None when the error is not that."""
    text = str(exc)
    first = text.splitlines()[0]
    if not isinstance(exc, duckdb.HTTPException) and not (
        isinstance(exc, duckdb.IOException) and ("s3://" in first or "HTTP" in first)
    ):
        return None
    status = re.search(r"\(HTTP (\d+)[^)]*\)", first)
    code = re.search(r"^(\w+): (.+)$", text, re.MULTILINE)  # S3's own error code and message
    what = f"HTTP {status.group(1)}" if status else first
    if code and status:
        what += f" {code.group(1)}: {code.group(2).strip()}"
    return f"DuckDB could not read the Parquet store ({what}): {HOW_TO_GIVE_CREDENTIALS}"
