"""One URL captured several times, through the real `archivegen import` (issue 19): the
newest capture is the article, earlier ones whose text differs are its revisions, in order
of capture whatever the order of the imports, and identical re-captures add nothing."""

from __future__ import annotations

import itertools
import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from archivegen.cli import main
from archivegen.content.frontmatter import parse_front_matter, split_front_matter
from archivegen.content.revisions import FOLDER as REVISIONS
from archivegen.importers.writer import is_pristine

URL = "https://contoh.id/read/2024/03/05/77/banjir"
FIRST = "Banjir merendam 10 rumah.\n\nWarga mengungsi."
# the same words, spaced and broken otherwise: no revision
FIRST_RESPACED = "Banjir  merendam 10 rumah.\n\n\nWarga   mengungsi."
SECOND = "Banjir merendam 50 rumah di Kemang.\n\nWarga mengungsi ke masjid."
CORRECTED = SECOND + "\n\nKoreksi: Sebelumnya tertulis 10 rumah."
HOSTILE = 'Banjir <script>alert("x")</script> & <b onmouseover=x>merendam</b> rumah.'


def run(*args: str | Path) -> Result:
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


def new_site(tmp_path: Path) -> Path:
    assert run("init", tmp_path / "site").exit_code == 0
    return tmp_path / "site"


def capture(
    root: Path, name: str, when: str, body: str, title: str = "Banjir Rendam Jakarta"
) -> str:
    """Import one capture of URL (a JSONL row with its capture time); the command's output."""
    row = {
        "url": URL,
        "title": title,
        "date": "2024-03-05T08:00:00+07:00",
        "body": body,
        "category": "Nasional",
        "captured": when,
    }
    source = root.parent / f"{name}.jsonl"
    source.write_text(json.dumps(row) + "\n", encoding="utf-8")
    result = run("import", source, "--config", root / "site.yaml", "--workers", "1")
    assert result.exit_code == 0, result.output
    return result.output


def article_file(root: Path) -> Path:
    (found,) = [p for p in (root / "content").rglob("*banjir*.md") if REVISIONS not in p.parts]
    return found


def front(path: Path) -> dict[str, Any]:
    """The front matter as the build reads it (times as written, not parsed)."""
    return parse_front_matter(split_front_matter(path.read_text("utf-8"), "").yaml_text, "")


def body(path: Path) -> str:
    return split_front_matter(path.read_text("utf-8"), "").body.strip()


def snapshot(root: Path) -> dict[str, str]:
    content = root / "content"
    return {p.relative_to(content).as_posix(): p.read_text("utf-8") for p in content.rglob("*.md")}


def test_a_changed_text_keeps_the_earlier_capture_as_a_revision(tmp_path: Path) -> None:
    root = new_site(tmp_path)
    assert "1 new" in capture(root, "c1", "2024-03-05T09:00:00+07:00", FIRST)
    assert "1 updated" in capture(root, "c2", "2024-03-05T12:00:00+07:00", CORRECTED)
    path = article_file(root)
    fields = front(path)
    assert body(path) == CORRECTED and is_pristine(path.read_text("utf-8"))
    assert fields["captured"] == "2024-03-05T12:00:00+07:00"
    assert fields["updated"] == "2024-03-05T12:00:00+07:00"  # the newest capture's time
    assert fields["date"] == "2024-03-05T08:00:00+07:00"  # publication stays
    (item,) = fields["revisions"]
    assert item["captured"] == "2024-03-05T09:00:00+07:00"
    kept = root / "content" / item["file"]
    assert item["file"].startswith(f"{REVISIONS}/nasional/") and kept.is_file()
    assert body(kept) == FIRST and front(kept)["captured"] == "2024-03-05T09:00:00+07:00"


def test_identical_recaptures_add_nothing(tmp_path: Path) -> None:
    root = new_site(tmp_path)
    capture(root, "c1", "2024-03-05T09:00:00+07:00", FIRST)
    before = snapshot(root)
    # later, earlier and at once: the same words never make a revision nor move a time
    assert "1 unchanged" in capture(root, "later", "2024-03-06T09:00:00+07:00", FIRST_RESPACED)
    assert "1 unchanged" in capture(root, "again", "2024-03-05T09:00:00+07:00", FIRST)
    assert snapshot(root) == before
    assert "updated" not in front(article_file(root))
    assert not (root / "content" / REVISIONS).exists()


def test_an_older_crawl_imported_late_goes_into_its_place(tmp_path: Path) -> None:
    root = new_site(tmp_path)
    capture(root, "new", "2024-03-05T12:00:00+07:00", CORRECTED)
    assert "1 updated" in capture(root, "old", "2024-03-05T09:00:00+07:00", FIRST)
    path = article_file(root)
    fields = front(path)
    assert body(path) == CORRECTED  # the newest capture stays the article
    assert fields["captured"] == "2024-03-05T12:00:00+07:00"
    assert fields["updated"] == "2024-03-05T12:00:00+07:00"  # its text changed then
    (item,) = fields["revisions"]
    assert item["captured"] == "2024-03-05T09:00:00+07:00"
    assert body(root / "content" / item["file"]) == FIRST
    # an even older capture of the article's own text: the article was first seen then
    capture(root, "oldest", "2024-03-05T08:30:00+07:00", FIRST_RESPACED)
    (item,) = front(path)["revisions"]
    assert item["captured"] == "2024-03-05T08:30:00+07:00"


CAPTURES = [
    ("a", "2024-03-05T08:30:00+07:00", HOSTILE),
    ("b", "2024-03-05T09:00:00+07:00", FIRST),
    ("c", "2024-03-05T10:00:00+07:00", FIRST_RESPACED),  # b seen again
    ("d", "2024-03-05T12:00:00+07:00", SECOND),
    ("e", "2024-03-05T15:00:00+07:00", CORRECTED),
]


