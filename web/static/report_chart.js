// Draws a reporting period's chart with Chart.js: a bar per unit; for the annual report the share recognised (%)
// against its target (a line), for another report the chosen figure.
(function () {
  const canvas = document.getElementById("report-chart");
  const source = document.getElementById("report-data");
  if (!canvas || !source || typeof Chart === "undefined") return;
  const data = JSON.parse(source.textContent);
  const datasets = [{ type: "bar", label: canvas.dataset.bars, data: data.bars, backgroundColor: "#0b4f8a" }];
  if (data.targets) {
    datasets.push({ type: "line", label: "Chỉ tiêu (%)", data: data.targets, borderColor: "#b3261e", pointRadius: 0 });
  }
  // On a phone a bar per province across 340 px is a hair each, its name unreadable: the bars lie down, one a line.
  const phone = window.matchMedia("(max-width: 600px)").matches;
  const values = data.percent ? { min: 0, max: 100 } : { beginAtZero: true };
  const chart = new Chart(canvas, {
    data: { labels: data.labels, datasets: datasets },
    options: phone
      ? { animation: false, indexAxis: "y", aspectRatio: 340 / (data.labels.length * 22 + 60), scales: { x: values } }
      : { animation: false, scales: { y: values } },
  });
  canvas.dataset.ready = String(chart.data.labels.length);
})();
