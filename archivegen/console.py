"""The one place that talks to the user: progress bars, the build summary, error rendering."""

from __future__ import annotations

import sys
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from archivegen.build import BuildReport
from archivegen.errors import ArchivegenError, ErrorGroup

if TYPE_CHECKING:  # the importers pull in trafilatura: only `archivegen import` pays for it
    from archivegen.check import CheckReport
    from archivegen.check.duplicates import DuplicateReport
    from archivegen.deploy import DeployPlan, DeployReport
    from archivegen.importers import ImportReport
    from archivegen.search import SearchReport

out = Console(highlight=False)
err = Console(stderr=True, highlight=False)


class BarProgress:
    """A rich progress bar per build step; silent when output is not a terminal."""

    def __init__(self, enabled: bool | None = None) -> None:
        self.enabled = sys.stderr.isatty() if enabled is None else enabled
        self._bar: Progress | None = None
        self._task: int | None = None

    def start(self, label: str, total: int) -> None:
        """Begin a step of `total` items."""
        if not self.enabled:
            return
        if self._bar is None:
            self._bar = Progress(
                TextColumn("{task.description:>10}"),
                BarColumn(),
                MofNCompleteColumn(),
                TimeElapsedColumn(),
                console=err,
                transient=True,
            )
            self._bar.start()
        self._task = self._bar.add_task(label, total=total)

    def advance(self, count: int = 1) -> None:
        """Move the current step's bar on."""
        if self._bar is not None and self._task is not None:
            self._bar.advance(self._task, count)  # type: ignore[arg-type]

    def counter(self, label: str) -> Callable[[int, int], None]:
        """A `progress(done, total)` callback that drives one bar."""
        started = False

        def update(done: int, total: int) -> None:
            nonlocal started
            if not started:
                self.start(label, total)
                started = True
            self.advance()

        return update

    def meter(self, label: str) -> Callable[[int, int], None]:
        """A `progress(done, total)` callback for a step measured in bytes (a crawl read),
        on a bar of its own: it shows how far, not how many items."""
        task: int | None = None

        def update(done: int, total: int) -> None:
            nonlocal task
            if not self.enabled:
                return
            if task is None:
                self.start(label, total)
                task = self._task
            if self._bar is not None and task is not None:
                self._bar.update(task, completed=done)  # type: ignore[arg-type]

        return update

    def close(self) -> None:
        """Take the bars off the screen."""
        if self._bar is not None:
            self._bar.stop()
            self._bar = None


def print_build_summary(report: BuildReport, verbose: bool = False) -> None:
    """The closing lines of a build: counts, time, warnings (`verbose`: the path it took)."""
    if verbose:
        out.print(str(report.rebuild), markup=False, soft_wrap=True)
    for warning in report.warnings:
        err.print(f"[yellow]warning:[/yellow] {warning}", markup=True, soft_wrap=True)
    left_out = []
    if report.skipped_drafts:
        left_out.append(f"{report.skipped_drafts} draft(s)")
    if report.skipped_future:
        left_out.append(f"{report.skipped_future} future article(s)")
    extra = f" (left out: {', '.join(left_out)})" if left_out else ""
    if report.up_to_date:
        out.print(
            f"Up to date: {report.articles} articles, {report.pages} pages in {report.output}; "
            f"nothing changed since the last build ({report.seconds:.2f} s)",
            markup=False,
            soft_wrap=True,
        )
        return
    out.print(
        f"Built {report.articles} articles{extra} into {report.output}: "
        f"{report.pages} pages ({report.rendered} rendered), {report.written} files written, "
        f"{report.unchanged} unchanged, "
        f"{report.deleted} deleted, {len(report.warnings)} warning(s) in {report.seconds:.2f} s",
        markup=False,
        soft_wrap=True,
    )
    _print_steps(report)


def _print_steps(report: BuildReport) -> None:
    """A line each for the search index, the image copies and the time of every step."""
    if report.search is not None:
        search = report.search
        what = "reused" if search.reused else f"{search.rebuilt_shards} of {search.shards} rebuilt"
        out.print(
            f"  search: {search.pages} pages in {search.shards} shard(s), {what}, "
            f"{search.files} files, {search.bytes / 1e6:.1f} MB",
            markup=False,
            soft_wrap=True,
        )
    images = report.images
    if images is not None and (images.processed or images.reused):
        made = f"{images.processed} image copies made, {images.reused} from the cache"
        out.print(f"  images: {made}", markup=False, soft_wrap=True)
    if report.timings:
        steps = " · ".join(f"{name} {seconds:.2f}" for name, seconds in report.timings)
        out.print(f"  time per step (s): {steps}", markup=False, soft_wrap=True)


class ServeConsole(BarProgress):
    """What `archivegen serve` prints: the first build's bars and summary, a line per rebuild."""

    def built(self, report: BuildReport, changes: int) -> None:
        """The first build's summary; after that one timed line per rebuild."""
        self.close()
        if not changes:
            print_build_summary(report)
            return
        for warning in report.warnings:
            err.print(f"[yellow]warning:[/yellow] {_escape(warning)}", markup=True, soft_wrap=True)
        done = (
            "nothing to rebuild"
            if report.up_to_date
            else f"{report.rendered} page(s) rendered, {report.written} file(s) written, "
            f"{report.deleted} deleted"
        )
        steps = " · ".join(f"{name} {seconds:.2f}" for name, seconds in report.timings)
        say(
            f"{_clock()} {changes} change(s): {done} in {report.seconds:.2f} s"
            + (f" ({steps})" if steps else "")
        )

    def searched(self, report: SearchReport) -> None:
        """The search index caught up after a rebuild."""
        say(
            f"{_clock()} search index: {report.rebuilt_shards} of {report.shards} shard(s) "
            f"indexed again in {report.seconds:.2f} s"
        )

    def failed(self, error: BaseException, seconds: float) -> None:
        """A failed rebuild: its errors, and that the last good site is still served."""
        self.close()
        if isinstance(error, ArchivegenError):
            print_error(error)
        else:
            err.print(f"[red]error:[/red] {type(error).__name__}: {_escape(str(error))}")
        say(f"{_clock()} build failed in {seconds:.2f} s; serving the last good site")

    def serving(self, url: str, output: Path) -> None:
        """Where the preview can be opened."""
        self.close()
        say(f"Serving {output} on {url} (rebuilds on every change; Ctrl-C stops)")

    def warn(self, message: str) -> None:
        """A warning line."""
        err.print(f"[yellow]warning:[/yellow] {_escape(message)}", markup=True, soft_wrap=True)

    def stopped(self) -> None:
        """The closing line after Ctrl-C."""
        say("Stopped.")


