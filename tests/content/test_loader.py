from datetime import timedelta
from pathlib import Path

import pytest

from archivegen.config import config_from_mapping
from archivegen.content.loader import load_article_file, load_content
from archivegen.errors import ContentError

from sitekit import SEED_ARTICLE, write_article


@pytest.fixture
def config(tmp_path: Path):  # type: ignore[no-untyped-def]
    (tmp_path / "content").mkdir()
    return config_from_mapping({}, root=tmp_path)


def errors_of(path: Path, config) -> list[ContentError]:  # type: ignore[no-untyped-def]
    outcome = load_article_file(path, config)
    assert outcome.article is None
    return list(outcome.errors)  # type: ignore[arg-type]


def test_the_seed_article(tmp_path: Path, config) -> None:  # type: ignore[no-untyped-def]
    target = tmp_path / "content" / "seed.md"
    target.write_bytes(SEED_ARTICLE.read_bytes())
    article = load_article_file(target, config).article
    assert article is not None
    assert article.title == "Terus Bertambah, 200 Ribu Warga Rusia Sudah Kabur ke Kazakhstan"
    assert article.date.isoformat() == "2022-10-04T18:23:00+07:00"
    assert article.authors == ("Alifia Dwi Ramandhita",)
    assert article.category == "Dunia"
    assert article.image_caption == "Ilustrasi/Net"
    assert article.extra == {}
    assert article.section == "Berita"
    assert article.body_html.count("<p>") == 7
    assert article.excerpt.startswith("Sejauh ini lebih dari 200 ribu warga negara Rusia")
    assert article.source_path == "content/seed.md"


def test_every_field_problem_reported_with_its_line(tmp_path: Path, config) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "content" / "bad.md"
    path.write_text(
        "---\ntitle: Ok\ndate: 2022-02-30\nauthor: {nama: x}\ndraft: maybe\n---\nisi\n",
        encoding="utf-8",
    )
    found = {e.field: e for e in errors_of(path, config)}
    assert set(found) == {"date", "author", "draft", "category"}
    assert found["date"].line == 3
    assert "2022-02-30" in found["date"].message and "day is out of range" in found["date"].message
    assert found["author"].line == 4
    assert found["category"].message == "is required"
    assert str(found["date"]).startswith("content/bad.md:3: date: ")


def test_hostile_slug_is_an_error(tmp_path: Path, config) -> None:  # type: ignore[no-untyped-def]
    path = write_article(
        tmp_path / "content", "x.md", title="T", date="2022-01-01T00:00:00+07:00",
        category="A", slug="../../etc",
    )  # fmt: skip
    (error,) = errors_of(path, config)
    assert error.field == "slug" and "not a safe slug" in error.message


def test_not_utf8_names_the_line(tmp_path: Path, config) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "content" / "latin1.md"
    path.write_bytes(b"---\ntitle: Caf\xe9\n---\n")
    (error,) = errors_of(path, config)
    assert error.line == 2 and "not UTF-8" in error.message


def test_empty_file(tmp_path: Path, config) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "content" / "empty.md"
    path.write_bytes(b"")
    (error,) = errors_of(path, config)
    assert "empty" in error.message


def test_oversized_body_refused_without_parsing(tmp_path: Path, config) -> None:  # type: ignore[no-untyped-def]
    path = write_article(
        tmp_path / "content", "big.md", body="kata " * 4_000_000, title="Besar",
        date="2022-01-01T00:00:00+07:00", category="A",
    )  # fmt: skip
    assert path.stat().st_size > 20_000_000
    (error,) = errors_of(path, config)
    assert "MB" in error.message and "max_article_bytes" in error.message


def test_naive_date_takes_site_timezone(tmp_path: Path, config) -> None:  # type: ignore[no-untyped-def]
    write_article(tmp_path / "content", "n.md", title="T", date="2022-01-01 10:00", category="A")
    content = load_content(config)
    assert content.naive_dates == ("content/n.md",)
    assert content.articles[0].date.utcoffset() == timedelta(hours=7)


def test_unknown_fields_are_kept_and_authors_may_be_a_list(tmp_path: Path, config) -> None:  # type: ignore[no-untyped-def]
    write_article(
        tmp_path / "content", "x.md", title="T", date="2022-01-01T00:00:00+08:00", category="A",
        author=["Ani", "Budi", "Ani"], tags=["x"], credit="IndoSum",
    )  # fmt: skip
    (article,) = load_content(config).articles
    assert article.authors == ("Ani", "Budi")
    assert article.extra == {"credit": "IndoSum"}


def test_raw_html_is_escaped_unless_allowed(tmp_path: Path) -> None:
    (tmp_path / "content").mkdir()
    path = write_article(
        tmp_path / "content", "x.md", body="<script>alert(1)</script>\n\n[x](javascript:alert(1))",
        title="T", date="2022-01-01T00:00:00+07:00", category="A",
    )  # fmt: skip
    strict = load_article_file(path, config_from_mapping({}, root=tmp_path)).article
    assert strict is not None
    assert "<script>" not in strict.body_html and "&lt;script&gt;" in strict.body_html
    assert "href" not in strict.body_html  # markdown-it refuses javascript: links
    allowed = config_from_mapping({"markdown": {"allow_html": True}}, root=tmp_path)
    loose = load_article_file(path, allowed).article
    assert loose is not None and "<script>" in loose.body_html


def test_the_excerpt_reads_the_whole_text_with_or_without_the_body(  # type: ignore[no-untyped-def]
    tmp_path: Path, config
) -> None:
    # a reference defined at the end makes `[Reuters]` a link in the opening paragraph
    path = tmp_path / "ref.md"
    path.write_text(
        "---\ntitle: Ref\ndate: 2024-01-01T10:00:00+07:00\ncategory: Dunia\n---\n\n"
        "Menurut [Reuters], harga minyak naik.\n\n" + "Paragraf lain. " * 60 + "\n\n"
        "[Reuters]: https://reuters.example/\n",
        encoding="utf-8",
    )
    light = load_article_file(path, config, with_body=False).article
    full = load_article_file(path, config, with_body=True).article
    assert light is not None and full is not None
    assert light.excerpt == full.excerpt
    assert light.excerpt.startswith("Menurut Reuters, harga minyak naik.")
    assert light.body_html == "" and '<a href="https://reuters.example/">' in full.body_html
