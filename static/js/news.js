// News page: copy buttons, and the preview and HTML code following what is typed in the two boxes.
// Without JavaScript the page shows the generated text, its preview and its HTML, all selectable;
// the buttons stay hidden. The HTML is built as reports/news.py's news_html builds it: the headline
// as <h2>, one <p> per paragraph (paragraphs are separated by a blank line), <br> between lines.
(function () {
  "use strict";
  function part(name) {
    return document.querySelector('[data-news="' + name + '"]');
  }
  var title = part("title");
  var body = part("body");
  var preview = part("preview");
  var code = part("html");
  var actions = part("actions");
  var status = part("status");
  if (!title || !body || !preview || !code || !actions) {
    return;
  }

  function oneLine(text) {
    return text.replace(/\s+/g, " ").trim();
  }

  function blocks(text) {
    var result = [];
    text.replace(/\r\n?/g, "\n").split(/\n[ \t]*\n/).forEach(function (block) {
      var lines = block.split("\n").map(function (line) { return line.trim(); }).filter(Boolean);
      if (lines.length) {
        result.push(lines);
      }
    });
    return result;
  }

  function escape(text) {
    return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;")
      .replace(/"/g, "&quot;").replace(/'/g, "&#x27;");
  }

  function html() {
    var parts = [];
    var heading = oneLine(title.value);
    if (heading) {
      parts.push("<h2>" + escape(heading) + "</h2>");
    }
    blocks(body.value).forEach(function (lines) {
      parts.push("<p>" + lines.map(escape).join("<br>\n") + "</p>");
    });
    return parts.join("\n");
  }

  function plainText() {
    return oneLine(title.value) + "\n\n" + body.value.trim();
  }

  // The preview is rebuilt from text nodes, never from HTML, so typed markup stays text.
  function refresh() {
    while (preview.firstChild) {
      preview.removeChild(preview.firstChild);
    }
    var heading = oneLine(title.value);
    if (heading) {
      var h2 = document.createElement("h2");
      h2.textContent = heading;
      preview.appendChild(h2);
    }
    blocks(body.value).forEach(function (lines) {
      var p = document.createElement("p");
      lines.forEach(function (line, index) {
        if (index) {
          p.appendChild(document.createElement("br"));
        }
        p.appendChild(document.createTextNode(line));
      });
      preview.appendChild(p);
    });
    code.value = html();
  }

  function copyBySelection(text) {
    var scratch = document.createElement("textarea");
    scratch.value = text;
    scratch.setAttribute("readonly", "");
    scratch.className = "visually-hidden";
    document.body.appendChild(scratch);
    scratch.select();
    var done = false;
    try {
      done = document.execCommand("copy");
    } catch (error) {
      done = false;
    }
    document.body.removeChild(scratch);
    return done ? Promise.resolve() : Promise.reject(new Error("copy"));
  }

  function copy(kind) {
    var text = kind === "html" ? html() : plainText();
    if (!navigator.clipboard || !window.isSecureContext) {
      return copyBySelection(text);
    }
    if (kind === "html" && window.ClipboardItem && navigator.clipboard.write) {
      // Rich editors paste the formatted news; plain boxes (a CMS's source view) get the HTML code.
      var item = new window.ClipboardItem({
        "text/html": new Blob([text], { type: "text/html" }),
        "text/plain": new Blob([text], { type: "text/plain" })
      });
      return navigator.clipboard.write([item]).catch(function () { return copyBySelection(text); });
    }
    return navigator.clipboard.writeText(text).catch(function () { return copyBySelection(text); });
  }

  function say(message) {
    if (status) {
      status.textContent = message || "";
    }
  }

  title.addEventListener("input", refresh);
  body.addEventListener("input", refresh);
  actions.querySelectorAll("[data-copy]").forEach(function (button) {
    button.addEventListener("click", function () {
      var kind = button.getAttribute("data-copy");
      say("");
      copy(kind).then(
        function () { say(button.getAttribute("data-done")); },
        function () { say(actions.getAttribute("data-failed")); }
      );
    });
  });
  actions.hidden = false;
}());
