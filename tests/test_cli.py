"""The command line as a user runs it: a real process, its exit status and what it prints."""

from __future__ import annotations

import subprocess
import sys
import tomllib
from importlib import metadata
from pathlib import Path

from sitekit import write_article

import archivegen

ARCHIVEGEN = [sys.executable, "-m", "archivegen"]


def run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*ARCHIVEGEN, *args], cwd=cwd, capture_output=True, text=True, timeout=120
    )


def test_help_lists_the_commands(tmp_path: Path) -> None:
    result = run("--help", cwd=tmp_path)
    assert result.returncode == 0
    for command in ("init", "import", "build", "check", "--version"):
        assert command in result.stdout
    assert "--drafts" in run("build", "--help", cwd=tmp_path).stdout


def test_init_then_build(tmp_path: Path) -> None:
    assert run("init", "arsip", cwd=tmp_path).returncode == 0
    site = tmp_path / "arsip"
    result = run("build", cwd=site)
    assert result.returncode == 0, result.stderr
    assert "Built 1 articles" in result.stdout and "0 warning(s)" in result.stdout
    assert (
        site / "public" / "2024" / "01" / "15" / "selamat-datang-di-arsip-berita" / "index.html"
    ).is_file()
    again = run("init", "arsip", cwd=tmp_path)
    assert again.returncode == 1 and "not empty" in again.stderr


def test_build_verbose_says_which_path_ran_and_why(tmp_path: Path) -> None:
    run("init", "arsip", cwd=tmp_path)
    site = tmp_path / "arsip"

    def first_line() -> str:
        result = run("build", "-v", cwd=site)
        assert result.returncode == 0, result.stderr
        return result.stdout.splitlines()[0]

    assert first_line() == "full build: no build cache to start from"
    assert first_line() == "up to date: no input changed"
    (site / "templates").mkdir()
    (site / "templates" / "404.html").write_text("<p>Tidak ada.</p>\n", encoding="utf-8")
    assert first_line() == "full build: theme changed (templates/404.html)"
    config = site / "site.yaml"
    config.write_text(config.read_text(encoding="utf-8").replace("page_size: 20", "page_size: 7"))
    assert first_line() == "full build: site.yaml changed"
    write_article(site / "content", "baru.md", title="Baru", date="2024-02-01", category="A")
    # a new category joins the navigation, which every page shows
    assert (
        first_line()
        == "full build: content changed: what every page shows changed (the navigation)"
    )
    write_article(site / "content", "lagi.md", title="Lagi", date="2024-02-02", category="A")
    assert first_line() == "changes: 1 added, 0 edited (content/lagi.md)"
    assert "full build" not in run("build", cwd=site).stdout  # only with -v


def test_content_errors_exit_1_without_traceback(tmp_path: Path) -> None:
    run("init", "arsip", cwd=tmp_path)
    site = tmp_path / "arsip"
    write_article(site / "content", "bad.md", title="x", date="04/13/2022", category="A")
    (site / "content" / "list.md").write_text("---\n- a\n---\n", encoding="utf-8")
    result = run("build", cwd=site)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert 'content/bad.md:3: date: "04/13/2022" is not a date' in result.stderr
    assert "content/list.md:2: front matter is a list" in result.stderr
    assert "2 errors" in result.stderr
    debug = run("build", "--debug", cwd=site)
    assert debug.returncode == 1 and "Traceback" in debug.stderr


def test_config_error_names_line_and_key(tmp_path: Path) -> None:
    (tmp_path / "site.yaml").write_text("title: x\nlanguag: id\n", encoding="utf-8")
    result = run("build", cwd=tmp_path)
    assert result.returncode == 1
    assert "site.yaml:2: languag: unknown key (did you mean `language`?)" in result.stderr


def test_output_option(tmp_path: Path) -> None:
    run("init", "arsip", cwd=tmp_path)
    result = run("build", "--output", str(tmp_path / "elsewhere"), cwd=tmp_path / "arsip")
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "elsewhere" / "index.html").is_file()


def test_version_is_the_installed_packages(tmp_path: Path) -> None:
    # pyproject.toml takes the version from archivegen/__init__.py (setuptools `attr:`)
    pyproject = tomllib.loads((Path(__file__).resolve().parents[1] / "pyproject.toml").read_text())
    assert pyproject["project"]["dynamic"] == ["version"]
    assert pyproject["tool"]["setuptools"]["dynamic"]["version"] == {
        "attr": "archivegen.__version__"
    }
    expected = metadata.version("archivegen")  # what the install's metadata says
    assert expected == archivegen.__version__
    result = run("--version", cwd=tmp_path)
    assert result.returncode == 0
    assert result.stdout == f"archivegen {expected}\n"


def test_import_then_build(tmp_path: Path) -> None:
    from sitekit import SHARED

    seed = SHARED / "seed"
    if not seed.is_dir():
        import pytest

        pytest.skip(f"the shared seed is absent ({seed})")
    run("init", "arsip", cwd=tmp_path)
    site = tmp_path / "arsip"
    listing = SHARED / "corpus" / "listing-pages" / "rmol_page_1.html"
    result = run("import", str(seed), str(listing), cwd=site)
    assert result.returncode == 2  # partial: the listing page is refused
    assert "refused:" in result.stderr and "not an article" in result.stderr
    assert "1 new, 1 refused" in result.stdout
    again = run("import", str(seed), cwd=site)
    assert again.returncode == 0 and "1 unchanged" in again.stdout
    built = run("build", cwd=site)
    assert built.returncode == 0, built.stderr
    page = (
        site
        / "public/2022/10/04/terus-bertambah-200-ribu-warga-rusia-sudah-kabur-ke-kazakhstan/index.html"
    )
    assert "Selasa, 04 Oktober 2022 | 18:23 WIB" in page.read_text(encoding="utf-8")
