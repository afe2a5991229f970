/* The staff dashboard: network statistics from GraphQL (`network { statistics }`), drawn with
 * the vendored Chart.js. #dashboard gets data-state="ready" once every chart is drawn. */
"use strict";

(function () {
  const { gql, clusterColour } = window.accr;
  const QUERY = `{ network { statistics {
    centresByCountry { key group count } partnershipsPerYear { key count }
    proposalsByStatus { key count } proposalsByTheme { key label count }
    competencies { slug name offered sought gap } clusterSizes { id name size } unclustered } } }`;
  const LABEL_COLOURS = { labelled: "#23395d", candidate: "#4a8fd4", associate: "#f0a23b", partner: "#9aa5b1" };
  const STATUS_COLOURS = { open: "#2ca02c", draft: "#9a9a9a", in_discussion: "#ff7f0e", partnered: "#1f77b4", closed: "#6b4c3b" };
  const GAPS_SHOWN = 15;

  Chart.defaults.animation = false; // draw at once (and deterministically for tests)
  Chart.defaults.maintainAspectRatio = false;

  function chart(id, config) {
    return new Chart(document.getElementById(id), config);
  }

  function countries(rows) {
    const totals = new Map();
    rows.forEach((r) => totals.set(r.key, (totals.get(r.key) || 0) + r.count));
    const order = [...totals.keys()].sort((a, b) => totals.get(b) - totals.get(a) || a.localeCompare(b));
    const top = order.slice(0, 40); // keep-eu has many countries; the 40 largest are readable
    const statuses = [...new Set(rows.map((r) => r.group))];
    chart("chart-countries", {
      type: "bar",
      data: {
        labels: top,
        datasets: statuses.map((s) => ({
          label: s,
          backgroundColor: LABEL_COLOURS[s] || "#888",
          data: top.map((c) => (rows.find((r) => r.key === c && r.group === s) || { count: 0 }).count),
        })),
      },
      options: { scales: { x: { stacked: true }, y: { stacked: true, beginAtZero: true } } },
    });
  }

  function years(rows) {
    chart("chart-years", {
      type: "bar",
      data: { labels: rows.map((r) => r.key), datasets: [{ label: "joint projects", data: rows.map((r) => r.count), backgroundColor: "#4a6fa5" }] },
      options: { plugins: { legend: { display: false } }, scales: { y: { beginAtZero: true } } },
    });
  }

  function statuses(rows) {
    chart("chart-status", {
      type: "doughnut",
      data: {
        labels: rows.map((r) => r.key.replace("_", " ")),
        datasets: [{ data: rows.map((r) => r.count), backgroundColor: rows.map((r) => STATUS_COLOURS[r.key] || "#888") }],
      },
      options: { plugins: { legend: { position: "right" } } },
    });
  }

  function themes(rows) {
    const top = rows.slice(0, 20);
    chart("chart-themes", {
      type: "bar",
      data: { labels: top.map((r) => r.label), datasets: [{ label: "proposals", data: top.map((r) => r.count), backgroundColor: "#2ca02c" }] },
      options: { indexAxis: "y", plugins: { legend: { display: false } }, scales: { x: { beginAtZero: true } } },
    });
  }

  function gaps(rows) {
    const top = rows.slice(0, GAPS_SHOWN);
    chart("chart-gaps", {
      type: "bar",
      data: {
        labels: top.map((r) => r.name),
        datasets: [
          { label: "sought (centres + live proposals)", data: top.map((r) => r.sought), backgroundColor: "#d62728" },
          { label: "offered (centres)", data: top.map((r) => r.offered), backgroundColor: "#1f77b4" },
        ],
      },
      options: { indexAxis: "y", scales: { x: { beginAtZero: true } } },
    });
  }

  function clusters(rows, unclustered) {
    const short = (t) => (t.length > 34 ? t.slice(0, 33) + "…" : t);
    const labels = rows.map((r) => short(`${r.id}: ${r.name}`)).concat(unclustered ? ["unclustered"] : []);
    const data = rows.map((r) => r.size).concat(unclustered ? [unclustered] : []);
    const colours = rows.map((r) => clusterColour(r.id)).concat(unclustered ? [clusterColour(null)] : []);
    chart("chart-clusters", {
      type: "bar",
      data: { labels: labels, datasets: [{ label: "centres", data: data, backgroundColor: colours }] },
      options: { indexAxis: "y", plugins: { legend: { display: false } }, scales: { x: { beginAtZero: true } } },
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
      summary.textContent = `${centres} centres in ${countryCount} countries · ${projects} dated joint projects · ${proposals} proposals · ${s.clusterSizes.length} clusters, ${s.unclustered} centres without cooperation`;
      countries(s.centresByCountry);
      years(s.partnershipsPerYear);
      statuses(s.proposalsByStatus);
      themes(s.proposalsByTheme);
      gaps(s.competencies);
      clusters(s.clusterSizes, s.unclustered);
      board.dataset.state = "ready";
    } catch (error) {
      summary.textContent = `Could not load the statistics: ${error.message}`;
      summary.classList.add("error");
      board.dataset.state = "error";
    }
  }

  main();
})();
