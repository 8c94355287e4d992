"""What the preview watches, what it ignores, and the reload script's tag and state."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from archivegen.config import load_config
from archivegen.errors import ContentError, ErrorGroup
from archivegen.serve.inject import SCRIPT_URL, inject_script
from archivegen.serve.live import LiveHub, LiveState, shown_errors
from archivegen.serve.server import is_loopback
from archivegen.serve.watch import WatchPlan, is_temp_name, plan_watch


@pytest.fixture
def plan(site_file: Path) -> WatchPlan:
    config_file = site_file
    (config_file.parent / "templates").mkdir()
    return plan_watch(load_config(config_file), config_file)


def test_the_plan_watches_what_the_build_reads(plan: WatchPlan) -> None:
    root = plan.site_root
    assert plan.config_file == root / "site.yaml"
    assert set(plan.folders) == {
        root / "content",
        root / "templates",
        root / "themes" / "default",
    }  # static/ does not exist: watched once it appears
    assert root / "static" in plan.expected


@pytest.mark.parametrize(
    "relative",
    [
        "site.yaml",
        "content/dunia/seed.md",
        "content/baru/berita.md",
        "templates/article.html",
        "themes/default/static/style.css",
        "static",  # the site's static/ folder appearing
        "templates",
    ],
)
def test_changes_that_matter(plan: WatchPlan, relative: str) -> None:
    assert plan.is_relevant(plan.site_root / relative)


@pytest.mark.parametrize(
    "relative",
    [
        "public/index.html",
        "public",
        ".archivegen/abc/build-cache.pickle",
        ".public.staging-123",
        "content/dunia/.seed.md.swp",
        "content/dunia/seed.md~",
        "content/dunia/.#seed.md",
        "content/dunia/4913",
        "content/.git/index",
        "templates/article.html.tmp",
        "notes.txt",  # the site folder holds other files too
        "site.yaml.bak",
    ],
)
def test_changes_that_do_not(plan: WatchPlan, relative: str) -> None:
    assert not plan.is_relevant(plan.site_root / relative)


def test_temp_names() -> None:
    assert is_temp_name(".seed.md.swx") and is_temp_name("x.md___jb_tmp___")
    assert not is_temp_name("seed.md") and not is_temp_name("berita-4913.md")


def test_script_goes_before_the_last_body_end() -> None:
    page = b"<html><body><p>x</p><!-- </body> in a comment --></BODY ></html>"
    injected = inject_script(page, "t-1")
    assert injected.endswith(b'data-build="t-1"></script></BODY ></html>')
    assert injected.count(SCRIPT_URL.encode()) == 1
    assert inject_script(b"<p>fragment", "t").endswith(b"</script>")
    assert b"&quot;" in inject_script(b"", 'a"b')  # the token is escaped in its attribute


def test_hub_tokens_change_only_when_files_changed() -> None:
    hub = LiveHub()
    stream = hub.subscribe()
    first = stream.get_nowait()
    assert first is not None and first.errors == ()
    hub.failed(shown_errors(ContentError("bad", path="content/x.md", line=3), Path("/s")))
    failed = stream.get_nowait()
    assert failed is not None and failed.build == first.build
    assert failed.errors[0].path == "content/x.md" and failed.errors[0].line == 3
    hub.built(changed=False)  # the fix restored the last good site: clear, do not reload
    cleared = stream.get_nowait()
    assert cleared is not None and cleared.build == first.build and cleared.errors == ()
    hub.built(changed=True)
    reloaded = stream.get_nowait()
    assert reloaded is not None and reloaded.build != first.build
    hub.close()
    assert stream.get_nowait() is None
    assert LiveHub().state.build != first.build  # a restarted server's tabs reload too


def test_errors_are_listed_one_by_one_with_paths_relative_to_the_site(tmp_path: Path) -> None:
    group = ErrorGroup(
        [
            ContentError("b", path=tmp_path / "content" / "b.md", line=2, field="date"),
            ContentError("a <img src=x>", path="content/a.md"),
        ]
    )
    shown = shown_errors(group, tmp_path)
    assert sorted((e.path, e.line or 0, e.field or "") for e in shown) == [
        ("content/a.md", 0, ""),
        ("content/b.md", 2, "date"),
    ]
    payload = json.loads(LiveState("t", shown).to_json())
    messages = {error["message"] for error in payload["errors"]}
    assert messages == {"b", "a <img src=x>"}  # raw text: the page sets it as text, not HTML
    assert shown_errors(RuntimeError("boom"), tmp_path)[0].message == "RuntimeError: boom"


def test_loopback_hosts() -> None:
    assert is_loopback("127.0.0.1") and is_loopback("127.0.0.2") and is_loopback("::1")
    assert is_loopback("localhost")
    assert not is_loopback("0.0.0.0") and not is_loopback("192.168.1.10")
    assert not is_loopback("example.org")
