// A table wider than the screen scrolls inside itself (kyoten.css): let the keyboard reach it.
(function () {
  function check(t) {
    if (t.scrollWidth > t.clientWidth + 1) {
      if (!t.hasAttribute("tabindex")) t.setAttribute("tabindex", "0");
    } else if (t.getAttribute("tabindex") === "0") {
      t.removeAttribute("tabindex");
    }
  }
  var observer = "ResizeObserver" in window
    ? new ResizeObserver(function (entries) { entries.forEach(function (e) { check(e.target); }); })
    : null;
  function watch() {
    document.querySelectorAll("main table").forEach(function (t) {
      check(t);
      if (observer) observer.observe(t);
    });
  }
  document.addEventListener("DOMContentLoaded", watch);
  window.addEventListener("load", watch);
  document.addEventListener("htmx:afterSettle", watch);
})();
