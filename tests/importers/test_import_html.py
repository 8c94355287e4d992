"""Saved HTML pages: safe Markdown, metadata rates on the readability set, listing refusal."""

from __future__ import annotations

import json
import re
import statistics
from collections.abc import Callable
from pathlib import Path

import pytest
from markdown_it import MarkdownIt

from archivegen.importers import Status, import_sources
from archivegen.importers.html import extract_html, read_html
from archivegen.importers.html_markdown import safe_url

SharedPath = Callable[..., Path]
BENCH = Path(__file__).resolve().parents[2] / "benchmarks"

FILLER = " ".join(["Kalimat isi berita yang cukup panjang untuk dianggap teks utama."] * 8)
HOSTILE = f"""<!doctype html><html><head><title>Banjir Besar Melanda Jakarta Pagi Ini - Situs</title>
<meta property="article:published_time" content="2024-03-01T08:00:00+07:00">
<meta name="author" content="BUDI SANTOSO">
<style>p {{ color: red }}</style>
<script>alert("head")</script></head>
<body><article><h1>Banjir Besar Melanda Jakarta Pagi Ini</h1>
<p onclick="alert(1)">Paragraf <b>tebal</b>, <i>miring</i>, dan
<a href="javascript:alert(2)">tautan jahat</a>, <a href="JaVa&#x09;ScRiPt:alert(3)">lagi</a>,
<a href="data:text/html,<script>alert(4)</script>">data</a>,
<a href="/berita/aman">tautan aman</a>. {FILLER}</p>
<img src="x.png" alt="Foto: banjir di Jakarta" onerror="alert(5)">
<script>alert("body")</script><iframe src="https://jahat.example/"></iframe>
<h2>Subjudul</h2><ul><li>satu</li><li>dua</li></ul><ol><li>pertama</li></ol>
<blockquote><p>Kutipan narasumber yang penting sekali.</p></blockquote>
<p>Teks &lt;img src=x onerror=alert(6)&gt; tertulis sebagai teks. {FILLER}</p>
</article></body></html>"""


def test_hostile_html_becomes_safe_markdown() -> None:
    page = extract_html(HOSTILE)
    body = page.body
    rendered = MarkdownIt("commonmark", {"html": True}).render(body)
    lowered = rendered.lower()
    for tag in ("<script", "<iframe", "<style", "<img src=x"):
        assert tag not in lowered, tag
    assert not re.search(r"<[a-z][^>]*\son\w+\s*=", lowered)  # no event-handler attribute
    assert not re.search(r"(?:href|src)=\"\s*(?:javascript|data|vbscript):", lowered)
    assert "alert(2)" not in lowered and "alert(4)" not in lowered
    assert "**tebal**" in body and "*miring*" in body
    assert "tautan jahat" in body and "lagi" in body  # the text stays, the link goes
    assert "[tautan aman](</berita/aman>)" in body
    assert "![Foto: banjir di Jakarta](<x.png>)" in body
    assert "## Subjudul" in body
    assert "- satu\n- dua" in body and "1. pertama" in body
    assert "> Kutipan narasumber" in body
    assert "\\<img src=x onerror=alert(6)>" in body  # text, escaped: renders as text
    assert "&lt;img src=x" in rendered


def test_html_metadata_and_article(tmp_path: Path) -> None:
    article = read_html(HOSTILE, "page.html")
    assert article.title == "Banjir Besar Melanda Jakarta Pagi Ini"  # site name cut off
    assert article.date.isoformat() == "2024-03-01T08:00:00+07:00"
    assert article.authors == ("Budi Santoso",)
    assert not article.body.startswith("# Banjir")  # the title is not repeated


@pytest.mark.parametrize(
    ("url", "safe"),
    [
        ("https://contoh.id/a b", "https://contoh.id/a%20b"),
        ("/rel", "/rel"),
        ("mailto:a@b.id", "mailto:a@b.id"),
        ("javascript:alert(1)", None),
        (" java\nscript:alert(1)", None),
        ("vbscript:x", None),
        ("data:image/png;base64,AAAA", None),
    ],
)
def test_safe_url(url: str, safe: str | None) -> None:
    assert safe_url(url) == safe


@pytest.mark.slow
def test_readability_metadata_rates_meet_the_targets(shared: SharedPath) -> None:
    import sys

    sys.path.insert(0, str(BENCH))
    from bench_import import f1, html_text, same_instant, tokens

    folder = shared("corpus", "readability")
    md = MarkdownIt("commonmark").enable("table")
    titles = dates = dated = 0
    scores: list[float] = []
    pages = sorted(p for p in folder.iterdir() if (p / "source.html").is_file())
    for page in pages:
        meta = json.loads((page / "expected-metadata.json").read_text("utf-8"))
        got = extract_html((page / "source.html").read_text("utf-8", errors="replace"))
        assert got.not_article is None, page.name
        titles += " ".join((got.title or "").split()) == " ".join(meta["title"].split())
        if meta.get("publishedTime"):
            dated += 1
            dates += same_instant(got.published, meta["publishedTime"])
        expected = tokens(html_text((page / "expected.html").read_text("utf-8")))
        scores.append(f1(tokens(html_text(md.render(got.body))), expected))
    assert len(pages) == 65
    assert titles / len(pages) >= 0.90
    assert dates / dated >= 0.90
    assert statistics.median(scores) >= 0.90


def test_listing_pages_are_refused_with_a_reason(tmp_path: Path, shared: SharedPath) -> None:
    pages = sorted(shared("corpus", "listing-pages").glob("*.html"))
    report = import_sources(pages, tmp_path)
    assert len(pages) == 6
    assert [o.status for o in report.outcomes] == [Status.REFUSED] * 6
    for outcome in report.outcomes:
        assert (outcome.reason or "").startswith("not an article: a home or listing page (")
    assert not any(tmp_path.iterdir())
    assert report.exit_code == 2


def test_html_without_date_is_an_error(tmp_path: Path) -> None:
    page = tmp_path / "undated.html"
    undated = "\n".join(x for x in HOSTILE.splitlines() if "published_time" not in x)
    page.write_text(undated, "utf-8")
    report = import_sources([page], tmp_path / "c")
    assert report.outcomes[0].status is Status.FAILED
    assert "no publication date" in (report.outcomes[0].reason or "")
