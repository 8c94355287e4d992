"""Article images (the lead image and the body's), built for real: Pillow-made files in,
resized copies, markup and cards out."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

import lxml.html
import pytest
from browserkit import serve_folder
from PIL import Image
from sitekit import write_article
from themekit import BASE, NOW, checker, write_theme_site

from archivegen.build import Builder, build_site
from archivegen.check.run import check_site
from archivegen.config import SiteConfig
from archivegen.errors import ArchivegenError
from archivegen.pipeline.context import BuildMode
from archivegen.pipeline.decide import RebuildKind

AXE = Path(__file__).resolve().parents[2] / ".cache" / "npm" / "node_modules" / "axe-core"
RUN_AXE = """async () => (await axe.run(document, {resultTypes: ["violations"]})).violations
  .map(v => ({id: v.id, impact: v.impact, nodes: v.nodes.map(n => n.target.join(" "))}))"""
BODY = "Paragraf pertama.\n\n![Peta banjir](https://peta.example/banjir.png)\n\nPenutup."
ARTICLE = {"date": "2023-03-01T10:00:00+07:00", "author": "Budi Santoso", "category": "Dunia"}


def make_jpeg(path: Path, size: tuple[int, int] = (1500, 1000), colour: str = "steelblue") -> Path:
    """A real JPEG made by Pillow (a gradient, so resizing has work to do)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    image = Image.new("RGB", size, colour)
    for x in range(0, size[0], 10):
        image.paste((x % 256, 80, 160), (x, 0, x + 5, size[1]))
    image.save(path, "JPEG", quality=90)
    return path


def image_site(tmp_path: Path, **settings: object) -> SiteConfig:
    config = write_theme_site(tmp_path / "site", fillers=0, **settings)
    make_jpeg(config.content_path / "dunia" / "foto.jpg")
    write_article(
        config.content_path, "dunia/foto.md", title="Banjir di Kota Lama", image="foto.jpg",
        image_caption="Banjir/Redaksi", body=BODY, **ARTICLE,
    )  # fmt: skip
    return config


def article_doc(config: SiteConfig, slug: str) -> lxml.html.HtmlElement:
    (page,) = config.output_path.glob(f"2023/*/*/{slug}/index.html")
    return lxml.html.fromstring(page.read_text(encoding="utf-8"))


def news_article(doc: lxml.html.HtmlElement) -> dict[str, object]:
    blocks = [json.loads(s.text) for s in doc.cssselect('script[type="application/ld+json"]')]
    (found,) = [b for b in blocks if b["@type"] == "NewsArticle"]
    return found


def test_local_image_is_resized_served_with_srcset_and_sizes(tmp_path: Path) -> None:
    config = image_site(tmp_path)
    report = build_site(config, NOW)
    doc = article_doc(config, "banjir-di-kota-lama")
    (img,) = doc.cssselect("figure.lead-figure picture img")
    (source,) = doc.cssselect("figure.lead-figure picture source")
    assert (img.get("width"), img.get("height")) == ("1200", "800")  # the largest copy
    assert img.get("loading") is None and img.get("fetchpriority") == "high"  # above the fold
    (below,) = doc.cssselect(".article-body img")  # a picture in the body: below the fold
    assert below.get("loading") == "lazy" and below.get("alt") == "Peta banjir"
    assert img.get("alt") == "Banjir/Redaksi" and "vw" in img.get("sizes")
    widths = [part.split()[1] for part in img.get("srcset").split(", ")]
    assert widths == ["480w", "800w", "1200w"]  # the 1500 px original is not sent whole
    assert source.get("type") == "image/webp" and source.get("srcset").count(".webp") == 3
    for url in [*img.get("srcset").split(", "), *source.get("srcset").split(", ")]:
        path, width = url.split()
        with Image.open(config.output_path / path.lstrip("/")) as copy:
            assert copy.width == int(width[:-1])  # each file is the width it claims
            assert copy.format == ("WEBP" if path.endswith(".webp") else "JPEG")
    assert img.get("src").startswith("/media/") and "foto" not in img.get("src")  # by digest
    assert report.images is not None and report.images.processed == 6


