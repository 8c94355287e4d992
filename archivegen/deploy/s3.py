"""Deploy to S3-compatible object storage through boto3.

Credentials come from boto3's usual chain (environment, AWS profile, instance role), never
from site.yaml. Every object gets a Content-Type by extension, the first matching
Cache-Control glob, and, with `gzip: true`, text types are stored gzip-compressed with
`Content-Encoding: gzip`. Our manifest (`<prefix>.archivegen-deploy.json`) records each
file's hash with a signature of those headers, so changing a Cache-Control rule re-sends
exactly the files it now applies to.
"""

from __future__ import annotations

import gzip
import hashlib
import mimetypes
from collections.abc import Iterator, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from fnmatch import fnmatchcase
from pathlib import PurePosixPath
from typing import Any, Protocol

from archivegen.deploy.remote import (
    REMOTE_MANIFEST,
    LocalSite,
    RemoteState,
    decode_manifest,
    encode_manifest,
)
from archivegen.deploy.targets import S3Target
from archivegen.errors import DeployError

UPLOAD_THREADS = 8  # uploads wait on the network, not the CPU
DELETE_BATCH = 1000  # the most keys one DeleteObjects request takes
TYPES = {
    ".html": "text/html; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".mjs": "text/javascript; charset=utf-8",
    ".json": "application/json",
    ".xml": "application/xml",
    ".txt": "text/plain; charset=utf-8",
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".gif": "image/gif",
    ".webp": "image/webp",
    ".avif": "image/avif",
    ".ico": "image/x-icon",
    ".woff": "font/woff",
    ".woff2": "font/woff2",
    ".wasm": "application/wasm",
    ".pdf": "application/pdf",
}
COMPRESSIBLE = ("text/", "application/json", "application/xml", "image/svg+xml")


class S3Client(Protocol):
    """The part of boto3's S3 client this module uses."""

    def get_object(self, **kwargs: Any) -> dict[str, Any]: ...

    def put_object(self, **kwargs: Any) -> dict[str, Any]: ...

    def delete_objects(self, **kwargs: Any) -> dict[str, Any]: ...

    def get_paginator(self, name: str) -> Any: ...


@dataclass(frozen=True, slots=True)
class Headers:
    """How one file is stored."""

    content_type: str
    cache_control: str | None
    gzip: bool

    def signature(self) -> str:
        """A short digest of the headers, recorded beside the file's hash."""
        text = f"{self.content_type}|{self.cache_control}|{self.gzip}"
        return hashlib.blake2b(text.encode(), digest_size=4).hexdigest()


REDIRECTS_MAP = "_redirects"  # written by every build (render/redirects.py)


