"""A Google Cloud Storage server for tests, XML API only, in memory, on 127.0.0.1
(`python -m tests.flows.gcs_xml_server PORT LOGFILE`): what delta-rs's object_store and
DuckDB's httpfs ask of GCS, for tests/flows/test_object_store.py (issue 17 item 6).

Why our own: the two GCS emulators on PyPI do not serve the XML API object_store uses
(session 10: `gcp-storage-emulator` answers its listing `GET /<bucket>?list-type=2` with 501,
fake-gcs-server its `PUT /<bucket>/<object>` with 400 "invalid uploadType"); object_store's
own CI uses a fork of fake-gcs-server. Served here, path-style (`/<bucket>/<object>`):
PUT (an upload, or a copy with `x-goog-copy-source`), GET and HEAD (with `Range`), DELETE,
the preconditions `x-goog-if-generation-match` (0: only if absent; 412 otherwise), the list
`GET /<bucket>?list-type=2` (prefix, delimiter, start-after, continuation-token, max-keys) and
multipart uploads (`?uploads`, `?partNumber=&uploadId=`, `?uploadId=`). Not the JSON API
(`/storage/v1/…`, what gcsfs speaks): any other request gets 501 and its line in the log.
No authentication is checked. Each request is one line of LOGFILE: method, path, status and
the precondition header (the path unquoted).
"""

from __future__ import annotations

import email.utils
import hashlib
import sys
import threading
import time
import urllib.parse
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from xml.sax.saxutils import escape

PRECONDITION = "x-goog-if-generation-match"


class Bucket:
    def __init__(self) -> None:
        self.objects: dict[tuple[str, str], dict] = {}
        self.uploads: dict[str, dict[int, bytes]] = {}
        self.lock = threading.Lock()
        self.generation = time.time_ns() // 1000

    def put(self, bucket: str, key: str, data: bytes) -> dict:
        self.generation += 1
        obj = {"data": data, "etag": hashlib.md5(data).hexdigest(), "mtime": time.time(), "generation": self.generation}
        self.objects[(bucket, key)] = obj
        return obj


STATE = Bucket()
LOG_PATH = ""


