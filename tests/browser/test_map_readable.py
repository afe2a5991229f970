"""The map reads at a glance: legend, geographic basemap, focus mode, per-centre missing links."""

from __future__ import annotations

from typing import Any

from tests.browser.conftest import screenshot
from tests.browser.test_map import LONELIEST, open_map

DIMMED = """() => {
  const r = window.accrMap.renderer, g = window.accrMap.graph; let dim = 0, lit = 0;
  g.forEachNode((id) => { const d = r.getNodeDisplayData(id); if (d.color === '#e4e7eb') dim++; else lit++; });
  return [dim, lit];
}"""


def test_legend_names_clusters_and_explains_sizes(page: Any) -> None:
    open_map(page)
    legend = page.locator("#legend")
    assert legend.is_visible()
    text = legend.inner_text()
    assert "Colour: cluster" in text and "Size:" in text and "no cluster" in text
    swatches = legend.locator("ul.swatches li .swatch")
    assert swatches.count() >= 2
    # Clusters are named by their most central centres: real centre names appear.
    names = page.evaluate(
        "() => { const n = []; window.accrMap.graph.forEachNode((_, a) => n.push(a.label)); return n; }"
    )
    assert any(name in text for name in names)
    assert not page.errors


def test_geographic_layout_draws_the_basemap_fitted_to_centres(page: Any) -> None:
    open_map(page, "/map?layout=geo")
    page.wait_for_selector("#basemap[data-drawn='1']")
    assert int(page.locator("#basemap").get_attribute("data-rings")) > 100
    painted = page.evaluate(
        """() => { const c = document.getElementById('basemap');
          const px = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
          let n = 0; for (let i = 3; i < px.length; i += 4) if (px[i]) n++; return n / (px.length / 4); }"""
    )
    assert painted > 0.2  # countries fill a good part of the view
    # Fitted: the centres spread over most of the view, not a corner of it.
    box = page.evaluate(
        """() => { const g = window.accrMap.graph, xs = [], ys = [];
          g.forEachNode((_, a) => { const p = window.accrMap.screenPosition(a.slug); xs.push(p.x); ys.push(p.y); });
          return [Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)]; }"""
    )
    height = page.evaluate("() => document.getElementById('graph').clientHeight")
    assert (box[3] - box[2]) > 0.6 * height, box
    screenshot(page, "map-geo-basemap.png")
    assert not page.errors


def test_focus_mode_and_missing_links_of_the_selected_centre(page: Any) -> None:
    open_map(page)
    slug = page.evaluate(LONELIEST)
    point = page.evaluate("(s) => window.accrMap.screenPosition(s)", slug)
    page.mouse.click(point["x"], point["y"])
    panel = page.locator("#panel")
    panel.locator("h3", has_text="Missing links").wait_for()
    dim, lit = page.evaluate(DIMMED)
    degree = page.evaluate(
        "(s) => { const g = window.accrMap.graph; let d; g.forEachNode((id, a) => { if (a.slug === s) d = g.degree(id); }); return d; }",
        slug,
    )
    assert dim > 0 and lit <= degree + 1 + 5  # the centre, its partners, its missing links
    missing = int(page.locator("#overlay").get_attribute("data-missing-links"))
    assert missing == panel.locator("ul.missing li").count() and missing > 0
    assert panel.locator("ul.missing li").first.get_attribute("title")  # the reasons
    # Partner years are collapsed: "N joint projects, 2016–2024".
    assert "joint project" in panel.locator("ul.partners li").first.inner_text()
    screenshot(page, "map-focus.png")
    page.select_option("#hops", "2")
    page.wait_for_function("() => location.search.includes('hops=2')")
    _, lit2 = page.evaluate(DIMMED)
    assert lit2 > lit
    page.select_option("#hops", "0")
    assert page.evaluate(DIMMED)[0] == 0  # focus off: nothing dimmed
    assert not page.errors


def test_top_missing_links_list_without_a_selection(page: Any) -> None:
    open_map(page, "/map?missing=1")
    panel = page.locator("#panel")
    panel.locator("h2", has_text="Top 20 missing links").wait_for()
    assert panel.locator("ul.missing li").count() == 20
    assert "score" in panel.locator("ul.missing li").first.inner_text()
