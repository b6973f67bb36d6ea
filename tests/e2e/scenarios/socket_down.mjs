// 4. The WebSocket is refused (proxy answers upgrades with 403) while HTTP works: the status is
// "partial", chat keeps working over HTTP polling; once the socket is allowed again the status
// is "full" and polling stops; the transcript has no gap and no duplicate.
import { assert, assertEq } from '../lib/harness.mjs';
import { clientUrl, newSessionId, openClient, statusOf, waitForHealth, waitForReplyTo, snapshot }
  from '../lib/client.mjs';
import { checkTranscript } from '../lib/transcript.mjs';
import { pause, until } from '../lib/wait.mjs';

export const description = 'socket refused: partial + polling; socket back: full, no gap or duplicate';
export const timeoutMs = 120000;

export async function run(t) {
  const { base, token, gateway, proxy } = await t.stack({ demoDelayMs: 30 });
  const browser = await t.browser();
  const page = await t.page(browser);
  const polls = [];  // start times of GET /api/events (the polling fallback)
  page.on('request', (r) => { if (r.url().includes('/api/events')) polls.push(Date.now()); });
  const session = newSessionId();
  await openClient(page, clientUrl(base, { token, session }));

  const send = (text) => page.evaluate((x) => window.chatClient.send(x), text);
  await send('before the socket goes down');
  await waitForReplyTo(page, 'before the socket goes down');

  t.step('refusing WebSocket upgrades');
  proxy.setMode('no-ws');
  const partial = await waitForHealth(page, 'partial', 20000);
  t.step(`status: ${JSON.stringify(partial.status)}`);
  assert(proxy.openWebSockets() === 0, 'no WebSocket is open through the proxy');
  await until(() => polls.length > 0, { what: 'the client to poll GET /api/events', timeoutMs: 15000 });

  await send('sent while the socket is down');
  await waitForReplyTo(page, 'sent while the socket is down', 30000);
  await send('a second one over HTTP');
  await waitForReplyTo(page, 'a second one over HTTP', 30000);
  assertEq(statusOf(await snapshot(page)).health, 'partial', 'still partial (the socket is still refused)');
  assert(proxy.stats.wsRefused > 0, 'the client kept trying the WebSocket');
  await checkTranscript(page, gateway, session, 'while partial');

  t.step('allowing WebSockets again');
  proxy.setMode('forward');
  await waitForHealth(page, 'full', 45000);
  t.step('status full again');
  const st = statusOf(await snapshot(page));
  if (st.polling !== undefined) assertEq(st.polling, false, 'status.polling is off once full');
  // Polling stops: within a short grace no new long-poll starts (one in flight may finish).
  const fullAt = Date.now();
  await pause(3000);
  const late = polls.filter((x) => x > fullAt + 500).length;
  assertEq(late, 0, 'GET /api/events requests started after the socket came back');

  await send('after the socket is back');
  await waitForReplyTo(page, 'after the socket is back');
  const log = await checkTranscript(page, gateway, session);
  assertEq(log.length, 8, 'four messages and four replies, each once');
}
