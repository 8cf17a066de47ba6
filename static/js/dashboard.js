/* The team dashboard's trend chart (Chart.js from our own static files).
   htmx swaps the figures fragment every minute; once the swap has settled the
   chart is drawn again from the JSON the fragment carries (no inline script).
   The canvas has no id on purpose: htmx carries the attributes of elements with
   the same id across a swap while it settles, and a canvas whose size
   attributes change is wiped. */
(function () {
  "use strict";
  var chart = null;

  function draw() {
    var canvas = document.querySelector("#dashboard-figures canvas.trend-chart");
    var source = document.getElementById("trend-data");
    if (!canvas || !source || typeof window.Chart === "undefined" || canvas.dataset.drawn) {
      return;
    }
    var data = JSON.parse(source.textContent);
    if (chart) {
      chart.destroy();
      chart = null;
    }
    chart = new window.Chart(canvas, {
      type: "bar",
      data: {
        labels: data.labels,
        datasets: [
          { type: "bar", label: data.names.opened, data: data.opened, backgroundColor: "rgba(13, 110, 253, 0.6)" },
          { type: "bar", label: data.names.closed, data: data.closed, backgroundColor: "rgba(25, 135, 84, 0.6)" },
          { type: "line", label: data.names.breached, data: data.breached, borderColor: "rgb(220, 53, 69)",
            backgroundColor: "rgb(220, 53, 69)", tension: 0.2, pointRadius: 2 }
        ]
      },
      options: {
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        interaction: { mode: "index", intersect: false },
        scales: { y: { beginAtZero: true, ticks: { precision: 0 } } },
        plugins: { legend: { position: "bottom" } }
      }
    });
    canvas.dataset.drawn = String(data.labels.length);
  }

  document.addEventListener("DOMContentLoaded", draw);
  document.body.addEventListener("htmx:afterSettle", draw);
})();
