// The fueling drill stopwatch at the pump (templates/station/drill.html). The head taps the
// step the attendant has just reached (the big button is always the next step in the standard
// order; tapping a step in the list records that one instead, for work done out of order).
// Each tap writes the seconds since the first step into that step's field, which is what the
// form sends: without JavaScript the head types the same seconds himself. The time limits of
// the station's standard count down live and turn red when they are exceeded.
(function () {
  "use strict";

  function init() {
    var form = document.getElementById("drill-form");
    if (!form) return;
    var watch = document.getElementById("stopwatch");
    var clock = document.getElementById("drill-clock");
    var next = document.getElementById("drill-next");
    var undo = document.getElementById("drill-undo");
    var reset = document.getElementById("drill-reset");
    var steps = Array.prototype.slice.call(form.querySelectorAll("[data-step]"));
    var limits = Array.prototype.slice.call(document.querySelectorAll("[data-limit]"));
    var order = [];          // step ids in the order tapped
    var started = null;      // performance.now() of the first step
    var timer = null;

    watch.hidden = false;
    form.classList.add("is-live");
    steps.forEach(function (li) {
      li.querySelector("[data-tap]").hidden = false;
      li.querySelector(".st-step-manual").hidden = true;
    });

    function field(id) { return document.getElementById("step-" + id); }
    function label(id) {
      var li = form.querySelector('[data-step="' + id + '"]');
      return li ? li.querySelector("[data-tap]").textContent.replace("★", "").trim() : id;
    }
    function seconds() { return started === null ? 0 : (performance.now() - started) / 1000; }
    function recorded(id) { return field(id).value.trim() !== ""; }
    function timeOf(id) { var v = parseFloat(field(id).value); return isNaN(v) ? null : v; }
    function nextStep() {
      for (var i = 0; i < steps.length; i++) {
        var id = steps[i].getAttribute("data-step");
        if (!recorded(id)) return id;
      }
      return null;
    }
    function finished() { return nextStep() === null; }

    function render() {
      var now = seconds();
      clock.textContent = now.toFixed(1) + " 秒";
      var upcoming = nextStep();
      if (started === null) next.textContent = "开始计时:" + label(steps[0].getAttribute("data-step"));
      else if (upcoming) next.textContent = "下一步:" + label(upcoming);
      else next.textContent = "全部完成";
      next.disabled = started !== null && !upcoming;
      undo.hidden = order.length === 0;
      reset.hidden = order.length === 0;
      steps.forEach(function (li) {
        var id = li.getAttribute("data-step");
        li.classList.toggle("is-done", recorded(id));
        li.classList.toggle("is-next", id === upcoming && started !== null);
      });
      limits.forEach(function (li) {
        var start = timeOf(li.getAttribute("data-start"));
        var end = timeOf(li.getAttribute("data-end"));
        var allowed = parseFloat(li.getAttribute("data-seconds"));
        var out = li.querySelector("[data-limit-clock]");
        if (start === null) { out.hidden = true; li.classList.remove("is-over", "is-kept"); return; }
        var taken = (end === null ? (started === null ? 0 : now) : end) - start;
        out.hidden = false;
        out.textContent = (end === null ? "进行中 " : "用时 ") + taken.toFixed(1) + " 秒";
        li.classList.toggle("is-over", taken > allowed);
        li.classList.toggle("is-kept", end !== null && taken <= allowed);
      });
    }

    function tick() {
      render();
      if (started !== null && !finished()) timer = window.requestAnimationFrame(tick);
      else timer = null;
    }

    function record(id) {
      if (recorded(id)) return;
      if (started === null) {
        started = performance.now();
        field(id).value = "0";
      } else {
        field(id).value = seconds().toFixed(1);
      }
      order.push(id);
      if (timer === null) tick(); else render();
      if (navigator.vibrate) navigator.vibrate(30);
    }

    next.addEventListener("click", function () {
      var id = started === null ? steps[0].getAttribute("data-step") : nextStep();
      if (id) record(id);
    });
    form.addEventListener("click", function (event) {
      var tap = event.target.closest("[data-tap]");
      if (tap) record(tap.getAttribute("data-tap"));
    });
    undo.addEventListener("click", function () {
      var id = order.pop();
      if (id) field(id).value = "";
      if (order.length === 0) started = null;
      if (timer === null) tick(); else render();
    });
    reset.addEventListener("click", function () {
      if (!window.confirm("清除全部计时,重新开始?")) return;
      order.forEach(function (id) { field(id).value = ""; });
      order = [];
      started = null;
      render();
    });
    form.addEventListener("input", render);
    render();
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
