/* The customer's signature on the engineer's phone (visits: resolve with sign-off).
 *
 * Pointer events cover finger, pen and mouse. The drawing goes to the hidden
 * input as a PNG data URL when the form is sent; the server checks it
 * (visits/signatures.py). A drawing sent back with a form error is painted
 * again, so nothing the customer did is lost. */
(function () {
  "use strict";

  function setUp(form) {
    var canvas = form.querySelector("canvas.signature-pad");
    var input = form.querySelector("input[name=signature]");
    if (!canvas || !input) { return; }
    var ctx = canvas.getContext("2d");
    var drawing = false;
    var drawn = false;
    var last = null;

    function pen() {
      ctx.lineWidth = 3;
      ctx.lineCap = "round";
      ctx.lineJoin = "round";
      ctx.strokeStyle = "#111";
    }

    function point(event) {
      var rect = canvas.getBoundingClientRect();
      return {
        x: (event.clientX - rect.left) * (canvas.width / rect.width),
        y: (event.clientY - rect.top) * (canvas.height / rect.height)
      };
    }

    function start(event) {
      event.preventDefault();
      drawing = true;
      last = point(event);
      if (canvas.setPointerCapture && event.pointerId !== undefined) {
        try { canvas.setPointerCapture(event.pointerId); } catch (e) { /* not capturable: fine */ }
      }
      // A tap leaves a dot.
      pen();
      ctx.beginPath();
      ctx.arc(last.x, last.y, 1.5, 0, Math.PI * 2);
      ctx.fillStyle = "#111";
      ctx.fill();
      drawn = true;
    }

    function move(event) {
      if (!drawing) { return; }
      event.preventDefault();
      var p = point(event);
      pen();
      ctx.beginPath();
      ctx.moveTo(last.x, last.y);
      ctx.lineTo(p.x, p.y);
      ctx.stroke();
      last = p;
      drawn = true;
    }

    function stop() {
      if (drawing && drawn) { input.value = canvas.toDataURL("image/png"); }
      drawing = false;
      last = null;
    }

    canvas.style.touchAction = "none";
    canvas.addEventListener("pointerdown", start);
    canvas.addEventListener("pointermove", move);
    canvas.addEventListener("pointerup", stop);
    canvas.addEventListener("pointercancel", stop);
    canvas.addEventListener("pointerleave", stop);

    var clear = form.querySelector("[data-signature-clear]");
    if (clear) {
      clear.addEventListener("click", function () {
        ctx.clearRect(0, 0, canvas.width, canvas.height);
        input.value = "";
        drawn = false;
      });
    }

    form.addEventListener("submit", function () {
      if (drawn) { input.value = canvas.toDataURL("image/png"); }
    });

    if (input.value && input.value.indexOf("data:image/png;base64,") === 0) {
      var image = new Image();
      image.onload = function () { ctx.drawImage(image, 0, 0, canvas.width, canvas.height); drawn = true; };
      image.src = input.value;
    }
  }

  document.querySelectorAll("form[data-signature-form]").forEach(setUp);
})();
