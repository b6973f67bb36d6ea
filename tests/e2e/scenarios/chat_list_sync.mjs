// 23. The sidebar keeps itself current (no Refresh button): two tabs see each other's new chat
// within a second without any click, a reload shows every chat (all the gateway has), and a
// rename or a delete made in one tab shows in the other; the tab viewing the deleted chat
// moves to another one. With the WebSocket refused, the list still arrives (long poll of
// /api/session-changes), and catches up on what changed while it was switching over.
import { assert, assertEq } from '../lib/harness.mjs';
import { clickItem, clientUrl, newSessionId, openClient, snapshot, statusOf, waitForHealth, waitForReplyTo,
         waitSnap } from '../lib/client.mjs';
import { clickSettled, gatewaySessions, listed, openRowMenu, sendOverApi, waitListed } from '../lib/session_list.mjs';
import { until } from '../lib/wait.mjs';

export const description = 'sidebar pushed: two tabs see new chats within 1 s, reload shows all, rename/delete shared';
export const timeoutMs = 150000;

export async function run(t) {
  const { base, token, gateway, proxy } = await t.stack({ demoDelayMs: 10 });
  const browser = await t.browser({ viewport: { width: 1000, height: 700 } });

  t.step('three chats exist before the tabs open');
  const earlier = [newSessionId(), newSessionId(), newSessionId()];
  for (const [i, id] of earlier.entries()) await sendOverApi(gateway, id, `earlier chat ${i}`);

  const sa = newSessionId();
  const sb = newSessionId();
  const a = await t.page(browser, 'tabA');
  const b = await t.page(browser, 'tabB');
  await openClient(a, clientUrl(base, { token, session: sa }));
  await openClient(b, clientUrl(base, { token, session: sb }));
  for (const [label, page] of [['A', a], ['B', b]]) {
    await waitListed(page, (s) => earlier.every((id) => listed(s, id)), `tab ${label} to list the earlier chats`);
  }

  t.step('tab A starts a chat: tab B lists it within a second, nobody clicks');
  let started = Date.now();
  await a.evaluate((x) => window.chatClient.send(x), 'plans for the trip');
  await waitListed(b, (s) => listed(s, sa), "tab B to list tab A's new chat", 5000);
  const aToB = Date.now() - started;
  t.step(`tab B listed it ${aToB} ms after tab A sent`);
  assert(aToB < 1000, `tab B saw the new chat after ${aToB} ms (at most 1000)`);

  t.step('tab B starts a chat: tab A lists it within a second');
  started = Date.now();
  await b.evaluate((x) => window.chatClient.send(x), 'a second chat from tab B');
  await waitListed(a, (s) => listed(s, sb), "tab A to list tab B's new chat", 5000);
  const bToA = Date.now() - started;
  t.step(`tab A listed it ${bToA} ms after tab B sent`);
  assert(bToA < 1000, `tab A saw the new chat after ${bToA} ms (at most 1000)`);
  await waitForReplyTo(a, 'plans for the trip');
  await waitForReplyTo(b, 'a second chat from tab B');

  t.step('a reload shows every chat the gateway has');
  await openClient(a, clientUrl(base, { token, session: sa }));  // a new page load
  const all = (await gatewaySessions(gateway)).map((s) => s.sessionId);
  assertEq(all.length, 5, 'the gateway has five chats');
  const reloaded = await waitListed(a, (s) => all.every((id) => listed(s, id)), 'tab A to list all five chats after the reload');
  assertEq(reloaded.sessions.length, all.length, 'the reloaded sidebar lists exactly the gateway\'s chats');

  t.step("tab A renames tab B's chat in its sidebar: tab B shows the new title");
  await a.bringToFront();
  await openRowMenu(a, sb);
  await clickSettled(a, `rename:${sb}`);
  await until(() => a.evaluate(() => document.activeElement?.id === 'chat-field-rename'),
              { what: 'the title field to have the focus', timeoutMs: 5000 });
  await a.keyboard.press('Control+A');
  await a.keyboard.type('Renamed in tab A');
  await a.keyboard.press('Enter');
  for (const [label, page] of [['A', a], ['B', b]]) {
    await waitListed(page, (s) => listed(s, sb)?.title === 'Renamed in tab A', `tab ${label} to show the new title`);
  }
  await t.screenshot(a, 'tabA-renamed');

  t.step('tab A deletes the chat tab B is viewing (after confirming): tab B moves on');
  await openRowMenu(a, sb);
  await clickSettled(a, `delete:${sb}`);
  await clickSettled(a, 'delete-confirm');
  for (const [label, page] of [['A', a], ['B', b]]) {
    await waitListed(page, (s) => !listed(s, sb), `tab ${label} to drop the deleted chat`);
  }
  const moved = await waitSnap(b, (s) => s.sessionId && s.sessionId !== sb, 'tab B to show another chat');
  assert(listed(moved, moved.sessionId), `tab B moved to a listed chat (${moved.sessionId})`);
  const left = (await gatewaySessions(gateway)).map((s) => s.sessionId);
  assert(!left.includes(sb), 'the gateway no longer has the deleted chat');
  const snapA = await snapshot(a);
  assertEq(snapA.sessions.length, left.length, 'tab A lists what the gateway has');

  t.step('the WebSocket is refused: a chat made meanwhile still reaches both tabs, over HTTP');
  proxy.setMode('no-ws');
  const whileSwitching = newSessionId();
  await sendOverApi(gateway, whileSwitching, 'made while the tabs lose their socket');
  for (const [label, page] of [['A', a], ['B', b]]) {
    await waitForHealth(page, 'partial', 20000);
    await waitListed(page, (s) => listed(s, whileSwitching), `tab ${label} to catch up on the chat made meanwhile`, 15000);
  }
  assert(statusOf(await snapshot(b)).polling, 'tab B polls');
  const polled = newSessionId();
  started = Date.now();
  await sendOverApi(gateway, polled, 'made while the tabs poll');
  for (const [label, page] of [['A', a], ['B', b]]) {
    await waitListed(page, (s) => listed(s, polled), `tab ${label} to list a chat made while it polls`, 5000);
  }
  const overHttp = Date.now() - started;
  t.step(`both tabs listed it ${overHttp} ms after it was made (long poll)`);
  assert(overHttp < 1000, `listed over the long poll after ${overHttp} ms (at most 1000)`);
  proxy.setMode('forward');
}
