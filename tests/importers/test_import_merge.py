"""Re-imports that keep data: merged fields, better dates kept, changed texts kept as revisions."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from archivegen.content.frontmatter import parse_front_matter, split_front_matter
from archivegen.content.revisions import FOLDER as REVISIONS
from archivegen.importers import FieldDefaults, ImportSettings, Status, import_sources
from archivegen.importers.dates import WIB
from archivegen.importers.model import DateSource, ImportedArticle
from archivegen.importers.writer import ArticleWriter, is_pristine

URL = "https://contoh.id/dunia/read/2024/01/01/1/judul"
FIRST = (
    "url,judul,tanggal,isi,kategori,penulis\n"
    + URL
    + ",Judul,01/01/2024 10:00,Isi lama.,Dunia,Ani\n"
)
# a second export of the same article: no category, no author, a new text
SECOND = "url,judul,tanggal,isi\n" + URL + ",Judul,01/01/2024 10:00,Isi baru.\n"


def _front(path: Path) -> dict[str, object]:
    text = path.read_text("utf-8")
    return parse_front_matter(split_front_matter(text, str(path)).yaml_text, str(path))


def _export(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, "utf-8")
    return path


def test_second_export_keeps_the_fields_it_lacks_and_the_old_text(tmp_path: Path) -> None:
    content = tmp_path / "content"
    clock = datetime(2024, 2, 1, 12, 0, tzinfo=UTC)
    settings = ImportSettings(clock=clock)
    first = import_sources([_export(tmp_path, "a.csv", FIRST)], content, settings=settings)
    target = Path(first.outcomes[0].target or "")
    again = import_sources([_export(tmp_path, "b.csv", SECOND)], content, settings=settings)
    assert [o.status for o in again.outcomes] == [Status.UPDATED]
    fields = _front(target)
    assert fields["category"] == "Dunia" and fields["author"] == "Ani"
    assert fields["updated"] == "2024-02-01T12:00:00+00:00"  # the text changed: when it was seen
    assert "Isi baru." in target.read_text("utf-8") and is_pristine(target.read_text("utf-8"))
    revisions = list((content / REVISIONS).rglob("*.md"))
    assert len(revisions) == 1 and "Isi lama." in revisions[0].read_text("utf-8")
    # the revision is neither an article of the build nor of the next import
    third = import_sources([_export(tmp_path, "b.csv", SECOND)], content, settings=settings)
    assert [o.status for o in third.outcomes] == [Status.UNCHANGED]
    assert len(list(content.rglob("*.md"))) == 2


def test_a_page_date_is_not_replaced_by_a_guess(tmp_path: Path) -> None:
    stated = datetime(2024, 1, 1, 10, 0, tzinfo=WIB)
    writer = ArticleWriter(tmp_path)
    first = writer.write(ImportedArticle("T", stated, "Isi.", "a", category="X", source=URL))
    guessed = datetime(2024, 1, 1, tzinfo=WIB)
    later = ArticleWriter(tmp_path).write(
        ImportedArticle(
            "T", guessed, "Isi.", "b", source=URL, date_source=DateSource.URL, date_has_time=False
        )
    )
    assert later.status is Status.UNCHANGED
    fields = _front(Path(first.target or ""))
    assert fields["date"] == "2024-01-01T10:00:00+07:00" and "date_source" not in fields
    # and a page's own date does replace a guess
    better = datetime(2024, 1, 1, 9, 30, tzinfo=WIB)
    fixed = ArticleWriter(tmp_path).write(ImportedArticle("T", better, "Isi.", "c", source=URL))
    assert fixed.status is Status.UPDATED
    assert _front(Path(first.target or ""))["date"] == "2024-01-01T09:30:00+07:00"


def test_defaults_fill_only_what_the_article_and_its_file_lack(tmp_path: Path) -> None:
    content = tmp_path / "content"
    import_sources([_export(tmp_path, "a.csv", FIRST)], content)
    settings = ImportSettings(
        defaults=FieldDefaults.from_pairs(["category=Nasional", "section=Berita"])
    )
    report = import_sources([_export(tmp_path, "a.csv", FIRST)], content, settings=settings)
    fields = _front(Path(report.outcomes[0].target or ""))
    assert fields["category"] == "Dunia" and fields["section"] == "Berita"


def test_hand_edited_file_is_kept_and_forced_merge_keeps_the_edit_as_revision(
    tmp_path: Path,
) -> None:
    content = tmp_path / "content"
    target = Path(
        import_sources([_export(tmp_path, "a.csv", FIRST)], content).outcomes[0].target or ""
    )
    edited = target.read_text("utf-8").replace("Isi lama.", "Isi disunting.")
    target.write_text(edited, "utf-8")
    kept = import_sources([_export(tmp_path, "b.csv", SECOND)], content)
    assert kept.outcomes[0].status is Status.KEPT and target.read_text("utf-8") == edited
    assert "1 kept by hand" in kept.summary()
    forced = import_sources([_export(tmp_path, "b.csv", SECOND)], content, force=True)
    assert forced.outcomes[0].status is Status.UPDATED
    assert any(
        "Isi disunting." in p.read_text("utf-8") for p in (content / REVISIONS).rglob("*.md")
    )


def test_a_field_given_another_value_keeps_the_old_one_in_a_revision(tmp_path: Path) -> None:
    content = tmp_path / "content"
    import_sources([_export(tmp_path, "a.csv", FIRST)], content)
    recategorized = FIRST.replace(",Dunia,", ",Internasional,")
    report = import_sources([_export(tmp_path, "b.csv", recategorized)], content)
    assert report.outcomes[0].status is Status.UPDATED
    assert _front(Path(report.outcomes[0].target or ""))["category"] == "Internasional"
    revisions = list((content / REVISIONS).rglob("*.md"))
    assert len(revisions) == 1 and "category: Dunia" in revisions[0].read_text("utf-8")
    assert "updated" not in _front(Path(report.outcomes[0].target or ""))  # the text is the same


def test_a_refused_article_met_again_with_its_category_is_written(tmp_path: Path) -> None:
    url = "https://contoh.id/read/2024/01/01/1/judul"  # names no section
    rows = "url,judul,tanggal,isi,kategori\n" + url + ",Judul,01/01/2024 10:00,Isi.,\n"
    rows += url + ",Judul,01/01/2024 10:00,Isi.,Dunia\n"
    report = import_sources([_export(tmp_path, "a.csv", rows)], tmp_path / "content")
    assert [o.status for o in report.outcomes] == [Status.FAILED, Status.NEW]
    assert _front(Path(report.outcomes[1].target or ""))["category"] == "Dunia"
