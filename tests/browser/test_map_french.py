"""The map in French: every text its script shows comes from the page's translated JSON block,
and the toolbar's controls sit beside their own labels (no select over the next label)."""

from __future__ import annotations

from itertools import pairwise
from typing import Any

from tests.browser.conftest import STAFF, log_in, screenshot

BOXES = """() => [...document.querySelectorAll('#filters label')].map((l) => {
  const box = l.getBoundingClientRect(), control = l.querySelector('select, input');
  const inner = control ? control.getBoundingClientRect() : box;
  return [l.textContent.trim().split(/\\s+/)[0], box.left, box.right, box.top, inner.right]; })"""


def test_map_speaks_french_and_its_toolbar_does_not_overlap(browser: Any, live_server: str) -> None:
    context = browser.new_context(
        base_url=live_server, locale="fr-FR", viewport={"width": 1400, "height": 900}
    )
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    log_in(page, STAFF, "/map")
    page.wait_for_url("**/map")
    page.wait_for_selector("#graph[data-state=ready]")
    assert page.inner_text("#legend summary") == "Légende"
    assert "paires qui coopèrent" in page.inner_text("#status")
    assert page.inner_text("#replay") == "▶ Rejouer"
    assert page.inner_text("#metric option[value=pagerank]") == "Influence (PageRank)"
    assert "Disposition" in page.inner_text("#filters")
    boxes = page.evaluate(BOXES)
    for (name, _, _, top, control_right), (after, left, _, next_top, _) in pairwise(boxes):
        if abs(top - next_top) < 5:  # on the same row: the control ends before the next label
            assert control_right <= left + 1, f"{name} covers {after}"
    page.click("#missing")  # no centre selected: the network-wide list, in French
    page.locator("#panel h2", has_text="Les 20 liens manquants les plus forts").wait_for()
    screenshot(page, "map-fr.png")
    assert errors == []
    context.close()


def test_dashboard_speaks_french(browser: Any, live_server: str) -> None:
    context = browser.new_context(base_url=live_server, locale="fr-FR")
    page = context.new_page()
    log_in(page, STAFF, "/dashboard")
    page.wait_for_url("**/dashboard")
    page.wait_for_selector("#dashboard[data-state=ready]")
    assert "centres dans" in page.inner_text("#summary")
    assert page.locator("h2", has_text="Propositions par statut").count() == 1
    legend = page.evaluate(
        "() => Chart.getChart(document.getElementById('chart-status')).data.labels"
    )
    assert any(label.startswith("Ouverte") or label.startswith("Brouillon") for label in legend)
    assert page.locator(".card .downloads", has_text="Télécharger").count() == 6
    screenshot(page, "dashboard-fr.png")
    context.close()
