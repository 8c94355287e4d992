from pathlib import Path

import pytest

from archivegen.errors import OutputError
from archivegen.output.manifest import MANIFEST, manifest_bytes, read_manifest
from archivegen.output.staging import StagedOutput, check_output_dir


def test_first_commit_swaps_in_a_whole_folder(tmp_path: Path) -> None:
    out = StagedOutput(tmp_path / "public")
    assert out.write("index.html", b"home")
    assert out.write("a/index.html", b"a")
    report = out.commit()
    assert (report.written, report.unchanged, report.deleted) == (2, 0, 0)
    assert (tmp_path / "public" / "a" / "index.html").read_bytes() == b"a"
    assert set(read_manifest(tmp_path / "public") or {}) == {"index.html", "a/index.html"}
    assert [p.name for p in tmp_path.iterdir()] == ["public"]  # no staging left behind


def test_second_commit_writes_only_changes_and_deletes_what_is_gone(tmp_path: Path) -> None:
    first = StagedOutput(tmp_path / "public")
    for name, data in {"index.html": b"home", "a/index.html": b"a", "b/index.html": b"b"}.items():
        first.write(name, data)
    first.commit()
    untouched = tmp_path / "public" / "index.html"
    mtime = untouched.stat().st_mtime_ns
    second = StagedOutput(tmp_path / "public")
    assert not second.write("index.html", b"home")
    assert second.write("a/index.html", b"a2")
    report = second.commit()
    assert (report.written, report.unchanged, report.deleted) == (1, 1, 1)
    assert untouched.stat().st_mtime_ns == mtime
    assert not (tmp_path / "public" / "b").exists()
    assert (tmp_path / "public" / "a" / "index.html").read_bytes() == b"a2"


def test_abort_leaves_the_output_untouched(tmp_path: Path) -> None:
    first = StagedOutput(tmp_path / "public")
    first.write("index.html", b"home")
    first.commit()
    second = StagedOutput(tmp_path / "public")
    second.write("index.html", b"broken")
    second.abort()
    assert (tmp_path / "public" / "index.html").read_bytes() == b"home"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["public"]


def test_a_file_deleted_by_hand_is_rewritten(tmp_path: Path) -> None:
    first = StagedOutput(tmp_path / "public")
    first.write("index.html", b"home")
    first.commit()
    (tmp_path / "public" / "index.html").unlink()
    second = StagedOutput(tmp_path / "public")
    assert second.write("index.html", b"home")
    second.commit()
    assert (tmp_path / "public" / "index.html").read_bytes() == b"home"


def test_refuses_folders_that_are_not_ours(tmp_path: Path) -> None:
    content = tmp_path / "content"
    content.mkdir()
    (tmp_path / "mine").mkdir()
    (tmp_path / "mine" / "notes.txt").write_text("precious")
    with pytest.raises(OutputError, match="was not made by archivegen"):
        check_output_dir(tmp_path / "mine", tmp_path, [content])
    with pytest.raises(OutputError, match="site folder"):
        check_output_dir(tmp_path, tmp_path, [content])
    with pytest.raises(OutputError, match="overlaps"):
        check_output_dir(content / "out", tmp_path, [content])
    with pytest.raises(OutputError, match="overlaps"):
        check_output_dir(content, tmp_path, [content])
    (tmp_path / "ours").mkdir()
    (tmp_path / "ours" / MANIFEST).write_bytes(manifest_bytes({"index.html": "ab12"}))
    check_output_dir(tmp_path / "ours", tmp_path, [content])  # ours: fine
    check_output_dir(tmp_path / "new", tmp_path, [content])  # absent: fine


@pytest.mark.parametrize(
    ("marker", "reason"),
    [
        (b"{}", "was not written by archivegen"),
        (b"not json", "cannot be read"),
        (b'{"generator": "archivegen", "version": 99, "files": {}}', "unknown format"),
        (manifest_bytes({"index.html": "ab12"}).replace(b"ab12", b"cd34"), "fails its check"),
    ],
)
def test_a_bogus_marker_does_not_make_a_folder_ours(
    tmp_path: Path, marker: bytes, reason: str
) -> None:
    # a user's folder with a stray or hand-made manifest: its files must never be replaced
    folder = tmp_path / "mine"
    folder.mkdir()
    (folder / "notes.txt").write_text("precious")
    (folder / MANIFEST).write_bytes(marker)
    with pytest.raises(OutputError, match=f"was not made by archivegen .*{reason}"):
        check_output_dir(folder, tmp_path, [tmp_path / "content"])
    assert (folder / "notes.txt").read_text() == "precious"
