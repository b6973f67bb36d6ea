// Browser benchmarks: the real page (build/wasm/dist) in Debian's headless Chromium, driven by
// playwright-core, against the real chat-gateway serving it on loopback.
//
//   node browser_bench.mjs --gateway BIN --loadgen BIN --dist DIR --playwright DIR [--only LIST]
//
// --only runs some pieces: a comma-separated list of transfer, idle (first frame and idle
// frames), disconnected (frames while the retry countdown shows), glyphs (the frame that first
// needs many new browser-font runs, with and without the per-frame raster budget) and history
// (seeded sessions: frame CPU and latency; scrolling with and without the text layer).
// Default: all of them.
//
// Prints one {"figure","value","unit","method"} JSON object per line on stdout (report.mjs reads
// them), progress on stderr. Bounded: every wait has a time limit, and the gateway and the
// browser are stopped on every exit path.
//
// How the page is observed (an init script, installed before the page's own scripts):
// - WebSocket: every socket the page opens gets an extra 'message' listener that stamps the
//   receipt time (performance.now()) of each chat.stream.delta frame.
// - requestAnimationFrame is wrapped: after each callback the page ran, if
//   chatClient.debug.framesRendered grew, that callback drew a frame; the deltas received
//   before it started are on screen once it returns, so their latency is (end of that callback
//   - receipt). This is receipt-in-the-page to frame-built: the loopback hop from the gateway
//   (well under a millisecond) and the compositor's present are not included.
// - Per-frame CPU is the page's own figure, chatClient.debug.lastFrameMs (the app's frame()
//   inside wasm: engine tick, ImGui frame build, GL calls), sampled after every drawn frame.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { startGateway as startE2eGateway } from '../e2e/lib/gateway.mjs';

function arg(name, fallback) {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 && i + 1 < process.argv.length ? process.argv[i + 1] : fallback;
}
const GATEWAY = arg('gateway');
const LOADGEN = arg('loadgen');
const DIST = arg('dist');
const PLAYWRIGHT = arg('playwright');
const CHROMIUM = arg('chromium', '/usr/bin/chromium');
const ONLY = new Set(arg('only', 'all').split(',').map((x) => x.trim()).filter(Boolean));
const want = (piece) => ONLY.has('all') || ONLY.has(piece);
const TOKEN = 'bench-browser-token';
const FLAGS = [
  '--use-gl=swiftshader', '--enable-unsafe-swiftshader', '--headless', '--no-sandbox',
  '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
  '--disable-component-update', '--disable-sync',
];

const emit = (figure, value, unit, method) => console.log(JSON.stringify({ figure, value, unit, method }));
const progress = (line) => console.error(`  [browser] ${line}`);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function until(fn, what, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(100);
  }
}

function percentile(values, p) {
  if (!values.length) return null;
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))];
}
const mean = (v) => (v.length ? v.reduce((a, b) => a + b, 0) / v.length : null);

function sessionId() {
  let hex = '';
  for (let i = 0; i < 16; i++) hex += Math.floor(Math.random() * 16).toString(16);
  return `s-${hex}`;
}

