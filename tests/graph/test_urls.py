from datetime import datetime, timedelta, timezone

import pytest

from archivegen.errors import OutputError
from archivegen.graph.urls import fill, output_path, paged_url


def test_fill_pattern() -> None:
    date = datetime(2022, 10, 4, 18, 23, tzinfo=timezone(timedelta(hours=7)))
    assert fill("/{yyyy}/{mm}/{dd}/{slug}/", slug="x", date=date) == "/2022/10/04/x/"
    # without a date its placeholders stay; other braces are text, and a value is never
    # filled in again
    assert fill("/{yyyy}/{slug}/{n}/{x}}{", slug="{n}", n=3) == "/{yyyy}/{n}/3/{x}}{"


def test_paged_urls() -> None:
    assert paged_url("/kategori/dunia/", "halaman/{n}/", 1) == "/kategori/dunia/halaman/1/"
    assert paged_url("/kategori/dunia/", "halaman/{n}/", 3) == "/kategori/dunia/halaman/3/"
    assert paged_url("/", "halaman/{n}/", 2) == "/halaman/2/"


def test_output_paths() -> None:
    assert output_path("/") == "index.html"
    assert output_path("/2022/10/04/x/") == "2022/10/04/x/index.html"
    assert output_path("/feed.xml") == "feed.xml"


@pytest.mark.parametrize(
    "url",
    [
        "/../../etc/",
        "/a/../../etc/passwd",
        "relative/",
        "/a//b/",
        "/.hidden/",
        "/a\\..\\b",
        "/x\x00",
    ],
)
def test_output_path_never_leaves_the_root(url: str) -> None:
    with pytest.raises(OutputError):
        output_path(url)
