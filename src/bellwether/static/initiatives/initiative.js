// One Chart.js line chart per metric: its measurements against baseline, target and guardrail.
(function () {
  "use strict";
  var source = document.getElementById("metric-charts");
  if (!source || typeof Chart === "undefined") { return; }
  var charts = JSON.parse(source.textContent);
  function flat(label, value, count, color) {
    var data = [];
    for (var i = 0; i < count; i++) { data.push(value); }
    return { label: label, data: data, borderColor: color, borderDash: [6, 4], pointRadius: 0, borderWidth: 1.5 };
  }
  charts.forEach(function (metric) {
    var canvas = document.getElementById("chart-" + metric.id);
    if (!canvas || !metric.points.length) { return; }
    var labels = metric.points.map(function (p) { return p[0]; });
    var datasets = [{
      label: metric.name + (metric.unit ? " (" + metric.unit + ")" : ""),
      data: metric.points.map(function (p) { return p[1]; }),
      borderColor: "#1f5fbf", backgroundColor: "#1f5fbf", pointRadius: labels.length > 60 ? 0 : 2, borderWidth: 2
    }];
    if (metric.baseline !== null) { datasets.push(flat("Baseline", metric.baseline, labels.length, "#5b6475")); }
    if (metric.target !== null) { datasets.push(flat("Target", metric.target, labels.length, "#1c7c4a")); }
    if (metric.guardrail !== null) { datasets.push(flat("Guardrail", metric.guardrail, labels.length, "#b42318")); }
    new Chart(canvas, {
      type: "line",
      data: { labels: labels, datasets: datasets },
      options: { responsive: true, maintainAspectRatio: false, animation: false,
                 scales: { x: { ticks: { maxTicksLimit: 8 } } },
                 plugins: { legend: { position: "bottom" } } }
    });
  });
})();

// The adoption curve (seed 001): acceptance and override rates per cohort by week, with the
// initial weeks shaded and the weeks of a "majority wall" marked.
(function () {
  "use strict";
  var source = document.getElementById("adoption-data");
  var canvas = document.getElementById("adoption-chart");
  if (!source || !canvas || typeof Chart === "undefined") { return; }
  var data = JSON.parse(source.textContent);
  if (!data.weeks.length) { return; }
  var colors = { early_adopters: "#1f5fbf", majority: "#b45309" };
  var labels = data.weeks.map(function (w) { return "Week " + w; });
  var datasets = [];
  data.cohorts.forEach(function (cohort) {
    var color = colors[cohort.key] || "#5b6475";
    datasets.push({
      label: cohort.name + ": acceptance %", data: cohort.acceptance, borderColor: color,
      backgroundColor: color, borderWidth: 2, pointRadius: 2, spanGaps: true
    });
    datasets.push({
      label: cohort.name + ": override %", data: cohort.override, borderColor: color,
      backgroundColor: color, borderDash: [5, 4], borderWidth: 1.5, pointRadius: 0, spanGaps: true
    });
  });
  var wall = {};
  data.wall_weeks.forEach(function (w) { wall[w] = true; });
  // Shades the initial weeks (grey) and the wall's weeks (red) behind the lines.
  var bands = {
    id: "adoptionBands",
    beforeDatasetsDraw: function (chart) {
      var x = chart.scales.x, area = chart.chartArea, ctx = chart.ctx;
      var step = data.weeks.length > 1 ? (x.getPixelForValue(1) - x.getPixelForValue(0)) : area.right - area.left;
      ctx.save();
      data.weeks.forEach(function (week, i) {
        var fill = null;
        if (week <= data.initial_weeks) { fill = "rgba(91, 100, 117, 0.08)"; }
        if (wall[week]) { fill = "rgba(180, 35, 24, 0.12)"; }
        if (fill) {
          var left = Math.max(area.left, x.getPixelForValue(i) - step / 2);
          var right = Math.min(area.right, x.getPixelForValue(i) + step / 2);
          ctx.fillStyle = fill;
          ctx.fillRect(left, area.top, right - left, area.bottom - area.top);
        }
      });
      ctx.restore();
    }
  };
  new Chart(canvas, {
    type: "line",
    data: { labels: labels, datasets: datasets },
    plugins: [bands],
    options: {
      responsive: true, maintainAspectRatio: false, animation: false,
      scales: { y: { min: 0, max: 100, title: { display: true, text: "% of AI suggestions" } } },
      plugins: { legend: { position: "bottom" } }
    }
  });
})();
