"""The s3 target, against a real S3-compatible server (SeaweedFS) on 127.0.0.1."""

from __future__ import annotations

import gzip
import http.client
import http.server
import json
import threading
import time
import urllib.parse
from pathlib import Path
from typing import Any, ClassVar

import pytest
from deploykit import DeployKit, S3Server, assert_plan
from sitekit import write_article

from archivegen.errors import ConfigError, DeployError

PREFIX = "arsip/"


@pytest.fixture
def bucket(
    s3_server: S3Server, monkeypatch: pytest.MonkeyPatch, request: pytest.FixtureRequest
) -> str:
    """A fresh bucket; credentials only in the environment, as users are told to do."""
    name = "site-" + request.node.name.replace("_", "-")[:40].lower()
    s3_server.client().create_bucket(Bucket=name)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", s3_server.access_key)
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", s3_server.secret_key)
    monkeypatch.setenv("AWS_CONFIG_FILE", "/nonexistent")
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent")
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    return name


def target(s3_server: S3Server, bucket: str, **extra: Any) -> dict[str, Any]:
    return {
        "name": "cdn",
        "kind": "s3",
        "bucket": bucket,
        "prefix": PREFIX,
        "endpoint_url": s3_server.endpoint,
        "region": "us-east-1",
        "cache_control": {"*.html": "max-age=300", "static/*": "max-age=31536000, immutable"},
        "gzip": True,
    } | extra


def stamps(client: Any, bucket: str) -> dict[str, Any]:
    pages = client.get_paginator("list_objects_v2").paginate(Bucket=bucket)
    return {o["Key"]: o["LastModified"] for page in pages for o in page.get("Contents", [])}


def test_s3_deploy_sends_only_changes(kit: DeployKit, s3_server: S3Server, bucket: str) -> None:
    client = s3_server.client()
    client.put_object(Bucket=bucket, Key="other/keep.txt", Body=b"outside our prefix")
    client.put_object(Bucket=bucket, Key=PREFIX + "keep.txt", Body=b"inside, not ours")
    kit.set_targets(target(s3_server, bucket))
    first = kit.build()
    report = kit.deploy()
    assert report.done and report.plan.new == tuple(sorted(first)) and report.plan.foreign == 1
    before = stamps(client, bucket)

    changes = kit.change_one_article(first)
    time.sleep(1.1)  # LastModified counts whole seconds: let a re-sent object show it
    report = kit.deploy()
    assert_plan(report.plan, changes)
    after = stamps(client, bucket)
    rewritten = {k for k in after if k in before and after[k] != before[k]}
    assert rewritten == {PREFIX + p for p in changes.changed} | {PREFIX + ".archivegen-deploy.json"}
    assert all(PREFIX + p not in after for p in changes.deleted)
    assert {"other/keep.txt", PREFIX + "keep.txt"} <= set(after)

    page = kit.page_of("berita-nomor-2", kit.build())
    fetched = client.get_object(Bucket=bucket, Key=PREFIX + page)
    assert fetched["ContentType"] == "text/html; charset=utf-8"
    assert fetched["CacheControl"] == "max-age=300"
    assert fetched["ContentEncoding"] == "gzip"
    assert gzip.decompress(fetched["Body"].read()) == (kit.output / page).read_bytes()
    css = client.get_object(Bucket=bucket, Key=PREFIX + "static/style.css")
    assert css["ContentType"] == "text/css; charset=utf-8"
    assert css["CacheControl"] == "max-age=31536000, immutable"
    assert kit.deploy().plan.is_empty


def test_changed_header_rules_resend_the_files_they_touch(
    kit: DeployKit, s3_server: S3Server, bucket: str
) -> None:
    kit.set_targets(target(s3_server, bucket, gzip=False))
    files = kit.build()
    kit.deploy()
    rules = {
        "*.html": "max-age=300",
        "static/*": "max-age=31536000, immutable",
        "*.xml": "max-age=60",
    }
    kit.set_targets(target(s3_server, bucket, gzip=False, cache_control=rules))
    report = kit.deploy()
    assert report.plan.changed == tuple(sorted(p for p in files if p.endswith(".xml")))
    fetched = s3_server.client().get_object(Bucket=bucket, Key=PREFIX + "feed.xml")
    assert fetched["CacheControl"] == "max-age=60" and "ContentEncoding" not in fetched
    assert fetched["Body"].read() == (kit.output / "feed.xml").read_bytes()


