// Abuse benchmarks of the gateway (issue 14), one JSON figure per line on stdout like the
// load generator's ({figure, value, unit, method}); progress on stderr.
//   1. /api/health latency (p50, p99 of 300 sequential requests on fresh connections) while
//      slowhttptest (Debian) holds 1,000 slowloris connections to the same gateway.
//   2. Gateway RSS before, while 2,000 unauthenticated clients each try to park a 300 KiB
//      POST /api/auth body (headers plus 290 KiB sent, never finished), and 5 s after they are
//      gone.
//   usage: node hardening_bench.mjs --gateway PATH [--slowloris 1000] [--bodies 2000]
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';

const arg = (name, dflt) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : dflt;
};
const gatewayPath = arg('gateway');
const slowCount = Number(arg('slowloris', '1000'));
const bodyCount = Number(arg('bodies', '2000'));
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const emit = (figure, value, unit, method) =>
  console.log(JSON.stringify({ figure, value, unit, method }));
const say = (s) => process.stderr.write(`hardening: ${s}\n`);

function startGateway() {
  return new Promise((resolve, reject) => {
    const gw = spawn(gatewayPath, ['--port', '0', '--token', 'bench-token', '--db', ':memory:', '--quiet'],
                     { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    gw.stdout.on('data', (d) => {
      out += d;
      const m = /listening on http:\/\/127\.0\.0\.1:(\d+)/.exec(out);
      if (m) resolve({ gw, port: Number(m[1]) });
    });
    gw.stderr.on('data', () => {});
    gw.on('exit', (code) => reject(new Error(`gateway exited ${code}: ${out}`)));
  });
}

const rssMiB = (pid) => {
  const m = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : NaN;
};

function healthOnce(port) {
  return new Promise((resolve) => {
    const t0 = process.hrtime.bigint();
    const req = http.get({ host: '127.0.0.1', port, path: '/api/health', agent: false, timeout: 10000 }, (res) => {
      res.resume();
      res.on('end', () => resolve(Number(process.hrtime.bigint() - t0) / 1e6));
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(10000));
  });
}

async function healthLatencies(port, n) {
  const ms = [];
  for (let i = 0; i < n; ++i) ms.push(await healthOnce(port));
  ms.sort((a, b) => a - b);
  return { p50: ms[Math.floor(n * 0.5)], p99: ms[Math.min(n - 1, Math.floor(n * 0.99))] };
}

async function slowloris() {
  if (spawnSync('sh', ['-c', 'command -v slowhttptest']).status !== 0) {
    say('slowhttptest is not installed (Debian package slowhttptest): slowloris skipped');
    return;
  }
  const { gw, port } = await startGateway();
  try {
    const quiet = await healthLatencies(port, 100);
    // -H slowloris (slow headers), 1000 connections opened at 500/s, a header line every 10 s.
    const slow = spawn('slowhttptest', ['-H', '-c', String(slowCount), '-r', '500', '-i', '10', '-l', '40',
                                        '-u', `http://127.0.0.1:${port}/api/health`, '-p', '5'],
                       { stdio: 'ignore' });
    await sleep(6000);
    const under = await healthLatencies(port, 300);
    slow.kill('SIGINT');
    emit('/api/health p50 without load', quiet.p50, 'ms', '100 sequential GETs, new connection each');
    emit(`/api/health p50 under ${slowCount} slowloris connections`, under.p50, 'ms',
         'slowhttptest -H (slow headers), 300 sequential GETs, new connection each');
    emit(`/api/health p99 under ${slowCount} slowloris connections`, under.p99, 'ms',
         'slowhttptest -H (slow headers), 300 sequential GETs, new connection each');
    await sleep(500);
  } finally {
    gw.kill('SIGTERM');
  }
}

async function heldBodies() {
  const { gw, port } = await startGateway();
  try {
    await healthLatencies(port, 20);
    const base = rssMiB(gw.pid);
    const chunk = Buffer.alloc(290 * 1024, 0x20);
    const sockets = [];
    let refused = 0;
    await Promise.all(Array.from({ length: bodyCount }, () => new Promise((resolve) => {
      const s = net.connect(port, '127.0.0.1', () => {
        s.write('POST /api/auth HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n' +
                'Content-Length: 307200\r\n\r\n');
        s.write(chunk, () => resolve());
      });
      s.on('data', () => { ++refused; });
      s.on('error', () => resolve());
      s.on('close', () => resolve());
      sockets.push(s);
    })));
    await sleep(3000);
    const held = rssMiB(gw.pid);
    for (const s of sockets) s.destroy();
    await sleep(5000);
    const after = rssMiB(gw.pid);
    const stillOk = (await healthLatencies(port, 20)).p99;
    emit('Gateway RSS before the unauthenticated bodies', base, 'MiB', 'VmRSS, gateway with --db :memory:');
    emit(`Gateway RSS with ${bodyCount} unauthenticated 300 KiB bodies in flight`, held, 'MiB',
         'POST /api/auth, headers + 290 KiB sent, never finished; VmRSS 3 s later');
    emit(`Gateway RSS 5 s after those ${bodyCount} connections are gone`, after, 'MiB',
         'VmRSS; issue 14 asks for at most 2x the baseline');
    emit(`Unauthenticated bodies refused at once (413) of ${bodyCount}`, refused, 'connections',
         'an answer arrived before the body was complete');
    emit('/api/health p99 right after', stillOk, 'ms', '20 sequential GETs');
  } finally {
    gw.kill('SIGTERM');
  }
}

if (!gatewayPath) {
  say('usage: node hardening_bench.mjs --gateway PATH');
  process.exit(2);
}
await slowloris();
await heldBodies();
