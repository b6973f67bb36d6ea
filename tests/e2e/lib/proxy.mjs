// A TCP proxy between the browser and the gateway that the test controls, to make the network
// fail the way real networks do:
//   forward  pass everything through
//   no-ws    refuse WebSocket upgrades (403), pass plain HTTP: "the socket is down"
//   down     reset every new connection: "everything is down"
//   stall    a pulled cable: nothing moves on open connections (no data, no FIN, no RST) and new
//            ones are accepted but never answered; leaving it drops what stalled (the client
//            gave up on those connections meanwhile, or will)
// cutAll() drops every open connection (both ends) at once. The proxy counts WebSocket
// upgrade attempts so a test can see whether a client retries (and how often).
import net from 'node:net';
import { onCleanup } from './cleanup.mjs';

const HEAD_LIMIT = 64 * 1024;

export async function startProxy() {
  let upstreamPort = 0;
  let mode = 'forward';
  const conns = new Set();  // {client, upstream, isWs}
  const stats = { connections: 0, wsAttempts: 0, wsRefused: 0, reset: 0 };
  const wsAttemptTimes = [];

  // Stop both directions where they are: unread bytes stay in the kernel's buffers.
  const stall = (c) => {
    c.stalled = true;
    c.client.pause();
    if (c.upstream) {
      c.client.unpipe(c.upstream);
      c.upstream.unpipe(c.client);
      c.upstream.pause();
    }
  };

  const kill = (c) => {
    c.client.destroy();
    if (c.upstream) c.upstream.destroy();
    conns.delete(c);
  };

  const server = net.createServer((client) => {
    stats.connections++;
    const c = { client, upstream: null, isWs: false, stalled: false };
    conns.add(c);
    client.on('error', () => kill(c));
    client.on('close', () => kill(c));
    if (mode === 'stall') {
      stall(c);
      return;
    }
    if (mode === 'down' || !upstreamPort) {
      stats.reset++;
      client.resetAndDestroy();
      conns.delete(c);
      return;
    }
    // Read the request head before deciding: only then is a WebSocket upgrade recognisable.
    let head = Buffer.alloc(0);
    const onData = (chunk) => {
      head = Buffer.concat([head, chunk]);
      const end = head.indexOf('\r\n\r\n');
      if (end < 0 && head.length < HEAD_LIMIT) return;
      client.off('data', onData);
      client.pause();
      const text = head.subarray(0, end < 0 ? head.length : end).toString('latin1');
      c.isWs = /^upgrade:\s*websocket\s*$/im.test(text);
      if (c.isWs) {
        stats.wsAttempts++;
        wsAttemptTimes.push(Date.now());
      }
      if (mode === 'stall') {
        stall(c);
        return;
      }
      if (mode === 'down') {
        stats.reset++;
        client.resetAndDestroy();
        conns.delete(c);
        return;
      }
      if (c.isWs && mode === 'no-ws') {
        stats.wsRefused++;
        client.end('HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\nConnection: close\r\n\r\n');
        return;
      }
      const upstream = net.connect(upstreamPort, '127.0.0.1');
      c.upstream = upstream;
      upstream.on('error', () => kill(c));
      upstream.on('close', () => kill(c));
      upstream.write(head);
      client.pipe(upstream);
      upstream.pipe(client);
      client.resume();
    };
    client.on('data', onData);
  });

  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const port = server.address().port;

  const proxy = {
    port,
    origin: `http://127.0.0.1:${port}`,
    stats,
    setUpstream(p) {
      upstreamPort = p;
    },
    get mode() {
      return mode;
    },
    // Switching to no-ws drops the open WebSockets; switching to down drops everything;
    // switching to stall freezes everything; leaving stall drops what was frozen.
    setMode(m) {
      if (!['forward', 'no-ws', 'down', 'stall'].includes(m)) throw new Error(`unknown proxy mode ${m}`);
      mode = m;
      for (const c of [...conns]) {
        if (m === 'stall') stall(c);
        else if (c.stalled || m === 'down' || (m === 'no-ws' && c.isWs)) kill(c);
      }
    },
    cutAll() {
      for (const c of [...conns]) kill(c);
    },
    openWebSockets() {
      return [...conns].filter((c) => c.isWs && c.upstream).length;
    },
    wsAttemptsSince(t) {
      return wsAttemptTimes.filter((x) => x >= t).length;
    },
    async close() {
      proxy.cutAll();
      await new Promise((resolve) => server.close(() => resolve()));
    },
  };
  onCleanup(() => proxy.close());
  return proxy;
}
