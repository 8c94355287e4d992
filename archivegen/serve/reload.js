// archivegen preview: reload this tab after a successful rebuild, show build errors over the page.
// Served by `archivegen serve` only; the built site never contains it.
(function () {
  "use strict";
  var script = document.currentScript;
  var shown = script ? script.getAttribute("data-build") : null;
  var OVERLAY_ID = "archivegen-error-overlay";

  function element(tag, style, text) {
    var node = document.createElement(tag);
    node.setAttribute("style", style);
    if (text) node.textContent = text; // text, never markup: messages quote the user's files
    return node;
  }

  function where(error) {
    if (!error.path) return "";
    return error.path + (error.line ? ":" + error.line : "");
  }

  function showErrors(errors) {
    var old = document.getElementById(OVERLAY_ID);
    if (old) old.remove();
    if (!errors.length) return;
    var overlay = element(
      "div",
      "position:fixed;inset:0;z-index:2147483647;overflow:auto;background:rgba(20,0,0,.92);" +
        "color:#fff;font:14px/1.5 ui-monospace,monospace;padding:2em;"
    );
    overlay.id = OVERLAY_ID;
    overlay.setAttribute("role", "alert");
    overlay.appendChild(element("h2", "margin:0 0 1em;color:#ff8080;font-size:18px",
      "archivegen: the build failed; this page shows the last good build"));
    var list = element("ul", "list-style:none;margin:0;padding:0");
    errors.forEach(function (error) {
      var item = element("li", "margin:0 0 1em;white-space:pre-wrap");
      item.className = "archivegen-error";
      var place = where(error);
      if (place) item.appendChild(element("strong", "color:#ffd080", place));
      var text = (place ? ": " : "") + (error.field ? error.field + ": " : "") + error.message;
      item.appendChild(document.createTextNode(text));
      list.appendChild(item);
    });
    overlay.appendChild(list);
    overlay.appendChild(element("p", "color:#bbb", "Fix the file and save: this page updates."));
    document.body.appendChild(overlay);
  }

  // Connected once the page has loaded: the server takes a tab's return as the sign that
  // its reload is done before it starts slower work (the search index catching up). The
  // server sends the current state on connecting, so a build finished meanwhile is not missed.
  function connect() {
    var events = new EventSource("/__archivegen/events");
    events.addEventListener("state", function (event) {
      var state = JSON.parse(event.data);
      if (shown !== null && state.build !== shown) {
        events.close();
        // an edit moved this article (its title gave a new slug): follow it there; the
        // address comes from the server's build, and only a same-site path is followed
        var moved = state.moved && state.moved[location.pathname];
        if (typeof moved === "string" && moved.charAt(0) === "/" && moved.charAt(1) !== "/") {
          location.replace(moved + location.search + location.hash);
        } else {
          location.reload();
        }
        return;
      }
      showErrors(state.errors);
    });
  }
  if (document.readyState === "complete") {
    connect();
  } else {
    window.addEventListener("load", connect);
  }
})();
