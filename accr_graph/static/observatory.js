/* The observatory's charts: the figures of the page's tables, drawn with the vendored Chart.js.
 * The data comes from the server in <script type="application/json" id="observatory-data">
 * (no inline script: CSP script-src 'self'); every text in it is already in the reader's
 * language. Without JavaScript the tables are the page. Test hooks: each drawn canvas gets
 * data-painted="true"; #observatory gets data-state="ready" once every chart is drawn. */
"use strict";

(function () {
  const block = document.getElementById("observatory-data");
  const results = document.getElementById("observatory");
  if (!block || !results || !window.Chart) return;
  const data = JSON.parse(block.textContent);
  const PALETTE = ["#23395d", "#d1495b", "#2e8540", "#e59a1c", "#6a4c93", "#0f7c8c", "#8c564b", "#c2185b"];
  const ROLES = {
    own: { colour: "#d1495b", width: 3 },
    median: { colour: "#23395d", width: 2 },
    q1: { colour: "#7b8794", width: 1, dash: [5, 4] },
    q3: { colour: "#7b8794", width: 1, dash: [5, 4], fill: "-1" },
  };
  const number = new Intl.NumberFormat(data.lang, { maximumFractionDigits: 2 });
  const percent = new Intl.NumberFormat(data.lang, { style: "percent", maximumFractionDigits: 1 });

  Chart.defaults.animation = false; // drawn at once (and deterministically for tests)
  Chart.defaults.maintainAspectRatio = false;
  Chart.defaults.font.family = "system-ui, sans-serif";

  function dataset(line, index) {
    const role = ROLES[line.role] || { colour: PALETTE[index % PALETTE.length], width: 2 };
    return {
      label: line.label,
      data: line.data,
      borderColor: role.colour,
      backgroundColor: role.fill ? "rgba(123, 135, 148, 0.15)" : role.colour,
      borderWidth: role.width,
      borderDash: role.dash || [],
      fill: role.fill || false,
      pointRadius: role.dash ? 0 : 3,
      spanGaps: false, // a withheld or missing year is a gap, not a made-up line
      tension: 0,
    };
  }

  function draw(spec) {
    const canvas = document.getElementById(spec.id);
    if (!canvas) return;
    const format = spec.share ? percent : number;
    new Chart(canvas, {
      type: "line",
      data: { labels: spec.years.map(String), datasets: spec.lines.map(dataset) },
      options: {
        plugins: {
          legend: { display: spec.lines.length > 1, position: "bottom" },
          tooltip: {
            callbacks: {
              label: (c) => `${c.dataset.label}: ${c.parsed.y === null ? data.texts.notEnough : format.format(c.parsed.y)}`,
            },
          },
        },
        scales: {
          x: { ticks: { autoSkip: true, maxRotation: 0 } },
          y: { beginAtZero: true, ticks: { precision: spec.integer ? 0 : undefined, callback: (v) => format.format(v) } },
        },
      },
    });
    canvas.dataset.painted = "true";
  }

  results.classList.add("obs-results--charts");
  try {
    data.charts.forEach(draw);
    results.dataset.state = "ready";
  } catch (error) {
    results.classList.remove("obs-results--charts"); // the tables still say everything
    results.dataset.state = "error";
    throw error;
  }
})();
