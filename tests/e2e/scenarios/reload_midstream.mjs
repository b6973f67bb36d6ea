// 6. Reload in the middle of a stream: after the reload the whole conversation is there, the
// stream completes, nothing is doubled.
import { assert, assertEq } from '../lib/harness.mjs';
import { clientUrl, newSessionId, openClient, streamingOf, streamingText, waitForReplyTo, waitSnap, snapshot }
  from '../lib/client.mjs';
import { checkTranscript } from '../lib/transcript.mjs';

export const description = 'reload mid-stream: conversation restored, stream completes once';
export const timeoutMs = 90000;

export async function run(t) {
  const { base, token, gateway } = await t.stack({ demoDelayMs: 80 });
  const browser = await t.browser();
  const page = await t.page(browser);
  const session = newSessionId();
  await openClient(page, clientUrl(base, { token, session }));

  const send = (text) => page.evaluate((x) => window.chatClient.send(x), text);
  await send('the first message');
  await waitForReplyTo(page, 'the first message');

  const longAsk = '/long 60';
  await send(longAsk);
  await waitSnap(page, (s) => {
    return streamingText(s).split(/\s+/).filter(Boolean).length >= 5;
  }, 'the long reply to be streaming');
  t.step('reloading mid-stream');
  await page.reload({ waitUntil: 'load' });
  const after = await waitSnap(page, (s) => s.sessionId === session &&
                                            (s.messages ?? []).some((m) => m.content === 'the first message'),
                               'the conversation to be back after the reload', 30000);
  t.step(`after reload: streaming=${streamingOf(after) !== null}, "${streamingText(after).slice(0, 60)}"`);
  await waitForReplyTo(page, longAsk, 30000);

  await send('after the reload');
  await waitForReplyTo(page, 'after the reload');
  const log = await checkTranscript(page, gateway, session);
  assertEq(log.length, 6, 'three messages and three replies, each once');
  const snap = await snapshot(page);
  assert(snap.messages.filter((m) => m.content === longAsk).length === 1, 'the long request shows once');
}
