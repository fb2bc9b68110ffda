// Streams a clip adaptively (HLS) where possible, else picks the progressive MP4 that
// fits the connection; a Quality menu overrides either. Without JavaScript the
// <video> element plays the lowest MP4 from its <source>.
(function () {
  "use strict";
  var video = document.getElementById("entry-video");
  var choice = document.getElementById("rendition-choice");
  var data = document.getElementById("player-sources");
  if (!video || !choice || !data) return;
  var all = JSON.parse(data.textContent);
  var sources = all.filter(function (s) { return s.kind !== "hls"; });
  var stream = all.filter(function (s) { return s.kind === "hls"; })[0];
  if (!sources.length) return;
  var HLS_TYPE = "application/vnd.apple.mpegurl";
  var hls = null;

  function downlinkKbps() {
    var conn = navigator.connection || {};
    return conn.downlink ? conn.downlink * 1000 : 1500;
  }

  function fits() {
    // Lowest first; pick the largest whose bitrate fits ~70% of the measured downlink
    // and whose height is useful on this screen.
    var conn = navigator.connection || {};
    if (conn.saveData || /(^|-)2g$/.test(conn.effectiveType || "")) return sources[0];
    var screenLines = Math.min(screen.width, screen.height) * (window.devicePixelRatio || 1);
    var best = sources[0];
    sources.forEach(function (s) {
      if (s.kbps <= downlinkKbps() * 0.7 && Math.min(s.width, s.height) <= screenLines * 1.25) {
        best = s;
      }
    });
    return best;
  }

  function resume(at, playing) {
    video.addEventListener("loadedmetadata", function once() {
      video.removeEventListener("loadedmetadata", once);
      if (at) video.currentTime = at;
      if (playing) video.play();
    });
  }

  function stopHls() {
    if (hls) { hls.destroy(); hls = null; }
  }

  function use(source) {
    if (!hls && video.currentSrc && video.currentSrc.indexOf(source.src) !== -1) return;
    var at = video.currentTime, playing = !video.paused;
    stopHls();
    video.src = source.src;
    video.load();
    resume(at, playing);
    video.dataset.stream = "mp4";
    video.dataset.rendition = source.label;
  }

  function loadLibrary(done) {
    if (window.Hls) { done(); return; }
    var script = document.createElement("script");
    script.src = stream.library;
    script.onload = done;
    script.onerror = function () { use(fits()); };
    document.head.appendChild(script);
  }

  function attachLibrary(playing) {
    var Hls = window.Hls;
    if (!Hls || !Hls.isSupported()) { use(fits()); if (playing) video.play(); return; }
    var at = video.currentTime;
    hls = new Hls({
      capLevelToPlayerSize: true,
      startLevel: -1,
      abrEwmaDefaultEstimate: downlinkKbps() * 1000,
      startPosition: at || -1,
    });
    hls.on(Hls.Events.LEVEL_SWITCHED, function (_e, d) {
      var level = hls && hls.levels[d.level];
      if (level) video.dataset.rendition = level.height + "p";
    });
    hls.on(Hls.Events.MANIFEST_PARSED, function () { if (playing) video.play(); });
    hls.on(Hls.Events.ERROR, function (_e, d) {
      if (d.fatal) { use(fits()); if (playing) video.play(); }
    });
    hls.loadSource(stream.src);
    hls.attachMedia(video);
    video.dataset.stream = "hls.js";
  }

  function auto() {
    if (!stream) { use(fits()); return; }
    if (video.canPlayType(HLS_TYPE)) {
      var at = video.currentTime, playing = !video.paused;
      stopHls();
      if (!playing) video.preload = "none";  // nothing but the poster before play
      video.src = stream.src;
      video.load();
      resume(at, playing);
      video.dataset.stream = "native";
      video.dataset.rendition = "auto";
      return;
    }
    if (!window.MediaSource && !window.ManagedMediaSource) { use(fits()); return; }
    // hls.js (≈120 KB compressed) is fetched only when the viewer presses play.
    video.preload = "none";
    video.dataset.stream = "pending";
    video.addEventListener("play", function first() {
      video.removeEventListener("play", first);
      if (video.dataset.stream !== "pending") return;
      video.pause();
      loadLibrary(function () { attachLibrary(true); });
    });
  }

  choice.addEventListener("change", function () {
    if (choice.value === "auto") {
      if (hls) { hls.currentLevel = -1; return; }
      if (stream && window.Hls) { stopHls(); attachLibrary(!video.paused); return; }
      auto();
      return;
    }
    var wanted = sources.filter(function (s) { return s.label === choice.value; })[0];
    if (!wanted) return;
    if (hls) {
      var index = -1;
      hls.levels.forEach(function (l, i) { if (Math.min(l.width, l.height) === Math.min(wanted.width, wanted.height)) index = i; });
      if (index >= 0) { hls.currentLevel = index; return; }
    }
    use(wanted);
  });
  auto();
})();
