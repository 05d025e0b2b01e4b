// mingbai search: finds every entry containing the query, Chinese included, in the
// browser, online or opened from disk (file://). The index (see src/search.rs) is a set
// of script files that call __mingbaiSearch(kind, id, data); only the shards a query
// needs are loaded. No dependencies.
(function () {
  "use strict";
  var script = document.currentScript;
  var root = script.getAttribute("data-root") || "../";
  var base = root.replace(/\/?$/, "/") + "search/";
  var store = { manifest: {}, p: {}, m: {}, t: {} };
  var waiting = {};
  var PAGE = 20;

  window.__mingbaiSearch = function (kind, id, data) {
    store[kind][id] = data;
    var w = waiting[kind + id];
    if (w) { delete waiting[kind + id]; w.forEach(function (f) { f(); }); }
  };

  function load(kind, id) {
    if (store[kind][id] !== undefined) return Promise.resolve(store[kind][id]);
    return new Promise(function (resolve, reject) {
      var key = kind + id;
      var first = !waiting[key];
      (waiting[key] = waiting[key] || []).push(function () { resolve(store[kind][id]); });
      if (!first) return;
      var s = document.createElement("script");
      s.src = base + (kind === "manifest" ? "manifest" : kind + id) + ".js";
      s.async = true;
      s.onerror = function () { delete waiting[key]; reject(new Error("cannot load " + s.src)); };
      document.head.appendChild(s);
    });
  }

  // ---- the same text units as the index: Han characters one by one, runs of Latin
  // letters or digits (lowercased); anything else separates.
  var HAN = /[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u3040-\u30ff]|[\ud840-\ud8bf][\udc00-\udfff]/;
  var ALNUM = /[0-9A-Za-z\u00c0-\u024f]/;
  function units(text) {
    var out = [], word = "";
    var chars = Array.from(text);
    for (var i = 0; i < chars.length; i++) {
      var c = chars[i];
      if (HAN.test(c)) { if (word) { out.push(word); word = ""; } out.push(c); }
      else if (ALNUM.test(c)) { word += c.toLowerCase(); }
      else { if (word) { out.push(word); word = ""; } if (out.length && out[out.length - 1] !== null) out.push(null); }
    }
    if (word) out.push(word);
    return out;
  }
  // Runs of adjacent units: what must stand together in a matching entry.
  function runs(q) {
    var u = units(q), out = [], cur = [];
    u.forEach(function (x) { if (x === null) { if (cur.length) out.push(cur); cur = []; } else cur.push(x); });
    if (cur.length) out.push(cur);
    return out;
  }
  function queryTokens(q) {
    var toks = {};
    runs(q).forEach(function (r) {
      if (r.length === 1) toks[r[0]] = 1;
      for (var i = 0; i + 1 < r.length; i++) toks[r[i] + r[i + 1]] = 1;
    });
    return Object.keys(toks);
  }
  function fnv(s) {
    var b = new TextEncoder().encode(s), h = 0x811c9dc5;
    for (var i = 0; i < b.length; i++) { h ^= b[i]; h = Math.imul(h, 0x01000193) >>> 0; }
    return h >>> 0;
  }
  function decode(s) {
    if (!s) return [];
    var bin = atob(s.slice(1)), out = [], i, d;
    if (s[0] === "b") {
      for (i = 0; i < bin.length; i++) {
        var byte = bin.charCodeAt(i);
        for (var k = 0; k < 8; k++) if (byte & (1 << k)) out.push(i * 8 + k);
      }
      return out;
    }
    var v = 0, shift = 0, prev = 0;
    for (i = 0; i < bin.length; i++) {
      var x = bin.charCodeAt(i);
      v |= (x & 0x7f) << shift;
      if (x & 0x80) { shift += 7; continue; }
      d = out.length ? prev + v : v;
      out.push(d); prev = d; v = 0; shift = 0;
    }
    return out;
  }
  function intersect(a, b) {
    var out = [], i = 0, j = 0;
    while (i < a.length && j < b.length) {
      if (a[i] === b[j]) { out.push(a[i]); i++; j++; } else if (a[i] < b[j]) i++; else j++;
    }
    return out;
  }

  // Candidates best first: title or alias hits, then summary and fields, then text.
  function candidates(q) {
    var toks = queryTokens(q);
    if (!toks.length) return Promise.resolve([]);
    return load("manifest", 0).then(function (m) {
      var shards = {};
      toks.forEach(function (t) { shards[fnv(t) & (m.shards - 1)] = 1; });
      return Promise.all(Object.keys(shards).map(function (s) { return load("p", +s); })).then(function () {
        var seen = {}, out = [];
        for (var field = 0; field < 3; field++) {
          var cand = null;
          for (var i = 0; i < toks.length; i++) {
            var entry = store.p[fnv(toks[i]) & (m.shards - 1)][toks[i]];
            var list = entry ? decode(entry[field]) : [];
            cand = cand === null ? list : intersect(cand, list);
            if (!cand.length) break;
          }
          (cand || []).forEach(function (d) { if (!seen[d]) { seen[d] = 1; out.push(d); } });
        }
        return out;
      });
    });
  }

  function escapeHtml(s) {
    return s.replace(/[&<>"]/g, function (c) { return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" }[c]; });
  }
  // The query's runs as they may appear in text (Han runs joined, Latin words spaced).
  function needles(q) {
    return runs(q).map(function (r) {
      var s = "";
      r.forEach(function (u, i) { s += (i && !HAN.test(u) && !HAN.test(r[i - 1]) ? " " : "") + u; });
      return s;
    });
  }
  function contains(text, ns) {
    var t = text.toLowerCase();
    return ns.every(function (n) { return t.indexOf(n) >= 0; });
  }
  function highlight(text, ns) {
    var html = escapeHtml(text);
    ns.forEach(function (n) {
      if (!n) return;
      var re = new RegExp(escapeHtml(n).replace(/[.*+?^${}()|[\]\\]/g, "\\$&"), "gi");
      html = html.replace(re, function (m) { return "<mark>" + m + "</mark>"; });
    });
    return html;
  }
  function snippet(text, ns) {
    var t = text.replace(/\s+/g, " "), lower = t.toLowerCase(), at = lower.indexOf(ns[0]);
    if (at < 0) return t.slice(0, 80);
    var from = Math.max(0, at - 30);
    return (from > 0 ? "…" : "") + t.slice(from, at + 70) + (at + 70 < t.length ? "…" : "");
  }

  var input = document.getElementById("search-q");
  var status = document.getElementById("search-status");
  var list = document.getElementById("search-results");
  var more = document.getElementById("search-more");
  var current = { q: "", docs: [], shown: 0, token: 0 };

  function show(q, docs, started) {
    current = { q: q, docs: docs, shown: 0, token: current.token + 1 };
    list.innerHTML = "";
    page(started);
  }
  function page(started) {
    var token = current.token, m = store.manifest[0], ns = needles(current.q);
    var slice = current.docs.slice(current.shown, current.shown + PAGE * 2);
    var need = [], seen = {};
    slice.forEach(function (d) {
      var a = "m" + Math.floor(d / m.per), b = "t" + Math.floor(d / m.tper);
      if (!seen[a]) { seen[a] = 1; need.push(load("m", Math.floor(d / m.per))); }
      if (!seen[b]) { seen[b] = 1; need.push(load("t", Math.floor(d / m.tper))); }
    });
    return Promise.all(need).then(function () {
      if (token !== current.token) return;
      var added = 0;
      for (var i = 0; i < slice.length && added < PAGE; i++) {
        var d = slice[i];
        var meta = store.m[Math.floor(d / m.per)][d % m.per], text = store.t[Math.floor(d / m.tper)][d % m.tper];
        current.shown++;
        // The index finds every entry holding the query's character pairs; keep the
        // ones where the query stands together (when the stored text is cut short, a
        // match may be further on: keep the entry).
        if (!contains(text[0] + "\n" + text[1], ns) && !text[2]) continue;
        var body = contains(meta[3], ns) ? meta[3] : (contains(text[1], ns) ? snippet(text[1], ns) : meta[3]);
        var li = document.createElement("li");
        li.className = "search-result";
        li.innerHTML = '<a class="entry-title" href="' + escapeHtml(root.replace(/\/?$/, "/") + meta[0].replace(/^\//, "")) +
          (location.protocol === "file:" ? "index.html" : "") + '">' + highlight(meta[1], ns) + "</a>" +
          '<span class="result-section">' + escapeHtml(meta[2]) + "</span>" +
          '<p class="entry-summary">' + highlight(body, ns) + "</p>";
        list.appendChild(li);
        added++;
      }
      var found = current.docs.length;
      status.textContent = found ? "找到约 " + found + " 条" + (started ? "（" + ((performance.now() - started) / 1000).toFixed(2) + " 秒）" : "") : "没有找到「" + current.q + "」";
      if (more) more.hidden = current.shown >= current.docs.length;
      if (added < PAGE && current.shown < current.docs.length) return page();
    });
  }

  function run(q, push) {
    q = q.trim();
    if (push) {
      var url = new URL(location.href);
      if (q) url.searchParams.set("q", q); else url.searchParams.delete("q");
      history.replaceState(null, "", url);
    }
    if (!q) { list.innerHTML = ""; status.textContent = ""; if (more) more.hidden = true; return; }
    var started = performance.now();
    status.textContent = "正在搜索…";
    candidates(q).then(function (docs) {
      if (q !== input.value.trim()) return;
      show(q, docs, started);
    }).catch(function (e) { status.textContent = "搜索索引无法加载：" + e.message; });
  }

  if (input) {
    var timer;
    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(function () { run(input.value, true); }, 200);
    });
    input.form.addEventListener("submit", function (e) { e.preventDefault(); run(input.value, true); });
    if (more) more.addEventListener("click", function () { page(); });
    var q = new URLSearchParams(location.search).get("q") || "";
    input.value = q;
    if (q) run(q, false);
  }
})();
