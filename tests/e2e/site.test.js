// End-to-end test of the generated site in a real browser: Debian's Chromium driven by
// playwright-core. Run by CTest (tests/CMakeLists.txt) after the sample site is built:
//
//   node tests/e2e/site.test.js --site DIR --fold-dump BIN [--screenshot FILE]
//
// Over http (a server on 127.0.0.1 only) and from file://, it searches, filters by kind, follows
// a result to the provision's anchor with the keyboard, and checks that no console error
// occurred and that no request left the site. It also checks that C++ (normkit-fold-dump),
// node and Chromium make the same search terms of tricky text.
// Exit codes: 0 pass, 1 fail, 77 skipped (only outside CI, when Chromium or playwright-core is
// missing).
'use strict';
const fs = require('fs');
const http = require('http');
const os = require('os');
const path = require('path');
const { execFileSync } = require('child_process');

const args = {};
for (let i = 2; i < process.argv.length; i += 2) args[process.argv[i].replace(/^--/, '')] = process.argv[i + 1];
const CI = !!process.env.CI && process.env.CI !== 'false';
const CHROMIUM = process.env.NORMKIT_CHROMIUM || '/usr/bin/chromium';

function skipOrFail(why) {
  if (CI) {
    console.error('FAIL: ' + why + ' (CI=true: the browser test must run)');
    process.exit(1);
  }
  console.error('SKIP: ' + why);
  process.exit(77);
}

let chromium;
try {
  ({ chromium } = require('playwright-core'));
} catch (e) {
  skipOrFail('playwright-core is not installed (run: cd tests/e2e && npm ci)');
}
if (!fs.existsSync(CHROMIUM)) skipOrFail(CHROMIUM + ' is missing (scripts/install-deps installs chromium)');
const siteDir = path.resolve(args.site || '');
if (!fs.existsSync(path.join(siteDir, 'index.html'))) {
  console.error('FAIL: no built site at ' + siteDir);
  process.exit(1);
}

let failures = 0;
function check(cond, what) {
  if (cond) {
    console.log('ok   ' + what);
  } else {
    failures++;
    console.log('FAIL ' + what);
  }
}

// Strings where naive folding or segmentation goes wrong.
const TRICKY = [
  'Ångström', 'ÅNGSTRÖM', 'naïve café', 'STRASSE Straße', 'ΣΊΣΥΦΟΣ σίσυφος', 'İstanbul ISTANBUL',
  'ﬁnal ﬂow', 'Ｆｕｌｌｗｉｄｔｈ ＡＢＣ', 'e\u0301cole école', 'x² ½', 'Dvořák Łódź', 'ǅungla',
  "perfusionist's can't", '37 °C 3.5 mmHg 1,000', 'heparin/protamine', 'pre-bypass', 'ACT>400s',
  '日本語のテキスト', 'Привет МИР', 'ℌilbert Ⅻ', 'ﬃ', 'A'.repeat(40) + 'é',
];

function foldAgreement(api) {
  const expected = JSON.parse(execFileSync(args['fold-dump'], { input: JSON.stringify(TRICKY) }).toString());
  const mismatches = [];
  TRICKY.forEach((t, i) => {
    const got = JSON.stringify(api(t));
    if (got !== JSON.stringify(expected[i])) mismatches.push(t + ': C++ ' + JSON.stringify(expected[i]) + ' vs ' + got);
  });
  return { expected, mismatches };
}

function serve(dir) {
  const types = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8' };
  const server = http.createServer((req, res) => {
    const url = new URL(req.url, 'http://127.0.0.1');
    const file = path.join(dir, decodeURIComponent(url.pathname));
    if (!file.startsWith(dir) || !fs.existsSync(file) || fs.statSync(file).isDirectory()) {
      res.writeHead(404);
      res.end('not found');
      return;
    }
    res.writeHead(200, { 'Content-Type': types[path.extname(file)] || 'application/octet-stream' });
    fs.createReadStream(file).pipe(res);
  });
  return new Promise((ok) => server.listen(0, '127.0.0.1', () => ok(server)));
}