def test_second_build_processes_no_image_and_a_changed_image_rerenders(tmp_path: Path) -> None:
    config = image_site(tmp_path)
    build_site(config, NOW)
    first = article_doc(config, "banjir-di-kota-lama").cssselect("picture img")[0].get("src")
    (memo,) = (config.root / ".archivegen").rglob("images.json")
    memo.write_text(json.dumps({k: ["x", "wide", None, 1] for k in json.loads(memo.read_text())}))
    write_article(config.content_path, "dunia/lain.md", title="Berita Lain", **ARTICLE)
    again = build_site(config, NOW)  # an input changed: a full build, the image is cached
    assert again.images is not None and (again.images.processed, again.images.reused) == (0, 6)
    make_jpeg(config.content_path / "dunia" / "foto.jpg", (900, 600), "darkred")
    changed = build_site(config, NOW)
    assert changed.images is not None and changed.images.processed == 6  # 480, 800, 900 × 2
    assert str(changed.rebuild) == "full build: an image changed (content/dunia/foto.jpg)"
    (img,) = article_doc(config, "banjir-di-kota-lama").cssselect("picture img")
    assert img.get("src") != first and (img.get("width"), img.get("height")) == ("900", "600")
    assert not (config.output_path / first.lstrip("/")).exists()  # the old copies are gone


def test_lead_image_is_og_image_and_news_article_image_with_logo(tmp_path: Path) -> None:
    config = image_site(tmp_path, logo="/static/logo.png")
    write_article(config.content_path, "dunia/polos.md", title="Tanpa Foto", **ARTICLE)
    build_site(config, NOW)
    doc = article_doc(config, "banjir-di-kota-lama")
    src = doc.cssselect("picture img")[0].get("src")
    data = news_article(doc)
    assert data["image"] == [BASE + src]
    assert data["publisher"] == {
        "@type": "Organization", "name": "Arsip Uji", "url": BASE + "/",
        "logo": {"@type": "ImageObject", "url": BASE + "/static/logo.png"},
    }  # fmt: skip
    assert doc.cssselect('meta[property="og:image"]')[0].get("content") == BASE + src
    assert doc.cssselect('meta[property="og:image:width"]')[0].get("content") == "1200"
    plain = article_doc(config, "tanpa-foto")
    assert news_article(plain)["image"] == [BASE + "/static/logo.png"]  # the fallback
    assert (
        plain.cssselect('meta[property="og:image"]')[0].get("content") == BASE + "/static/logo.png"
    )
    assert not plain.cssselect("figure")


def test_caption_without_image_makes_no_empty_figure(tmp_path: Path) -> None:
    config = write_theme_site(tmp_path / "site", fillers=0)
    write_article(
        config.content_path, "dunia/cap.md", title="Hanya Keterangan",
        image_caption="Ilustrasi/Redaksi", **ARTICLE,
    )  # fmt: skip
    build_site(config, NOW)
    doc = article_doc(config, "hanya-keterangan")
    assert not doc.cssselect("figure") and not doc.cssselect("figcaption")
    assert "image" not in news_article(doc) and not doc.cssselect('meta[property="og:image"]')


