// A form's error summary (data-error-summary): moved into focus when the page loads, so a keyboard or
// screen-reader user starts at the list of errors; each link then focuses its field, opening a closed
// <details> around it. The page works without this file: the links still jump to their fields.
(function () {
  function focusSummary() {
    var summary = document.querySelector("[data-error-summary]");
    if (!summary) {
      return;
    }
    if (document.activeElement !== summary) {
      summary.focus({ preventScroll: true });
    }
    // Only as far as needed: the page heading above the summary stays in view when it fits.
    summary.scrollIntoView({ block: "nearest" });
    summary.addEventListener("click", function (event) {
      var link = event.target.closest("a[href^='#']");
      if (!link) {
        return;
      }
      var field = document.getElementById(decodeURIComponent(link.getAttribute("href").slice(1)));
      if (!field) {
        return;
      }
      event.preventDefault();
      var details = field.closest("details");
      if (details) {
        details.open = true;
      }
      var label = document.querySelector("label[for='" + field.id + "']");
      (label || field).scrollIntoView({ block: "center" });
      field.focus({ preventScroll: true });
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", focusSummary);
  } else {
    focusSummary();
  }
})();
