"""An up-to-date `archivegen build` imports no part of the render stack: with nothing to
build, the command is mostly Python's start-up, and Jinja, the Markdown parser, Babel's
dates and the image library would be most of the rest."""

from __future__ import annotations

import subprocess
import sys

from sitekit import SiteFactory

from archivegen.build import build_site

HEAVY = ("jinja2", "markdown_it", "babel.dates", "PIL", "lxml", "archivegen.graph.site")
PROBE = """
import sys
from click.testing import CliRunner
from archivegen.cli import main
result = CliRunner().invoke(main, ["build", "--config", sys.argv[1]])
assert result.exit_code == 0, result.output
print(result.output.splitlines()[0])
print(",".join(m for m in sys.argv[2:] if m in sys.modules))
"""


def loaded_by_a_build(config_file: str, *modules: str) -> tuple[str, list[str]]:
    """The first line `archivegen build` prints, and which of `modules` it imported."""
    done = subprocess.run(
        [sys.executable, "-c", PROBE, config_file, *modules],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    first, loaded = done.stdout.splitlines()[-2:]
    return first, [m for m in loaded.split(",") if m]


def test_an_up_to_date_build_imports_nothing_that_renders(make_site: SiteFactory) -> None:
    config = make_site(fillers=3)
    site_yaml = str(config.root / "site.yaml")
    build_site(config)
    first, loaded = loaded_by_a_build(site_yaml, *HEAVY)
    assert first.startswith("Up to date") and loaded == []
    # the probe can tell: a build that renders imports them
    (config.content_path / "baru.md").write_text(
        "---\ntitle: Baru\ndate: 2023-05-01T08:00:00+07:00\ncategory: Dunia\n---\n\nIsi.\n",
        encoding="utf-8",
    )
    first, loaded = loaded_by_a_build(site_yaml, *HEAVY)
    assert first.startswith("Built") and {"jinja2", "markdown_it", "archivegen.graph.site"} <= set(
        loaded
    )
