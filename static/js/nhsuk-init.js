// Starts NHS.UK frontend's components (header menu, skip link, error summary, tables...).
// NHS.UK frontend 10 ships as an ES module and its documented set-up is an inline module
// script; the Content-Security-Policy forbids inline script, so this file does that job.
// A browser that runs modules is one NHS.UK frontend supports: the body classes tell its CSS
// and components so, as the inline snippet in its page template would.
import { initAll } from "../vendor/nhsuk-frontend/nhsuk-frontend.min.js";

document.body.classList.add("js-enabled", "nhsuk-frontend-supported");
initAll();
