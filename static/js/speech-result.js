// SpeechResult.render(container, turn): the result panel of one spoken or typed turn.
//
// `turn` is the JSON of trainer/practice/api.py (the detail of a "recorder:result" event):
// score and verdict, what was heard with forbidden phrases marked, the coloured diff against
// the approved phrasing, key points, reasons, delivery feedback (shown, not counted) and the
// player for the recording. Built with DOM calls only (textContent), never from HTML strings.
// Reusable by any page that shows turns; a "failed" turn gets a retry button that emits
// "speech:retry" (detail = the retry URL) for the page to hand to its Recorder.
(function () {
  "use strict";

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = text;
    return node;
  }

  function section(parent, title) {
    parent.appendChild(el("h3", "", title));
  }

  // The answer with what decided its verdict in a <mark>: 服务忌语 and rude remarks, negated
  // key points, remarks for the station head. Positions index the answer as scored.
  var FLAG_CLASSES = { forbidden: "forbidden", rude: "forbidden", negation: "negation", remark: "remark" };

  function markedAnswer(text, hits, flags) {
    var p = el("p", "said");
    var spans = (hits || []).map(function (hit) {
      return { start: hit.start, end: hit.end, css: "forbidden",
               title: (hit.kind || "服务忌语") + ":" + hit.phrase };
    }).concat((flags || []).map(function (flag) {
      return { start: flag.start, end: flag.end, css: FLAG_CLASSES[flag.kind] || "remark",
               title: flag.label };
    })).sort(function (a, b) { return a.start - b.start || (b.end - b.start) - (a.end - a.start); });
    var at = 0;
    spans.forEach(function (span) {
      if (span.start < at || span.end > text.length || span.end <= span.start) return;
      if (span.start > at) p.appendChild(document.createTextNode(text.slice(at, span.start)));
      var mark = el("mark", span.css, text.slice(span.start, span.end));
      mark.title = span.title;
      p.appendChild(mark);
      at = span.end;
    });
    p.appendChild(document.createTextNode(text.slice(at)));
    return p;
  }

  // The approved phrasing, coloured by what the answer did with each part.
  function diffLine(ops) {
    var p = el("p", "diff");
    (ops || []).forEach(function (op) {
      if (op.op === "equal") p.appendChild(el("span", "d-equal", op.expected));
      else if (op.op === "delete") {
        var missing = el("span", "d-delete", op.expected);
        missing.title = "漏说了";
        p.appendChild(missing);
      } else if (op.op === "insert") {
        var extra = el("span", "d-insert", op.answer);
        extra.title = "多说的";
        p.appendChild(extra);
      } else {
        var changed = el("span", "d-replace", op.expected);
        changed.title = "听到的是：" + op.answer;
        changed.appendChild(el("span", "heard", "(" + op.answer + ")"));
        p.appendChild(changed);
      }
    });
    return p;
  }

  function legend() {
    var box = el("p", "diff-legend");
    box.appendChild(el("span", "l-equal", "说对"));
    box.appendChild(el("span", "l-replace", "说得不同(括号里是听到的)"));
    box.appendChild(el("span", "l-delete", "漏说"));
    box.appendChild(el("span", "l-insert", "多说"));
    return box;
  }

  function list(className, items) {
    var ul = el("ul", className);
    items.forEach(function (text) { ul.appendChild(el("li", "", text)); });
    return ul;
  }

  function renderScored(box, turn) {
    var head = el("div", "result-head");
    var score = el("span", "result-score", String(turn.score));
    score.appendChild(el("small", "", " 分"));
    head.appendChild(score);
    head.appendChild(el("span", "verdict " + turn.verdict, turn.verdict_label));
    box.appendChild(head);
    box.classList.add("verdict-" + turn.verdict);

    if (turn.verdict === "review") {
      box.appendChild(el("p", "notice", "结果接近标准用语，已交给站长复核；复核后以站长的结论为准。"));
    }
    section(box, turn.spoken ? "识别到您说的" : "您的回答");
    box.appendChild(markedAnswer(turn.transcript || "", turn.forbidden, turn.flags));
    if (turn.forbidden && turn.forbidden.length) {
      var names = turn.forbidden.map(function (hit) { return "“" + hit.phrase + "”"; });
      box.appendChild(el("p", "notice bad", "说了服务忌语或不当的话 " + names.join("、") + "，这句直接判为不通过。"));
    }
    if (turn.diff && turn.diff.length) {
      section(box, "对照标准用语");
      box.appendChild(diffLine(turn.diff));
      box.appendChild(legend());
    }
    var points = turn.key_points || { hit: [], missed: [] };
    if (points.hit.length || points.missed.length) {
      section(box, "要点");
      var ul = el("ul", "points");
      points.hit.forEach(function (p) { ul.appendChild(el("li", "hit", "✓ " + p)); });
      points.missed.forEach(function (p) { ul.appendChild(el("li", "missed", "✗ " + p)); });
      box.appendChild(ul);
    }
    if (turn.reasons && turn.reasons.length) {
      section(box, "评语");
      box.appendChild(list("reasons", turn.reasons));
    }
    if (turn.delivery && turn.delivery.notes && turn.delivery.notes.length) {
      section(box, "表达(仅供参考，不计分)");
      box.appendChild(list("delivery", turn.delivery.notes));
    }
    if (turn.expected) {
      section(box, "标准用语");
      var line = el("p", "expected", turn.expected);
      var speak = el("button", "speak", "听标准读法");
      speak.type = "button";
      speak.setAttribute("data-speak", turn.expected);
      speak.hidden = true;
      line.appendChild(document.createTextNode(" "));
      line.appendChild(speak);
      box.appendChild(line);
    }
  }

  function renderPlayer(box, turn) {
    if (!turn.urls || !turn.urls.recording) return;
    section(box, "回放我的录音");
    var audio = el("audio");
    audio.controls = true;
    audio.preload = "none";
    audio.src = turn.urls.recording;
    box.appendChild(audio);
  }

  function render(container, turn) {
    container.textContent = "";
    container.className = container.className.replace(/\bverdict-\w+/g, "").trim();
    if (!turn || !turn.state || turn.state === "empty") {
      container.hidden = true;
      return;
    }
    container.hidden = false;
    if (turn.state === "scored") {
      renderScored(container, turn);
    } else if (turn.state === "queued") {
      container.appendChild(el("p", "notice", turn.message || "录音已保存，正在识别……"));
    } else if (turn.state === "no_speech") {
      container.appendChild(el("p", "notice bad", turn.message));
    } else if (turn.state === "failed") {
      container.appendChild(el("p", "notice bad", turn.message));
      if (turn.urls && turn.urls.retry) {
        var retry = el("button", "primary", "重新识别");
        retry.type = "button";
        retry.addEventListener("click", function () {
          container.dispatchEvent(new CustomEvent("speech:retry", { detail: turn.urls.retry, bubbles: true }));
        });
        container.appendChild(retry);
      }
    }
    renderPlayer(container, turn);
    container.dispatchEvent(new CustomEvent("speech:rendered", { detail: turn, bubbles: true }));
  }

  window.SpeechResult = { render: render };
})();
