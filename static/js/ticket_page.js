/* The staff ticket page, folded for phones (tickets/staff/ticket_detail.html).
 *
 * Every section is a <details> that opens on tap. This script:
 * - opens them all on wide screens, where two columns have room;
 * - opens the section the next step points to (its link's #fragment), and the
 *   one the address names (a link from elsewhere, the "more" menu), scrolling to it;
 * - on a tap of a link to a part of this page, opens the folds around that part first;
 * - asks for a panel drawn on demand (data-panel-url) when its fold first opens.
 * Without it every section is still there, one tap on its summary away. */
(function () {
  "use strict";

  function openTo(id) {
    var target = id ? document.getElementById(id) : null;
    if (!target) { return null; }
    for (var node = target; node; node = node.parentElement) {
      if (node.tagName === "DETAILS") { node.open = true; }
    }
    return target;
  }

  // The page's own address: after a refused form the browser shows the form's URL instead.
  var sections = document.querySelector("[data-page]");
  var pagePath = sections ? sections.getAttribute("data-page") : window.location.pathname;

  function hashOf(link) {
    var url = new URL(link.href, window.location.href);
    var here = url.pathname === window.location.pathname && url.search === window.location.search;
    if (!here && !(url.pathname === pagePath && !url.search)) { return ""; }
    return decodeURIComponent(url.hash.slice(1));
  }

  // Panels drawn on demand (tickets.panels.OnDemand): fetched once, when the fold
  // around them opens (a tap, a link, or every fold on a wide screen). `toggle`
  // does not bubble, so it is caught on the way down.
  // A wide screen's folds open (below) before htmx has started, which it does
  // when the document is ready: a request asked for earlier would be lost.
  function whenReady(fn) {
    if (document.readyState === "loading") {
      document.addEventListener("DOMContentLoaded", fn, { once: true });
    } else { fn(); }
  }

  document.addEventListener("toggle", function (event) {
    var fold = event.target;
    if (fold.tagName !== "DETAILS" || !fold.open || !window.htmx) { return; }
    fold.querySelectorAll("[data-panel-url]:not([data-asked])").forEach(function (panel) {
      panel.setAttribute("data-asked", "");
      whenReady(function () {
        window.htmx.ajax("GET", panel.getAttribute("data-panel-url"), { target: panel, swap: "outerHTML" });
      });
    });
  }, true);

  if (window.matchMedia("(min-width: 992px)").matches) {
    document.querySelectorAll("details.ticket-fold").forEach(function (fold) { fold.open = true; });
  }

  var step = document.querySelector("#next-step a[data-step]");
  if (step) { openTo(hashOf(step)); }

  if (window.location.hash.length > 1) {
    var shown = openTo(decodeURIComponent(window.location.hash.slice(1)));
    if (shown) { shown.scrollIntoView({ block: "start" }); }
  }

  document.addEventListener("click", function (event) {
    var link = event.target.closest ? event.target.closest("a[href*='#']") : null;
    if (!link) { return; }
    var id = hashOf(link);
    if (!id) { return; }
    var target = openTo(id);
    if (!target) { return; }
    event.preventDefault();
    if (window.history && window.history.replaceState) { window.history.replaceState(null, "", "#" + id); }
    target.scrollIntoView({ block: "start" });
  });
})();
