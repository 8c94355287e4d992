"""`archivegen serve`: build, serve, watch, rebuild on change, reload the browser.

    watchdog events ──▶ Debouncer (one call per burst) ──▶ Builder ──▶ LiveHub ──▶ tabs (SSE)

Rebuilds are `Builder.preview` of one Builder kept for the session (mode PREVIEW), run one
at a time on the debouncer's thread, told which files changed (an edited article patches
the last build's graph; anything else is a full incremental build). The `Preview` is its
listener: it reloads the tabs, reports to the console, and says whether another edit waits.
A failed build leaves the last good site in the output folder (the build only swaps in a
complete one), so the server keeps serving it and the tabs show the errors on top.
"""

from __future__ import annotations

import ipaddress
import signal
import time
import webbrowser
from dataclasses import dataclass, field
from pathlib import Path
from types import FrameType
from typing import Protocol

from archivegen.build import Builder, BuildMode, BuildOptions, BuildReport, Progress
from archivegen.config import SiteConfig, load_config
from archivegen.errors import ArchivegenError
from archivegen.search import SearchReport
from archivegen.serve.debounce import QUIET_SECONDS, Debouncer
from archivegen.serve.httpd import PreviewHTTPServer
from archivegen.serve.live import LiveHub, shown_errors
from archivegen.serve.watch import Watcher, plan_watch

RELOAD_GRACE_SECONDS = 1.0  # the search catch-up waits at most this long for tabs to reload


class ServeError(ArchivegenError):
    """The preview server cannot start (the port is taken, the host unknown)."""


@dataclass(frozen=True, slots=True)
class ServeOptions:
    """What the command line may change about the preview."""

    host: str = "127.0.0.1"
    port: int = 8000  # 0: any free port (tests)
    open_browser: bool = False
    quiet_seconds: float = QUIET_SECONDS
    build: BuildOptions = field(default_factory=BuildOptions)


class ServeReporter(Progress, Protocol):
    """Where the preview tells the user what happens (the console; tests record it)."""

    def built(self, report: BuildReport, changes: int) -> None:
        """A build succeeded; `changes` is the number of changed paths (0: the first build)."""

    def failed(self, error: BaseException, seconds: float) -> None:
        """A build failed; the last good site is still served."""

    def serving(self, url: str, output: Path) -> None:
        """The server is up."""

    def searched(self, report: SearchReport) -> None:
        """The search index caught up with an edit, after the tabs reloaded."""

    def warn(self, message: str) -> None:
        """Something the user should know (a non-loopback address)."""

    def stopped(self) -> None:
        """The server stopped (Ctrl-C); every thread has ended."""