def _clock() -> str:
    return datetime.now().strftime("%H:%M:%S")


def print_import_report(report: ImportReport, verbose: bool) -> None:
    """Problems always (file, line, reason); every outcome in a dry run; then the counts."""
    for outcome in report.outcomes:
        problem = outcome in report.problems
        if not (verbose or problem):
            continue
        target = f" -> {outcome.target}" if outcome.target else ""
        reason = f": {outcome.reason}" if outcome.reason else ""
        line = f"{outcome.status.value}: {outcome.origin}{target}{reason}"
        (err if problem else out).print(line, markup=False, soft_wrap=True)
    for note in report.notes:
        err.print(f"note: {note}", markup=False, soft_wrap=True)
    for fix in report.fixes():
        err.print(f"fix: {fix}", markup=False, soft_wrap=True)
    out.print(report.summary(), markup=False, soft_wrap=True)


def print_error(error: ArchivegenError) -> None:
    """Every error on its own line, `path:line: field: message`, without a traceback."""
    errors = error.errors if isinstance(error, ErrorGroup) else [error]
    for item in errors:
        err.print(f"[red]error:[/red] {_escape(str(item))}", markup=True, soft_wrap=True)
    if len(errors) > 1:
        err.print(f"{len(errors)} errors; nothing was written", markup=False)


def _escape(text: str) -> str:
    return text.replace("[", "\\[")


def say(message: str) -> None:
    """A plain line for the user."""
    out.print(message, markup=False, soft_wrap=True)


LISTED = 20  # paths shown per kind of change before "... and N more"


def print_deploy_report(report: DeployReport) -> None:
    """A deploy's outcome; a dry run also lists the paths it would send and delete."""
    plan = report.plan
    counts = (
        f"{len(plan.new)} new, {len(plan.changed)} changed, {len(plan.deleted)} deleted, "
        f"{plan.unchanged} unchanged, {_size(plan.upload_bytes)} "
        + ("sent" if report.done else "to send")
    )
    if plan.adopted:
        counts = f"{len(plan.adopted)} adopted, " + counts
    foreign = f"; {plan.foreign} file(s) there are not ours and stay" if plan.foreign else ""
    if not report.done and plan.is_empty:
        say(f"{report.target}: up to date ({report.destination}; {plan.unchanged} files){foreign}")
    elif not report.done:
        say(f"Dry run for {report.target} ({report.kind}, {report.destination}): {counts}{foreign}")
        marks = (("+", plan.new), ("~", plan.changed), ("!", plan.adopted), ("-", plan.deleted))
        for mark, paths in marks:
            _print_paths(mark, paths)
        say("Nothing was changed (dry run).")
    else:
        say(
            f"Deployed to {report.target} ({report.kind}, {report.destination}): "
            f"{counts}{foreign} in {report.seconds:.2f} s"
        )
        if plan.adopted:
            say("Replaced files archivegen had not written (now its own):")
            _print_paths("!", plan.adopted)


def confirm_deletions(plan: DeployPlan, destination: str) -> bool:
    """Ask before deleting remote files; without a terminal to ask on, the answer is no."""
    err.print(f"{len(plan.deleted)} file(s) would be deleted from {destination}:", markup=False)
    _print_paths("-", plan.deleted, err)
    if not sys.stdin.isatty():
        err.print("no terminal to confirm on: rerun with --yes to delete", markup=False)
        return False
    answer = err.input("Delete them? [y/N] ").strip().lower()
    return answer in ("y", "yes")


def print_check_report(report: CheckReport) -> None:
    """Every problem as `path:line: message`, then the counts."""
    for problem in report.problems:
        label = "[red]error:[/red]" if problem.is_error else "[yellow]warning:[/yellow]"
        err.print(f"{label} {_escape(str(problem))}", markup=True, soft_wrap=True)
    out.print(report.summary(), markup=False, soft_wrap=True)


def print_duplicate_report(report: DuplicateReport) -> None:
    """The measure and its threshold, one line per likely copy, then the counts."""
    out.print(report.header(), markup=False, soft_wrap=True)
    for line in report.lines():
        out.print(line, markup=False, soft_wrap=True)
    out.print(report.summary(), markup=False, soft_wrap=True)


def _print_paths(mark: str, paths: tuple[str, ...], console: Console = out) -> None:
    for path in paths[:LISTED]:
        console.print(f"  {mark} {path}", markup=False, soft_wrap=True)
    if len(paths) > LISTED:
        console.print(f"  {mark} ... and {len(paths) - LISTED} more", markup=False)


def _size(count: int) -> str:
    if count < 1024:
        return f"{count} bytes"
    if count < 1024 * 1024:
        return f"{count / 1024:.1f} KB"
    return f"{count / 1024 / 1024:.1f} MB"