def test_remote_image_is_kept_and_marked_external(tmp_path: Path) -> None:
    config = write_theme_site(tmp_path / "site", fillers=0)
    url = "https://foto.example/a.jpg"
    write_article(config.content_path, "dunia/jauh.md", title="Foto Jauh", image=url, **ARTICLE)
    build_site(config, NOW)
    doc = article_doc(config, "foto-jauh")
    (figure,) = doc.cssselect("figure.external-image[data-external]")
    img = figure.cssselect("img")[0]
    assert img.get("src") == url and img.get("referrerpolicy") == "no-referrer"
    assert news_article(doc)["image"] == [url]


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ("javascript:alert(1)", "must be an http(s) URL or a path inside the content folder"),
        ("data:image/png;base64,iVBORw0KGgo=", "must be an http(s) URL or a path inside"),
        ("../../rahasia.jpg", "points outside the content folder"),
        ("/../site.yaml.jpg", "points outside the content folder"),
        ("//evil.example/a.jpg", "must be an http(s) URL"),
        ("C:\\foto.jpg", "must be an http(s) URL"),
        ("foto.svg", "must be a jpg, jpeg, png, gif, webp file"),
    ],
)
def test_hostile_image_paths_are_refused_naming_file_line_field(
    tmp_path: Path, value: str, reason: str
) -> None:
    config = write_theme_site(tmp_path / "site", fillers=0)
    write_article(config.content_path, "dunia/x.md", title="X", image=value, **ARTICLE)
    with pytest.raises(ArchivegenError) as caught:
        build_site(config, NOW)
    text = str(caught.value)
    assert "content/dunia/x.md" in text and "image" in text and reason in text
    line = (config.content_path / "dunia" / "x.md").read_text().splitlines().index(
        next(
            s
            for s in (config.content_path / "dunia" / "x.md").read_text().splitlines()
            if s.startswith("image:")
        )
    ) + 1
    assert f":{line}" in text  # the line of the `image:` field
    assert not config.output_path.exists() or not list(config.output_path.rglob("x/index.html"))


def test_missing_or_unreadable_image_names_the_article(tmp_path: Path) -> None:
    config = write_theme_site(tmp_path / "site", fillers=0)
    write_article(config.content_path, "dunia/a.md", title="A", image="hilang.jpg", **ARTICLE)
    (config.content_path / "dunia" / "rusak.png").write_bytes(b"not a png")
    write_article(config.content_path, "dunia/b.md", title="B", image="rusak.png", **ARTICLE)
    with pytest.raises(ArchivegenError) as caught:
        build_site(config, NOW)
    text = str(caught.value)
    assert "content/dunia/a.md" in text and "'hilang.jpg' cannot be used" in text
    assert "content/dunia/b.md" in text and "'rusak.png' cannot be used" in text


def test_an_image_linked_from_outside_the_content_folder_is_refused(tmp_path: Path) -> None:
    config = write_theme_site(tmp_path / "site", fillers=0)
    outside = make_jpeg(tmp_path / "rahasia.jpg", (40, 30))
    (config.content_path / "dunia" / "tautan.jpg").symlink_to(outside)
    write_article(config.content_path, "dunia/a.md", title="A", image="tautan.jpg", **ARTICLE)
    with pytest.raises(ArchivegenError) as caught:
        build_site(config, NOW)
    assert "content/dunia/a.md" in str(caught.value)
    assert "points outside the content folder (through a link?)" in str(caught.value)


def test_archivegen_check_finds_every_srcset_target(tmp_path: Path) -> None:
    config = image_site(tmp_path)
    build_site(config, NOW)
    report = check_site(config.output_path, config.base_url)
    assert report.errors == ()
    (copy,) = config.output_path.glob("media/*/*-480.webp")
    copy.unlink()  # a copy gone from the output is a broken srcset target
    problems = check_site(config.output_path, config.base_url).errors
    assert [p for p in problems if "480.webp" in str(p)]