def _meta(obj: dict) -> dict[str, str]:
    return {
        "ETag": f'"{obj["etag"]}"',
        "Last-Modified": email.utils.formatdate(obj["mtime"], usegmt=True),
        "x-goog-generation": str(obj["generation"]),
        "Content-Type": "application/octet-stream",
    }


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, format, *args):  # noqa: A002 (BaseHTTPRequestHandler's name)
        if LOG_PATH and len(args) > 1:
            with open(LOG_PATH, "a") as log:
                log.write(
                    f"{self.command} {urllib.parse.unquote(self.path)} {args[1]} {PRECONDITION}={self.headers.get(PRECONDITION)}\n"
                )

    def _target(self) -> tuple[str, str, dict[str, list[str]]]:
        url = urllib.parse.urlsplit(self.path)
        bucket, _, key = url.path.lstrip("/").partition("/")
        return urllib.parse.unquote(bucket), urllib.parse.unquote(key), urllib.parse.parse_qs(url.query, keep_blank_values=True)

    def _body(self) -> bytes:
        n = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(n) if n else b""

    def _send(self, code: int, body: bytes = b"", headers: dict[str, str] | None = None) -> None:
        self.send_response(code)
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if body and self.command != "HEAD":
            self.wfile.write(body)

    def _error(self, code: int, name: str) -> None:
        self._send(code, f"<?xml version='1.0' encoding='UTF-8'?><Error><Code>{name}</Code></Error>".encode())

    def _allowed(self, existing: dict | None) -> bool:
        match = self.headers.get(PRECONDITION)
        if match is None:
            return True
        if match == "0":
            return existing is None
        return existing is not None and str(existing["generation"]) == match

    def do_PUT(self) -> None:
        bucket, key, query = self._target()
        data = self._body()
        if "uploadId" in query:
            parts = STATE.uploads.get(query["uploadId"][0])
            if parts is None:
                return self._error(404, "NoSuchUpload")
            parts[int(query["partNumber"][0])] = data
            return self._send(200, headers={"ETag": f'"{hashlib.md5(data).hexdigest()}"'})
        with STATE.lock:
            if not self._allowed(STATE.objects.get((bucket, key))):
                return self._error(412, "PreconditionFailed")
            source = self.headers.get("x-goog-copy-source")
            if source:
                src_bucket, _, src_key = urllib.parse.unquote(source).lstrip("/").partition("/")
                src = STATE.objects.get((src_bucket, src_key))
                if src is None:
                    return self._error(404, "NoSuchKey")
                obj = STATE.put(bucket, key, src["data"])
                return self._send(200, b"<CopyObjectResult/>", _meta(obj))
            obj = STATE.put(bucket, key, data)
        self._send(200, headers=_meta(obj))

    def do_POST(self) -> None:
        bucket, key, query = self._target()
        self._body()
        if "uploads" in query:
            upload = uuid.uuid4().hex
            STATE.uploads[upload] = {}
            xml = f"<InitiateMultipartUploadResult><Bucket>{escape(bucket)}</Bucket><Key>{escape(key)}</Key><UploadId>{upload}</UploadId></InitiateMultipartUploadResult>"
            return self._send(200, xml.encode())
        if "uploadId" in query:
            parts = STATE.uploads.pop(query["uploadId"][0], None)
            if parts is None:
                return self._error(404, "NoSuchUpload")
            with STATE.lock:
                if not self._allowed(STATE.objects.get((bucket, key))):
                    return self._error(412, "PreconditionFailed")
                obj = STATE.put(bucket, key, b"".join(parts[n] for n in sorted(parts)))
            xml = f'<CompleteMultipartUploadResult><ETag>"{obj["etag"]}"</ETag></CompleteMultipartUploadResult>'
            return self._send(200, xml.encode(), _meta(obj))
        self._error(501, "NotImplemented")

    def do_GET(self) -> None:
        bucket, key, query = self._target()
        if not key:
            return self._list(bucket, query) if "list-type" in query else self._error(501, "NotImplemented")
        obj = STATE.objects.get((bucket, key))
        if obj is None:
            return self._error(404, "NoSuchKey")
        data, headers = obj["data"], _meta(obj)
        wanted = self.headers.get("Range", "")
        if not wanted.startswith("bytes="):
            return self._send(200, data, headers)
        first, _, last = wanted[6:].partition("-")
        if first == "":
            start, end = max(0, len(data) - int(last)), len(data) - 1
        else:
            start, end = int(first), min(int(last) if last else len(data) - 1, len(data) - 1)
        if start >= len(data):
            return self._error(416, "InvalidRange")
        headers["Content-Range"] = f"bytes {start}-{end}/{len(data)}"
        self._send(206, data[start : end + 1], headers)

    do_HEAD = do_GET

    def do_DELETE(self) -> None:
        bucket, key, _ = self._target()
        with STATE.lock:
            gone = STATE.objects.pop((bucket, key), None)
        self._send(204) if gone else self._error(404, "NoSuchKey")

    def _list(self, bucket: str, query: dict[str, list[str]]) -> None:
        def arg(name: str, default: str = "") -> str:
            return query.get(name, [default])[0]

        prefix, delimiter = arg("prefix"), arg("delimiter")
        after = max(arg("continuation-token"), arg("start-after"))
        limit = int(arg("max-keys", "1000"))
        keys, prefixes = [], []
        for b, k in sorted(STATE.objects):
            if b != bucket or not k.startswith(prefix) or (after and k <= after):
                continue
            rest = k[len(prefix) :]
            if delimiter and delimiter in rest:
                common = prefix + rest.split(delimiter, 1)[0] + delimiter
                if common not in prefixes:
                    prefixes.append(common)
            else:
                keys.append(k)
        truncated = len(keys) > limit
        keys = keys[:limit]
        xml = [
            f"<?xml version='1.0' encoding='UTF-8'?><ListBucketResult><Name>{escape(bucket)}</Name><Prefix>{escape(prefix)}</Prefix>"
        ]
        for k in keys:
            obj = STATE.objects[(bucket, k)]
            modified = time.strftime("%Y-%m-%dT%H:%M:%S.000Z", time.gmtime(obj["mtime"]))
            xml.append(
                f'<Contents><Key>{escape(k)}</Key><LastModified>{modified}</LastModified><ETag>"{obj["etag"]}"</ETag>'
                f"<Size>{len(obj['data'])}</Size></Contents>"
            )
        xml += [f"<CommonPrefixes><Prefix>{escape(p)}</Prefix></CommonPrefixes>" for p in prefixes]
        xml.append(f"<IsTruncated>{'true' if truncated else 'false'}</IsTruncated>")
        if truncated:
            xml.append(f"<NextContinuationToken>{escape(keys[-1])}</NextContinuationToken>")
        xml.append("</ListBucketResult>")
        self._send(200, "".join(xml).encode(), {"Content-Type": "application/xml"})


if __name__ == "__main__":
    LOG_PATH = sys.argv[2]
    ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), Handler).serve_forever()
