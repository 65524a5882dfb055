#!/usr/bin/env node
// axe-check.js: load HTML files in headless Chromium and check them with
// axe-core against the WCAG 2.0, 2.1 and 2.2 A and AA rules, at 1280 and
// 320 CSS pixels wide, and check that nothing scrolls sideways at 320
// (WCAG 1.4.10 Reflow), that the page fetches nothing, and take a
// full-page screenshot of each width.
//
//   node axe-check.js [--out DIR] [--axe FILE] [--chromium FILE]
//                     [--widths 1280,320] [--timeout SECONDS] FILE.html...
//
// Chromium is driven over the DevTools protocol on a pipe
// (--remote-debugging-pipe: we write commands on its fd 3 and read
// replies on its fd 4, each a JSON text ended by a NUL byte), so nothing
// but node and axe-core is needed: no puppeteer, no browser download.
//
// Every problem is one line on standard output:
//   violation: FILE WIDTH RULE IMPACT TARGET | SNIPPET
//   violation: FILE 320 reflow serious html | page is 412 px wide in a 320 px window
//   violation: FILE WIDTH external-request serious - | URL
// then a summary line.  What axe-core could not decide goes to standard
// error, as "review: FILE WIDTH RULE TARGET | SNIPPET", for a person.  Exit status: 0 no violation, 1 violations,
// 2 the check itself could not run (no browser, no axe-core, a time-out).
//
// Environment: CSPPACK_AXE (axe.min.js), CSPPACK_CHROMIUM (the browser);
// the options win over them.  Written for node 18 (Debian 12) and later.
'use strict';

const fs = require('fs');
const os = require('os');
const path = require('path');
const { spawn } = require('child_process');

// The axe-core tags of the WCAG 2.0, 2.1 and 2.2 A and AA success criteria.
const TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];
const VIEW_HEIGHT = 900;

// Say why the check could not run, and stop with status 2.
function die(msg) {
  process.stderr.write('axe-check: error: ' + msg + '\n');
  finish(2);
}

// Kill the browser, wait for it to be gone (so that no process is left,
// not even unreaped), remove its profile and exit with STATUS.
function finish(status) {
  const child = browser;
  const dir = profile;
  cleanup();
  if (!child || child.exitCode !== null || child.signalCode !== null) process.exit(status);
  child.once('exit', () => {
    // It may have written to its profile until killed.
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
    process.exit(status);
  });
  setTimeout(() => process.exit(status), 5000).unref();
}

// Parse the command line into options and files.
function parseArgs(argv) {
  const o = {
    out: null,
    axe: process.env.CSPPACK_AXE || path.join(__dirname, 'node_modules', 'axe-core', 'axe.min.js'),
    chromium: process.env.CSPPACK_CHROMIUM || '/usr/bin/chromium',
    widths: [1280, 320],
    timeout: 120,
    files: [],
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const val = () => {
      if (i + 1 >= argv.length) die(a + ' needs a value');
      return argv[++i];
    };
    if (a === '--out') o.out = val();
    else if (a === '--axe') o.axe = val();
    else if (a === '--chromium') o.chromium = val();
    else if (a === '--widths') o.widths = val().split(',').map(Number);
    else if (a === '--timeout') o.timeout = Number(val());
    else if (a === '--help') {
      process.stdout.write('usage: node axe-check.js [--out DIR] [--axe FILE] [--chromium FILE] ' +
        '[--widths 1280,320] [--timeout SECONDS] FILE.html...\n');
      process.exit(0);
    } else if (a.startsWith('--')) die('unknown option ' + a);
    else o.files.push(a);
  }
  if (o.files.length === 0) die('no HTML file named (--help)');
  if (o.widths.some((w) => !(w >= 100 && w <= 10000))) die('--widths: whole numbers of pixels, e.g. 1280,320');
  if (!(o.timeout > 0)) die('--timeout: a number of seconds');
  return o;
}

// State that cleanup() undoes whatever way the process ends.
let browser = null;
let profile = null;

// Kill the browser (its whole process group) and remove its profile.
function cleanup() {
  if (browser && browser.exitCode === null && browser.signalCode === null) {
    try {
      process.kill(-browser.pid, 'SIGKILL');
    } catch (e) {
      try { browser.kill('SIGKILL'); } catch (e2) { /* gone already */ }
    }
  }
  browser = null;
  if (profile) {
    try { fs.rmSync(profile, { recursive: true, force: true }); } catch (e) { /* best effort */ }
    profile = null;
  }
}

// A connection to Chromium over its DevTools pipe.
class Cdp {
  constructor(child) {
    this.out = child.stdio[3];
    this.nextId = 1;
    this.pending = new Map();
    this.listeners = [];
    this.closed = null;
    let buf = Buffer.alloc(0);
    child.stdio[4].on('data', (chunk) => {
      buf = Buffer.concat([buf, chunk]);
      let nul;
      while ((nul = buf.indexOf(0)) >= 0) {
        const text = buf.subarray(0, nul).toString('utf8');
        buf = buf.subarray(nul + 1);
        this.dispatch(JSON.parse(text));
      }
    });
    child.stdio[4].on('error', () => {});
    this.out.on('error', () => {});
  }

