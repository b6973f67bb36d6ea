// 18. Selectable text: the transparent DOM text layer over the messages has one element per
// visual line, placed where the canvas draws it; a mouse drag over two lines of a reply selects
// exactly their text (Markdown markers not included), Ctrl+C puts it on the clipboard; the
// layer follows scrolling and is left alone while the page is idle.
import { assert, assertEq } from '../lib/harness.mjs';
import { clientUrl, newSessionId, openClient, waitForReplyTo } from '../lib/client.mjs';
import { until } from '../lib/wait.mjs';

export const description = 'mouse drag over two lines of a reply copies exactly their text';
export const timeoutMs = 60000;

const layerLines = (page) => page.$$eval('#chat-text-layer span', (els) => els.map((e) => {
  const r = e.getBoundingClientRect();
  return { text: e.textContent, x: r.x, y: r.y, w: r.width, h: r.height };
}));

export async function run(t) {
  const { base, token } = await t.stack();
  const browser = await t.browser({ viewport: { width: 700, height: 700 }, permissions: ['clipboard-read', 'clipboard-write'] });
  const page = await t.page(browser);
  await openClient(page, clientUrl(base, { token, session: newSessionId() }));

  const text = 'please **quote** this long sentence about selecting text on a canvas';
  await page.evaluate((x) => window.chatClient.send(x), text);
  await waitForReplyTo(page, text);
  await page.waitForTimeout(300);

  const lines = await until(async () => {
    const l = await layerLines(page);
    return l.some((x) => x.text.startsWith('You said')) ? l : null;
  }, { what: 'the reply in the text layer' });
  t.step(`layer: ${JSON.stringify(lines)}`);
  const i = lines.findIndex((x) => x.text.startsWith('You said'));
  const [a, b] = [lines[i], lines[i + 1]];
  assert(a && b && b.y > a.y, 'the reply has two visual lines in the layer');
  assert(!a.text.includes('**'), 'the layer holds the text shown, without Markdown markers');

  await page.mouse.move(a.x + 0.5, a.y + a.h / 2);
  await page.mouse.down();
  await page.mouse.move(a.x + a.w / 2, a.y + a.h / 2, { steps: 4 });
  await page.mouse.move(b.x + b.w - 0.5, b.y + b.h / 2, { steps: 6 });
  await page.mouse.up();
  const selected = await page.evaluate(() => window.getSelection().toString());
  t.step(`selected: ${JSON.stringify(selected)}`);
  assertEq(selected, `${a.text}\n${b.text}`, 'the selection is exactly the two lines');
  await page.keyboard.press('Control+C');
  const clip = await until(async () => {
    const c = await page.evaluate(() => navigator.clipboard.readText());
    return c ? c : null;
  }, { what: 'the clipboard to have the copy' });
  assertEq(clip, `${a.text}\n${b.text}`, 'Ctrl+C copied exactly the two lines');
  await t.screenshot(page, 'selected');

  // Idle: no layer updates while nothing changes.
  const s0 = await page.evaluate(() => window.chatClient.debug.info().textLayer);
  await page.waitForTimeout(1500);
  const s1 = await page.evaluate(() => window.chatClient.debug.info().textLayer);
  t.step(`layer stats ${JSON.stringify(s0)} -> ${JSON.stringify(s1)}`);
  assertEq(s1.replaces + s1.shifts, s0.replaces + s0.shifts, 'the idle page does not touch the layer');
}
