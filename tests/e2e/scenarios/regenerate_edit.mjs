// 22. Regenerate and edit: "Regenerate" gives a second reply to the last message and "Edit
// last message" sends a changed one through the composer; every variant stays in the
// transcript and in the gateway's log (nothing rewritten).
import { assert, assertEq } from '../lib/harness.mjs';
import { clickItem, clientUrl, composerValue, newSessionId, openClient, userAndAssistant, waitForReplyTo,
         waitSnap } from '../lib/client.mjs';
import { sessionEvents } from '../lib/gateway.mjs';
import { until } from '../lib/wait.mjs';

export const description = 'regenerate gives a second reply; edit sends a new version; all stay';
export const timeoutMs = 120000;

const done = (m) => !m.status || /complete|sent|done/i.test(m.status);

export async function run(t) {
  const { base, token, gateway } = await t.stack({ demoDelayMs: 10 });
  const browser = await t.browser({ viewport: { width: 1000, height: 700 } });
  const page = await t.page(browser);
  const session = newSessionId();
  await openClient(page, clientUrl(base, { token, session }));
  await page.evaluate((x) => window.chatClient.send(x), 'what is a lighthouse');
  await waitForReplyTo(page, 'what is a lighthouse');

  t.step('Regenerate: a second reply to the same message');
  await clickItem(page, 'regenerate');
  const twice = await waitSnap(page, (s) => {
    const m = userAndAssistant(s);
    return !s.streaming && m.length === 3 && m[0].role === 'user' && m[1].role === 'assistant' &&
           m[2].role === 'assistant' && done(m[2]);
  }, 'two replies after the one message');
  assert(userAndAssistant(twice)[1].id !== userAndAssistant(twice)[2].id, 'two different replies');
  await t.screenshot(page, 'regenerated');

  t.step('Edit last message: the text comes back into the composer, changed and sent');
  await clickItem(page, 'edit-last');
  await until(async () => (await composerValue(page)) === 'what is a lighthouse',
              { what: 'the composer to hold the last message', timeoutMs: 5000 });
  await until(() => page.evaluate(() => document.activeElement?.tagName === 'TEXTAREA'),
              { what: 'the composer to have the focus', timeoutMs: 5000 });
  await page.keyboard.press('Control+A');
  await page.keyboard.type('what is an old lighthouse');
  await page.keyboard.press('Enter');
  const edited = await waitForReplyTo(page, 'what is an old lighthouse');
  const all = userAndAssistant(edited.snap);
  assertEq(all.map((m) => m.role).join(','), 'user,assistant,assistant,user,assistant',
           'the original, both replies, the edit and its reply');

  const events = await sessionEvents(gateway, session);
  const users = events.filter((e) => e.type === 'chat.message' && e.role === 'user');
  assertEq(users.length, 2, 'the log has both versions of the message');
  assertEq(users[1].edits, users[0].messageId, 'the second names the one it replaces');
  assertEq(events.filter((e) => e.type === 'chat.stream.end').length, 3, 'and all three replies');
}
