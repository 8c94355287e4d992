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
            dates += same_instant(got.dates.published, meta["publishedTime"])
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


def _teaser_page(article_items: int) -> str:
    """A short story beside a dozen headline links, its microdata marking some Article items."""
    links = "".join(
        f'<li><a href="/news/{n}">Another headline about something that happened {n}</a></li>'
        for n in range(12)
    )
    marks = "".join(
        '<div itemscope itemtype="https://schema.org/NewsArticle"></div>'
        for _ in range(article_items - 1)
    )
    return (
        "<html><head><title>Son of former president stabbed in Berlin</title></head><body>"
        f'<ul class="related">{links}</ul>{marks}'
        '<article itemscope itemtype="https://schema.org/NewsArticle">'
        "<h1>Son of former president stabbed in Berlin</h1>"
        "<p>The son of a former president was stabbed to death in Berlin on Wednesday, "
        "and another man was critically injured trying to stop the assailant.</p>"
        "<p>Police arrested a 57-year-old suspect.</p></article></body></html>"
    )


def test_a_short_story_marked_as_one_article_is_not_a_listing() -> None:
    assert extract_html(_teaser_page(1)).not_article is None
    # a listing that marks each of its teasers as an Article is still a listing
    assert extract_html(_teaser_page(6)).not_article is not None


def test_precise_text_gets_back_what_precision_cut_from_the_article() -> None:
    from lxml import etree

    from archivegen.importers.html import _repair

    precise = etree.fromstring(
        "<body><p>The minister said in a statement that the ship arrives next year.</p>"
        "<p>Vietnam is one of the region's most vocal critics of the claims.</p></body>"
    )
    default = etree.fromstring(
        '<body><head rend="h1">Esper accuses China</head><head rend="h2">A standfirst</head>'
        '<p>The minister said in <ref target="/s">a statement</ref> that the ship arrives next '
        'year.</p><head rend="h2">The <ref target="#claims">claims</ref></head>'
        "<p>Vietnam is one of the region's most vocal critics of the claims.</p>"
        '<p><ref target="/more">Read more: five things we learned</ref></p>'
        "<p>Esper met several officials and visited the Hanoi prison that once held John McCain.</p>"
        "</body>"
    )
    text = [" ".join("".join(b.itertext()).split()) for b in _repair(precise, default)]
    assert text == [
        "The minister said in a statement that the ship arrives next year.",  # link kept
        "The claims",  # a section heading inside the article
        "Vietnam is one of the region's most vocal critics of the claims.",
        "Esper met several officials and visited the Hanoi prison that once held John McCain.",
    ]  # neither the title and standfirst above the text nor the "read more" link come back


def test_pictures_stay_but_captions_and_more_less_toggles_do_not() -> None:
    page = f"""<html><head><title>Banjir Besar Melanda Jakarta Pagi Ini</title></head><body>
    <article><h1>Banjir Besar Melanda Jakarta Pagi Ini</h1><p>Paragraf pertama. {FILLER}</p>
    <figure><img src="/foto/banjir.jpg" alt="Banjir di Jakarta"><figcaption>Warga melintasi
    banjir. <a href="#">less</a> <a href="#">... more</a> Foto: Antara</figcaption></figure>
    <p>Paragraf kedua. {FILLER}</p><p>Paragraf ketiga. {FILLER}</p></article></body></html>"""
    body = extract_html(page).body
    first, picture, second = body.split("\n\n")[:3]
    assert first.startswith("Paragraf pertama.") and second.startswith("Paragraf kedua.")
    assert picture == "![Banjir di Jakarta](</foto/banjir.jpg>)"
    for caption in ("Warga melintasi", "less", "more", "Foto: Antara"):
        assert caption not in body


def _xml_markdown(xml: str) -> str:
    from lxml import etree

    from archivegen.importers.html_markdown import body_to_markdown

    return body_to_markdown(etree.fromstring(f"<body>{xml}</body>"))


def _visible(markdown: str) -> str:
    """The text a reader sees: the Markdown rendered, its tags taken off."""
    html = MarkdownIt("commonmark").render(markdown)
    return re.sub(r"<[^>]+>", "", html).replace("&quot;", '"').replace("&amp;", "&")


