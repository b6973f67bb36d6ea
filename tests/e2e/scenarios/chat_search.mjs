// 21. Search over titles and message text: typing in the sidebar's search field lists the
// matches (titles first, then messages with a snippet); a message result opens its chat
// scrolled to that message, not to the bottom of a long transcript.
import { assert, assertEq } from '../lib/harness.mjs';
import { clickItem, clientUrl, newSessionId, openClient, waitSnap } from '../lib/client.mjs';
import { sendOverApi } from '../lib/session_list.mjs';
import { sessionEvents } from '../lib/gateway.mjs';
import { until } from '../lib/wait.mjs';

export const description = 'search: a message match opens its chat at the message';
export const timeoutMs = 150000;

export async function run(t) {
  const { base, token, gateway } = await t.stack({ demoDelayMs: 5 });
  const browser = await t.browser({ viewport: { width: 1000, height: 600 } });

  t.step('a long chat whose first message mentions a lighthouse, and another chat');
  const long = newSessionId();
  await sendOverApi(gateway, long, 'Where is the old lighthouse on the north cape?');
  const fillers = 14;
  for (let i = 0; i < fillers; i++) await sendOverApi(gateway, long, `filler message number ${i} about nothing in particular`);
  await until(async () => (await sessionEvents(gateway, long)).filter((e) => e.type === 'chat.stream.end').length === fillers + 1,
              { what: 'every turn of the long chat to end', timeoutMs: 60000, intervalMs: 250 });
  const other = newSessionId();
  await sendOverApi(gateway, other, 'Groceries for the week');

  const page = await t.page(browser);
  await openClient(page, clientUrl(base, { token, session: newSessionId() }));

  t.step('typing "lighthouse" in the search field');
  await clickItem(page, 'search');
  await until(() => page.evaluate(() => document.activeElement?.id === 'chat-field-search'),
              { what: 'the search field to have the focus', timeoutMs: 5000 });
  await page.keyboard.type('lighthouse');
  const found = await waitSnap(page, (s) => s.search?.query === 'lighthouse' && !s.search.pending && s.search.results.length > 0,
                               'the search results');
  const results = found.search.results;
  t.step(`results: ${JSON.stringify(results)}`);
  assert(results.every((r) => r.sessionId === long), 'only the long chat matches');
  const at = results.findIndex((r) => r.match === 'message');
  assert(at >= 0, 'a message matches');
  await t.screenshot(page, 'results');

  t.step('opening the message result');
  await clickItem(page, `result:${at}`);
  const opened = await waitSnap(page, (s) => s.sessionId === long && s.messages.length >= 2 * (fillers + 1),
                                'the long chat to open with its history', 30000);
  const target = results[at].messageId;
  const index = opened.messages.findIndex((m) => m.id === target);
  assert(index >= 0, `the matched message ${target} is in the transcript`);
  const view = await until(async () => {
    const v = await page.evaluate(() => window.chatClient.debug.info().view);
    return v.entryCount > 0 && !v.stickToBottom && v.firstVisible <= index && index < v.lastVisible ? v : null;
  }, { what: `the transcript scrolled to entry ${index}`, timeoutMs: 10000,
       describe: () => page.evaluate(() => JSON.stringify(window.chatClient.debug.info().view)) });
  t.step(`shown entries ${view.firstVisible}..${view.lastVisible} of ${view.entryCount}`);
  assert(view.lastVisible < view.entryCount, 'not the bottom of the transcript');
  assertEq(opened.sessionId, long, 'the chat of the result is open');
}
