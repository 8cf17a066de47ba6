/* The plan edit page's "Add a window": a copy of the formset's empty row (a
   <template> the page carries) is appended with the next index, and the
   formset's TOTAL_FORMS count goes up so the server reads it. Without
   JavaScript the button stays hidden and the page still offers empty rows. */
(function () {
  "use strict";
  var button = document.getElementById("add-window");
  var template = document.getElementById("window-row-template");
  var rows = document.getElementById("window-rows");
  var total = document.getElementById("id_windows-TOTAL_FORMS");
  var max = document.getElementById("id_windows-MAX_NUM_FORMS");
  if (!button || !template || !rows || !total) {
    return;
  }
  button.hidden = false;
  button.addEventListener("click", function () {
    var index = parseInt(total.value, 10);
    if (max && index >= parseInt(max.value, 10)) {
      button.disabled = true;
      return;
    }
    var html = template.innerHTML.replace(/__prefix__/g, String(index));
    var holder = document.createElement("div");
    holder.innerHTML = html;
    var row = holder.firstElementChild;
    rows.appendChild(row);
    total.value = String(index + 1);
    var first = row.querySelector("input");
    if (first) {
      first.focus();
    }
  });
  // A row ticked for deletion is greyed, so what will be saved is plain to see.
  rows.addEventListener("change", function (event) {
    var target = event.target;
    if (target && target.name && /-DELETE$/.test(target.name)) {
      var row = target.closest("[data-window-row]");
      if (row) {
        row.classList.toggle("is-removed", target.checked);
      }
    }
  });
})();