// ---- 1. transfer size ---------------------------------------------------------------------------
function transferSizes() {
  // What a browser downloads to show the chat: the page, its JavaScript and its wasm (the
  // DejaVu fonts, subset, are embedded in the wasm). The embedding example and the precompressed
  // .gz / .br copies are not part of it.
  const files = fs.readdirSync(DIST).filter((f) => !f.endsWith('.gz') && !f.endsWith('.br') && f !== 'embed.html' &&
                                                 fs.statSync(path.join(DIST, f)).isFile());
  let raw = 0, gz = 0, br = 0;
  const parts = [];
  for (const f of files.sort()) {
    const buf = fs.readFileSync(path.join(DIST, f));
    const g = zlib.gzipSync(buf, { level: 9 }).length;
    const brFile = path.join(DIST, `${f}.br`);
    br += fs.existsSync(brFile) ? fs.statSync(brFile).size : g;
    raw += buf.length;
    gz += g;
    parts.push(`${f} ${(buf.length / 1024).toFixed(0)} -> ${(g / 1024).toFixed(0)} KiB`);
  }
  emit('Transfer size, raw (html + js + wasm with fonts)', raw / 1024, 'KiB', `files of build/wasm/dist: ${parts.join(', ')}`);
  emit('Transfer size, gzip', gz / 1024, 'KiB',
       `each file gzipped with node zlib level 9 (target: under 1 MiB = 1024 KiB)`);
  emit('Transfer size, brotli (first visit, browser accepting br)', br / 1024, 'KiB',
       'the .br files the web build makes with Debian brotli -q 11 (gzip size where a file has none; target: 400 KiB)');
  let fontsRaw = 0, fontsGz = 0;
  for (const f of ['DejaVuSans.ttf', 'DejaVuSansMono.ttf']) {
    const p = path.join(DIST, '..', 'fonts', f);  // the subsets the web build embeds
    if (!fs.existsSync(p)) continue;
    const buf = fs.readFileSync(p);
    fontsRaw += buf.length;
    fontsGz += zlib.gzipSync(buf, { level: 9 }).length;
  }
  if (fontsRaw) {
    emit('  of which fonts (embedded in the wasm), gzip', fontsGz / 1024, 'KiB',
         `DejaVu Sans + Sans Mono from fonts-dejavu-core, subset by pyftsubset: ${(fontsRaw / 1024).toFixed(0)} KiB raw`);
  }
}

// ---- the gateway ------------------------------------------------------------------------------
// The browser tests' launcher (wrapper that dies with this script, "listening on" parsing),
// with a database file so the seeded history survives and generous limits for the load.
function startGateway(db, logFile) {
  return startE2eGateway({
    binary: GATEWAY, dist: DIST, token: TOKEN, logFile, db, demoDelayMs: 20,
    extraArgs: ['--heartbeat-ms', '60000', '--rate-limit', '10000', '--rate-burst', '10000', '--quiet'],
  });
}

// ---- the page instrumentation -----------------------------------------------------------------
function instrument() {
  const B = window.__bench = {
    firstFrameAt: null, pending: [], latency: [], frameMs: [], measuring: false, lastFrames: 0,
    streamEndedAt: null, framesAtEnd: 0,
  };
  const NativeWS = window.WebSocket;
  function BenchWS(url, protocols) {
    const ws = protocols === undefined ? new NativeWS(url) : new NativeWS(url, protocols);
    ws.addEventListener('message', (e) => {
      if (!B.measuring || typeof e.data !== 'string') return;
      if (e.data.includes('"chat.stream.delta"')) B.pending.push(performance.now());
      else if (e.data.includes('"chat.stream.end"')) B.streamEndedAt = performance.now();
    });
    return ws;
  }
  BenchWS.prototype = NativeWS.prototype;
  for (const k of ['CONNECTING', 'OPEN', 'CLOSING', 'CLOSED']) BenchWS[k] = NativeWS[k];
  window.WebSocket = BenchWS;

  const debugInfo = () => {
    const c = window.chatClient;
    if (!c || !c.debug) return 0;
    try { return c.debug.info(); } catch { return 0; }
  };
  const nativeRaf = window.requestAnimationFrame.bind(window);
  window.requestAnimationFrame = (cb) => nativeRaf((ts) => {
    cb(ts);
    if (B.firstFrameAt !== null && !B.measuring) return;
    const info = debugInfo();
    if (!info || info.framesRendered === B.lastFrames) return;
    const end = performance.now();
    B.lastFrames = info.framesRendered;
    if (B.firstFrameAt === null) B.firstFrameAt = end;
    if (!B.measuring) return;
    B.frameMs.push(info.lastFrameMs);
    for (const t of B.pending) B.latency.push(end - t);
    B.pending = [];
  });
}

