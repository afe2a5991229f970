/* The staff dashboard: network statistics from GraphQL (`network { statistics }`), drawn with
 * the vendored Chart.js. Every bar is labelled (long category lists are horizontal bars, one row
 * each, never skipped), the donut shows its counts, joint projects per year follow a year range,
 * and every chart can be downloaded as PNG and CSV. #dashboard gets data-state="ready" once
 * every chart is drawn. */
"use strict";

(function () {
  const { gql, el, clusterColour } = window.accr;
  // Every text shown comes from the page, in the reader's language (#dashboard-texts).
  const T = JSON.parse(document.getElementById("dashboard-texts").textContent);
  const tr = (text, values) => text.replace(/\{(\w+)\}/g, (m, k) => (values && k in values ? String(values[k]) : m));
  const number = new Intl.NumberFormat(T.lang);
  // Country codes as names in the reader's language ("Allemagne", not "DE"); a code the
  // browser does not know stays a code.
  const regions = typeof Intl.DisplayNames === "function" ? new Intl.DisplayNames([T.lang], { type: "region" }) : null;
  const countryName = (code) => {
    try { return (regions && regions.of(code)) || code; } catch (error) { return code; }
  };
  const status = (key) => T.proposalStatus[key.toUpperCase()] || key;
  const labelStatus = (key) => T.labelStatus[String(key).toUpperCase()] || key;
  const QUERY = `{ network { statistics {
    centresByCountry { key group count } partnershipsPerYear { key count }
    proposalsByStatus { key count } proposalsByTheme { key label count }
    competencies { slug name offered sought gap } clusterSizes { id name size } unclustered } } }`;
  const LABEL_COLOURS = { labelled: "#23395d", candidate: "#4a8fd4", associate: "#f0a23b", partner: "#9aa5b1" };
  const STATUS_COLOURS = { open: "#2ca02c", draft: "#9a9a9a", in_discussion: "#ff7f0e", partnered: "#1f77b4", closed: "#6b4c3b" };
  const GAPS_SHOWN = 15;
  const ROW = 20; // pixels per bar of a horizontal chart: every label gets its line
  const charts = new Map(); // canvas id -> { chart, table: [header, ...rows] }
  let yearRows = [];

  Chart.defaults.animation = false; // draw at once (and deterministically for tests)
  Chart.defaults.maintainAspectRatio = false;

  const ALL_LABELS = { autoSkip: false };

  function chart(id, config, table) {
    const old = charts.get(id);
    if (old) old.chart.destroy();
    const made = new Chart(document.getElementById(id), config);
    charts.set(id, { chart: made, table: table });
    return made;
  }

  // A horizontal chart grows with its rows instead of dropping labels.
  function fitRows(id, rows) {
    const box = document.getElementById(id).parentElement;
    box.style.height = `${Math.max(220, 60 + rows * ROW)}px`;
  }

  function countries(rows) {
    const totals = new Map();
    rows.forEach((r) => totals.set(r.key, (totals.get(r.key) || 0) + r.count));
    const order = [...totals.keys()].sort((a, b) => totals.get(b) - totals.get(a) || a.localeCompare(b));
    const top = order.slice(0, 40); // keep-eu has many countries; the 40 largest are readable
    const statuses = [...new Set(rows.map((r) => r.group))];
    const count = (c, s) => (rows.find((r) => r.key === c && r.group === s) || { count: 0 }).count;
    fitRows("chart-countries", top.length);
    chart("chart-countries", {
      type: "bar",
      data: {
        labels: top.map(countryName),
        datasets: statuses.map((s) => ({ label: labelStatus(s), backgroundColor: LABEL_COLOURS[s] || "#888", data: top.map((c) => count(c, s)) })),
      },
      options: { indexAxis: "y", scales: { x: { stacked: true, beginAtZero: true }, y: { stacked: true, ticks: ALL_LABELS } } },
    }, [[T.country, ...statuses.map(labelStatus)], ...top.map((c) => [countryName(c), ...statuses.map((s) => count(c, s))])]);
  }

  function years() {
    const from = Number(document.getElementById("year-from").value);
    const to = Number(document.getElementById("year-to").value);
    const rows = yearRows.filter((r) => Number(r.key) >= Math.min(from, to) && Number(r.key) <= Math.max(from, to));
    chart("chart-years", {
      type: "bar",
      data: { labels: rows.map((r) => r.key), datasets: [{ label: T.jointProjects, data: rows.map((r) => r.count), backgroundColor: "#4a6fa5" }] },
      options: { plugins: { legend: { display: false } }, scales: { x: { ticks: ALL_LABELS }, y: { beginAtZero: true } } },
    }, [[T.year, T.jointProjects], ...rows.map((r) => [r.key, r.count])]);
  }

  function yearRange(rows) {
    yearRows = rows;
    const keys = rows.map((r) => r.key);
    for (const [id, value] of [["year-from", keys[0]], ["year-to", keys[keys.length - 1]]]) {
      const select = document.getElementById(id);
      select.replaceChildren(...keys.map((k) => el("option", { value: k }, k)));
      select.value = value || "";
      select.addEventListener("change", years);
    }
    years();
  }

  // Counts written on the donut's slices (and in its legend).
  const sliceCounts = {
    id: "sliceCounts",
    afterDatasetsDraw(c) {
      const ctx = c.ctx;
      c.getDatasetMeta(0).data.forEach((arc, i) => {
        const value = c.data.datasets[0].data[i];
        if (!value) return;
        const p = arc.tooltipPosition();
        ctx.save();
        ctx.font = "bold 13px system-ui, sans-serif";
        ctx.fillStyle = "#fff";
        ctx.textAlign = "center";
        ctx.textBaseline = "middle";
        ctx.fillText(String(value), p.x, p.y);
        ctx.restore();
      });
    },
  };

  function statuses(rows) {
    chart("chart-status", {
      type: "doughnut",
      data: {
        labels: rows.map((r) => `${status(r.key)}: ${number.format(r.count)}`),
        datasets: [{ data: rows.map((r) => r.count), backgroundColor: rows.map((r) => STATUS_COLOURS[r.key] || "#888") }],
      },
      options: { plugins: { legend: { position: "right" } } },
      plugins: [sliceCounts],
    }, [[T.status, T.proposals], ...rows.map((r) => [status(r.key), r.count])]);
  }

  function themes(rows) {
    const top = rows.slice(0, 20);
    fitRows("chart-themes", top.length);
    chart("chart-themes", {
      type: "bar",
      data: { labels: top.map((r) => r.label), datasets: [{ label: T.proposals, data: top.map((r) => r.count), backgroundColor: "#2ca02c" }] },
      options: { indexAxis: "y", plugins: { legend: { display: false } }, scales: { x: { beginAtZero: true }, y: { ticks: ALL_LABELS } } },
    }, [[T.theme, T.proposals], ...top.map((r) => [r.label, r.count])]);
  }

  function gaps(rows) {
    const top = rows.slice(0, GAPS_SHOWN);
    fitRows("chart-gaps", top.length * 1.6);
    chart("chart-gaps", {
      type: "bar",
      data: {
        labels: top.map((r) => r.name),
        datasets: [
          { label: T.sought, data: top.map((r) => r.sought), backgroundColor: "#d62728" },
          { label: T.offered, data: top.map((r) => r.offered), backgroundColor: "#1f77b4" },
        ],
      },
      options: { indexAxis: "y", scales: { x: { beginAtZero: true }, y: { ticks: ALL_LABELS } } },
    }, [[T.competency, T.sought, T.offered], ...top.map((r) => [r.name, r.sought, r.offered])]);
  }

  function clusters(rows, unclustered) {
    const short = (t) => (t.length > 40 ? t.slice(0, 39) + "…" : t);
    const labels = rows.map((r) => short(`${r.id + 1}: ${r.name}`)).concat(unclustered ? [T.noCluster] : []);
    const data = rows.map((r) => r.size).concat(unclustered ? [unclustered] : []);
    const colours = rows.map((r) => clusterColour(r.id)).concat(unclustered ? [clusterColour(null)] : []);
    fitRows("chart-clusters", labels.length);
    chart("chart-clusters", {
      type: "bar",
      data: { labels: labels, datasets: [{ label: T.centres, data: data, backgroundColor: colours }] },
      options: { indexAxis: "y", plugins: { legend: { display: false } }, scales: { x: { beginAtZero: true }, y: { ticks: ALL_LABELS } } },
    }, [[T.cluster, T.centres], ...labels.map((l, i) => [l, data[i]])]);
  }

  function csvCell(value) {
    let text = String(value);
    if (/^[=+\-@\t\r]/.test(text)) text = "'" + text; // never a formula in a spreadsheet
    return /[",\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
  }

  function downloads() {
    document.querySelectorAll("canvas.chart-canvas").forEach((canvas) => {
      const card = canvas.closest(".card");
      if (card.querySelector(".downloads")) return;
      const png = el("a", { href: "#", download: `${canvas.id}.png`, class: "download" }, "PNG");
      const csv = el("a", { href: "#", download: `${canvas.id}.csv`, class: "download" }, "CSV");
      png.addEventListener("click", () => { png.href = charts.get(canvas.id).chart.toBase64Image("image/png", 1); });
      csv.addEventListener("click", () => {
        const text = charts.get(canvas.id).table.map((row) => row.map(csvCell).join(",")).join("\n");
        csv.href = URL.createObjectURL(new Blob(["\ufeff" + text], { type: "text/csv" }));
      });
      card.querySelector("h2").after(el("p", { class: "downloads" }, T.download + " ", png, " · ", csv));
    });
  }

  async function main() {
    const board = document.getElementById("dashboard");
    const summary = document.getElementById("summary");
    try {
      const s = (await gql(QUERY)).network.statistics;
      const centres = s.centresByCountry.reduce((n, r) => n + r.count, 0);
      const projects = s.partnershipsPerYear.reduce((n, r) => n + r.count, 0);
      const proposals = s.proposalsByStatus.reduce((n, r) => n + r.count, 0);
      const countryCount = new Set(s.centresByCountry.map((r) => r.key)).size;
      summary.textContent = tr(T.summary, {
        centres: number.format(centres), countries: number.format(countryCount), projects: number.format(projects),
        proposals: number.format(proposals), clusters: number.format(s.clusterSizes.length), alone: number.format(s.unclustered),
      });
      countries(s.centresByCountry);
      yearRange(s.partnershipsPerYear);
      statuses(s.proposalsByStatus);
      themes(s.proposalsByTheme);
      gaps(s.competencies);
      clusters(s.clusterSizes, s.unclustered);
      downloads();
      board.dataset.state = "ready";
    } catch (error) {
      summary.textContent = tr(T.failed, { error: error.message });
      summary.classList.add("error");
      board.dataset.state = "error";
    }
  }

  main();
})();