class Preview:
    """A running preview: HTTP server, watcher and debounced rebuilds; `stop` joins them all."""

    def __init__(self, config_file: Path, options: ServeOptions, reporter: ServeReporter) -> None:
        self.config_file = config_file.resolve()
        self.options = options
        self.reporter = reporter
        self.config: SiteConfig = load_config(config_file)
        # one Builder for the whole session: each rebuild starts from what the last one knew
        self.builder = Builder(self.config, options.build, BuildMode.PREVIEW)
        self._config_broken = False
        self._changes = 0  # paths changed in the rebuild running now (0: the first build)
        self.hub = LiveHub()
        self.debouncer = Debouncer(self._rebuild, quiet=options.quiet_seconds)
        self.watcher = Watcher(self.debouncer.notify)
        if not is_loopback(options.host):
            reporter.warn(
                f"serving on {options.host}: other machines on the network can read the "
                "preview; use the default --host 127.0.0.1 to keep it on this computer"
            )
        self.http = _listen(options.host, options.port, self)

    @property
    def url(self) -> str:
        """Where the preview is served (the bound port, also when 0 was asked for)."""
        host = self.options.host
        shown = f"[{host}]" if ":" in host else host
        return f"http://{shown}:{self.http.server_address[1]}/"

    def output(self) -> Path:
        """The folder served now (site.yaml may move it)."""
        return self.config.output_path

    def start(self) -> None:
        """Build once, then serve and watch. Edits made during the first build are not lost."""
        self.watcher.start(plan_watch(self.config, self.config_file))
        self._build(None, progress=self.reporter)
        self.http.start()
        self.debouncer.start()

    def stop(self) -> None:
        """Stop watching, finish a running rebuild, stop serving; every thread joined."""
        self.watcher.stop()
        self.debouncer.close()
        self.http.stop()
        self.builder.cache.wait()

    def __enter__(self) -> Preview:
        self.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    def _rebuild(self, changed: frozenset[str]) -> None:
        """The debouncer's action: reload site.yaml if it changed (or is broken), build."""
        if str(self.config_file) in changed or self._config_broken:
            try:
                self.config = load_config(self.config_file)
                self.builder.cache.wait()
                self.builder = Builder(self.config, self.options.build, BuildMode.PREVIEW)
                self._config_broken = False
            except ArchivegenError as exc:
                self._config_broken = True
                self._report_failure(exc, 0.0)
                return
        self._build(changed, progress=None)
        self.watcher.replan(plan_watch(self.config, self.config_file))

    def _build(self, changed: frozenset[str] | None, progress: Progress | None) -> None:
        self._changes = len(changed or ())
        self.builder.preview(changed, progress, self)

    # the Builder's PreviewListener: what a rebuild tells the tabs and the console

    def built(self, report: BuildReport, search_follows: bool) -> None:
        """Reload the tabs; when the search index follows, serve their reloads first."""
        self.hub.built(changed=bool(report.written or report.deleted), moved=report.moves)
        self.reporter.built(report, self._changes)
        if search_follows:
            self.hub.wait_for_reloads(timeout=RELOAD_GRACE_SECONDS)

    def more_edits(self) -> bool:
        """True when another edit came during the build (built first, then the index)."""
        return self.debouncer.has_pending()

    def searched(self, report: SearchReport) -> None:
        """The search index caught up with the edit."""
        self.reporter.searched(report)

    def failed(self, error: BaseException, seconds: float) -> None:
        """Show the error in the tabs and the console; the last good site is served."""
        self._report_failure(error, seconds)

    def warn(self, message: str) -> None:
        """Tell the user."""
        self.reporter.warn(message)

    def _report_failure(self, error: BaseException, seconds: float) -> None:
        self.hub.failed(shown_errors(error, self.config.root))
        self.reporter.failed(error, seconds)


def serve_site(config_file: Path, options: ServeOptions, reporter: ServeReporter) -> None:
    """Build, serve and rebuild on every change until Ctrl-C, then stop cleanly."""
    preview = Preview(config_file, options, reporter)
    try:
        preview.start()
        reporter.serving(preview.url, preview.output())
        if options.open_browser:
            webbrowser.open(preview.url)
        wait_for_interrupt()
    finally:
        preview.stop()
    reporter.stopped()


def wait_for_interrupt() -> None:
    """Block the main thread until Ctrl-C (SIGINT); the caller then stops everything cleanly.

    The handler only sets a flag, and it is for SIGINT alone. Render workers forked during a
    rebuild inherit it: a Ctrl-C in the terminal reaches them too, and one that raised
    KeyboardInterrupt would leave the rebuild waiting for it forever. SIGTERM keeps its default
    action, which is how the worker pool ends its workers after every parallel render.
    """
    stopping: list[int] = []

    def on_interrupt(signum: int, frame: FrameType | None) -> None:
        stopping.append(signum)  # more Ctrl-C while a rebuild finishes change nothing

    previous = signal.signal(signal.SIGINT, on_interrupt)
    try:
        while not stopping:
            time.sleep(0.2)
    finally:
        signal.signal(signal.SIGINT, previous)


def is_loopback(host: str) -> bool:
    """True for addresses only this computer can reach (127.0.0.0/8, ::1, localhost)."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _listen(host: str, port: int, preview: Preview) -> PreviewHTTPServer:
    try:
        return PreviewHTTPServer((host, port), preview.output, preview.hub, preview.reporter.warn)
    except OSError as exc:
        reason = exc.strerror or str(exc)
        raise ServeError(
            f"cannot listen on {host}:{port}: {reason} (another server on that port? try --port)"
        ) from None
