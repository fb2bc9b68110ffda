// CSRF for every page, including those cached whole for anonymous visitors (which carry
// no token). The token comes from the page (<meta name="csrf-token">), else from the
// csrftoken cookie, else — only when such a page sends a form — from /csrf.json, which
// also sets the cookie. Forms get a hidden csrfmiddlewaretoken field, htmx requests an
// X-CSRFToken header.
(function () {
  "use strict";
  var script = document.currentScript;
  var url = script ? script.getAttribute("data-url") : "/csrf.json";
  var pending = null;

  function fromPage() {
    var meta = document.querySelector('meta[name="csrf-token"]');
    return meta ? meta.getAttribute("content") : "";
  }
  function fromCookie() {
    var match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    return match ? decodeURIComponent(match[1]) : "";
  }
  function token() {
    return fromPage() || fromCookie();
  }
  function ensure() {
    var known = token();
    if (known) return Promise.resolve(known);
    if (!pending) {
      pending = fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (response) { return response.json(); })
        .then(function (data) { return data.token; });
    }
    return pending;
  }
  function fill(form, value) {
    var input = form.querySelector('input[name="csrfmiddlewaretoken"]');
    if (!input) {
      input = document.createElement("input");
      input.type = "hidden";
      input.name = "csrfmiddlewaretoken";
      form.appendChild(input);
    }
    input.value = value;
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!(form instanceof HTMLFormElement) || form.method.toLowerCase() !== "post") return;
    var input = form.querySelector('input[name="csrfmiddlewaretoken"]');
    if (input && input.value) return;
    var known = token();
    if (known) { fill(form, known); return; }
    // Hold the submission (htmx's listener too) until the token is here, then resend.
    event.preventDefault();
    event.stopImmediatePropagation();
    var submitter = event.submitter || null;
    ensure().then(function (value) {
      fill(form, value);
      if (form.requestSubmit) form.requestSubmit(submitter); else form.submit();
    });
  }, true);

  document.addEventListener("htmx:configRequest", function (event) {
    var known = token();
    if (known) event.detail.headers["X-CSRFToken"] = known;
  });
})();
