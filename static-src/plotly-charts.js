// plotly.js with only the trace types the site's charts use (scripts/build-assets bundles it
// into static/vendor/plotly/plotly-charts.min.js). The charts are built by the charts.py
// modules (systems, finance, performance, maturity): scatter (plotly's core always has it),
// bar and heatmap. A trace type they start to use must be registered here too, or plotly
// draws nothing for it.
"use strict";

var Plotly = require("plotly.js/lib/core");

Plotly.register([require("plotly.js/lib/bar"), require("plotly.js/lib/heatmap")]);

module.exports = Plotly;
