"""RSS 2.0 and Atom feeds through the real `archivegen import` (feedparser), then
`archivegen build`: full text where the feed has it, else the summary with a note."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from click.testing import CliRunner, Result

from archivegen.cli import main
from archivegen.content.frontmatter import parse_front_matter

RSS = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"
  xmlns:content="http://purl.org/rss/1.0/modules/content/"
  xmlns:dc="http://purl.org/dc/elements/1.1/"
  xmlns:media="http://search.yahoo.com/mrss/"
  xmlns:atom="http://www.w3.org/2005/Atom">
<channel>
  <title>Kabar Contoh</title>
  <link>https://kabar.example/</link>
  <description>Berita terkini</description>
  <atom:link href="https://kabar.example/feed/" rel="self" type="application/rss+xml"/>
  <item>
    <title>Gempa M 5,6 Guncang Cianjur</title>
    <link>https://kabar.example/2022/11/21/gempa-cianjur/</link>
    <pubDate>Mon, 21 Nov 2022 14:05:00 +0700</pubDate>
    <dc:creator><![CDATA[Rina Wulandari]]></dc:creator>
    <category><![CDATA[Nasional]]></category>
    <category><![CDATA[gempa]]></category>
    <category><![CDATA[Jawa Barat]]></category>
    <guid isPermaLink="false">https://kabar.example/?p=101</guid>
    <description><![CDATA[Gempa mengguncang Cianjur siang tadi&#8230;]]></description>
    <content:encoded><![CDATA[<p>Gempa bermagnitudo 5,6 mengguncang <strong>Cianjur</strong> siang tadi.</p>
<p>Warga <a href="/tag/evakuasi/">dievakuasi</a> ke lapangan. <a href="javascript:steal()">Bagikan</a></p>
<script>track()</script>
<h2>Korban</h2>
<ul><li>Rumah rusak</li><li>Sekolah rusak</li></ul>]]></content:encoded>
    <enclosure url="https://kabar.example/foto/cianjur.jpg" length="51234" type="image/jpeg"/>
  </item>
  <item>
    <title>Harga Beras Naik &amp; Stok Menipis</title>
    <link>https://kabar.example/2022/11/22/harga-beras/</link>
    <pubDate>Tue, 22 Nov 2022 02:30:00 GMT</pubDate>
    <dc:creator>Andi Pratama</dc:creator>
    <category>Ekonomi</category>
    <description>Ringkasan saja.</description>
    <content:encoded><![CDATA[<p>Harga beras di pasar induk naik sepuluh persen.</p>]]></content:encoded>
    <media:content url="https://kabar.example/foto/beras.jpg" medium="image" width="800"/>
  </item>
</channel>
</rss>
"""

ATOM = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="id">
  <title>Warta Atom</title>
  <id>tag:warta.example,2022:feed</id>
  <updated>2022-12-02T09:00:00+08:00</updated>
  <link rel="alternate" href="https://warta.example/"/>
  <entry>
    <title type="html">Festival &lt;em&gt;Budaya&lt;/em&gt; Makassar</title>
    <id>tag:warta.example,2022:1</id>
    <link rel="alternate" type="text/html" href="https://warta.example/budaya/festival-makassar"/>
    <link rel="enclosure" type="image/png" href="https://warta.example/img/festival.png"/>
    <published>2022-12-01T19:30:00+08:00</published>
    <updated>2022-12-02T08:15:00+08:00</updated>
    <author><name>Dewi Lestari</name><email>dewi@warta.example</email></author>
    <author><name>Yusuf Hamid</name></author>
    <category term="budaya" label="Budaya"/>
    <category term="makassar"/>
    <summary type="html">&lt;p&gt;Ribuan warga memadati &lt;b&gt;Pantai Losari&lt;/b&gt;.&lt;/p&gt;&lt;p&gt;Tarian dibawakan sanggar.&lt;/p&gt;</summary>
  </entry>