// Bytes the browser received for each response of the page (encoded body + headers), filled
// as responses finish: the first visit's transfer as the browser saw it, with the encoding the
// gateway chose for its Accept-Encoding.
async function openPage(context, url, transfers = null) {
  const page = await context.newPage();
  page.on('pageerror', (e) => progress(`page error: ${e.message}`));
  if (transfers) {
    page.on('requestfinished', async (req) => {
      try {
        const s = await req.sizes();
        const resp = await req.response();
        const enc = resp ? (await resp.allHeaders())['content-encoding'] || 'identity' : '?';
        transfers.push({ url: req.url(), bytes: s.responseBodySize + s.responseHeadersSize, enc });
      } catch { /* the page closed first */ }
    });
  }
  await page.addInitScript(instrument);
  await page.goto(url, { waitUntil: 'load', timeout: 60000 });
  return page;
}

const debugInfo = (page) => page.evaluate(() => (window.chatClient ? window.chatClient.debug.info() : null));

// Streams one /long reply into the open session and samples frames while it streams.
async function measureStreaming(page, words) {
  await page.evaluate(() => {
    const B = window.__bench;
    B.frameMs = []; B.latency = []; B.pending = []; B.streamEndedAt = null; B.framesAtEnd = 0; B.measuring = true;
  });
  await page.evaluate((w) => window.chatClient.send(`/long ${w}`), words);
  // Waits only on what the instrumentation saw (no snapshot(): serialising 10,000 messages
  // would block the page's main thread and show up as frame latency): the stream's end
  // arrived, and a frame was drawn after it.
  await until(() => page.evaluate(() => {
    const B = window.__bench;
    if (B.streamEndedAt === null) return false;
    if (!B.framesAtEnd) B.framesAtEnd = B.lastFrames;
    return B.lastFrames > B.framesAtEnd && B.pending.length === 0;
  }), 'the streamed reply to end', 60000);
  return page.evaluate(() => {
    const B = window.__bench;
    B.measuring = false;
    return { frameMs: B.frameMs, latency: B.latency };
  });
}

// Scrolls the list with the mouse wheel (one notch every 40 ms, up then down) and returns the
// frame CPU of every frame drawn meanwhile: the views laying out the entries coming into view,
// drawing, and the text layer handed over (a shift, or a new list when lines come and go).
async function measureScrolling(page, notches) {
  const size = page.viewportSize();
  await page.mouse.move(size.width * 0.6, size.height * 0.5);
  await page.evaluate(() => { const B = window.__bench; B.frameMs = []; B.measuring = true; });
  for (let i = 0; i < notches; i++) {
    await page.mouse.wheel(0, i < notches / 2 ? -120 : 120);
    await sleep(40);
  }
  await sleep(300);
  return page.evaluate(() => {
    const B = window.__bench;
    B.measuring = false;
    return { frameMs: B.frameMs, layer: window.chatClient.debug.info().textLayer || null };
  });
}

// The page's benchmark switch (src/web/browser_text.cpp): the text layer on/off and the raster
// budget per frame in ms (<= 0: none).
const benchSet = (page, layer, budgetMs) =>
  page.evaluate(([l, b]) => window.Module._chattext_bench_set(l, b), [layer, budgetMs]);

// A message of `lines` lines, each a run the browser has not drawn yet (CJK from `firstCp` on,
// an emoji from `emojiBase` on): the frame that first shows it needs that many new runs.
function newRunsMessage(lines, firstCp, emojiBase) {
  const out = [];
  for (let i = 0; i < lines; i++) {
    if (firstCp === null) {  // the same shape in Latin letters: no browser run at all
      out.push(`${i} ${String.fromCharCode(97 + (i % 26)).repeat(3)} xy`);
      continue;
    }
    const cjk = String.fromCodePoint(firstCp + 3 * i, firstCp + 3 * i + 1, firstCp + 3 * i + 2);
    out.push(`${i} ${cjk} ${String.fromCodePoint(emojiBase + i)}`);
  }
  return out.join('\n');
}

