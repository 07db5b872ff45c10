// The engagement × influence grid: x = readiness band (Resistant … Champion), y = influence
// index (one bubble per band and index, sized by its leaders), with the two thresholds drawn as lines and the quadrants named in the corners.
(function () {
  "use strict";
  var source = document.getElementById("grid-data");
  var canvas = document.getElementById("grid-chart");
  if (!source || !canvas || typeof Chart === "undefined") { return; }
  var chart = JSON.parse(source.textContent);
  // One point per band and index (the index moves in steps of ten), sized by how many
  // leaders share it: a few dozen points whatever the size of the organisation.
  var most = chart.points.reduce(function (m, p) { return Math.max(m, p.n); }, 1);
  var points = chart.points.map(function (p) {
    return { x: p.x, y: p.y, n: p.n, band: p.band, colour: p.colour, r: 4 + 14 * Math.sqrt(p.n / most) };
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
    data: { datasets: [{ data: points,
      pointRadius: points.map(function (p) { return p.r; }),
      pointHoverRadius: points.map(function (p) { return p.r + 2; }),
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
          var p = item.raw;
          return p.n + (p.n === 1 ? " leader" : " leaders") + " · " + p.band + " · index " + p.y; } } }
      }
    },
    plugins: [thresholds]
  });
})();
