// mingbai search: finds every entry containing the query, Chinese included, in the
// browser, online or opened from disk (file://). The index (see src/search/) is a set
// of script files that call __mingbaiSearch(kind, id, data); only the shards a query
// needs are loaded. Traditional characters are folded to Simplified with the table the
// manifest carries, and a query of Latin letters is also read as pinyin of titles,
// aliases and tags (src/search/pinyin.rs holds the same rules). No dependencies.
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

  // ---- Traditional to Simplified: the manifest's pairs, one character for one, so
  // positions in a text stay where they were.
  var foldMap = null;
  function fold(s) {
    if (!foldMap) return s;
    return s.replace(/[\u3400-\u9fff]/g, function (c) { return foldMap[c] || c; });
  }
  function setup(m) {
    if (foldMap) return;
    foldMap = {};
    var f = Array.from(m.fold || "");
    for (var i = 0; i + 1 < f.length; i += 2) foldMap[f[i]] = f[i + 1];
    syllables = {};
    (m.syl || "").split(" ").forEach(function (x) { if (x) syllables[x] = 1; });
  }

  // ---- pinyin: a query of letters cut into pieces every way the index's syllables
  // allow (whole syllables first, longest first, at most MAX_WAYS ways), as
  // src/search/pinyin.rs does.
  var syllables = {}, MAX_WAYS = 32, TWO = ["zh", "ch", "sh"];
  function pinyinQuery(q) {
    q = q.trim().replace(/[ ']/g, "");
    return q.length >= 2 && /^[A-Za-z]+$/.test(q) ? q.toLowerCase() : null;
  }
  function someStarts(p) {
    for (var s in syllables) if (s.indexOf(p) === 0) return true;
    return false;
  }
  function ways(q) {
    var out = [], have = [];
    (function cut(rest) {
      if (out.length >= MAX_WAYS) return;
      if (!rest) {
        if (have.length > 1 || (have.length === 1 && have[0].k === "F")) out.push(have.slice());
        return;
      }
      var options = [], len;
      for (len = Math.min(6, rest.length); len >= 1; len--) {
        if (syllables[rest.slice(0, len)]) options.push({ k: "F", s: rest.slice(0, len) });
      }
      [2, 1].forEach(function (l) {
        var p = rest.slice(0, l);
        if (p.length === l && (l === 1 || TWO.indexOf(p) >= 0) && someStarts(p)) options.push({ k: "I", s: p });
      });
      if (rest.length >= 2 && !syllables[rest] && TWO.indexOf(rest) < 0 && someStarts(rest)) options.push({ k: "P", s: rest });
      options.forEach(function (p) { have.push(p); cut(rest.slice(p.s.length)); have.pop(); });
    })(q);
    return out;
  }
  function wayTokens(way) {
    if (way.length === 1) return ["~" + way[0].s];
    var out = [];
    for (var i = 0; i + 1 < way.length; i++) {
      var a = way[i], b = way[i + 1];
      out.push(a.k === "F" && b.k === "F" ? "~" + a.s + "'" + b.s : "^" + a.s[0] + b.s[0]);
    }
    return out;
  }
  // Where a way matches an entry's names: [segment, first Han character, count].
  function findPinyin(encoded, ws) {
    var segs = encoded.split("|");
    for (var w = 0; w < ws.length; w++) {
      var way = ws[w];
      for (var g = 0; g < segs.length; g++) {
        var before = 0, runsOf = segs[g].split(",");
        for (var r = 0; r < runsOf.length; r++) {
          var syl = runsOf[r].split(" ").filter(Boolean);
          for (var start = 0; start + way.length <= syl.length; start++) {
            var ok = true;
            for (var k = 0; k < way.length && ok; k++) {
              var p = way[k], y = syl[start + k];
              ok = p.k === "F" ? y === p.s : y.indexOf(p.s) === 0;
            }
            if (ok) return [g, before + start, way.length];
          }
          before += syl.length;
        }
      }
    }
    return null;
  }

  // The documents whose `field` list holds every token (shards loaded).
  function lookup(m, toks, field) {
    var cand = null;
    for (var i = 0; i < toks.length; i++) {
      var entry = store.p[fnv(toks[i]) & (m.shards - 1)][toks[i]];
      var list = entry ? decode(entry[field]) : [];
      cand = cand === null ? list : intersect(cand, list);
      if (!cand.length) break;
    }
    return cand || [];
  }

  // Candidates best first: title, alias and id hits, then summary, fields, tags and
  // chapter, then text; then pinyin hits on titles and aliases, then on tags. Each is
  // {d: doc, py: whether a pinyin hit}.
  function candidates(q) {
    return load("manifest", 0).then(function (m) {
      setup(m);
      var toks = queryTokens(fold(q)), py = pinyinQuery(q), ws = py ? ways(py) : [];
      var pyToks = ws.map(wayTokens), shards = {};
      toks.concat.apply(toks, pyToks).forEach(function (t) { shards[fnv(t) & (m.shards - 1)] = 1; });
      return Promise.all(Object.keys(shards).map(function (s) { return load("p", +s); })).then(function () {
        var seen = {}, out = [];
        function add(list, isPy, field) {
          list.forEach(function (d) { if (!seen[d]) { seen[d] = 1; out.push({ d: d, py: isPy, f: field }); } });
        }
        if (toks.length) for (var field = 0; field < 3; field++) add(lookup(m, toks, field), false, field);
        for (var list = 0; list < 2; list++) {
          var any = {};
          pyToks.forEach(function (t) { lookup(m, t, list).forEach(function (d) { any[d] = 1; }); });
          add(Object.keys(any).map(Number).sort(function (a, b) { return a - b; }), true);
        }
        out.ways = ws;
        return out;
      });
    });
  }

  function escapeHtml(s) {
    return s.replace(/[&<>"]/g, function (c) { return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" }[c]; });
  }
  // The query's runs as they may appear in text (Han runs joined, Latin words spaced),
  // folded.
  function needles(q) {
    return runs(fold(q)).map(function (r) {
      var s = "";
      r.forEach(function (u, i) { s += (i && !HAN.test(u) && !HAN.test(r[i - 1]) ? " " : "") + u; });
      return s;
    });
  }
  function norm(text) { return fold(text).toLowerCase(); }
  function contains(text, ns) {
    var t = norm(text);
    return ns.every(function (n) { return t.indexOf(n) >= 0; });
  }
  // Marks where the needles stand, found in the folded text (same positions), around
  // the text as written.
  function highlight(text, ns) {
    var t = norm(text), on = new Array(text.length + 1).join("0").split("");
    ns.forEach(function (n) {
      if (!n) return;
      for (var at = t.indexOf(n); at >= 0; at = t.indexOf(n, at + n.length)) {
        for (var i = at; i < at + n.length; i++) on[i] = "1";
      }
    });
    return marked(text, on);
  }
  function marked(text, on) {
    var html = "", open = false;
    for (var i = 0; i < text.length; i++) {
      var m = on[i] === "1";
      if (m !== open) { html += m ? "<mark>" : "</mark>"; open = m; }
      html += escapeHtml(text[i]);
    }
    return html + (open ? "</mark>" : "");
  }
  // Marks `count` Han characters from the `first`-th: a pinyin hit.
  var HANONLY = /[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]|[\ud840-\ud8bf][\udc00-\udfff]/;
  function highlightHan(text, first, count) {
    var chars = Array.from(text), html = "", k = 0, open = false;
    chars.forEach(function (c) {
      var m = false;
      if (HANONLY.test(c)) { m = k >= first && k < first + count; k++; }
      if (m !== open) { html += m ? "<mark>" : "</mark>"; open = m; }
      html += escapeHtml(c);
    });
    return html + (open ? "</mark>" : "");
  }
  function snippet(text, ns) {
    var t = text.replace(/\s+/g, " "), lower = norm(t), at = lower.indexOf(ns[0]);
    if (at < 0) return t.slice(0, 80);
    var from = Math.max(0, at - 30);
    return (from > 0 ? "…" : "") + t.slice(from, at + 70) + (at + 70 < t.length ? "…" : "");
  }
  // Why an entry matched when its title does not show it: 「标签：扶贫小额信贷」.
  function why(label, html) { return '<span class="result-why">「' + label + "：" + html + "」</span>"; }
  function charReason(meta, ns) {
    if (contains(meta[1], ns)) return "";
    var pick = function (list, label) {
      for (var i = 0; i < list.length; i++) if (contains(list[i], ns)) return why(label, highlight(list[i], ns));
      return "";
    };
    return pick(meta[4] || [], "别名") || pick(meta[5] || [], "标签") || pick([meta[2]], "栏目") || pick([meta[6] || ""], "编号");
  }

  var input = document.getElementById("search-q");
  var status = document.getElementById("search-status");
  var list = document.getElementById("search-results");
  var more = document.getElementById("search-more");
  var current = { q: "", docs: [], shown: 0, token: 0 };

  function show(q, docs, started) {
    current = { q: q, docs: docs, shown: 0, token: current.token + 1, ways: docs.ways || [] };
    list.innerHTML = "";
    page(started);
  }
  function page(started) {
    var token = current.token, m = store.manifest[0], ns = needles(current.q);
    var slice = current.docs.slice(current.shown, current.shown + PAGE * 2);
    // Result lists first; then the text of only those entries the page needs it for,
    // in order, until a page is filled: a body hit always (it is checked against its
    // text), a summary, tag or chapter hit only when the result list's own data does
    // not show the query (a policy field). Title and pinyin hits need no text at all,
    // so a query whose first page they fill reads no snippet text.
    var tshard = function (d) { return Math.floor(d / m.tper); };
    var metaOf = function (d) { return store.m[Math.floor(d / m.per)][d % m.per]; };
    var needsText = function (c) {
      if (c.py || c.f === 0) return false;
      if (c.f === 2) return true;
      var meta = metaOf(c.d);
      return !contains([meta[3]].concat(meta[5] || [], [meta[2]]).join("\n"), ns);
    };
    var need = {}, wait = [];
    function want(kind, s) { if (!need[kind + s]) { need[kind + s] = 1; wait.push(load(kind, s)); } }
    slice.forEach(function (c) { want("m", Math.floor(c.d / m.per)); });
    var added = 0, i = 0;
    return Promise.all(wait).then(function () {
      if (token !== current.token) return;
      // What needs no text goes on screen now, in order; the rest follows its text.
      render();
      wait = [];
      for (var k = i; k < slice.length && k < i + PAGE - added; k++) {
        if (needsText(slice[k])) want("t", tshard(slice[k].d));
      }
      return Promise.all(wait);
    }).then(function () {
      if (token !== current.token) return;
      render();
      var found = current.docs.length;
      status.textContent = found ? "找到约 " + found + " 条" + (started ? "（" + ((performance.now() - started) / 1000).toFixed(2) + " 秒）" : "") : "没有找到「" + current.q + "」";
      if (more) more.hidden = current.shown >= current.docs.length;
      if (added < PAGE && current.shown < current.docs.length) return page();
    });

    // Adds results from the slice, from where the last call stopped, until the page is
    // full or an entry's text is missing.
    function render() {
      for (; i < slice.length && added < PAGE; i++) {
        var d = slice[i].d;
        // Its text is not here yet: the next round loads it, from this entry on.
        if (needsText(slice[i]) && !store.t[tshard(d)]) break;
        var meta = metaOf(d), text = (store.t[tshard(d)] || [])[d % m.tper];
        current.shown++;
        var title = highlight(meta[1], ns), reason = "", body;
        if (slice[i].py) {
          // A pinyin hit: where it stands among the title, aliases and tags.
          var at = findPinyin(meta[7] || "", current.ways || []);
          if (!at) continue;
          var aliases = meta[4] || [], tags = meta[5] || [];
          if (at[0] === 0) title = highlightHan(meta[1], at[1], at[2]);
          else if (at[0] <= aliases.length) reason = why("别名", highlightHan(aliases[at[0] - 1], at[1], at[2]));
          else reason = why("标签", highlightHan(tags[at[0] - 1 - aliases.length] || "", at[1], at[2]));
          body = escapeHtml(meta[3]);
        } else {
          // The index finds every entry holding the query's character pairs; keep the
          // ones where the query stands together (when the stored text is cut short, a
          // match may be further on: keep the entry).
          var names = [meta[1]].concat(meta[4] || [], [meta[6] || ""]).join("\n");
          // Without its text (not loaded: not needed), the entry's summary stands in.
          if (!text) text = [names, meta[3], 0];
          names += "\n" + (meta[5] || []).concat([meta[2]]).join("\n");
          if (!contains(text[0] + "\n" + text[1] + "\n" + names, ns) && !text[2]) continue;
          reason = charReason(meta, ns);
          body = highlight(contains(meta[3], ns) ? meta[3] : (contains(text[1], ns) ? snippet(text[1], ns) : meta[3]), ns);
        }
        var li = document.createElement("li");
        li.className = "search-result";
        li.innerHTML = '<a class="entry-title" href="' + escapeHtml(root.replace(/\/?$/, "/") + meta[0].replace(/^\//, "")) +
          (location.protocol === "file:" ? "index.html" : "") + '">' + title + "</a>" +
          '<span class="result-section">' + escapeHtml(meta[2]) + "</span>" + reason +
          '<p class="entry-summary">' + body + "</p>";
        list.appendChild(li);
        added++;
      }
    }
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
    // The manifest is wanted by the first query (and preloaded by the page): read it now.
    load("manifest", 0).catch(function () {});
    var q = new URLSearchParams(location.search).get("q") || "";
    input.value = q;
    if (q) run(q, false);
  }
})();