@pytest.mark.parametrize("order", ["abcde", "edcba", "daebc"])
def test_any_order_of_imports_gives_the_same_files(tmp_path: Path, order: str) -> None:
    root = new_site(tmp_path / order)
    for name in order:
        _, when, text = next(c for c in CAPTURES if c[0] == name)
        capture(root, name, when, text)
    fields = front(article_file(root))
    assert fields["captured"] == "2024-03-05T15:00:00+07:00"
    assert fields["updated"] == "2024-03-05T15:00:00+07:00"
    items = fields["revisions"]
    assert [i["captured"] for i in items] == [
        "2024-03-05T08:30:00+07:00",
        "2024-03-05T09:00:00+07:00",  # b, not c: when that text was first seen
        "2024-03-05T12:00:00+07:00",
    ]
    reference = tmp_path / "reference"
    if not reference.exists():
        reference.mkdir()
        ordered = new_site(reference)
        for name, when, text in CAPTURES:
            capture(ordered, name, when, text)
    assert snapshot(root) == snapshot(reference / "site")


def test_a_hand_edit_keeps_the_revisions_and_a_forced_reimport_extends_them(
    tmp_path: Path,
) -> None:
    root = new_site(tmp_path)
    capture(root, "c1", "2024-03-05T09:00:00+07:00", FIRST)
    capture(root, "c2", "2024-03-05T12:00:00+07:00", SECOND)
    path = article_file(root)
    path.write_text(path.read_text("utf-8").replace("Kemang", "Kemang Raya"), "utf-8")
    assert "1 kept by hand" in capture(root, "c3", "2024-03-05T15:00:00+07:00", CORRECTED)
    assert len(front(path)["revisions"]) == 1
    source = root.parent / "c3.jsonl"
    result = run("import", source, "--config", root / "site.yaml", "--force", "--workers", "1")
    assert result.exit_code == 0, result.output
    items = front(path)["revisions"]
    assert [i["captured"] for i in items] == [
        "2024-03-05T09:00:00+07:00",
        "2024-03-05T12:00:00+07:00",
    ]
    assert "Kemang Raya" in body(root / "content" / items[1]["file"])
    assert body(path) == CORRECTED


def test_revisions_are_neither_articles_nor_reimported(tmp_path: Path) -> None:
    root = new_site(tmp_path)
    for name, when, text in CAPTURES:
        capture(root, name, when, text)
    result = run("build", "--config", root / "site.yaml", "--workers", "1")
    assert result.exit_code == 0, result.output
    assert "Built 2 articles" in result.output  # the example article and this one
    again = capture(root, "e2", "2024-03-05T15:00:00+07:00", CORRECTED)
    assert "1 unchanged" in again


@pytest.mark.parametrize("first,second", list(itertools.permutations(["old", "new"])))
def test_saved_html_pages_of_one_url(tmp_path: Path, first: str, second: str) -> None:
    """SingleFile saves (their comment names the URL and the time): the same as rows."""
    root = new_site(tmp_path)
    pages = {
        "old": ("Tue Mar 05 2024 02:00:00 GMT+0000", FIRST),
        "new": ("Tue Mar 05 2024 05:00:00 GMT+0000", SECOND),
    }
    for name in (first, second):
        saved, text = pages[name]
        paragraphs = "".join(f"<p>{p}</p>" for p in text.split("\n\n"))
        html = (
            f"<!--\n Page saved with SingleFile \n url: {URL} \n saved date: {saved}\n-->"
            '<!doctype html><html lang="id"><head><title>Banjir Rendam Jakarta</title>'
            f'<link rel="canonical" href="{URL}">'
            '<meta property="article:published_time" content="2024-03-05T08:00:00+07:00">'
            "</head><body><article><h1>Banjir Rendam Jakarta</h1>"
            f"{paragraphs}</article></body></html>"
        )
        page = tmp_path / f"{name}.html"
        page.write_text(html, "utf-8")
        result = run(
            "import", page, "--config", root / "site.yaml", "--set", "category=Nasional",
            "--workers", "1",
        )  # fmt: skip
        assert result.exit_code == 0, result.output
    fields = front(article_file(root))
    assert fields["captured"] == "2024-03-05T05:00:00+00:00"
    (item,) = fields["revisions"]
    assert item["captured"] == "2024-03-05T02:00:00+00:00"
    assert "Kemang" in body(article_file(root)) and "Kemang" not in body(
        root / "content" / item["file"]
    )


def test_one_crawl_holding_three_captures_of_one_url(tmp_path: Path) -> None:
    """One input with the URL three times (a crawl that fetched it thrice, out of order)."""
    root = new_site(tmp_path)
    rows = [
        {"captured": "2024-03-05T12:00:00+07:00", "body": SECOND},
        {"captured": "2024-03-05T09:00:00+07:00", "body": FIRST},
        {"captured": "2024-03-05T10:00:00+07:00", "body": FIRST_RESPACED},
    ]
    base = {"url": URL, "title": "Banjir", "date": "2024-03-05T08:00:00+07:00"}
    source = tmp_path / "crawl.jsonl"
    lines = [json.dumps({**base, "category": "Nasional", **row}) for row in rows]
    source.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = run("import", source, "--config", root / "site.yaml", "--workers", "1")
    assert result.exit_code == 0, result.output
    assert "1 new, 1 updated, 1 duplicate" in result.output
    fields = front(article_file(root))
    assert body(article_file(root)) == SECOND
    assert [i["captured"] for i in fields["revisions"]] == ["2024-03-05T09:00:00+07:00"]
