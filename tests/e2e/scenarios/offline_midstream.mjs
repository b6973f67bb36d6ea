// 5. Everything goes down in the middle of a streamed reply (the proxy resets every connection)
// and comes back 10 s later: the reply completes with every delta exactly once, and a message
// typed while offline is delivered exactly once.
import { assert, assertEq } from '../lib/harness.mjs';
import { clientUrl, focusComposer, newSessionId, openClient, statusOf, streamingOf, streamingText, userAndAssistant,
         waitForHealth, waitForReplyTo, waitSnap } from '../lib/client.mjs';
import { sessionEvents } from '../lib/gateway.mjs';
import { checkTranscript } from '../lib/transcript.mjs';
import { pause } from '../lib/wait.mjs';

export const description = 'network down mid-stream for 10 s: reply completes once, offline message once';
export const timeoutMs = 120000;

export async function run(t) {
  const { base, token, gateway, proxy } = await t.stack({ demoDelayMs: 100 });
  const browser = await t.browser();
  const page = await t.page(browser);
  const session = newSessionId();
  await openClient(page, clientUrl(base, { token, session }));

  const longAsk = '/long 80';
  await page.evaluate((x) => window.chatClient.send(x), longAsk);
  const mid = await waitSnap(page, (s) => {
    return streamingText(s).split(/\s+/).filter(Boolean).length >= 5;
  }, 'the long reply to be streaming (5 words in)');
  t.step(`streaming: "${streamingText(mid).slice(0, 60)}..."; cutting everything`);
  proxy.setMode('down');
  const down = await waitForHealth(page, 'disconnected', 30000);
  t.step(`status: ${JSON.stringify(down.status)}`);
  assert(streamingOf(down) !== null, 'the reply is still incomplete on the page while offline');

  const offline = 'typed while offline';
  await focusComposer(page);
  await page.keyboard.type(offline, { delay: 10 });
  await page.keyboard.press('Enter');
  const queued = await waitSnap(page, (s) => userAndAssistant(s).some((m) => m.content === offline),
                                'the offline message to show in the transcript');
  const local = userAndAssistant(queued).find((m) => m.content === offline);
  t.step(`offline message shown as ${local.status}`);
  assert(!/^sent$/i.test(local.status ?? ''), 'the offline message is not marked sent while offline');
  assert((statusOf(queued).health) === 'disconnected', 'still disconnected');

  await pause(10000);  // the outage lasts 10 s, by the scenario's definition
  t.step('network back');
  proxy.setMode('forward');

  await waitForReplyTo(page, longAsk, 60000);
  await waitForReplyTo(page, offline, 60000);
  t.step('both replies complete');
  await waitSnap(page, (s) => userAndAssistant(s).every((m) => m.role !== 'user' || /sent|complete/i.test(m.status ?? 'sent')),
                 'every user message to be marked sent');

  const events = await sessionEvents(gateway, session);
  const echoes = events.filter((e) => e.type === 'chat.message' && e.content === offline);
  assertEq(echoes.length, 1, 'the gateway received the offline message exactly once');
  const log = await checkTranscript(page, gateway, session);
  assertEq(log.length, 4, 'two messages and two replies');
  assert(log[1].content.split(/\s+/).filter(Boolean).length >= 80 - 1,
         `the long reply has all its words (${log[1].content.length} chars)`);
}
