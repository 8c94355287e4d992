"""The preview over real HTTP on 127.0.0.1: files, 404s, refused escapes, rebuilds on change."""

from __future__ import annotations

import json
import os
import re
import shutil
import socket
import subprocess
import time
from pathlib import Path
from urllib.error import HTTPError
from urllib.request import Request, urlopen

import pytest
from servekit import OTHER_TITLE, OTHER_URL, SEED_TITLE, SEED_URL, Recorder, Running, start_preview
from sitekit import write_article

from archivegen.errors import ConfigError, ContentError
from archivegen.serve import ServeError
from archivegen.serve.inject import EVENTS_URL, SCRIPT_URL


def get(url: str) -> tuple[int, dict[str, str], str]:
    """GET with urllib (redirects followed): status, headers, body text."""
    try:
        with urlopen(Request(url), timeout=10) as response:
            return response.status, dict(response.headers), response.read().decode()
    except HTTPError as error:
        return error.code, dict(error.headers), error.read().decode()


def raw_get(running: Running, target: str) -> tuple[int, str]:
    """GET a request target exactly as written (no client normalizes `..` away)."""
    port = running.preview.http.server_address[1]
    with socket.create_connection(("127.0.0.1", port), timeout=10) as connection:
        connection.sendall(f"GET {target} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".encode())
        data = b""
        while chunk := connection.recv(65536):
            data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    return int(head.split()[1]), body.decode(errors="replace")


def page_token(html: str) -> str:
    found = re.search(r'data-build="([^"]+)"', html)
    assert found, "no reload script in the page"
    return found.group(1)


def test_pages_get_the_script_and_the_files_do_not(running: Running) -> None:
    status, headers, html = get(running.url + SEED_URL)
    assert status == 200 and SEED_TITLE in html
    assert headers["Content-Type"] == "text/html; charset=utf-8"
    assert headers["Cache-Control"] == "no-store"
    assert html.count(SCRIPT_URL) == 1 and html.rindex(SCRIPT_URL) < html.rindex("</body>")
    on_disk = (running.preview.output() / SEED_URL.strip("/") / "index.html").read_text()
    assert "__archivegen" not in on_disk
    status, headers, script = get(running.url + SCRIPT_URL)
    assert status == 200 and "EventSource" in script and "textContent" in script
    assert "innerHTML" not in script
    status, headers, css = get(running.url + "/static/style.css")
    assert status == 200 and headers["Content-Type"].startswith("text/css")
    assert "__archivegen" not in css


def test_a_missing_page_is_the_sites_404_with_status_404(running: Running) -> None:
    status, _, html = get(running.url + "/tidak/ada/")
    assert status == 404
    site_404 = (running.preview.output() / "404.html").read_text()
    assert html.replace(re.search(r"<script[^>]*></script>", html)[0], "") == site_404  # type: ignore[index]


def test_a_folder_without_its_slash_redirects(running: Running) -> None:
    status, _ = raw_get(running, SEED_URL.rstrip("/"))
    assert status == 301
    assert get(running.url + SEED_URL.rstrip("/"))[0] == 200


@pytest.mark.parametrize(
    "target",
    [
        "/../site.yaml",
        "/%2e%2e/site.yaml",
        "/%2E%2E/site.yaml",
        "/..%2fsite.yaml",
        "/%2e%2e%2fsite.yaml",
        "/static/../../site.yaml",
        "/..\\site.yaml",
        "/%5c..%5csite.yaml",
    ],
)
def test_traversal_requests_are_refused(running: Running, target: str) -> None:
    status, body = raw_get(running, target)
    assert status == 403
    assert "base_url" not in body and "Arsip Uji" not in body


def test_symlinks_out_of_the_output_are_refused(running: Running) -> None:
    output = running.preview.output()
    os.symlink(running.root / "site.yaml", output / "config.txt")
    os.symlink(running.root / "content", output / "sumber")
    for target in ("/config.txt", "/sumber/dunia/seed.md"):
        status, body = raw_get(running, target)
        assert status == 403, target
        assert "base_url" not in body and "Kazakhstan" not in body
    assert raw_get(running, "/.archivegen-manifest.json")[0] == 404


def read_state(stream: socket.socket) -> dict[str, object]:
    """The next `state` event of an open event stream."""
    buffer = b""
    while b"\n\n" not in buffer.partition(b"event: state\n")[2]:
        chunk = stream.recv(65536)
        assert chunk, "the event stream ended"
        buffer += chunk
    event = buffer.partition(b"event: state\n")[2].partition(b"\n\n")[0]
    state: dict[str, object] = json.loads(event.removeprefix(b"data: "))
    return state


