// Talking to the chat page under test through what it exposes: window.chatClient (snapshot(),
// send(), on(), debug hooks), the DOM composer textarea, and the canvas.
import { until } from './wait.mjs';

// The client's URL: config in the query, the secret in the fragment (never in the query).
export function clientUrl(base, { session, token, pin, gateway, api, theme, parentOrigin } = {}) {
  const q = new URLSearchParams();
  if (gateway) q.set('gateway', gateway);
  if (api) q.set('api', api);
  if (session) q.set('session', session);
  if (theme) q.set('theme', theme);
  if (parentOrigin) q.set('parentOrigin', parentOrigin);
  const query = q.toString();
  const frag = token ? `#token=${encodeURIComponent(token)}` : pin ? `#pin=${encodeURIComponent(pin)}` : '';
  return `${base}/${query ? `?${query}` : ''}${frag}`;
}

export function newSessionId() {
  let hex = '';
  for (let i = 0; i < 16; i++) hex += Math.floor(Math.random() * 16).toString(16);
  return `s-${hex}`;
}

// snapshot() of a page or frame as plain JSON (null while the client is not there yet).
export async function snapshot(target) {
  return target.evaluate(() => {
    const c = window.chatClient;
    if (!c || typeof c.snapshot !== 'function') return null;
    return JSON.parse(JSON.stringify(c.snapshot()));
  });
}

// The connection status, whatever its exact shape in the snapshot: a string ("full") or an
// object ({health, phase, attempt, nextRetryInMs, polling, lastError}).
export function statusOf(snap) {
  const s = snap?.status;
  if (s && typeof s === 'object') {
    return {
      health: s.health ?? s.state ?? s.status ?? '',
      phase: s.phase ?? '',
      attempt: s.attempt ?? snap.attempt,
      nextRetryInMs: s.nextRetryInMs ?? snap.nextRetryInMs,
      polling: s.polling ?? snap.polling,
      lastError: s.lastError ?? '',
    };
  }
  return {
    health: typeof s === 'string' ? s : '',
    phase: snap?.phase ?? '',
    attempt: snap?.attempt,
    nextRetryInMs: snap?.nextRetryInMs,
    polling: snap?.polling,
    lastError: snap?.lastError ?? '',
  };
}

export function isUnauthorized(st) {
  return [st.health, st.phase, st.lastError].some((v) => /unauthori[sz]ed/i.test(String(v ?? '')));
}

// The reply being streamed, or null. `streaming` may be a flag or an object.
export function streamingOf(snap) {
  const s = snap?.streaming;
  if (!s) return null;
  if (s === true) return {};
  if (typeof s === 'object') {
    if ('active' in s && !s.active) return null;
    if ('requestId' in s && !s.requestId) return null;
    return s;
  }
  return null;
}

// The text streamed so far (snapshot().streamingText, or the streaming object's text).
export function streamingText(snap) {
  const st = streamingOf(snap);
  if (!st) return '';
  return String(snap.streamingText ?? st.text ?? st.content ?? '');
}

export function userAndAssistant(snap) {
  return (snap?.messages ?? []).filter((m) => m.role === 'user' || m.role === 'assistant');
}

function summary(snap) {
  if (!snap) return 'no window.chatClient';
  return JSON.stringify({
    status: snap.status,
    sessionId: snap.sessionId,
    streaming: snap.streaming,
    messages: (snap.messages ?? []).map((m) => ({ id: m.id, role: m.role, status: m.status,
                                                  content: String(m.content ?? '').slice(0, 80) })),
    toolCalls: snap.toolCalls,
    approvals: snap.approvals,
  });
}

// Polls snapshot() until pred(snapshot) is truthy; returns that snapshot.
export async function waitSnap(target, pred, what, timeoutMs = 15000) {
  let last = null;
  await until(async () => {
    last = await snapshot(target);
    return last && pred(last);
  }, { what, timeoutMs, describe: () => summary(last) });
  return last;
}

export async function waitForClient(target, timeoutMs = 30000) {
  return waitSnap(target, () => true, 'window.chatClient.snapshot() to exist', timeoutMs);
}

