/* The staff cooperation map: sigma.js (WebGL) + graphology, data from the public GraphQL API.
 *
 * State lives in the URL query string (yearFrom, yearTo, theme, country, cluster, labelStatus,
 * metric, layout, missing, centre), so a view can be shared. The force layout is ForceAtlas2 run
 * for a bounded number of iterations, a few per animation frame, so the page stays responsive on
 * large networks (keep-eu: ~7,000 centres). Test hooks: #graph carries data-state ("ready" when
 * drawn and laid out), data-node-count and data-edge-count; window.accrMap.screenPosition(slug)
 * gives a centre's position in page pixels. */
"use strict";

(function () {
  const { gql, el, clusterColour } = window.accr;
  const Graph = window.graphology.Graph;
  const container = document.getElementById("graph");
  const overlay = document.getElementById("overlay");
  const panel = document.getElementById("panel");
  const statusLine = document.getElementById("status");
  const $ = (id) => document.getElementById(id);

  const GRAPH_QUERY = `query ($f: NetworkGraphFilter) { network { graph(filter: $f) {
    nodes { id clusterId degree weightedDegree pagerank betweenness
            centre { slug name country { code } latitude longitude labelStatus } }
    edges { source target jointProjects lastYear } } } }`;
  const OPTIONS_QUERY = `{ themes(first: 100) { nodes { slug name } }
    countries(first: 100) { nodes { code name } }
    network { statistics { partnershipsPerYear { key } }
              missingLinks(first: 50) { score a { id name } b { id name } reasons { text } } } }`;
  const CLUSTERS_QUERY = `query ($from: Int, $to: Int) { network { clusters(yearFrom: $from, yearTo: $to) {
    clusters { id name size } } } }`;
  const CENTRE_QUERY = `query ($id: ID!) { node(id: $id) { ... on Centre {
    id slug name city siteType labelStatus website foundedYear country { code name } description
    themes { name } offers { level competency { name } } seeks { level competency { name } }
    partners(first: 100) { totalCount nodes { jointProjects lastYear centre { id name } } }
    partnerships(first: 100) { nodes { title startYear endYear members { centre { id } } } }
    proposals(first: 50) { nodes { id title status } }
    suggestedPartners(first: 5) { score centre { id name } reasons { text } } } } }`;

  const FILTER_KEYS = ["yearFrom", "yearTo", "theme", "country", "cluster", "labelStatus"];
  const state = readUrl();
  const graph = new Graph({ type: "undirected" });
  const positions = new Map(); // node id -> {x, y} of the force layout, kept across filters
  let renderer = null;
  let years = { min: null, max: null };
  let missingLinks = [];
  let slugToId = new Map();
  let nameToId = new Map();
  let loadToken = 0;
  let replayTimer = null;

  function readUrl() {
    const p = new URLSearchParams(location.search);
    const s = {};
    FILTER_KEYS.forEach((k) => { s[k] = p.get(k) || ""; });
    s.metric = p.get("metric") || "weightedDegree";
    s.layout = p.get("layout") || "force";
    s.missing = p.get("missing") === "1";
    s.centre = p.get("centre") || "";
    return s;
  }

  function queryString(keys) {
    const p = new URLSearchParams();
    keys.forEach((k) => {
      const v = state[k];
      if (v === "" || v === false || v === null || v === undefined) return;
      if (k === "metric" && v === "weightedDegree") return;
      if (k === "layout" && v === "force") return;
      p.set(k, v === true ? "1" : v);
    });
    const text = p.toString();
    return text ? "?" + text : "";
  }

  function writeUrl() {
    const keys = [...FILTER_KEYS, "metric", "layout", "missing", "centre"];
    history.replaceState(null, "", location.pathname + queryString(keys));
    const exportQuery = queryString(FILTER_KEYS);
    document.querySelectorAll(".exports a").forEach((a) => {
      a.href = `/export/network.${a.dataset.format}${exportQuery}`;
    });
  }

  function filterVariables() {
    const f = {};
    if (state.yearFrom) f.yearFrom = Number(state.yearFrom);
    if (state.yearTo) f.yearTo = Number(state.yearTo);
    if (state.theme) f.theme = state.theme;
    if (state.country) f.country = state.country;
    if (state.cluster !== "") f.cluster = Number(state.cluster);
    if (state.labelStatus) f.labelStatus = state.labelStatus;
    return f;
  }

  function setStatus(text, isError) {
    statusLine.textContent = text;
    statusLine.classList.toggle("error", Boolean(isError));
  }

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
    missingLinks = data.network.missingLinks;
    for (const input of [$("year-from"), $("year-to")]) {
      input.min = years.min;
      input.max = years.max;
      input.step = 1;
    }
    $("year-from").value = state.yearFrom || years.min;
    $("year-to").value = state.yearTo || years.max;
    $("label-status").value = state.labelStatus;
    $("metric").value = state.metric;
    $("layout").value = state.layout;
    $("missing").checked = state.missing;
    showYears();
  }

  async function loadClusters() {
    const v = { from: state.yearFrom ? Number(state.yearFrom) : null, to: state.yearTo ? Number(state.yearTo) : null };
    const data = await gql(CLUSTERS_QUERY, v);
    const items = data.network.clusters.clusters.map((c) => [String(c.id), `${c.id}: ${c.name} (${c.size})`]);
    fillSelect($("cluster"), items, state.cluster);
    if ($("cluster").value !== state.cluster) state.cluster = "";
  }

  function showYears() {
    const from = state.yearFrom || years.min;
    const to = state.yearTo || years.max;
    $("years-label").textContent = `${from}–${to}`;
  }

  // ---- graph ----

  function mercatorY(lat) {
    const clamped = Math.max(-80, Math.min(80, lat));
    return (Math.log(Math.tan(Math.PI / 4 + (clamped * Math.PI) / 360)) * 180) / Math.PI;
  }

  function hashUnit(text, salt) {
    let h = 2166136261 ^ salt;
    for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619);
    return ((h >>> 0) % 100000) / 100000;
  }

  function geoPosition(node, index) {
    const c = node.centre;
    if (c.latitude === null || c.longitude === null) {
      // No coordinates: a row under the map, so they stay visible and clickable.
      return { x: -25 + (index % 40) * 2, y: mercatorY(30) - 4 - Math.floor(index / 40) * 2 };
    }
    return { x: c.longitude, y: mercatorY(c.latitude) };
  }

  function metricSize(value, max) {
    if (!max) return 4;
    return 3 + 14 * Math.sqrt(Math.max(0, value) / max);
  }

  function applySizes() {
    let max = 0;
    graph.forEachNode((_, a) => { max = Math.max(max, a[state.metric] || 0); });
    graph.forEachNode((id, a) => graph.setNodeAttribute(id, "size", metricSize(a[state.metric] || 0, max)));
  }

  function buildGraph(data) {
    const sameNodes = data.nodes.length === graph.order && data.nodes.every((n) => graph.hasNode(n.id));
    graph.clear();
    slugToId = new Map();
    nameToId = new Map();
    data.nodes.forEach((n, i) => {
      const geo = geoPosition(n, i);
      const start = positions.get(n.id) || { x: geo.x + hashUnit(n.id, 1), y: geo.y + hashUnit(n.id, 2) };
      const at = state.layout === "geo" ? geo : start;
      graph.addNode(n.id, {
        label: n.centre.name, slug: n.centre.slug, x: at.x, y: at.y, geoX: geo.x, geoY: geo.y,
        color: clusterColour(n.clusterId), clusterId: n.clusterId, country: n.centre.country.code,
        labelStatus: n.centre.labelStatus, degree: n.degree, weightedDegree: n.weightedDegree,
        pagerank: n.pagerank, betweenness: n.betweenness,
      });
      slugToId.set(n.centre.slug, n.id);
      nameToId.set(n.centre.name.toLowerCase(), n.id);
    });
    data.edges.forEach((e) => {
      graph.addUndirectedEdge(e.source, e.target, {
        size: Math.min(8, 0.6 + Math.log2(1 + e.jointProjects) * 1.4),
        color: "#b9c2cc", jointProjects: e.jointProjects, lastYear: e.lastYear,
      });
    });
    applySizes();
    fillNames(data.nodes);
    container.dataset.nodeCount = String(graph.order);
    container.dataset.edgeCount = String(graph.size);
    return sameNodes;
  }

  function fillNames(nodes) {
    const list = $("centre-names");
    list.replaceChildren(...nodes.slice(0, 8000).map((n) => el("option", { value: n.centre.name })));
  }

  function iterationBudget(n) {
    if (n <= 500) return 400;
    if (n <= 3000) return 150;
    return 60;
  }

  // ForceAtlas2 for a bounded number of iterations, a chunk per frame (cancelled by a new load).
  function runForceLayout(token) {
    return new Promise((resolve) => {
      const n = graph.order;
      if (n === 0 || state.layout !== "force") return resolve();
      const settings = Object.assign(window.forceAtlas2.inferSettings(graph), {
        barnesHutOptimize: n > 800, gravity: 1, strongGravityMode: true, adjustSizes: false,
      });
      let left = iterationBudget(n);
      const chunk = n > 800 ? 20 : 25; // each chunk costs a redraw; few, larger chunks on big graphs
      function step() {
        if (token !== loadToken) return resolve();
        window.forceAtlas2.assign(graph, { iterations: Math.min(chunk, left), settings: settings });
        left -= chunk;
        if (left > 0) requestAnimationFrame(step);
        else {
          graph.forEachNode((id, a) => positions.set(id, { x: a.x, y: a.y }));
          resolve();
        }
      }
      requestAnimationFrame(step);
    });
  }

  function applyLayout() {
    if (state.layout === "geo") {
      graph.forEachNode((id, a) => graph.mergeNodeAttributes(id, { x: a.geoX, y: a.geoY }));
    } else {
      graph.forEachNode((id) => {
        const p = positions.get(id);
        if (p) graph.mergeNodeAttributes(id, p);
      });
    }
  }

  function neighbourhood() {
    const id = state.centre ? slugToId.get(state.centre) : null;
    if (!id || !graph.hasNode(id)) return null;
    return { id: id, near: new Set(graph.neighbors(id)) };
  }

  function createRenderer() {
    renderer = new window.Sigma(graph, container, {
      labelRenderedSizeThreshold: 7,
      labelDensity: 0.5,
      zIndex: true,
      defaultEdgeType: "line",
      nodeReducer: (id, attrs) => {
        const focus = neighbourhood();
        if (!focus) return attrs;
        if (id === focus.id) return Object.assign({}, attrs, { highlighted: true, forceLabel: true, zIndex: 2 });
        if (focus.near.has(id)) return Object.assign({}, attrs, { forceLabel: true, zIndex: 1 });
        return Object.assign({}, attrs, { color: "#dcdcdc", label: "", zIndex: 0 });
      },
      edgeReducer: (edge, attrs) => {
        const focus = neighbourhood();
        if (!focus) return attrs;
        return graph.hasExtremity(edge, focus.id)
          ? Object.assign({}, attrs, { color: "#4a6fa5", zIndex: 1 })
          : Object.assign({}, attrs, { color: "#eeeeee" });
      },
    });
    renderer.on("clickNode", ({ node }) => select(graph.getNodeAttribute(node, "slug")));
    renderer.on("clickStage", () => select(""));
    renderer.on("afterRender", drawMissingLinks);
  }

  // ---- missing links overlay (dashed), drawn on a canvas above sigma's ----

  function drawMissingLinks() {
    const ratio = window.devicePixelRatio || 1;
    const w = container.clientWidth, h = container.clientHeight;
    if (overlay.width !== Math.round(w * ratio) || overlay.height !== Math.round(h * ratio)) {
      overlay.width = Math.round(w * ratio);
      overlay.height = Math.round(h * ratio);
    }
    const ctx = overlay.getContext("2d");
    ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
    ctx.clearRect(0, 0, w, h);
    if (!state.missing || !renderer) return;
    ctx.setLineDash([6, 5]);
    ctx.strokeStyle = "#d62728";
    let drawn = 0;
    for (const link of missingLinks) {
      if (!graph.hasNode(link.a.id) || !graph.hasNode(link.b.id)) continue;
      const a = renderer.graphToViewport(graph.getNodeAttributes(link.a.id));
      const b = renderer.graphToViewport(graph.getNodeAttributes(link.b.id));
      ctx.lineWidth = 1 + 2 * link.score;
      ctx.beginPath();
      ctx.moveTo(a.x, a.y);
      ctx.lineTo(b.x, b.y);
      ctx.stroke();
      drawn++;
    }
    overlay.dataset.missingLinks = String(drawn);
  }

  // ---- loading ----

  async function reload(options) {
    const token = ++loadToken;
    container.dataset.state = "loading";
    setStatus("Loading…");
    writeUrl();
    try {
      if (!options || !options.keepClusters) await loadClusters();
      const data = (await gql(GRAPH_QUERY, { f: filterVariables() })).network.graph;
      if (token !== loadToken) return;
      const sameNodes = buildGraph(data);
      if (!renderer) createRenderer();
      const replaying = Boolean(options && options.replay);
      if (!(sameNodes && positions.size) && !replaying) {
        applyLayout();
        await runForceLayout(token);
      } else {
        applyLayout();
      }
      if (token !== loadToken) return;
      renderer.refresh();
      setStatus(`${graph.order} centres, ${graph.size} cooperating pairs`);
      if (state.centre) await showPanel(state.centre);
      container.dataset.state = "ready";
    } catch (error) {
      setStatus(`Could not load the network: ${error.message}`, true);
      container.dataset.state = "error";
    }
  }

  // ---- side panel ----

  function select(slug) {
    state.centre = slug || "";
    writeUrl();
    if (renderer) renderer.refresh();
    if (!slug) {
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

  function partnerYears(c) {
    const out = new Map();
    c.partnerships.nodes.forEach((p) => {
      const span = p.startYear && p.endYear && p.endYear !== p.startYear ? `${p.startYear}–${p.endYear}` : String(p.startYear || p.endYear || "undated");
      p.members.forEach((m) => {
        if (m.centre.id === c.id) return;
        if (!out.has(m.centre.id)) out.set(m.centre.id, []);
        out.get(m.centre.id).push(span);
      });
    });
    return out;
  }

  async function showPanel(slug) {
    const id = slugToId.get(slug);
    if (!id) return;
    panel.hidden = false;
    panel.dataset.centre = slug;
    panel.replaceChildren(el("p", { class: "muted" }, "Loading…"));
    let c;
    try {
      c = (await gql(CENTRE_QUERY, { id: id })).node;
    } catch (error) {
      panel.replaceChildren(el("p", { class: "error" }, error.message));
      return;
    }
    if (state.centre !== slug) return;
    const a = graph.getNodeAttributes(id);
    const years = partnerYears(c);
    const open = c.proposals.nodes.filter((p) => p.status === "OPEN" || p.status === "IN_DISCUSSION");
    const missing = missingLinks.filter((l) => l.a.id === id || l.b.id === id);
    panel.replaceChildren(
      el("button", { type: "button", class: "close", "aria-label": "Close", onclick: () => select("") }, "×"),
      el("h2", {}, c.name),
      el("p", { class: "muted" }, [c.city, c.country.name].filter(Boolean).join(", "),
        ` · ${c.labelStatus.toLowerCase()}`, c.siteType ? ` · ${c.siteType}` : "", c.foundedYear ? ` · founded ${c.foundedYear}` : ""),
      c.website ? el("p", {}, el("a", { href: c.website, rel: "noopener", target: "_blank" }, c.website)) : null,
      el("p", {}, c.description),
      el("p", { class: "muted" }, `Cluster ${a.clusterId === null ? "–" : a.clusterId} · weighted degree ${a.weightedDegree} · PageRank ${a.pagerank.toFixed(4)} · betweenness ${a.betweenness.toFixed(4)}`),
      el("p", {}, el("strong", {}, "Themes: "), c.themes.map((t) => t.name).join(", ") || "–"),
      el("p", {}, el("strong", {}, "Offers: "), c.offers.map((o) => o.competency.name).join(", ") || "–"),
      el("p", {}, el("strong", {}, "Seeks: "), c.seeks.map((o) => o.competency.name).join(", ") || "–"),
      el("h3", {}, `Partners (${c.partners.totalCount})`),
      c.partners.nodes.length
        ? el("ul", { class: "partners" }, c.partners.nodes.map((p) => el("li", {}, centreLink(p.centre),
            ` — ${p.jointProjects} joint project${p.jointProjects === 1 ? "" : "s"}`,
            el("span", { class: "muted" }, ` (${(years.get(p.centre.id) || [p.lastYear]).join(", ")})`))))
        : el("p", { class: "muted" }, "No partnership yet."),
      el("h3", {}, `Open proposals (${open.length})`),
      open.length ? el("ul", {}, open.map((p) => el("li", {}, p.title, el("span", { class: "muted" }, ` (${p.status.toLowerCase().replace("_", " ")})`))))
        : el("p", { class: "muted" }, "None."),
      el("h3", {}, "Suggested partners"),
      el("ol", { class: "suggestions" }, c.suggestedPartners.map((s) => el("li", {}, centreLink(s.centre),
        ` — score ${s.score.toFixed(2)}`, el("div", { class: "reasons" }, s.reasons.slice(0, 3).map((r) => r.text).join("; "))))),
      el("h3", {}, `Missing links (${missing.length})`),
      missing.length ? el("ul", {}, missing.map((l) => el("li", {}, centreLink(l.a.id === id ? l.b : l.a),
        ` — score ${l.score.toFixed(2)}`, el("div", { class: "reasons" }, l.reasons.slice(0, 2).map((r) => r.text).join("; ")))))
        : el("p", { class: "muted" }, "None among the strongest suggested pairs."),
    );
    if (renderer && graph.hasNode(id)) {
      const d = renderer.getNodeDisplayData(id);
      if (d) renderer.getCamera().animate({ x: d.x, y: d.y }, { duration: 300 });
    }
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
      $("replay").textContent = "▶ Replay";
      return;
    }
    $("replay").textContent = "■ Stop";
    let year = Number($("year-from").value);
    const tick = async () => {
      $("year-to").value = year;
      readYears();
      await reload({ replay: true, keepClusters: true });
      year++;
      if (year <= years.max && replayTimer) replayTimer = setTimeout(tick, 600);
      else { replayTimer = null; $("replay").textContent = "▶ Replay"; }
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
      writeUrl();
    });
    $("layout").addEventListener("change", async (e) => {
      state.layout = e.target.value;
      writeUrl();
      applyLayout();
      if (state.layout === "force" && positions.size < graph.order) {
        container.dataset.state = "loading";
        await runForceLayout(++loadToken);
        container.dataset.state = "ready";
      }
      renderer.getCamera().setState({ x: 0.5, y: 0.5, ratio: 1, angle: 0 });
      renderer.refresh();
    });
    $("missing").addEventListener("change", (e) => {
      state.missing = e.target.checked;
      writeUrl();
      drawMissingLinks();
    });
    $("search").addEventListener("change", (e) => {
      const id = nameToId.get(e.target.value.trim().toLowerCase());
      if (id) select(graph.getNodeAttribute(id, "slug"));
      else setStatus(`No centre named “${e.target.value}” on the map.`);
    });
    window.addEventListener("resize", drawMissingLinks);
  }

  // Test and automation hook (also handy from the console).
  window.accrMap = {
    graph: graph,
    get renderer() { return renderer; },
    screenPosition(slug) {
      const id = slugToId.get(slug);
      if (!id || !renderer) return null;
      const p = renderer.graphToViewport(graph.getNodeAttributes(id));
      const box = container.getBoundingClientRect();
      return { x: box.left + p.x, y: box.top + p.y };
    },
  };

  bind();
  loadOptions()
    .then(() => reload())
    .catch((error) => {
      setStatus(`Could not load the map: ${error.message}`, true);
      container.dataset.state = "error";
    });
})();
