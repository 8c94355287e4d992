"""Lead images of imported pages: absolute URLs kept, and `--fetch-images` over real HTTP."""

from __future__ import annotations

import functools
import http.server
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from PIL import Image

from archivegen.cli import main
from archivegen.content.frontmatter import parse_front_matter, split_front_matter
from archivegen.importers import import_sources
from archivegen.importers.html import extract_html
from archivegen.importers.images import fetch_images
from archivegen.importers.writer import is_pristine

FILLER = " ".join(["Kalimat isi berita yang cukup panjang untuk dianggap teks utama."] * 8)


def page(image: str, number: int = 1) -> str:
    """A saved news page whose lead image is `image`, as its original site wrote it."""
    return f"""<!doctype html><html><head><title>Banjir Besar Nomor {number}</title>
<link rel="canonical" href="https://berita.example/read/2024/03/01/{number}/banjir">
<meta property="og:image" content="{image}">
<meta property="article:published_time" content="2024-03-01T08:00:00+07:00">
<meta property="article:section" content="Nasional">
</head><body><article><h1>Banjir Besar Nomor {number}</h1><p>{FILLER}</p><p>{FILLER}</p>
</article></body></html>"""


class _Counting(http.server.SimpleHTTPRequestHandler):
    requests: list[str]

    def log_message(self, *_: object) -> None:
        pass

    def do_GET(self) -> None:
        self.requests.append(self.path)
        super().do_GET()


@pytest.fixture
def image_server(tmp_path: Path) -> Iterator[tuple[str, list[str]]]:
    """Real HTTP on 127.0.0.1 serving a JPEG and a fake; (base URL, the paths asked for)."""
    folder = tmp_path / "remote"
    folder.mkdir()
    Image.new("RGB", (900, 600), "seagreen").save(folder / "foto.jpg", "JPEG")
    (folder / "palsu.jpg").write_bytes(b"<html>not an image</html>")
    requests: list[str] = []
    handler = type("Handler", (_Counting,), {"requests": requests})
    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(handler, directory=str(folder))
    )
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}", requests
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def front(path: Path) -> dict[str, object]:
    return parse_front_matter(split_front_matter(path.read_text(), str(path)).yaml_text, "x")


def test_relative_page_image_is_made_absolute_or_dropped() -> None:
    found = extract_html(page("/static/foto/banjir.jpg")).image
    assert found == "https://berita.example/static/foto/banjir.jpg"  # not a broken /static/
    assert extract_html(page("javascript:alert(1)")).image is None


def test_fetch_images_downloads_once_and_points_articles_at_the_copy(
    tmp_path: Path, image_server: tuple[str, list[str]]
) -> None:
    base, requests = image_server
    sources = tmp_path / "pages"
    sources.mkdir()
    for n in (1, 2):
        (sources / f"p{n}.html").write_text(page(f"{base}/foto.jpg", n))
    (sources / "p3.html").write_text(page(f"{base}/palsu.jpg", 3))
    into = tmp_path / "content"
    report = import_sources([str(sources)], into, progress=None)
    assert requests == []  # importing alone asks nothing of the network
    files = sorted(Path(o.target) for o in report.outcomes if o.target)
    fetched = fetch_images(files)
    assert (len(fetched.rewritten), fetched.downloads) == (2, 2)  # two URLs, each once
    assert sorted(requests) == ["/foto.jpg", "/palsu.jpg"]
    (failure,) = fetched.failures
    assert failure[0].endswith(".md") and "not an image Pillow can read" in failure[1]
    for path in files[:2]:
        fields = front(path)
        assert fields["image_source"] == f"{base}/foto.jpg"
        copy = path.parent / str(fields["image"])
        assert copy.is_file() and len(str(fields["image"])) == 16 + 4  # <digest[:16]>.jpg
        assert is_pristine(path.read_text())  # the next import still merges into it
    assert front(files[2])["image"] == f"{base}/palsu.jpg"  # left as it was


def test_fetch_images_leaves_hand_edited_files_alone(
    tmp_path: Path, image_server: tuple[str, list[str]]
) -> None:
    base, requests = image_server
    (tmp_path / "p.html").write_text(page(f"{base}/foto.jpg"))
    report = import_sources([str(tmp_path / "p.html")], tmp_path / "content", progress=None)
    (path,) = [Path(o.target) for o in report.outcomes if o.target]
    path.write_text(path.read_text().replace("Banjir Besar", "Banjir Sedang"))
    fetched = fetch_images([path])
    assert fetched.rewritten == [] and requests == []


def test_cli_fetches_only_with_the_flag_and_the_build_shows_the_copy(
    tmp_path: Path, image_server: tuple[str, list[str]], monkeypatch: pytest.MonkeyPatch
) -> None:
    base, requests = image_server
    monkeypatch.chdir(tmp_path)
    (tmp_path / "site.yaml").write_text("title: Arsip\nbase_url: https://arsip.example/\n")
    (tmp_path / "p.html").write_text(page(f"{base}/foto.jpg"))
    runner = CliRunner()
    plain = runner.invoke(main, ["import", "p.html"])
    assert plain.exit_code == 0, plain.output
    assert requests == []  # offline by default: no request without --fetch-images
    fetched = runner.invoke(main, ["import", "p.html", "--fetch-images"])
    assert fetched.exit_code == 0, fetched.output
    assert "1 article(s) now show a local copy" in fetched.output and requests == ["/foto.jpg"]
    built = runner.invoke(main, ["build"])
    assert built.exit_code == 0, built.output
    assert "images: 6 image copies made, 0 from the cache" in built.output  # 480, 800, 900 × 2
    (html,) = (tmp_path / "public").glob("2024/*/*/*/index.html")
    text = html.read_text()
    assert 'srcset="/media/' in text and f"{base}/foto.jpg" not in text.split("<main")[1]
    assert list((tmp_path / "public" / "media").rglob("*-900.webp"))
