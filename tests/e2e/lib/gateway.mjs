// Starts the real chat-gateway binary on a free loopback port, serving the built wasm client,
// and reads its session log over the HTTP API (the reference the browser's transcript is
// compared with).
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { onCleanup, trackChild } from './cleanup.mjs';

// The gateway runs under a tiny shell wrapper that waits on its stdin pipe: when the test
// runner goes away in any way (even SIGKILL from a CTest timeout) the pipe closes and the
// wrapper stops the gateway, so no gateway outlives its test. (lib/redis_server.mjs runs
// redis-server under it too.)
export const DIES_WITH_RUNNER = [
  '"$@" </dev/null & gw=$!',
  'trap \'kill $gw 2>/dev/null\' TERM INT HUP',
  'cat >/dev/null',
  'kill $gw 2>/dev/null',
  '(sleep 3; kill -9 $gw 2>/dev/null) >/dev/null 2>&1 </dev/null &',
  'wait $gw',
].join('\n');

export async function startGateway({
  binary, dist, token, logFile, demoDelayMs = 20, allowOrigins = [], embedOrigins = [],
  extraArgs = [], db = ':memory:',
}) {
  const args = ['--port', '0', '--static', dist, '--db', db, '--token', token,
                '--demo-delay-ms', String(demoDelayMs)];
  for (const o of allowOrigins) args.push('--allow-origin', o);
  for (const o of embedOrigins) args.push('--embed-origin', o);
  args.push(...extraArgs);

  const child = trackChild(spawn('/bin/sh', ['-c', DIES_WITH_RUNNER, 'chat-gateway', binary, ...args],
                                 { stdio: ['pipe', 'pipe', 'pipe'] }));
  const log = fs.createWriteStream(logFile);
  log.write(`$ ${binary} ${args.join(' ')}\n`);
  let firstLine = null;
  let stdoutBuf = '';
  let stderrTail = '';
  const exited = new Promise((resolve) => child.once('exit', (code, sig) => resolve({ code, sig })));

  const url = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(
        `the gateway printed no "listening on" line within 10 s; stderr: ${stderrTail}`)), 10000);
    child.stdout.on('data', (chunk) => {
      log.write(chunk);
      if (firstLine !== null) return;
      stdoutBuf += chunk.toString();
      const nl = stdoutBuf.indexOf('\n');
      if (nl < 0) return;
      firstLine = stdoutBuf.slice(0, nl);
      const m = /listening on (http:\/\/[^\s]+)/.exec(firstLine);
      clearTimeout(timer);
      if (m) resolve(m[1].replace(/\/+$/, ''));
      else reject(new Error(`the gateway's first stdout line is not "listening on http://...": ${firstLine}`));
    });
    child.stderr.on('data', (chunk) => {
      log.write(chunk);
      stderrTail = (stderrTail + chunk.toString()).slice(-2000);
    });
    exited.then(({ code, sig }) => {
      clearTimeout(timer);
      reject(new Error(`the gateway exited at start (code ${code}, signal ${sig}): ${stderrTail}`));
    });
  });

  const port = Number(new URL(url).port);
  const gateway = {
    url,           // http://127.0.0.1:PORT
    port,
    token,
    // Whether the gateway process is still running (a crash is a test failure).
    alive: () => child.exitCode === null && child.signalCode === null,
    stderrTail: () => stderrTail,
    // Sends `signal` to the gateway itself (not its wrapper), e.g. SIGKILL: a node dying with
    // its connections open. Resolves when it is gone (the wrapper, told by its closed stdin,
    // then exits too).
    async kill(signal) {
      for (const task of fs.readdirSync(`/proc/${child.pid}/task`)) {
        const kids = fs.readFileSync(`/proc/${child.pid}/task/${task}/children`, 'utf8').split(/\s+/);
        for (const pid of kids.filter(Boolean).map(Number)) {
          if (fs.readFileSync(`/proc/${pid}/comm`, 'utf8').trim() === 'chat-gateway') process.kill(pid, signal);
        }
      }
      child.stdin.end();
      await Promise.race([exited, new Promise((r) => setTimeout(r, 5000).unref())]);
    },
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.stdin.end();
      await Promise.race([exited, new Promise((r) => setTimeout(r, 5000).unref())]);
      child.kill('SIGKILL');
    },
  };
  onCleanup(async () => {
    await gateway.stop();
    log.end();
  });
  return gateway;
}

// Every event of a session from the gateway's log (GET /api/events, paging until lastSeq).
export async function sessionEvents(gateway, sessionId) {
  const events = [];
  let after = 0;
  for (let page = 0; page < 1000; page++) {
    const u = `${gateway.url}/api/events?sessionId=${encodeURIComponent(sessionId)}&after=${after}&waitMs=0`;
    const res = await fetch(u, { headers: { Authorization: `Bearer ${gateway.token}` } });
    if (!res.ok) throw new Error(`GET ${u} answered ${res.status}: ${await res.text()}`);
    const body = await res.json();
    const batch = Array.isArray(body.events) ? body.events : [];
    events.push(...batch);
    if (batch.length) after = batch[batch.length - 1].seq;
    if (!batch.length || after >= (body.lastSeq ?? 0)) break;
  }
  return events;
}