async function exercise(context, base, label, screenshot) {
  const page = await context.newPage();
  const errors = [];
  const foreign = [];
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  page.on('pageerror', (e) => errors.push(String(e)));
  // A request the browser aborts because the test navigated on (net::ERR_ABORTED, typically the
  // favicon) says nothing about the site; any other failure does.
  page.on('requestfailed', (r) => {
    const why = (r.failure() && r.failure().errorText) || '';
    if (why !== 'net::ERR_ABORTED') errors.push('request failed: ' + r.url() + ' (' + why + ')');
  });
  page.on('response', (r) => { if (r.status() >= 400) errors.push('HTTP ' + r.status() + ': ' + r.url()); });
  page.on('request', (r) => { if (!r.url().startsWith(base)) foreign.push(r.url()); });

  // Home page: catalog, landmarks, skip link.
  await page.goto(base + 'index.html');
  check((await page.title()) === 'Publications', label + ': home page title');
  check(await page.locator('main#main').count() === 1 && await page.locator('header.site-head nav').count() === 1,
    label + ': landmarks present');
  await page.keyboard.press('Tab');
  check(await page.evaluate(() => document.activeElement.className) === 'skip', label + ': first Tab reaches the skip link');
  check(await page.locator('text=Temperature Management During Bypass').count() > 0, label + ': catalog lists the CPG');

  // Quick search from the header goes to the search page with the query in the URL.
  await page.fill('#quick-q', 'protocols');
  await page.press('#quick-q', 'Enter');
  await page.waitForURL(/search\.html\?q=protocols/);
  await page.waitForSelector('#results li');
  check(await page.inputValue('#q') === 'protocols', label + ': query carried to the search page');

  // Prefix search as you type, highlighted snippet.
  await page.fill('#q', '');
  await page.type('#q', 'checkl');
  await page.waitForFunction(() => document.querySelectorAll('#results li').length > 0 &&
    /checkl/.test(document.getElementById('status').textContent));
  const marks = await page.$$eval('#results mark', (ms) => ms.map((m) => m.textContent.toLowerCase()));
  check(marks.length > 0 && marks.every((m) => m.startsWith('checkl')), label + ': prefix matches highlighted (' + marks.slice(0, 3).join(', ') + ')');
  const labels = await page.$$eval('#results .r-label', (ls) => ls.map((l) => l.textContent));
  check(labels.includes('Standard 2.1') && labels.includes('Guideline 2.1'), label + ': results include Standard 2.1 and Guideline 2.1');

  // Filter by kind: only guidelines remain; the facet is in the URL.
  await page.check('#facets input[name="kind"][value="guideline"]');
  // Wait for a non-empty list of guidelines only: every() of an empty list (mid-update) is true.
  await page.waitForFunction(() => {
    const badges = Array.from(document.querySelectorAll('#results .b-kind'));
    return badges.length > 0 && badges.every((b) => b.textContent === 'Guideline');
  });
  const kinds = await page.$$eval('#results .b-kind', (bs) => bs.map((b) => b.textContent));
  check(kinds.length > 0 && kinds.every((k) => k === 'Guideline'), label + ': kind facet keeps only guidelines (' + kinds.length + ')');
  const url = page.url();
  check(url.includes('kind=guideline') && url.includes('q=checkl'), label + ': query and facet kept in the URL');
  if (screenshot) await page.screenshot({ path: screenshot, fullPage: true });

  // Keyboard: arrow down to the first result, Enter follows it to the provision's anchor.
  await page.focus('#q');
  await page.keyboard.press('ArrowDown');
  const href = await page.evaluate(() => document.activeElement.getAttribute('href')) || '';
  const fragment = href.split('#')[1] || '';
  check(/^doc\/sample-perfusion-practice\/2017\.html#nk[0-9a-z]+$/.test(href), label + ': ArrowDown focuses the first result (' + href + ')');
  await Promise.all([page.waitForURL((u) => u.toString().endsWith('2017.html#' + fragment)), page.keyboard.press('Enter')]);
  const target = await page.evaluate(() => {
    const t = document.querySelector(':target');
    if (!t) return null;
    const r = t.getBoundingClientRect();
    return { id: t.id, cls: t.className, top: r.top, visible: r.top >= -1 && r.top < window.innerHeight };
  });
  check(target && target.id === fragment && /k-guideline/.test(target.cls) && target.visible,
    label + ': Enter opens the guideline at its anchor, scrolled into view (' + JSON.stringify(target) + ')');

  // The shared URL restores the search.
  await page.goto(base + 'search.html?q=recommended&class=I');
  await page.waitForFunction(() => document.querySelectorAll('#results li').length > 0);
  const classes = await page.$$eval('#results .b-class', (bs) => bs.map((b) => b.textContent));
  check(classes.length === 2 && classes.every((c) => c === 'Class I') &&
    await page.isChecked('#facets input[name="class"][value="I"]'), label + ': class facet from the URL (' + classes.join(', ') + ')');

  // Document page: furniture hidden, definition on focus, self-links.
  await page.goto(base + 'doc/sample-perfusion-practice/2017.html');
  const text = await page.textContent('body');
  check(!text.includes('1 Sample Street') && !text.includes('Become a member'), label + ': page furniture is not shown');
  const term = page.locator('.term a').first();
  await term.focus();
  check(await page.locator('.term').first().locator('.tip').isVisible(), label + ': definition shows on keyboard focus');
  check(await page.locator('a.self[href="#nkdqzttrn4g8"]').count() === 1, label + ': provision self-link uses the permanent id');

  if (label === 'http') {
    const fold = await page.evaluate((t) => t.map((s) => window.nkSearch.terms(s)), TRICKY);
    const { expected } = foldAgreement(() => []);
    const bad = TRICKY.filter((t, i) => JSON.stringify(fold[i]) !== JSON.stringify(expected[i]));
    check(bad.length === 0, 'chromium and C++ make the same terms of ' + TRICKY.length + ' tricky strings' + (bad.length ? ': ' + bad.join(' | ') : ''));
  }

  check(errors.length === 0, label + ': no console error' + (errors.length ? ': ' + errors.join(' | ') : ''));
  check(foreign.length === 0, label + ': no request left the site' + (foreign.length ? ': ' + foreign.join(' ') : ''));
  await page.close();
}

(async () => {
  // C++ and node first: no browser needed.
  const api = require(path.join(__dirname, '..', '..', 'site', 'search.js'));
  const node = foldAgreement(api.terms);
  check(node.mismatches.length === 0, 'node and C++ make the same terms of tricky strings' + (node.mismatches.length ? ': ' + node.mismatches.join(' | ') : ''));

  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'normkit-e2e-'));
  const server = await serve(siteDir);
  let context;
  try {
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
        '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    const port = server.address().port;
    await exercise(context, 'http://127.0.0.1:' + port + '/', 'http', args.screenshot);
    await exercise(context, 'file://' + siteDir + '/', 'file', null);
  } catch (e) {
    failures++;
    console.log('FAIL ' + (e && e.stack || e));
  } finally {
    if (context) await context.close();
    server.close();
    fs.rmSync(profile, { recursive: true, force: true });
  }
  console.log(failures ? failures + ' check(s) failed' : 'all checks passed');
  process.exit(failures ? 1 : 0);
})();
