// The KPI's trend over the last periods, drawn from the json_script data the page holds.
(function () {
  const data = document.getElementById("kpi-chart-data");
  const canvas = document.getElementById("kpi-chart");
  if (!data || !canvas || typeof Chart === "undefined") return;
  const chart = JSON.parse(data.textContent);
  new Chart(canvas, {
    type: "line",
    data: {
      labels: chart.labels,
      datasets: [
        { label: chart.name, data: chart.values, spanGaps: false, borderColor: "#3d6fb6", tension: 0.2 },
        { label: "Target", data: chart.labels.map(() => chart.target), borderDash: [6, 4], borderColor: "#8a1f1f", pointRadius: 0 },
      ],
    },
    options: { maintainAspectRatio: false, animation: false, scales: { y: { beginAtZero: true } } },
  });
})();
