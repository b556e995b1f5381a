// The live spoken check (templates/station/spoken.html): several phrases on one page, each with
// its own recorder (static/js/recorder.js) and result panel (static/js/speech-result.js).
(function () {
  "use strict";

  function bind(turn) {
    var result = turn.querySelector("[data-result]");
    var root = turn.querySelector("[data-recorder]");
    if (!result || !root) return;

    function show(payload) {
      if (!payload || payload.state === "empty") { result.hidden = true; return; }
      window.SpeechResult.render(result, payload);
      result.hidden = false;
      turn.classList.toggle("is-answered", payload.state === "scored");
    }

    var initial = {};
    try { initial = JSON.parse(result.getAttribute("data-state") || "{}"); } catch (e) { initial = {}; }
    show(initial);
    root.addEventListener("recorder:result", function (event) { show(event.detail); });
    result.addEventListener("speech:retry", function (event) {
      if (root.recorder) root.recorder.retry(event.detail);
    });
    if (initial.state === "queued" && initial.urls && initial.urls.status && root.recorder) {
      root.recorder.show(initial);
      root.recorder.poll(initial.urls.status);
    }
  }

  function init() {
    var turns = document.querySelectorAll("[data-turn]");
    for (var i = 0; i < turns.length; i++) bind(turns[i]);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