  // A reply settles its command; an event goes to whoever waits for it.
  dispatch(msg) {
    if (msg.id !== undefined) {
      const p = this.pending.get(msg.id);
      if (!p) return;
      this.pending.delete(msg.id);
      if (msg.error) p.reject(new Error(p.method + ': ' + msg.error.message));
      else p.resolve(msg.result);
      return;
    }
    for (const l of this.listeners.slice()) l(msg);
  }

  // Every command still waiting fails: the browser went away.
  close(why) {
    this.closed = why;
    for (const p of this.pending.values()) p.reject(new Error(why));
    this.pending.clear();
  }

  // Send METHOD with PARAMS (to SESSION, a page, if given); its result.
  send(method, params, session) {
    if (this.closed) return Promise.reject(new Error(this.closed));
    const id = this.nextId++;
    const msg = { id, method, params: params || {} };
    if (session) msg.sessionId = session;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject, method });
      this.out.write(JSON.stringify(msg) + '\0');
    });
  }

  // Call FN with every event until it returns false.
  on(fn) {
    this.listeners.push(fn);
    return () => { this.listeners = this.listeners.filter((l) => l !== fn); };
  }
}

// PROMISE, or a failure after SECONDS saying WHAT timed out.
function within(seconds, what, promise) {
  let timer;
  const limit = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(what + ': no answer in ' + seconds + ' s')), seconds * 1000);
  });
  return Promise.race([promise, limit]).finally(() => clearTimeout(timer));
}

// Start Chromium headless on a fresh profile; its connection.
function startBrowser(o) {
  profile = fs.mkdtempSync(path.join(os.tmpdir(), 'csppack-chromium-'));
  const args = [
    '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic',
    '--no-first-run', '--no-default-browser-check',
    '--disable-background-networking', '--disable-component-update',
    '--disable-sync', '--disable-extensions', '--hide-scrollbars',
    '--mute-audio', '--font-render-hinting=none',
    '--user-data-dir=' + profile, '--remote-debugging-pipe', 'about:blank',
  ];
  const stderr = [];
  browser = spawn(o.chromium, args, {
    stdio: ['ignore', 'ignore', 'pipe', 'pipe', 'pipe'],
    detached: true,
  });
  const cdp = new Cdp(browser);
  browser.stderr.on('data', (d) => {
    stderr.push(d.toString());
    if (stderr.length > 50) stderr.shift();
  });
  browser.on('error', (e) => cdp.close('cannot start ' + o.chromium + ': ' + e.message));
  browser.on('exit', (code, sig) => {
    const tail = stderr.join('').trim().split('\n').slice(-5).join('\n  ');
    cdp.close(o.chromium + ' exited (' + (sig || code) + ')' + (tail ? ':\n  ' + tail : ''));
  });
  return cdp;
}

// Open a page of WIDTH: its session id and its target id.
async function openPage(cdp, width) {
  const { targetId } = await cdp.send('Target.createTarget', { url: 'about:blank' });
  const { sessionId } = await cdp.send('Target.attachToTarget', { targetId, flatten: true });
  await cdp.send('Page.enable', {}, sessionId);
  await cdp.send('Network.enable', {}, sessionId);
  await cdp.send('Emulation.setDeviceMetricsOverride',
    { width, height: VIEW_HEIGHT, deviceScaleFactor: 1, mobile: false }, sessionId);
  return { targetId, sessionId };
}

// Evaluate EXPR in the page; its value (a promise's, awaited).
async function evaluate(cdp, session, expr) {
  const r = await cdp.send('Runtime.evaluate',
    { expression: expr, awaitPromise: true, returnByValue: true }, session);
  if (r.exceptionDetails) {
    const d = r.exceptionDetails;
    throw new Error('script failed: ' + ((d.exception && d.exception.description) || d.text));
  }
  return r.result.value;
}

// The page's own first line of HTML for a node, short.
function snippet(html) {
  const s = String(html || '').replace(/\s+/g, ' ').trim();
  return s.length > 120 ? s.slice(0, 117) + '...' : s;
}

