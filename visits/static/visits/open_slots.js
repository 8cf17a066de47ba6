// An open time offered after a visit time was refused (templates/visits/_open_slots.html):
// a tap fills the form's date and times and nothing else, so whatever else was
// typed stays; the person checks the form and sends it. Included once per offer,
// hence the guard: one listener for the whole page.
(function () {
  "use strict";
  if (window.charterdeskOpenSlots) return;
  window.charterdeskOpenSlots = true;
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-slot-date]");
    if (!button) return;
    var form = button.closest("form");
    if (!form) return;
    var values = {date: button.dataset.slotDate, start_time: button.dataset.slotStart, end_time: button.dataset.slotEnd};
    Object.keys(values).forEach(function (name) {
      var input = form.querySelector('[name="' + name + '"]');
      if (!input) return;
      input.value = values[name];
      // The refusal was about the old time; the new one has not been checked yet.
      input.classList.remove("is-invalid");
      input.dispatchEvent(new Event("change", {bubbles: true}));
    });
    form.querySelectorAll("[data-slot-date]").forEach(function (other) {
      other.classList.toggle("active", other === button);
      other.setAttribute("aria-pressed", other === button ? "true" : "false");
    });
    var status = button.parentElement.querySelector("[data-slot-status]");
    if (status) status.textContent = button.dataset.slotFilled || "";
  });
})();
