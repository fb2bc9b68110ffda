/* clipcontest vote form: solve the ALTCHA proof-of-work challenge (SHA-256), then let the
   voter submit. Speaks ALTCHA v1: find n <= maxnumber with sha256(salt + n) == challenge;
   send base64(JSON {algorithm, challenge, number, salt, signature}). Uses Web Crypto when
   the page is a secure context, and a small pure-JS SHA-256 otherwise. */
(function () {
  "use strict";
  var K = [0x428a2f98,0x71374491,0xb5c0fbcf,0xe9b5dba5,0x3956c25b,0x59f111f1,0x923f82a4,0xab1c5ed5,
    0xd807aa98,0x12835b01,0x243185be,0x550c7dc3,0x72be5d74,0x80deb1fe,0x9bdc06a7,0xc19bf174,
    0xe49b69c1,0xefbe4786,0x0fc19dc6,0x240ca1cc,0x2de92c6f,0x4a7484aa,0x5cb0a9dc,0x76f988da,
    0x983e5152,0xa831c66d,0xb00327c8,0xbf597fc7,0xc6e00bf3,0xd5a79147,0x06ca6351,0x14292967,
    0x27b70a85,0x2e1b2138,0x4d2c6dfc,0x53380d13,0x650a7354,0x766a0abb,0x81c2c92e,0x92722c85,
    0xa2bfe8a1,0xa81a664b,0xc24b8b70,0xc76c51a3,0xd192e819,0xd6990624,0xf40e3585,0x106aa070,
    0x19a4c116,0x1e376c08,0x2748774c,0x34b0bcb5,0x391c0cb3,0x4ed8aa4a,0x5b9cca4f,0x682e6ff3,
    0x748f82ee,0x78a5636f,0x84c87814,0x8cc70208,0x90befffa,0xa4506ceb,0xbef9a3f7,0xc67178f2];
  function sha256hex(text) {  // ASCII input only (salt and digits)
    var bytes = [], i, j;
    for (i = 0; i < text.length; i++) bytes.push(text.charCodeAt(i) & 255);
    var bitLen = bytes.length * 8;
    bytes.push(0x80);
    while (bytes.length % 64 !== 56) bytes.push(0);
    for (i = 7; i >= 0; i--) bytes.push(i > 3 ? 0 : (bitLen >>> (i * 8)) & 255);
    var h = [0x6a09e667,0xbb67ae85,0x3c6ef372,0xa54ff53a,0x510e527f,0x9b05688c,0x1f83d9ab,0x5be0cd19];
    var w = new Array(64);
    for (i = 0; i < bytes.length; i += 64) {
      for (j = 0; j < 16; j++) w[j] = (bytes[i+4*j]<<24)|(bytes[i+4*j+1]<<16)|(bytes[i+4*j+2]<<8)|bytes[i+4*j+3];
      for (j = 16; j < 64; j++) {
        var a = w[j-15], b = w[j-2];
        var s0 = ((a>>>7)|(a<<25)) ^ ((a>>>18)|(a<<14)) ^ (a>>>3);
        var s1 = ((b>>>17)|(b<<15)) ^ ((b>>>19)|(b<<13)) ^ (b>>>10);
        w[j] = (w[j-16] + s0 + w[j-7] + s1) | 0;
      }
      var A=h[0],B=h[1],C=h[2],D=h[3],E=h[4],F=h[5],G=h[6],H=h[7];
      for (j = 0; j < 64; j++) {
        var S1 = ((E>>>6)|(E<<26)) ^ ((E>>>11)|(E<<21)) ^ ((E>>>25)|(E<<7));
        var t1 = (H + S1 + ((E&F) ^ (~E&G)) + K[j] + w[j]) | 0;
        var S0 = ((A>>>2)|(A<<30)) ^ ((A>>>13)|(A<<19)) ^ ((A>>>22)|(A<<10));
        var t2 = (S0 + ((A&B) ^ (A&C) ^ (B&C))) | 0;
        H=G; G=F; F=E; E=(D+t1)|0; D=C; C=B; B=A; A=(t1+t2)|0;
      }
      h[0]=(h[0]+A)|0; h[1]=(h[1]+B)|0; h[2]=(h[2]+C)|0; h[3]=(h[3]+D)|0;
      h[4]=(h[4]+E)|0; h[5]=(h[5]+F)|0; h[6]=(h[6]+G)|0; h[7]=(h[7]+H)|0;
    }
    return h.map(function (x) { return ("00000000" + (x >>> 0).toString(16)).slice(-8); }).join("");
  }
  var subtle = window.crypto && window.crypto.subtle;
  var encoder = new TextEncoder();
  function digest(text) {
    if (!subtle) return Promise.resolve(sha256hex(text));
    return subtle.digest("SHA-256", encoder.encode(text)).then(function (buf) {
      return Array.prototype.map.call(new Uint8Array(buf), function (b) {
        return ("0" + b.toString(16)).slice(-2);
      }).join("");
    });
  }
  async function solve(c) {
    for (var n = 0; n <= c.maxnumber; n++) {
      if ((await digest(c.salt + n)) === c.challenge) return n;
    }
    return null;
  }
  async function prepare(form) {
    var status = form.querySelector("[data-role=status]");
    var button = form.querySelector("button[type=submit]");
    try {
      var res = await fetch(form.dataset.challenge, {credentials: "same-origin", cache: "no-store"});
      var c = await res.json();
      var n = await solve(c);
      if (n === null) throw new Error("unsolved");
      form.elements.altcha.value = btoa(JSON.stringify({algorithm: c.algorithm, challenge: c.challenge,
        number: n, salt: c.salt, signature: c.signature}));
      status.textContent = status.dataset.done || "✓";
      button.disabled = false;
    } catch (e) {
      status.textContent = status.dataset.failed || "!";
    }
  }
  document.querySelectorAll("form[data-challenge]").forEach(prepare);
})();
