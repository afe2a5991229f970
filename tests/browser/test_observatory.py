"""The observatory in a browser: charts painted from the page's JSON block, grouping through the
plain GET form, the tables without JavaScript, no CSP violation; axe-core in French and English."""

from __future__ import annotations

from typing import Any

from tests.browser.conftest import MEMBER, STAFF, log_in, screenshot
from tests.browser.test_pages import AXE, AXE_RUN, DOCS_IMG

PAINTED = """(id) => { const c = document.getElementById(id);
  const pixels = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
  let inked = 0; for (let i = 3; i < pixels.length; i += 4) if (pixels[i] > 0) inked++;
  return inked; }"""
LINES = "(id) => Chart.getChart(document.getElementById(id)).data.datasets.length"


def _open(page: Any, who: tuple[str, str], path: str) -> None:
    messages: list[str] = []
    page.on("console", lambda m: messages.append(m.text))
    page.console_messages = messages
    log_in(page, who, path)
    page.wait_for_url("**/observatory*")
    page.wait_for_selector("#observatory[data-state=ready]")


def test_observatory_charts_are_painted(page: Any) -> None:
    _open(page, MEMBER, "/observatory?from=2011&to=2024")
    canvases = page.eval_on_selector_all("canvas[data-painted=true]", "cs => cs.map(c => c.id)")
    assert canvases[:3] == ["chart-0", "chart-1", "chart-2"]
    for ident in canvases:
        assert page.evaluate(PAINTED, ident) > 500, ident  # lines and axes drawn, not blank
    assert page.is_visible("#chart-0")
    assert not any("Content Security Policy" in m for m in page.console_messages)
    screenshot(page, "observatory.png")
    page.screenshot(path=str(DOCS_IMG / "observatory.png"), full_page=True)
    page.select_option("#obs-group", "country")
    page.click(".obs-form__submit button")
    page.wait_for_url("**group=country**")
    page.wait_for_selector("#observatory[data-state=ready]")
    assert page.evaluate(LINES, "chart-0") > 1  # one line per country
    assert page.locator(".obs-more").count() >= 1  # more countries than lines: table has all
    screenshot(page, "observatory-by-country.png")
    assert not page.errors


def test_observatory_without_javascript(browser: Any, live_server: str) -> None:
    context = browser.new_context(base_url=live_server, java_script_enabled=False, locale="fr-FR")
    tab = context.new_page()
    log_in(tab, MEMBER, "/observatory?from=2019&to=2021")
    tab.wait_for_url("**/observatory*")
    assert not tab.is_visible("#chart-0")  # no script: no empty chart box
    table = tab.locator(".obs-indicator").first.locator("table.data")
    assert table.locator("tbody tr").count() == 3  # 2019, 2020, 2021
    assert tab.locator("html").get_attribute("lang") == "fr"
    screenshot(tab, "observatory-no-js.png")
    context.close()


def test_observatory_has_no_serious_accessibility_problems(browser: Any, live_server: str) -> None:
    problems: list[str] = []
    for locale in ("fr-FR", "en-GB"):
        for who in (MEMBER, STAFF):
            context = browser.new_context(base_url=live_server, locale=locale, bypass_csp=True)
            tab = context.new_page()
            log_in(tab, who, "/observatory?group=label_status")
            tab.wait_for_selector("#observatory[data-state=ready]")
            tab.add_script_tag(path=str(AXE))  # CSP bypassed in this context only, for axe
            problems += [f"/observatory [{locale}, {who[0]}]: {v}" for v in tab.evaluate(AXE_RUN)]
            context.close()
    assert problems == []
