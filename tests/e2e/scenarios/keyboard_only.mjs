// 20. The chat without a mouse (issue 13, item 5): the composer has the focus on load; type and
// send with Enter; Alt+A reaches the pending approval, A approves it; PageUp / Ctrl+Home /
// Ctrl+End scroll the transcript from the composer; Escape stops a reply; Tab walks every
// control in order with a visible focus ring (>= 2 px), Copy included. No mouse event at all.
import { assert, assertEq } from '../lib/harness.mjs';
import { clientUrl, newSessionId, openClient, waitForReplyTo, waitSnap, streamingOf } from '../lib/client.mjs';
import { until } from '../lib/wait.mjs';

export const description = 'keyboard only: send, approve with Alt+A then A, scroll, stop, Tab order and focus ring';
export const timeoutMs = 150000;

const approvals = (s) => s.approvals ?? [];

// What has the focus: the composer, or a twin of a canvas control (its id, name, outline).
function focused(page) {
  return page.evaluate(() => {
    const a = document.activeElement;
    if (!a || a === document.body) return { kind: 'body' };
    if (a.id === 'chat-composer') return { kind: 'composer' };
    const cs = getComputedStyle(a);
    const r = a.getBoundingClientRect();
    return { kind: 'twin', id: a.dataset.a11yId || '', name: a.getAttribute('aria-label') || '',
             outline: parseFloat(cs.outlineWidth) || 0, outlineStyle: cs.outlineStyle,
             rect: { x: r.x, y: r.y, w: r.width, h: r.height } };
  });
}

async function waitFocus(page, pred, what) {
  let last = null;
  await until(async () => { last = await focused(page); return pred(last); },
              { what, timeoutMs: 8000, describe: () => JSON.stringify(last) });
  return last;
}

const view = (page) => page.evaluate(() => window.chatClient.debug.info().view);

