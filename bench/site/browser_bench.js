// Measures search in Chromium (playwright-core from tests/e2e): what the first search downloads
// (gzip-compressed, as a web server with compression sends it) and how long warm queries take.
// usage: node browser_bench.js --site DIR [--pagefind-site DIR]
'use strict';
const fs = require('fs');
const http = require('http');
const os = require('os');
const path = require('path');
const zlib = require('zlib');
const { chromium } = require(path.join(__dirname, '..', '..', 'tests', 'e2e', 'node_modules', 'playwright-core'));

const args = {};
for (let i = 2; i < process.argv.length; i += 2) args[process.argv[i].replace(/^--/, '')] = process.argv[i + 1];
const QUERIES = ['heparin', 'oxygenator', 'blood gas', 'temperature', 'cardioplegia log', 'checklist', 'lactate',
  'transfusion record', 'bubble detector', 'flow probe', 'rewarming', 'anticoagulation', 'venous saturation',
  'calibrate', 'circuit air', 'staff', 'audit', 'label cannula', 'arterial line', 'electronic record'];

function serve(dir, log) {
  const types = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.json': 'application/json', '.wasm': 'application/wasm' };
  const server = http.createServer((req, res) => {
    const p = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    const file = path.join(dir, p);
    if (!file.startsWith(dir) || !fs.existsSync(file) || fs.statSync(file).isDirectory()) { res.writeHead(404); res.end(); return; }
    let body = fs.readFileSync(file);
    const headers = { 'Content-Type': types[path.extname(file)] || 'application/octet-stream', 'Cache-Control': 'max-age=3600' };
    // pagefind's .pf_* files are gzip-compressed already; everything else is sent gzipped.
    if (!/\.pf_/.test(file)) { body = zlib.gzipSync(body, { level: 9 }); headers['Content-Encoding'] = 'gzip'; }
    log.push({ path: p, bytes: body.length });
    res.writeHead(200, headers);
    res.end(body);
  });
  return new Promise((ok) => server.listen(0, '127.0.0.1', () => ok(server)));
}

function p95(xs) {
  const s = xs.slice().sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(s.length * 0.95))];
}

