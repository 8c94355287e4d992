"""The wheel as a new user gets it: built, installed into a fresh venv, used outside the checkout."""

from __future__ import annotations

import ensurepip
import os
import re
import shutil
import subprocess
import sys
import tomllib
import zipfile
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

import pytest
from sitekit import SHARED

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[1]
SEED = SHARED / "seed" / "rmol-dunia-2022-10-04-warga-rusia-kazakhstan.txt"
SEED_ARTICLE = (
    "content/dunia/2022-10-04-terus-bertambah-200-ribu-warga-rusia-sudah-kabur-ke-kazakhstan.md"
)
SEED_PAGE = (
    "public/2022/10/04/terus-bertambah-200-ribu-warga-rusia-sudah-kabur-ke-kazakhstan/index.html"
)
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
# Machine-local or generated folders of a checkout, left out of the copy the wheel is built from.
LOCAL_TOP = {".git", ".venv", ".cache", ".archivegen", "build", "public"}
LOCAL_ANYWHERE = ("__pycache__", "*.egg-info", ".*_cache")


def run(command: list[str | Path], cwd: Path, timeout: float = 300) -> str:
    """Run a command as a user would (no venv or path of the checkout inherited); its stdout."""
    env = {
        k: v for k, v in os.environ.items() if k not in {"VIRTUAL_ENV", "PYTHONPATH", "PYTHONHOME"}
    }
    result = subprocess.run(
        [str(part) for part in command],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    assert result.returncode == 0, (
        f"{command} exited {result.returncode}:\n{result.stdout}\n{result.stderr}"
    )
    return result.stdout


def copy_source(target: Path) -> Path:
    """The checkout without its local state: pip builds in-tree, and a shared build/ goes stale."""

    def ignore(folder: str, names: list[str]) -> set[str]:
        skipped = set(shutil.ignore_patterns(*LOCAL_ANYWHERE)(folder, names))
        return skipped | (LOCAL_TOP & set(names) if Path(folder) == ROOT else set())

    shutil.copytree(ROOT, target, ignore=ignore)
    return target


def can_build_offline() -> bool:
    """Whether this venv's setuptools is new enough to build without an isolated build env."""
    (required,) = [r for r in PYPROJECT["build-system"]["requires"] if r.startswith("setuptools")]
    minimum = re.search(r">=\s*(\d+)", required)
    try:
        installed = int(version("setuptools").split(".")[0])
    except (PackageNotFoundError, ValueError):  # absent or unusual: let pip fetch its own
        return False
    return minimum is None or installed >= int(minimum.group(1))


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """archivegen's wheel, built by pip from a copy of the checkout."""
    source = copy_source(tmp_path_factory.mktemp("source") / "archivegen")
    dist = tmp_path_factory.mktemp("dist")
    command: list[str | Path] = [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q"]
    command += ["--disable-pip-version-check", "-w", dist, source]
    if can_build_offline():
        command.append("--no-build-isolation")
    run(command, cwd=dist)
    (built,) = dist.glob("archivegen-*.whl")
    return built


def test_wheel_carries_every_module_and_the_default_theme(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    # pyproject lists the packages by hand (for the themes mapping): a new one must be added there
    modules = {p.relative_to(ROOT).as_posix() for p in (ROOT / "archivegen").rglob("*.py")}
    assert modules - names == set()
    assert {"archivegen/py.typed", "archivegen/serve/reload.js"} <= names
    theme = {p.relative_to(ROOT).as_posix() for p in (ROOT / "themes").rglob("*") if p.is_file()}
    theme = {name for name in theme if "__pycache__" not in name}
    assert {f"archivegen/{name}" for name in theme} - names == set()
    assert not [name for name in names if "__pycache__" in name or name.endswith(".pyc")]


def test_fresh_venv_with_bundled_pip_inits_imports_builds_and_checks(
    wheel: Path, tmp_path: Path
) -> None:
    if not SEED.is_file():
        pytest.skip(f"the shared seed is absent ({SEED})")
    assert not tmp_path.is_relative_to(ROOT)
    venv = tmp_path / "venv"
    run([sys.executable, "-m", "venv", venv], cwd=tmp_path)
    python, archivegen = venv / "bin" / "python", venv / "bin" / "archivegen"
    # the pip Python bundles (23.2.1 with 3.11), not upgraded: it installs no justext extra
    pip = run([python, "-m", "pip", "--version"], cwd=tmp_path)
    assert pip.startswith(f"pip {ensurepip.version()} ")
    run(
        [python, "-m", "pip", "install", "-q", "--disable-pip-version-check", wheel],
        cwd=tmp_path,
        timeout=900,
    )

    work = tmp_path / "work"
    work.mkdir()
    run([archivegen, "init", "x"], cwd=work)
    site = work / "x"
    run([archivegen, "import", SEED], cwd=site)
    assert (site / SEED_ARTICLE).is_file()
    built = run([archivegen, "build"], cwd=site)
    assert "Built 2 articles" in built and "search: 2 pages" in built
    page = (site / SEED_PAGE).read_text(encoding="utf-8")
    assert "Selasa, 04 Oktober 2022 | 18:23 WIB" in page  # the theme's templates and Babel
    assert "Langsung ke konten" in page  # the theme's Indonesian catalog
    assert (site / "public/static/style.css").is_file()  # the theme's static files
    assert list((site / "public/pagefind").glob("*/pagefind-entry.json"))
    assert "OK" in run([archivegen, "check"], cwd=site)
    # the version the wheel was built with (its file name: pyproject's `attr:` read it from
    # archivegen/__init__.py) is the one the installed command reports
    version = wheel.name.split("-")[1]
    assert version == archivegen_source_version()
    assert run([archivegen, "--version"], cwd=site) == f"archivegen {version}\n"


def archivegen_source_version() -> str:
    """`__version__` as archivegen/__init__.py writes it, read without importing it."""
    source = (ROOT / "archivegen" / "__init__.py").read_text(encoding="utf-8")
    (found,) = re.findall(r'^__version__ = "([^"]+)"$', source, re.MULTILINE)
    return found
