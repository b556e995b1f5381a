// The single-phrase practice page: shows each result of the recorder, switches to "再练一次"
// once the try is scored, offers the review request, and reads the approved phrasing aloud
// with the browser's speech synthesis where it has a Chinese voice (the buttons stay hidden
// otherwise).
(function () {
  "use strict";

  var chineseVoice = null;

  function findVoice() {
    if (!("speechSynthesis" in window)) return null;
    var voices = window.speechSynthesis.getVoices() || [];
    var exact = null, any = null;
    for (var i = 0; i < voices.length; i++) {
      var lang = (voices[i].lang || "").replace("_", "-").toLowerCase();
      if (lang === "zh-cn" && !exact) exact = voices[i];
      if (lang.indexOf("zh") === 0 && !any) any = voices[i];
    }
    return exact || any;
  }

  function showSpeakButtons() {
    var buttons = document.querySelectorAll("[data-speak]");
    for (var i = 0; i < buttons.length; i++) buttons[i].hidden = !chineseVoice;
  }

  function setUpSpeech() {
    if (!("speechSynthesis" in window)) return;
    chineseVoice = findVoice();
    showSpeakButtons();
    window.speechSynthesis.addEventListener("voiceschanged", function () {
      chineseVoice = findVoice();
      showSpeakButtons();
    });
    document.addEventListener("click", function (event) {
      var button = event.target.closest("[data-speak]");
      if (!button || !chineseVoice) return;
      var utterance = new SpeechSynthesisUtterance(button.getAttribute("data-speak"));
      utterance.voice = chineseVoice;
      utterance.lang = chineseVoice.lang || "zh-CN";
      utterance.rate = 0.9;
      window.speechSynthesis.cancel();
      window.speechSynthesis.speak(utterance);
    });
  }

  function init() {
    var result = document.getElementById("result");
    var answerBox = document.getElementById("answer-box");
    var afterBox = document.getElementById("after-box");
    var reviewBox = document.getElementById("review-box");
    var reviewNote = document.getElementById("review-note");
    if (!result) return;
    var recorderRoot = answerBox && answerBox.querySelector("[data-recorder]");

    function apply(turn) {
      window.SpeechResult.render(result, turn);
      showSpeakButtons();
      var attempt = turn.attempt || {};
      var done = turn.state === "scored" && attempt.status === "scored";
      if (answerBox) answerBox.hidden = done;
      if (afterBox) afterBox.hidden = !done;
      if (!done) return;
      if (reviewNote) {
        reviewNote.hidden = attempt.review_state === "none";
        reviewNote.textContent = attempt.review_state === "pending"
          ? "复核状态：等待站长复核。" : (attempt.review_label ? "复核状态：" + attempt.review_label + "。" : "");
      }
      if (reviewBox) reviewBox.hidden = !attempt.can_request_review;
    }

    var initial = {};
    try { initial = JSON.parse(result.getAttribute("data-state") || "{}"); } catch (e) { initial = {}; }
    apply(initial);
    if (recorderRoot) {
      recorderRoot.addEventListener("recorder:result", function (event) { apply(event.detail); });
      result.addEventListener("speech:retry", function (event) {
        if (recorderRoot.recorder) recorderRoot.recorder.retry(event.detail);
      });
      if (initial.state === "queued" && initial.urls && initial.urls.status && recorderRoot.recorder) {
        recorderRoot.recorder.show(initial);
        recorderRoot.recorder.poll(initial.urls.status);
      }
    }
    setUpSpeech();
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
