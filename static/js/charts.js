// Draws every chart on the page. Each chart's figure reaches the page as data, in a
// <script type="application/json"> element written by Django's json_script filter, and an
// element with data-figure="<that element's id>" marks where to draw it. Keeping the drawing
// here, in one static file, lets the Content-Security-Policy forbid inline script.
//
// A map (data-map) is drawn like any other chart; selecting an area opens the page its
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

// Below this width (a phone) charts are redrawn to fit: the figures are the same, only labels
// and spacing change.
var NARROW_WIDTH = 600;

// `text` broken onto lines of at most `max` characters (a longer word keeps its own line),
// joined with plotly's <br>, so a label is shown whole rather than clipped.
function wrapLabel(text, max) {
  var lines = [];
  text.split(" ").forEach(function (word) {
    var last = lines.length - 1;
    if (last >= 0 && (lines[last] + " " + word).length <= max) {
      lines[last] += " " + word;
    } else {
      lines.push(word);
    }
  });
  return lines.join("<br>");
}

// On a phone (a chart narrower than NARROW_WIDTH) the figure is laid out again to fit.
function fitNarrowScreen(fig, width) {
  if (width >= NARROW_WIDTH) {
    return;
  }
  stackMarkerLabels(fig.layout);
  wrapRowNames(fig, width);
}

// Labels above the plot that name its marker lines (the designation waves): staggered over
// three rows they fit a wide screen, but on a phone the lines are a few pixels apart and the
// labels overprint each other. There each label has a row of its own, the top margin growing
// to hold them and the plot keeping its height.
function stackMarkerLabels(layout) {
  var labels = (layout.annotations || []).filter(function (note) {
    return note.yref === "paper" && note.y > 1;
  });
  if (labels.length < 2 || !layout.height) {
    return;
  }
  var margin = Object.assign({ t: 30, b: 50 }, layout.margin);
  var plotHeight = layout.height - margin.t - margin.b;
  var rowHeight = 17;
  labels.forEach(function (note, index) {
    note.y = 1 + (4 + rowHeight * index) / plotHeight;
  });
  var top = 12 + rowHeight * labels.length;
  if (top > margin.t) {
    layout.height += top - margin.t;
    layout.margin = Object.assign({}, layout.margin, { t: top });
  }
}

// On a phone, a horizontal bar chart or heat map spends most of its width on the system
// names beside its bars, leaving bars a few pixels long, and clips names longer than plotly
// will make room for. There the names are wrapped onto short lines, each row is made taller
// to hold them, and a heat map's colour key moves under the grid.
function wrapRowNames(fig, width) {
  var layout = fig.layout;
  var max = Math.max(12, Math.floor(width / 15));
  var wrapped = {};
  var rows = 0;
  var extraLines = 0;
  fig.data.forEach(function (trace) {
    var sideways = trace.orientation === "h" || trace.type === "heatmap";
    if (!sideways || !Array.isArray(trace.y)) {
      return;
    }
    trace.y.forEach(function (label) {
      if (typeof label !== "string" || Object.prototype.hasOwnProperty.call(wrapped, label)) {
        return;
      }
      wrapped[label] = wrapLabel(label, max);
      rows += 1;
      extraLines = Math.max(extraLines, wrapped[label].split("<br>").length - 1);
    });
  });
  if (!rows) {
    return;
  }
  var rename = function (value) {
    return typeof value === "string" && Object.prototype.hasOwnProperty.call(wrapped, value)
      ? wrapped[value]
      : value;
  };
  // Every trace that names a row (the league table's national and target lines too).
  fig.data.forEach(function (trace) {
    if (Array.isArray(trace.y)) {
      trace.y = trace.y.map(rename);
    }
  });
  layout.yaxis = Object.assign({}, layout.yaxis, { automargin: true, tickfont: { size: 12 } });
  if (Array.isArray(layout.yaxis.categoryarray)) {
    layout.yaxis.categoryarray = layout.yaxis.categoryarray.map(rename);
  }
  layout.xaxis = Object.assign({}, layout.xaxis, { automargin: true });
  var title = layout.xaxis.title;
  if (title && typeof title.text === "string") {
    layout.xaxis.title = Object.assign({}, title, { text: wrapLabel(title.text, max * 2) });
  }
  var extraHeight = rows * extraLines * 12;
  fig.data.forEach(function (trace) {
    if (trace.type !== "heatmap") {
      return;
    }
    if (Array.isArray(trace.x)) {
      // The columns' names, level across the top rather than slanting off the left edge.
      trace.x = trace.x.map(function (label) {
        return typeof label === "string" ? wrapLabel(label, 10) : label;
      });
      layout.xaxis.tickangle = 0;
      layout.xaxis.tickfont = { size: 11 };
    }
    if (trace.showscale !== false) {
      // Narrower than the grid, so the words at either end of the key are not cut off.
      trace.colorbar = Object.assign({}, trace.colorbar, {
        orientation: "h",
        x: 0.5,
        xanchor: "center",
        y: -0.01,
        yanchor: "top",
        len: 0.6,
        thickness: 12,
      });
      layout.margin = Object.assign({}, layout.margin, { b: 70 });
      extraHeight += 50;
    }
    if (Array.isArray(trace.text)) {
      // A cell's level ("Requires improvement") on two short lines in a smaller type.
      trace.text = trace.text.map(function (row) {
        return row.map(function (text) {
          return typeof text === "string" ? wrapLabel(text, 11) : text;
        });
      });
      trace.textfont = Object.assign({}, trace.textfont, { size: 10 });
    }
  });
  if (layout.height) {
    layout.height += extraHeight;
  }
}

