// Starts NHS.UK frontend's components (header menu, skip link, error summary, tables...).
// NHS.UK frontend 10 ships as an ES module and its documented set-up is an inline module
// script; the Content-Security-Policy forbids inline script, so this file does that job.
// A browser that runs modules is one NHS.UK frontend supports: the body classes tell its CSS
// and components so, as the inline snippet in its page template would.
import { initAll } from "../vendor/nhsuk-frontend/nhsuk-frontend.min.js";

document.body.classList.add("js-enabled", "nhsuk-frontend-supported");
initAll();

// Conditional reveals on radios (the board summary form's region, wave or system). NHS.UK
// frontend's radios module marks each radio aria-expanded, which ARIA does not allow on a
// radio (axe: aria-allowed-attr); this does the same showing and hiding with aria-controls
// alone, the radio's checked state saying which panel is open.
document.querySelectorAll(".app-radios--reveal").forEach(function (group) {
  var inputs = group.querySelectorAll("input[type=radio]");
  function sync() {
    inputs.forEach(function (input) {
      var panel = document.getElementById(input.getAttribute("aria-controls") || "");
      if (panel) {
        panel.classList.toggle("nhsuk-radios__conditional--hidden", !input.checked);
      }
    });
  }
  inputs.forEach(function (input) {
    input.addEventListener("change", sync);
  });
  sync();
});
