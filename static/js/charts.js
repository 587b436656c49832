// Draws every chart on the page. Each chart's figure reaches the page as data, in a
// <script type="application/json"> element written by Django's json_script filter, and an
// element with data-figure="<that element's id>" marks where to draw it. Keeping the drawing
// here, in one static file, lets the Content-Security-Policy forbid inline script.
//
// A map (data-map) is drawn with plotly.js's geographic bundle, window.PlotlyGeo, which only
// pages with a map load (static/js/map-setup.js); selecting an area opens the page its
// customdata names.
"use strict";

// The page's date rides along, as it does on every link the server writes (core.as_at).
function withPageDate(url) {
  var asAt = new URLSearchParams(window.location.search).get("as_at");
  if (!asAt || url.indexOf("as_at=") !== -1) {
    return url;
  }
  return url + (url.indexOf("?") === -1 ? "?" : "&") + "as_at=" + encodeURIComponent(asAt);
}

document.addEventListener("DOMContentLoaded", function () {
  var plots = document.querySelectorAll("[data-figure]");
  if (!plots.length) {
    return;
  }
  var config = {
    displaylogo: false,
    responsive: true,
    modeBarButtonsToRemove: ["lasso2d", "select2d"],
  };
  var mapConfig = Object.assign({}, config, { scrollZoom: false, displayModeBar: false });
  plots.forEach(function (el) {
    var source = document.getElementById(el.getAttribute("data-figure"));
    if (!source) {
      return;
    }
    var fig = JSON.parse(source.textContent);
    if (!el.hasAttribute("data-map")) {
      Plotly.newPlot(el, fig.data, fig.layout, config);
      return;
    }
    if (!window.PlotlyGeo) {
      return;
    }
    // England is taller than it is wide: on a narrow screen the map is made shorter too,
    // so it does not leave the page mostly empty space.
    fig.layout.height = Math.min(fig.layout.height, Math.max(320, el.clientWidth * 1.2));
    window.PlotlyGeo.newPlot(el, fig.data, fig.layout, mapConfig).then(function () {
      el.on("plotly_click", function (event) {
        var point = event.points && event.points[0];
        var url = point && point.customdata && point.customdata[1];
        if (url) {
          window.location.assign(withPageDate(url));
        }
      });
    });
  });
});
