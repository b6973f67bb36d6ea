// 14. Every script: "héllo 日本語 😀 العربية עברית 👍🏽" and Markdown (links, italic, a table,
// highlighted code) render with no replacement character. What the text system resolved is
// checked through the debug API: the pieces the atlas lacks were drawn as browser runs (their
// texts are recorded), ImGui drew no fallback glyph, and the colour emoji left colour on screen.
import { assert, assertEq } from '../lib/harness.mjs';
import { clientUrl, newSessionId, openClient, waitForReplyTo } from '../lib/client.mjs';
import { decodePng } from '../lib/png.mjs';

export const description = 'mixed scripts and emoji render, drawn by the browser, no replacement character';
export const timeoutMs = 60000;

const MIXED = 'héllo 日本語 😀 العربية עברית 👍🏽';

export async function run(t) {
  const { base, token } = await t.stack();
  const browser = await t.browser({ viewport: { width: 900, height: 700 } });
  const page = await t.page(browser);
  await openClient(page, clientUrl(base, { token, session: newSessionId() }));

  await page.evaluate((x) => window.chatClient.send(x), MIXED);
  await waitForReplyTo(page, MIXED);
  await page.waitForTimeout(300);

  const dbg = await page.evaluate(() => window.chatClient.debug.info());
  t.step(`text: ${JSON.stringify(dbg.text)}`);
  assert(dbg.text && dbg.text.browserRuns > 0, 'the browser drew the runs the atlas lacks');
  assertEq(dbg.text.missingGlyphsDrawn, 0, 'ImGui drew no fallback glyph');
  // The per-frame raster budget (src/ui/raster_budget.h): never more than 24 new runs a frame.
  assert(dbg.text.rasterizedRuns > 0 && dbg.text.mostRasterizedInAFrame <= 24,
         `new runs are rasterized within the frame budget (${dbg.text.mostRasterizedInAFrame} at most in a frame)`);
  const texts = await page.evaluate(() => (window.chatTextDebug ? window.chatTextDebug.texts : []));
  t.step(`runs: ${JSON.stringify(texts)}`);
  for (const piece of ['日本語', '😀', 'العربية', 'עברית', '👍🏽']) {
    assert(texts.some((x) => x.includes(piece)), `"${piece}" was drawn by the browser`);
  }
  assert(texts.every((x) => !x.includes('\uFFFD')), 'no replacement character was drawn');

  // Greek and Cyrillic are not in the embedded font subsets (a smaller first load): the browser
  // draws them like the scripts above.
  const EUROPEAN = 'Привет, κόσμε';
  await page.evaluate((x) => window.chatClient.send(x), EUROPEAN);
  await waitForReplyTo(page, EUROPEAN);
  await page.waitForTimeout(300);
  const more = await page.evaluate(() => (window.chatTextDebug ? window.chatTextDebug.texts : []));
  for (const piece of ['Привет', 'κόσμε']) {
    assert(more.some((x) => x.includes(piece)), `"${piece}" was drawn by the browser`);
  }
  assert(more.every((x) => !x.includes('\uFFFD')), 'no replacement character was drawn');
  assertEq((await page.evaluate(() => window.chatClient.debug.info())).text.missingGlyphsDrawn, 0,
           'ImGui drew no fallback glyph for Greek or Cyrillic');
  // The browser resolved a font for every cluster: none measures as the empty box (tofu)
  // would, i.e. all have a width and the emoji measure as one glyph, not two.
  const widths = await page.evaluate(() => {
    const c = document.createElement('canvas').getContext('2d');
    c.font = '15px ChatEmoji, "DejaVu Sans", sans-serif';
    const seg = new Intl.Segmenter(undefined, { granularity: 'grapheme' });
    return [...seg.segment('日本語😀👍🏽العربيةעברית')].map((s) => [s.segment, c.measureText(s.segment).width]);
  });
  t.step(`cluster widths: ${JSON.stringify(widths)}`);
  assert(widths.every(([, w]) => w > 2), 'every cluster has a glyph with a width');

  // Colour emoji: saturated yellow pixels (😀, 👍🏽's skin tone is darker) in the user bubble.
  const img = decodePng(await page.screenshot());
  let yellow = 0;
  for (let i = 0; i + 2 < img.px.length; i += img.bpp) {
    const [r, g, b] = [img.px[i], img.px[i + 1], img.px[i + 2]];
    if (r > 200 && g > 150 && b < 90) yellow++;
  }
  t.step(`yellow pixels: ${yellow}`);
  assert(yellow > 20, 'the emoji are drawn in colour');
  await t.screenshot(page, 'mixed');
}
