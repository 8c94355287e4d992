"""Plain paragraphs round-trip through a CommonMark renderer; YAML titles round-trip exactly."""

from __future__ import annotations

import html
import re
from datetime import datetime
from pathlib import Path

import pytest
from markdown_it import MarkdownIt

from archivegen.content.frontmatter import parse_front_matter, split_front_matter
from archivegen.importers.dates import WIB
from archivegen.importers.markdown import escape_paragraph, paragraphs_to_markdown
from archivegen.importers.model import ImportedArticle
from archivegen.importers.writer import ArticleWriter

TRICKY = [
    "1. Ini bukan daftar",
    "2) Juga bukan",
    "# Bukan judul",
    "#1 tetap teks",
    "> bukan kutipan",
    "- bukan butir",
    "+ bukan butir",
    "* bukan butir",
    "---",
    "***",
    "===",
    "Harga *naik* dan _turun_ hari ini",
    "snake_case_name dan 2 * 3 = 6",
    "Tautan [teks](http://contoh.id) palsu",
    "Kode `x` di sini",
    "Tag <b>tebal</b> dan <script>alert(1)</script>",
    "Entitas &amp; &copy; tetap",
    "Garis miring \\ dan \\* bintang",
    "~~~ bukan pagar",
    'Rp9 T dari "Telepon Tidur" | 50%',
]


def _text_of(rendered: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", rendered)).strip()


@pytest.mark.parametrize("paragraph", TRICKY)
def test_paragraph_renders_back_to_itself(paragraph: str) -> None:
    md = MarkdownIt("commonmark").enable("table")
    rendered = md.render(escape_paragraph(paragraph))
    assert rendered.startswith("<p>"), rendered
    assert rendered.count("<p>") == 1
    assert _text_of(rendered) == paragraph


def test_plain_prose_is_not_escaped() -> None:
    prose = 'Hal ini disampaikan pada Selasa (4/10). "Kemarin," ujar Marat.'
    assert escape_paragraph(prose) == prose


def test_one_block_per_paragraph() -> None:
    assert paragraphs_to_markdown(["Satu.", "  ", "Dua."]) == "Satu.\n\nDua."


def test_yaml_syntax_title_round_trips_exactly(tmp_path: Path) -> None:
    title = 'Kata "Kunci": #1 --- tes'
    article = ImportedArticle(
        title=title,
        date=datetime(2024, 1, 2, 3, 4, tzinfo=WIB),
        body="Isi.",
        origin="x",
        authors=("A: B", "- C"),
        category="Dunia: Eropa",
    )
    outcome = ArticleWriter(tmp_path).write(article)
    text = Path(outcome.target or "").read_text("utf-8")
    fields = parse_front_matter(split_front_matter(text, "x").yaml_text, "x")
    assert fields["title"] == title
    assert fields["author"] == ["A: B", "- C"]
    assert fields["category"] == "Dunia: Eropa"
    assert fields["date"] == "2024-01-02T03:04:00+07:00"
