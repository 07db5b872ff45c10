// The engagement × influence grid: x = readiness band (Resistant … Champion), y = influence
// index, with the two thresholds drawn as lines and the quadrants named in the corners.
(function () {
  "use strict";
  var source = document.getElementById("grid-data");
  var canvas = document.getElementById("grid-chart");
  if (!source || !canvas || typeof Chart === "undefined") { return; }
  var chart = JSON.parse(source.textContent);
  // Spread leaders of one band sideways a little (deterministic) so they don't overlap.
  var points = chart.points.map(function (p, i) {
    return { x: p.x + (((i * 37) % 21) - 10) / 30, y: p.y, label: p.label, band: p.band, colour: p.colour };
  });
  var thresholds = {
    id: "thresholds",
    afterDraw: function (c) {
      var ctx = c.ctx, x = c.scales.x, y = c.scales.y, area = c.chartArea;
      ctx.save();
      ctx.strokeStyle = "#5b6475"; ctx.setLineDash([6, 4]); ctx.lineWidth = 1;
      var yy = y.getPixelForValue(chart.threshold), xx = x.getPixelForValue(chart.engaged_from);
      ctx.beginPath(); ctx.moveTo(area.left, yy); ctx.lineTo(area.right, yy); ctx.stroke();
      ctx.beginPath(); ctx.moveTo(xx, area.top); ctx.lineTo(xx, area.bottom); ctx.stroke();
      ctx.setLineDash([]); ctx.fillStyle = "#5b6475"; ctx.font = "600 12px system-ui, sans-serif";
      ctx.textAlign = "left"; ctx.fillText("Convert first", area.left + 6, area.top + 14);
      ctx.fillText("Develop", area.left + 6, area.bottom - 6);
      ctx.textAlign = "right"; ctx.fillText("Mobilise", area.right - 6, area.top + 14);
      ctx.fillText("Equip and amplify", area.right - 6, area.bottom - 6);
      ctx.restore();
    }
  };
  new Chart(canvas, {
    type: "scatter",
    data: { datasets: [{ data: points, pointRadius: 5, pointHoverRadius: 7,
      pointBackgroundColor: points.map(function (p) { return p.colour; }),
      pointBorderColor: "#fff" }] },
    options: {
      responsive: true, maintainAspectRatio: false, animation: false,
      scales: {
        x: { min: 0.5, max: chart.bands.length + 0.5, title: { display: true, text: "Readiness band" },
             afterBuildTicks: function (axis) { axis.ticks = chart.bands.map(function (_, i) { return { value: i + 1 }; }); },
             ticks: { autoSkip: false, callback: function (v) { return chart.bands[v - 1] || ""; } } },
        y: { min: 0, max: 100, title: { display: true, text: "Influence index (influential from " + chart.threshold + ")" } }
      },
      plugins: {
        legend: { display: false },
        tooltip: { callbacks: { label: function (item) {
          var p = item.raw; return p.label + " · " + p.band + " · index " + p.y; } } }
      }
    },
    plugins: [thresholds]
  });
})();
