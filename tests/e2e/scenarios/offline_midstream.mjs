// 5. Everything goes down in the middle of a streamed reply (the proxy resets every connection)
// and comes back 10 s later: the reply completes with every delta exactly once, and a message
// typed while offline is delivered exactly once.
import { assert } from '../lib/harness.mjs';
import { statusOf, streamingOf, waitForHealth } from '../lib/client.mjs';
import { expectEverythingOnce, sendWhileOffline, streamingLongReply } from '../lib/outage.mjs';
import { pause } from '../lib/wait.mjs';

export const description = 'network down mid-stream for 10 s: reply completes once, offline message once';
export const timeoutMs = 120000;

export async function run(t) {
  const outage = await streamingLongReply(t, { words: 80, demoDelayMs: 100 });
  const { page, proxy } = outage;
  t.step('cutting everything');
  proxy.setMode('down');
  const down = await waitForHealth(page, 'disconnected', 30000);
  t.step(`status: ${JSON.stringify(down.status)}`);
  assert(streamingOf(down) !== null, 'the reply is still incomplete on the page while offline');

  const offline = 'typed while offline';
  const queued = await sendWhileOffline(t, page, offline);
  assert((statusOf(queued).health) === 'disconnected', 'still disconnected');

  await pause(10000);  // the outage lasts 10 s, by the scenario's definition
  t.step('network back');
  proxy.setMode('forward');
  await expectEverythingOnce(t, outage, offline);
}
