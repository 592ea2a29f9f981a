// Import job page: poll status.json every second and move the progress bar; reload when the job moves on.
// Without JavaScript the page refreshes itself (a <noscript> meta refresh), so this is an enhancement only.
(function () {
  "use strict";
  var box = document.querySelector(".import-progress");
  if (!box || !window.fetch) {
    return;
  }
  var url = box.getAttribute("data-status-url");
  var shownStatus = box.getAttribute("data-status");
  var bar = box.querySelector("progress");
  var text = box.querySelector(".progress-text");

  function show(data) {
    if (data.rows_total) {
      bar.max = data.rows_total;
      bar.value = data.rows_done;
      bar.textContent = (data.percent || 0) + "%";
    } else {
      bar.removeAttribute("value"); // an indeterminate bar while the file is still being read
    }
    text.textContent = data.text;
  }

  function poll() {
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        if (!response.ok) {
          throw new Error("status " + response.status);
        }
        return response.json();
      })
      .then(function (data) {
        if (!data.running || data.status !== shownStatus) {
          window.location.reload(); // the server renders the preview, errors or summary
          return;
        }
        show(data);
        window.setTimeout(poll, 1000);
      })
      .catch(function () {
        window.setTimeout(poll, 3000); // a hiccup of the network: try again, a little later
      });
  }

  window.setTimeout(poll, 1000);
})();
