"""Test kit for the preview: a small site, a recording reporter, a Preview on a free port."""

from __future__ import annotations

import shutil
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sitekit import SEED_ARTICLE, write_article

from archivegen.build import BuildOptions, BuildReport
from archivegen.render.theme import BUNDLED_THEMES
from archivegen.search import SearchReport
from archivegen.serve import Preview, ServeOptions

SEED_URL = "/2022/10/04/terus-bertambah-200-ribu-warga-rusia-sudah-kabur-ke-kazakhstan/"
SEED_TITLE = "Terus Bertambah, 200 Ribu Warga Rusia Sudah Kabur ke Kazakhstan"
OTHER_URL = "/2023/02/01/sidang-paripurna-mengesahkan-anggaran/"
OTHER_TITLE = "Sidang Paripurna Mengesahkan Anggaran"
WAIT_SECONDS = 20.0


def write_site(root: Path) -> Path:
    """A site with the seed and one other article, its own copy of the default theme (so edits
    to the bundled theme elsewhere never trigger rebuilds here) and `search: false`."""
    content = root / "content"
    (content / "dunia").mkdir(parents=True)
    shutil.copyfile(SEED_ARTICLE, content / "dunia" / "seed.md")
    write_article(
        content,
        "politik/sidang.md",
        body="Dewan mengesahkan anggaran tahun depan.",
        title=OTHER_TITLE,
        slug="sidang-paripurna-mengesahkan-anggaran",  # fixed: editing the title keeps the URL
        date="2023-02-01T13:00:00+07:00",
        author="Siti Aminah",
        category="Politik",
    )
    shutil.copytree(BUNDLED_THEMES / "default", root / "themes" / "default")
    config = root / "site.yaml"
    config.write_text(
        "title: Arsip Uji\nbase_url: https://arsip.example/\nsearch: false\n", encoding="utf-8"
    )
    return config


@dataclass
class Recorder:
    """A ServeReporter that keeps what the preview reported, and lets a test wait for it."""

    builds: list[tuple[BuildReport, int]] = field(default_factory=list)
    failures: list[BaseException] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    searches: list[SearchReport] = field(default_factory=list)
    changed: threading.Condition = field(default_factory=threading.Condition)

    def start(self, label: str, total: int) -> None:
        pass

    def advance(self, count: int = 1) -> None:
        pass

    def built(self, report: BuildReport, changes: int) -> None:
        with self.changed:
            self.builds.append((report, changes))
            self.changed.notify_all()

    def failed(self, error: BaseException, seconds: float) -> None:
        with self.changed:
            self.failures.append(error)
            self.changed.notify_all()

    def serving(self, url: str, output: Path) -> None:
        pass

    def searched(self, report: SearchReport) -> None:
        with self.changed:
            self.searches.append(report)
            self.changed.notify_all()

    def warn(self, message: str) -> None:
        self.warnings.append(message)

    def stopped(self) -> None:
        pass

    @property
    def attempts(self) -> int:
        """Builds finished so far, good or bad."""
        return len(self.builds) + len(self.failures)

    def wait_for(self, done: Callable[[Recorder], bool], what: str) -> None:
        """Block until `done(self)` (a build or failure was reported), or fail the test."""
        deadline = time.monotonic() + WAIT_SECONDS
        with self.changed:
            while not done(self):
                remaining = deadline - time.monotonic()
                assert remaining > 0, f"timed out waiting for {what}: {self.builds} {self.failures}"
                self.changed.wait(remaining)


@dataclass
class Running:
    """A started preview with its site folder and reporter."""

    preview: Preview
    root: Path
    recorder: Recorder

    @property
    def url(self) -> str:
        return self.preview.url.rstrip("/")

    def edit(self, relative: str, old: str, new: str) -> None:
        """Replace text in a file of the site, as an editor saving it would."""
        path = self.root / relative
        text = path.read_text(encoding="utf-8")
        assert old in text, f"{old!r} not in {relative}"
        path.write_text(text.replace(old, new), encoding="utf-8")


def start_preview(root: Path, **options: Any) -> Preview:
    """A Preview of the site in `root` on a free port (not started)."""
    recorder = Recorder()
    settings = ServeOptions(**{"port": 0, "build": BuildOptions(workers=1), **options})
    return Preview(root / "site.yaml", settings, recorder)
