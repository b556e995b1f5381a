// The grooming checklist (templates/station/grooming.html): counts the entries checked and
// moves to the next unchecked one, so the head can go down the list with one thumb.
(function () {
  "use strict";

  function init() {
    var form = document.getElementById("checklist-form");
    if (!form) return;
    var entries = Array.prototype.slice.call(form.querySelectorAll("[data-entry]"));
    var progress = document.getElementById("checklist-progress");

    function answered(entry) { return entry.querySelector("input:checked") !== null; }

    function update() {
      var done = entries.filter(answered).length;
      var failed = form.querySelectorAll('.is-critical input[value="0"]:checked').length;
      progress.hidden = false;
      progress.textContent = "已检查 " + done + "/" + entries.length + " 项" +
        (failed ? ",关键项不符合 " + failed + " 项(不通过)" : "");
      entries.forEach(function (entry) {
        var chosen = entry.querySelector("input:checked");
        entry.classList.toggle("is-yes", !!chosen && chosen.value === "1");
        entry.classList.toggle("is-no", !!chosen && chosen.value === "0");
      });
    }

    // 全部符合 without reloading: entries already answered keep their answer.
    var allYes = form.querySelector("[data-all-yes]");
    if (allYes) {
      allYes.addEventListener("click", function (event) {
        event.preventDefault();
        entries.forEach(function (entry) {
          if (!answered(entry)) entry.querySelector('input[value="1"]').checked = true;
        });
        update();
      });
    }

    form.addEventListener("change", function (event) {
      update();
      var entry = event.target.closest("[data-entry]");
      var index = entries.indexOf(entry);
      for (var i = index + 1; i < entries.length; i++) {
        if (!answered(entries[i])) {
          entries[i].scrollIntoView({ behavior: "smooth", block: "center" });
          break;
        }
      }
    });
    update();
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
