"""The theme's assets: CSS minified at build, nothing loaded from elsewhere, light and dark and
print styles, and an article page within its 30 KB (compressed) budget."""

from __future__ import annotations

import gzip
import re

from themekit import SEED_URL, THEME, read_page

from archivegen.config import SiteConfig
from archivegen.render.theme import minify_static

BUDGET = 30_000


def gz(data: bytes) -> int:
    return len(gzip.compress(data, compresslevel=6, mtime=0))


def test_css_is_minified_at_build(theme_site: SiteConfig) -> None:
    source = (THEME / "static" / "style.css").read_bytes()
    built = (theme_site.output_path / "static" / "style.css").read_bytes()
    assert b"/*" in source and b"/*" not in built
    assert len(built) < 0.9 * len(source)
    assert b"\n  " not in built
    for rule in (b"@media print", b"prefers-color-scheme:dark", b".skip-link:focus"):
        assert rule in built


def test_minify_keeps_other_files_and_min_files_as_they_are() -> None:
    assert minify_static("static/app.js", b"var  a = 1;  // why\n") == b"var a=1;"
    assert minify_static("static/app.min.js", b"var  a = 1;  ") == b"var  a = 1;  "
    assert minify_static("static/logo.svg", b"<svg>  </svg>") == b"<svg>  </svg>"
    assert minify_static("static/x.min.css", b"a {  }") == b"a {  }"
    assert minify_static("static/latin1.css", b"a{content:'\xe9'}") == b"a{content:'\xe9'}"
    assert minify_static("static/a.css", b"a {\n  color : red ;\n}\n") == b"a{color:red}"


def test_nothing_is_loaded_from_other_hosts(theme_site: SiteConfig) -> None:
    for path in theme_site.output_path.rglob("*.css"):
        css = path.read_text(encoding="utf-8")
        assert "@import" not in css and not re.search(r"url\(\s*['\"]?(https?:)?//", css)
    for url in ("/", SEED_URL, "/arsip/", "/cari/"):
        doc = read_page(theme_site, url)
        for element in doc.cssselect("link[href], script[src], img[src], iframe"):
            target = element.get("href") or element.get("src") or ""
            rel = element.get("rel") or ""
            if rel in ("canonical", "alternate"):
                continue  # addresses of this site, not downloads
            assert target.startswith("/") and not target.startswith("//"), (url, target)
        scripts = [s for s in doc.cssselect("script") if s.get("type") != "application/ld+json"]
        if url != "/cari/":
            assert not scripts, f"{url} has a script"


def test_an_article_page_is_under_30_kb_compressed(theme_site: SiteConfig) -> None:
    site = theme_site.output_path
    html = (site / SEED_URL.strip("/") / "index.html").read_bytes()
    doc = read_page(theme_site, SEED_URL)
    assets = [e.get("href") for e in doc.cssselect("link[rel=stylesheet], link[rel=icon]")]
    assets += [e.get("src") for e in doc.cssselect("script[src]")]
    assert "/static/style.css" in assets
    total = gz(html) + sum(gz((site / a.lstrip("/")).read_bytes()) for a in assets)
    assert total < BUDGET, f"{total} bytes compressed"