// Sends such a message in the open page and returns the frame CPU of the frames drawn in the
// next 1.5 s (the message's own frames come first; the demo agent's quoted reply then streams),
// and the text counters; then waits for that reply to end.
async function measureNewRuns(page, budgetMs, firstCp, emojiBase = 0x1F600) {
  await benchSet(page, 1, budgetMs);
  await sleep(300);
  const before = (await debugInfo(page)).text;
  const js0 = await page.evaluate(() => ({ ...(window.chatTextDebug || {}), texts: null }));
  await page.evaluate(() => { const B = window.__bench; B.frameMs = []; B.measuring = true; });
  await page.evaluate((m) => window.chatClient.send(m), newRunsMessage(60, firstCp, emojiBase));
  await sleep(1500);
  const frameMs = await page.evaluate(() => { const B = window.__bench; B.measuring = false; return B.frameMs; });
  const after = (await debugInfo(page)).text;
  const js1 = await page.evaluate(() => ({ ...(window.chatTextDebug || {}), texts: null }));
  // The demo agent's quoted reply streams for seconds: the next round starts once it ended.
  await until(() => page.evaluate(() => {
    const s = window.chatClient.snapshot().streaming;
    return !s || (typeof s === 'object' && (('active' in s && !s.active) || ('requestId' in s && !s.requestId)));
  }), 'the quoted reply to end', 60000);
  return { frameMs, rasterized: after.rasterizedRuns - before.rasterizedRuns, deferred: after.deferredRuns - before.deferredRuns,
           rasterMs: (js1.rasterMs || 0) - (js0.rasterMs || 0), measures: (js1.measures || 0) - (js0.measures || 0),
           measureMs: (js1.measureMs || 0) - (js0.measureMs || 0) };
}

async function measureGlyphs(context, gw) {
  const page = await openPage(context, `${gw.url}/?session=${sessionId()}#token=${TOKEN}`);
  await until(() => page.evaluate(() => window.__bench.firstFrameAt), 'the first frame', 60000);
  await until(async () => /full/.test(JSON.stringify((await page.evaluate(() => window.chatClient.snapshot())).status)),
              'status full', 30000);
  await sleep(500);
  // New code points every round, so no run is in the cache: first without the budget (every
  // new run in the frame that first needs it, as before), then with the default 4 ms.
  // A first round (not reported) loads the fallback fonts (CJK, colour emoji): a one-time cost.
  await measureNewRuns(page, 4, 0x6400, 0x1F300);
  const latin = await measureNewRuns(page, 4, null);
  const off = await measureNewRuns(page, 0, 0x4E00);
  const on = await measureNewRuns(page, 4, 0x5A00, 0x1F400);  // other emoji too: nothing measured before
  await page.close();
  // The frames that first show the message: the first three drawn after send() (the local echo
  // is drawn at once; its runs may be spread over the next frames).
  const first = (r) => (r.frameMs.length ? Math.max(...r.frameMs.slice(0, 3)) : null);
  const method = (r, what) => `a 60-line message sent in a fresh session, ${what}; max of chatClient.debug.lastFrameMs ` +
      `over the first 3 frames drawn after send() (${r.frameMs.slice(0, 3).map((x) => x.toFixed(1)).join(', ')} ms); ` +
      `in the 1.5 s after it (the demo agent quoting it back): ${r.rasterized} runs rasterized in ${r.rasterMs.toFixed(1)} ms, ` +
      `${r.deferred} left for a later frame, ${r.measures} new clusters measured by the browser in ${r.measureMs.toFixed(1)} ms`;
  emit('Frame CPU, first frames of a 60-line Latin message (no browser runs)', first(latin), 'ms',
       method(latin, 'Latin text only (the atlas draws it)'));
  emit('Frame CPU, first frames of a 60-line message of new CJK + emoji runs, no raster budget', first(off), 'ms',
       method(off, 'each line new CJK + an emoji (a run the browser must draw); every new run drawn in the frame that ' +
              'first needs it, as before the budget'));
  emit('Frame CPU, first frames of a 60-line message of new CJK + emoji runs, 4 ms raster budget', first(on), 'ms',
       method(on, 'other new CJK code points; new runs drawn until 4 ms or 24 runs a frame, the rest on the next frames ' +
              '(the widths of new clusters are still measured in the frame that lays the message out)'));
}

