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
