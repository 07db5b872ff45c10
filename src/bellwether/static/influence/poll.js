// Reload a page that waits for the worker, every data-poll milliseconds.
(function () {
  "use strict";
  var el = document.querySelector("[data-poll]");
  if (!el) { return; }
  setTimeout(function () { window.location.reload(); }, parseInt(el.getAttribute("data-poll"), 10) || 2000);
})();