// A loopback port nothing listens on: a gateway that is down.
async function deadPort() {
  const server = net.createServer();
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  const port = server.address().port;
  await new Promise((r) => server.close(() => r()));
  return port;
}

// 3b. Disconnected: the page is served by the gateway but told to connect to a port where
// nothing listens, so it sits in the reconnect backoff with the "retry N in Ms" countdown in the
// header. Frames drawn in 5 s then (each attempt and each change of the countdown text is a
// change of what is shown; anything beyond that is waste).
async function measureDisconnected(context, gw) {
  const dead = await deadPort();
  const page = await openPage(context, `${gw.url}/?session=${sessionId()}&gateway=ws://127.0.0.1:${dead}/gateway` +
                                       `&api=http://127.0.0.1:${dead}/api#token=${TOKEN}`);
  const statusNow = () => page.evaluate(() => {
    if (!window.chatClient) return null;
    const s = window.chatClient.snapshot();  // status fields at the top level
    return { status: s.status, attempt: s.attempt, nextRetryInMs: s.nextRetryInMs };
  });
  await until(async () => {
    const st = await statusNow();
    return st && st.status === 'disconnected' && st.attempt >= 1 && st.nextRetryInMs > 0;
  }, 'status disconnected with a retry countdown', 30000);
  await sleep(1000);
  const s0 = await statusNow();
  const f0 = (await debugInfo(page)).framesRendered;
  await sleep(5000);
  const f1 = (await debugInfo(page)).framesRendered;
  const s1 = await statusNow();
  const pill = (await debugInfo(page)).view.pillText;
  await page.close();
  emit('Frames rendered in 5 s while disconnected (countdown showing)', f1 - f0, 'frames',
       'chatClient.debug.framesRendered before/after 5 s with the gateway unreachable (dead loopback port), ' +
       `no input; reconnect attempts ${s0.attempt} -> ${s1.attempt} in that time; pill at the end: "${pill}" ` +
       '(the countdown text changes once a second)');
}

