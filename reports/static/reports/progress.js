// Board summary progress: polls the summary's status endpoint (JSON) and updates the progress
// bar and message; reloads the page once the build has finished, to show the download or the
// failure. Without script the page refreshes itself (a <noscript> meta refresh). A static
// file, so the Content-Security-Policy can forbid inline script.
"use strict";

document.addEventListener("DOMContentLoaded", function () {
  var panel = document.querySelector("[data-summary-status-url]");
  if (!panel) {
    return;
  }
  var url = panel.getAttribute("data-summary-status-url");
  var bar = panel.querySelector("progress");
  var percent = panel.querySelector("[data-summary-percent]");
  var message = panel.querySelector("[data-summary-message]");
  var status = document.querySelector("[data-summary-status]");  // in the summary list above

  function show(data) {
    if (bar) {
      bar.value = data.progress;
    }
    if (percent) {
      percent.textContent = data.progress + "%";
    }
    if (message) {
      message.textContent = data.message;
    }
    if (status) {
      status.textContent = data.status_label;
    }
  }

  function poll() {
    fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (response) {
        if (!response.ok) {
          throw new Error("status " + response.status);
        }
        return response.json();
      })
      .then(function (data) {
        show(data);
        if (data.finished) {
          window.location.reload();
          return;
        }
        window.setTimeout(poll, 1500);
      })
      .catch(function () {
        window.setTimeout(poll, 5000);
      });
  }

  window.setTimeout(poll, 1000);
});
