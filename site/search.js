/* normkit site search. Hand-written, no dependencies, no request to any other host.
 *
 * The index (docs/site.md) is a set of JavaScript files under search/ that call nkIndex(name,
 * data); they are loaded with <script> elements, not fetch(), so the site also works when opened
 * straight from disk (file://).
 *
 * Terms are made exactly as generators/site/search_text.h makes them at build time:
 *   terms(text) = fold(each word-like segment of Intl.Segmenter), cut to 32 code points
 *   fold(s)     = NFC(replace sigma/sharp s(remove \p{M}(lowerCase(NFKD(s)))))
 * tests/e2e checks that both sides agree on tricky inputs.
 */
(function () {
  'use strict';

  // --- Terms (must match search_text.cpp) -------------------------------------------------
  var MAX_TERM_CHARS = 32;
  var MARKS = /\p{M}/gu;

  function fold(s) {
    var f = s.normalize('NFKD').toLowerCase().replace(MARKS, '')
      .replace(/\u03c2/g, '\u03c3').replace(/\u00df/g, 'ss').normalize('NFC');
    var cps = Array.from(f);
    return cps.length > MAX_TERM_CHARS ? cps.slice(0, MAX_TERM_CHARS).join('') : f;
  }

  var segmenter = null;
  function wordSegments(text) {
    if (!segmenter) segmenter = new Intl.Segmenter('en', { granularity: 'word' });
    return segmenter.segment(text);
  }

  function terms(text) {
    var out = [];
    for (var s of wordSegments(text)) {
      if (!s.isWordLike) continue;
      var t = fold(s.segment);
      if (t) out.push(t);
    }
    return out;
  }

  // --- Postings (must match search_index.cpp) ---------------------------------------------
  var LAST = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdef';
  var MORE = 'ghijklmnopqrstuvwxyz0123456789-_';
  var DIGIT = new Int16Array(128).fill(-1);
  for (var i = 0; i < 32; i++) {
    DIGIT[LAST.charCodeAt(i)] = i;
    DIGIT[MORE.charCodeAt(i)] = 32 + i;
  }

  function decodePostings(s) {
    var out = new Uint32Array(s.length);
    var n = 0, prev = -1, acc = 0;
    for (var k = 0; k < s.length; k++) {
      var d = DIGIT[s.charCodeAt(k)];
      if (d >= 32) {
        acc = acc * 32 + (d - 32);
      } else {
        prev = prev + 1 + acc * 32 + d;
        out[n++] = prev;
        acc = 0;
      }
    }
    return out.subarray(0, n);
  }

  var api = { fold: fold, terms: terms, decodePostings: decodePostings };
  if (typeof module === 'object' && module.exports) module.exports = api;
  if (typeof document === 'undefined') return;

  // --- Loading index files with <script> (works on file:// too) ---------------------------
  var root = document.body.getAttribute('data-root') || '';
  var loaded = Object.create(null);
  var waiting = Object.create(null);

  window.nkIndex = function (name, data) {
    loaded[name] = data;
    var w = waiting[name];
    if (w) {
      delete waiting[name];
      w.forEach(function (cb) { cb.ok(data); });
    }
  };

  function load(name, path) {
    if (name in loaded) return Promise.resolve(loaded[name]);
    return new Promise(function (ok, fail) {
      if (waiting[name]) { waiting[name].push({ ok: ok, fail: fail }); return; }
      waiting[name] = [{ ok: ok, fail: fail }];
      var el = document.createElement('script');
      el.src = root + 'search/' + path;
      el.async = true;
      el.onerror = function () {
        var w = waiting[name] || [];
        delete waiting[name];
        w.forEach(function (cb) { cb.fail(new Error('cannot load ' + path)); });
      };
      document.head.appendChild(el);
    });
  }

  // --- The index in memory ---------------------------------------------------------------
  var meta = null;
  var entryDoc = null;      // entry number -> document number
  var shardNumber = null;   // shard key -> file number
  var postingsCache = Object.create(null);

  function loadMeta() {
    return load('meta', 'meta.js').then(function (m) {
      if (meta) return meta;
      meta = m;
      entryDoc = new Uint32Array(m.entries);
      var first = 0;
      for (var d = 0; d < m.docs.length; d++) {
        var n = m.docs[d][2];
        entryDoc.fill(d, first, first + n);
        m.docs[d][2] = first;  // from now on: the document's first entry
        if (m.docs[d].length < 4) m.docs[d][3] = 'doc/' + m.works[m.docs[d][0]][0] + '/' + m.docs[d][1] + '.html';
        first += n;
      }
      // Facet codes: one or two digits per entry, each an index into the palette.
      var digits = '', w = m.facetWidth || 1;
      for (var c = 0x23; c < 0x7f; c++) if (c !== 0x5c) digits += String.fromCharCode(c);
      var value = new Int16Array(128);
      for (var k = 0; k < digits.length; k++) value[digits.charCodeAt(k)] = k;
      var codes = new Uint16Array(m.entries);
      for (var e = 0; e < m.entries; e++) {
        var slot = w === 2 ? value[m.facets.charCodeAt(2 * e)] * digits.length + value[m.facets.charCodeAt(2 * e + 1)]
                           : value[m.facets.charCodeAt(e)];
        codes[e] = m.palette[slot];
      }
      m.facets = codes;
      shardNumber = Object.create(null);
      m.shards.forEach(function (k, n) { shardNumber[k] = n; });
      return meta;
    });
  }

  // The shards that can hold a word's terms: the one with the longest key that starts the word
  // (keys have 2 or more code points; big shards are split by one more), and for a prefix word
  // every shard whose key starts with the word.
  function shardsFor(word) {
    var longest = null, out = [];
    meta.shards.forEach(function (k) {
      if (word.term.lastIndexOf(k, 0) === 0 && (!longest || k.length > longest.length)) longest = k;
      else if (word.prefix && k.lastIndexOf(word.term, 0) === 0) out.push(k);
    });
    if (longest) out.push(longest);
    return out;
  }

  function loadShard(key) {
    var n = shardNumber[key];
    if (n === undefined) return Promise.resolve(null);
    return load('t' + n, 't/' + n + '.js');
  }

  function postings(term, encoded) {
    var p = postingsCache[term];
    if (!p) p = postingsCache[term] = decodePostings(encoded);
    return p;
  }

  var FACETS = ['kind', 'class', 'level', 'doc', 'edition'];
  var FACET_NAMES = { kind: 'Kind', 'class': 'Class', level: 'Level', doc: 'Document', edition: 'Edition' };

  function facetValues(e) {
    var code = meta.facets[e];
    var nk = meta.kinds.length, nc = meta.classes.length;
    var d = meta.docs[entryDoc[e]];
    return {
      kind: meta.kinds[code % nk],
      'class': meta.classes[Math.floor(code / nk) % nc],
      level: meta.levels[Math.floor(code / (nk * nc))],
      doc: meta.works[d[0]][0],
      edition: d[1]
    };
  }

  // Query words: every word must match; the last one also matches as a prefix (as you type)
  // once it has three characters (a shorter one would load too many shards at once).
  function parseQuery(q) {
    var ts = terms(q);
    return ts.map(function (t, i) {
      return { term: t, prefix: i === ts.length - 1 && Array.from(t).length >= 3 };
    });
  }

  // Runs a query against loaded shards: returns {results: [entry...] (best first, at most
  // limit), total, counts: {facet: {value: n}}}.
  function search(q, selected, limit) {
    var words = parseQuery(q);
    if (!words.length) return Promise.resolve({ words: words, results: [], total: 0, counts: {} });
    return loadMeta().then(function () {
      var keys = {};
      words.forEach(function (w) {
        w.shardKeys = shardsFor(w);
        w.shardKeys.forEach(function (k) { keys[k] = 1; });
      });
      return Promise.all(Object.keys(keys).map(function (k) {
        return loadShard(k).then(function (s) { return [k, s]; });
      }));
    }).then(function (pairs) {
      var shards = Object.create(null);
      pairs.forEach(function (p) { shards[p[0]] = p[1]; });
      return rank(words, shards, selected, limit);
    });
  }

  function lowerBound(list, term) {
    var lo = 0, hi = list.length;
    while (lo < hi) {
      var mid = (lo + hi) >> 1;
      if (list[mid][0] < term) lo = mid + 1; else hi = mid;
    }
    return lo;
  }

  // Work arrays of one entry each, kept between queries: allocating them per query made the
  // garbage collector the slowest part of a search. `hits` holds a stamp per entry: the query
  // number times 64 plus the number of words it matched so far.
  var work = null;
  var queryNumber = 0;
  var MAX_WORDS = 63;

  function rank(words, shards, selected, limit) {
    var N = meta.entries;
    if (!work) work = { score: new Float32Array(N), best: new Float32Array(N), hits: new Float64Array(N) };
    var score = work.score, best = work.best, hits = work.hits;
    var stamp = ++queryNumber * 64;
    var touched = [];
    words = words.slice(0, MAX_WORDS);
    for (var w = 0; w < words.length; w++) {
      var word = words[w];
      var qlen = word.term.length;
      touched = [];
      for (var sk = 0; sk < word.shardKeys.length; sk++) {
        var shard = shards[word.shardKeys[sk]] || [];
        for (var i = lowerBound(shard, word.term); i < shard.length; i++) {
          var t = shard[i][0];
          var exact = t === word.term;
          if (!exact && !(word.prefix && t.lastIndexOf(word.term, 0) === 0)) break;
          var p = postings(t, shard[i][1]);
          var idf = Math.log(1 + N / p.length);
          var weight = exact ? idf : idf * (0.4 + 0.4 * qlen / t.length);
          for (var k = 0; k < p.length; k++) {
            var e = p[k];
            if (w > 0 && hits[e] !== stamp + w) continue;  // missed an earlier word
            if (best[e] === 0) touched.push(e);
            if (weight > best[e]) best[e] = weight;
          }
          if (!word.prefix) break;
        }
      }
      for (var j = 0; j < touched.length; j++) {
        var en = touched[j];
        hits[en] = stamp + w + 1;
        score[en] = w === 0 ? best[en] : score[en] + best[en];
        best[en] = 0;
      }
    }
    // Entries that matched every word are in the last `touched` list.
    var matched = touched;
    // Facets are counted by number, not by name: per facet, one counter per value.
    var nk = meta.kinds.length, nc = meta.classes.length;
    var values = facetTables();
    var counters = FACETS.map(function (f) { return new Uint32Array(values[f].length); });
    var chosen = FACETS.map(function (f) {
      var want = selected[f] || [];
      if (!want.length) return null;
      var flags = new Uint8Array(values[f].length);
      want.forEach(function (v) { var i = values[f].indexOf(v); if (i >= 0) flags[i] = 1; });
      return flags;
    });
    var docWork = values.docWork, docEdition = values.docEdition;
    var idx = new Int32Array(5);
    var results = [];
    for (var m = 0; m < matched.length; m++) {
      var ent = matched[m];
      var code = meta.facets[ent], d = entryDoc[ent];
      idx[0] = code % nk;
      idx[1] = Math.floor(code / nk) % nc;
      idx[2] = Math.floor(code / (nk * nc));
      idx[3] = docWork[d];
      idx[4] = docEdition[d];
      var failed = -1, fails = 0;
      for (var a = 0; a < 5; a++) {
        if (chosen[a] && !chosen[a][idx[a]]) { failed = a; fails++; }
      }
      if (fails === 0) {
        results.push(ent);
        for (var c = 0; c < 5; c++) counters[c][idx[c]]++;
      } else if (fails === 1) {
        counters[failed][idx[failed]]++;  // as if the facet's own selection were not applied
      }
    }
    var counts = {};
    FACETS.forEach(function (f, i) {
      var out = counts[f] = Object.create(null);
      var cs = counters[i];
      for (var v = 0; v < cs.length; v++) if (cs[v] && values[f][v]) out[values[f][v]] = cs[v];
    });
    var top = topK(results, score, limit);
    return { words: words, results: top, total: results.length, counts: counts };
  }

  // Value names of each facet by number, and each document's work and edition numbers.
  var tables = null;
  function facetTables() {
    if (tables) return tables;
    var editions = [], editionIndex = Object.create(null);
    var docWork = new Uint32Array(meta.docs.length), docEdition = new Uint32Array(meta.docs.length);
    meta.docs.forEach(function (d, i) {
      docWork[i] = d[0];
      if (!(d[1] in editionIndex)) { editionIndex[d[1]] = editions.length; editions.push(d[1]); }
      docEdition[i] = editionIndex[d[1]];
    });
    tables = {
      kind: meta.kinds, 'class': meta.classes, level: meta.levels,
      doc: meta.works.map(function (w) { return w[0]; }), edition: editions,
      docWork: docWork, docEdition: docEdition
    };
    return tables;
  }

  // Best `k` entries by score (ties: document order), without sorting everything.
  function topK(entries, score, k) {
    var better = function (a, b) { return score[a] > score[b] || (score[a] === score[b] && a < b); };
    if (entries.length <= k) return entries.slice().sort(function (a, b) { return better(a, b) ? -1 : 1; });
    var heap = [];  // min-heap by "better": heap[0] is the worst kept
    function up(i) {
      while (i > 0) {
        var p = (i - 1) >> 1;
        if (better(heap[p], heap[i])) { var t = heap[p]; heap[p] = heap[i]; heap[i] = t; i = p; } else break;
      }
    }
    function down(i) {
      for (;;) {
        var l = 2 * i + 1, r = l + 1, s = i;
        if (l < heap.length && better(heap[s], heap[l])) s = l;
        if (r < heap.length && better(heap[s], heap[r])) s = r;
        if (s === i) return;
        var t = heap[s]; heap[s] = heap[i]; heap[i] = t; i = s;
      }
    }
    for (var i = 0; i < entries.length; i++) {
      var e = entries[i];
      if (heap.length < k) { heap.push(e); up(heap.length - 1); }
      else if (better(e, heap[0])) { heap[0] = e; down(0); }
    }
    return heap.sort(function (a, b) { return better(a, b) ? -1 : 1; });
  }

  function snippets(entries) {
    var chunk = meta.snippetChunk;
    var need = {};
    entries.forEach(function (e) { need[Math.floor(e / chunk)] = 1; });
    return Promise.all(Object.keys(need).map(function (n) {
      return load('s' + n, 's/' + n + '.js');
    })).then(function () {
      return entries.map(function (e) { return loaded['s' + Math.floor(e / chunk)][e % chunk]; });
    });
  }

  api.search = search;
  api.snippets = snippets;
  api.loadMeta = loadMeta;
  window.nkSearch = api;

  // --- Page wiring -------------------------------------------------------------------------
  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined) e.textContent = text;
    return e;
  }

  function isTyping(t) {
    return t && (t.tagName === 'INPUT' || t.tagName === 'TEXTAREA' || t.tagName === 'SELECT' || t.isContentEditable);
  }

  document.addEventListener('keydown', function (ev) {
    if (ev.key !== '/' || ev.ctrlKey || ev.metaKey || ev.altKey || isTyping(ev.target)) return;
    var box = document.getElementById('q') || document.getElementById('quick-q');
    if (box) { ev.preventDefault(); box.focus(); box.select(); }
  });

  var form = document.getElementById('nk-search');
  if (!form) return;

  var input = document.getElementById('q');
  var status = document.getElementById('status');
  var list = document.getElementById('results');
  var facetsBox = document.getElementById('facets');
  var moreButton = document.getElementById('more');
  var PAGE = 20;
  var state = { q: '', selected: {}, limit: PAGE };
  var generation = 0;

  function readUrl() {
    var params = new URLSearchParams(location.search);
    state.q = params.get('q') || '';
    state.selected = {};
    FACETS.forEach(function (f) {
      var v = params.getAll(f);
      if (v.length) state.selected[f] = v;
    });
  }

  function writeUrl() {
    var params = new URLSearchParams();
    if (state.q) params.set('q', state.q);
    FACETS.forEach(function (f) { (state.selected[f] || []).forEach(function (v) { params.append(f, v); }); });
    var qs = params.toString();
    try {
      history.replaceState(null, '', qs ? '?' + qs : location.pathname.split('/').pop());
    } catch (e) {
      // Some browsers refuse history changes on file:// pages; the search still works.
    }
  }

  function facetLabel(f, value) {
    if (f === 'kind') {
      var i = meta.kinds.indexOf(value);
      return i >= 0 ? meta.kindNames[i] : value;
    }
    if (f === 'class') {
      if (value === 'III-no-benefit') return 'III: No Benefit';
      if (value === 'III-harm') return 'III: Harm';
      return value;
    }
    if (f === 'doc') {
      for (var w = 0; w < meta.works.length; w++) if (meta.works[w][0] === value) return meta.works[w][1];
    }
    return value;
  }

  function facetOrder(f, values, counts) {
    if (f === 'kind') return meta.kinds.filter(function (k) { return values.indexOf(k) >= 0; });
    if (f === 'class') return meta.classes.filter(function (k) { return values.indexOf(k) >= 0; });
    if (f === 'level') return meta.levels.filter(function (k) { return values.indexOf(k) >= 0; });
    return values.sort(function (a, b) { return counts[b] - counts[a] || (a < b ? -1 : a > b ? 1 : 0); });
  }

  function renderFacets(counts) {
    facetsBox.textContent = '';
    FACETS.forEach(function (f) {
      var c = counts[f] || {};
      var chosen = state.selected[f] || [];
      var values = Object.keys(c);
      chosen.forEach(function (v) { if (values.indexOf(v) < 0) { values.push(v); c[v] = 0; } });
      if (!values.length) return;
      values = facetOrder(f, values, c);
      var shown = values.slice(0, 12);
      chosen.forEach(function (v) { if (shown.indexOf(v) < 0) shown.push(v); });
      var fs = el('fieldset', 'facet');
      fs.appendChild(el('legend', '', FACET_NAMES[f]));
      shown.forEach(function (v) {
        var label = el('label');
        var box = el('input');
        box.type = 'checkbox';
        box.name = f;
        box.value = v;
        box.checked = chosen.indexOf(v) >= 0;
        box.addEventListener('change', onFacetChange);
        label.appendChild(box);
        label.appendChild(document.createTextNode(' ' + facetLabel(f, v) + ' '));
        label.appendChild(el('span', 'count', '(' + c[v] + ')'));
        fs.appendChild(label);
      });
      if (values.length > shown.length) fs.appendChild(el('p', 'facet-more', (values.length - shown.length) + ' more; refine the query to see them'));
      facetsBox.appendChild(fs);
    });
  }

  function onFacetChange(ev) {
    var f = ev.target.name, v = ev.target.value;
    var cur = (state.selected[f] || []).filter(function (x) { return x !== v; });
    if (ev.target.checked) cur.push(v);
    if (cur.length) state.selected[f] = cur; else delete state.selected[f];
    state.limit = PAGE;
    writeUrl();
    run(f, v);
  }

  // Marks the words of `text` that a query word matches; cuts long text around the first match.
  function renderSnippet(text, words) {
    var p = el('p', 'snippet');
    var segs = Array.from(wordSegments(text));
    var first = -1;
    var marks = segs.map(function (s, i) {
      if (!s.isWordLike) return false;
      var t = fold(s.segment);
      var hit = words.some(function (w) { return t === w.term || (w.prefix && t.lastIndexOf(w.term, 0) === 0); });
      if (hit && first < 0) first = i;
      return hit;
    });
    var start = 0;
    if (text.length > 240 && first > 0) {
      var chars = 0;
      start = first;
      while (start > 0 && chars < 60) { start--; chars += segs[start].segment.length; }
      if (start > 0) p.appendChild(document.createTextNode('\u2026 '));
    }
    var length = 0;
    for (var i = start; i < segs.length; i++) {
      if (length > 260) { p.appendChild(document.createTextNode(' \u2026')); break; }
      length += segs[i].segment.length;
      if (marks[i]) p.appendChild(el('mark', '', segs[i].segment));
      else p.appendChild(document.createTextNode(segs[i].segment));
    }
    return p;
  }

  function renderResults(res, snips) {
    list.textContent = '';
    res.results.forEach(function (e, i) {
      var s = snips[i];
      var v = facetValues(e);
      var d = meta.docs[entryDoc[e]];
      var li = el('li', 'result');
      var a = el('a', 'r-link');
      a.href = root + d[3] + '#' + encodeURIComponent(s[0]);
      a.appendChild(el('span', 'r-label', s[1] || facetLabel('kind', v.kind)));
      a.appendChild(el('span', 'r-doc', meta.works[d[0]][1] + ' (' + d[1] + ')'));
      li.appendChild(a);
      var badges = el('p', 'badges');
      badges.appendChild(el('span', 'badge b-kind', facetLabel('kind', v.kind)));
      if (v['class']) badges.appendChild(el('span', 'badge b-class', 'Class ' + facetLabel('class', v['class'])));
      if (v.level) badges.appendChild(el('span', 'badge b-level', 'Level ' + v.level));
      li.appendChild(badges);
      li.appendChild(renderSnippet(s[2], res.words));
      list.appendChild(li);
    });
    moreButton.hidden = res.total <= res.results.length;
  }

  function run(focusFacet, focusValue) {
    var my = ++generation;
    var q = state.q;
    if (!terms(q).length) {
      list.textContent = '';
      facetsBox.textContent = '';
      moreButton.hidden = true;
      status.textContent = 'Type a word to search.';
      return Promise.resolve();
    }
    var started = performance.now();
    return search(q, state.selected, state.limit).then(function (res) {
      return snippets(res.results).then(function (snips) {
        if (my !== generation) return;
        renderFacets(res.counts);
        renderResults(res, snips);
        var ms = Math.round(performance.now() - started);
        status.textContent = res.total === 0 ? 'No results for \u201c' + q + '\u201d.' :
          res.total + (res.total === 1 ? ' result' : ' results') + ' for \u201c' + q + '\u201d' +
          (res.total > res.results.length ? ', showing the best ' + res.results.length : '') + ' (' + ms + ' ms).';
        if (focusFacet) {
          var again = facetsBox.querySelector('input[name="' + focusFacet + '"][value="' + CSS.escape(focusValue) + '"]');
          if (again) again.focus();
        }
      });
    }).catch(function (err) {
      if (my === generation) status.textContent = 'Search is unavailable: ' + err.message;
    });
  }

  input.addEventListener('input', function () {
    state.q = input.value;
    state.limit = PAGE;
    writeUrl();
    run();
  });
  form.addEventListener('submit', function (ev) {
    ev.preventDefault();
    state.q = input.value;
    writeUrl();
    run();
  });
  moreButton.addEventListener('click', function () {
    state.limit += PAGE;
    var before = list.children.length;
    run().then(function () {
      var next = list.children[before];
      if (next) next.querySelector('a').focus();
    });
  });

  // Arrow keys move between the search box and the results.
  function resultLinks() { return Array.prototype.slice.call(list.querySelectorAll('a.r-link')); }
  input.addEventListener('keydown', function (ev) {
    if (ev.key === 'ArrowDown') {
      var links = resultLinks();
      if (links.length) { ev.preventDefault(); links[0].focus(); }
    }
  });
  list.addEventListener('keydown', function (ev) {
    var links = resultLinks();
    var i = links.indexOf(document.activeElement);
    if (i < 0) return;
    if (ev.key === 'ArrowDown' && i + 1 < links.length) { ev.preventDefault(); links[i + 1].focus(); }
    else if (ev.key === 'ArrowUp') { ev.preventDefault(); if (i > 0) links[i - 1].focus(); else input.focus(); }
    else if (ev.key === 'Escape') { ev.preventDefault(); input.focus(); }
  });

  readUrl();
  input.value = state.q;
  if (state.q) run(); else loadMeta().catch(function () {});
})();