export async function run(t) {
  const { base, token } = await t.stack({ demoDelayMs: 5 });
  const browser = await t.browser();
  const page = await t.page(browser);
  // Nothing here may use the mouse: every pointer event is counted and must stay at zero.
  await page.addInitScript(() => {
    window.__pointerEvents = 0;
    for (const type of ['pointerdown', 'mousedown', 'click', 'touchstart']) {
      window.addEventListener(type, (e) => { if (e.isTrusted && e.detail !== 0) window.__pointerEvents++; }, true);
    }
  });
  await page.setViewportSize({ width: 960, height: 600 });
  const session = newSessionId();
  await openClient(page, clientUrl(base, { token, session, theme: 'light' }));

  t.step('the composer has the focus on load');
  await waitFocus(page, (f) => f.kind === 'composer', 'the composer to have the focus on load');

  t.step('type and send with Enter, three times (a transcript taller than the window)');
  await page.keyboard.type('hello, keyboard', { delay: 10 });
  await page.keyboard.press('Enter');
  await waitForReplyTo(page, 'hello, keyboard');
  for (const text of ['/long 120', '/long 150']) {
    await page.keyboard.type(text, { delay: 5 });
    await page.keyboard.press('Enter');
    await waitForReplyTo(page, text, 30000);
  }
  assertEq((await focused(page)).kind, 'composer', 'the composer keeps the focus after sending');

  t.step('PageUp, Ctrl+Home, Ctrl+End and PageDown scroll the transcript from the composer');
  let v = await view(page);
  assert(v.stickToBottom, 'the transcript follows the bottom before scrolling');
  const bottomFirst = v.firstVisible;
  await page.keyboard.press('PageUp');
  v = await until(async () => { const x = await view(page); return !x.stickToBottom ? x : null; },
                  { what: 'PageUp to leave the bottom', timeoutMs: 5000 });
  await page.keyboard.press('Control+Home');
  v = await until(async () => { const x = await view(page); return x.firstVisible === 0 && !x.stickToBottom ? x : null; },
                  { what: 'Ctrl+Home to show the first entry', timeoutMs: 5000 });
  assert(bottomFirst > 0, `the first entry was off screen at the bottom (firstVisible ${bottomFirst})`);
  await page.screenshot({ path: t.screenshotPath('top') });
  // Jump to latest is offered now, as a twin too.
  await until(() => page.evaluate(() => !!document.querySelector('[data-a11y-id="jump-latest"]')),
              { what: 'the Jump to latest twin while scrolled up', timeoutMs: 5000 });
  await page.keyboard.press('PageDown');
  await until(async () => { const x = await view(page); return x.firstVisible > 0 || x.stickToBottom ? x : null; },
              { what: 'PageDown to scroll down', timeoutMs: 5000 });
  await page.keyboard.press('Control+End');
  await until(async () => (await view(page)).stickToBottom, { what: 'Ctrl+End to return to the bottom', timeoutMs: 5000 });
  assertEq((await focused(page)).kind, 'composer', 'scrolling kept the focus in the composer');

  t.step('a tool asks for approval: Alt+A focuses Approve, A approves');
  await page.keyboard.type('/tool shell ls', { delay: 5 });
  await page.keyboard.press('Enter');
  const snap = await waitSnap(page, (s) => approvals(s).some((a) => /pending/i.test(a.status) && !a.responseSent),
                              'a pending approval');
  const card = approvals(snap).find((a) => /pending/i.test(a.status));
  await page.keyboard.press('Alt+a');
  const onApprove = await waitFocus(page, (f) => f.kind === 'twin' && f.id === `approve:${card.toolCallId}`,
                                    'Alt+A to focus the Approve button');
  assert(onApprove.outline >= 2 && onApprove.outlineStyle !== 'none',
         `a visible focus ring on Approve: ${onApprove.outline}px ${onApprove.outlineStyle}`);
  await page.screenshot({ path: t.screenshotPath('approve-focused') });
  await page.keyboard.press('a');
  await waitSnap(page, (s) => approvals(s).some((a) => a.toolCallId === card.toolCallId && /approved/i.test(a.status)),
                 'the approval to be approved by the A key');
  await waitForReplyTo(page, '/tool shell ls', 30000);
  await waitFocus(page, (f) => f.kind === 'composer', 'the focus to come back to the composer once the card is answered');

  t.step('Escape stops a reply');
  await page.keyboard.type('/long 3000', { delay: 5 });
  await page.keyboard.press('Enter');
  await waitSnap(page, (s) => streamingOf(s) !== null, 'the long reply to stream');
  await page.keyboard.press('Escape');
  await waitSnap(page, (s) => streamingOf(s) === null, 'Escape to stop the reply', 10000);

  t.step('Tab walks the controls in order, each with a focus ring');
  // Forward from the composer: Send. Backward from the composer: the transcript, the header and
  // the sidebar, up to the first control of the page.
  await page.keyboard.press('Tab');
  const afterComposer = await waitFocus(page, (f) => f.kind === 'twin', 'Tab from the composer to reach a control');
  assertEq(afterComposer.id, 'send', 'Tab from the composer goes to Send');
  assert(afterComposer.outline >= 2 && afterComposer.outlineStyle !== 'none', `a visible focus ring on Send: ${afterComposer.outline}px`);
  await page.screenshot({ path: t.screenshotPath('send-focused') });
  await page.keyboard.press('Shift+Tab');
  await waitFocus(page, (f) => f.kind === 'composer', 'Shift+Tab from Send to come back to the composer');
  const seen = [];
  for (let i = 0; i < 60; i++) {
    await page.keyboard.press('Shift+Tab');
    const f = await focused(page);
    if (f.kind !== 'twin') break;  // before the first control: out of the page
    seen.unshift(f);
    assert(f.outline >= 2 && f.outlineStyle !== 'none', `a visible focus ring on ${f.id}: ${f.outline}px`);
    if (f.id.startsWith('copy:')) await page.screenshot({ path: t.screenshotPath('copy-focused') });
    if (f.id === 'new-chat') break;  // the first control (past it, headless Chromium leaves the page for good)
  }
  const ids = seen.map((f) => f.id);
  t.step(`Tab order: ${ids.join(' ')} composer send`);
  assertEq(ids[0], 'new-chat', 'the first control of the page is New chat');
  for (const want of ['theme', `session:${session}`]) {
    assert(ids.includes(want), `Tab reaches ${want}: ${ids.join(' ')}`);
  }
  assert(ids.indexOf('new-chat') < ids.indexOf(`session:${session}`) &&
         ids.indexOf(`session:${session}`) < ids.indexOf('theme'),
         'the sidebar in reading order: New chat, the chats, the theme switch');
  const copies = seen.filter((f) => f.id.startsWith('copy:'));
  assert(copies.length > 0 && copies.every((f) => f.name === 'Copy message'),
         `Copy per message on screen, reachable without hovering: ${ids.join(' ')}`);
  assert(ids.indexOf('theme') < ids.indexOf(copies[0].id), 'the transcript comes after the sidebar');

  t.step('Copy activated with Enter puts the message on the clipboard');
  const last = copies[copies.length - 1];
  await page.evaluate(() => {
    window.__copied = null;
    navigator.clipboard.writeText = (text) => { window.__copied = text; return Promise.resolve(); };
  });
  for (let i = 0; i < 60; i++) {  // from New chat, forward
    const f = await focused(page);
    if (f.kind !== 'twin' || f.id === last.id) break;
    await page.keyboard.press('Tab');
  }
  assertEq((await focused(page)).id, last.id, 'Tab back to the last Copy');
  await page.keyboard.press('Enter');
  const copied = await until(() => page.evaluate(() => window.__copied), { what: 'Copy to write the clipboard', timeoutMs: 5000 });
  assert(copied.length > 0, 'the message text was copied');

  t.step('narrow window: the Chats toggle opens the drawer with the focus in it; picking a chat closes it');
  await page.setViewportSize({ width: 520, height: 640 });
  await until(async () => (await page.evaluate(() => window.chatClient.debug.info().view.sidebarCollapsed)),
              { what: 'the sidebar to collapse into a drawer', timeoutMs: 5000 });
  // Back in the composer (Alt+A with nothing pending only announces; the composer is where
  // the focus went when the last Copy twin was left behind).
  await until(async () => {
    const f = await focused(page);
    if (f.kind === 'twin' && f.id === 'sidebar-toggle') return true;
    await page.keyboard.press('Shift+Tab');
    return false;
  }, { what: 'Shift+Tab to reach the Chats toggle', timeoutMs: 15000, intervalMs: 50 });
  const toggle = await page.evaluate(() => document.activeElement.getAttribute('aria-expanded'));
  assertEq(toggle, 'false', 'the toggle says the drawer is closed');
  await page.keyboard.press('Enter');
  await waitFocus(page, (f) => f.kind === 'twin' && f.id === 'new-chat', 'the focus to move into the opened drawer');
  await page.screenshot({ path: t.screenshotPath('drawer') });
  await page.keyboard.press('Escape');
  await waitFocus(page, (f) => f.kind === 'twin' && f.id === 'sidebar-toggle', 'Escape to close the drawer, the focus back on its toggle');
  assert(!(await page.evaluate(() => window.chatClient.debug.info().view.sidebarOpen)), 'Escape closed the drawer');
  await page.keyboard.press('Enter');
  await waitFocus(page, (f) => f.kind === 'twin' && f.id === 'new-chat', 'the drawer to open again');
  // New chat, the search field, Show archived, then the chats.
  for (let i = 0; i < 3; i++) await page.keyboard.press('Tab');
  await waitFocus(page, (f) => f.kind === 'twin' && f.id === `session:${session}`, 'Tab to the chat row in the drawer');
  await page.keyboard.press('Enter');
  await until(async () => !(await page.evaluate(() => window.chatClient.debug.info().view.sidebarOpen)),
              { what: 'picking the chat to close the drawer', timeoutMs: 5000 });
  await waitFocus(page, (f) => f.kind === 'composer', 'the focus to return to the composer');

  const pointer = await page.evaluate(() => window.__pointerEvents);
  assertEq(pointer, 0, 'no pointer event was used');
}
