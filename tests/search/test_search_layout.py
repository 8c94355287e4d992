"""The search page's layout in a real headless Chromium: nothing moves while it loads and
answers (Cumulative Layout Shift, measured with the browser's own `layout-shift` entries),
and on a phone the filters come before the results."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from urllib.parse import quote

import pytest

pytestmark = pytest.mark.browser

PHONE, DESKTOP = (375, 812), (1280, 900)
# Registered before any of the page's own scripts run, so every shift from the first paint
# on is counted; shifts right after a user's input are excluded, as the metric defines them.
CLS_OBSERVER = """
window.__cls = 0;
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) if (!entry.hadRecentInput) window.__cls += entry.value;
}).observe({type: "layout-shift", buffered: true});
"""


@pytest.fixture
def tab(browser: Any, request: pytest.FixtureRequest) -> Iterator[Any]:
    width, height = request.param
    context = browser.new_context(viewport={"width": width, "height": height})
    context.add_init_script(CLS_OBSERVER)
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


def settled_shift(page: Any, url: str) -> float:
    """The page's layout shift once it has loaded, searched and rendered its results."""
    page.goto(url)
    page.wait_for_function(
        "document.getElementById('search-results').children.length > 0"
        " || /Tidak ada/.test(document.getElementById('search-status').textContent)"
    )
    page.wait_for_timeout(500)  # any late shift (fonts, filters, the "more" button) lands
    return float(page.evaluate("window.__cls"))


@pytest.mark.parametrize("tab", [PHONE, DESKTOP], indirect=True, ids=["375px", "1280px"])
def test_the_search_page_does_not_shift(tab: Any, site_url: str) -> None:
    shift = settled_shift(tab, f"{site_url}/cari/?q={quote('Kazakhstan')}")
    assert tab.locator("#search-results li").count() >= 1  # it did search
    assert shift < 0.05, f"layout shift {shift:.3f}"


@pytest.mark.parametrize("tab", [PHONE], indirect=True, ids=["375px"])
def test_on_a_phone_the_filters_come_first_and_fold(tab: Any, site_url: str) -> None:
    settled_shift(tab, f"{site_url}/cari/?q={quote('Kazakhstan')}")
    filters = tab.locator("#search-filters").bounding_box()
    results = tab.locator("#search-results").bounding_box()
    assert filters["y"] < results["y"]
    assert tab.locator("#search-filters").get_attribute("open") is None  # folded
    tab.click("#search-filters summary")
    assert tab.locator("#search-filters input[type=checkbox]").first.is_visible()


@pytest.mark.parametrize("tab", [DESKTOP], indirect=True, ids=["1280px"])
def test_on_a_wide_screen_the_filters_are_open_beside_the_results(tab: Any, site_url: str) -> None:
    settled_shift(tab, f"{site_url}/cari/?q={quote('Kazakhstan')}")
    filters = tab.locator("#search-filters").bounding_box()
    results = tab.locator("#search-results").bounding_box()
    assert tab.locator("#search-filters").get_attribute("open") is not None
    assert filters["x"] + filters["width"] <= results["x"]


def test_the_form_is_there_without_javascript(browser: Any, site_url: str) -> None:
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{site_url}/cari/")
    assert page.locator("#search-input").is_visible()
    assert page.locator("meta[name=description]").get_attribute("content")
    context.close()
