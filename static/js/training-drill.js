// The timed drill: tap the steps in the order of the real work while the clock runs; the
// order and the time (to the last tap) go with the form. Without JavaScript the numbered
// selects of the page do the same job and the server times it.
(function () {
  "use strict";

  function init() {
    var form = document.getElementById("drill-form");
    if (!form) return;
    var clock = document.getElementById("drill-clock");
    var chosenList = document.getElementById("drill-chosen");
    var undo = document.getElementById("drill-undo");
    var orderField = document.getElementById("drill-order");
    var elapsedField = document.getElementById("drill-elapsed");
    var allowed = parseFloat(form.getAttribute("data-allowed")) || 0;
    var buttons = Array.prototype.slice.call(form.querySelectorAll(".drill-pick"));
    var chosen = [];
    var started = performance.now();
    var stoppedAt = null;

    form.classList.add("is-live");
    buttons.forEach(function (button) { button.hidden = false; });

    function elapsed() { return (stoppedAt === null ? performance.now() : stoppedAt) - started; }

    function tick() {
      var seconds = elapsed() / 1000;
      clock.textContent = seconds.toFixed(1) + " 秒";
      clock.classList.toggle("is-over", allowed > 0 && seconds > allowed);
      if (stoppedAt === null) window.requestAnimationFrame(tick);
    }

    function render() {
      chosenList.textContent = "";
      chosen.forEach(function (button) {
        var li = document.createElement("li");
        li.textContent = button.textContent;
        chosenList.appendChild(li);
      });
      undo.hidden = chosen.length === 0;
      orderField.value = chosen.map(function (b) { return b.getAttribute("data-step"); }).join(",");
      if (chosen.length === buttons.length) {
        if (stoppedAt === null) stoppedAt = performance.now();
        elapsedField.value = String(Math.round(elapsed()));
      } else {
        if (stoppedAt !== null) { stoppedAt = null; tick(); }
        elapsedField.value = "";
      }
    }

    form.addEventListener("click", function (event) {
      var button = event.target.closest(".drill-pick");
      if (!button || button.disabled) return;
      button.disabled = true;
      chosen.push(button);
      render();
    });
    undo.addEventListener("click", function () {
      var last = chosen.pop();
      if (last) last.disabled = false;
      render();
    });
    form.addEventListener("submit", function (event) {
      if (chosen.length !== buttons.length) {
        event.preventDefault();
        clock.textContent = "请把每一步都点完再提交";
      }
    });
    tick();
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
