// Click a page to enlarge it: arrow keys go to the next or previous page, Escape
// closes, "d" (or the button) shows what changed. Without JavaScript the links
// still open the large images.
(function () {
  "use strict";
  var box = document.getElementById("lightbox");
  var links = Array.prototype.slice.call(document.querySelectorAll("a.enlarge"));
  var image = box.querySelector("img");
  var caption = box.querySelector(".caption");
  var toggle = box.querySelector("button.diff");
  var current = -1;
  var showingDiff = false;

  function show(index, diff) {
    var link = links[index];
    current = index;
    showingDiff = Boolean(diff && link.dataset.diff);
    image.src = showingDiff ? link.dataset.diff : link.href;
    caption.textContent = link.dataset.caption + (showingDiff ? " (changes in red)" : "");
    toggle.hidden = !link.dataset.diff;
    toggle.textContent = showingDiff ? "Show page" : "Show changes";
    box.hidden = false;
  }

  function close() {
    box.hidden = true;
    image.removeAttribute("src");
    current = -1;
  }

  links.forEach(function (link, index) {
    link.addEventListener("click", function (event) {
      if (event.button !== 0 || event.ctrlKey || event.metaKey || event.shiftKey) return;
      event.preventDefault();
      show(index, false);
    });
  });
  toggle.addEventListener("click", function () { show(current, !showingDiff); });
  box.querySelector("button.close").addEventListener("click", close);
  box.addEventListener("click", function (event) { if (event.target === box) close(); });
  document.addEventListener("keydown", function (event) {
    if (box.hidden) return;
    if (event.key === "Escape") close();
    else if (event.key === "ArrowRight" && current + 1 < links.length) show(current + 1, false);
    else if (event.key === "ArrowLeft" && current > 0) show(current - 1, false);
    else if (event.key === "d") show(current, !showingDiff);
  });

  var only = document.getElementById("only-flagged");
  if (only) {
    only.addEventListener("change", function () {
      document.body.classList.toggle("only-flagged", only.checked);
    });
  }
})();
