/* The staff cooperation map: sigma.js (WebGL) + graphology.
 *
 * Speed: the first paint comes from /map/base.json — every centre with its position computed on
 * the server (once per network version) and every cooperating pair, one gzip-compressed download
 * — so nodes are drawn and pan/zoom responds before any analytics. The filtered graph with its
 * metrics (/map/graph.json: GraphQL's `network.graph` is over the API's cost limit on keep.eu)
 * and the clusters (GraphQL) arrive next and recolour, resize and hide nodes. No layout runs in
 * the browser.
 *
 * Readability: a legend (cluster colours named by their most central centres and shared themes,
 * sizes, lines); sigma's label grid keeps labels apart; metrics formatted and explained; partner
 * years collapsed; the geographic layout over Natural Earth country outlines (vendored
 * world-atlas TopoJSON) fitted to the centres; focus mode (1 or 2 hops around the selected
 * centre); missing links for the selected centre only, with reasons on hover, and a top-20 list.
 *
 * State lives in the URL (yearFrom, yearTo, theme, country, cluster, labelStatus, metric, layout,
 * missing, centre, hops). Test hooks: #graph data-state ("interactive" once drawn, "ready" once
 * analytics and filters are applied), data-node-count, data-edge-count (visible ones);
 * #basemap data-rings; #overlay data-missing-links; window.accrMap (graph, screenPosition(slug),
 * timings, drawn() — what is drawn now —, setDetail(budgets) — the level-of-detail budgets). */
"use strict";