// plotly.js is loaded only by a page that draws a chart: the bundle with the chart traces, or
// on a page that draws a map the one that also has the map traces (it serves the page's other
// charts too). Their addresses are on this script's own element (base.html).
var bundles = document.currentScript ? document.currentScript.dataset : {};

function loadPlotly(plots) {
  var hasMap = plots.some(function (el) {
    return el.hasAttribute("data-map");
  });
  var src = hasMap ? bundles.plotlyMaps : bundles.plotlyCharts;
  return new Promise(function (resolve, reject) {
    var script = document.createElement("script");
    script.src = src;
    script.onload = resolve;
    script.onerror = function () {
      reject(new Error("could not load " + src));
    };
    document.head.appendChild(script);
  });
}

document.addEventListener("DOMContentLoaded", function () {
  var plots = Array.prototype.slice.call(document.querySelectorAll("[data-figure]"));
  if (!plots.length) {
    return;
  }
  loadPlotly(plots).then(function () {
    drawAll(plots);
  });
});

function drawAll(plots) {
  // No toolbar: its buttons would be focusable controls inside an element marked as an
  // image (role="img"), which screen readers cannot reach, and on a phone it covers the
  // legend. Each chart's figures are in the table beside it, and the hover labels stay.
  var config = {
    displaylogo: false,
    displayModeBar: false,
    responsive: true,
  };
  var mapConfig = Object.assign({}, config, { scrollZoom: false });
  plots.forEach(function (el) {
    var source = document.getElementById(el.getAttribute("data-figure"));
    if (!source) {
      return;
    }
    var fig = JSON.parse(source.textContent);
    if (!el.hasAttribute("data-map")) {
      fitNarrowScreen(fig, el.clientWidth);
      Plotly.newPlot(el, fig.data, fig.layout, config);
      return;
    }
    // England is taller than it is wide: on a narrow screen the map is made shorter too,
    // so it does not leave the page mostly empty space.
    fig.layout.height = Math.min(fig.layout.height, Math.max(320, el.clientWidth * 1.2));
    Plotly.newPlot(el, fig.data, fig.layout, mapConfig).then(function () {
      el.on("plotly_click", function (event) {
        var point = event.points && event.points[0];
        var url = point && point.customdata && point.customdata[1];
        if (url) {
          window.location.assign(withPageDate(url));
        }
      });
    });
  });
}
