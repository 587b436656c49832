// The charts bundle (static-src/plotly-charts.js) plus plotly.js's choropleth trace, for pages
// that draw a map (systems/charts.py system_map); scripts/build-assets bundles it into
// static/vendor/plotly/plotly-maps.min.js. A page loads this or the charts bundle, never both.
"use strict";

var Plotly = require("./plotly-charts");

Plotly.register([require("plotly.js/lib/choropleth")]);

// A geographic subplot fetches its base map (world_110m.json) from cdn.plot.ly unless one is
// already registered under its name. The maps draw only the project's own areas (geo.visible
// false), so an empty topology is registered instead, here in the bundle itself: no map drawn
// with it can fetch from another site, whatever else the page loads.
var geoAssets = (window.PlotlyGeoAssets = window.PlotlyGeoAssets || {});
geoAssets.topojson = geoAssets.topojson || {};
geoAssets.topojson.world_110m = { type: "Topology", objects: {}, arcs: [] };

module.exports = Plotly;
