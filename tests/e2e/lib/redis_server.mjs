// A private redis-server for one scenario: a free loopback port, a temporary directory, an
// append-only file (fsync always, as the deployment section of README.md says to run it),
// stopped and removed at cleanup. It runs under the same stdin-pipe wrapper as the gateway,
// so it dies with the test runner however that ends. redis-server comes from Debian's
// `redis-server` package (build.sh installs it).
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { onCleanup, trackChild } from './cleanup.mjs';
import { DIES_WITH_RUNNER } from './gateway.mjs';
import { until } from './wait.mjs';

async function freePort() {
  const server = net.createServer();
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  await new Promise((resolve) => server.close(resolve));
  return port;
}

// One PING over a fresh connection: true when answered +PONG.
function answersPing(port) {
  return new Promise((resolve) => {
    const s = net.connect(port, '127.0.0.1');
    let got = '';
    const done = (ok) => {
      s.destroy();
      resolve(ok);
    };
    s.setTimeout(500, () => done(false));
    s.on('error', () => done(false));
    s.on('connect', () => s.write('PING\r\n'));
    s.on('data', (d) => {
      got += d.toString();
      if (got.includes('\r\n')) done(got.startsWith('+PONG'));
    });
  });
}

export async function startRedis({ logFile }) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'chat-e2e-redis-'));
  const port = await freePort();
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', '',
                '--appendonly', 'yes', '--appendfsync', 'always', '--daemonize', 'no',
                '--logfile', logFile];
  const child = trackChild(spawn('/bin/sh', ['-c', DIES_WITH_RUNNER, 'redis-server', 'redis-server', ...args],
                                 { stdio: ['pipe', 'ignore', 'pipe'] }));
  let stderr = '';
  child.stderr.on('data', (d) => { stderr = (stderr + d.toString()).slice(-2000); });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  const redis = {
    port,
    url: `redis://127.0.0.1:${port}/0`,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        child.stdin.end();
        await Promise.race([exited, new Promise((r) => setTimeout(r, 5000).unref())]);
        child.kill('SIGKILL');
      }
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
  onCleanup(() => redis.stop());
  await until(async () => {
    if (child.exitCode !== null) {
      throw new Error(`redis-server exited at start (is the redis-server package installed?): ${stderr}`);
    }
    return answersPing(port);
  }, { what: `redis-server on port ${port} to answer PING`, timeoutMs: 10000 });
  return redis;
}
