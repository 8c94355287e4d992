"""Request paths -> files of the output folder, and every way out of it refused."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from archivegen.serve.paths import Outcome, request_segments, resolve_request


@pytest.fixture
def output(tmp_path: Path) -> Path:
    """An output folder beside a secret file, with a page, a folder, a hidden file and symlinks."""
    (tmp_path / "secret.txt").write_text("secret", encoding="utf-8")
    (tmp_path / "outside").mkdir()
    (tmp_path / "outside" / "index.html").write_text("outside", encoding="utf-8")
    root = tmp_path / "public"
    (root / "2022" / "x").mkdir(parents=True)
    (root / "index.html").write_text("home", encoding="utf-8")
    (root / "2022" / "x" / "index.html").write_text("article", encoding="utf-8")
    (root / "ruang kerja.html").write_text("space", encoding="utf-8")
    (root / ".archivegen-manifest.json").write_text("{}", encoding="utf-8")
    os.symlink(tmp_path / "secret.txt", root / "leak.txt")
    os.symlink(tmp_path / "outside", root / "leakdir")
    os.symlink(root / "index.html", root / "alias.html")  # inside: allowed
    return root


@pytest.mark.parametrize(
    "raw",
    [
        "/../secret.txt",
        "/%2e%2e/secret.txt",
        "/%2E%2E/secret.txt",
        "/.%2e/secret.txt",
        "/2022/../../secret.txt",
        "/..%2fsecret.txt",
        "/2022%2f..%2f..%2fsecret.txt",
        "/..\\secret.txt",
        "/%5c..%5csecret.txt",
        "/a%00.html",
        "/./index.html",
        "/%ff%fe",  # not UTF-8
        "secret.txt",  # not an origin-form path
    ],
)
def test_escapes_are_refused(output: Path, raw: str) -> None:
    assert request_segments(raw) is None
    assert resolve_request(output, raw).outcome is Outcome.FORBIDDEN


@pytest.mark.parametrize("raw", ["/leak.txt", "/leakdir/", "/leakdir/index.html"])
def test_symlinks_pointing_out_are_refused(output: Path, raw: str) -> None:
    assert resolve_request(output, raw).outcome is Outcome.FORBIDDEN


def test_site_files_are_found(output: Path) -> None:
    home = resolve_request(output, "/")
    assert home.outcome is Outcome.FILE and home.file == (output / "index.html").resolve()
    article = resolve_request(output, "/2022/x/?utm=1#top")
    assert article.file is not None and article.file.read_text() == "article"
    spaced = resolve_request(output, "/ruang%20kerja.html")
    assert spaced.file is not None and spaced.file.read_text() == "space"
    alias = resolve_request(output, "/alias.html")
    assert alias.outcome is Outcome.FILE


def test_folder_without_slash_redirects_to_itself(output: Path) -> None:
    assert resolve_request(output, "/2022/x?a=1").location == "/2022/x/"
    # a network-path target must not become a redirect to another host
    tricky = resolve_request(output, "//2022/x")
    assert tricky.outcome is Outcome.REDIRECT and tricky.location == "/2022/x/"


def test_missing_and_hidden_files_are_not_found(output: Path) -> None:
    assert resolve_request(output, "/nope/").outcome is Outcome.NOT_FOUND
    assert resolve_request(output, "/.archivegen-manifest.json").outcome is Outcome.NOT_FOUND
    assert resolve_request(output, "/2022/").outcome is Outcome.NOT_FOUND  # no index.html
    assert resolve_request(output.parent / "absent", "/").outcome is Outcome.NOT_FOUND
