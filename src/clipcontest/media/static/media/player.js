// Picks a rendition that fits the connection and lets the viewer change it.
(function () {
  "use strict";
  var video = document.getElementById("entry-video");
  var choice = document.getElementById("rendition-choice");
  var data = document.getElementById("player-sources");
  if (!video || !choice || !data) return;
  var sources = JSON.parse(data.textContent);
  if (!sources.length) return;

  function fits() {
    // Lowest first; pick the largest whose bitrate fits ~70% of the measured downlink
    // and whose height is useful on this screen.
    var conn = navigator.connection || {};
    var downKbps = conn.downlink ? conn.downlink * 1000 : 1500;
    if (conn.saveData || /(^|-)2g$/.test(conn.effectiveType || "")) return sources[0];
    var screenLines = Math.min(screen.width, screen.height) * (window.devicePixelRatio || 1);
    var best = sources[0];
    sources.forEach(function (s) {
      if (s.kbps <= downKbps * 0.7 && Math.min(s.width, s.height) <= screenLines * 1.25) best = s;
    });
    return best;
  }

  function use(source) {
    if (video.currentSrc && video.currentSrc.indexOf(source.src) !== -1) return;
    var at = video.currentTime, playing = !video.paused;
    video.src = source.src;
    video.load();
    video.addEventListener("loadedmetadata", function once() {
      video.removeEventListener("loadedmetadata", once);
      if (at) video.currentTime = at;
      if (playing) video.play();
    });
    video.dataset.rendition = source.label;
  }

  choice.addEventListener("change", function () {
    if (choice.value === "auto") { use(fits()); return; }
    sources.forEach(function (s) { if (s.label === choice.value) use(s); });
  });
  use(fits());
})();
