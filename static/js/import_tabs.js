// New import page: show one of the two ways (file or pasted text) at a time.
// Without JavaScript both sections stay visible one below the other, and the tab links jump to them.
(function () {
  "use strict";
  var nav = document.querySelector(".import-tabs");
  if (!nav) {
    return;
  }
  var tabs = nav.querySelectorAll("[data-tab]");
  var panels = document.querySelectorAll("[data-panel]");

  function activate(name) {
    tabs.forEach(function (tab) {
      var on = tab.getAttribute("data-tab") === name;
      tab.setAttribute("aria-current", on ? "true" : "false");
    });
    panels.forEach(function (panel) {
      panel.hidden = panel.getAttribute("data-panel") !== name;
    });
  }

  tabs.forEach(function (tab) {
    tab.addEventListener("click", function (event) {
      event.preventDefault();
      var name = tab.getAttribute("data-tab");
      activate(name);
      history.replaceState(null, "", "#" + name);
    });
  });

  var fromHash = window.location.hash.replace("#", "");
  var start = nav.getAttribute("data-active") || "upload";
  activate(fromHash === "upload" || fromHash === "paste" ? fromHash : start);
  nav.classList.add("import-tabs-active");
})();
