// Draws a reporting period's chart with Chart.js: a bar per unit (share recognised) against its target (a line).
(function () {
  const canvas = document.getElementById("report-chart");
  const source = document.getElementById("report-data");
  if (!canvas || !source || typeof Chart === "undefined") return;
  const data = JSON.parse(source.textContent);
  const chart = new Chart(canvas, {
    data: {
      labels: data.labels,
      datasets: [
        { type: "bar", label: "Tỷ lệ được công nhận (%)", data: data.rates, backgroundColor: "#0b4f8a" },
        { type: "line", label: "Chỉ tiêu (%)", data: data.targets, borderColor: "#b3261e", pointRadius: 0 },
      ],
    },
    options: { animation: false, scales: { y: { min: 0, max: 100 } } },
  });
  canvas.dataset.ready = String(chart.data.labels.length);
})();