def open_events(running: Running) -> socket.socket:
    port = running.preview.http.server_address[1]
    stream = socket.create_connection(("127.0.0.1", port), timeout=10)
    stream.sendall(f"GET {EVENTS_URL} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".encode())
    return stream


def test_an_edit_rebuilds_only_its_pages_and_tells_the_tabs(running: Running) -> None:
    token = page_token(get(running.url + SEED_URL)[2])
    with open_events(running) as stream:
        assert read_state(stream) == {"build": token, "errors": [], "moved": {}}
        running.edit("content/dunia/seed.md", "Terus Bertambah", "Kian Bertambah")
        running.recorder.wait_for(lambda r: len(r.builds) >= 2, "the rebuild")
        state = read_state(stream)
    assert state["build"] != token and state["errors"] == []
    report, changes = running.recorder.builds[-1]
    first, _ = running.recorder.builds[0]
    assert changes == 1
    assert 0 < report.rendered < first.rendered  # not the whole site
    html = get(running.url + SEED_URL.replace("terus", "kian"))[2]
    assert "Kian Bertambah, 200 Ribu" in html and page_token(html) == state["build"]


def test_a_broken_article_keeps_the_last_good_site_until_fixed(running: Running) -> None:
    seed = running.root / "content" / "dunia" / "seed.md"
    good = seed.read_text(encoding="utf-8")
    with open_events(running) as stream:
        token = read_state(stream)["build"]
        seed.write_text(good.replace("date: 2022-10-04T18:23:00+07:00", "date: kemarin"))
        running.recorder.wait_for(lambda r: len(r.failures) == 1, "the failed build")
        state = read_state(stream)
        assert state["build"] == token
        assert state["errors"] == [
            {
                "path": "content/dunia/seed.md",
                "line": 3,
                "field": "date",
                "message": running.recorder.failures[0].message,  # type: ignore[attr-defined]
            }
        ]
        assert isinstance(running.recorder.failures[0], ContentError)
        status, _, html = get(running.url + SEED_URL)
        assert status == 200 and SEED_TITLE in html  # still the last good site
        seed.write_text(good, encoding="utf-8")
        running.recorder.wait_for(lambda r: len(r.builds) == 2, "the fixed build")
        assert read_state(stream) == {
            "build": token,
            "errors": [],
            "moved": {},
        }  # same site: no reload


def test_a_deleted_article_is_gone_from_its_url_and_the_listings(running: Running) -> None:
    assert OTHER_TITLE in get(running.url + "/")[2]
    (running.root / "content" / "politik" / "sidang.md").unlink()
    running.recorder.wait_for(lambda r: len(r.builds) == 2, "the rebuild")
    assert get(running.url + OTHER_URL)[0] == 404
    assert get(running.url + "/kategori/politik/")[0] == 404
    home = get(running.url + "/")[2]
    assert OTHER_TITLE not in home and SEED_TITLE in home


def test_site_yaml_changes_reload_the_config(running: Running) -> None:
    running.edit("site.yaml", "title: Arsip Uji", "title: Arsip Baru")
    running.recorder.wait_for(lambda r: len(r.builds) == 2, "the rebuild")
    assert "Arsip Baru" in get(running.url + "/")[2]
    running.edit("site.yaml", "title: Arsip Baru", "titel: Arsip Baru")
    running.recorder.wait_for(lambda r: len(r.failures) == 1, "the config error")
    error = running.recorder.failures[0]
    assert isinstance(error, ConfigError) and error.field == "titel" and error.line == 1
    running.edit("content/dunia/seed.md", "Terus", "Kian")  # site.yaml is still broken
    running.recorder.wait_for(lambda r: len(r.failures) == 2, "the second config error")
    assert len(running.recorder.builds) == 2
    running.edit("site.yaml", "titel: Arsip Baru", "title: Arsip Lagi")
    running.recorder.wait_for(lambda r: len(r.builds) == 3, "the fixed build")
    assert "Arsip Lagi" in get(running.url + "/")[2]


def test_a_template_change_rerenders_the_pages_that_use_it(running: Running) -> None:
    running.edit(
        "themes/default/templates/article.html", "{% block main %}", "{% block main %}<i>TANDA</i>"
    )
    running.recorder.wait_for(lambda r: len(r.builds) == 2, "the rebuild")
    report, _ = running.recorder.builds[-1]
    assert report.rendered == 2  # the two article pages, nothing else
    assert "<i>TANDA</i>" in get(running.url + SEED_URL)[2]
    assert "TANDA" not in get(running.url + "/")[2]


