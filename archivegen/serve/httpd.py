"""The preview's HTTP server: the output folder, the reload script and the event stream.

One thread per connection (`ThreadingHTTPServer`), every thread joined on `stop`. Responses
are never cached (a preview changes under the browser) and HTML responses get the reload
script; the files on disk stay exactly as the build wrote them.
"""

from __future__ import annotations

import contextlib
import mimetypes
import queue
import socket
import sys
import threading
from collections.abc import Callable
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from archivegen.serve.inject import EVENTS_URL, SCRIPT_SOURCE, SCRIPT_URL, inject_script
from archivegen.serve.live import KEEPALIVE_SECONDS, LiveHub
from archivegen.serve.paths import Outcome, contained_file, resolve_request, target_path

FALLBACK_404 = b"<!doctype html><title>Not found</title><h1>Not found</h1><body></body>"
# Longer request targets get 414, as nginx answers past its default 8 KB header buffer: no
# page of a site has such a URL, and the filesystem could not hold its path anyway.
MAX_TARGET = 8192
# The listen backlog: the stock 5 made a burst (a page's 30 parallel asset requests, a
# link checker) drop SYNs and wait for the client's 1 s retry. The kernel caps it at
# net.core.somaxconn (4096 by default since Linux 5.4).
BACKLOG = 1024


class PreviewHTTPServer(ThreadingHTTPServer):
    """Serves `output()` (read per request: the build may swap the whole folder) and `hub`."""

    daemon_threads = False  # so server_close() joins every request thread
    block_on_close = True
    request_queue_size = BACKLOG

    def __init__(
        self,
        address: tuple[str, int],
        output: Callable[[], Path],
        hub: LiveHub,
        log: Callable[[str], None],
    ) -> None:
        self.address_family = socket.AF_INET6 if ":" in address[0] else socket.AF_INET
        self.output = output
        self.hub = hub
        self.log = log  # one line per refused request worth the user's attention
        self._open: set[socket.socket] = set()
        self._open_lock = threading.Lock()
        self._thread: threading.Thread | None = None
        super().__init__(address, PreviewHandler)

    def start(self) -> None:
        """Accept connections on a thread of its own."""
        # a short poll interval: `stop` waits for the loop to notice, up to this long
        self._thread = threading.Thread(
            target=self.serve_forever, args=(0.05,), name="archivegen-http"
        )
        self._thread.start()

    def stop(self) -> None:
        """Stop accepting, end open connections (event streams, idle keep-alives), join all."""
        self.hub.close()
        if self._thread is not None:
            self.shutdown()
            self._thread.join()
            self._thread = None
        with self._open_lock:
            for connection in self._open:
                _shut(connection)
        self.server_close()

    def finish_request(self, request: Any, client_address: Any) -> None:
        """Track the connection while it is handled, so `stop` can end it."""
        with self._open_lock:
            self._open.add(request)
        try:
            super().finish_request(request, client_address)
        finally:
            with self._open_lock:
                self._open.discard(request)

    def handle_error(self, request: Any, client_address: Any) -> None:
        """A tab that went away mid-response is normal; anything else is a bug worth a trace."""
        if not isinstance(sys.exc_info()[1], ConnectionError | TimeoutError):
            super().handle_error(request, client_address)


def _shut(connection: socket.socket) -> None:
    with contextlib.suppress(OSError):  # already closed by the client
        connection.shutdown(socket.SHUT_RDWR)


class PreviewHandler(BaseHTTPRequestHandler):
    """GET and HEAD for the site's files, the reload script and the event stream."""

    server: PreviewHTTPServer
    server_version = "archivegen-preview"
    timeout = 60  # an idle connection (a browser's preconnect) does not hold a thread forever

    def do_GET(self) -> None:
        """Answer a GET."""
        self._respond(head=False)

    def do_HEAD(self) -> None:
        """Answer a HEAD: the GET's status and headers without the body."""
        self._respond(head=True)

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: the terminal shows rebuilds, not every request."""

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        """The stock error page; a too-long target (ours, or the stock 64 KB line limit)
        is also one line in the terminal, never the target itself (it may be 60 KB)."""
        if code == HTTPStatus.REQUEST_URI_TOO_LONG:
            self.server.log(f"414: refused a request target longer than {MAX_TARGET} bytes")
        super().send_error(code, message, explain)

    def parse_request(self) -> bool:
        """The stock parse, then the length limit on the target."""
        if not super().parse_request():
            return False
        if len(self.path) > MAX_TARGET:
            self.send_error(HTTPStatus.REQUEST_URI_TOO_LONG)
            return False
        return True

    def _respond(self, head: bool) -> None:
        path = target_path(self.path)
        if path == EVENTS_URL and not head:
            self._stream_events()
        elif path == SCRIPT_URL:
            self._send(HTTPStatus.OK, "text/javascript; charset=utf-8", SCRIPT_SOURCE, head)
        else:
            self._send_site_file(head)

    def _send_site_file(self, head: bool) -> None:
        # the token is read before the file: a build landing in between makes the tab reload
        build = self.server.hub.state.build
        root = self.server.output()
        resolved = resolve_request(root, self.path)
        if resolved.outcome is Outcome.REDIRECT:
            self.send_response(HTTPStatus.MOVED_PERMANENTLY)
            self.send_header("Location", resolved.location)
            self.send_header("Content-Length", "0")
            self.end_headers()
        elif resolved.outcome is Outcome.FORBIDDEN:
            message = b"Forbidden: this path leaves the site's output folder.\n"
            self._send(HTTPStatus.FORBIDDEN, "text/plain; charset=utf-8", message, head)
        elif resolved.file is None or (data := _read(resolved.file)) is None:
            self._send_not_found(root, build, head)
        else:
            kind = content_type(resolved.file)
            if kind.startswith("text/html"):
                data = inject_script(data, build)
            self._send(HTTPStatus.OK, kind, data, head)

    def _send_not_found(self, root: Path, build: str, head: bool) -> None:
        page = contained_file(root.resolve(), root / "404.html")
        data = _read(page.file) if page.file else None
        body = inject_script(data or FALLBACK_404, build)
        self._send(HTTPStatus.NOT_FOUND, "text/html; charset=utf-8", body, head)

    def _send(self, status: HTTPStatus, kind: str, body: bytes, head: bool) -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        if not head:
            self.wfile.write(body)

    def _stream_events(self) -> None:
        """The Server-Sent Events stream: the live state now and after every build."""
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.wfile.write(b"retry: 500\n\n")  # reconnect quickly after a server restart
        stream = self.server.hub.subscribe()
        try:
            while True:
                try:
                    state = stream.get(timeout=KEEPALIVE_SECONDS)
                except queue.Empty:
                    self.wfile.write(b": keep-alive\n\n")  # fails once the tab is gone
                    continue
                if state is None:
                    return
                self.wfile.write(f"event: state\ndata: {state.to_json()}\n\n".encode())
        except OSError:
            return  # the tab was closed or reloaded
        finally:
            self.server.hub.unsubscribe(stream)


def content_type(path: Path) -> str:
    """The Content-Type for a file of the site (UTF-8 for text: the build writes UTF-8)."""
    kind = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    if kind.startswith("text/") or kind in ("application/javascript", "application/json"):
        kind += "; charset=utf-8"
    return kind


def _read(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except OSError:  # removed by a build between the lookup and the read
        return None
