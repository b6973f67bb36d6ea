// 20. Touch targets: on a phone-sized touch viewport the page matches (pointer: coarse), the
// app learns it (debug info), and every button and row it draws is at least 44 x 44 CSS px:
// the drawer toggle, Send, a code block's Copy, Approve and Deny, a tool card's arguments, and in the drawer New chat,
// the search field, Show archived, the theme switch and the session rows (read from the rects the app reports). The
// composer's text is at least 16 px (no zoom on focus). The session title, typed as Markdown,
// is shown as text in the header (screenshot).
import { assert, assertEq } from '../lib/harness.mjs';
import { clientUrl, itemRect, newSessionId, openClient, waitForReplyTo, waitSnap } from '../lib/client.mjs';
import { until } from '../lib/wait.mjs';

export const description = 'touch viewport: every drawn button and row is at least 44 x 44 px';
export const timeoutMs = 90000;

const MIN = 44;

export async function run(t) {
  const { base, token } = await t.stack();
  const browser = await t.browser({ viewport: { width: 390, height: 760 }, hasTouch: true, isMobile: true,
                                    deviceScaleFactor: 1 });
  const page = await t.page(browser);
  const session = newSessionId();
  await openClient(page, clientUrl(base, { token, session }));

  const coarse = await page.evaluate(() => window.matchMedia('(pointer: coarse)').matches);
  assert(coarse, 'the touch viewport matches (pointer: coarse)');
  const info = await page.evaluate(() => window.chatClient.debug.info());
  assertEq(info.coarsePointer, true, 'the app learned the pointer is coarse');
  const fontPx = await page.evaluate(() => parseFloat(getComputedStyle(document.querySelector('textarea')).fontSize));
  t.step(`composer font-size ${fontPx}px`);
  assert(fontPx >= 16, `the composer text is at least 16 px on a phone (${fontPx})`);

  const checked = [];
  const check = async (id) => {
    const r = await until(() => itemRect(page, id), { what: `the canvas item ${id} to be drawn` });
    t.step(`${id}: ${r.w.toFixed(1)} x ${r.h.toFixed(1)}`);
    assert(r.w >= MIN && r.h >= MIN, `${id} is at least ${MIN} x ${MIN} px (${r.w} x ${r.h})`);
    checked.push(id);
    return r;
  };

  const title = '**Touch** `targets`';
  await page.evaluate((x) => window.chatClient.send(x), title);
  await waitForReplyTo(page, title);
  await page.evaluate(() => window.chatClient.send('/markdown'));
  await waitForReplyTo(page, '/markdown');
  await check('send');
  await check('sidebar-toggle');
  await check('copy-code:3:1');  // the fourth entry (the /markdown reply), its code block

  await page.evaluate(() => window.chatClient.send('/tool shell ls'));
  const snap = await waitSnap(page, (s) => (s.approvals ?? []).some((a) => /pending/i.test(a.status)),
                              'a pending approval card');
  const card = snap.approvals.find((a) => /pending/i.test(a.status));
  await check(`approve:${card.toolCallId}`);
  await check(`deny:${card.toolCallId}`);
  await check(`tool-args:${card.toolCallId}`);
  await t.screenshot(page, 'chat');

  // The drawer: tap the toggle with a finger.
  const toggle = await itemRect(page, 'sidebar-toggle');
  await page.touchscreen.tap(toggle.x + toggle.w / 2, toggle.y + toggle.h / 2);
  await until(async () => (await page.evaluate(() => window.chatClient.debug.info().view.sidebarOpen)),
              { what: 'the drawer open' });
  for (const id of ['new-chat', 'search', 'show-archived', 'theme', `session:${session}`, `session-menu:${session}`]) await check(id);
  t.step(`checked ${checked.length} targets`);

  // The accessible twins (web/library_a11y.js) lie over the drawn controls: every button among
  // them is finger-sized too (whatever the view registers, including Copy per message).
  const twins = await page.evaluate(() => [...document.querySelectorAll('#chat-a11y button')].map((b) => {
    const r = b.getBoundingClientRect();
    return { name: b.getAttribute('aria-label') || b.textContent, w: r.width, h: r.height };
  }).filter((b) => b.w > 0 && b.h > 0));
  t.step(`twins: ${twins.map((b) => `${b.name} ${b.w.toFixed(0)}x${b.h.toFixed(0)}`).join(', ')}`);
  assert(twins.length >= 5, `the accessible twins are there (${twins.length})`);
  const small = twins.filter((b) => b.w < MIN - 0.5 || b.h < MIN - 0.5);
  assert(small.length === 0, `every accessible button is at least ${MIN} x ${MIN} px: ${JSON.stringify(small)}`);
}
