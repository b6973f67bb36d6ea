// 3. Tool approval by a real mouse click on the canvas: `/tool shell ls` shows an approval card;
// clicking Approve streams the tool's output and its result, then the reply. A second run,
// denied with a click on Deny, ends with the denial.
import { assert, assertEq } from '../lib/harness.mjs';
import { clickItem, clientUrl, focusComposer, newSessionId, openClient, waitForReplyTo,
         waitSnap } from '../lib/client.mjs';
import { checkTranscript } from '../lib/transcript.mjs';
import { sessionEvents } from '../lib/gateway.mjs';

export const description = 'approve and deny a tool by clicking the buttons drawn on the canvas';
export const timeoutMs = 90000;

const approvals = (s) => s.approvals ?? [];
const tools = (s) => s.toolCalls ?? [];

async function askForShell(t, page, text) {
  await focusComposer(page);
  await page.keyboard.type(text);
  await page.keyboard.press('Enter');
  const snap = await waitSnap(page, (s) => approvals(s).some((a) => /pending/i.test(a.status) &&
                                                                 !a.responseSent),
                              `a pending approval card for ${JSON.stringify(text)}`);
  const card = approvals(snap).find((a) => /pending/i.test(a.status));
  assertEq(card.toolName, 'shell', 'the approval is for the shell tool');
  t.step(`approval card ${card.toolCallId} (risk ${card.risk})`);
  return card;
}

export async function run(t) {
  const { base, token, gateway } = await t.stack({ demoDelayMs: 30 });
  const browser = await t.browser();
  const page = await t.page(browser);
  const session = newSessionId();
  await openClient(page, clientUrl(base, { token, session }));

  // Approve.
  const first = await askForShell(t, page, '/tool shell ls');
  await clickItem(page, `approve:${first.toolCallId}`);
  t.step('clicked Approve');
  await waitSnap(page, (s) => approvals(s).some((a) => a.toolCallId === first.toolCallId &&
                                                       /approved/i.test(a.status)),
                 'the approval to be resolved as approved');
  const done = await waitSnap(page, (s) => tools(s).some((c) => c.toolCallId === first.toolCallId &&
                                                                /complete/i.test(c.status)),
                              'the approved tool to complete');
  const tool = tools(done).find((c) => c.toolCallId === first.toolCallId);
  assert(String(tool.output ?? '').length > 0, `the tool streamed output: ${JSON.stringify(tool)}`);
  assert(tool.result !== undefined && tool.result !== null && tool.result !== '',
         `the tool has a result: ${JSON.stringify(tool)}`);
  await waitForReplyTo(page, '/tool shell ls');

  // Deny.
  const second = await askForShell(t, page, '/tool shell rm -rf /tmp/nothing');
  await clickItem(page, `deny:${second.toolCallId}`);
  t.step('clicked Deny');
  await waitSnap(page, (s) => approvals(s).some((a) => a.toolCallId === second.toolCallId &&
                                                       /denied/i.test(a.status)),
                 'the approval to be resolved as denied');
  const denied = await waitSnap(page, (s) => tools(s).some((c) => c.toolCallId === second.toolCallId &&
                                                                  /error/i.test(c.status)),
                                'the denied tool to show its error');
  const dtool = tools(denied).find((c) => c.toolCallId === second.toolCallId);
  assert(/denied/i.test(String(dtool.error ?? '')), `the tool error says denied: ${JSON.stringify(dtool)}`);
  await waitForReplyTo(page, '/tool shell rm -rf /tmp/nothing');

  // The gateway saw exactly one decision per card, the one that was clicked.
  const events = await sessionEvents(gateway, session);
  const resolved = events.filter((e) => e.type === 'tool.approval.resolved');
  assertEq(resolved.length, 2, 'two approval decisions in the gateway log');
  assertEq(resolved[0].approved, true, 'the first card was approved');
  assertEq(resolved[1].approved, false, 'the second card was denied');
  assert(!events.some((e) => e.type === 'tool.output' && e.toolCallId === second.toolCallId),
         'the denied tool produced no output');
  await checkTranscript(page, gateway, session);
}
