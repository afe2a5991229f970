"""The map's level of detail: on a network bigger than its budgets, zoomed out, only the most
connected centres, the strongest links between them and fewer labels are drawn; zoomed in,
everything shown. The sample (44 centres) is made "big" by lowering the budgets through the
page's hook, so the same code path as on keep.eu runs."""

from __future__ import annotations

from typing import Any

from tests.browser.test_map import counts, open_map

DRAWN = "() => window.accrMap.drawn()"
DEGREES = """() => { const g = window.accrMap.graph, r = window.accrMap.renderer, on = [], off = [];
  g.forEachNode((id, a) => (r.getNodeDisplayData(id).hidden ? off : on).push(a.degree));
  return [on, off]; }"""
ZOOM = "(ratio) => window.accrMap.renderer.getCamera().setState({ ratio: ratio })"


def test_zoomed_out_a_big_network_draws_fewer_centres_links_and_labels(page: Any) -> None:
    open_map(page)
    nodes, edges = counts(page)
    whole = page.evaluate(DRAWN)
    # Within the budgets: everything is drawn.
    assert not whole["sparse"] and (whole["nodes"], whole["edges"]) == (nodes, edges)
    assert whole["labels"] > 0

    page.evaluate("() => window.accrMap.setDetail({ nodes: 12, edges: 10 })")
    out = page.evaluate(DRAWN)
    assert out["sparse"]
    assert out["nodes"] == 12 and 0 < out["edges"] <= 10
    assert 0 < out["labels"] <= out["nodes"] and out["labels"] < whole["labels"]
    # The centres kept are the most connected ones.
    on, off = page.evaluate(DEGREES)
    assert min(on) >= max(off)
    assert "Zoomed out, the 12 most connected of 44 centres" in page.locator("#legend").inner_text()

    # Zoomed in past the detail ratio, every shown centre and link is drawn again.
    page.evaluate(ZOOM, 0.3)
    page.wait_for_function(f"() => window.accrMap.drawn().nodes === {nodes}")
    near = page.evaluate(DRAWN)
    assert not near["sparse"] and (near["nodes"], near["edges"]) == (nodes, edges)
    assert "Zoomed out" not in page.locator("#legend").inner_text()

    # Back out: sparse again.
    page.evaluate(ZOOM, 1)
    page.wait_for_function("() => window.accrMap.drawn().nodes === 12")
    assert page.evaluate(DRAWN)["sparse"]
    assert not page.errors


def test_a_selected_centre_keeps_its_neighbourhood_when_zoomed_out(page: Any) -> None:
    open_map(page)
    page.evaluate("() => window.accrMap.setDetail({ nodes: 5, edges: 4 })")
    # The least connected centre that has partners: not among the 5 drawn.
    slug, name = page.evaluate(
        """() => { let best = null; window.accrMap.graph.forEachNode((id, a) => {
          if (a.degree > 0 && (!best || a.degree < best.degree)) best = a; });
          return [best.slug, best.label]; }"""
    )
    page.fill("#search", name)
    page.dispatch_event("#search", "change")
    page.locator("#panel h2", has_text=name).wait_for()
    drawn = page.evaluate(
        """(s) => { const g = window.accrMap.graph, r = window.accrMap.renderer; let id;
          g.forEachNode((n, a) => { if (a.slug === s) id = n; });
          return [!r.getNodeDisplayData(id).hidden, g.neighbors(id).every((n) => !r.getNodeDisplayData(n).hidden)]; }""",
        slug,
    )
    assert drawn == [True, True]
    assert page.evaluate(DRAWN)["sparse"]
    assert not page.errors
