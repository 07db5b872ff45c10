// Organisation views: band distribution as a bar chart.
(function () {
  "use strict";
  var source = document.getElementById("organisation-data");
  var canvas = document.getElementById("distribution-chart");
  if (!source || !canvas || typeof Chart === "undefined") { return; }
  var data = JSON.parse(source.textContent);
  var colours = { "band.champion": "#1c7c4a", "band.supporter": "#5aa36f", "band.cautious": "#d9a21b",
                  "band.skeptical": "#e07b39", "band.resistant": "#b42318" };
  new Chart(canvas, {
    type: "bar",
    data: { labels: data.bands,
            datasets: [{ label: "Leaders", data: data.counts,
                         backgroundColor: data.band_keys.map(function (k) { return colours[k] || "#5b6475"; }) }] },
    options: { responsive: true, maintainAspectRatio: false, animation: false,
               scales: { y: { beginAtZero: true, ticks: { precision: 0 } } },
               plugins: { legend: { display: false },
                          tooltip: { callbacks: { afterLabel: function (ctx) {
                            var n = data.self_reported[ctx.dataIndex];
                            return n ? n + " self-reported" : ""; } } } } }
  });
})();