</feed>
"""


def run(*args: str | Path) -> Result:
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


def imported(root: Path) -> dict[str, tuple[dict[str, Any], str]]:
    """The imported articles by title: (front matter as written, body)."""
    found = {}
    for path in (root / "content").rglob("*.md"):
        _, head, body = path.read_text("utf-8").split("---\n", 2)
        meta = parse_front_matter(head, str(path))
        if "import_key" in meta:
            found[str(meta["title"])] = (meta, body.strip())
    return found


def test_rss_and_atom_import_field_by_field_and_build(tmp_path: Path) -> None:
    assert run("init", tmp_path / "site").exit_code == 0
    root = tmp_path / "site"
    (tmp_path / "kabar.xml").write_text(RSS, "utf-8")  # known by its content, not its name
    (tmp_path / "warta.atom").write_text(ATOM, "utf-8")
    result = run(
        "import", tmp_path / "kabar.xml", tmp_path / "warta.atom",
        "--config", root / "site.yaml", "--workers", "1",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    articles = imported(root)
    assert set(articles) == {
        "Gempa M 5,6 Guncang Cianjur",
        "Harga Beras Naik & Stok Menipis",
        "Festival Budaya Makassar",
    }

    meta, body = articles["Gempa M 5,6 Guncang Cianjur"]
    assert meta["date"] == "2022-11-21T14:05:00+07:00"  # the feed's own offset
    assert meta["author"] == "Rina Wulandari"
    assert meta["category"] == "Nasional"
    assert meta["tags"] == ["gempa", "Jawa Barat"]
    assert meta["source"] == "https://kabar.example/2022/11/21/gempa-cianjur/"
    assert meta["image"] == "https://kabar.example/foto/cianjur.jpg"  # the image enclosure
    assert "updated" not in meta
    assert body.split("\n\n") == [  # content:encoded, not the description
        "Gempa bermagnitudo 5,6 mengguncang **Cianjur** siang tadi.",
        "Warga [dievakuasi](<https://kabar.example/tag/evakuasi/>) ke lapangan. Bagikan",
        "## Korban",
        "- Rumah rusak\n- Sekolah rusak",
    ]
    assert "track" not in body and "javascript" not in body

    meta, body = articles["Harga Beras Naik & Stok Menipis"]
    assert meta["date"] == "2022-11-22T02:30:00+00:00"
    assert meta["author"] == "Andi Pratama" and meta["category"] == "Ekonomi"
    assert "tags" not in meta
    assert meta["image"] == "https://kabar.example/foto/beras.jpg"  # Media RSS
    assert body == "Harga beras di pasar induk naik sepuluh persen."

    meta, body = articles["Festival Budaya Makassar"]  # the HTML title as text
    assert meta["date"] == "2022-12-01T19:30:00+08:00"
    assert meta["updated"] == "2022-12-02T08:15:00+08:00"
    assert meta["author"] == ["Dewi Lestari", "Yusuf Hamid"]
    assert "dewi@" not in str(meta)
    assert meta["category"] == "Budaya" and meta["tags"] == ["makassar"]
    assert meta["source"] == "https://warta.example/budaya/festival-makassar"
    assert meta["image"] == "https://warta.example/img/festival.png"
    assert body == "Ribuan warga memadati **Pantai Losari**.\n\nTarian dibawakan sanggar."

    assert "warta.atom: 1 of 1 entries carry only a summary" in result.output
    assert "kabar.xml: " not in result.output.replace("kabar.xml (entry", "")  # full texts

    built = run("build", "--config", root / "site.yaml", "--workers", "1")
    assert built.exit_code == 0, built.output
    assert "Built 4 articles" in built.stdout  # and the example article of `init`


def test_feed_with_entities_is_refused_and_a_broken_one_named(tmp_path: Path) -> None:
    assert run("init", tmp_path / "site").exit_code == 0
    root = tmp_path / "site"
    secret = tmp_path / "secret.txt"
    secret.write_text("KATA-SANDI", "utf-8")
    hostile = RSS.replace(
        "<rss ", f'<!DOCTYPE rss [<!ENTITY s SYSTEM "file://{secret}">]>\n<rss ', 1
    ).replace("<description>Berita terkini", "<description>&s;")
    (tmp_path / "hostile.xml").write_text(hostile, "utf-8")
    (tmp_path / "broken.rss").write_text("<rss><channel><item><title>x", "utf-8")
    result = run(
        "import", tmp_path / "hostile.xml", tmp_path / "broken.rss",
        "--config", root / "site.yaml", "--workers", "1",
    )  # fmt: skip
    assert result.exit_code == 2
    assert "hostile.xml: the feed declares entities" in result.output
    assert "broken.rss: not well-formed (no element found)" in result.output
    assert "broken.rss (entry 1): title: the entry has none" in result.output
    assert "carry only a summary" not in result.output  # no entry was imported
    assert "Traceback" not in result.output
    assert imported(root) == {}
