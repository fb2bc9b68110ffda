// A small tus 1.0.0 uploader: resumes after a dropped connection or a page reload
// (the upload URL is remembered per file), checks every chunk with SHA-256 when the
// browser allows, and shows progress, speed and time left. No dependencies.
(function () {
  "use strict";
  var root = document.getElementById("uploader");
  if (!root) return;
  var input = document.getElementById("video-file");
  var startButton = document.getElementById("upload-start");
  var pauseButton = document.getElementById("upload-pause");
  var bar = document.getElementById("upload-progress");
  var statusLine = document.getElementById("upload-status");
  var d = root.dataset;
  var DEFAULT_CHUNK = 4 * 1024 * 1024;
  var paused = false, running = false, retryDelay = 1000;
  var samples = [];

  function say(text) { statusLine.textContent = text; }
  function key(file) {
    return "tus:" + d.entry + ":" + file.name + ":" + file.size + ":" + file.lastModified;
  }
  function b64(text) { return btoa(unescape(encodeURIComponent(text))); }

  function request(method, url, headers, body, onProgress) {
    return new Promise(function (resolve, reject) {
      var xhr = new XMLHttpRequest();
      xhr.open(method, url);
      xhr.setRequestHeader("Tus-Resumable", "1.0.0");
      xhr.setRequestHeader("Authorization", "Bearer " + d.token);
      Object.keys(headers).forEach(function (h) { xhr.setRequestHeader(h, headers[h]); });
      if (onProgress) xhr.upload.onprogress = onProgress;
      xhr.onload = function () { resolve(xhr); };
      xhr.onerror = xhr.ontimeout = xhr.onabort = function () { reject(new Error("network")); };
      xhr.send(body || null);
    });
  }

  function human(bytes) {
    var units = ["B", "KB", "MB", "GB"], i = 0;
    while (bytes >= 1024 && i < units.length - 1) { bytes /= 1024; i++; }
    return bytes.toFixed(i ? 1 : 0) + " " + units[i];
  }
  function clock(seconds) {
    if (!isFinite(seconds)) return "…";
    seconds = Math.round(seconds);
    var m = Math.floor(seconds / 60), s = seconds % 60;
    return (m ? m + " " + d.msgMin + " " : "") + s + " " + d.msgSec;
  }
  function showProgress(sent, total) {
    var now = Date.now();
    samples.push([now, sent]);
    while (samples.length > 2 && now - samples[0][0] > 8000) samples.shift();
    var first = samples[0], speed = 0;
    if (now > first[0]) speed = (sent - first[1]) / ((now - first[0]) / 1000);
    bar.value = total ? (100 * sent) / total : 0;
    say(Math.floor(bar.value) + "% · " + human(sent) + " / " + human(total) + " · " +
        human(speed) + "/s · " + clock(speed > 0 ? (total - sent) / speed : Infinity) +
        " " + d.msgLeft);
    root.dataset.offset = String(sent);
  }

  function checksum(blob) {
    if (!(window.crypto && crypto.subtle)) return Promise.resolve(null);
    return blob.arrayBuffer().then(function (buf) {
      return crypto.subtle.digest("SHA-256", buf);
    }).then(function (digest) {
      var bytes = new Uint8Array(digest), text = "";
      for (var i = 0; i < bytes.length; i++) text += String.fromCharCode(bytes[i]);
      return "sha256 " + btoa(text);
    });
  }

  function locate(file) {
    var saved = localStorage.getItem(key(file));
    var resume = saved ? request("HEAD", saved, {}).then(function (xhr) {
      if (xhr.status === 200) return { url: saved, offset: +xhr.getResponseHeader("Upload-Offset") };
      localStorage.removeItem(key(file));
      return null;
    }) : Promise.resolve(null);
    return resume.then(function (found) {
      if (found) return found;
      var meta = "entry " + b64(d.entry) + ",filename " + b64(file.name);
      return request("POST", d.endpoint, { "Upload-Length": String(file.size), "Upload-Metadata": meta })
        .then(function (xhr) {
          if (xhr.status !== 201) throw new Error("refused:" + (xhr.responseText || xhr.status));
          var url = xhr.getResponseHeader("Location");
          localStorage.setItem(key(file), url);
          return { url: url, offset: 0 };
        });
    });
  }

  function sendFrom(file, url, offset) {
    if (paused) { running = false; return Promise.resolve(); }
    if (offset >= file.size) return Promise.resolve("done");
    var chunk = +d.chunkSize || DEFAULT_CHUNK;
    var blob = file.slice(offset, Math.min(file.size, offset + chunk));
    return checksum(blob).then(function (sum) {
      var headers = { "Upload-Offset": String(offset), "Content-Type": "application/offset+octet-stream" };
      if (sum) headers["Upload-Checksum"] = sum;
      return request("PATCH", url, headers, blob, function (e) { showProgress(offset + e.loaded, file.size); });
    }).then(function (xhr) {
      if (xhr.status === 204) {
        retryDelay = 1000;
        var next = +xhr.getResponseHeader("Upload-Offset");
        showProgress(next, file.size);
        return sendFrom(file, url, next);
      }
      if (xhr.status === 409 || xhr.status === 460 || xhr.status === 423) throw new Error("resync");
      if (xhr.status === 404 || xhr.status === 410) { localStorage.removeItem(key(file)); throw new Error("restart"); }
      throw new Error("refused:" + (xhr.responseText || xhr.status));
    });
  }

  function run(file) {
    running = true;
    locate(file).then(function (found) {
      return sendFrom(file, found.url, found.offset);
    }).then(function (result) {
      if (result !== "done") return;
      running = false;
      localStorage.removeItem(key(file));
      bar.value = 100;
      root.dataset.state = "uploaded";
      say(d.msgChecking);
      poll();
    }).catch(function (err) {
      if (String(err.message).indexOf("refused:") === 0) {
        running = false;
        root.dataset.state = "refused";
        say(err.message.slice(8));
        return;
      }
      say(d.msgRetry);
      setTimeout(function () { if (!paused) run(file); }, retryDelay);
      retryDelay = Math.min(retryDelay * 2, 30000);
    });
  }

  function poll() {
    fetch(d.statusUrl, { credentials: "same-origin" }).then(function (r) { return r.json(); })
      .then(function (data) {
        var up = data.upload, video = data.video;
        if (up && up.status === "refused") {
          root.dataset.state = "refused"; say(up.refusal); return;
        }
        if (video && up && up.status === "accepted") {
          if (video.status === "failed") { root.dataset.state = "failed"; say(video.failure); return; }
          if (video.status === "ready") {
            root.dataset.state = "ready"; say(d.msgReady);
            window.location.href = d.detailUrl; return;
          }
          say(d.msgProcessing + " " + Math.round(video.progress * 100) + "%");
        }
        setTimeout(poll, 2000);
      }).catch(function () { setTimeout(poll, 4000); });
  }

  startButton.addEventListener("click", function () {
    var file = input.files && input.files[0];
    if (!file || running) return;
    if (file.size > +d.maxBytes) { say(d.msgTooLarge); return; }
    paused = false; samples = [];
    pauseButton.hidden = false;
    run(file);
  });
  pauseButton.addEventListener("click", function () {
    paused = !paused;
    var file = input.files && input.files[0];
    if (!paused && file && !running) run(file);
  });
  window.addEventListener("online", function () {
    var file = input.files && input.files[0];
    if (file && running) retryDelay = 0;
  });
})();
