// 12. The network cable is pulled in the middle of a streamed reply: the browser goes offline
// (its 'offline' event fires, new requests fail) and the open WebSocket goes silent without
// closing, as a real socket does when the link vanishes (the proxy stalls it). The page must
// show "disconnected" within seconds, not after 2.5 heartbeats (37.5 s), keep what the user
// types, and when the cable is back ('online') reconnect at once and finish the reply: every
// delta once, the offline message once.
import { assert } from '../lib/harness.mjs';
import { statusOf, streamingOf, waitForHealth } from '../lib/client.mjs';
import { expectEverythingOnce, sendWhileOffline, streamingLongReply } from '../lib/outage.mjs';

export const description = 'cable pulled mid-stream: disconnected within seconds, back at once on online';
export const timeoutMs = 120000;

export async function run(t) {
  const outage = await streamingLongReply(t, { words: 60, demoDelayMs: 100 });
  const { page, proxy } = outage;
  t.step('pulling the cable');
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
  await sendWhileOffline(t, page, offline);

  t.step('cable back');
  proxy.setMode('forward');
  const backAt = Date.now();
  await page.context().setOffline(false);
  await waitForHealth(page, 'full', 15000);
  t.step(`full again after ${Date.now() - backAt} ms`);
  await expectEverythingOnce(t, outage, offline);
}
