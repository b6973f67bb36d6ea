// 7. Two tabs on one session (?session=ID) see each other's messages and approvals: a card
// raised by tab A is approved by a click in tab B, and both show the decision and the result.
import { assert, assertEq } from '../lib/harness.mjs';
import { clickItem, clientUrl, newSessionId, openClient, waitForReplyTo, waitSnap }
  from '../lib/client.mjs';
import { checkTranscript } from '../lib/transcript.mjs';

export const description = 'two tabs on one session share messages and approvals';
export const timeoutMs = 90000;

const approval = (s, id) => (s.approvals ?? []).find((a) => a.toolCallId === id);

export async function run(t) {
  const { base, token, gateway } = await t.stack({ demoDelayMs: 30 });
  const browser = await t.browser({ viewport: { width: 900, height: 700 } });
  const session = newSessionId();
  const url = clientUrl(base, { token, session });
  const a = await t.page(browser, 'main');
  const b = await t.page(browser, 'tab2');
  await openClient(a, url);
  await openClient(b, url);
  const send = (page, text) => page.evaluate((x) => window.chatClient.send(x), text);

  t.step('tab A sends; both tabs see it');
  await send(a, 'hello from tab A');
  await waitForReplyTo(a, 'hello from tab A');
  await waitForReplyTo(b, 'hello from tab A');

  t.step('tab B sends; both tabs see it');
  await send(b, 'hello from tab B');
  await waitForReplyTo(b, 'hello from tab B');
  await waitForReplyTo(a, 'hello from tab B');

  t.step('tab A asks for a tool; tab B approves it');
  await send(a, '/tool shell ls');
  const pending = await waitSnap(b, (s) => (s.approvals ?? []).some((x) => /pending/i.test(x.status)),
                                 'tab B to show the pending approval');
  const id = pending.approvals.find((x) => /pending/i.test(x.status)).toolCallId;
  await waitSnap(a, (s) => approval(s, id) && /pending/i.test(approval(s, id).status),
                 'tab A to show the same pending approval');
  await b.bringToFront();
  await clickItem(b, `approve:${id}`);
  for (const [label, page] of [['A', a], ['B', b]]) {
    const s = await waitSnap(page, (x) => approval(x, id) && /approved/i.test(approval(x, id).status),
                             `tab ${label} to show the card approved`);
    assertEq(approval(s, id).toolName, 'shell', `tab ${label}: the resolved card is the shell tool's`);
    await waitSnap(page, (x) => (x.toolCalls ?? []).some((c) => c.toolCallId === id && /complete/i.test(c.status)),
                   `tab ${label} to show the tool completed`);
    await waitForReplyTo(page, '/tool shell ls');
  }

  const la = await checkTranscript(a, gateway, session, 'tab A');
  const lb = await checkTranscript(b, gateway, session, 'tab B');
  assertEq(la.length, 6, 'three messages and three replies');
  assertEq(lb.length, la.length, 'both tabs have the same transcript');
}
