"""The preview in a real headless Chromium: edits reload the page, errors show over it."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from servekit import OTHER_TITLE, OTHER_URL, SEED_TITLE, SEED_URL, Running

pytestmark = pytest.mark.browser

TIMEOUT_MS = 15_000
OVERLAY = "#archivegen-error-overlay"


@dataclass
class Tab:
    """A browser tab and what it did that a test must check: script errors, dialogs, loads."""

    page: Any
    errors: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)
    loads: int = 0


@pytest.fixture
def tab(browser: Any, running: Running) -> Iterator[Tab]:
    """A fresh tab of the running preview (closed before the preview stops)."""
    context = browser.new_context()
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    watched = Tab(page)
    page.on("pageerror", lambda error: watched.errors.append(str(error)))

    def on_dialog(dialog: Any) -> None:
        watched.dialogs.append(dialog.message)
        dialog.dismiss()

    def on_load(_: Any) -> None:
        watched.loads += 1

    page.on("dialog", on_dialog)
    page.on("load", on_load)
    yield watched
    context.close()


def open_live(tab: Tab, running: Running, path: str) -> None:
    """Open a page and wait until its event stream is connected (so no edit is missed)."""
    with tab.page.expect_response(lambda r: r.url.endswith("/__archivegen/events")):
        tab.page.goto(running.url + path)


def heading(tab: Tab) -> str:
    text: str = tab.page.inner_text("h1")
    return text


def test_editing_a_title_reloads_the_page_with_it(tab: Tab, running: Running) -> None:
    open_live(tab, running, OTHER_URL)
    assert heading(tab) == OTHER_TITLE
    loads = tab.loads
    running.edit("content/politik/sidang.md", "title: Sidang Paripurna", "title: Rapat Paripurna")
    tab.page.wait_for_function("() => document.title.includes('Rapat Paripurna')")
    assert heading(tab) == "Rapat Paripurna Mengesahkan Anggaran"
    assert tab.loads > loads
    assert tab.errors == []


def test_a_tab_follows_its_article_to_a_new_address(tab: Tab, running: Running) -> None:
    """A new slug moves the article: the event stream names its new address and the tab
    goes there directly (not through the meta-refresh page the old address now is)."""
    open_live(tab, running, OTHER_URL)
    asked: list[str] = []
    tab.page.on("request", lambda request: asked.append(request.url))
    moved = "/2023/02/01/rapat-paripurna/"
    running.edit(
        "content/politik/sidang.md", "slug: sidang-paripurna-mengesahkan-anggaran",
        "slug: rapat-paripurna",
    )  # fmt: skip
    tab.page.wait_for_function(f"() => location.pathname === {moved!r}")
    assert heading(tab) == OTHER_TITLE
    assert running.url + OTHER_URL not in asked  # followed, not reloaded into the redirect
    assert tab.errors == []
    # and the old address, asked afresh, leads there too
    tab.page.goto(running.url + OTHER_URL)
    tab.page.wait_for_function(f"() => location.pathname === {moved!r}")
    assert OTHER_URL in (running.root / "redirects.tsv").read_text(encoding="utf-8")


def test_a_front_matter_error_shows_over_the_page_and_the_fix_clears_it(
    tab: Tab, running: Running
) -> None:
    other = running.root / "content" / "politik" / "sidang.md"
    good = other.read_text(encoding="utf-8")
    open_live(tab, running, OTHER_URL)
    hostile = "<img src=x onerror=alert(1)>"
    other.write_text(good.replace("title:", f"title: [{hostile}\nx:"), encoding="utf-8")
    overlay = tab.page.wait_for_selector(OVERLAY)
    assert overlay is not None
    text = overlay.inner_text()
    assert "content/politik/sidang.md" in text and "not valid YAML" in text
    assert heading(tab) == OTHER_TITLE  # the last good page is still under the overlay
    other.write_text(good.replace("Sidang Paripurna", "Sidang Istimewa"), encoding="utf-8")
    tab.page.wait_for_function("() => document.title.includes('Sidang Istimewa')")
    assert tab.page.query_selector(OVERLAY) is None
    assert tab.errors == [] and tab.dialogs == []


def test_error_text_is_shown_as_text_never_as_markup(tab: Tab, running: Running) -> None:
    open_live(tab, running, SEED_URL)
    running.edit(
        "content/dunia/seed.md",
        "date: 2022-10-04T18:23:00+07:00",
        'date: "<img src=x onerror=alert(1)>"',
    )
    overlay = tab.page.wait_for_selector(OVERLAY)
    assert overlay is not None
    assert "content/dunia/seed.md:3" in overlay.inner_text()
    assert "<img src=x onerror=alert(1)>" in overlay.inner_text()
    assert overlay.query_selector("img") is None
    tab.page.wait_for_timeout(300)  # an onerror handler would have run by now
    assert tab.dialogs == [] and tab.errors == []


def test_a_fix_that_restores_the_same_site_clears_the_overlay_without_reload(
    tab: Tab, running: Running
) -> None:
    seed = running.root / "content" / "dunia" / "seed.md"
    good = seed.read_text(encoding="utf-8")
    open_live(tab, running, SEED_URL)
    loads = tab.loads
    seed.write_text("no front matter here\n", encoding="utf-8")
    tab.page.wait_for_selector(OVERLAY)
    seed.write_text(good, encoding="utf-8")
    tab.page.wait_for_selector(OVERLAY, state="detached")
    assert tab.loads == loads and heading(tab) == SEED_TITLE


def test_a_deleted_article_404s_and_leaves_the_listing(tab: Tab, running: Running) -> None:
    open_live(tab, running, OTHER_URL)
    home = tab.page.context.new_page()
    home.goto(running.url + "/")
    assert OTHER_TITLE in home.inner_text("main")
    (running.root / "content" / "politik" / "sidang.md").unlink()
    # the open article reloads into the site's 404 page; the home page drops the entry
    tab.page.wait_for_function(f"() => !document.title.includes('{OTHER_TITLE}')")
    response = tab.page.reload()
    assert response is not None and response.status == 404
    home.wait_for_function(
        f"() => !document.querySelector('main').innerText.includes('{OTHER_TITLE}')"
    )
    assert SEED_TITLE in home.inner_text("main")
    home.close()