async function main() {
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'normkit-bench-'));
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'] });
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: '/usr/bin/chromium', headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  const result = {};
  try {
    // --- normkit ---------------------------------------------------------------------------
    const log = [];
    const server = await serve(path.resolve(args.site), log);
    const base = 'http://127.0.0.1:' + server.address().port + '/';
    // First search of a few words, each in a fresh context (empty cache). The search page
    // prefetches search/meta.js; it counts as part of the first search.
    result.normkit = { first_search_bytes_gz: {} };
    for (const q of ['heparin', 'recommended', 'the', 'anticoagulation', 're', 'rec', 'ch', 'che']) {
      const fresh = await browser.newContext();
      const fp = await fresh.newPage();
      log.length = 0;
      await fp.goto(base + 'search.html');
      await fp.waitForFunction(() => window.nkSearch);
      const assets = log.filter((r) => !r.path.startsWith('/search/')).reduce((a, r) => a + r.bytes, 0);
      await fp.fill('#q', q);
      // Short words may match nothing (no prefix expansion below three letters): then wait for
      // the loads to settle instead of for results.
      await fp.waitForFunction(() => document.querySelectorAll('#results li').length > 0, null, { timeout: 5000 })
        .catch(() => {});
      await fp.waitForTimeout(500);
      const first = log.filter((r) => r.path.startsWith('/search/'));
      result.normkit.page_assets_bytes_gz = assets;
      result.normkit.first_search_bytes_gz[q] = first.reduce((a, r) => a + r.bytes, 0);
      if (q === 'heparin') result.normkit.first_search_files = first.map((r) => r.path + ' ' + r.bytes);
      await fresh.close();
    }
    const page = await context.newPage();
    await page.goto(base + 'search.html');
    await page.waitForFunction(() => window.nkSearch);
    // Warm queries: every shard and snippet chunk a query needs is loaded once, then timed.
    const timing = await page.evaluate(async (queries) => {
      const api = window.nkSearch;
      const facets = { kind: ['recommendation'], 'class': ['I', 'IIa'] };
      for (const q of queries) {
        const r = await api.search(q, {}, 20); await api.snippets(r.results);
        const f = await api.search(q, facets, 20); await api.snippets(f.results);
      }
      const times = [], faceted = [];
      for (let round = 0; round < 10; round++) {
        for (const q of queries) {
          let t = performance.now();
          const r = await api.search(q, {}, 20);
          await api.snippets(r.results);
          times.push(performance.now() - t);
          t = performance.now();
          const f = await api.search(q, { kind: ['recommendation'], 'class': ['I', 'IIa'] }, 20);
          await api.snippets(f.results);
          faceted.push(performance.now() - t);
        }
      }
      return { times, faceted };
    }, QUERIES);
    result.normkit.warm_query_p95_ms = +p95(timing.times).toFixed(2);
    result.normkit.warm_faceted_query_p95_ms = +p95(timing.faceted).toFixed(2);
    // The same through the page: type, wait for the rendered results.
    const ui = [];
    for (const q of QUERIES) {
      await page.fill('#q', '');
      const t0 = Date.now();
      await page.fill('#q', q);
      await page.waitForFunction((qq) => document.getElementById('status').textContent.includes('\u201c' + qq + '\u201d'), q);
      ui.push(Date.now() - t0);
    }
    result.normkit.ui_query_p95_ms_including_playwright_roundtrip = p95(ui);
    server.close();

    // --- pagefind (same corpus built by hugo) --------------------------------------------------
    if (args['pagefind-site']) {
      const plog = [];
      const ps = await serve(path.resolve(args['pagefind-site']), plog);
      const pbase = 'http://127.0.0.1:' + ps.address().port + '/';
      const pp = await context.newPage();
      await pp.goto(pbase + 'index.html');
      const pbefore = plog.length;
      const pf = await pp.evaluate(async (queries) => {
        const pagefind = await import('/pagefind/pagefind.js');
        await pagefind.init();
        const r = await pagefind.search('heparin');
        await Promise.all(r.results.slice(0, 20).map((x) => x.data()));
        const firstDone = performance.now();
        for (const q of queries) { const s = await pagefind.search(q); await Promise.all(s.results.slice(0, 20).map((x) => x.data())); }
        const times = [], searchOnly = [];
        for (let round = 0; round < 5; round++) {
          for (const q of queries) {
            let t = performance.now();
            const s = await pagefind.search(q);
            searchOnly.push(performance.now() - t);
            await Promise.all(s.results.slice(0, 20).map((x) => x.data()));
            times.push(performance.now() - t);
          }
        }
        return { times, searchOnly, results: r.results.length, firstDone };
      }, QUERIES);
      const firstFiles = [];
      // Files fetched up to and including the first search's 20 results.
      let total = 0;
      for (const r of plog.slice(pbefore)) {
        if (!/fragment|pf_index|pf_meta|pagefind|wasm/.test(r.path)) continue;
        firstFiles.push(r.path + ' ' + r.bytes);
      }
      result.pagefind = { warm_query_p95_ms: +p95(pf.times).toFixed(2), warm_search_only_p95_ms: +p95(pf.searchOnly).toFixed(2),
        heparin_results_pages: pf.results,
        all_downloads_during_benchmark: firstFiles.length };
      ps.close();
      // A separate page for the first search alone.
      const plog2 = [];
      const ps2 = await serve(path.resolve(args['pagefind-site']), plog2);
      const pp2 = await context.newPage();
      await pp2.goto('http://127.0.0.1:' + ps2.address().port + '/index.html');
      const b2 = plog2.length;
      await pp2.evaluate(async () => {
        const pagefind = await import('/pagefind/pagefind.js');
        await pagefind.init();
        const r = await pagefind.search('heparin');
        await Promise.all(r.results.slice(0, 20).map((x) => x.data()));
      });
      result.pagefind.first_search_bytes = plog2.slice(b2).reduce((a, r) => a + r.bytes, 0);
      result.pagefind.first_search_files = plog2.slice(b2).map((r) => r.path + ' ' + r.bytes);
      ps2.close();
    }
  } finally {
    await context.close();
    await browser.close();
    fs.rmSync(profile, { recursive: true, force: true });
  }
  console.log(JSON.stringify(result, null, 1));
}
main().catch((e) => { console.error(e); process.exit(1); });
