"""The dashboard reads at a glance: every bar labelled, donut counts, year range, downloads."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tests.browser.conftest import STAFF, log_in, screenshot

TICKS = """(id) => { const c = Chart.getChart(document.getElementById(id));
  const axis = c.options.indexAxis === 'y' ? c.scales.y : c.scales.x;
  return [axis.ticks.length, c.data.labels.length]; }"""


def open_dashboard(page: Any) -> None:
    log_in(page, STAFF, "/dashboard")
    page.wait_for_url("**/dashboard")
    page.wait_for_selector("#dashboard[data-state=ready]")


def test_every_bar_has_its_label(page: Any) -> None:
    open_dashboard(page)
    for chart in ("chart-countries", "chart-themes", "chart-gaps", "chart-clusters", "chart-years"):
        shown, labels = page.evaluate(TICKS, chart)
        assert shown == labels and labels > 0, chart
    horizontal = page.evaluate(
        "() => Chart.getChart(document.getElementById('chart-themes')).options.indexAxis"
    )
    assert horizontal == "y"
    countries = page.evaluate(
        "() => Chart.getChart(document.getElementById('chart-countries')).data.labels"
    )
    assert "France" in countries and "FR" not in countries  # names, in the reader's language
    legend = page.evaluate(
        "() => Chart.getChart(document.getElementById('chart-status')).data.labels"
    )
    assert all(label.split(": ")[1].isdigit() for label in legend)  # "open: 12"
    screenshot(page, "dashboard-readable.png")
    assert not page.errors


def test_year_range_and_downloads(page: Any) -> None:
    open_dashboard(page)
    years = page.evaluate(
        "() => Chart.getChart(document.getElementById('chart-years')).data.labels"
    )
    page.select_option("#year-from", years[2])
    shown = page.evaluate(
        "() => Chart.getChart(document.getElementById('chart-years')).data.labels"
    )
    assert shown == years[2:]
    assert (
        page.locator(".card .downloads a").count()
        == 2 * page.locator("canvas.chart-canvas").count()
    )
    with page.expect_download() as csv:
        page.locator(".card", has_text="Joint projects per year").get_by_text("CSV").click()
    text = Path(csv.value.path()).read_text(encoding="utf-8-sig")
    assert (
        text.splitlines()[0] == "Year,joint projects" and len(text.splitlines()) == len(shown) + 1
    )
    with page.expect_download() as png:
        page.locator(".card", has_text="Proposals by status").get_by_text("PNG").click()
    assert Path(png.value.path()).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert page.locator("a[href='/export/observatory.xlsx']").count() >= 1
