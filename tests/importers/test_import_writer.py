"""Idempotence, dedupe, hand edits, --force and --dry-run."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from archivegen.importers import Status, import_sources
from archivegen.importers.dates import WIB
from archivegen.importers.model import ImportedArticle
from archivegen.importers.writer import ArticleWriter, is_pristine

PAGE = """Berita

Ilustrasi/Net

Dunia

{title}

SELASA, 04 OKTOBER 2022 | 18:23 WIB | LAPORAN: ALIFIA DWI RAMANDHITA

{body}
"""


def _sources(tmp_path: Path, **pages: tuple[str, str]) -> Path:
    src = tmp_path / "src"
    src.mkdir(exist_ok=True)
    for name, (title, body) in pages.items():
        (src / f"{name}.txt").write_text(PAGE.format(title=title, body=body), "utf-8")
    return src


def _snapshot(root: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()
    }


def test_file_name_from_date_and_slug(tmp_path: Path) -> None:
    src = _sources(tmp_path, a=("Rusia & Kazakhstan: Eksodus", "Isi."))
    report = import_sources([src], tmp_path / "content")
    target = Path(report.outcomes[0].target or "")
    assert target == tmp_path / "content" / "dunia" / "2022-10-04-rusia-kazakhstan-eksodus.md"


def test_second_import_changes_nothing(tmp_path: Path) -> None:
    src = _sources(tmp_path, a=("Judul A", "Isi A."), b=("Judul B", "Isi B."))
    content = tmp_path / "content"
    first = import_sources([src], content)
    before = _snapshot(content)
    second = import_sources([src], content)
    assert first.count(Status.NEW) == 2
    assert second.count(Status.UNCHANGED) == 2 and second.count(Status.NEW) == 0
    assert _snapshot(content) == before


def test_same_article_twice_in_one_run_is_a_duplicate(tmp_path: Path) -> None:
    src = _sources(tmp_path, a=("Judul A", "Isi A."), copy=("Judul A", "Isi A."))
    report = import_sources([src], tmp_path / "content")
    assert sorted(o.status.value for o in report.outcomes) == ["duplicate", "new"]
    assert len(list((tmp_path / "content").rglob("*.md"))) == 1


def test_same_title_other_article_gets_its_own_file(tmp_path: Path) -> None:
    src = _sources(tmp_path, a=("Judul Sama", "Isi satu."), b=("Judul Sama", "Isi dua."))
    report = import_sources([src], tmp_path / "content")
    names = sorted(Path(o.target or "").name for o in report.outcomes)
    assert names == ["2022-10-04-judul-sama-2.md", "2022-10-04-judul-sama.md"]


def test_dedupe_by_source_url_ignores_tracking_parameters(tmp_path: Path) -> None:
    def article(url: str, body: str) -> ImportedArticle:
        return ImportedArticle("T", datetime(2024, 1, 1, tzinfo=WIB), body, "o", source=url)

    writer = ArticleWriter(tmp_path)
    first = writer.write(article("https://contoh.id/a/?utm_source=x", "Satu."))
    again = writer.write(article("http://contoh.id/a", "Satu."))
    changed = writer.write(article("https://contoh.id/a", "Dua."))
    assert first.status is Status.NEW
    assert again.status is Status.DUPLICATE and again.target == first.target
    assert changed.status is Status.UPDATED and changed.target == first.target


def test_hand_edit_is_kept_unless_forced(tmp_path: Path) -> None:
    src = _sources(tmp_path, a=("Judul A", "Isi A."))
    content = tmp_path / "content"
    target = Path(import_sources([src], content).outcomes[0].target or "")
    edited = target.read_text("utf-8").replace("Isi A.", "Isi A, disunting.")
    target.write_text(edited, "utf-8")
    assert not is_pristine(edited)

    kept = import_sources([src], content)
    assert kept.outcomes[0].status is Status.KEPT
    assert "--force" in (kept.outcomes[0].reason or "")
    assert target.read_text("utf-8") == edited

    forced = import_sources([src], content, force=True)
    assert forced.outcomes[0].status is Status.UPDATED
    assert "Isi A." in target.read_text("utf-8") and is_pristine(target.read_text("utf-8"))


def test_changed_source_updates_an_unedited_import(tmp_path: Path) -> None:
    content = tmp_path / "content"
    writer = ArticleWriter(content)
    date = datetime(2024, 1, 1, tzinfo=WIB)
    writer.write(ImportedArticle("T", date, "Lama.", "o", source="https://contoh.id/a"))
    again = ArticleWriter(content).write(
        ImportedArticle("T", date, "Baru.", "o", source="https://contoh.id/a")
    )
    assert again.status is Status.UPDATED
    assert "Baru." in Path(again.target or "").read_text("utf-8")


def test_hand_written_file_at_the_target_name_is_never_overwritten(tmp_path: Path) -> None:
    content = tmp_path / "content"
    mine = content / "dunia" / "2022-10-04-judul-a.md"
    mine.parent.mkdir(parents=True)
    mine.write_text("---\ntitle: Tulisan saya\n---\n\nJangan ditimpa.\n", "utf-8")
    src = _sources(tmp_path, a=("Judul A", "Isi A."))
    report = import_sources([src], content)
    assert report.outcomes[0].target == str(content / "dunia" / "2022-10-04-judul-a-2.md")
    assert "Jangan ditimpa." in mine.read_text("utf-8")


def test_dry_run_writes_nothing_and_reports_what_it_would_do(tmp_path: Path) -> None:
    src = _sources(tmp_path, a=("Judul A", "Isi A."))
    content = tmp_path / "content"
    report = import_sources([src], content, dry_run=True)
    assert report.dry_run and report.count(Status.NEW) == 1
    assert report.summary().startswith("dry run: 1 new")
    assert not content.exists()


def test_progress_is_reported_per_file(tmp_path: Path) -> None:
    src = _sources(tmp_path, a=("A", "a."), b=("B", "b."), c=("C", "c."))
    seen: list[tuple[int, int]] = []
    import_sources(
        [src], tmp_path / "content", progress=lambda done, total: seen.append((done, total))
    )
    assert seen == [(1, 3), (2, 3), (3, 3)]


def test_missing_source_is_a_failure_not_a_crash(tmp_path: Path) -> None:
    src = _sources(tmp_path, a=("Judul A", "Isi A."))
    report = import_sources([src, tmp_path / "nope", str(tmp_path / "*.zzz")], tmp_path / "c")
    assert report.count(Status.NEW) == 1
    assert report.count(Status.FAILED) == 2
    assert report.exit_code == 2


def test_globs_forced_format_and_output_inside_the_sources(tmp_path: Path) -> None:
    src = _sources(tmp_path, a=("Judul A", "Isi A."))
    (src / "a.txt").rename(src / "a.dump")
    content = src / "content"
    first = import_sources([str(src / "*.dump")], content, fmt="text")
    assert first.count(Status.NEW) == 1
    # importing the whole folder again must not read back content/ itself
    again = import_sources([src], content, fmt="text")
    assert [o.status for o in again.outcomes] == [Status.UNCHANGED]


def test_an_unwritable_folder_is_a_failure_not_a_crash(tmp_path: Path) -> None:
    src = _sources(tmp_path, a=("Judul A", "Isi A."), b=("Judul B", "Isi B."))
    content = tmp_path / "content"
    content.mkdir()
    (content / "dunia").write_text("a file where the category folder goes", "utf-8")
    report = import_sources([src], content)
    assert [o.status for o in report.outcomes] == [Status.FAILED, Status.FAILED]
    assert all("cannot write" in (o.reason or "") for o in report.outcomes)