export async function waitForHealth(target, health, timeoutMs = 20000) {
  return waitSnap(target, (s) => statusOf(s).health === health, `connection status "${health}"`, timeoutMs);
}

// Opens the client in a page and waits until it is connected (status full).
export async function openClient(page, url, { health = 'full', timeoutMs = 30000 } = {}) {
  await page.goto(url, { waitUntil: 'load', timeout: timeoutMs });
  await waitForClient(page, timeoutMs);
  if (health) await waitForHealth(page, health, timeoutMs);
}

// Waits until a user message with this content is in the transcript, followed by a completed
// assistant reply, and nothing streams any more. Returns {snap, user, reply}.
export async function waitForReplyTo(target, content, timeoutMs = 20000) {
  let found = null;
  const snap = await waitSnap(target, (s) => {
    const msgs = userAndAssistant(s);
    const i = msgs.findIndex((m) => m.role === 'user' && m.content === content);
    if (i < 0 || streamingOf(s)) return false;
    const reply = msgs.slice(i + 1).find((m) => m.role === 'assistant');
    if (!reply || (reply.status && !/complete|sent|done/i.test(reply.status))) return false;
    found = { user: msgs[i], reply };
    return true;
  }, `the completed reply to ${JSON.stringify(content)}`, timeoutMs);
  return { snap, ...found };
}

// The composer is a DOM textarea laid over the canvas. Click it with the real mouse (at its
// centre) and wait until it has the keyboard focus.
export async function focusComposer(page) {
  const box = await until(async () => {
    const b = await page.evaluate(() => {
      const t = document.querySelector('textarea');
      if (!t) return null;
      const r = t.getBoundingClientRect();
      return r.width > 0 && r.height > 0 ? { x: r.x, y: r.y, w: r.width, h: r.height } : null;
    });
    return b;
  }, { what: 'a visible composer <textarea>', timeoutMs: 10000 });
  await page.mouse.click(box.x + box.w / 2, box.y + box.h / 2);
  await until(() => page.evaluate(() => document.activeElement?.tagName === 'TEXTAREA'),
              { what: 'the composer textarea to have the focus', timeoutMs: 5000 });
  return box;
}

export async function composerValue(page) {
  return page.evaluate(() => document.querySelector('textarea')?.value ?? null);
}

// The page's debug hook for where an item was drawn on the canvas (CSS pixels), e.g.
// 'approve:<toolCallId>'. Returns page coordinates, or null when the item is not drawn.
export async function itemRect(page, id) {
  return page.evaluate((itemId) => {
    const dbg = window.chatClient?.debug;
    if (!dbg || typeof dbg.itemRect !== 'function') {
      throw new Error('the page exposes no window.chatClient.debug.itemRect(id) hook');
    }
    const r = dbg.itemRect(itemId);
    if (!r || !(r.w > 0) || !(r.h > 0)) return null;
    const canvas = document.querySelector('canvas');
    const c = canvas ? canvas.getBoundingClientRect() : { x: 0, y: 0 };
    return { x: c.x + r.x, y: c.y + r.y, w: r.w, h: r.h };
  }, id);
}

export async function hasDebugHook(page, name) {
  return page.evaluate((n) => typeof window.chatClient?.debug?.[n] === 'function', name);
}

// Clicks a canvas-drawn item with the real mouse: move there first (ImGui highlights on hover,
// a frame later), then press and release.
export async function clickItem(page, id, timeoutMs = 10000) {
  const r = await until(() => itemRect(page, id), { what: `the canvas item ${id} to be drawn`, timeoutMs });
  const x = r.x + r.w / 2, y = r.y + r.h / 2;
  await page.mouse.move(x, y, { steps: 3 });
  await page.mouse.click(x, y, { delay: 60 });
  return r;
}

export async function canvasInfo(page) {
  return page.evaluate(() => {
    const c = document.querySelector('canvas');
    if (!c) return null;
    const r = c.getBoundingClientRect();
    return { width: c.width, height: c.height, rect: { x: r.x, y: r.y, w: r.width, h: r.height },
             dpr: window.devicePixelRatio, innerWidth: window.innerWidth, innerHeight: window.innerHeight };
  });
}