@pytest.mark.parametrize("width", [375, 1280])
def test_picture_in_chromium_is_webp_reserved_and_passes_axe(
    browser: Any, tmp_path: Path, width: int
) -> None:
    if not (AXE / "axe.min.js").is_file():
        pytest.skip("axe-core is missing: `make test` installs it with npm")
    config = image_site(tmp_path)
    build_site(config, NOW)
    (page,) = config.output_path.glob("2023/*/*/banjir-di-kota-lama/index.html")
    url = "/" + page.parent.relative_to(config.output_path).as_posix() + "/"
    with serve_folder(config.output_path) as base:
        context = browser.new_context(viewport={"width": width, "height": 800})
        try:
            tab = context.new_page()
            tab.route("**/media/**", lambda route: None)  # held: the box before the image
            tab.goto(base + url, wait_until="domcontentloaded")
            styled = "getComputedStyle(document.querySelector('.lead-figure img')).display"
            tab.wait_for_function(f"{styled} === 'block'")  # the stylesheet is in
            box = tab.eval_on_selector(".lead-figure img", "i => i.getBoundingClientRect().height")
            tab.unroute("**/media/**")
            tab.reload()
            tab.wait_for_function("document.querySelector('.lead-figure img').complete")
            shown = tab.eval_on_selector(
                ".lead-figure img",
                "i => [i.currentSrc, i.naturalWidth, i.getBoundingClientRect().height]",
            )
            tab.add_script_tag(path=str(AXE / "axe.min.js"))
            violations = tab.evaluate(RUN_AXE)
        finally:
            context.close()
    current, natural, height = shown
    assert current.endswith(".webp") and natural > 0  # the browser took a WebP copy
    assert natural <= 1200 and (width > 500 or natural <= 1200)  # a phone takes a small one
    assert box > 100 and abs(box - height) < 1  # the space was held before the bytes came
    assert violations == []


def test_a_preview_edit_of_an_article_with_an_image_keeps_its_picture(tmp_path: Path) -> None:
    config = image_site(tmp_path)
    builder = Builder(config, NOW, BuildMode.PREVIEW)
    builder.build()
    article = config.content_path / "dunia" / "foto.md"
    article.write_text(article.read_text().replace("Paragraf pertama", "Alinea pembuka"))
    report = builder.build(changed=[str(article)])
    assert report.rebuild.kind is RebuildKind.FULL  # the patch path cannot measure an image
    assert "shows a local image" in report.rebuild.reason
    doc = article_doc(config, "banjir-di-kota-lama")
    assert doc.cssselect("picture img")[0].get("width") == "1200"
    assert "Alinea pembuka" in doc.text_content()
    photo = config.content_path / "dunia" / "foto.jpg"
    make_jpeg(photo, (600, 400))
    again = builder.build(changed=[str(photo)])  # the watcher names the image file
    assert again.rebuild.kind is RebuildKind.FULL
    assert (
        article_doc(config, "banjir-di-kota-lama").cssselect("picture img")[0].get("width") == "600"
    )


# images in the body: `![alt](file)` as a lazy <picture>, below the fold
BODY_IMAGES = (
    "Paragraf pertama.\n\n"
    '![Peta "banjir" & sungai](sisi.jpg "Peta wilayah")\n\n'
    "Paragraf kedua, dengan\nfoto tanggul: ![Tanggul](/foto/tanggul.jpg)\n\n"
    "![Dari luar](https://peta.example/banjir.png)\n\n"
    "![Peta lagi](sisi.jpg)\n"
)
SLUG = "foto-di-badan-berita"


def body_site(tmp_path: Path) -> SiteConfig:
    config = write_theme_site(tmp_path / "site", fillers=0)
    make_jpeg(config.content_path / "dunia" / "sisi.jpg", (1000, 600))
    make_jpeg(config.content_path / "foto" / "tanggul.jpg", (1500, 1000), "darkgreen")
    title = "Foto di Badan Berita"
    write_article(config.content_path, "dunia/badan.md", title=title, body=BODY_IMAGES, **ARTICLE)
    write_article(config.content_path, "dunia/polos.md", title="Tanpa Foto", **ARTICLE)
    return config


def body_pictures(doc: lxml.html.HtmlElement) -> list[lxml.html.HtmlElement]:
    return list(doc.cssselect(".article-body picture"))


