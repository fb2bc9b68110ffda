// On an entry page whose video is still being prepared: show the progress as it moves
// and reload once the clip can be played (or has failed).
(function () {
  "use strict";
  var box = document.querySelector("[data-status-url]");
  var out = document.getElementById("video-progress");
  if (!box || !out) return;
  function poll() {
    fetch(box.dataset.statusUrl, { credentials: "same-origin" })
      .then(function (r) { return r.json(); })
      .then(function (data) {
        var video = data.video;
        if (!video) return setTimeout(poll, 3000);
        out.textContent = String(Math.round(video.progress * 100));
        if (video.status === "processing") return setTimeout(poll, 3000);
        window.location.reload();
      })
      .catch(function () { setTimeout(poll, 6000); });
  }
  setTimeout(poll, 3000);
})();
