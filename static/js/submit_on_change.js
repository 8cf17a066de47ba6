/* A select marked data-submit-on-change sends its form as soon as a choice is
   made (the language switch in the navigation bar). This replaces an inline
   onchange handler, which the Content-Security-Policy refuses. One listener on
   the document also serves selects that htmx swaps in later. Without
   JavaScript the form's <noscript> button sends it. */
(function () {
  "use strict";
  document.addEventListener("change", function (event) {
    var select = event.target;
    if (!(select instanceof HTMLSelectElement) || !select.hasAttribute("data-submit-on-change") || !select.form) {
      return;
    }
    if (typeof select.form.requestSubmit === "function") {
      select.form.requestSubmit();
    } else {
      select.form.submit();
    }
  });
})();
