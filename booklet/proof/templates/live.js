// Live preview (added by booklet serve): reload when a new proof is ready, show
// why a build failed, and show that a build is running. Texts are set with
// textContent, so an error message is shown as text, never as markup.
(function () {
  "use strict";
  var seen = document.currentScript.dataset.generation;
  var banner = null;
  var status = null;

  function showStatus(text) {
    if (!status) {
      status = document.createElement("div");
      status.id = "booklet-status";
      status.style.cssText = "position:fixed;right:1em;bottom:1em;z-index:30;padding:.4em .8em;" +
        "border-radius:4px;background:#263238;color:#fff;font:600 14px system-ui,sans-serif";
      document.body.appendChild(status);
    }
    status.textContent = text;
    status.hidden = !text;
  }

  function showProblem(text) {
    if (!banner) {
      banner = document.createElement("div");
      banner.id = "booklet-error";
      banner.setAttribute("role", "alert");
      banner.style.cssText = "position:sticky;top:0;z-index:20;margin:0;padding:.8em 1em;" +
        "background:#b00020;color:#fff;font:14px/1.4 system-ui,sans-serif";
      var title = document.createElement("strong");
      title.textContent = "The build failed: the pages below are from the last good build.";
      banner.appendChild(title);
      banner.appendChild(document.createElement("pre"));
      banner.lastChild.style.cssText = "margin:.5em 0 0;white-space:pre-wrap;font:13px monospace";
      document.body.insertBefore(banner, document.body.firstChild);
    }
    banner.lastChild.textContent = text;
  }

  function clearProblem() {
    if (banner) {
      banner.remove();
      banner = null;
    }
  }

  function connect() {
    // The page shown is named too: the server builds what is in view first.
    var source = new EventSource("/events?seen=" + encodeURIComponent(seen) +
                                 "&page=" + encodeURIComponent(location.pathname));
    source.addEventListener("reload", function () {
      source.close();
      location.reload();
    });
    source.addEventListener("problem", function (event) {
      showStatus("");
      showProblem(event.data);
    });
    source.addEventListener("building", function () { showStatus("Rebuilding…"); });
    source.addEventListener("ready", function () {
      showStatus("");
      clearProblem();
    });
    source.onerror = function () {  // the server restarted or stopped: try again
      source.close();
      showStatus("Preview server not reachable: retrying…");
      setTimeout(connect, 2000);
    };
  }

  connect();
})();