// Load FILE at WIDTH, run axe, check reflow, take the screenshot; lines.
async function checkPage(cdp, o, axeSource, file, width) {
  const name = path.basename(file);
  const url = 'file://' + path.resolve(file).split(path.sep).map(encodeURIComponent).join('/');
  const { targetId, sessionId } = await openPage(cdp, width);
  const lines = [];
  const fetched = [];
  const stop = cdp.on((ev) => {
    if (ev.sessionId !== sessionId) return;
    if (ev.method === 'Network.requestWillBeSent') {
      const u = ev.params.request.url;
      if (u !== url && !u.startsWith('data:') && !fetched.includes(u)) fetched.push(u);
    }
  });
  try {
    const loaded = new Promise((resolve) => {
      const off = cdp.on((ev) => {
        if (ev.sessionId === sessionId && ev.method === 'Page.loadEventFired') {
          off();
          resolve();
        }
      });
    });
    const nav = await cdp.send('Page.navigate', { url }, sessionId);
    if (nav.errorText) throw new Error('cannot load ' + file + ': ' + nav.errorText);
    await loaded;
    await evaluate(cdp, sessionId, axeSource + '\n;true');
    const found = await evaluate(cdp, sessionId, `axe.run(document, {
        runOnly: { type: 'tag', values: ${JSON.stringify(TAGS)} },
        resultTypes: ['violations', 'incomplete']
      }).then((r) => [r.violations, r.incomplete].map((list) => list.map((v) => ({
        id: v.id, impact: v.impact, help: v.help,
        nodes: v.nodes.map((n) => ({ target: n.target.join(' '), html: n.html,
          why: n.any.concat(n.all, n.none).map((c) => c.message).filter(Boolean)[0] || '' }))
      }))))`);
    for (const v of found[0]) {
      for (const n of v.nodes) {
        lines.push(`violation: ${name} ${width} ${v.id} ${v.impact} ${n.target} | ${snippet(n.html)} (${v.help})`);
      }
    }
    // What axe could not decide (text over an image, say): for a person.
    for (const v of found[1]) {
      for (const n of v.nodes) {
        process.stderr.write(`review: ${name} ${width} ${v.id} ${n.target} | ${snippet(n.html)} (${n.why || v.help})\n`);
      }
    }
    const wide = await evaluate(cdp, sessionId,
      '({ scroll: document.documentElement.scrollWidth, client: document.documentElement.clientWidth,' +
      ' inner: window.innerWidth })');
    if (wide.scroll > Math.min(wide.client, wide.inner)) {
      lines.push(`violation: ${name} ${width} reflow serious html | page is ${wide.scroll} px wide ` +
        `in a ${wide.inner} px window: it scrolls sideways`);
    }
    for (const u of fetched) lines.push(`violation: ${name} ${width} external-request serious - | fetches ${u}`);
    if (o.out) await screenshot(cdp, sessionId, wide, path.join(o.out, name.replace(/\.html?$/i, '') + '-' + width + '.png'));
  } finally {
    stop();
    await cdp.send('Target.closeTarget', { targetId }).catch(() => {});
  }
  return lines;
}

// The whole page, as wide as the window or wider if it overflows, as PNG.
async function screenshot(cdp, session, wide, file) {
  const m = await cdp.send('Page.getLayoutMetrics', {}, session);
  const size = m.cssContentSize || m.contentSize;
  const width = Math.max(wide.inner, Math.ceil(size.width));
  const height = Math.min(Math.ceil(size.height), 120000);
  const shot = await cdp.send('Page.captureScreenshot', {
    format: 'png', captureBeyondViewport: true,
    clip: { x: 0, y: 0, width, height, scale: 1 },
  }, session);
  fs.writeFileSync(file, Buffer.from(shot.data, 'base64'));
}

// Check every file at every width; the exit status.
async function main() {
  const o = parseArgs(process.argv.slice(2));
  let axeSource;
  try {
    axeSource = fs.readFileSync(o.axe, 'utf8');
  } catch (e) {
    die('no axe-core at ' + o.axe + ' (' + e.code + '): run ./bootstrap, or set CSPPACK_AXE to axe.min.js');
  }
  if (!fs.existsSync(o.chromium)) die('no browser at ' + o.chromium + ': run ./bootstrap (Debian package chromium)');
  for (const f of o.files) if (!fs.existsSync(f)) die('no such file: ' + f);
  if (o.out) fs.mkdirSync(o.out, { recursive: true });

  const cdp = startBrowser(o);
  const version = await within(Math.min(30, o.timeout), 'starting ' + o.chromium, cdp.send('Browser.getVersion'));
  process.stderr.write('axe-check: ' + version.product + ', axe ' +
    (axeSource.match(/axe v([0-9.]+)/) || [0, '?'])[1] + '\n');
  let count = 0;
  for (const f of o.files) {
    for (const w of o.widths) {
      const lines = await within(o.timeout, f + ' at ' + w + ' px', checkPage(cdp, o, axeSource, f, w));
      for (const l of lines) process.stdout.write(l + '\n');
      count += lines.length;
    }
  }
  // Closed, not killed: then it reaps its own helper processes.
  const gone = new Promise((resolve) => {
    if (browser.exitCode !== null || browser.signalCode !== null) resolve();
    else browser.once('exit', resolve);
  });
  await cdp.send('Browser.close').catch(() => {});
  await within(10, 'closing ' + o.chromium, gone).catch(() => {});
  process.stdout.write(`axe-check: ${o.files.length} pages at ${o.widths.join(' and ')} px: ` +
    (count ? `${count} violations` : 'no violation') + '\n');
  return count ? 1 : 0;
}

process.on('exit', cleanup);
for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(sig, () => die('stopped by ' + sig));
main().then(finish, (e) => die(e.message));
