// "Check my vote": verify the receipt's inclusion proof in the browser (Web Crypto).
// RFC 9162: leaf hash = SHA-256(0x00 || leaf), node = SHA-256(0x01 || left || right);
// the root comes from the signed tree head's own text (its third line, base64).
(function () {
  "use strict";
  const box = document.getElementById("receipt");
  const status = document.querySelector("[data-testid=receipt-status]");
  if (!box || !status) return;

  const enc = new TextEncoder();
  async function sha256(parts) {
    const size = parts.reduce((n, p) => n + p.length, 0);
    const all = new Uint8Array(size);
    let at = 0;
    for (const p of parts) { all.set(p, at); at += p.length; }
    return new Uint8Array(await crypto.subtle.digest("SHA-256", all));
  }
  const leafHash = (bytes) => sha256([Uint8Array.of(0), bytes]);
  const nodeHash = (l, r) => sha256([Uint8Array.of(1), l, r]);
  const fromHex = (h) => Uint8Array.from(h.match(/../g) || [], (b) => parseInt(b, 16));
  const toHex = (b) => Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");
  const fromB64 = (s) => Uint8Array.from(atob(s), (c) => c.charCodeAt(0));
  const same = (a, b) => a.length === b.length && a.every((x, i) => x === b[i]);

  async function included(leaf, index, size, proof, root) {
    if (index < 0 || index >= size) return false;
    let fn = index, sn = size - 1, r = await leafHash(leaf);
    for (const p of proof) {
      if (sn === 0) return false;
      if (fn % 2 === 1 || fn === sn) {
        r = await nodeHash(p, r);
        while (fn % 2 === 0 && fn !== 0) { fn = Math.floor(fn / 2); sn = Math.floor(sn / 2); }
      } else {
        r = await nodeHash(r, p);
      }
      fn = Math.floor(fn / 2); sn = Math.floor(sn / 2);
    }
    return sn === 0 && same(r, root);
  }

  async function check() {
    const response = await fetch(box.dataset.proofUrl, { credentials: "same-origin" });
    const data = await response.json();
    if (!data.sealed) return false;
    const lines = data.note.split("\n");
    if (lines[0] !== data.origin) return false;
    const size = parseInt(lines[1], 10);
    const root = fromB64(lines[2]);
    const code = document.querySelector("[data-testid=receipt-code]").textContent;
    const normal = code.toUpperCase().replace(/[^A-Z0-9]/g, "");
    const tag = toHex(await sha256([enc.encode("clipcontest-receipt:" + normal)])).slice(0, 32);
    if (JSON.parse(data.leaf).receipt !== tag) return false;
    return included(enc.encode(data.leaf), data.index, size, data.proof.map(fromHex), root);
  }

  check().then(
    (ok) => {
      status.textContent = ok ? status.dataset.included : status.dataset.failed;
      status.dataset.verified = ok ? "included" : "failed";
    },
    () => { status.textContent = status.dataset.failed; status.dataset.verified = "failed"; }
  );
})();
