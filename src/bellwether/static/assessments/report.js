// The individual readiness report: radar (dimensions, self vs others), item bars, trend.
(function () {
  "use strict";
  var source = document.getElementById("report-data");
  if (!source || typeof Chart === "undefined") { return; }
  var data = JSON.parse(source.textContent);
  var SELF = "#e07b39", OTHERS = "#1f5fbf";
  function fade(hex) { return hex + "33"; }

  var radar = document.getElementById("radar-chart");
  if (radar) {
    var sets = [{ label: "Self", data: data.dimension_self, borderColor: SELF, backgroundColor: fade(SELF), pointBackgroundColor: SELF }];
    if (data.dimension_others) {
      sets.push({ label: "Others", data: data.dimension_others, borderColor: OTHERS, backgroundColor: fade(OTHERS), pointBackgroundColor: OTHERS });
    }
    new Chart(radar, {
      type: "radar",
      data: { labels: data.dimensions.map(function (l) { return l.replace(/^AI /, ""); }), datasets: sets },
      options: { responsive: true, maintainAspectRatio: false, animation: false,
                 scales: { r: { min: 0, max: data.dimension_max, ticks: { stepSize: 5, backdropColor: "transparent" } } },
                 plugins: { legend: { position: "bottom" } } }
    });
  }

  var items = document.getElementById("items-chart");
  if (items) {
    var bars = [{ label: "Self", data: data.item_self, backgroundColor: SELF }];
    if (data.item_others) { bars.push({ label: "Others", data: data.item_others, backgroundColor: OTHERS }); }
    new Chart(items, {
      type: "bar",
      data: { labels: data.items, datasets: bars },
      options: { indexAxis: "y", responsive: true, maintainAspectRatio: false, animation: false,
                 scales: { x: { min: 0, max: 5, ticks: { stepSize: 1 } }, y: { ticks: { autoSkip: false, font: { size: 11 } } } },
                 plugins: { legend: { position: "bottom" } } }
    });
  }

  var trend = document.getElementById("trend-chart");
  if (trend && data.trend.length > 1) {
    new Chart(trend, {
      type: "line",
      data: { labels: data.trend.map(function (t) { return t.cycle; }),
              datasets: [{ label: "Total of record", data: data.trend.map(function (t) { return t.total; }),
                           borderColor: OTHERS, backgroundColor: OTHERS, pointRadius: 4 }] },
      options: { responsive: true, maintainAspectRatio: false, animation: false,
                 scales: { y: { min: 20, max: 100 } },
                 plugins: { legend: { display: false },
                            tooltip: { callbacks: { afterLabel: function (ctx) { return data.trend[ctx.dataIndex].band; } } } } }
    });
  }
})();
