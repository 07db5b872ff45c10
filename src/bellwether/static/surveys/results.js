// Charts for the survey results page; data comes from the json_script block.
(function () {
  "use strict";
  function draw() {
    var node = document.getElementById("survey-chart-data");
    if (!node || typeof Chart === "undefined") return;
    var data = JSON.parse(node.textContent);
    document.querySelectorAll("canvas.dist-chart").forEach(function (canvas) {
      var q = data.questions[Number(canvas.dataset.index)];
      if (!q) return;
      new Chart(canvas, {
        type: "bar",
        data: { labels: q.labels, datasets: [{ label: "Answers", data: q.counts, backgroundColor: "#2f6feb" }] },
        options: { responsive: true, maintainAspectRatio: false, animation: false, plugins: { legend: { display: false } } }
      });
    });
    var trend = document.getElementById("trend-chart");
    if (trend && data.trend) {
      new Chart(trend, {
        type: "line",
        data: {
          labels: data.trend.labels,
          datasets: [
            { label: "Favourable %", data: data.trend.favourable, borderColor: "#1a7f37", spanGaps: true },
            { label: "Response rate %", data: data.trend.rate, borderColor: "#2f6feb", spanGaps: true }
          ]
        },
        options: { responsive: true, maintainAspectRatio: false, animation: false, scales: { y: { min: 0, max: 100 } } }
      });
    }
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", draw); else draw();
})();
