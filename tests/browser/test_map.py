"""The staff map and dashboard in headless Chromium, on the sample network."""

from __future__ import annotations

from typing import Any

from tests.browser.conftest import MEMBER, STAFF, log_in, screenshot

GRAPH_COUNTS = """async (f) => {
  const data = await window.accr.gql(
    'query ($f: NetworkGraphFilter) { network { graph(filter: $f) { nodes { id } edges { source } } } }',
    { f: f });
  return [data.network.graph.nodes.length, data.network.graph.edges.length];
}"""
# A drawn, clickable centre whose nearest neighbour on screen is far enough for an unambiguous
# click.
LONELIEST = """() => {
  const g = window.accrMap.graph, out = [];
  g.forEachNode((id, a) => {
    const p = window.accrMap.screenPosition(a.slug);
    // Only centres that can be clicked: not under the legend, the side panel or off screen.
    const on = document.elementFromPoint(p.x, p.y);
    if (a.degree > 0 && on && on.closest('#graph')) out.push([a.slug, p]);
  });
  let best = null, bestGap = -1;
  for (const [slug, p] of out) {
    let gap = Infinity;
    for (const [other, q] of out) if (other !== slug) gap = Math.min(gap, Math.hypot(p.x - q.x, p.y - q.y));
    if (gap > bestGap) { best = slug; bestGap = gap; }
  }
  return best;
}"""


def counts(page: Any) -> tuple[int, int]:
    graph = page.locator("#graph")
    return int(graph.get_attribute("data-node-count")), int(graph.get_attribute("data-edge-count"))


def wait_ready(page: Any) -> None:
    page.wait_for_selector("#graph[data-state=ready]")


def open_map(page: Any, path: str = "/map") -> None:
    log_in(page, STAFF, path)
    page.wait_for_url(f"**{path}")
    wait_ready(page)


def test_anonymous_visitors_are_sent_to_login(page: Any) -> None:
    for path in ("/map", "/dashboard"):
        page.goto(path)
        assert "/login?next=" in page.url
        assert page.locator("input[name=email]").is_visible()


def test_members_are_refused(page: Any) -> None:
    log_in(page, MEMBER, "/map")
    page.wait_for_url("**/map")
    assert "Only ACCR staff" in page.content()


def test_map_draws_the_sample_network(page: Any) -> None:
    open_map(page)
    assert counts(page)[0] == 44
    assert page.evaluate(GRAPH_COUNTS, {}) == list(counts(page))
    assert page.locator("#graph canvas").count() >= 2  # sigma's WebGL layers
    screenshot(page, "map.png")
    assert not page.errors


def test_year_and_theme_filters_follow_the_data(page: Any) -> None:
    open_map(page)
    _, all_edges = counts(page)
    page.eval_on_selector(
        "#year-to",
        "(e) => { e.value = 2015; e.dispatchEvent(new Event('input')); e.dispatchEvent(new Event('change')); }",
    )
    page.wait_for_function("() => location.search.includes('yearTo=2015')")
    wait_ready(page)
    expected = page.evaluate(GRAPH_COUNTS, {"yearTo": 2015})
    assert list(counts(page)) == expected
    assert expected[0] == 44 and expected[1] < all_edges  # every centre stays, fewer pairs
    page.select_option("#theme", "music")
    page.wait_for_function("() => location.search.includes('theme=music')")
    wait_ready(page)
    expected = page.evaluate(GRAPH_COUNTS, {"yearTo": 2015, "theme": "music"})
    assert list(counts(page)) == expected and 0 < expected[0] < 44
    screenshot(page, "map-filtered.png")
    # The URL keeps the filters: a shared link opens the same view.
    shared = page.url
    page.goto(shared)
    wait_ready(page)
    assert list(counts(page)) == expected
    assert page.locator("#theme").input_value() == "music"


def test_clicking_a_centre_opens_its_panel(page: Any) -> None:
    open_map(page, "/map?missing=1")
    slug = page.evaluate(LONELIEST)
    point = page.evaluate("(s) => window.accrMap.screenPosition(s)", slug)
    page.mouse.click(point["x"], point["y"])
    panel = page.locator("#panel")
    panel.locator("h3", has_text="Suggested partners").wait_for()
    assert panel.get_attribute("data-centre") == slug
    name = page.evaluate(
        "(s) => { const g = window.accrMap.graph; let n; g.forEachNode((id, a) => { if (a.slug === s) n = a.label; }); return n; }",
        slug,
    )
    assert panel.locator("h2").inner_text() == name
    assert panel.locator("ul.partners li").count() >= 1
    assert panel.locator("ol.suggestions li").count() >= 1
    assert "Missing links" in panel.inner_text()
    assert f"centre={slug}" in page.url
    assert int(page.locator("#overlay").get_attribute("data-missing-links")) > 0
    screenshot(page, "map-panel.png")


def test_geographic_layout_and_search(page: Any) -> None:
    open_map(page, "/map?layout=geo&metric=pagerank")
    assert counts(page)[0] == 44
    page.fill("#search", "Kloster Lindenau")
    page.dispatch_event("#search", "change")
    page.locator("#panel h2", has_text="Kloster Lindenau").wait_for()
    screenshot(page, "map-geo.png")


def test_dashboard_charts_render(page: Any) -> None:
    log_in(page, STAFF, "/dashboard")
    page.wait_for_url("**/dashboard")
    page.wait_for_selector("#dashboard[data-state=ready]")
    charts = page.locator("canvas.chart-canvas")
    assert charts.count() >= 6
    painted = page.evaluate(
        """() => [...document.querySelectorAll('canvas.chart-canvas')].map((c) => {
          const px = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
          let n = 0; for (let i = 3; i < px.length; i += 4) if (px[i]) n++;
          return n; })"""
    )
    assert all(n > 500 for n in painted), painted
    screenshot(page, "dashboard.png")
    assert not page.errors