def test_a_burst_of_new_files_is_one_rebuild(running: Running) -> None:
    for i in range(300):  # like a `git checkout` or an import
        write_article(
            running.root / "content",
            f"impor/berita-{i:03d}.md",
            title=f"Berita Impor {i}",
            date="2023-03-01T08:00:00+07:00",
            category="Ekonomi",
        )
    running.recorder.wait_for(lambda r: r.attempts >= 2, "the rebuild")
    time.sleep(0.6)  # several quiet periods: no further rebuild comes
    assert running.recorder.attempts == 2
    assert running.recorder.builds[-1][0].articles == 302


def test_editor_temp_files_and_the_output_do_not_rebuild(running: Running) -> None:
    folder = running.root / "content" / "dunia"
    (folder / ".seed.md.swp").write_bytes(b"swap")
    (folder / "seed.md~").write_text("backup", encoding="utf-8")
    (folder / ".#seed.md").write_text("lock", encoding="utf-8")
    (running.preview.output() / "extra.html").write_text("x", encoding="utf-8")
    time.sleep(0.6)
    assert running.recorder.attempts == 1


def test_stop_ends_open_event_streams(running: Running) -> None:
    streams = [open_events(running) for _ in range(3)]
    for stream in streams:
        read_state(stream)
    started = time.monotonic()
    running.preview.stop()  # the fixture checks that no thread is left
    assert time.monotonic() - started < 3
    for stream in streams:
        assert stream.recv(65536) == b""  # closed by the server
        stream.close()


def test_a_taken_port_is_a_clear_error(site_file: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        with pytest.raises(ServeError, match=f"cannot listen on 127.0.0.1:{port}"):
            start_preview(site_file.parent, port=port)


def test_a_broken_site_at_start_is_served_with_its_errors(site_file: Path) -> None:
    seed = site_file.parent / "content" / "dunia" / "seed.md"
    seed.write_text("---\ntitle: [\n---\n", encoding="utf-8")
    preview = start_preview(site_file.parent)
    recorder = preview.reporter
    assert isinstance(recorder, Recorder)
    with preview:
        assert len(recorder.failures) == 1 and not recorder.builds
        status, _, html = get(preview.url + "tidak-ada/")
        assert status == 404 and SCRIPT_URL in html  # the tab can still show the error
        assert preview.hub.state.errors[0].path == "content/dunia/seed.md"


@pytest.mark.parametrize(
    ("target", "status"),
    [
        ("/" + "a" * 60_000 + "/", 414),  # one long segment
        ("/a" * 30_000, 414),  # 60 KB of short segments
        ("/" + "a" * 300 + "/", 404),  # short enough to ask, too long for a file name
        ("/a" * 2_500, 404),  # 5 KB: longer than PATH_MAX (4096), shorter than the limit
    ],
)
def test_too_long_targets_are_answered_not_dropped(
    running: Running, capfd: pytest.CaptureFixture[str], target: str, status: int
) -> None:
    assert raw_get(running, target)[0] == status
    assert raw_get(running, SEED_URL)[0] == 200  # the server is still serving
    expected = ["414: refused a request target longer than 8192 bytes"] if status == 414 else []
    assert running.recorder.warnings == expected
    assert "Traceback" not in capfd.readouterr().err


def test_a_burst_of_connections_is_answered_without_syn_retries(running: Running) -> None:
    port = running.preview.http.server_address[1]
    if shutil.which("ss") is None:
        pytest.skip("iproute2's ss is missing (make test-deps installs it)")
    # the kernel's backlog of the listening socket, as `ss` shows it (Send-Q)
    listing = subprocess.run(
        ["ss", "-ltnH", f"sport = :{port}"], capture_output=True, text=True, check=True
    )
    assert int(listing.stdout.split()[2]) == 1024
    connections = [socket.socket() for _ in range(200)]
    try:
        for connection in connections:  # all queued before the server accepts any
            connection.setblocking(False)
            connection.connect_ex(("127.0.0.1", port))
        statuses = []
        for connection in connections:
            connection.setblocking(True)
            connection.settimeout(20)
            connection.sendall(f"HEAD {SEED_URL} HTTP/1.0\r\n\r\n".encode())
            statuses.append(int(connection.recv(4096).split()[1]))
    finally:
        for connection in connections:
            connection.close()
    assert statuses == [200] * 200
