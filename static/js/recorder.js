// Recorder: the microphone answer of any spoken turn (single phrases, encounters, daily practice).
//
// Markup (templates/practice/_recorder.html, macro `recorder`):
//   <div data-recorder data-upload-url="..." data-text-url="..." data-max-seconds="60"
//        data-max-bytes="5242880"> with children data-rec="toggle|label|timer|meter|level|message|
//        typed-box|typed" </div>
//   and <meta name="csrf-token" content="..."> in the page head (or data-csrf on the element).
//
// Every [data-recorder] is bound on load; `new Recorder(element)` binds one added later, and
// `element.recorder` is the instance. Events, dispatched on the element (they bubble):
//   recorder:result  detail = the turn JSON of trainer/practice/api.py ({state: scored|queued|
//                    failed|no_speech, ...}); "queued" turns are polled until they change,
//                    showing the server's message (排队第 N 位 / 识别中 with an estimate)
//   recorder:error   detail = {message, code, status}   (already shown in the message line)
//   recorder:state   detail = {state: idle|starting|recording|uploading|waiting}
// Methods: start(), stop(), submitText(text), retry(url), poll(url), reset().
//
// Capture: MediaRecorder in whatever the browser offers (Chrome webm/opus, Firefox ogg/opus,
// Safari mp4/aac); where MediaRecorder is missing, 16 kHz 16-bit WAV through a
// ScriptProcessor. The server converts all of them. The typed answer always stays available.
(function () {
  "use strict";

  var MIME_TYPES = ["audio/webm;codecs=opus", "audio/ogg;codecs=opus", "audio/mp4", "audio/webm",
    "audio/ogg", "audio/aac"];
  var EXTENSIONS = { webm: "webm", ogg: "ogg", mp4: "m4a", aac: "aac", wav: "wav" };
  var WAV_RATE = 16000;
  var POLL_MS = 1000;
  var POLL_LIMIT = 300;

  function isLocalHost(host) {
    return host === "localhost" || host === "127.0.0.1" || host === "[::1]" || /\.localhost$/.test(host);
  }

  function chooseMimeType() {
    if (!window.MediaRecorder || typeof MediaRecorder.isTypeSupported !== "function") return "";
    for (var i = 0; i < MIME_TYPES.length; i++) {
      if (MediaRecorder.isTypeSupported(MIME_TYPES[i])) return MIME_TYPES[i];
    }
    return "";
  }

  function extensionFor(type) {
    var base = (type || "").split(";")[0].split("/")[1] || "";
    return EXTENSIONS[base] || "webm";
  }

  function formatSeconds(seconds) {
    var s = Math.max(0, Math.floor(seconds));
    return Math.floor(s / 60) + ":" + String(s % 60).padStart(2, "0");
  }

  function microphoneMessage(error) {
    var name = error && error.name;
    if (name === "NotAllowedError" || name === "SecurityError" || name === "PermissionDeniedError") {
      return "浏览器没有允许使用麦克风。请在地址栏左侧的网站设置里允许“麦克风”，然后刷新本页；也可以先用下面的文字作答。";
    }
    if (name === "NotFoundError" || name === "DevicesNotFoundError" || name === "OverconstrainedError") {
      return "没有找到麦克风。请插好耳麦或换一台有麦克风的设备；也可以用下面的文字作答。";
    }
    if (name === "NotReadableError" || name === "TrackStartError" || name === "AbortError") {
      return "麦克风正被其他应用(通话、录音软件)占用。请关闭它后重试，或用下面的文字作答。";
    }
    return "无法打开麦克风，请重试，或用下面的文字作答。";
  }

  // --- WAV capture where MediaRecorder is missing ------------------------------------------

  function WavCapture(context, source) {
    this.context = context;
    this.chunks = [];
    this.node = context.createScriptProcessor(4096, 1, 1);
    var chunks = this.chunks;
    this.node.onaudioprocess = function (event) {
      chunks.push(new Float32Array(event.inputBuffer.getChannelData(0)));
    };
    source.connect(this.node);
    // A ScriptProcessor only runs while connected to the output; it writes silence there.
    this.node.connect(context.destination);
  }

  WavCapture.prototype.finish = function () {
    this.node.disconnect();
    var length = 0, i;
    for (i = 0; i < this.chunks.length; i++) length += this.chunks[i].length;
    var input = new Float32Array(length), offset = 0;
    for (i = 0; i < this.chunks.length; i++) { input.set(this.chunks[i], offset); offset += this.chunks[i].length; }
    return encodeWav(downsample(input, this.context.sampleRate, WAV_RATE), WAV_RATE);
  };

  function downsample(input, fromRate, toRate) {
    if (fromRate <= toRate) return input;
    var ratio = fromRate / toRate, out = new Float32Array(Math.floor(input.length / ratio));
    for (var i = 0; i < out.length; i++) {
      // Averaging each window is a cheap low-pass filter: no aliasing whistle on 44.1/48 kHz input.
      var start = Math.floor(i * ratio), end = Math.min(input.length, Math.floor((i + 1) * ratio)), sum = 0;
      for (var j = start; j < end; j++) sum += input[j];
      out[i] = end > start ? sum / (end - start) : 0;
    }
    return out;
  }

  function encodeWav(samples, rate) {
    var buffer = new ArrayBuffer(44 + samples.length * 2), view = new DataView(buffer);
    function text(offset, value) { for (var i = 0; i < value.length; i++) view.setUint8(offset + i, value.charCodeAt(i)); }
    text(0, "RIFF"); view.setUint32(4, 36 + samples.length * 2, true); text(8, "WAVE");
    text(12, "fmt "); view.setUint32(16, 16, true); view.setUint16(20, 1, true); view.setUint16(22, 1, true);
    view.setUint32(24, rate, true); view.setUint32(28, rate * 2, true); view.setUint16(32, 2, true);
    view.setUint16(34, 16, true); text(36, "data"); view.setUint32(40, samples.length * 2, true);
    for (var i = 0; i < samples.length; i++) {
      var s = Math.max(-1, Math.min(1, samples[i]));
      view.setInt16(44 + i * 2, s < 0 ? s * 0x8000 : s * 0x7fff, true);
    }
    return new Blob([view], { type: "audio/wav" });
  }

  // --- the recorder -------------------------------------------------------------------------

  function Recorder(root) {
    if (root.recorder) return root.recorder;
    this.root = root;
    root.recorder = this;
    this.uploadUrl = root.dataset.uploadUrl;
    this.textUrl = root.dataset.textUrl;
    this.maxSeconds = parseFloat(root.dataset.maxSeconds) || 60;
    this.maxBytes = parseInt(root.dataset.maxBytes, 10) || 5 * 1024 * 1024;
    var meta = document.querySelector('meta[name="csrf-token"]');
    this.csrf = root.dataset.csrf || (meta && meta.getAttribute("content")) || "";
    this.el = {};
    var parts = root.querySelectorAll("[data-rec]");
    for (var i = 0; i < parts.length; i++) this.el[parts[i].getAttribute("data-rec")] = parts[i];
    this.state = "idle";
    this.pollToken = 0;
    this.bind();
    this.checkSupport();
  }

  Recorder.prototype.bind = function () {
    var self = this;
    if (this.el.toggle) {
      this.el.toggle.addEventListener("click", function () {
        if (self.state === "recording") self.stop();
        else if (self.state === "idle") self.start();
      });
    }
    if (this.el.typed) {
      this.el.typed.addEventListener("submit", function (event) {
        event.preventDefault();
        var field = self.el.typed.querySelector("textarea, input[name=text]");
        self.submitText(field ? field.value : "");
      });
    }
  };

  Recorder.prototype.checkSupport = function () {
    var secure = window.isSecureContext || isLocalHost(location.hostname);
    if (!secure) {
      return this.unavailable("浏览器只在加密连接(https)或本机地址下允许使用麦克风。请用 https:// 开头的站内地址打开本页(见使用说明)，或先用下面的文字作答。");
    }
    if (!navigator.mediaDevices || typeof navigator.mediaDevices.getUserMedia !== "function") {
      return this.unavailable("这个浏览器不支持录音。请换用新版的 Chrome、Edge、Firefox 或 Safari，或用下面的文字作答。");
    }
    if (!window.MediaRecorder && !(window.AudioContext || window.webkitAudioContext)) {
      return this.unavailable("这个浏览器不支持录音。请换用新版浏览器，或用下面的文字作答。");
    }
    this.el.toggle && (this.el.toggle.disabled = false);
    this.say("按下“开始录音”，说完后再按一次“停止”。");
  };

  Recorder.prototype.unavailable = function (message) {
    if (this.el.toggle) this.el.toggle.disabled = true;
    if (this.el["typed-box"]) this.el["typed-box"].open = true;
    this.say(message, true);
    this.root.classList.add("no-microphone");
  };

  Recorder.prototype.say = function (message, isError, busy) {
    var line = this.el.message;
    if (!line) return;
    line.textContent = message || "";
    line.classList.toggle("is-error", !!isError);
    line.classList.toggle("is-busy", !!busy);
  };

  Recorder.prototype.setState = function (state) {
    this.state = state;
    this.root.classList.toggle("is-recording", state === "recording");
    this.root.classList.toggle("is-busy", state === "uploading" || state === "waiting" || state === "starting");
    if (this.el.label) this.el.label.textContent = state === "recording" ? "停止" : "开始录音";
    if (this.el.toggle && !this.root.classList.contains("no-microphone")) {
      this.el.toggle.disabled = !(state === "idle" || state === "recording");
    }
    // One answer per turn: while a recording is on its way or being recognised, the typed
    // answer is locked (the server refuses it too).
    var locked = state === "uploading" || state === "recording" || state === "waiting";
    var typedParts = this.el.typed ? this.el.typed.querySelectorAll("button, textarea, input") : [];
    for (var i = 0; i < typedParts.length; i++) typedParts[i].disabled = locked;
    this.root.classList.toggle("is-locked", locked);
    this.emit("state", { state: state });
  };

  Recorder.prototype.emit = function (name, detail) {
    this.root.dispatchEvent(new CustomEvent("recorder:" + name, { detail: detail, bubbles: true }));
  };

  Recorder.prototype.start = function () {
    var self = this;
    var Context = window.AudioContext || window.webkitAudioContext;
    // Created inside the tap: iOS only lets audio start from a user gesture.
    this.context = Context ? new Context() : null;
    this.setState("starting");
    this.say("正在打开麦克风……", false, true);
    navigator.mediaDevices.getUserMedia({
      audio: { echoCancellation: true, noiseSuppression: true, autoGainControl: true, channelCount: 1 }
    }).then(function (stream) {
      self.begin(stream);
    }).catch(function (error) {
      self.cleanup();
      self.setState("idle");
      if (self.el["typed-box"]) self.el["typed-box"].open = true;
      self.say(microphoneMessage(error), true);
      self.emit("error", { message: microphoneMessage(error), code: "microphone", status: 0 });
    });
  };

  Recorder.prototype.begin = function (stream) {
    var self = this;
    this.stream = stream;
    this.chunks = [];
    this.capture = null;
    this.mediaRecorder = null;
    if (this.context && this.context.state === "suspended") this.context.resume();
    var source = this.context ? this.context.createMediaStreamSource(stream) : null;
    if (source) this.startMeter(source);
    try {
      if (window.MediaRecorder) {
        var type = chooseMimeType();
        var options = { audioBitsPerSecond: 32000 };
        if (type) options.mimeType = type;
        this.mediaRecorder = new MediaRecorder(stream, options);
        this.mediaRecorder.ondataavailable = function (event) {
          if (event.data && event.data.size) self.chunks.push(event.data);
        };
        this.mediaRecorder.onstop = function () {
          var blobType = self.mediaRecorder.mimeType || type || "audio/webm";
          self.finish(new Blob(self.chunks, { type: blobType }));
        };
        this.mediaRecorder.start(1000);
      } else {
        this.capture = new WavCapture(this.context, source);
      }
    } catch (error) {
      this.cleanup();
      this.setState("idle");
      this.say("无法开始录音，请重试，或用下面的文字作答。", true);
      return;
    }
    this.startedAt = Date.now();
    this.setState("recording");
    this.say("正在录音，说完请按“停止”。");
    this.timer = window.setInterval(function () { self.tick(); }, 200);
  };

  Recorder.prototype.tick = function () {
    var elapsed = (Date.now() - this.startedAt) / 1000;
    if (this.el.timer) this.el.timer.textContent = formatSeconds(elapsed) + " / " + formatSeconds(this.maxSeconds);
    if (elapsed >= this.maxSeconds) {
      this.say("已到最长录音时间，自动停止。");
      this.stop();
    }
  };

  Recorder.prototype.startMeter = function (source) {
    var self = this;
    var analyser = this.context.createAnalyser();
    analyser.fftSize = 1024;
    source.connect(analyser);
    var data = new Uint8Array(analyser.fftSize);
    var quietSince = Date.now();
    function draw() {
      if (!self.stream) return;
      analyser.getByteTimeDomainData(data);
      var sum = 0;
      for (var i = 0; i < data.length; i++) { var v = (data[i] - 128) / 128; sum += v * v; }
      var rms = Math.sqrt(sum / data.length);
      // Speech sits around 0.02-0.3 RMS; a square root spreads it across the bar.
      var level = Math.min(1, Math.sqrt(rms * 4));
      if (self.el.level) self.el.level.style.transform = "scaleX(" + level.toFixed(3) + ")";
      if (rms > 0.01) quietSince = Date.now();
      self.root.classList.toggle("is-quiet", Date.now() - quietSince > 2500);
      self.meterFrame = window.requestAnimationFrame(draw);
    }
    draw();
  };

  Recorder.prototype.stop = function () {
    if (this.state !== "recording") return;
    window.clearInterval(this.timer);
    this.setState("uploading");
    if (this.mediaRecorder && this.mediaRecorder.state !== "inactive") {
      this.mediaRecorder.stop();  // onstop -> finish
    } else if (this.capture) {
      var blob = this.capture.finish();
      this.finish(blob);
    }
  };

  Recorder.prototype.finish = function (blob) {
    this.cleanup();
    if (!blob || !blob.size) {
      this.setState("idle");
      this.say("没有录到声音，请再录一次。", true);
      return;
    }
    if (blob.size > this.maxBytes) {
      this.setState("idle");
      this.say("录音太大，请缩短回答后重新录音。", true);
      return;
    }
    this.upload(blob);
  };

  Recorder.prototype.cleanup = function () {
    window.clearInterval(this.timer);
    if (this.meterFrame) window.cancelAnimationFrame(this.meterFrame);
    if (this.stream) this.stream.getTracks().forEach(function (track) { track.stop(); });
    this.stream = null;
    if (this.context && this.context.state !== "closed") this.context.close();
    this.context = null;
    if (this.el.level) this.el.level.style.transform = "scaleX(0)";
    this.root.classList.remove("is-quiet");
  };

  Recorder.prototype.upload = function (blob) {
    var form = new FormData();
    form.append("audio", blob, "answer." + extensionFor(blob.type));
    this.say("上传中……", false, true);
    this.send(this.uploadUrl, form);
  };

  Recorder.prototype.submitText = function (text) {
    if (!text || !text.trim()) {
      this.say("请先输入您的回答。", true);
      return;
    }
    if (this.state !== "idle") return;
    var form = new FormData();
    form.append("text", text.trim());
    this.setState("uploading");
    this.say("正在评分……", false, true);
    this.send(this.textUrl, form);
  };

  Recorder.prototype.retry = function (url) {
    if (this.state !== "idle") return;
    this.setState("uploading");
    this.say("正在重新识别……", false, true);
    this.send(url, new FormData());
  };

  Recorder.prototype.send = function (url, body) {
    var self = this;
    this.request(url, { method: "POST", body: body }).then(function (result) {
      self.handle(result);
    });
  };

  Recorder.prototype.request = function (url, options) {
    options.credentials = "same-origin";
    options.headers = { "Accept": "application/json", "X-CSRFToken": this.csrf };
    return fetch(url, options).then(function (response) {
      return response.json().then(function (data) {
        return { status: response.status, data: data };
      }, function () {
        return { status: response.status, data: { error: "服务器返回了无法识别的内容(" + response.status + ")，请稍后重试。", code: "bad_response" } };
      });
    }, function () {
      return { status: 0, data: { error: "网络中断，没有连上服务器。请检查网络后重试。", code: "network" } };
    });
  };

  Recorder.prototype.handle = function (result) {
    var data = result.data || {};
    if (!data.state) {
      this.setState("idle");
      var message = data.error || "提交失败，请重试。";
      this.say(message, true);
      this.emit("error", { message: message, code: data.code || "", status: result.status });
      return;
    }
    this.show(data);
    this.emit("result", data);
    if (data.state === "queued" && data.urls && data.urls.status) this.poll(data.urls.status);
  };

  Recorder.prototype.show = function (data) {
    if (data.state === "queued") {
      this.setState("waiting");
      this.say(data.message || "录音已保存，正在识别……", false, true);
      return;
    }
    this.setState("idle");
    if (data.state === "scored") this.say("评分完成，结果见下方。");
    else if (data.state === "no_speech") this.say(data.message, true);
    else if (data.state === "failed") this.say(data.message, true);
    else this.say("");
  };

  Recorder.prototype.poll = function (url) {
    var self = this, token = ++this.pollToken, count = 0;
    function next() {
      if (token !== self.pollToken) return;
      if (++count > POLL_LIMIT) {
        self.setState("idle");
        self.say("识别还没有完成。录音已保存，请稍后刷新本页查看结果。", true);
        return;
      }
      self.request(url, { method: "GET" }).then(function (result) {
        if (token !== self.pollToken) return;
        var data = result.data || {};
        if (data.state === "queued" || (!data.state && result.status === 0)) {
          if (data.message) self.say(data.message, false, true);  // 排队第 N 位 → 识别中
          window.setTimeout(next, POLL_MS);
          return;
        }
        self.handle(result);
      });
    }
    window.setTimeout(next, POLL_MS);
  };

  Recorder.prototype.reset = function () {
    this.pollToken++;
    this.cleanup();
    this.setState("idle");
    if (this.el.timer) this.el.timer.textContent = formatSeconds(0) + " / " + formatSeconds(this.maxSeconds);
  };

  window.Recorder = Recorder;

  function bindAll() {
    var roots = document.querySelectorAll("[data-recorder]");
    for (var i = 0; i < roots.length; i++) new Recorder(roots[i]);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", bindAll);
  else bindAll();
})();
