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

  // --- draft box: check as you type -------------------------------------------------------------
  function renderHighlight(box, text, findings) {
    // Spans are character offsets into the text (Python str indices = code points).
    var chars = Array.from(text);
    var marks = findings.slice().sort(function (a, b) { return a.start - b.start; });
    box.textContent = "";
    var pos = 0;
    marks.forEach(function (f) {
      if (f.start < pos || f.end <= f.start) { return; }
      if (f.start > pos) { box.appendChild(document.createTextNode(chars.slice(pos, f.start).join(""))); }
      box.appendChild(window.Vigie.el("mark", { "class": "sev-" + f.severity, "title": f.message },
        chars.slice(f.start, f.end).join("")));
      pos = f.end;
    });
    if (pos < chars.length) { box.appendChild(document.createTextNode(chars.slice(pos).join(""))); }
  }

  function startDraftBoxes() {
    document.querySelectorAll("form[data-check-url]").forEach(function (form) {
      var url = form.getAttribute("data-check-url");
      var area = form.querySelector("textarea");
      var channel = form.querySelector("select[name=channel]");
      var verdict = form.querySelector("#draft-verdict");
      var list = form.querySelector("#draft-findings");
      var box = form.querySelector("#draft-highlight");
      var timer = null;
      var seq = 0;
      function check() {
        var text = area.value;
        var mine = ++seq;
        window.Vigie.fetchJSON(url, {
          method: "POST",
          headers: { "Content-Type": "application/json" },
          body: JSON.stringify({ text: text, channel: channel ? channel.value : null })
        }).then(function (data) {
          if (mine !== seq) { return; }
          verdict.textContent = data.verdict || "—";
          verdict.className = "badge " + (data.verdict || "");
          list.textContent = "";
          (data.findings || []).forEach(function (f) {
            var item = window.Vigie.el("li", { "class": "finding" });
            item.appendChild(window.Vigie.el("span", { "class": "badge " + f.severity }, f.category));
            item.appendChild(document.createTextNode(" " + f.message));
            list.appendChild(item);
          });
          (data.reasons || []).forEach(function (r) {
            list.appendChild(window.Vigie.el("li", { "class": "reason muted" }, r));
          });
          renderHighlight(box, text, data.findings || []);
        }).catch(function () { verdict.textContent = "?"; });
      }
      function schedule() {
        if (timer) { window.clearTimeout(timer); }
        timer = window.setTimeout(check, 250);
      }
      area.addEventListener("input", schedule);
      if (channel) { channel.addEventListener("change", schedule); }
      if (area.value.trim()) { schedule(); }
    });
  }

  // --- small SVG charts ---------------------------------------------------------------------------
  var SVG = "http://www.w3.org/2000/svg";
  function svgEl(tag, attrs, text) {
    var node = document.createElementNS(SVG, tag);
    Object.keys(attrs || {}).forEach(function (key) { node.setAttribute(key, String(attrs[key])); });
    if (text !== undefined) { node.textContent = String(text); }
    return node;
  }

  // data: {points: [{t: "HH:MM", volume: n, sentiment: -1..1}], grade: "...", alerts: [...]}
  window.Vigie.renderers.crisisChart = function (node, data) {
    var points = data.points || [];
    var w = 640, h = 200, pad = 28;
    var svg = svgEl("svg", { viewBox: "0 0 " + w + " " + h, role: "img", "class": "chart" });
    svg.appendChild(svgEl("title", {}, node.getAttribute("data-label") || "chart"));
    var max = 1;
    points.forEach(function (p) { if (p.volume > max) { max = p.volume; } });
    var bw = points.length ? (w - 2 * pad) / points.length : 0;
    var line = [];
    points.forEach(function (p, i) {
      var bh = (h - 2 * pad) * p.volume / max;
      svg.appendChild(svgEl("rect", { x: pad + i * bw + 1, y: h - pad - bh, width: Math.max(bw - 2, 1),
        height: bh, "class": "bar" }));
      var sy = pad + (h - 2 * pad) * (1 - (p.sentiment + 1) / 2);
      line.push((pad + i * bw + bw / 2).toFixed(1) + "," + sy.toFixed(1));
    });
    if (line.length) { svg.appendChild(svgEl("polyline", { points: line.join(" "), "class": "sentiment" })); }
    svg.appendChild(svgEl("line", { x1: pad, y1: h / 2, x2: w - pad, y2: h / 2, "class": "zero" }));
    svg.appendChild(svgEl("text", { x: 2, y: pad, "class": "axis" }, String(max)));
    if (points.length) {
      svg.appendChild(svgEl("text", { x: pad, y: h - 6, "class": "axis" }, points[0].t));
      svg.appendChild(svgEl("text", { x: w - pad - 40, y: h - 6, "class": "axis" }, points[points.length - 1].t));
    }
    var holder = node.querySelector(".chart-holder") || node;
    holder.textContent = "";
    holder.appendChild(svg);
    var grade = document.getElementById("crisis-grade");
    if (grade && data.grade) { grade.textContent = data.grade; grade.className = "badge grade-" + data.grade; }
    var alerts = document.getElementById("crisis-alerts");
    if (alerts && data.alerts) {
      alerts.textContent = "";
      data.alerts.forEach(function (a) {
        var item = window.Vigie.el("li", { "class": "card alert" });
        item.appendChild(window.Vigie.el("span", { "class": "badge grade-" + a.grade }, a.grade));
        item.appendChild(document.createTextNode(" #" + a.id + " " + a.title + " — " + a.status));
        alerts.appendChild(item);
      });
    }
  };

  // The inbox polls its JSON: the count follows, and new cases are announced with a link to show them.
  window.Vigie.renderers.inboxRows = function (node, data) {
    var count = document.getElementById("inbox-count");
    if (count) { count.textContent = String(data.total); }
    var shown = {};
    document.querySelectorAll("li.case-row").forEach(function (row) { shown[row.id] = true; });
    var fresh = (data.ids || []).filter(function (id) { return !shown["case-" + id]; });
    node.textContent = "";
    if (fresh.length) {
      var link = window.Vigie.el("a", { "href": window.location.pathname + window.location.search,
        "class": "new-cases", "id": "inbox-new" }, (node.getAttribute("data-new-label") || "+") + " " + fresh.length);
      node.appendChild(link);
    }
  };

  document.addEventListener("DOMContentLoaded", startDraftBoxes);
})();
