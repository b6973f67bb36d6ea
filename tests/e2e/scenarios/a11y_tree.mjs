// 21. Screen readers (issue 13, item 6): every control drawn on the canvas is a named element of
// the accessibility tree with its role and state, laid over the place it is drawn; messages
// form a list with their author; the connection is a live status; axe-core finds no serious or
// critical violation, in the light and the dark theme.
import fs from 'node:fs';
import path from 'node:path';
import { assert, assertEq } from '../lib/harness.mjs';
import { clientUrl, itemRect, newSessionId, openClient, waitForReplyTo, waitSnap,
         streamingOf } from '../lib/client.mjs';
import { E2E_DIR } from '../lib/env.mjs';
import { until } from '../lib/wait.mjs';

export const description = 'a named button for every control, a message list, a live status, no serious axe violation';
export const timeoutMs = 150000;

const approvals = (s) => s.approvals ?? [];

async function expectRole(page, role, name, what) {
  const loc = page.getByRole(role, { name, exact: typeof name === 'string' });
  await until(async () => (await loc.count()) > 0, { what: `${what}: ${role} "${name}" in the accessibility tree`, timeoutMs: 10000 });
  return loc.first();
}

// The twin's box (page px) lies over the item the canvas drew under that id (within 2 px).
async function expectOver(page, twin, itemId) {
  const box = await twin.boundingBox();
  const drawn = await itemRect(page, itemId);
  assert(box && drawn, `${itemId}: both the twin (${JSON.stringify(box)}) and the drawn item (${JSON.stringify(drawn)})`);
  const off = Math.max(Math.abs(box.x - drawn.x), Math.abs(box.y - drawn.y),
                       Math.abs(box.width - drawn.w), Math.abs(box.height - drawn.h));
  assert(off <= 2, `${itemId}: the twin ${JSON.stringify(box)} lies over the drawn ${JSON.stringify(drawn)}`);
}

