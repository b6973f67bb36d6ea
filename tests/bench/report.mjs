// Turns the raw outputs of run_all.sh into the results table.
//
//   node report.mjs --raw DIR --out DIR --seconds N [--dist DIR]
//
// Inputs in --raw: core.json (Google Benchmark --benchmark_format=json), <piece>.jsonl (one
// {"figure","value","unit","method"} per line, from chat-loadgen and browser_bench.mjs) and
// status.tsv (piece, exit code, seconds). Outputs: results.md (the table, date and machine)
// and results.json (the same data).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

function arg(name, fallback) {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 && i + 1 < process.argv.length ? process.argv[i + 1] : fallback;
}

const raw = arg('raw');
const out = arg('out');
const seconds = Number(arg('seconds', '0'));
if (!raw || !out) {
  console.error('usage: node report.mjs --raw DIR --out DIR --seconds N');
  process.exit(2);
}

function readText(file) {
  try { return fs.readFileSync(path.join(raw, file), 'utf8'); } catch { return null; }
}

// ---- client core (Google Benchmark) -------------------------------------------------------------
function coreFigures() {
  const text = readText('core.json');
  if (!text) return [];
  let doc;
  try { doc = JSON.parse(text); } catch { return []; }
  const byName = new Map((doc.benchmarks || []).map((b) => [b.name, b]));
  const nsOf = (b) => {
    const scale = { ns: 1, us: 1e3, ms: 1e6, s: 1e9 }[b.time_unit] ?? 1;
    return b.cpu_time * scale;
  };
  const gb = 'Google Benchmark, one thread';
  const figs = [];
  for (const n of [10, 10000]) {
    const b = byName.get(`BM_DecodeApplyDelta/${n}`);
    if (b) figs.push({ figure: `Decode + apply chat.stream.delta, ${n.toLocaleString('en')}-message session`,
                       value: b.items_per_second, unit: 'events/s',
                       method: `${gb}: decodeGatewayMessage + chat::core::reduce per frame (target >= 1,000,000/s)` });
  }
  const ratio = (a, b, figure, what) => {
    const x = byName.get(a), y = byName.get(b);
    if (x && y) figs.push({ figure, value: nsOf(y) / nsOf(x), unit: 'x',
                            method: `${what}: cpu time per event with 10,000 messages / with 10, same run (1.0 = flat)` });
  };
  ratio('BM_DecodeApplyDelta/10', 'BM_DecodeApplyDelta/10000', 'Decode + apply cost, 10,000 vs 10 messages', 'decode + reduce');
  for (const n of [10, 10000]) {
    const b = byName.get(`BM_ReduceDelta/${n}`);
    if (b) figs.push({ figure: `Reducer cost per delta, ${n.toLocaleString('en')}-message session`, value: nsOf(b),
                       unit: 'ns', method: `${gb}: chat::core::reduce alone (frames decoded beforehand)` });
  }
  ratio('BM_ReduceDelta/10', 'BM_ReduceDelta/10000', 'Reducer cost, 10,000 vs 10 messages', 'reduce alone');
  const sized = [
    ['BM_DecodeChatSend32K', 'Decode of a 32 KiB chat.send', 'decodeClientMessage (what the gateway does per send)'],
    ['BM_DecodeChatMessage32K', 'Decode of a 32 KiB chat.message event', 'decodeGatewayMessage (what the client does)'],
  ];
  for (const [name, figure, what] of sized) {
    const b = byName.get(name);
    if (b) figs.push({ figure, value: nsOf(b) / 1e3, unit: 'us',
                       method: `${gb}: ${what}; ${(b.bytes_per_second / 1048576).toFixed(0)} MiB/s` });
  }
  const page = byName.get('BM_DecodeEventsPage/1000');
  if (page) figs.push({ figure: 'Decode of a 1,000-event history page', value: page.items_per_second, unit: 'events/s',
                        method: `${gb}: decodeEventsPage of a GET /api/events page as the gateway writes it ` +
                                `(turns of chat.message, stream.start, 20 deltas, stream.end; ` +
                                `${(page.bytes_per_second / 1048576).toFixed(0)} MiB/s)` });
  const enc = byName.get('BM_EncodeChatSend');
  if (enc) figs.push({ figure: 'Encode of chat.send', value: nsOf(enc), unit: 'ns',
                       method: `${gb}: proto::encode of a 52-byte chat.send with sessionId and model` });
  return figs;
}

// ---- JSON-lines pieces ----------------------------------------------------------------------------
function lineFigures(piece) {
  const text = readText(`${piece}.jsonl`);
  if (!text) return [];
  const figs = [];
  for (const line of text.split('\n')) {
    if (!line.trim().startsWith('{')) continue;
    try {
      const f = JSON.parse(line);
      if (typeof f.figure === 'string') figs.push(f);
    } catch { /* a torn last line of a killed piece */ }
  }
  return figs;
}

