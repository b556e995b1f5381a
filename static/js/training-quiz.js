// The quiz page: saves answers as the trainee goes (so a lost connection or a closed tab can
// be resumed), counts down to the deadline and hands in at zero, lets ordering questions be
// sorted with ↑ ↓, and asks before handing in with questions unanswered.
(function () {
  "use strict";

  var SAVE_DELAY_MS = 1200;

  function csrfToken() {
    var meta = document.querySelector('meta[name="csrf-token"]');
    return meta ? meta.getAttribute("content") : "";
  }

  function pad(n) { return String(n).padStart(2, "0"); }

  function setUpSaving(form, stateLine) {
    var url = form.getAttribute("data-save-url");
    var timer = null;
    var closed = false;

    function save() {
      timer = null;
      if (closed) return;
      var body = new FormData(form);
      fetch(url, {
        method: "POST", body: body, credentials: "same-origin",
        headers: { "X-CSRFToken": csrfToken(), "Accept": "application/json" }
      }).then(function (response) {
        if (response.status === 409) {
          closed = true;
          window.location.reload();
          return;
        }
        if (!response.ok) throw new Error(String(response.status));
        var now = new Date();
        stateLine.textContent = "已自动保存 " + pad(now.getHours()) + ":" + pad(now.getMinutes());
      }).catch(function () {
        stateLine.textContent = "自动保存失败，请检查网络；交卷时会一起提交";
      });
    }

    function later() {
      if (timer) window.clearTimeout(timer);
      timer = window.setTimeout(save, SAVE_DELAY_MS);
    }

    form.addEventListener("change", later);
    form.addEventListener("input", later);
    return later;
  }

  // A question counts as answered once the trainee chose something. An ordering question
  // shown as a sortable list counts only after he moved a step (or said the order is right):
  // the numbers the script fills in for the list are not his answer.
  function isAnswered(box) {
    var list = box.querySelector("[data-ordering].is-sortable");
    if (list) return list.getAttribute("data-touched") === "1";
    var answered = false;
    box.querySelectorAll("input, select").forEach(function (input) {
      if ((input.type === "radio" || input.type === "checkbox") && input.checked) answered = true;
      if (input.type === "text" && input.value.trim()) answered = true;
      if (input.tagName === "SELECT" && input.value) answered = true;
    });
    return answered;
  }

  function unansweredCount(form) {
    var missing = 0;
    form.querySelectorAll("fieldset.question").forEach(function (box) {
      var answered = isAnswered(box);
      if (!answered) missing += 1;
      var link = document.querySelector('[data-nav="' + box.getAttribute("data-number") + '"]');
      if (link) link.classList.toggle("is-answered", answered);
    });
    var count = document.querySelector("[data-answered-count]");
    if (count) count.textContent = String(form.querySelectorAll("fieldset.question").length - missing);
    return missing;
  }

  function updateConfirm(form) {
    var missing = unansweredCount(form);
    if (missing) form.setAttribute("data-confirm", "还有 " + missing + " 题没有作答，确定交卷吗？");
    else form.setAttribute("data-confirm", "确定交卷吗？交卷后不能再修改。");
  }

  function setUpClock(clock, form) {
    var deadline = Date.parse(clock.getAttribute("data-deadline"));
    var serverNow = Date.parse(clock.getAttribute("data-now"));
    if (isNaN(deadline) || isNaN(serverNow)) return;
    // Count from the server's time at render: the phone's own clock may be wrong.
    var endsAt = Date.now() + (deadline - serverNow);
    function tick() {
      var left = Math.max(0, Math.round((endsAt - Date.now()) / 1000));
      clock.textContent = "剩余 " + Math.floor(left / 60) + ":" + pad(left % 60);
      clock.classList.toggle("is-low", left <= 60);
      if (left <= 0) {
        clock.textContent = "时间到，正在交卷……";
        form.removeAttribute("data-confirm");
        form.submit();
        return;
      }
      window.setTimeout(tick, 1000);
    }
    tick();
  }

  function setUpOrdering(list, changed) {
    list.classList.add("is-sortable");
    var hint = list.previousElementSibling;
    if (hint && hint.hasAttribute("data-sortable-hint")) {
      hint.textContent = hint.getAttribute("data-sortable-hint");
    }
    var rows = Array.prototype.slice.call(list.children);
    var numbers = rows.map(function (row) { return parseInt(row.querySelector("select").value, 10); });
    var complete = numbers.every(function (n) { return n > 0; });
    if (complete) {
      rows.sort(function (a, b) {
        return parseInt(a.querySelector("select").value, 10) - parseInt(b.querySelector("select").value, 10);
      });
      rows.forEach(function (row) { list.appendChild(row); });
    }
    // Untouched, the selects stay empty: nothing is saved or handed in as his order.
    var keep = document.createElement("p");
    keep.className = "ordering-untouched";
    keep.textContent = "还没有排序。拖动 ⠿ 或用 ↑ ↓ 调整；";
    var keepButton = document.createElement("button");
    keepButton.type = "button";
    keepButton.className = "small";
    keepButton.textContent = "顺序已经正确";
    keep.appendChild(keepButton);
    list.parentNode.insertBefore(keep, list.nextSibling);

    function renumber() {
      Array.prototype.forEach.call(list.children, function (row, index) {
        row.querySelector("select").value = String(index + 1);
      });
    }
    function touch() {
      list.setAttribute("data-touched", "1");
      keep.hidden = true;
      renumber();
      changed();
      list.dispatchEvent(new Event("change", { bubbles: true }));
    }
    if (complete) {
      list.setAttribute("data-touched", "1");
      keep.hidden = true;
      renumber();
    }
    keepButton.addEventListener("click", touch);
    list.querySelectorAll(".step-move").forEach(function (box) { box.hidden = false; });
    list.addEventListener("click", function (event) {
      var button = event.target.closest("[data-move]");
      if (!button) return;
      var row = button.closest("li");
      var step = parseInt(button.getAttribute("data-move"), 10);
      if (step < 0 && row.previousElementSibling) list.insertBefore(row, row.previousElementSibling);
      if (step > 0 && row.nextElementSibling) list.insertBefore(row.nextElementSibling, row);
      touch();
      button.focus();
    });
    setUpDragging(list, touch);
  }

  // Drag a step by its handle (mouse, pen or finger) to where it belongs; ↑ ↓ stay for
  // keyboards and screen readers.
  function setUpDragging(list, touch) {
    Array.prototype.forEach.call(list.children, function (row) {
      var handle = document.createElement("span");
      handle.className = "drag-handle";
      handle.textContent = "⠿";
      handle.setAttribute("aria-hidden", "true");
      handle.title = "按住拖动";
      row.insertBefore(handle, row.firstChild);
    });
    var dragged = null;
    list.addEventListener("pointerdown", function (event) {
      var handle = event.target.closest(".drag-handle");
      if (!handle) return;
      event.preventDefault();
      dragged = handle.closest("li");
      dragged.classList.add("is-dragging");
      handle.setPointerCapture(event.pointerId);
    });
    // Moving the row in the page releases its pointer capture: follow the pointer on the
    // document until it is lifted.
    document.addEventListener("pointermove", function (event) {
      if (!dragged) return;
      var others = Array.prototype.filter.call(list.children, function (row) { return row !== dragged; });
      var before = null;
      for (var i = 0; i < others.length; i++) {
        var box = others[i].getBoundingClientRect();
        if (event.clientY < box.top + box.height / 2) { before = others[i]; break; }
      }
      if (before !== dragged.nextElementSibling || (!before && dragged !== list.lastElementChild)) {
        list.insertBefore(dragged, before);
      }
    });
    function drop() {
      if (!dragged) return;
      dragged.classList.remove("is-dragging");
      dragged = null;
      touch();
    }
    document.addEventListener("pointerup", drop);
    document.addEventListener("pointercancel", drop);
  }

  function init() {
    var form = document.getElementById("quiz-form");
    if (!form) return;
    var stateLine = document.querySelector("[data-save-state]");
    var changed = setUpSaving(form, stateLine || document.createElement("span"));
    form.querySelectorAll("[data-ordering]").forEach(function (list) { setUpOrdering(list, changed); });
    updateConfirm(form);
    form.addEventListener("change", function () { updateConfirm(form); });
    form.addEventListener("input", function () { updateConfirm(form); });
    var clock = document.querySelector(".clock[data-deadline]");
    if (clock) setUpClock(clock, form);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
