// 10. High-DPI (deviceScaleFactor 2) in a 360x640 viewport: the canvas backing store is the
// viewport times the pixel ratio (crisp, not upscaled), the narrow layout collapses the sidebar,
// the composer and the drawn areas do not overlap, and the page renders (screenshot).
import { assert, assertEq } from '../lib/harness.mjs';
import { canvasInfo, clientUrl, itemRect, newSessionId, openClient, waitForReplyTo }
  from '../lib/client.mjs';
import { decodePng, distinctColours } from '../lib/png.mjs';
import { until } from '../lib/wait.mjs';

export const description = 'deviceScaleFactor 2, 360x640: crisp canvas, collapsed sidebar, no overlap';
export const timeoutMs = 60000;

const overlaps = (a, b) => a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
const inside = (a, box) => a.x >= box.x - 1 && a.y >= box.y - 1 &&
                           a.x + a.w <= box.x + box.w + 1 && a.y + a.h <= box.y + box.h + 1;

export async function run(t) {
  const { base, token } = await t.stack();
  const viewport = { width: 360, height: 640 };
  const browser = await t.browser({ viewport, deviceScaleFactor: 2 });
  const page = await t.page(browser);
  await openClient(page, clientUrl(base, { token, session: newSessionId() }));

  // Some content to draw: a long unbreakable token (wraps anywhere) and a code block.
  const longToken = 'https://example.com/' + 'a-very-long-path-segment/'.repeat(6);
  await page.evaluate((x) => window.chatClient.send(x), `check ${longToken} please`);
  await waitForReplyTo(page, `check ${longToken} please`);
  await page.evaluate(() => window.chatClient.send('/markdown'));
  await waitForReplyTo(page, '/markdown');

  const info = await until(async () => {
    const i = await canvasInfo(page);
    return i && i.width === viewport.width * 2 ? i : null;
  }, { what: 'the canvas backing store to be 720 px wide', describe: () => canvasInfo(page).then(JSON.stringify) });
  t.step(`canvas ${JSON.stringify(info)}`);
  assertEq(info.dpr, 2, 'devicePixelRatio');
  assertEq(info.width, viewport.width * 2, 'canvas width = viewport width x DPR');
  assertEq(info.height, viewport.height * 2, 'canvas height = viewport height x DPR');
  assertEq(Math.round(info.rect.w), viewport.width, 'the canvas fills the viewport width');
  assertEq(Math.round(info.rect.h), viewport.height, 'the canvas fills the viewport height');

  const screen = { x: 0, y: 0, w: viewport.width, h: viewport.height };
  const composer = await page.evaluate(() => {
    const r = document.querySelector('textarea')?.getBoundingClientRect();
    return r ? { x: r.x, y: r.y, w: r.width, h: r.height } : null;
  });
  assert(composer && composer.w > 100 && composer.h > 10, `the composer textarea is usable: ${JSON.stringify(composer)}`);
  assert(inside(composer, screen), `the composer is inside the viewport: ${JSON.stringify(composer)}`);
  assert(composer.y > viewport.height / 2, 'the composer sits in the lower part of the page');

  // The narrow layout, through the page's debug hooks: the sidebar is collapsed behind its
  // toggle, and the widgets drawn (toggle, composer, its text area, Send) fit the viewport and
  // do not overlap each other.
  const dbg = await page.evaluate(() => window.chatClient.debug.info());
  t.step(`debug: ${JSON.stringify(dbg)}`);
  assertEq(dbg.view?.sidebarCollapsed, true, 'the sidebar is collapsed at 360 px wide');
  assertEq(dbg.view?.sidebarOpen, false, 'the collapsed sidebar is closed');
  assertEq(dbg.pixelRatio, 2, 'the app renders at pixel ratio 2');
  const widgets = {};
  for (const id of ['sidebar-toggle', 'send', 'composer-text', 'new-chat']) {
    const r = await itemRect(page, id);
    if (r) widgets[id] = r;
  }
  t.step(`widgets: ${JSON.stringify(widgets)}`);
  assert(widgets['sidebar-toggle'], 'the sidebar toggle is drawn');
  assert(widgets.send, 'the Send button is drawn');
  assert(!widgets['new-chat'], 'the sidebar (with New chat) is not drawn while collapsed');
  widgets['composer textarea'] = composer;
  for (const [id, r] of Object.entries(widgets)) {
    assert(inside(r, screen), `${id} fits the viewport: ${JSON.stringify(r)}`);
  }
  const pairs = [['sidebar-toggle', 'send'], ['sidebar-toggle', 'composer textarea'], ['send', 'composer textarea']];
  for (const [a, b] of pairs) {
    assert(!overlaps(widgets[a], widgets[b]), `${a} and ${b} do not overlap`);
  }

  // The screenshot is at device resolution and shows a drawn page.
  const img = decodePng(await page.screenshot());
  assertEq(img.width, viewport.width * 2, 'the screenshot is at device pixels');
  const colours = distinctColours(img, { x: 0, y: 0, w: img.width, h: img.height });
  assert(colours >= 16, `the page is drawn (${colours} colours)`);
}
