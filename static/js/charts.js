// Draws every chart on the page. Each chart's figure reaches the page as data, in a
// <script type="application/json"> element written by Django's json_script filter, and an
// element with data-figure="<that element's id>" marks where to draw it. Keeping the drawing
// here, in one static file, lets the Content-Security-Policy forbid inline script.
"use strict";

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
  plots.forEach(function (el) {
    var source = document.getElementById(el.getAttribute("data-figure"));
    if (!source) {
      return;
    }
    var fig = JSON.parse(source.textContent);
    Plotly.newPlot(el, fig.data, fig.layout, config);
  });
});
