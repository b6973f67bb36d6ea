// Helpers for the session list scenarios: the sidebar's chats as the page lists them
// (snapshot().sessions), the gateway's own list (GET /api/sessions), and chats made over the
// HTTP API before a page opens.
import { clickItem, itemRect, snapshot } from './client.mjs';
import { until } from './wait.mjs';

export const listed = (snap, id) => (snap?.sessions ?? []).find((s) => s.sessionId === id);

// Every chat the gateway lists (all pages, archived ones too).
export async function gatewaySessions(gateway) {
  const out = [];
  let cursor = null;
  for (let page = 0; page < 100; page++) {
    const q = new URLSearchParams({ limit: '200', includeArchived: '1' });
    if (cursor) q.set('cursor', cursor);
    const res = await fetch(`${gateway.url}/api/sessions?${q}`, { headers: { Authorization: `Bearer ${gateway.token}` } });
    if (!res.ok) throw new Error(`GET /api/sessions answered ${res.status}: ${await res.text()}`);
    const body = await res.json();
    out.push(...body.sessions);
    cursor = body.nextCursor;
    if (!cursor) break;
  }
  return out;
}

// Sends a message into a chat over POST /api/send (a chat.send the gateway queues).
export async function sendOverApi(gateway, sessionId, content) {
  const id = `e2e-${Math.random().toString(16).slice(2, 14)}`;
  const res = await fetch(`${gateway.url}/api/send`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${gateway.token}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ type: 'chat.send', id, sessionId, content }),
  });
  if (!res.ok) throw new Error(`POST /api/send answered ${res.status}: ${await res.text()}`);
  return id;
}

// Waits until the page lists exactly the chats `pred` accepts; returns the snapshot.
export async function waitListed(page, pred, what, timeoutMs = 10000) {
  let last = null;
  await until(async () => {
    last = await snapshot(page);
    return last && pred(last);
  }, { what, timeoutMs, intervalMs: 25,
       describe: () => JSON.stringify({ sessionId: last?.sessionId, sessions: last?.sessions }) });
  return last;
}

// Clicks a canvas item once it has stopped moving (a popup is measured in its first frame and
// placed in the next): two reads of its rect, 100 ms apart, agree.
export async function clickSettled(page, id, timeoutMs = 10000) {
  let last = null;
  await until(async () => {
    const r = await itemRect(page, id);
    const same = r && last && r.x === last.x && r.y === last.y && r.w === last.w && r.h === last.h;
    last = r;
    return same;
  }, { what: `the canvas item ${id} to be drawn in place`, timeoutMs, intervalMs: 100 });
  return clickItem(page, id, timeoutMs);
}

// Opens a chat row's menu (Rename, Archive, Delete...) and waits until it is drawn; clicks the
// row's "..." again if the menu did not open (the list may have moved under the pointer).
export async function openRowMenu(page, sessionId, timeoutMs = 15000) {
  await until(async () => {
    if (await itemRect(page, `rename:${sessionId}`)) return true;
    await clickSettled(page, `session-menu:${sessionId}`);
    return until(() => itemRect(page, `rename:${sessionId}`), { what: 'the row menu', timeoutMs: 2000 }).catch(() => false);
  }, { what: `the menu of chat ${sessionId} to open`, timeoutMs, intervalMs: 200 });
}