def test_words_at_link_and_emphasis_edges_stay_apart() -> None:
    markdown = _xml_markdown(
        '<p>The company reported<ref target="/w"> WeWork </ref>was sold,'
        '<hi rend="#b"> cheaply </hi>and <hi rend="#i">quickly </hi>too.</p>'
    )
    assert (
        markdown == "The company reported [WeWork](</w>) was sold, **cheaply** and *quickly* too."
    )
    assert (
        _visible(markdown).strip()
        == "The company reported WeWork was sold, cheaply and quickly too."
    )


@pytest.mark.parametrize(
    "xml",
    [
        '<p>a<hi rend="#b">"quoted"</hi>b</p>',  # punctuation inside, letters outside
        '<p>x<hi rend="#b">(1)</hi>, <hi rend="#b">y</hi><hi rend="#b">z</hi></p>',  # touching
        '<p><hi rend="#b"><ref target="/l">link</ref></hi>s and <hi rend="#b"> </hi>.</p>',
        '<p>end<hi rend="#strong">.</hi>x <hi rend="#b">a<lb/>b</hi> «<hi rend="#i">q</hi>»</p>',
        '<p><hi rend="#b">a <hi rend="#i">b</hi></hi><hi rend="#i">c</hi> 2 * 3</p>',
    ],
)
def test_no_literal_emphasis_marks_on_the_page(xml: str) -> None:
    visible = _visible(_xml_markdown(xml))
    assert "*" not in visible.replace("2 * 3", ""), visible


def test_a_bracket_in_link_text_stays_text() -> None:
    markdown = _xml_markdown(
        '<p><ref target="/p">[The Palace: Tale of Jang Noksu] More Reviews</ref> here</p>'
    )
    html = MarkdownIt("commonmark").render(markdown)
    assert '<a href="/p">[The Palace: Tale of Jang Noksu] More Reviews</a> here' in html


def _meta_page(head: str) -> str:
    return f"<html><head>{head}</head><body><article><p>{FILLER}</p></article></body></html>"


def test_title_entities_are_decoded_and_a_declared_site_suffix_is_cut() -> None:
    page = extract_html(
        _meta_page(
            '<meta property="og:title" content="Lynn: &amp;#8220;We won&amp;rsquo;t stop&amp;#8221;'
            ' - Sportsnet.ca"><meta name="twitter:title" content="Lynn: &#8220;We won&rsquo;t'
            ' stop&#8221;"><meta property="og:site_name" content="Sportsnet.ca">'
        )
    )
    assert page.title == "Lynn: “We won’t stop”"
    # without a shorter declared title, the site name is the page's own choice (Readability)
    page = extract_html(
        _meta_page(
            '<meta property="og:title" content="Story of the day - Breitbart">'
            '<meta property="og:site_name" content="Breitbart">'
        )
    )
    assert page.title == "Story of the day - Breitbart"


def test_a_comma_joined_keyword_list_is_many_tags() -> None:
    page = extract_html(
        _meta_page(
            '<title>Story of the day</title><meta name="keywords" '
            'content="Hong Kong,Protest, Asia Pacific;China, protest">'
        )
    )
    assert page.tags == ("Hong Kong", "Protest", "Asia Pacific", "China")


@pytest.mark.parametrize(
    ("byline", "authors"),
    [
        ("By ROBERT BURNS, AP National Security Writer", ("Robert Burns",)),
        ("Analysis by Chris Cillizza, CNN Editor-at-large", ("Chris Cillizza",)),
        ("Ilana Muhlstein, MS, RDN", ("Ilana Muhlstein",)),
        ("Jeff Foust Monday, November", ("Jeff Foust",)),
        ("Theresa May dan BUDI SANTOSO", ("Theresa May", "Budi Santoso")),
        ("HNN Staff", ("HNN Staff",)),  # the only byline stays, even as a desk's name
    ],
)
def test_job_titles_and_credentials_are_no_authors(byline: str, authors: tuple[str, ...]) -> None:
    from archivegen.importers.people import split_authors

    assert split_authors(byline) == authors
