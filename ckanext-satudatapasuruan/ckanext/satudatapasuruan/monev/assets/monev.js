/* Capaian Kinerja: a trend chart per indicator (Chart.js) and the map of data availability per kecamatan
   (Leaflet choropleth when a boundary layer is configured, otherwise the labelled grid in the page). */
(function () {
  "use strict";
  var node = document.getElementById("satudata-monev-data");
  if (!node) { return; }
  var data = JSON.parse(node.textContent);
  var palette = ["#f7f7f7", "#deebf7", "#9ecae1", "#4292c6", "#08519c"];

  function trends() {
    if (!window.Chart) { return; }
    data.indicators.forEach(function (ind) {
      var canvas = document.querySelector('canvas.satudata-monev-trend[data-code="' + ind.code + '"]');
      if (!canvas) { return; }
      new window.Chart(canvas, {
        type: "line",
        data: {
          labels: ind.trend.map(function (p) { return String(p.year); }),
          datasets: [
            {label: data.labels.value, data: ind.trend.map(function (p) { return p.value; }),
             borderColor: "#08519c", backgroundColor: "#08519c", spanGaps: false, tension: 0.2},
            {label: data.labels.target, data: ind.trend.map(function (p) { return p.target; }),
             borderColor: "#e6550d", borderDash: [4, 3], pointRadius: 0}
          ]
        },
        options: {responsive: false, animation: false, plugins: {legend: {display: false}},
                  scales: {x: {display: false}, y: {display: false, beginAtZero: true}}}
      });
    });
  }

  function level(count, max) {
    if (count === null || count === undefined || !max) { return 0; }
    return Math.min(4, Math.ceil(4 * count / max));
  }

  function normal(code) {
    code = String(code || "").replace(/\D/g, "");
    return code.length >= 6 ? code.slice(0, 2) + "." + code.slice(2, 4) + "." + code.slice(4, 6) : "";
  }

  function map() {
    var cells = data.map.kecamatan;
    var max = Math.max.apply(null, cells.map(function (c) { return c.count || 0; }));
    var byCode = {};
    cells.forEach(function (c) {
      byCode[c.code] = c;
      var li = document.querySelector('#satudata-monev-grid li[data-kode="' + c.code + '"]');
      if (li) { li.setAttribute("data-level", String(level(c.count, max))); }
    });
    var boundary = data.map.boundary;
    var holder = document.getElementById("satudata-monev-map");
    if (!boundary || !window.L || !window.fetch || !holder) { return; }
    window.fetch(boundary.url).then(function (r) { return r.json(); }).then(function (geo) {
      holder.classList.add("is-active");
      var m = window.L.map(holder, {attributionControl: false});
      var layer = window.L.geoJSON(geo, {
        style: function (f) {
          var c = byCode[normal((f.properties || {})[boundary.property])];
          return {color: "#555", weight: 1, fillOpacity: 0.8, fillColor: palette[level(c ? c.count : 0, max)]};
        },
        onEachFeature: function (f, l) {
          var c = byCode[normal((f.properties || {})[boundary.property])];
          if (c) { l.bindTooltip(c.name + ": " + (c.count === null ? "–" : c.count) + " " + data.labels.datasets); }
        }
      }).addTo(m);
      m.fitBounds(layer.getBounds());
    }).catch(function () { holder.classList.remove("is-active"); });
  }

  trends();
  map();
})();
