#!/usr/bin/env node
// The reference chat-gateway is measured against: a minimal protocol-1 gateway on Node's `ws`,
// for the part of the protocol `chat-loadgen stream` uses (auth, chat.send with its ack, the
// session's events: session.created, the chat.message echo, chat.stream.start, one
// chat.stream.delta per /long word every --demo-delay-ms, chat.stream.end; ping). Everything
// in memory, nothing durable: it is the floor a durable gateway is compared with, not a
// gateway. Each event is encoded once (JSON.stringify) and its bytes sent to the session's
// subscribers, the way a plain Node server would do it.
//
// Started by chat-loadgen exactly like chat-gateway (same flags; those that do not apply are
// ignored) and prints the same "listening on http://HOST:PORT" first line.
import http from 'node:http';
import { WebSocketServer } from 'ws';

function flag(name, fallback) {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 && i + 1 < process.argv.length ? process.argv[i + 1] : fallback;
}

const host = flag('host', '127.0.0.1');
const port = Number(flag('port', '0'));
const token = flag('token', '');
const delayMs = Number(flag('demo-delay-ms', '20'));
const heartbeatMs = Number(flag('heartbeat-ms', '15000'));

const LOREM = ['lorem', 'ipsum', 'dolor', 'sit', 'amet', 'consectetur', 'adipiscing', 'elit', 'sed', 'do'];
const sessions = new Map();  // sessionId -> { seq, events: [frame], subscribers: Set<ws>, busy, waiting: [] }
let clientCount = 0;
let sessionCount = 0;

function sessionOf(id) {
  let s = sessions.get(id);
  if (!s) {
    s = { id, seq: 0, events: [], subscribers: new Set(), busy: false, waiting: [], isNew: true };
    sessions.set(id, s);
  }
  return s;
}

// Appends one event to the session's log and sends its bytes to every subscriber.
function publish(s, event) {
  event.sessionId = s.id;
  event.seq = ++s.seq;
  const frame = JSON.stringify(event);
  s.events.push(frame);
  for (const ws of s.subscribers) ws.send(frame);
}

const later = delayMs > 0 ? (fn) => setTimeout(fn, delayMs) : (fn) => setImmediate(fn);

function runTurn(s, requestId, content) {
  s.busy = true;
  const m = /^\/long\s+(\d{1,9})/.exec(content);
  const words = m ? Math.min(Number(m[1]), 100000) : 0;
  const reply = m ? null : `You said: "${content}".`.split(' ');
  const total = m ? words : reply.length;
  let i = 0;
  publish(s, { type: 'chat.stream.start', requestId, model: 'demo' });
  const step = () => {
    if (i < total) {
      const delta = m ? (i === 0 ? '' : ' ') + LOREM[i % 10] : (i === 0 ? '' : ' ') + reply[i];
      ++i;
      publish(s, { type: 'chat.stream.delta', requestId, delta });
      later(step);
      return;
    }
    publish(s, {
      type: 'chat.stream.end', requestId,
      usage: { inputTokens: content.split(/\s+/).length, outputTokens: total, totalTokens: total },
      cost: { inputCost: 0, outputCost: 0, totalCost: 0 }, stopReason: 'end',
    });
    s.busy = false;
    const next = s.waiting.shift();
    if (next) runTurn(s, next.requestId, next.content);
  };
  later(step);
}

const server = http.createServer((req, res) => {
  res.writeHead(404, { 'content-type': 'application/json' });
  res.end('{"error":{"code":"not_found"}}');
});
const wss = new WebSocketServer({ server, path: '/gateway', maxPayload: 256 * 1024, perMessageDeflate: false });

wss.on('connection', (ws) => {
  const clientId = `cl-${++clientCount}`;
  let authed = token === '';
  const seen = new Map();  // message id -> ack frame (resends answered once)
  const sendError = (id, code, message) =>
    ws.send(JSON.stringify({ type: 'error', requestId: id, code, message }));
  ws.on('message', (data, isBinary) => {
    if (isBinary) return sendError(undefined, 'bad_request', 'only text frames (JSON) are accepted');
    let msg;
    try { msg = JSON.parse(data.toString('utf8')); } catch { return sendError(undefined, 'bad_request', 'invalid JSON'); }
    if (!msg || typeof msg.type !== 'string' || typeof msg.id !== 'string') return sendError(undefined, 'bad_request', 'invalid message');
    if (msg.type === 'auth') {
      if (!authed && msg.token !== token) {
        ws.send(JSON.stringify({ type: 'auth.failed', code: 'unauthorized', message: 'bad token' }));
        return ws.close(4001, 'unauthorized');
      }
      authed = true;
      return ws.send(JSON.stringify({ type: 'auth.ok', clientId, heartbeatMs, protocol: 1 }));
    }
    if (!authed) return sendError(msg.id, 'unauthorized', 'authenticate first');
    if (msg.type === 'ping') return ws.send(JSON.stringify({ type: 'pong', requestId: msg.id }));
    if (msg.type !== 'chat.send') return sendError(msg.id, 'bad_request', `${msg.type} is not part of this reference`);
    if (typeof msg.content !== 'string' || msg.content.length === 0) return sendError(msg.id, 'bad_request', 'content');
    const ack = JSON.stringify({ type: 'ack', requestId: msg.id });
    if (seen.has(msg.id)) return ws.send(ack);
    seen.set(msg.id, ack);
    const s = sessionOf(typeof msg.sessionId === 'string' ? msg.sessionId : `s-${++sessionCount}`);
    ws.send(ack);
    if (!s.subscribers.has(ws)) {
      s.subscribers.add(ws);
      ws.once('close', () => s.subscribers.delete(ws));
    }
    if (s.isNew) {
      s.isNew = false;
      publish(s, { type: 'session.created', sessionKey: s.id });
    }
    publish(s, { type: 'chat.message', messageId: msg.id, role: 'user', content: msg.content, timestamp: Date.now() });
    if (s.busy) s.waiting.push({ requestId: msg.id, content: msg.content });
    else runTurn(s, msg.id, msg.content);
  });
});

server.listen(port, host, () => {
  process.stdout.write(`listening on http://${host}:${server.address().port}\n`);
});
const stop = () => {
  for (const ws of wss.clients) ws.close(1001, 'gateway shutting down');
  server.close();
  setTimeout(() => process.exit(0), 200).unref();
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