def test_local_body_images_become_lazy_pictures_with_resized_copies(tmp_path: Path) -> None:
    config = body_site(tmp_path)
    report = build_site(config, NOW)
    doc = article_doc(config, SLUG)
    side, dam, again = body_pictures(doc)  # the file shown twice is one image, twice
    expected = [(side, "1000", "600", ["480w", "800w", "1000w"]), (dam, "1200", "800", None)]
    for picture, width, height, widths in expected:
        (img,) = picture.cssselect("img")
        (source,) = picture.cssselect("source")
        assert (img.get("width"), img.get("height")) == (width, height)
        assert (img.get("loading"), img.get("decoding")) == ("lazy", "async")  # below the fold
        assert img.get("sizes") == source.get("sizes") and "40rem" in img.get("sizes")
        if widths:
            assert [part.split()[1] for part in img.get("srcset").split(", ")] == widths
        assert source.get("type") == "image/webp"
        for url in [*img.get("srcset").split(", "), *source.get("srcset").split(", ")]:
            path, claimed = url.split()
            with Image.open(config.output_path / path.lstrip("/")) as copy:
                assert copy.width == int(claimed[:-1])  # each file is the width it claims
                assert copy.format == ("WEBP" if path.endswith(".webp") else "JPEG")
        assert img.get("src").startswith("/media/") and "sisi" not in img.get("src")
    (side_img,) = side.cssselect("img")
    assert side_img.get("alt") == 'Peta "banjir" & sungai'  # escaped once, read back whole
    assert side_img.get("title") == "Peta wilayah"
    assert again.cssselect("img")[0].get("src") == side_img.get("src")
    (remote,) = doc.cssselect(".article-body img.external-image")
    assert remote.get("src") == "https://peta.example/banjir.png"
    assert remote.get("referrerpolicy") == "no-referrer" and remote.getparent().tag != "picture"
    assert not doc.cssselect("[data-archivegen-image]")  # every marker became a picture
    assert report.images is not None and report.images.processed == 12  # 2 images × 3 × 2


def test_second_build_processes_no_body_image_and_a_changed_one_rerenders_its_page(
    tmp_path: Path,
) -> None:
    config = body_site(tmp_path)
    build_site(config, NOW)
    first = body_pictures(article_doc(config, SLUG))[0].cssselect("img")[0].get("src")
    write_article(config.content_path, "dunia/lain.md", title="Berita Lain", **ARTICLE)
    again = build_site(config, NOW)  # an input changed: a full build, the images are cached
    assert again.images is not None and (again.images.processed, again.images.reused) == (0, 12)
    make_jpeg(config.content_path / "dunia" / "sisi.jpg", (700, 420), "darkred")
    changed = build_site(config, NOW)
    assert str(changed.rebuild) == "full build: an image changed (content/dunia/sisi.jpg)"
    assert changed.images is not None and changed.images.processed == 4  # 480, 700 × 2
    side = body_pictures(article_doc(config, SLUG))[0].cssselect("img")[0]
    assert side.get("src") != first and (side.get("width"), side.get("height")) == ("700", "420")
    assert changed.rendered == 1  # exactly the page that shows it (by its fingerprint)
    assert not (config.output_path / first.lstrip("/")).exists()  # the old copies are gone


@pytest.mark.parametrize(
    ("markdown", "message"),
    [
        ("![](../../etc/x.jpg)", "image '../../etc/x.jpg' points outside the content folder"),
        ("![](x.bmp)", "image 'x.bmp' must be a jpg, jpeg, png, gif, webp file"),
        ("![](C:\\foto.jpg)", "image 'C:\\\\foto.jpg' must be an http(s) URL or a path inside"),
        ("![](data:image/png;base64,iVBORw0KGgo=)", "must be an http(s) URL or a path inside"),
        ("![](hilang.jpg)", "image 'hilang.jpg' cannot be used: No such file or directory"),
    ],
)
def test_a_body_image_that_cannot_be_shown_fails_the_build_at_its_line(
    tmp_path: Path, markdown: str, message: str
) -> None:
    config = write_theme_site(tmp_path / "site", fillers=0)
    body = f"Paragraf pertama.\n\nKalimat kedua\ndengan gambar {markdown} di tengah.\n"
    path = write_article(config.content_path, "dunia/x.md", title="X", body=body, **ARTICLE)
    with pytest.raises(ArchivegenError) as caught:
        build_site(config, NOW)
    line = next(n for n, s in enumerate(path.read_text().splitlines(), 1) if markdown in s)
    assert str(caught.value).startswith(f"content/dunia/x.md:{line}: body: ")
    assert message in str(caught.value)
    assert not list(config.output_path.rglob("x/index.html"))


