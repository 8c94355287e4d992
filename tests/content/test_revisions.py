"""Earlier versions as the build reads them: the word diff, the correction note, and a
`revisions:` list the build refuses, each error naming the file, line and field."""

from __future__ import annotations

from pathlib import Path

from sitekit import write_article

from archivegen.config import load_config
from archivegen.content.loader import load_content
from archivegen.content.revisions import correction_note, word_diff


def test_paragraphs_are_matched_before_their_words() -> None:
    old = ("Satu dua tiga.", "Paragraf tetap.", "Akan hilang.")
    new = ("Satu dua empat.", "Paragraf tetap.", "Baru.")
    assert word_diff(old, new) == (
        ((" ", "Satu dua"), ("-", "tiga."), ("+", "empat.")),
        ((" ", "Paragraf tetap."),),
        (("-", "Akan hilang."), ("+", "Baru.")),
    )
    assert word_diff(("A.",), ("A.", "B.")) == (((" ", "A."),), (("+", "B."),))


def test_a_correction_note_leads_or_ends_the_text() -> None:
    assert correction_note(("Isi.", "Ralat: nama yang benar Budi.")) == (
        "Ralat: nama yang benar Budi."
    )
    assert correction_note(("*Koreksi*: jumlahnya 50.", "Isi.")) is None  # "*" is not text
    assert correction_note(("Correction: the count was 50.", "Body.")) is not None
    assert correction_note(("Isi.", "Koreksi di tengah.", "Akhir.")) is None


def test_a_bad_revisions_list_is_an_error_naming_the_line(tmp_path: Path) -> None:
    (tmp_path / "site.yaml").write_text("title: Uji\n", encoding="utf-8")
    content = tmp_path / "content"
    fields = {"title": "Judul", "date": "2024-03-05T08:00:00+07:00", "category": "Nasional"}
    write_article(content, "a.md", revisions=[{"captured": "2024-03-05", "file": "x.md"}], **fields)
    missing = [{"captured": "2024-03-05T07:00:00+07:00", "file": ".revisions/none.md"}]
    write_article(content, "b.md", revisions=missing, **fields)
    write_article(content, "c.md", revisions="kemarin", **fields)
    errors = sorted(str(e) for e in load_content(load_config(tmp_path / "site.yaml")).errors)
    assert errors == [
        "content/a.md:5: revisions: file: 'x.md' must be a path under .revisions/ in the "
        "content folder",
        "content/b.md:5: revisions: file: .revisions/none.md cannot be read: "
        "No such file or directory",
        "content/c.md:5: revisions: must be a list of {captured: <date>, file: <path>}",
    ]
