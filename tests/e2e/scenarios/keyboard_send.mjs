// 2. Real key presses into the composer (a DOM textarea over the canvas): Enter sends and the
// streamed reply arrives; Shift+Enter is a newline; the transcript equals the gateway's.
import { assert, assertEq } from '../lib/harness.mjs';
import { clientUrl, composerValue, focusComposer, newSessionId, openClient, waitForReplyTo,
         waitSnap, streamingOf } from '../lib/client.mjs';
import { checkTranscript } from '../lib/transcript.mjs';

export const description = 'typed message (real key presses) gets the streamed reply';
export const timeoutMs = 60000;

export async function run(t) {
  const { base, token, gateway } = await t.stack({ demoDelayMs: 40 });
  const browser = await t.browser();
  const page = await t.page(browser);
  const session = newSessionId();
  await openClient(page, clientUrl(base, { token, session }));

  t.step('typing the first message');
  await focusComposer(page);
  const first = 'hello from the keyboard';
  await page.keyboard.type(first, { delay: 15 });
  assertEq(await composerValue(page), first, 'the composer holds what was typed');
  await page.keyboard.press('Enter');

  // The reply streams: seen growing before it completes.
  await waitSnap(page, (s) => streamingOf(s) !== null ||
                              (s.messages ?? []).some((m) => m.role === 'assistant'),
                 'the reply to start streaming');
  const { reply } = await waitForReplyTo(page, first);
  assert(reply.content.includes(first), `the demo reply quotes the message: ${JSON.stringify(reply.content)}`);
  assertEq(await composerValue(page), '', 'the composer is cleared after sending');

  t.step('Shift+Enter makes a newline, Enter sends');
  await focusComposer(page);
  await page.keyboard.type('line one', { delay: 10 });
  await page.keyboard.press('Shift+Enter');
  await page.keyboard.type('line two', { delay: 10 });
  assertEq(await composerValue(page), 'line one\nline two', 'Shift+Enter inserted a newline');
  await page.keyboard.press('Enter');
  await waitForReplyTo(page, 'line one\nline two');

  const log = await checkTranscript(page, gateway, session);
  assertEq(log.length, 4, 'two user messages and two replies in the gateway log');
}