class S3Remote:
    """A bucket, or a prefix (folder) of one."""

    extra_files: Mapping[str, bytes] = {}
    journaled = True  # one PUT per file: a killed deploy leaves some sent

    def __init__(self, target: S3Target, client: S3Client) -> None:
        self.target = target
        self.client = client
        self.prefix = target.prefix.strip("/") + "/" if target.prefix.strip("/") else ""

    @classmethod
    def open(cls, target: S3Target) -> S3Remote:
        """Connect with boto3's credential chain (environment or `profile`)."""
        try:
            import boto3
            from botocore.config import Config
        except ImportError:
            raise DeployError("the s3 target needs boto3: pip install 'archivegen[s3]'") from None
        # S3-compatible servers rarely support virtual-host buckets or the newer checksums
        extra = {"request_checksum_calculation": "when_required"} if target.endpoint_url else {}
        style = {"addressing_style": "path"} if target.endpoint_url else {}
        with _boto_errors(target):
            session = boto3.session.Session(profile_name=target.profile, region_name=target.region)
            client = session.client(
                "s3", endpoint_url=target.endpoint_url, config=Config(s3=style, **extra)
            )
        return cls(target, client)

    def describe(self) -> str:
        """s3://bucket/prefix (and the endpoint when not AWS)."""
        where = f"s3://{self.target.bucket}/{self.prefix}"
        return f"{where} at {self.target.endpoint_url}" if self.target.endpoint_url else where

    def state(self) -> RemoteState:
        """List the prefix; read our manifest, marking files whose headers rules changed."""
        with _boto_errors(self.target):
            present = self._list()
            data = self._get(REMOTE_MANIFEST) if REMOTE_MANIFEST in present else None
        owned = {}
        for path, recorded in decode_manifest(data, self.describe()).items():
            digest, _, signature = recorded.partition(":")
            fresh = signature == self.headers(path).signature()
            owned[path] = digest if fresh else f"{digest}:stale-headers"
        return RemoteState(owned, frozenset(present - {REMOTE_MANIFEST}))

    def upload(self, paths: Sequence[str], site: LocalSite) -> None:
        """PUT the files, several at a time."""
        redirects = redirect_locations(site)
        with _boto_errors(self.target), ThreadPoolExecutor(UPLOAD_THREADS) as pool:
            futures = [pool.submit(self._put, p, site, redirects.get(p)) for p in paths]
            try:
                for future in futures:
                    future.result()
            except BaseException:
                for future in futures:  # fail fast: do not send the rest after an error
                    future.cancel()
                raise

    def delete(self, paths: Sequence[str]) -> None:
        """DeleteObjects in batches; any key it could not delete is an error."""
        with _boto_errors(self.target):
            for start in range(0, len(paths), DELETE_BATCH):
                keys = [{"Key": self.prefix + p} for p in paths[start : start + DELETE_BATCH]]
                answer = self.client.delete_objects(
                    Bucket=self.target.bucket, Delete={"Objects": keys, "Quiet": True}
                )
                failed = answer.get("Errors") or []
                if failed:
                    first = failed[0]
                    raise DeployError(
                        f"{len(failed)} object(s) not deleted, e.g. {first.get('Key')}: "
                        f"{first.get('Message') or first.get('Code')}"
                    )

    def commit(self, manifest: Mapping[str, str]) -> None:
        """PUT our manifest last, each hash with its headers' signature."""
        signed = {p: f"{h}:{self.headers(p).signature()}" for p, h in manifest.items()}
        with _boto_errors(self.target):
            self.client.put_object(
                Bucket=self.target.bucket,
                Key=self.prefix + REMOTE_MANIFEST,
                Body=encode_manifest(signed),
                ContentType="application/json",
                CacheControl="no-store",
            )

    def headers(self, path: str) -> Headers:
        """Content-Type by extension, the first Cache-Control glob that matches, gzip or not."""
        content_type = content_type_of(path)
        cache = next(
            (v for g, v in self.target.cache_control.items() if fnmatchcase(path, g)), None
        )
        compress = self.target.gzip and content_type.startswith(COMPRESSIBLE)
        return Headers(content_type, cache, compress)

    def _put(self, path: str, site: LocalSite, redirect: str | None = None) -> None:
        data = site.read(path)
        headers = self.headers(path)
        extra: dict[str, str] = {"ContentType": headers.content_type}
        if redirect is not None:  # S3 website hosting answers it with a 301 to `redirect`
            extra["WebsiteRedirectLocation"] = redirect
        if headers.cache_control:
            extra["CacheControl"] = headers.cache_control
        if headers.gzip:
            data = gzip.compress(data, mtime=0)  # mtime=0: the same bytes every deploy
            extra["ContentEncoding"] = "gzip"
        self.client.put_object(
            Bucket=self.target.bucket, Key=self.prefix + path, Body=data, **extra
        )

    def _list(self) -> set[str]:
        found: set[str] = set()
        pages = self.client.get_paginator("list_objects_v2")
        for page in pages.paginate(Bucket=self.target.bucket, Prefix=self.prefix):
            found.update(item["Key"][len(self.prefix) :] for item in page.get("Contents", []))
        return found

    def _get(self, path: str) -> bytes:
        answer = self.client.get_object(Bucket=self.target.bucket, Key=self.prefix + path)
        body: bytes = answer["Body"].read()
        return body


def redirect_locations(site: LocalSite) -> dict[str, str]:
    """The meta-refresh pages' targets (object key -> site path), read from the site's
    `_redirects`: S3 can answer a path (`folder/` is its `folder/index.html` object) but
    no query string, so path aliases only. The build wrote and percent-encoded the map."""
    if REDIRECTS_MAP not in site.files:
        return {}
    found = {}
    for line in site.read(REDIRECTS_MAP).decode("ascii", "replace").splitlines():
        fields = line.split()
        if len(fields) != 3 or line.startswith("#") or fields[2] != "301":
            continue  # a comment, or a query alias (key=value fields)
        alias, target = fields[0], fields[1]
        key = alias.lstrip("/") + ("index.html" if alias.endswith("/") else "")
        if key in site.files and target.startswith("/"):
            found[key] = target
    return found


def content_type_of(path: str) -> str:
    """The Content-Type for a file name (our table first: the system's varies by machine)."""
    suffix = PurePosixPath(path).suffix.lower()
    if suffix in TYPES:
        return TYPES[suffix]
    guessed, _ = mimetypes.guess_type(path)
    return guessed or "application/octet-stream"


@contextmanager
def _boto_errors(target: S3Target) -> Iterator[None]:
    """Turn boto3's exceptions into DeployErrors that say what to do."""
    from botocore.exceptions import BotoCoreError, ClientError, NoCredentialsError

    bucket = f"s3://{target.bucket}"
    try:
        yield
    except NoCredentialsError:
        raise DeployError(
            f"no credentials for {bucket}: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY "
            "in the environment, or name an AWS `profile` in the target"
        ) from None
    except (ClientError, BotoCoreError) as error:
        raise DeployError(f"{bucket}: {error}") from None