(function () {
  const { gql, el, clusterColour } = window.accr;
  const Graph = window.graphology.Graph;
  const container = document.getElementById("graph");
  const overlay = document.getElementById("overlay");
  const basemap = document.getElementById("basemap");
  const panel = document.getElementById("panel");
  const legend = document.getElementById("legend");
  const tooltip = document.getElementById("tooltip");
  const statusLine = document.getElementById("status");
  const $ = (id) => document.getElementById(id);
  const timings = { start: performance.now() };
  // Every text shown comes from the page, in the reader's language (#map-texts, a JSON block).
  const T = JSON.parse(document.getElementById("map-texts").textContent);
  const plurals = new Intl.PluralRules(T.lang);
  const tr = (text, values) => text.replace(/\{(\w+)\}/g, (m, k) => (values && k in values ? String(values[k]) : m));
  const counted = (forms, n) => tr(forms[plurals.select(n)] || forms.other, { n: fmt(n) });

  const OPTIONS_QUERY = `{ themes(first: 100) { nodes { slug name } }
    countries(first: 100) { nodes { code name } }
    network { statistics { partnershipsPerYear { key } } } }`;
  const CLUSTERS_QUERY = `query ($from: Int, $to: Int) { network { clusters(yearFrom: $from, yearTo: $to) {
    clusters { id name size } } } }`;
  const TOP_MISSING_QUERY = `{ network { missingLinks(first: 20) {
    score a { id name } b { id name } reasons { text } } } }`;
  const CENTRE_QUERY = `query ($id: ID!) { node(id: $id) { ... on Centre {
    id slug name city siteType labelStatus website foundedYear country { code name } description
    themes { name } offers { level competency { name } } seeks { level competency { name } }
    partners(first: 100) { totalCount nodes { jointProjects lastYear centre { id name } } }
    partnerships(first: 100) { nodes { title startYear endYear members { centre { id } } } }
    proposals(first: 50) { nodes { id title status } }
    suggestedPartners(first: 15) { score centre { id name } reasons { text } } } } }`;

  const METRICS = T.metrics; // { key: { name, help } }
  const FILTER_KEYS = ["yearFrom", "yearTo", "theme", "country", "cluster", "labelStatus"];
  const NEUTRAL = "#7b8794";
  const state = readUrl();
  const graph = new Graph({ type: "undirected" });
  let renderer = null;
  let years = { min: null, max: null };
  let slugToId = new Map();
  let nameToId = new Map();
  let clusters = [];
  let selectedId = null; // the centre whose panel is open
  let focus = null; // { id, near: Set }: the selected centre's neighbourhood, the rest dimmed
  let tipKind = "";
  let centreMissing = []; // [{ id, name, score, reasons }] for the selected centre
  let topMissing = null;
  let rings = []; // basemap country outlines in graph coordinates (geographic layout)
  let loadToken = 0;
  let replayTimer = null;
  let analysed = false;

  function readUrl() {
    const p = new URLSearchParams(location.search);
    const s = {};
    FILTER_KEYS.forEach((k) => { s[k] = p.get(k) || ""; });
    s.metric = METRICS[p.get("metric")] ? p.get("metric") : "weightedDegree";
    s.layout = p.get("layout") === "geo" ? "geo" : "force";
    s.missing = p.get("missing") === "1";
    s.centre = p.get("centre") || "";
    s.hops = p.get("hops") === "2" ? "2" : p.get("hops") === "0" ? "0" : "1";
    return s;
  }

  function queryString(keys) {
    const p = new URLSearchParams();
    keys.forEach((k) => {
      const v = state[k];
      if (v === "" || v === false || v === null || v === undefined) return;
      if ((k === "metric" && v === "weightedDegree") || (k === "layout" && v === "force") || (k === "hops" && v === "1")) return;
      p.set(k, v === true ? "1" : v);
    });
    const text = p.toString();
    return text ? "?" + text : "";
  }

  function writeUrl() {
    history.replaceState(null, "", location.pathname + queryString([...FILTER_KEYS, "metric", "layout", "missing", "centre", "hops"]));
    const exportQuery = queryString(FILTER_KEYS);
    document.querySelectorAll(".exports a").forEach((a) => {
      a.href = `/export/network.${a.dataset.format}${exportQuery}`;
    });
  }

  function filtered() {
    return FILTER_KEYS.some((k) => state[k] !== "");
  }

  function setStatus(text, isError) {
    statusLine.textContent = text;
    statusLine.classList.toggle("error", Boolean(isError));
  }

  const number = new Intl.NumberFormat(T.lang, { maximumFractionDigits: 1 });
  const fmt = (value) => number.format(value);
  const scores = new Intl.NumberFormat(T.lang, { minimumFractionDigits: 2, maximumFractionDigits: 2 });
  const score = (value) => scores.format(value);
  const precise = new Intl.NumberFormat(T.lang, { minimumFractionDigits: 3, maximumFractionDigits: 3 });

  // ---- options ----

  function fillSelect(select, items, current) {
    const keep = select.options[0];
    select.replaceChildren(keep, ...items.map(([value, label]) => el("option", { value: value }, label)));
    select.value = current;
    if (select.value !== String(current)) select.value = "";
  }

  async function loadOptions() {
    const data = await gql(OPTIONS_QUERY);
    fillSelect($("theme"), data.themes.nodes.map((t) => [t.slug, t.name]), state.theme);
    fillSelect($("country"), data.countries.nodes.map((c) => [c.code, `${c.name} (${c.code})`]), state.country);
    const known = data.network.statistics.partnershipsPerYear.map((t) => Number(t.key));
    years = { min: Math.min(...known), max: Math.max(...known) };
    for (const input of [$("year-from"), $("year-to")]) {
      input.min = years.min;
      input.max = years.max;
      input.step = 1;
    }
    $("year-from").value = state.yearFrom || years.min;
    $("year-to").value = state.yearTo || years.max;
    showYears();
  }

  function showControls() {
    $("label-status").value = state.labelStatus;
    $("metric").value = state.metric;
    $("layout").value = state.layout;
    $("missing").checked = state.missing;
    $("hops").value = state.hops;
  }

  function showYears() {
    $("years-label").textContent = `${state.yearFrom || years.min}–${state.yearTo || years.max}`;
  }

  // ---- the base network: drawn first ----

  function mercatorY(lat) {
    const clamped = Math.max(-80, Math.min(80, lat));
    return (Math.log(Math.tan(Math.PI / 4 + (clamped * Math.PI) / 360)) * 180) / Math.PI;
  }

  async function loadBase() {
    const response = await fetch("/map/base.json", { credentials: "same-origin" });
    if (!response.ok) throw new Error(`the map data answered ${response.status}`);
    return response.json();
  }

  // Level of detail on big networks: drawing thousands of centres and tens of thousands of lines
  // is what makes a large map slow (in software WebGL every item drawn costs, on every frame) and
  // unreadable. Zoomed out (camera ratio above DETAIL_RATIO), a network of more than
  // detail.nodes shown centres or detail.edges shown links draws only the detail.nodes most
  // connected centres (most partners, then the strongest) and the detail.edges strongest links
  // between them (most joint projects, then the most recent); zoomed in, everything shown is
  // drawn; a selected centre's neighbourhood and its missing links always are. Links are also
  // hidden during camera moves. Labels follow sigma's grid (fewer cells zoomed out).
  const detail = { nodes: 2000, edges: 3000 }; // budgets; window.accrMap.setDetail changes them
  const DETAIL_RATIO = 0.35;
  let sparse = false; // a big network, seen zoomed out
  let major = new Set(); // the centres drawn zoomed out
  let strong = new Set(); // the links drawn zoomed out
  let bigNetwork = false;

  function markDetail() {
    const nodes = [], edges = [];
    graph.forEachNode((id, a) => { if (!a.filteredOut) nodes.push([id, a.degree, a.weightedDegree || 0]); });
    nodes.sort((p, q) => q[1] - p[1] || q[2] - p[2]);
    major = new Set(nodes.slice(0, detail.nodes).map((n) => n[0]));
    graph.forEachEdge((edge, a, s, t) => {
      if (!a.filteredOut && major.has(s) && major.has(t)) edges.push([edge, a.jointProjects, a.lastYear || 0]);
    });
    edges.sort((p, q) => q[1] - p[1] || q[2] - p[2]);
    strong = new Set(edges.slice(0, detail.edges).map((e) => e[0]));
    let shownEdges = 0;
    graph.forEachEdge((_, a) => { if (!a.filteredOut) shownEdges++; });
    bigNetwork = nodes.length > detail.nodes || shownEdges > detail.edges;
    sparse = bigNetwork && (!renderer || renderer.getCamera().ratio >= DETAIL_RATIO);
  }

  function onCamera(view) {
    const want = bigNetwork && view.ratio >= DETAIL_RATIO;
    if (want === sparse) return;
    sparse = want;
    requestAnimationFrame(() => { renderer.refresh(); renderLegend(); });
  }

  function buildBase(base) {
    graph.clear();
    base.nodes.forEach(([id, slug, name, country, labelStatus, x, y, lon, lat, degree]) => {
      const geo = lat === null || lon === null ? null : { x: lon, y: mercatorY(lat) };
      graph.addNode(id, {
        label: name, slug: slug, country: country, labelStatus: labelStatus, forceX: x, forceY: y,
        geoX: geo ? geo.x : null, geoY: geo ? geo.y : null, x: x, y: y, degree: degree,
        color: NEUTRAL, clusterId: null, weightedDegree: degree, pagerank: 0, betweenness: 0,
        filteredOut: false,
      });
      slugToId.set(slug, id);
      nameToId.set(name.toLowerCase(), id);
    });
    base.edges.forEach(([i, j, joint, first, last]) => {
      graph.addUndirectedEdge(base.nodes[i][0], base.nodes[j][0], {
        size: edgeSize(joint), color: "#c3cad3", jointProjects: joint, firstYear: first, lastYear: last,
        filteredOut: false,
      });
    });
    markDetail(); // the first view shows the whole network
    $("centre-names").replaceChildren(...base.nodes.slice(0, 8000).map((n) => el("option", { value: n[2] })));
  }

  function edgeSize(joint) {
    return Math.min(6, 0.5 + Math.log2(1 + joint));
  }

  function sizeScale() {
    let max = 0;
    graph.forEachNode((_, a) => { if (!a.filteredOut) max = Math.max(max, a[state.metric] || 0); });
    const small = graph.order > 1000 ? 1.5 : 3, span = graph.order > 1000 ? 9 : 14;
    return (value) => (max ? small + span * Math.sqrt(Math.max(0, value) / max) : small + 1);
  }

  function applySizes() {
    const scale = sizeScale();
    graph.forEachNode((id, a) => graph.setNodeAttribute(id, "size", scale(a[state.metric] || 0)));
  }

  function applyLayout() {
    const geo = state.layout === "geo";
    let missing = 0;
    graph.forEachNode((id, a) => {
      if (geo && a.geoX === null) missing++;
      graph.mergeNodeAttributes(id, geo ? { x: a.geoX === null ? 0 : a.geoX, y: a.geoY === null ? 0 : a.geoY } : { x: a.forceX, y: a.forceY });
    });
    if (renderer && renderer.setCustomBBox) renderer.setCustomBBox(geo ? geoExtent() : null);
    return missing;
  }

  // The centres' extent without outliers (beyond 4 interquartile ranges of the median), padded:
  // a few far-away centres (overseas regions, partners abroad) must not squeeze Europe into a
  // corner; they stay reachable by panning.
  function geoExtent() {
    const xs = [], ys = [];
    graph.forEachNode((_, a) => { if (a.geoX !== null && !a.filteredOut) { xs.push(a.geoX); ys.push(a.geoY); } });
    if (!xs.length) return null;
    const cut = (v) => {
      v.sort((p, q) => p - q);
      const at = (f) => v[Math.min(v.length - 1, Math.floor(v.length * f))];
      const iqr = Math.max(at(0.75) - at(0.25), 5), mid = at(0.5);
      const kept = v.filter((x) => Math.abs(x - mid) <= 4 * iqr);
      const lo = kept[0], hi = kept[kept.length - 1], pad = Math.max(1.5, (hi - lo) * 0.06);
      return [lo - pad, hi + pad];
    };
    return { x: cut(xs), y: cut(ys) };
  }

  function labelSettings() {
    // sigma draws at most one label per grid cell, biggest node first: no overlapping labels.
    return graph.order > 1000
      ? { labelDensity: 0.06, labelGridCellSize: 140, labelRenderedSizeThreshold: 6 }
      : { labelDensity: 0.6, labelGridCellSize: 90, labelRenderedSizeThreshold: 4 };
  }

  // Hidden items cost nothing to draw: sigma keeps every node and edge in its WebGL buffers
  // (a hidden one as an empty shape) and uploads and draws them all on every frame, which in
  // software WebGL (no GPU) costs as much as drawing them. Hidden ones get the type "hidden",
  // whose program draws nothing; the unused arrow program is not even compiled.
  class Undrawn {
    reallocate() {}
    process() {}
    render() {}
    kill() {}
  }
  const HIDDEN = { hidden: true, type: "hidden" };

  function createRenderer() {
    renderer = new window.Sigma(graph, container, Object.assign({
      zIndex: true,
      defaultEdgeType: "line",
      nodeProgramClasses: { hidden: Undrawn },
      edgeProgramClasses: { hidden: Undrawn, arrow: Undrawn },
      labelFont: "system-ui, sans-serif",
      hideEdgesOnMove: bigNetwork,
      nodeReducer: (id, attrs) => {
        if (attrs.filteredOut || (state.layout === "geo" && attrs.geoX === null)) return Object.assign({}, attrs, HIDDEN);
        if (!focus) return sparse && !major.has(id) && id !== selectedId && !centreMissing.some((m) => m.id === id) ? Object.assign({}, attrs, HIDDEN) : attrs;
        if (id === focus.id) return Object.assign({}, attrs, { highlighted: true, forceLabel: true, zIndex: 3 });
        if (focus.near.has(id)) return Object.assign({}, attrs, { forceLabel: focus.near.size <= 40, zIndex: 2 });
        if (centreMissing.some((m) => m.id === id)) return Object.assign({}, attrs, { forceLabel: true, zIndex: 2 });
        if (sparse && !major.has(id)) return Object.assign({}, attrs, HIDDEN);
        return Object.assign({}, attrs, { color: "#e4e7eb", label: "", zIndex: 0 });
      },
      edgeReducer: (edge, attrs) => {
        if (attrs.filteredOut) return Object.assign({}, attrs, HIDDEN);
        if (!focus) return sparse && !strong.has(edge) ? Object.assign({}, attrs, HIDDEN) : attrs;
        const [s, t] = graph.extremities(edge);
        const inside = (s === focus.id || focus.near.has(s)) && (t === focus.id || focus.near.has(t));
        return inside ? Object.assign({}, attrs, { color: "#4a6fa5", zIndex: 1 }) : Object.assign({}, attrs, HIDDEN);
      },
    }, labelSettings()));
    renderer.on("clickNode", ({ node }) => select(graph.getNodeAttribute(node, "slug")));
    renderer.on("clickStage", () => select(""));
    renderer.on("enterNode", ({ node, event }) => showNodeTip(node, event));
    renderer.on("leaveNode", hideTip);
    renderer.on("beforeRender", drawBasemap);
    renderer.getCamera().on("updated", onCamera);
    renderer.on("afterRender", () => {
      drawMissingLinks();
      if (!timings.firstFrame) timings.firstFrame = performance.now();
    });
  }

  // ---- basemap (geographic layout): Natural Earth countries, decoded from TopoJSON ----

  async function loadBasemap() {
    if (rings.length) return;
    const topo = await (await fetch("/static/vendor/countries-110m.json")).json();
    const [sx, sy] = topo.transform.scale, [tx, ty] = topo.transform.translate;
    const arcs = topo.arcs.map((arc) => {
      let x = 0, y = 0;
      return arc.map(([dx, dy]) => { x += dx; y += dy; return [x * sx + tx, y * sy + ty]; });
    });
    const ring = (indexes) => {
      const points = [];
      indexes.forEach((i) => {
        const arc = i < 0 ? arcs[~i].slice().reverse() : arcs[i];
        arc.forEach((p, k) => { if (k > 0 || !points.length) points.push([p[0], mercatorY(p[1])]); });
      });
      return points;
    };
    const out = [];
    topo.objects.countries.geometries.forEach((g) => {
      const polygons = g.type === "Polygon" ? [g.arcs] : g.type === "MultiPolygon" ? g.arcs : [];
      polygons.forEach((polygon) => polygon.forEach((r) => out.push(ring(r))));
    });
    rings = out;
    basemap.dataset.rings = String(rings.length);
  }

  function viewportTransform() {
    // graph -> viewport is affine while the camera is not rotated: two points give it.
    const o = renderer.graphToViewport({ x: 0, y: 0 }), u = renderer.graphToViewport({ x: 1, y: 1 });
    return { ox: o.x, oy: o.y, sx: u.x - o.x, sy: u.y - o.y };
  }

  function fitCanvas(canvas) {
    const ratio = window.devicePixelRatio || 1;
    const w = container.clientWidth, h = container.clientHeight;
    if (canvas.width !== Math.round(w * ratio) || canvas.height !== Math.round(h * ratio)) {
      canvas.width = Math.round(w * ratio);
      canvas.height = Math.round(h * ratio);
    }
    const ctx = canvas.getContext("2d");
    ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
    ctx.clearRect(0, 0, w, h);
    return ctx;
  }

  function drawBasemap() {
    const ctx = fitCanvas(basemap);
    basemap.dataset.drawn = "0";
    if (state.layout !== "geo" || !renderer || !rings.length) return;
    const t = viewportTransform();
    ctx.fillStyle = "#eef1f4";
    ctx.strokeStyle = "#c9d0d8";
    ctx.lineWidth = 0.8;
    ctx.beginPath();
    for (const r of rings) {
      r.forEach(([x, y], k) => {
        const jump = k > 0 && Math.abs(x - r[k - 1][0]) > 180; // across the antimeridian
        if (k === 0 || jump) ctx.moveTo(t.ox + x * t.sx, t.oy + y * t.sy);
        else ctx.lineTo(t.ox + x * t.sx, t.oy + y * t.sy);
      });
      ctx.closePath();
    }
    ctx.fill("evenodd");
    ctx.stroke();
    basemap.dataset.drawn = "1";
  }

  // ---- analytics and filters: after the first paint ----

  async function applyAnalytics(token) {
    // The same data as GraphQL's network.graph, from /map/graph.json: on keep.eu the query's
    // bounded cost is above the API's per-query limit (the service and filter are the same).
    const response = await fetch("/map/graph.json" + queryString(FILTER_KEYS), { credentials: "same-origin" });
    if (!response.ok) throw new Error((await response.text()) || response.statusText);
    const data = await response.json();
    if (token !== loadToken) return false;
    const shown = new Map(data.nodes.map((n) => [n.id, n]));
    graph.forEachNode((id) => {
      const n = shown.get(id);
      if (!n) return graph.mergeNodeAttributes(id, { filteredOut: true });
      graph.mergeNodeAttributes(id, {
        filteredOut: false, clusterId: n.clusterId, color: clusterColour(n.clusterId),
        weightedDegree: n.weightedDegree, pagerank: n.pagerank, betweenness: n.betweenness,
      });
    });
    const pairs = new Map(data.edges.map((e) => [e.source < e.target ? `${e.source}|${e.target}` : `${e.target}|${e.source}`, e]));
    graph.forEachEdge((edge, a, s, t) => {
      const e = pairs.get(s < t ? `${s}|${t}` : `${t}|${s}`);
      graph.mergeEdgeAttributes(edge, e ? { filteredOut: false, size: edgeSize(e.jointProjects), jointProjects: e.jointProjects, lastYear: e.lastYear } : { filteredOut: true });
    });
    container.dataset.nodeCount = String(data.nodes.length);
    container.dataset.edgeCount = String(data.edges.length);
    analysed = true;
    return true;
  }

  async function loadClusters() {
    const v = { from: state.yearFrom ? Number(state.yearFrom) : null, to: state.yearTo ? Number(state.yearTo) : null };
    const data = await gql(CLUSTERS_QUERY, v);
    clusters = data.network.clusters.clusters;
    fillSelect($("cluster"), clusters.map((c) => [String(c.id), `${c.id + 1}: ${clusterName(c)} (${c.size})`]), state.cluster);
    if ($("cluster").value !== state.cluster) state.cluster = "";
  }

  // A cluster is named after its two most central centres, then its shared themes.
  function clusterName(c) {
    const members = [];
    graph.forEachNode((id, a) => { if (a.clusterId === c.id) members.push(a); });
    members.sort((p, q) => q.pagerank - p.pagerank);
    const central = members.slice(0, 2).map((a) => a.label).join(", ");
    return central ? `${central} · ${c.name.split(" · ")[0]}` : c.name;
  }

  // Colours through the CSSOM: the page's CSP allows no inline style attributes.
  function swatch(colour) {
    const dot = el("span", { class: "swatch" });
    dot.style.background = colour;
    return dot;
  }

  function renderLegend() {
    const metric = METRICS[state.metric];
    const shownClusters = clusters.slice(0, 8);
    const open = legend.firstElementChild ? legend.firstElementChild.open : true;
    legend.replaceChildren(el("details", { open: open }, el("summary", {}, el("h2", {}, T.legend)),
      el("p", { class: "legend-title" }, T.colourTitle),
      el("ul", { class: "swatches" },
        shownClusters.map((c) => el("li", {}, swatch(clusterColour(c.id)), `${clusterName(c)} (${c.size})`)),
        clusters.length > shownClusters.length ? el("li", { class: "muted" }, tr(T.moreClusters, { n: clusters.length - shownClusters.length })) : null,
        el("li", {}, swatch(clusterColour(null)), T.noCluster)),
      el("p", { class: "legend-title" }, T.sizeTitle, " ", el("abbr", { title: metric.help }, metric.name)),
      el("p", { class: "sizes" }, el("span", { class: "dot small" }), T.less, " ", el("span", { class: "dot large" }), T.more),
      el("p", { class: "legend-title" }, T.linesTitle),
      sparse ? el("p", { class: "muted sparse-note" }, tr(T.sparseNote, { centres: fmt(major.size), totalCentres: fmt(Number(container.dataset.nodeCount)), n: fmt(strong.size), total: fmt(Number(container.dataset.edgeCount)) })) : null,
      state.missing || selectedId ? el("p", {}, el("span", { class: "dash" }), T.missingLegend) : null,
    ));
    legend.hidden = false;
  }

  // ---- hover tips ----

  function rankOf(id, key) {
    const mine = graph.getNodeAttribute(id, key);
    let higher = 0, total = 0;
    graph.forEachNode((_, a) => { if (!a.filteredOut) { total++; if (a[key] > mine) higher++; } });
    return { rank: higher + 1, total: total };
  }

  function metricLine(id, key) {
    const a = graph.getNodeAttributes(id);
    if (!analysed) return counted(T.partners, a.degree);
    const { rank, total } = rankOf(id, key);
    const value = key === "weightedDegree" ? fmt(a[key]) : precise.format(a[key]);
    return tr(T.metricLine, { name: METRICS[key].name, value: value, rank: fmt(rank), total: fmt(total) });
  }

  function placeTip(event, lines, kind) {
    tipKind = kind;
    tooltip.replaceChildren(...lines.map((line, i) => (i === 0 ? el("strong", {}, line) : el("div", {}, line))));
    tooltip.hidden = false;
    const box = container.getBoundingClientRect();
    tooltip.style.left = `${Math.min(event.x + 14, box.width - 280)}px`;
    tooltip.style.top = `${event.y + 14}px`;
  }

  function showNodeTip(id, event) {
    const a = graph.getNodeAttributes(id);
    placeTip(event, [a.label, `${a.country} · ${T.labelStatus[a.labelStatus] || a.labelStatus} · ${counted(T.partners, a.degree)}`, metricLine(id, state.metric)], "node");
  }

  function hideTip() {
    tooltip.hidden = true;
  }

  // ---- missing links: the selected centre's, dashed, reasons on hover ----

  function missingSegments() {
    if (!renderer || !selectedId) return [];
    const from = graph.getNodeAttributes(selectedId);
    return centreMissing.filter((m) => graph.hasNode(m.id)).map((m) => ({
      link: m, a: renderer.graphToViewport(from), b: renderer.graphToViewport(graph.getNodeAttributes(m.id)),
    }));
  }

  function drawMissingLinks() {
    const ctx = fitCanvas(overlay);
    const segments = missingSegments();
    ctx.setLineDash([6, 5]);
    ctx.strokeStyle = "#d62728";
    segments.forEach(({ link, a, b }) => {
      ctx.lineWidth = 1 + 2 * link.score;
      ctx.beginPath();
      ctx.moveTo(a.x, a.y);
      ctx.lineTo(b.x, b.y);
      ctx.stroke();
    });
    overlay.dataset.missingLinks = String(segments.length);
  }

  function distanceToSegment(p, a, b) {
    const dx = b.x - a.x, dy = b.y - a.y, len = dx * dx + dy * dy || 1;
    const t = Math.max(0, Math.min(1, ((p.x - a.x) * dx + (p.y - a.y) * dy) / len));
    return Math.hypot(p.x - (a.x + t * dx), p.y - (a.y + t * dy));
  }

  function onMouseMove(event) {
    if (!selectedId || !centreMissing.length) return;
    const box = container.getBoundingClientRect();
    const p = { x: event.clientX - box.left, y: event.clientY - box.top };
    const near = missingSegments().find((s) => distanceToSegment(p, s.a, s.b) < 5);
    if (near) placeTip(p, [tr(T.missingLinkTip, { name: near.link.name }), tr(T.score, { score: score(near.link.score) }), ...near.link.reasons.slice(0, 3)], "link");
    else if (tipKind === "link") hideTip();
  }

  // ---- loading ----

  async function reload(options) {
    const token = ++loadToken;
    container.dataset.state = analysed ? "loading" : container.dataset.state;
    setStatus(T.loading);
    writeUrl();
    showYears();
    try {
      const ok = await applyAnalytics(token);
      if (!ok) return;
      if (!(options && options.keepClusters)) await loadClusters();
      if (token !== loadToken) return;
      markDetail(); // among the centres and links the filters keep
      renderer.setSetting("hideEdgesOnMove", bigNetwork);
      applySizes();
      const missingCoords = applyLayout();
      renderLegend();
      renderer.refresh();
      const hiddenGeo = state.layout === "geo" && missingCoords ? tr(T.withoutCoordinates, { n: fmt(missingCoords) }) : "";
      setStatus(tr(T.status, { centres: fmt(Number(container.dataset.nodeCount)), pairs: fmt(Number(container.dataset.edgeCount)) }) + hiddenGeo);
      setSelection(state.centre);
      if (state.centre) await showPanel(state.centre);
      else if (state.missing) await showTopMissing();
      container.dataset.state = "ready";
      timings.ready = timings.ready || performance.now();
    } catch (error) {
      setStatus(tr(T.networkFailed, { error: error.message }), true);
      container.dataset.state = "error";
    }
  }

  async function start() {
    showControls();
    const options = loadOptions();
    const base = await loadBase();
    timings.baseLoaded = performance.now();
    buildBase(base);
    timings.built = performance.now();
    if (state.layout === "geo") await loadBasemap();
    applySizes();
    applyLayout();
    createRenderer(); // sigma processes the graph and draws the first frame
    timings.firstFrame = timings.firstFrame || performance.now();
    if (state.layout === "geo") {
      renderer.setCustomBBox(geoExtent()); // needs the renderer
      renderer.refresh();
    }
    container.dataset.nodeCount = String(graph.order);
    container.dataset.edgeCount = String(graph.size);
    container.dataset.state = "interactive";
    timings.interactive = performance.now();
    setStatus(tr(T.status, { centres: fmt(graph.order), pairs: fmt(graph.size) }) + T.loadingAnalytics);
    await options;
    await reload();
  }

  // ---- side panel ----

  function hopsAround(id) {
    const near = new Set(graph.neighbors(id).filter((n) => !graph.getNodeAttribute(n, "filteredOut")));
    if (state.hops === "2") [...near].forEach((n) => graph.neighbors(n).forEach((m) => { if (m !== id) near.add(m); }));
    return near;
  }

  function setSelection(slug) {
    state.centre = slug || "";
    selectedId = slug ? slugToId.get(slug) || null : null;
    focus = selectedId && state.hops !== "0" ? { id: selectedId, near: hopsAround(selectedId) } : null;
  }

  function select(slug) {
    setSelection(slug);
    centreMissing = [];
    writeUrl();
    if (renderer) renderer.refresh();
    if (!slug) {
      if (state.missing) return showTopMissing();
      panel.hidden = true;
      panel.replaceChildren();
      return;
    }
    showPanel(slug);
  }

  function centreLink(centre) {
    const id = centre.id;
    if (!graph.hasNode(id)) return el("span", {}, centre.name);
    return el("button", { type: "button", class: "link", onclick: () => select(graph.getNodeAttribute(id, "slug")) }, centre.name);
  }

  // "5 joint projects, 2016–2024" per partner instead of every year listed.
  function partnerSpans(c) {
    const out = new Map();
    c.partnerships.nodes.forEach((p) => {
      p.members.forEach((m) => {
        if (m.centre.id === c.id) return;
        const span = out.get(m.centre.id) || { first: null, last: null };
        for (const y of [p.startYear, p.endYear]) {
          if (y === null || y === undefined) continue;
          span.first = span.first === null ? y : Math.min(span.first, y);
          span.last = span.last === null ? y : Math.max(span.last, y);
        }
        out.set(m.centre.id, span);
      });
    });
    return out;
  }

  function partnerText(p, span) {
    const n = p.jointProjects;
    const years = span && span.first !== null ? (span.first === span.last ? `, ${span.first}` : `, ${span.first}–${span.last}`) : p.lastYear ? `, ${tr(T.lastIn, { year: p.lastYear })}` : "";
    return ` — ${counted(T.jointProjects, n)}${years}`;
  }

  function metricItem(id, key) {
    return el("li", { title: METRICS[key].help }, metricLine(id, key), " ", el("abbr", { title: METRICS[key].help, class: "info" }, "ⓘ"));
  }

  function missingList(items, idOf) {
    return items.length
      ? el("ul", { class: "missing" }, items.map((m) => el("li", { title: m.reasons.join("\n") }, idOf(m), ` — ${tr(T.score, { score: score(m.score) })}`,
          el("div", { class: "reasons" }, m.reasons.slice(0, 2).join("; ")))))
      : el("p", { class: "muted" }, T.missingNone);
  }

  async function showPanel(slug) {
    const id = slugToId.get(slug);
    if (!id) return;
    panel.hidden = false;
    panel.dataset.centre = slug;
    panel.replaceChildren(el("p", { class: "muted" }, T.loading));
    let c;
    try {
      c = (await gql(CENTRE_QUERY, { id: id })).node;
    } catch (error) {
      panel.replaceChildren(el("p", { class: "error" }, error.message));
      return;
    }
    if (state.centre !== slug) return;
    const a = graph.getNodeAttributes(id);
    const spans = partnerSpans(c);
    const partnerIds = new Set(c.partners.nodes.map((p) => p.centre.id));
    centreMissing = c.suggestedPartners.filter((s) => !partnerIds.has(s.centre.id) && s.centre.id !== id).slice(0, 5)
      .map((s) => ({ id: s.centre.id, name: s.centre.name, score: s.score, reasons: s.reasons.map((r) => r.text) }));
    const open = c.proposals.nodes.filter((p) => p.status === "OPEN" || p.status === "IN_DISCUSSION");
    const cluster = clusters.find((k) => k.id === a.clusterId);
    panel.replaceChildren(
      el("button", { type: "button", class: "close", "aria-label": T.close, onclick: () => select("") }, "×"),
      el("h2", {}, c.name),
      el("p", { class: "muted" }, [c.city, c.country.name].filter(Boolean).join(", "),
        ` · ${T.labelStatus[c.labelStatus] || c.labelStatus}`, c.siteType ? ` · ${c.siteType}` : "", c.foundedYear ? ` · ${tr(T.founded, { year: c.foundedYear })}` : ""),
      c.website ? el("p", {}, el("a", { href: c.website, rel: "noopener", target: "_blank" }, c.website)) : null,
      el("p", {}, c.description),
      el("h3", {}, T.inNetwork),
      el("ul", { class: "metrics" },
        el("li", {}, tr(T.cluster, { name: cluster ? clusterName(cluster) : T.none })),
        ["weightedDegree", "pagerank", "betweenness"].map((k) => metricItem(id, k))),
      el("p", {}, el("strong", {}, T.themes + " "), c.themes.map((t) => t.name).join(", ") || "–"),
      el("p", {}, el("strong", {}, T.offers + " "), c.offers.map((o) => o.competency.name).join(", ") || "–"),
      el("p", {}, el("strong", {}, T.seeks + " "), c.seeks.map((o) => o.competency.name).join(", ") || "–"),
      el("h3", {}, tr(T.partnersTitle, { n: fmt(c.partners.totalCount) })),
      c.partners.nodes.length
        ? el("ul", { class: "partners" }, c.partners.nodes.map((p) => el("li", {}, centreLink(p.centre), partnerText(p, spans.get(p.centre.id)))))
        : el("p", { class: "muted" }, T.noPartnership),
      el("h3", {}, tr(T.openProposals, { n: fmt(open.length) })),
      open.length ? el("ul", {}, open.map((p) => el("li", {}, p.title, el("span", { class: "muted" }, ` (${T.proposalStatus[p.status] || p.status})`))))
        : el("p", { class: "muted" }, T.noneYet),
      el("h3", {}, T.suggested),
      el("ol", { class: "suggestions" }, c.suggestedPartners.slice(0, 5).map((s) => el("li", {}, centreLink(s.centre),
        ` — ${tr(T.score, { score: score(s.score) })}`, el("div", { class: "reasons" }, s.reasons.slice(0, 3).map((r) => r.text).join("; "))))),
      el("h3", {}, tr(T.missingLinks, { n: fmt(centreMissing.length) })),
      el("p", { class: "muted" }, T.missingExplain),
      missingList(centreMissing, (m) => centreLink({ id: m.id, name: m.name })),
    );
    renderLegend();
    renderer.refresh();
    const d = renderer.getNodeDisplayData(id);
    if (d) renderer.getCamera().animate({ x: d.x, y: d.y }, { duration: 300 });
  }

  async function showTopMissing() {
    panel.hidden = false;
    panel.dataset.centre = "";
    if (!topMissing) {
      panel.replaceChildren(el("p", { class: "muted" }, T.loadingTop));
      topMissing = (await gql(TOP_MISSING_QUERY)).network.missingLinks;
    }
    if (state.centre) return;
    const items = topMissing.map((l) => ({ a: l.a, b: l.b, score: l.score, reasons: l.reasons.map((r) => r.text) }));
    panel.replaceChildren(
      el("button", { type: "button", class: "close", "aria-label": T.close, onclick: () => { state.missing = false; $("missing").checked = false; select(""); } }, "×"),
      el("h2", {}, T.topTitle),
      el("p", { class: "muted" }, T.topExplain),
      missingList(items, (m) => el("span", {}, centreLink(m.a), " ↔ ", centreLink(m.b))),
    );
  }

  // ---- controls ----

  function onFilter(key, value) {
    state[key] = value;
    if (key === "cluster") return reload({ keepClusters: true });
    return reload();
  }

  function readYears() {
    let from = Number($("year-from").value), to = Number($("year-to").value);
    if (from > to) [from, to] = [to, from];
    state.yearFrom = from === years.min ? "" : String(from);
    state.yearTo = to === years.max ? "" : String(to);
    showYears();
  }

  function replay() {
    if (replayTimer) {
      clearTimeout(replayTimer);
      replayTimer = null;
      $("replay").textContent = T.replay;
      return;
    }
    $("replay").textContent = T.stop;
    let year = Number($("year-from").value);
    const tick = async () => {
      $("year-to").value = year;
      readYears();
      await reload({ keepClusters: true });
      year++;
      if (year <= years.max && replayTimer) replayTimer = setTimeout(tick, 600);
      else { replayTimer = null; $("replay").textContent = T.replay; }
    };
    replayTimer = setTimeout(tick, 0);
  }

  function bind() {
    $("filters").addEventListener("submit", (e) => e.preventDefault());
    $("year-from").addEventListener("input", readYears);
    $("year-to").addEventListener("input", readYears);
    $("year-from").addEventListener("change", () => reload());
    $("year-to").addEventListener("change", () => reload());
    $("replay").addEventListener("click", replay);
    $("theme").addEventListener("change", (e) => onFilter("theme", e.target.value));
    $("country").addEventListener("change", (e) => onFilter("country", e.target.value));
    $("cluster").addEventListener("change", (e) => onFilter("cluster", e.target.value));
    $("label-status").addEventListener("change", (e) => onFilter("labelStatus", e.target.value));
    $("metric").addEventListener("change", (e) => {
      state.metric = e.target.value;
      applySizes();
      renderLegend();
      writeUrl();
    });
    $("layout").addEventListener("change", async (e) => {
      state.layout = e.target.value;
      writeUrl();
      if (state.layout === "geo") await loadBasemap();
      applyLayout();
      renderer.getCamera().setState({ x: 0.5, y: 0.5, ratio: 1, angle: 0 });
      renderer.refresh();
    });
    $("hops").addEventListener("change", (e) => {
      state.hops = e.target.value;
      select(state.centre);
    });
    $("missing").addEventListener("change", (e) => {
      state.missing = e.target.checked;
      writeUrl();
      renderLegend();
      if (!state.centre) select("");
      drawMissingLinks();
    });
    $("search").addEventListener("change", (e) => {
      const id = nameToId.get(e.target.value.trim().toLowerCase());
      if (id) select(graph.getNodeAttribute(id, "slug"));
      else setStatus(tr(T.noCentreNamed, { name: e.target.value }));
    });
    container.addEventListener("mousemove", onMouseMove);
    window.addEventListener("resize", () => renderer && renderer.refresh());
  }

  // What is drawn now: shown items that sigma draws (not hidden) and the labels on screen.
  function drawn() {
    let nodes = 0, edges = 0;
    graph.forEachNode((id) => { const d = renderer.getNodeDisplayData(id); if (d && !d.hidden) nodes++; });
    graph.forEachEdge((id) => { const d = renderer.getEdgeDisplayData(id); if (d && !d.hidden) edges++; });
    return { nodes: nodes, edges: edges, labels: renderer.getNodeDisplayedLabels().size, sparse: sparse };
  }

  // Test and automation hook (also handy from the console).
  window.accrMap = {
    graph: graph,
    timings: timings,
    get renderer() { return renderer; },
    drawn: drawn,
    // Level-of-detail budgets (centres, links drawn zoomed out): lowered by a test to exercise
    // the big-network path on a small network.
    setDetail(budget) {
      Object.assign(detail, budget);
      markDetail();
      renderer.setSetting("hideEdgesOnMove", bigNetwork);
      renderer.refresh();
      renderLegend();
    },
    screenPosition(slug) {
      const id = slugToId.get(slug);
      if (!id || !renderer) return null;
      const p = renderer.graphToViewport(graph.getNodeAttributes(id));
      const box = container.getBoundingClientRect();
      return { x: box.left + p.x, y: box.top + p.y };
    },
  };

  bind();
  start().catch((error) => {
    setStatus(tr(T.mapFailed, { error: error.message }), true);
    container.dataset.state = "error";
  });
})();
