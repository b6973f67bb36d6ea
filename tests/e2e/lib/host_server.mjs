// A tiny HTTP server on another port, i.e. another origin than the client's, serving host
// pages that embed the client in an iframe.
import http from 'node:http';
import { onCleanup } from './cleanup.mjs';

// pages: { '/path': html string }
export async function startHostServer(pages) {
  const server = http.createServer((req, res) => {
    const path = new URL(req.url, 'http://x').pathname;
    const body = pages[path];
    if (body === undefined) {
      res.writeHead(404, { 'Content-Type': 'text/plain' });
      res.end('not found');
      return;
    }
    res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' });
    res.end(body);
  });
  const sockets = new Set();
  server.on('connection', (s) => { sockets.add(s); s.on('close', () => sockets.delete(s)); });
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const port = server.address().port;
  const host = {
    port,
    origin: `http://127.0.0.1:${port}`,
    setPage(path, html) { pages[path] = html; },
    async close() {
      for (const s of sockets) s.destroy();
      await new Promise((r) => server.close(() => r()));
    },
  };
  onCleanup(() => host.close());
  return host;
}

// A free port with nothing listening on it (for "the gateway is unreachable").
export async function deadPort() {
  const server = http.createServer();
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  const port = server.address().port;
  await new Promise((r) => server.close(() => r()));
  return port;
}
