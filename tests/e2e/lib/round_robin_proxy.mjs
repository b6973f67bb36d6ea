// A round-robin TCP proxy in front of several gateway nodes, as a load balancer without sticky
// sessions is: every new connection (page load, WebSocket, long poll, send) goes to the next
// node in turn; a node that refuses the connection (killed) is skipped for the next one, as
// nginx's `proxy_next_upstream error` or HAProxy's `option redispatch` do. Bytes are passed
// through untouched. It remembers which node each open connection went to, so a test can ask
// which node the page's WebSocket is on.
import net from 'node:net';
import { onCleanup } from './cleanup.mjs';

export async function startRoundRobinProxy(upstreamPorts = []) {
  let upstreams = [...upstreamPorts];
  let turn = 0;
  const conns = new Set();  // {client, upstream, port, isWs}
  const stats = { connections: 0, skipped: 0, perPort: new Map() };

  const drop = (c) => {
    c.client.destroy();
    if (c.upstream) c.upstream.destroy();
    conns.delete(c);
  };

  // Connects to the next node in turn; one that refuses is skipped until every node was tried.
  const connect = (c, first, tried) => {
    if (!upstreams.length || tried >= upstreams.length) {
      c.client.destroy();
      conns.delete(c);
      return;
    }
    const port = upstreams[turn++ % upstreams.length];
    const upstream = net.connect(port, '127.0.0.1');
    upstream.once('error', () => {
      if (c.upstream === upstream) return drop(c);  // failed after connecting
      stats.skipped++;
      connect(c, first, tried + 1);
    });
    upstream.once('connect', () => {
      if (c.client.destroyed) return upstream.destroy();
      c.upstream = upstream;
      c.port = port;
      stats.perPort.set(port, (stats.perPort.get(port) ?? 0) + 1);
      upstream.on('error', () => drop(c));
      upstream.on('close', () => drop(c));
      upstream.write(first);
      c.client.pipe(upstream);
      upstream.pipe(c.client);
    });
  };

  const server = net.createServer((client) => {
    stats.connections++;
    const c = { client, upstream: null, port: 0, isWs: false };
    conns.add(c);
    client.on('error', () => drop(c));
    client.on('close', () => drop(c));
    // The first bytes carry the request head (a browser sends it in one write): enough to tell
    // a WebSocket upgrade, which only the test's bookkeeping needs; routing ignores it.
    client.once('data', (first) => {
      client.pause();
      c.isWs = /^upgrade:\s*websocket\s*$/im.test(first.toString('latin1'));
      connect(c, first, 0);
    });
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
    setUpstreams(ports) {
      upstreams = [...ports];
    },
    get upstreams() {
      return [...upstreams];
    },
    // The nodes (ports) that open WebSockets are connected to, one entry per socket.
    webSocketPorts() {
      return [...conns].filter((c) => c.isWs && c.upstream).map((c) => c.port);
    },
    async close() {
      for (const c of [...conns]) drop(c);
      await new Promise((resolve) => server.close(() => resolve()));
    },
  };
  onCleanup(() => proxy.close());
  return proxy;
}