def test_a_javascript_url_in_a_body_image_never_reaches_the_page(tmp_path: Path) -> None:
    config = write_theme_site(tmp_path / "site", fillers=0)
    body = "![klik](javascript:alert(1))\n\n![klik](JaVaScRiPt:alert(1) 'x')\n"
    write_article(config.content_path, "dunia/js.md", title="Skrip", body=body, **ARTICLE)
    build_site(config, NOW)
    doc = article_doc(config, "skrip")
    urls = [
        value
        for element in doc.iter()
        for name, value in element.attrib.items()
        if name in ("src", "srcset", "href", "action", "formaction", "poster", "data")
    ]
    assert urls and not [url for url in urls if "javascript" in url.lower()]
    assert not doc.cssselect(".article-body img")  # shown as the text it is
    assert "![klik](javascript:alert(1))" in doc.cssselect(".article-body")[0].text_content()


def test_a_page_with_body_images_is_valid_html(tmp_path: Path) -> None:
    command = checker()
    config = body_site(tmp_path)
    build_site(config, NOW)
    (page,) = config.output_path.glob(f"2023/*/*/{SLUG}/index.html")
    result = subprocess.run([*command, str(page)], capture_output=True, text=True, timeout=120)
    messages = json.loads(result.stderr or result.stdout)["messages"]
    assert [f"{m.get('lastLine')}: {m['message']}" for m in messages] == []


def test_body_pictures_in_chromium_are_webp_and_pass_axe(browser: Any, tmp_path: Path) -> None:
    if not (AXE / "axe.min.js").is_file():
        pytest.skip("axe-core is missing: `make test` installs it with npm")
    config = body_site(tmp_path)
    build_site(config, NOW)
    (page,) = config.output_path.glob(f"2023/*/*/{SLUG}/index.html")
    url = "/" + page.parent.relative_to(config.output_path).as_posix() + "/"
    with serve_folder(config.output_path) as base:
        context = browser.new_context(viewport={"width": 375, "height": 800})
        try:
            tab = context.new_page()
            tab.route("https://peta.example/**", lambda route: route.abort())  # no network
            tab.goto(base + url)
            shown = tab.evaluate(
                """async () => Promise.all([...document.querySelectorAll('.article-body picture img')]
                .map(async i => { i.scrollIntoView(); await i.decode(); return i.currentSrc; }))"""
            )
            tab.add_script_tag(path=str(AXE / "axe.min.js"))
            violations = tab.evaluate(RUN_AXE)
        finally:
            context.close()
    assert len(shown) == 3 and all(src.endswith(".webp") for src in shown)
    assert violations == []


def test_a_preview_edit_of_an_article_with_body_images_keeps_its_pictures(tmp_path: Path) -> None:
    config = body_site(tmp_path)
    builder = Builder(config, NOW, BuildMode.PREVIEW)
    builder.build()
    article = config.content_path / "dunia" / "badan.md"
    article.write_text(article.read_text().replace("Paragraf pertama", "Alinea pembuka"))
    report = builder.build(changed=[str(article)])
    assert report.rebuild.kind is RebuildKind.FULL  # the patch path cannot measure an image
    assert "shows a local image" in report.rebuild.reason
    doc = article_doc(config, SLUG)
    assert len(body_pictures(doc)) == 3 and "Alinea pembuka" in doc.text_content()
