/// The one script: refreshes the page's live part every few seconds while the tab is visible (Ethoscope's page
/// polls the same way), and asks before destructive forms. Without it every page still works; it only stops
/// updating by itself.
enum WebScript {
    static let text = #"""
"use strict";
(function () {
  function live() { return document.getElementById("live"); }
  var busy = false;
  // Someone using the region (focus on one of its buttons, text selected in it) keeps it as it is for now.
  function inUse(region) {
    var focused = document.activeElement;
    if (focused && focused !== document.body && region.contains(focused)) return true;
    var selection = window.getSelection();
    return !!selection && !selection.isCollapsed && region.contains(selection.anchorNode);
  }
  function refresh() {
    var region = live();
    if (!region || !region.dataset.live || document.hidden || busy || inUse(region)) return;
    busy = true;
    fetch(window.location.href, { headers: { "X-Requested-With": "keepwatch-live" }, credentials: "same-origin", cache: "no-store" })
      .then(function (response) {
        if (response.redirected && new URL(response.url).pathname === "/login") { window.location.reload(); return null; }
        return response.ok ? response.text() : null;
      })
      .then(function (html) {
        if (!html) return;
        var fresh = new DOMParser().parseFromString(html, "text/html").getElementById("live");
        var current = live();
        if (fresh && current) current.replaceWith(document.importNode(fresh, true));
        follow();
      })
      .catch(function () {})
      .finally(function () { busy = false; });
  }
  function every() {
    var region = live();
    var period = region ? parseInt(region.dataset.live || "0", 10) : 0;
    return period >= 1000 ? period : 3000;
  }
  function loop() { refresh(); window.setTimeout(loop, every()); }
  document.addEventListener("visibilitychange", function () { if (!document.hidden) refresh(); });
  document.addEventListener("submit", function (event) {
    var form = event.target;
    var message = form.getAttribute("data-confirm");
    if (message && !window.confirm(message)) { event.preventDefault(); return; }
    // A filter form leaves out the fields left at "all" or empty, so the address says only what was chosen.
    if (form.method === "get") {
      var chosen = new URLSearchParams();
      new FormData(form).forEach(function (value, name) { if (value !== "") chosen.append(name, value); });
      var query = chosen.toString();
      event.preventDefault();
      window.location.assign(form.getAttribute("action") + (query ? "?" + query : ""));
    }
  });
  function follow() {
    var log = document.querySelector("pre.log[data-follow]");
    if (log) log.scrollTop = log.scrollHeight;
  }
  follow();
  window.setTimeout(loop, every());
})();
"""#
}