async function main() {
  if (!GATEWAY || !LOADGEN || !DIST || !PLAYWRIGHT) {
    console.error('usage: node browser_bench.mjs --gateway BIN --loadgen BIN --dist DIR --playwright DIR');
    process.exit(2);
  }
  if (want('transfer')) transferSizes();
  if (!want('idle') && !want('disconnected') && !want('glyphs') && !want('history')) return;

  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'chat-bench-browser-'));
  const db = path.join(work, 'browser.db');
  const small = sessionId();
  const large = sessionId();
  const cleanups = [];
  const cleanup = async () => {
    for (const c of cleanups.reverse()) await c().catch(() => {});
    fs.rmSync(work, { recursive: true, force: true });
  };
  process.on('SIGTERM', () => { cleanup().finally(() => process.exit(143)); });
  try {
    // History: 50 and 5,000 turns of "/long 1" = 100 and 10,000 messages.
    for (const [id, turns] of want('history') ? [[small, 50], [large, 5000]] : []) {
      const t0 = Date.now();
      const r = spawnSync(LOADGEN, ['seed', '--gateway', GATEWAY, '--db', db, '--session', id, '--turns', String(turns),
                                    '--window', '16'], { stdio: ['ignore', 'ignore', 'inherit'], timeout: 240000 });
      if (r.status !== 0) throw new Error(`seeding ${turns} turns failed (${r.status})`);
      progress(`seeded ${turns * 2} messages in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    }
    const gw = await startGateway(db, path.join(work, 'gateway.log'));
    cleanups.push(() => gw.stop());
    const { chromium } = await import(path.join(PLAYWRIGHT, 'index.mjs'));
    const profile = path.join(work, 'profile');
    const context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM, headless: true, args: FLAGS, viewport: { width: 1100, height: 760 }, timeout: 60000,
    });
    cleanups.push(() => context.close());
    for (const p of context.pages()) await p.close();

    let page = null;
    // 2. Navigation -> first chat frame (a new, empty session; cold cache: fresh profile).
    if (want('idle')) {
      const transfers = [];
      page = await openPage(context, `${gw.url}/?session=${sessionId()}#token=${TOKEN}`, transfers);
      const firstFrame = await until(() => page.evaluate(() => window.__bench.firstFrameAt), 'the first frame', 60000);
      await sleep(500);
      const fetched = transfers.filter((t) => !t.url.includes('/api/'));
      const total = fetched.reduce((a, t) => a + t.bytes, 0);
      emit('First visit transfer, as received by the browser', total / 1024, 'KiB',
           'sum of encoded body + headers of every response of a first navigation (fresh profile) except /api calls: ' +
           fetched.map((t) => `${t.url.replace(/^.*\//, '').replace(/[?#].*$/, '') || '/'} ${(t.bytes / 1024).toFixed(0)} KiB ${t.enc}`).join(', ') +
           ' (target: 400 KiB)');
      emit('Navigation -> first chat frame', firstFrame, 'ms',
           'performance.now() (0 = navigation start) at the end of the first requestAnimationFrame callback that ' +
           'drew a frame (chatClient.debug.framesRendered grew); fresh profile, loopback, swiftshader WebGL');

      // 3. Idle: frames drawn in 5 s with nothing happening (after the page settled).
      await until(async () => /full/.test(JSON.stringify((await page.evaluate(() => window.chatClient.snapshot())).status)),
                  'status full', 30000);
      await sleep(1500);
      const f0 = (await debugInfo(page)).framesRendered;
      await sleep(5000);
      const f1 = (await debugInfo(page)).framesRendered;
      emit('Frames rendered in 5 s idle', f1 - f0, 'frames',
           'chatClient.debug.framesRendered before/after 5 s without input or network events, connected (target: near zero)');
      await page.close();
    }

    if (want('disconnected')) await measureDisconnected(context, gw);
    if (want('glyphs')) await measureGlyphs(context, gw);
    if (!want('history')) return;

    // 4. Per-frame CPU and delta -> frame latency with 100 and with 10,000 messages.
    const results = {};
    for (const [label, id, count] of [['100', small, 100], ['10,000', large, 10000]]) {
      const t0 = Date.now();
      page = await openPage(context, `${gw.url}/?session=${id}#token=${TOKEN}`);
      await until(async () => {
        const info = await debugInfo(page);
        return info && info.view && info.view.entryCount >= count;
      }, `${count} messages in view`, 120000);
      const loadedMs = Date.now() - t0;
      await sleep(1000);
      const r = await measureStreaming(page, 300);
      results[label] = r;
      progress(`${label} messages: history shown ${loadedMs} ms after navigation, ${r.frameMs.length} frames, ` +
               `${r.latency.length} deltas timed`);
      emit(`Open a ${label}-message session: navigation -> history in view`, loadedMs, 'ms',
           'page.goto -> chatClient.debug.info().view.entryCount reached the count (resume replays the log over the WebSocket)');
      emit(`Frame CPU while streaming, ${label} messages, mean`, mean(r.frameMs), 'ms',
           'as below, the mean (the page clock ticks in 0.1 ms steps, so the median is coarse)');
      emit(`Frame CPU while streaming, ${label} messages, p50`, percentile(r.frameMs, 50), 'ms',
           `chatClient.debug.lastFrameMs (frame() inside wasm: tick + ImGui frame build + GL calls) of each frame drawn ` +
           `while /long 300 streams at 20 ms per delta; ${r.frameMs.length} frames; mean ${mean(r.frameMs)?.toFixed(2)} ms`);
      emit(`Frame CPU while streaming, ${label} messages, p95`, percentile(r.frameMs, 95), 'ms', 'as above, 95th percentile (target: under 4 ms)');
      emit(`Delta -> frame latency, ${label} messages, p50`, percentile(r.latency, 50), 'ms',
           `WebSocket message event of a chat.stream.delta -> end of the rAF callback that drew it; ${r.latency.length} deltas ` +
           '(the loopback hop from the gateway and the compositor present are not included)');
      emit(`Delta -> frame latency, ${label} messages, p99`, percentile(r.latency, 99), 'ms', 'as above, 99th percentile');
      if (count === 10000) {
        const sc = await measureScrolling(page, 80);
        emit('Frame CPU while scrolling, 10,000 messages, mean', mean(sc.frameMs), 'ms',
             `chatClient.debug.lastFrameMs of each frame drawn while the wheel scrolls the list (80 notches, 40 ms apart, ` +
             `up then down); ${sc.frameMs.length} frames; p95 ${percentile(sc.frameMs, 95)?.toFixed(2)} ms; text layer ` +
             `(inside the frame: C++ diff + the page's DOM update) ${sc.layer ? JSON.stringify(sc.layer) : 'absent'}`);
        emit('Frame CPU while scrolling, 10,000 messages, p95', percentile(sc.frameMs, 95), 'ms', 'as above, 95th percentile');
        // The text layer's cost: the same scrolling with the layer off (no DOM copy, the frame as
        // before the layer existed) and on, alternated over the now laid-out list, pooled.
        const pooled = { on: [], off: [] };
        for (const mode of ['off', 'on', 'on', 'off', 'off', 'on']) {  // balanced against drift
          await benchSet(page, mode === 'on' ? 1 : 0, 4);
          await sleep(200);
          pooled[mode].push(...(await measureScrolling(page, 40)).frameMs);
        }
        await benchSet(page, 1, 4);
        emit('Frame CPU while scrolling, 10,000 messages, text layer off, mean', mean(pooled.off), 'ms',
             `as above (after it: the list laid out), the text layer switched off; 3 x 40 notches alternated with the ` +
             `layer on (off on on off off on); ${pooled.off.length} frames; p50 ${percentile(pooled.off, 50)?.toFixed(2)} ms, ` +
             `p95 ${percentile(pooled.off, 95)?.toFixed(2)} ms`);
        emit('Frame CPU while scrolling, 10,000 messages, text layer on, mean', mean(pooled.on), 'ms',
             `the same alternation, layer on; ${pooled.on.length} frames; p50 ${percentile(pooled.on, 50)?.toFixed(2)} ms, ` +
             `p95 ${percentile(pooled.on, 95)?.toFixed(2)} ms`);
        if (mean(pooled.off) > 0) {
          emit('Frame CPU while scrolling, text layer on vs off (ratio of means)', mean(pooled.on) / mean(pooled.off), 'x',
               'the two figures above (target: at most 1.5x)');
        }
        const heap = await page.evaluate(() => {
          const m = window.Module;
          const h = m && (m.HEAP8 || (m.wasmMemory && { length: m.wasmMemory.buffer.byteLength }));
          return { wasm: h ? h.length : null, js: performance.memory ? performance.memory.usedJSHeapSize : null };
        });
        emit('Peak wasm heap with 10,000 messages', heap.wasm === null ? null : heap.wasm / 1048576, 'MiB',
             'Module.HEAP8.length after loading the 10,000-message session and streaming (wasm memory only grows: ' +
             `current size = peak); JS heap ${heap.js === null ? 'n/a' : (heap.js / 1048576).toFixed(1) + ' MiB'} (performance.memory)`);
      }
      await page.close();
    }
    const means = ['100', '10,000'].map((l) => mean(results[l].frameMs));
    if (means[0] && means[1]) {
      emit('Frame CPU, 10,000 vs 100 messages (ratio of means)', means[1] / means[0], 'x',
           'same run, same page size and stream; means, because the page clock ticks in 0.1 ms steps (target: within 1.5x)');
    }
  } finally {
    await cleanup();
  }
}

main().then(() => process.exit(0), (e) => {
  console.error(`browser bench failed: ${e.stack || e}`);
  process.exit(1);
});
