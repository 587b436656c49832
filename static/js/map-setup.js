// Runs between plotly.js's geographic bundle and its cartesian one (static/js/charts.js loads
// them in that order, only on pages that draw a map). Both bundles set window.Plotly: the geographic one is kept as window.PlotlyGeo for
// maps (static/js/charts.js), and the cartesian one then sets window.Plotly for every other
// chart.
//
// A geographic subplot fetches a base map (world_110m.json) from cdn.plot.ly unless one is
// already registered under its name. The maps draw only the project's own areas (geo.visible
// false), so an empty topology is registered instead: nothing is fetched from another site.
"use strict";

(function () {
  window.PlotlyGeo = window.Plotly;
  window.Plotly = undefined;
  window.PlotlyGeoAssets = window.PlotlyGeoAssets || { topojson: {} };
  window.PlotlyGeoAssets.topojson.world_110m = { type: "Topology", objects: {}, arcs: [] };
})();
