"""The theme in a real headless Chromium: axe-core finds no serious or critical violation,
no page scrolls sideways from 360 to 1440 px, the skip link works, and an article page
loads nothing but its own HTML, CSS and icon (no scripts, fonts, CDNs or trackers)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from themekit import SEED_URL

pytestmark = pytest.mark.browser

AXE = Path(__file__).resolve().parents[2] / ".cache" / "npm" / "node_modules" / "axe-core"
PAGES = {
    "home": "/",
    "article": SEED_URL,
    "category": "/kategori/politik/",
    "archive": "/arsip/",
    "month": "/arsip/2023/01/",
    "search": "/cari/?q=Kazakhstan",
}
RUN_AXE = """async () => {
  const result = await axe.run(document, {resultTypes: ["violations"]});
  return result.violations.map(v => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.slice(0, 3).map(n => n.target.join(" ")),
  }));
}"""


@pytest.fixture(scope="module")
def axe_source() -> str:
    """axe-core's browser bundle, installed by `make test` (npm, into .cache/npm)."""
    script = AXE / "axe.min.js"
    if not script.exists():
        message = f"{script} is missing: `make test` installs axe-core with npm"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return script.read_text(encoding="utf-8")


@pytest.fixture
def open_page(browser: Any) -> Iterator[Any]:
    """Opens a page of the theme archive in a fresh context (viewport, colour scheme)."""
    contexts: list[Any] = []

    def opener(url: str, width: int = 1280, scheme: str = "light") -> Any:
        context = browser.new_context(viewport={"width": width, "height": 800}, color_scheme=scheme)
        contexts.append(context)
        tab = context.new_page()
        tab.set_default_timeout(15_000)
        tab.goto(url)
        if "/cari/" in url:
            tab.wait_for_selector("#search-results li")
        return tab

    yield opener
    for context in contexts:
        context.close()


@pytest.mark.parametrize("name", list(PAGES))
@pytest.mark.parametrize(("width", "scheme"), [(1280, "light"), (375, "dark")])
def test_axe_finds_no_serious_violations(
    open_page: Any, theme_url: str, axe_source: str, name: str, width: int, scheme: str
) -> None:
    tab = open_page(theme_url + PAGES[name], width, scheme)
    tab.add_script_tag(content=axe_source)
    violations = tab.evaluate(RUN_AXE)
    serious = [v for v in violations if v["impact"] in ("serious", "critical")]
    assert not serious, f"{name} ({width} px, {scheme}): {serious}"
    assert not violations, f"{name} ({width} px, {scheme}), minor: {violations}"


@pytest.mark.parametrize("width", [360, 1440])
def test_no_page_scrolls_sideways(open_page: Any, theme_url: str, width: int) -> None:
    for name, path in PAGES.items():
        tab = open_page(theme_url + path, width)
        overflow = tab.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"{name} is {overflow} px too wide at {width} px"


def test_skip_link_is_shown_on_focus_and_moves_focus_to_the_content(
    open_page: Any, theme_url: str
) -> None:
    tab = open_page(theme_url + SEED_URL)
    box = tab.locator(".skip-link").bounding_box()
    assert box["y"] + box["height"] <= 0  # hidden above the page until focused
    tab.keyboard.press("Tab")
    assert tab.evaluate("document.activeElement.className") == "skip-link"
    box = tab.locator(".skip-link").bounding_box()
    assert box["y"] >= 0 and box["height"] > 0
    tab.keyboard.press("Enter")
    assert tab.evaluate("document.activeElement.id") == "main"


def test_an_article_loads_only_its_own_html_css_and_icon(browser: Any, theme_url: str) -> None:
    context = browser.new_context()
    tab = context.new_page()
    requests: list[tuple[str, str]] = []
    tab.on("request", lambda request: requests.append((request.resource_type, request.url)))
    tab.goto(theme_url + SEED_URL, wait_until="networkidle")
    context.close()
    assert all(url.startswith(theme_url) for _, url in requests), requests
    kinds = sorted({kind for kind, _ in requests})
    assert "script" not in kinds and "font" not in kinds, requests
    assert {url.removeprefix(theme_url) for _, url in requests} <= {
        SEED_URL,
        "/static/style.css",
        "/static/favicon.svg",
    }
