// The shape the outage scenarios share: a long reply is streaming when the network fails, the
// user types a message meanwhile, the network comes back, and then the reply must be complete
// and the offline message delivered, each exactly once (offline_midstream, network_cable).
import { assert, assertEq } from './harness.mjs';
import { clientUrl, focusComposer, newSessionId, openClient, streamingText, userAndAssistant, waitForReplyTo,
         waitSnap } from './client.mjs';
import { sessionEvents } from './gateway.mjs';
import { checkTranscript } from './transcript.mjs';

const wordsOf = (text) => text.split(/\s+/).filter(Boolean).length;

// A page on a new session behind the test's proxy, streaming `/long <words>` (5 words in).
export async function streamingLongReply(t, { words, demoDelayMs }) {
  const stack = await t.stack({ demoDelayMs });
  const browser = await t.browser();
  const page = await t.page(browser);
  const session = newSessionId();
  await openClient(page, clientUrl(stack.base, { token: stack.token, session }));
  const ask = `/long ${words}`;
  await page.evaluate((x) => window.chatClient.send(x), ask);
  const mid = await waitSnap(page, (s) => wordsOf(streamingText(s)) >= 5, 'the long reply to be streaming (5 words in)');
  t.step(`streaming: "${streamingText(mid).slice(0, 60)}..."`);
  return { ...stack, page, session, ask, words };
}

// Types `text` into the composer with real key presses and sends it while the network is out:
// it shows in the transcript at once, not marked sent. Returns the snapshot that shows it.
export async function sendWhileOffline(t, page, text) {
  await focusComposer(page);
  await page.keyboard.type(text, { delay: 10 });
  await page.keyboard.press('Enter');
  const queued = await waitSnap(page, (s) => userAndAssistant(s).some((m) => m.content === text),
                                'the offline message to show in the transcript');
  const local = userAndAssistant(queued).find((m) => m.content === text);
  t.step(`offline message shown as ${local.status}`);
  assert(!/^sent$/i.test(local.status ?? ''), `the offline message is not marked sent while offline (${local.status})`);
  return queued;
}

// After the network is back: the long reply and the reply to `offline` complete, every user
// message is marked sent, the gateway got `offline` once, and the page's transcript equals the
// gateway's log (the long reply with every word).
export async function expectEverythingOnce(t, outage, offline) {
  const { page, gateway, session, ask, words } = outage;
  await waitForReplyTo(page, ask, 60000);
  await waitForReplyTo(page, offline, 60000);
  t.step('both replies complete');
  await waitSnap(page, (s) => userAndAssistant(s).every((m) => m.role !== 'user' || /sent|complete/i.test(m.status ?? 'sent')),
                 'every user message to be marked sent');
  const events = await sessionEvents(gateway, session);
  const echoes = events.filter((e) => e.type === 'chat.message' && e.content === offline);
  assertEq(echoes.length, 1, 'the gateway received the offline message exactly once');
  const log = await checkTranscript(page, gateway, session);
  assertEq(log.length, 4, 'two messages and two replies');
  assert(wordsOf(log[1].content) >= words - 1, `the long reply has all its words (${log[1].content.length} chars)`);
}