const status = (readText('status.tsv') || '').split('\n').filter(Boolean).map((l) => {
  const [piece, rc, secs] = l.split('\t');
  return { piece, rc, seconds: Number(secs) };
});

const sections = [
  { title: 'Client core', figures: coreFigures(), pieces: ['core'] },
  { title: 'Client UI', figures: lineFigures('ui'), pieces: ['ui'] },
  { title: 'Gateway', figures: ['idle', 'stream', 'storm', 'poll', 'upstream'].flatMap(lineFigures),
    pieces: ['idle', 'stream', 'storm', 'poll', 'upstream', 'gateway'] },
  { title: 'Browser', figures: lineFigures('browser'), pieces: ['browser'] },
];

function cpuModel() {
  try {
    const m = /^model name\s*:\s*(.+)$/m.exec(fs.readFileSync('/proc/cpuinfo', 'utf8'));
    if (m) return m[1].trim();
  } catch { /* not Linux */ }
  return os.cpus()[0]?.model ?? 'unknown';
}

function formatValue(v) {
  if (v === null || v === undefined || Number.isNaN(v)) return 'n/a';
  if (typeof v !== 'number') return String(v);
  const abs = Math.abs(v);
  const digits = abs >= 1000 ? 0 : abs >= 100 ? 1 : abs >= 10 ? 2 : 3;
  return v.toLocaleString('en', { maximumFractionDigits: digits, minimumFractionDigits: 0 });
}

const escape = (s) => String(s).replace(/\|/g, '\\|').replace(/\n/g, ' ');
const machine = { nproc: os.availableParallelism ? os.availableParallelism() : os.cpus().length, cpu: cpuModel(),
                  memoryGiB: Math.round(os.totalmem() / 2 ** 30), kernel: os.release() };
const date = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
const load = os.loadavg().map((x) => x.toFixed(1)).join(' ');

const md = [];
md.push('# Benchmark results', '');
md.push(`Date: ${date}. Machine: ${machine.nproc} CPUs (nproc), ${machine.cpu}, ${machine.memoryGiB} GiB RAM, ` +
        `Linux ${machine.kernel}. Load average at the end: ${load}. The whole run took ${seconds} s.`, '');
const dist = arg('dist');
if (dist) {
  try {
    const wasm = fs.readdirSync(dist).find((f) => f.endsWith('.wasm'));
    const built = wasm ? fs.statSync(path.join(dist, wasm)).mtime.toISOString().replace(/\.\d+Z$/, 'Z') : 'unknown';
    md.push(`Client measured: ${dist} (wasm built ${built}).`, '');
  } catch { /* no client: the browser section says so */ }
}
for (const b of status.filter((st) => st.piece.startsWith('build-') && st.rc !== '0')) {
  md.push(`- \`${b.piece}\` failed (exit ${b.rc}); see build/bench/raw/${b.piece}.log.`, '');
}
md.push('Measured by `./build.sh bench` (tests/bench/run_all.sh) in one run on this machine; ratios compare ' +
        'figures of the same run. No figure is a pass/fail test. Raw outputs: build/bench/raw/.', '');
for (const s of sections) {
  md.push(`## ${s.title}`, '');
  const failed = status.filter((st) => s.pieces.includes(st.piece) && st.rc !== '0');
  for (const f of failed) {
    const why = f.rc === '124' || f.rc === '137' ? 'hit its time limit' :
      f.rc === 'missing-client' ? 'skipped: the wasm client is not built (./build.sh web)' :
      f.rc === 'missing' ? 'skipped: its binary is not built' : `exited with ${f.rc}`;
    md.push(`- \`${f.piece}\` ${why}; see build/bench/raw/${f.piece}.log. Figures below are what it measured before that.`);
  }
  if (failed.length) md.push('');
  if (!s.figures.length) { md.push('(no figures)', ''); continue; }
  md.push('| figure | value | unit | how measured |', '|---|---:|---|---|');
  for (const f of s.figures) md.push(`| ${escape(f.figure)} | ${formatValue(f.value)} | ${escape(f.unit)} | ${escape(f.method)} |`);
  md.push('');
}
md.push('Time per piece: ' + status.map((s) => `${s.piece} ${s.seconds} s`).join(', ') + '.', '');

fs.mkdirSync(out, { recursive: true });
fs.writeFileSync(path.join(out, 'results.md'), md.join('\n'));
fs.writeFileSync(path.join(out, 'results.json'), JSON.stringify({
  date, machine, loadAverage: os.loadavg(), durationSeconds: seconds, pieces: status,
  figures: sections.flatMap((s) => s.figures.map((f) => ({ section: s.title, ...f }))),
}, null, 2) + '\n');
console.log(md.join('\n'));
