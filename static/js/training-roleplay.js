// Role-play and daily-practice pages: reads the customer's line aloud where the browser has a
// Chinese voice (the 朗读 buttons stay hidden otherwise), and once a spoken answer is scored
// (the recorder's "recorder:result" event, static/js/recorder.js) reloads the page so the
// server shows the feedback and the next turn.
(function () {
  "use strict";

  var voice = null;

  function findVoice() {
    var voices = window.speechSynthesis.getVoices() || [];
    var any = null;
    for (var i = 0; i < voices.length; i++) {
      var lang = (voices[i].lang || "").replace("_", "-").toLowerCase();
      if (lang === "zh-cn") return voices[i];
      if (lang.indexOf("zh") === 0 && !any) any = voices[i];
    }
    return any;
  }

  function showButtons() {
    document.querySelectorAll("[data-speak]").forEach(function (button) { button.hidden = !voice; });
  }

  function speak(text) {
    if (!voice || !text) return;
    var utterance = new SpeechSynthesisUtterance(text);
    utterance.voice = voice;
    utterance.lang = voice.lang || "zh-CN";
    utterance.rate = 0.95;
    window.speechSynthesis.cancel();
    window.speechSynthesis.speak(utterance);
  }

  function setUpSpeech() {
    if (!("speechSynthesis" in window)) return;
    voice = findVoice();
    showButtons();
    window.speechSynthesis.addEventListener("voiceschanged", function () {
      voice = findVoice();
      showButtons();
    });
    document.addEventListener("click", function (event) {
      var button = event.target.closest("[data-speak]");
      if (button) speak(button.getAttribute("data-speak"));
    });
  }

  function setUpRecorder() {
    document.addEventListener("recorder:result", function (event) {
      var turn = event.detail || {};
      if (turn.state === "scored" || turn.state === "queued") {
        window.location.reload();
      }
    });
  }

  function init() {
    setUpSpeech();
    setUpRecorder();
    var box = document.getElementById("answer-box");
    if (box && window.location.hash) box.scrollIntoView({ block: "nearest" });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
