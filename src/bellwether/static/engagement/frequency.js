// Barrier frequency by leader level: a grouped horizontal bar chart (the counts are also in a table).
(function () {
  "use strict";
  var canvas = document.getElementById("barrier-chart");
  var source = document.getElementById("barrier-chart-data");
  if (!canvas || !source || typeof Chart === "undefined") { return; }
  var data = JSON.parse(source.textContent);
  var colours = ["#6b4fbb", "#2f6fd6", "#2e9961"];
  data.datasets.forEach(function (set, i) { set.backgroundColor = colours[i % colours.length]; });
  new Chart(canvas, {
    type: "bar",
    data: data,
    options: {
      indexAxis: "y",
      maintainAspectRatio: false,
      animation: false,
      scales: { x: { beginAtZero: true, ticks: { precision: 0 }, title: { display: true, text: "Leaders" } } },
      plugins: { legend: { position: "bottom" } }
    }
  });
})();
