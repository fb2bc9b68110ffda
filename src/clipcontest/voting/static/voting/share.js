/* Copy-link and native share (Zalo, Messenger… through the phone's share sheet). */
document.addEventListener("click", function (ev) {
  var copy = ev.target.closest("[data-copy]");
  if (copy) {
    var input = document.querySelector(copy.dataset.copy);
    input.select();
    (navigator.clipboard ? navigator.clipboard.writeText(input.value) : Promise.resolve(document.execCommand("copy")))
      .then(function () { copy.textContent = "✓ " + copy.textContent.replace(/^✓ /, ""); });
  }
  var share = ev.target.closest("[data-share]");
  if (share) {
    if (navigator.share) { navigator.share({title: share.dataset.title, url: share.dataset.share}).catch(function () {}); }
    else { var i = document.querySelector("#share-url"); if (i) { i.select(); } }
  }
});
