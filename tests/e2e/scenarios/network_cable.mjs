// 12. The network cable is pulled in the middle of a streamed reply: the browser goes offline
// (its 'offline' event fires, new requests fail) and the open WebSocket goes silent without
// closing, as a real socket does when the link vanishes (the proxy stalls it). The page must
// show "disconnected" within seconds, not after 2.5 heartbeats (37.5 s), keep what the user
// types, and when the cable is back ('online') reconnect at once and finish the reply: every
// delta once, the offline message once.
import { assert, assertEq } from '../lib/harness.mjs';
import { clientUrl, focusComposer, newSessionId, openClient, statusOf, streamingOf, streamingText,
         userAndAssistant, waitForHealth, waitForReplyTo, waitSnap } from '../lib/client.mjs';
import { sessionEvents } from '../lib/gateway.mjs';
import { checkTranscript } from '../lib/transcript.mjs';

export const description = 'cable pulled mid-stream: disconnected within seconds, back at once on online';
export const timeoutMs = 120000;

export async function run(t) {
  const { base, token, gateway, proxy } = await t.stack({ demoDelayMs: 100 });
  const browser = await t.browser();
  const page = await t.page(browser);
  const session = newSessionId();
  await openClient(page, clientUrl(base, { token, session }));

  const longAsk = '/long 60';
  await page.evaluate((x) => window.chatClient.send(x), longAsk);
  const mid = await waitSnap(page, (s) => streamingText(s).split(/\s+/).filter(Boolean).length >= 5,
                             'the long reply to be streaming (5 words in)');
  t.step(`streaming: "${streamingText(mid).slice(0, 60)}..."; pulling the cable`);

  proxy.setMode('stall');
  await page.context().setOffline(true);
  const pulledAt = Date.now();
  const down = await waitForHealth(page, 'disconnected', 30000);
  const detectedMs = Date.now() - pulledAt;
  t.step(`disconnected after ${detectedMs} ms: ${JSON.stringify(statusOf(down))}`);
  // The probe gives the socket 5 s; the heartbeat alone would take 37.5 s.
  assert(detectedMs < 20000, `the dead socket is found within seconds (${detectedMs} ms)`);
  assert(streamingOf(down) !== null, 'the reply is still incomplete on the page while offline');
  await t.screenshot(page, 'offline');

  const offline = 'typed with the cable out';
  await focusComposer(page);
  await page.keyboard.type(offline, { delay: 10 });
  await page.keyboard.press('Enter');
  const queued = await waitSnap(page, (s) => userAndAssistant(s).some((m) => m.content === offline),
                                'the offline message to show in the transcript');
  const local = userAndAssistant(queued).find((m) => m.content === offline);
  assert(!/^sent$/i.test(local.status ?? ''), `the offline message is not marked sent (${local.status})`);

  t.step('cable back');
  proxy.setMode('forward');
  const backAt = Date.now();
  await page.context().setOffline(false);
  await waitForHealth(page, 'full', 15000);
  t.step(`full again after ${Date.now() - backAt} ms`);

  await waitForReplyTo(page, longAsk, 60000);
  await waitForReplyTo(page, offline, 60000);
  const events = await sessionEvents(gateway, session);
  const echoes = events.filter((e) => e.type === 'chat.message' && e.content === offline);
  assertEq(echoes.length, 1, 'the gateway received the offline message exactly once');
  const log = await checkTranscript(page, gateway, session);
  assertEq(log.length, 4, 'two messages and two replies');
  assert(log[1].content.split(/\s+/).filter(Boolean).length >= 60 - 1,
         `the long reply has all its words (${log[1].content.length} chars)`);
}
