// The certificate export page (templates/certificates/export.html): polls the job's progress
// record until it is done or failed, then offers the download. Slows down while the page is
// hidden; an unreachable server is retried, never reported as a finished export.
(function () {
  "use strict";

  function init() {
    var box = document.getElementById("export-job");
    if (!box) return;
    var url = box.getAttribute("data-status-url");
    var state = box.querySelector("[data-export-state]");
    var bar = box.querySelector("[data-export-bar]");
    var error = box.querySelector("[data-export-error]");
    var download = box.querySelector("[data-export-download]");
    var failures = 0;

    function show(job) {
      var counts = job.total === null || job.total === undefined ? "" : ":" + job.done + " / " + job.total;
      state.textContent = job.state_label + counts;
      bar.value = job.percent;
      bar.textContent = job.percent + "%";
      error.hidden = !job.error;
      error.textContent = job.error || "";
      download.hidden = job.state !== "done";
    }

    function poll() {
      fetch(url, { headers: { "Accept": "application/json" }, credentials: "same-origin" })
        .then(function (response) {
          if (!response.ok) throw new Error("HTTP " + response.status);
          return response.json();
        })
        .then(function (job) {
          failures = 0;
          show(job);
          if (!job.finished) schedule();
        })
        .catch(function () {
          failures++;
          state.textContent = "暂时连不上服务器,正在重试……";
          schedule();
        });
    }

    function schedule() {
      var delay = document.hidden ? 5000 : Math.min(1000 * Math.pow(2, failures), 10000);
      window.setTimeout(poll, delay);
    }

    poll();
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
