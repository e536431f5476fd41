// Vigie's small client script. No inline scripts anywhere (strict CSP); text from strangers is only
// ever inserted with textContent, never as HTML.
"use strict";

(function () {
  function csrfToken() {
    var meta = document.querySelector('meta[name="csrf-token"]');
    return meta ? meta.getAttribute("content") : "";
  }

  // Elements with data-poll-url and data-poll-seconds reload their JSON and call a named renderer.
  window.Vigie = {
    csrfToken: csrfToken,
    renderers: {},
    fetchJSON: function (url, options) {
      options = options || {};
      options.headers = Object.assign({ "Accept": "application/json" }, options.headers || {});
      if (options.method && options.method !== "GET") {
        options.headers["X-CSRF-Token"] = csrfToken();
      }
      options.credentials = "same-origin";
      return fetch(url, options).then(function (response) {
        if (!response.ok) { throw new Error("HTTP " + response.status); }
        return response.json();
      });
    },
    el: function (tag, attrs, text) {
      var node = document.createElement(tag);
      Object.keys(attrs || {}).forEach(function (key) { node.setAttribute(key, attrs[key]); });
      if (text !== undefined && text !== null) { node.textContent = String(text); }
      return node;
    }
  };

  function startPolling() {
    document.querySelectorAll("[data-poll-url]").forEach(function (node) {
      var url = node.getAttribute("data-poll-url");
      var seconds = parseFloat(node.getAttribute("data-poll-seconds") || "5");
      var renderer = node.getAttribute("data-renderer");
      function tick() {
        window.Vigie.fetchJSON(url).then(function (data) {
          var render = window.Vigie.renderers[renderer];
          if (render) { render(node, data); }
        }).catch(function () { /* keep polling; the page shows the last good state */ });
      }
      tick();
      window.setInterval(tick, seconds * 1000);
    });
  }

  document.addEventListener("DOMContentLoaded", startPolling);
})();