async function axe(page, label) {
  const source = path.join(E2E_DIR, 'node_modules', 'axe-core', 'axe.min.js');
  await page.addScriptTag({ content: fs.readFileSync(source, 'utf8') });
  const result = await page.evaluate(() => window.axe.run(document, { resultTypes: ['violations'] }));
  const bad = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  for (const v of result.violations) {
    console.log(`axe ${label}: ${v.impact} ${v.id} (${v.nodes.length}): ${v.help}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  }
  const list = bad.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  assert(list.length === 0, `no serious or critical axe violation (${label}): ${list.join('; ')}`);
}

export async function run(t) {
  const { base, token } = await t.stack({ demoDelayMs: 5 });
  const browser = await t.browser();
  const page = await t.page(browser);
  await page.setViewportSize({ width: 1100, height: 700 });
  const session = newSessionId();
  await openClient(page, clientUrl(base, { token, session, theme: 'light' }));

  t.step('the controls of an empty chat');
  await expectOver(page, await expectRole(page, 'button', 'New chat', 'sidebar'), 'new-chat');
  await expectRole(page, 'button', /^Theme: Light/, 'the theme switch');
  const send = await expectRole(page, 'button', 'Send', 'composer');
  assertEq(await send.getAttribute('aria-disabled'), 'true', 'Send is disabled while the composer is empty');
  await expectOver(page, send, 'send');
  await expectRole(page, 'textbox', 'Message', 'composer');
  const status = page.getByRole('status').filter({ hasText: /Connection: Connected/ });
  await until(async () => (await status.count()) === 1, { what: 'a live status "Connection: Connected"', timeoutMs: 10000 });
  assertEq(await status.getAttribute('aria-live'), 'polite', 'the status is a polite live region');

  t.step('a conversation: the message list with authors, Copy per message, the chat row');
  await page.keyboard.type('hello, screen reader', { delay: 5 });
  await expectRole(page, 'button', 'Send', 'composer');
  await until(async () => (await send.getAttribute('aria-disabled')) === null,
              { what: 'Send enabled once there is text', timeoutMs: 5000 });
  await page.keyboard.press('Enter');
  await waitForReplyTo(page, 'hello, screen reader');
  const list = await expectRole(page, 'list', 'Messages', 'the transcript');
  await until(async () => (await list.getByRole('listitem').count()) >= 2,
              { what: 'two list items', timeoutMs: 5000 });
  const first = list.getByRole('listitem').first();
  assert(/^You: hello, screen reader/.test(await first.textContent()), `the first item names its author: ${await first.textContent()}`);
  const second = list.getByRole('listitem').nth(1);
  assert(/^Assistant: /.test(await second.textContent()), `the reply names its author: ${await second.textContent()}`);
  await expectRole(page, 'button', 'Copy message', 'a message');
  assert((await first.getByRole('button', { name: 'Copy message' }).count()) === 1, 'Copy belongs to its message');
  const row = page.locator(`[data-a11y-id="session:${session}"]`);
  await until(async () => (await row.count()) === 1, { what: 'the chat row twin', timeoutMs: 5000 });
  assertEq(await row.getAttribute('aria-current'), 'true', 'the open chat is marked current');
  assert((await row.getAttribute('aria-label') || '').length > 0, 'the chat row is named');
  await expectOver(page, row, `session:${session}`);

  t.step('an idle page sends the twins nothing; the DOM holds one element per control');
  const twin = () => page.evaluate(() => window.chatClient.debug.info().a11y);
  const before = await twin();
  await new Promise((r) => setTimeout(r, 1500));
  const after = await twin();
  assertEq(after.deltas, before.deltas, `no twin update while idle (${JSON.stringify(before)} -> ${JSON.stringify(after)})`);
  const elements = await page.evaluate(() => document.querySelectorAll('#chat-a11y [data-a11y-id]').length);
  assertEq(elements, after.controls, 'one DOM element per reported control');
  t.step(`twins: ${JSON.stringify(after)}`);

  t.step('Stop while a reply streams');
  await page.keyboard.type('/long 3000', { delay: 5 });
  await page.keyboard.press('Enter');
  await waitSnap(page, (s) => streamingOf(s) !== null, 'the long reply to stream');
  const stop = await expectRole(page, 'button', 'Stop', 'while streaming');
  await expectOver(page, stop, 'stop');
  await stop.press('Enter');  // the twin activated by the keyboard does what a click does
  await waitSnap(page, (s) => streamingOf(s) === null, 'the reply stopped from the Stop twin', 10000);

  t.step('Jump to latest while scrolled up');
  await page.locator('#chat-composer').focus();
  await page.keyboard.type('/long 300', { delay: 5 });
  await page.keyboard.press('Enter');
  await waitForReplyTo(page, '/long 300', 30000);
  await page.keyboard.press('Control+Home');
  const jump = await expectRole(page, 'button', 'Jump to latest', 'scrolled up');
  await expectOver(page, jump, 'jump-latest');
  await jump.press('Enter');
  await until(async () => (await page.evaluate(() => window.chatClient.debug.info().view.stickToBottom)),
              { what: 'Jump to latest (activated on its twin) to return to the bottom', timeoutMs: 5000 });

  t.step('an approval: Approve, Deny and Approve for session, named, in a list item');
  await page.locator('#chat-composer').focus();
  await page.keyboard.type('/tool shell ls', { delay: 5 });
  await page.keyboard.press('Enter');
  const snap = await waitSnap(page, (s) => approvals(s).some((a) => /pending/i.test(a.status) && !a.responseSent),
                              'a pending approval');
  const card = approvals(snap).find((a) => /pending/i.test(a.status));
  const approve = await expectRole(page, 'button', 'Approve shell', 'the approval');
  await expectRole(page, 'button', 'Deny shell', 'the approval');
  await expectRole(page, 'button', 'Approve shell for session', 'the approval');
  await expectOver(page, approve, `approve:${card.toolCallId}`);
  assertEq(await approve.getAttribute('aria-keyshortcuts'), 'A', 'Approve names its key');
  const item = list.getByRole('listitem').filter({ has: page.getByRole('button', { name: 'Approve shell' }) });
  assert(/^Approval request: shell/.test(await item.textContent()), `the card's item reads the request: ${await item.textContent()}`);

  t.step('the accessibility tree as a screen reader gets it');
  const tree = await page.locator('body').ariaSnapshot();
  fs.writeFileSync(path.join(t.out, 'a11y_tree.aria.yml'), tree);
  for (const want of ['button "New chat"', 'button "Stop"', 'button "Approve shell"', 'button "Deny shell"',
                      'button "Approve shell for session"', 'button "Copy message"', 'list "Messages"',
                      'status', 'textbox "Message"', 'heading "hello, screen reader" [level=1]']) {
    assert(tree.includes(want), `the snapshot has ${want}:\n${tree}`);
  }

  // The selectable text layer is not read a second time: the list holds the messages.
  assertEq(await page.getAttribute('#chat-text-layer', 'aria-hidden'), 'true', 'the text layer is hidden from screen readers');
  assert(!/^- main:\n  - text:/.test(tree), 'no loose transcript text before the controls');

  t.step('axe-core, light theme');
  await axe(page, 'light');
  await page.screenshot({ path: t.screenshotPath('light') });

  t.step('axe-core, dark theme, after approving from the twin');
  await approve.press('Enter');
  await waitSnap(page, (s) => approvals(s).some((a) => a.toolCallId === card.toolCallId && /approved/i.test(a.status)),
                 'the approval approved from its twin');
  await page.evaluate(() => window.chatClient.setTheme('dark'));
  await expectRole(page, 'button', /^Theme: Dark/, 'the theme switch after the change');
  await page.getByRole('button', { name: 'New chat' }).focus();
  const ring = await page.evaluate(() => {
    const cs = getComputedStyle(document.activeElement);
    return { width: parseFloat(cs.outlineWidth) || 0, style: cs.outlineStyle, color: cs.outlineColor };
  });
  assert(ring.width >= 2 && ring.style !== 'none' && !/rgba\(.*, 0\)$/.test(ring.color),
         `a visible focus ring in the dark theme: ${JSON.stringify(ring)}`);
  t.step(`dark focus ring: ${JSON.stringify(ring)}`);
  await axe(page, 'dark');
  await page.screenshot({ path: t.screenshotPath('dark-focus') });
}