def test_interrupted_upload_finishes_on_rerun(
    kit: DeployKit, s3_server: S3Server, bucket: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from archivegen.deploy.remote import LocalSite
    from archivegen.deploy.s3 import S3Remote

    kit.set_targets(target(s3_server, bucket))
    files = kit.build()
    sent: list[str] = []
    real_put = S3Remote._put

    def put_then_fail(
        self: S3Remote, path: str, site: LocalSite, redirect: str | None = None
    ) -> None:
        if len(sent) >= 5:
            raise KeyboardInterrupt  # the connection drops midway
        sent.append(path)
        real_put(self, path, site, redirect)

    with monkeypatch.context() as patch:
        patch.setattr("archivegen.deploy.s3.UPLOAD_THREADS", 2)
        patch.setattr(S3Remote, "_put", put_then_fail)
        with pytest.raises(KeyboardInterrupt):
            kit.deploy()
    client = s3_server.client()
    # the journal written before the first PUT: every file ours, none with its hash yet
    journal = client.get_object(Bucket=bucket, Key=PREFIX + ".archivegen-deploy.json")
    recorded = json.loads(journal["Body"].read())["files"]
    assert set(recorded) == set(files)
    assert {h.partition(":")[0] for h in recorded.values()} == {"pending"}
    rerun = kit.deploy()
    assert rerun.done and rerun.plan.adopted == ()
    assert set(rerun.plan.changed) == set(sent)  # there, known ours, hash unknown: sent again
    assert len(rerun.plan.new) == len(files) - len(sent)
    assert set(stamps(client, bucket)) == {PREFIX + p for p in [*files, ".archivegen-deploy.json"]}


def test_missing_credentials_say_where_to_put_them(
    kit: DeployKit, s3_server: S3Server, bucket: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("AWS_ACCESS_KEY_ID")
    monkeypatch.delenv("AWS_SECRET_ACCESS_KEY")
    kit.set_targets(target(s3_server, bucket))
    kit.build()
    with pytest.raises(DeployError, match=r"no credentials .* AWS_ACCESS_KEY_ID"):
        kit.deploy()


def test_credentials_in_site_yaml_are_refused(kit: DeployKit, tmp_path: Path) -> None:
    kit.set_targets(
        {"name": "cdn", "kind": "s3", "bucket": "b", "aws_secret_access_key": "hunter2"}
    )
    kit.build()
    with pytest.raises(
        ConfigError, match=r"deploy\[0\]\.aws_secret_access_key: credentials are never read"
    ):
        kit.deploy()


class _Recorder(http.server.BaseHTTPRequestHandler):
    """Forwards each request to the S3 server and records its redirect header by key."""

    upstream = ""
    seen: ClassVar[dict[str, str | None]] = {}

    def _forward(self) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        if self.command == "PUT":
            key = urllib.parse.urlsplit(self.path).path
            self.seen[key] = self.headers.get("x-amz-website-redirect-location")
        connection = http.client.HTTPConnection(self.upstream, timeout=30)
        connection.request(self.command, self.path, body, dict(self.headers.items()))
        answer = connection.getresponse()
        data = answer.read()
        self.send_response(answer.status)
        for name, value in answer.getheaders():
            if name.lower() not in ("transfer-encoding", "connection"):
                self.send_header(name, value)
        self.end_headers()
        self.wfile.write(data)
        connection.close()

    do_GET = do_PUT = do_POST = do_DELETE = do_HEAD = _forward

    def log_message(self, format: str, *args: object) -> None:
        pass


def test_alias_pages_are_sent_with_the_s3_website_redirect(
    kit: DeployKit, s3_server: S3Server, bucket: str
) -> None:
    """S3 website hosting answers an object sent with x-amz-website-redirect-location with
    a 301. SeaweedFS does not keep that header, so a recording proxy on 127.0.0.1 between
    the deploy and the server checks what was sent."""
    write_article(
        kit.root / "content", "dunia/pindah.md", title="Pindah", slug="pindah",
        date="2023-02-01T08:00:00+07:00", category="Dunia",
        aliases=["/read/2022/10/04/549506/lama", "/lama.html", "/berita.php?id=5"],
    )  # fmt: skip
    _Recorder.upstream = urllib.parse.urlsplit(s3_server.endpoint).netloc
    _Recorder.seen = {}
    proxy = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Recorder)
    threading.Thread(target=proxy.serve_forever, daemon=True).start()
    try:
        endpoint = f"http://127.0.0.1:{proxy.server_address[1]}"
        kit.set_targets({**target(s3_server, bucket), "endpoint_url": endpoint})
        kit.build()
        assert kit.deploy().done
    finally:
        proxy.shutdown()
        proxy.server_close()
    sent = {k.removeprefix(f"/{bucket}/{PREFIX}"): v for k, v in _Recorder.seen.items()}
    for key in ("read/2022/10/04/549506/lama/index.html", "lama.html"):
        assert sent[key] == "/2023/02/01/pindah/", key
    assert sent["2023/02/01/pindah/index.html"] is None  # the article itself is served
    assert sum(v is not None for v in sent.values()) == 2  # a query alias has no object


def test_objects_that_are_not_ours_need_adopt(
    kit: DeployKit, s3_server: S3Server, bucket: str
) -> None:
    client = s3_server.client()
    client.put_object(Bucket=bucket, Key=PREFIX + "robots.txt", Body=b"User-agent: *\n")
    kit.set_targets(target(s3_server, bucket))
    kit.build()
    with pytest.raises(
        DeployError, match=r"^1 file\(s\) at s3://.* same name: robots.txt; nothing"
    ):
        kit.deploy()
    assert set(stamps(client, bucket)) == {PREFIX + "robots.txt"}  # nothing sent
    report = kit.deploy(adopt=True)
    assert report.plan.adopted == ("robots.txt",)
    body = client.get_object(Bucket=bucket, Key=PREFIX + "robots.txt")["Body"].read()
    assert gzip.decompress(body) == (kit.output / "robots.txt").read_bytes()  # gzip: true
