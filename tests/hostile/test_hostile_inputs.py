"""Hostile input, built through the real command line: each case is a clear error naming the
file, line and field (exit 1, no traceback), or a site that is safe and well-formed (#18)."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from lxml import etree
from lxml import html as lxml_html

from archivegen.digest import digest

ARCHIVEGEN = [sys.executable, "-m", "archivegen"]
SITE_YAML = "title: Arsip Uji\nbase_url: https://arsip.example/\n"
GOOD = "title: Berita Baik\ndate: 2024-01-16T10:00:00+07:00\ncategory: Dunia\n"


def make_site(root: Path, site_yaml: str = SITE_YAML, **articles: str) -> Path:
    """A site folder: site.yaml and content/<name>.md for each front matter given."""
    (root / "content").mkdir(parents=True)
    (root / "site.yaml").write_text(site_yaml, encoding="utf-8")
    for name, front in {"baik": GOOD, **articles}.items():
        text = f"---\n{front}---\nIsi berita.\n"
        (root / "content" / f"{name}.md").write_text(text, encoding="utf-8")
    return root


def build(site: Path) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(
        [*ARCHIVEGEN, "build"], cwd=site, capture_output=True, text=True, timeout=120
    )
    assert "Traceback" not in result.stderr, result.stderr
    return result


def refused(site: Path, *messages: str) -> str:
    """Build, expect exit 1 and each message on stderr; nothing is published."""
    result = build(site)
    assert result.returncode == 1, result.stdout + result.stderr
    for message in messages:
        assert message in result.stderr, result.stderr
    assert not (site / "public").exists()
    return result.stderr


def unsafe_links(public: Path) -> list[str]:
    """Every javascript:, data: or vbscript: URL in an attribute of a built page."""
    found = []
    for page in public.rglob("*.html"):
        for element in lxml_html.parse(str(page)).iter():
            for name in ("href", "src", "srcset", "content"):
                value = re.sub(r"[\x00-\x20]", "", element.get(name) or "").lower()
                if re.search(r"(^|,|url=)(javascript|data|vbscript):", value):
                    found.append(f"{page}: {name}={value}")
    return found


# --- a. only safe URL schemes ---


ONLY_SAFE = "only http:, https: and mailto: links are allowed"


@pytest.mark.parametrize(
    ("url", "problem"),
    [
        ("javascript:alert(document.domain)", f"has the scheme javascript:, {ONLY_SAFE}"),
        ("JavaScript:alert(1)", f"has the scheme javascript:, {ONLY_SAFE}"),
        ("data:text/html,<b>x</b>", f"has the scheme data:, {ONLY_SAFE}"),
        ("vbscript:msgbox(1)", f"has the scheme vbscript:, {ONLY_SAFE}"),
        ("file:///etc/passwd", f"has the scheme file:, {ONLY_SAFE}"),
        ("java\tscript:alert(1)", "must not hold spaces, control characters or backslashes"),
        ("java\u0001script:alert(1)", "must not hold spaces, control characters or backslashes"),
        ("http:alert(1)", "must name a host (http://example.com/...)"),
    ],
)
def test_an_unsafe_source_link_is_an_error_naming_file_line_and_field(
    tmp_path: Path, url: str, problem: str
) -> None:
    site = make_site(tmp_path, jahat=GOOD + f"source: {json.dumps(url)}\n")
    shown = repr(" ".join(url.split()))
    refused(site, f"content/jahat.md:5: source: {shown} {problem}")


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("image", "javascript:alert(1)", "must be an http(s) URL or a path inside the content"),
        ("image", "data:image/png;base64,iVBORw0KGgo=", "must be an http(s) URL or a path"),
        ("aliases", "[javascript:alert(1)]", "must be a path on this site starting with /"),
    ],
)
def test_image_and_aliases_refuse_other_schemes(
    tmp_path: Path, field: str, value: str, message: str
) -> None:
    site = make_site(tmp_path, jahat=GOOD + f"{field}: {value}\n")
    refused(site, f"content/jahat.md:5: {field}: ", message)


@pytest.mark.parametrize(
    ("setting", "message"),
    [
        ("base_url: javascript:alert(1)//", "base_url: has the scheme javascript:"),
        ("base_url: https://", "base_url: must name a host"),
        ("base_url: /arsip/", "base_url: must be an http:// or https:// URL"),
        ("logo: javascript:alert(1)", "logo: must be an http(s) URL or a path on the site"),
        ('logo: "/logo.png\\u0001"', "logo: must be an http(s) URL or a path on the site"),
        ('license: {url: "data:text/html,x"}', "license.url: has the scheme data:"),
        ('license: {url: "https://a.example/\\tx"}', "license.url: must not hold spaces"),
    ],
)
def test_an_unsafe_url_in_site_yaml_is_an_error_at_its_line(
    tmp_path: Path, setting: str, message: str
) -> None:
    site = make_site(tmp_path, f"title: Arsip Uji\n{setting}\n")
    refused(site, f"site.yaml:2: {message}")


def test_safe_links_are_published_and_no_page_holds_an_unsafe_url(tmp_path: Path) -> None:
    site = make_site(
        tmp_path,
        SITE_YAML + "logo: /logo.png\nlicense: {name: Hak cipta, url: 'https://l.example/'}\n",
        surat=GOOD + "source: mailto:redaksi@example.com\naliases: [/lama/1]\n",
        web=GOOD + "source: https://rmol.id/read/1\nimage: https://img.example/a.jpg\n",
        relatif=GOOD + "source: /2024/01/16/berita-baik/\n",
    )
    assert build(site).returncode == 0
    assert unsafe_links(site / "public") == []
    page = (site / "public" / "2024" / "01" / "16").rglob("*.html")
    assert any('href="mailto:redaksi@example.com"' in p.read_text() for p in page)


# --- c. duplicate keys, alias bombs ---


def test_a_key_twice_in_front_matter_is_an_error_at_its_second_line(tmp_path: Path) -> None:
    site = make_site(tmp_path, dua=GOOD + "title: Judul Lain\n")
    refused(site, "content/dua.md:5: title: given twice (first on line 2); keep one")


def test_a_key_twice_in_site_yaml_is_an_error_at_its_second_line(tmp_path: Path) -> None:
    site = make_site(tmp_path, SITE_YAML + "page_size: 5\ntitle: Lain\n")
    refused(site, "site.yaml:4: title: given twice (first on line 1); keep one")


def test_a_merge_key_may_still_be_overridden(tmp_path: Path) -> None:
    site = make_site(tmp_path, extra=GOOD + "base: &b {p: 1}\nm:\n  <<: *b\n  p: 2\n")
    assert build(site).returncode == 0


BOMB = "".join(
    f"  {name}: &{name} [{', '.join([f'*{prev}'] * 9)}]\n"
    for prev, name in zip("abcdefgh", "bcdefghi", strict=True)
)


def test_a_billion_laughs_in_site_params_is_refused_quickly(tmp_path: Path) -> None:
    bomb = "params:\n  a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n" + BOMB
    site = make_site(tmp_path, SITE_YAML + bomb)
    refused(site, "site.yaml:1: YAML aliases expand the file by more than 1,000,000 nodes")


def test_an_alias_bomb_or_loop_in_front_matter_is_refused(tmp_path: Path) -> None:
    bomb = "x:\n  a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n" + BOMB
    site = make_site(tmp_path, bom=GOOD + bomb, loop=GOOD + "x: &a [*a]\n")
    refused(
        site,
        "content/bom.md:2: YAML aliases expand the front matter by more than 1,000,000",
        "content/loop.md:2: YAML aliases expand the front matter",
    )


# --- e. permalink patterns ---


@pytest.mark.parametrize(
    ("pattern", "message"),
    [
        ("/%2e%2e/{slug}/", "may hold only letters, digits, - _ ~ . / and {placeholders}"),
        ("/{yyyy}/{slug}", "must end with / (each page is a folder's index.html)"),
        ("/.x/{slug}/", "must not hold a segment starting with . (`..` or a hidden folder)"),
        ("/../{slug}/", "must not hold a segment starting with ."),
        ("/a//{slug}/", "must not hold an empty segment (//)"),
    ],
)
def test_an_unsafe_permalink_pattern_is_refused_at_its_line(
    tmp_path: Path, pattern: str, message: str
) -> None:
    site = make_site(
        tmp_path, SITE_YAML + f"permalinks:\n  tag: /t/{{slug}}/\n  article: {pattern}\n"
    )
    refused(site, f"site.yaml:5: permalinks.article: {message}")


# --- f. integers and dates ---

HUGE = "9" * 5000


def test_a_5000_digit_title_is_an_error_and_hides_no_other(tmp_path: Path) -> None:
    bad_date = GOOD.replace("2024-01-16T10:00:00+07:00", "04/13/2022")
    site = make_site(tmp_path, angka=f"title: {HUGE}\n" + GOOD[GOOD.index("date") :], tgl=bad_date)
    refused(
        site,
        "content/angka.md:2: title: is a number of more than 4,300 digits; quote it if it is text",
        'content/tgl.md:3: date: "04/13/2022" is not a date',
        "2 errors",
    )


@pytest.mark.parametrize(
    ("setting", "key"), [("page_size", "page_size"), ("params:\n  x", "params.x")]
)
def test_a_5000_digit_number_in_site_yaml_is_an_error_at_its_line(
    tmp_path: Path, setting: str, key: str
) -> None:
    site = make_site(tmp_path, SITE_YAML + f"{setting}: {HUGE}\n")
    line = 3 + setting.count("\n")
    refused(site, f"site.yaml:{line}: {key}: is a number of more than 4,300 digits")


@pytest.mark.parametrize("date", ["0001-01-01T00:00:00+07:00", "9999-12-31T23:00:00-07:00"])
def test_a_date_at_the_calendars_end_is_an_error_of_the_article(tmp_path: Path, date: str) -> None:
    site = make_site(tmp_path, ujung=GOOD.replace("2024-01-16T10:00:00+07:00", date))
    stderr = refused(
        site, f'content/ujung.md:3: date: "{date}" is out of range: the year must be 2 to 9998'
    )
    assert "article.html" not in stderr


def test_dates_a_day_inside_the_calendar_build(tmp_path: Path) -> None:
    early = GOOD.replace("2024-01-16T10:00:00+07:00", "0002-01-01T00:00:00+14:00")
    late = GOOD.replace("2024-01-16T10:00:00+07:00", "9998-12-31T23:59:59-12:00")
    site = make_site(tmp_path, awal=early, akhir=late)
    result = subprocess.run(
        [*ARCHIVEGEN, "build", "--future"], cwd=site, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    assert "Built 3 articles" in result.stdout


# --- d. names whose slugs would collide ---


def test_names_slugify_cannot_spell_keep_a_page_each(tmp_path: Path) -> None:
    fire = GOOD.replace("Berita Baik", "Api").replace("Dunia", "🔥") + "tags: ['!!!', '🔥']\n"
    wave = GOOD.replace("Berita Baik", "Ombak").replace("Dunia", "🌊") + "tags: ['???']\n"
    site = make_site(tmp_path, api=fire, ombak=wave)
    assert build(site).returncode == 0
    public = site / "public"
    pages = {}
    for name, kind in [("🔥", "kategori"), ("🌊", "kategori"), ("!!!", "tag"), ("???", "tag")]:
        slug = "x" + digest(name.encode())[:8]
        pages[name] = (public / kind / slug / "index.html").read_text(encoding="utf-8")
    assert "Api" in pages["🔥"] and "Ombak" not in pages["🔥"]
    assert "Ombak" in pages["🌊"] and "Api" not in pages["🌊"]
    assert "Api" in pages["!!!"] and "Ombak" in pages["???"]
    assert not (public / "kategori" / "-").exists()


# --- b. XML stays well-formed whatever the text holds ---

# every class XML 1.0 forbids: C0 controls but tab, LF, CR (YAML escapes), U+FFFE, U+FFFF
FORBIDDEN = "".join(f"\\x{c:02x}" for c in range(1, 32) if c not in (9, 10, 13)) + "\\uFFFE\\uFFFF"


def test_forbidden_characters_are_dropped_from_every_xml_file_with_a_warning(
    tmp_path: Path,
) -> None:
    front = (
        f'title: "Judul{FORBIDDEN}Kontrol"\ndate: 2024-01-16T10:00:00+07:00\n'
        'category: "Dun\\x02ia"\nauthor: "Bu\\x03di"\n'
    )
    site_yaml = (
        'title: "Arsip\\x07 Uji"\ndescription: "Desk\\uFFFEripsi"\nbase_url: https://a.example/\n'
    )
    site = make_site(tmp_path, site_yaml, kontrol=front)
    raw_body = "Isi \x01 berita \x08 dengan \x1b kontrol \ufffe.\n"
    body_file = site / "content" / "kontrol.md"
    body_file.write_text(body_file.read_text().replace("Isi berita.\n", raw_body))
    result = build(site)
    assert result.returncode == 0, result.stderr
    # \x0b, \x0c and \x1c-\x1f are whitespace to Python: a title's spaces are normalized first
    kept = [*range(1, 9), *range(14, 28), 0xFFFE, 0xFFFF]
    codes = ", ".join(f"U+{c:04X}" for c in kept)
    assert (
        f"warning: content/kontrol.md: title, category, author, excerpt: characters XML cannot "
        f"carry ({codes}) are left out of the feeds and sitemaps"
    ) in result.stderr
    assert (
        "warning: site.yaml: title, description: characters XML cannot carry (U+0007, U+FFFE)"
    ) in result.stderr
    assert "content/baik.md" not in result.stderr
    feeds = sorted((site / "public").rglob("*.xml"))
    assert {p.name for p in feeds} >= {"feed.xml", "news-sitemap.xml", "sitemap.xml"}
    assert (site / "public" / "kategori" / "dunia" / "feed.xml") in feeds
    for path in feeds:
        etree.parse(str(path))  # raises on anything not well-formed
    feed = etree.parse(str(site / "public" / "feed.xml"))
    titles = feed.findall(
        ".//{http://www.w3.org/2005/Atom}entry/{http://www.w3.org/2005/Atom}title"
    )
    # the two whitespace runs became spaces on load; what lay between them is dropped here
    assert "Judul  Kontrol" in [t.text for t in titles]


def test_a_lone_surrogate_or_control_in_base_url_is_an_error(tmp_path: Path) -> None:
    site = make_site(tmp_path, 'title: x\nbase_url: "https://a.example/\\x01"\n')
    refused(site, "site.yaml:2: base_url: must not hold spaces, control characters")
    (tmp_path / "s").mkdir()
    other = make_site(tmp_path / "s", sur=GOOD + 'excerpt: "a\\ud800"\n')
    refused(other, "content/sur.md:5: front matter is not valid YAML")


# --- g. path limits and the build's own files ---


@pytest.mark.parametrize(
    ("field", "value", "problem"),
    [
        ("slug", "a" * 300, "makes an address that has a segment of 300 bytes; this filesystem"),
        ("aliases", f"[/lama/{'b' * 300}/]", "has a segment of 300 bytes; this filesystem allows"),
        ("aliases", f"[{'/a' * 3000}]", "is longer than 2000 characters once percent-encoded"),
    ],
)
def test_a_name_too_long_for_the_filesystem_is_an_error(
    tmp_path: Path, field: str, value: str, problem: str
) -> None:
    site = make_site(tmp_path, panjang=GOOD + f"{field}: {value}\n")
    refused(site, f"content/panjang.md:5: {field}: ", problem)


def test_an_alias_past_path_max_below_a_deep_output_folder_is_an_error(tmp_path: Path) -> None:
    output = "/".join(["o" * 200] * 19)  # 3,819 bytes below the site, which need not exist
    site = make_site(
        tmp_path, SITE_YAML + f"output_dir: {output}\n", dalam=GOOD + f"aliases: [{'/a' * 150}]\n"
    )
    refused(
        site,
        "content/dalam.md:5: aliases: ",
        "is 300 bytes long; below the output folder this filesystem allows",
    )


@pytest.mark.parametrize(
    "alias",
    ["/feed.xml/x/", "/static/style.css", "/sitemap.xml", "/pagefind/pagefind.js", "/robots.txt",
     "/_redirects/a/", "/news-sitemap.xml"],
)  # fmt: skip
def test_an_alias_at_or_under_a_file_the_build_writes_is_an_error(
    tmp_path: Path, alias: str
) -> None:
    site = make_site(tmp_path, tabrak=GOOD + f"aliases: [{alias}]\n")
    refused(
        site,
        f"content/tabrak.md:5: aliases: {alias!r} is the address of a file the build writes "
        "itself (or lies under one)",
    )
