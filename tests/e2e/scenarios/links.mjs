// 16. Links: a Markdown link in a reply is drawn as a link (its rectangle reported by the debug
// API), a click opens a new page at its URL (noopener: the new page has no opener), and a
// javascript: link opens nothing and runs nothing.
import { assert, assertEq } from '../lib/harness.mjs';
import { clientUrl, newSessionId, openClient, waitForReplyTo } from '../lib/client.mjs';
import { until } from '../lib/wait.mjs';

export const description = 'a link click opens a new page at the URL; a javascript: link opens nothing';
export const timeoutMs = 60000;

export async function run(t) {
  const { base, token } = await t.stack();
  const browser = await t.browser({ viewport: { width: 1000, height: 700 } });
  const page = await t.page(browser);
  await openClient(page, clientUrl(base, { token, session: newSessionId() }));

  const target = `${base}/embed.html?from=link`;
  // The demo agent quotes the message; the reply's Markdown has the two links.
  const text = `open [the page](${target}) or [this one](javascript:window.__pwned=1) now`;
  await page.evaluate((x) => window.chatClient.send(x), text);
  await waitForReplyTo(page, text);

  const links = await until(async () => {
    const d = await page.evaluate(() => window.chatClient.debug.info().links);
    return d && d.drawn.length >= 2 ? d.drawn : null;
  }, { what: 'the two links drawn' });
  t.step(`links: ${JSON.stringify(links)}`);
  const good = links.find((l) => l.url === target);
  const bad = links.find((l) => l.url.startsWith('javascript:'));
  assert(good && bad, 'both links are drawn as links');
  const canvas = await page.evaluate(() => {
    const r = document.querySelector('canvas').getBoundingClientRect();
    return { x: r.x, y: r.y };
  });
  const centre = (l) => ({ x: canvas.x + l.x + l.w / 2, y: canvas.y + l.y + l.h / 2 });

  // Hover: the pointer cursor.
  await page.mouse.move(centre(good).x, centre(good).y);
  await until(() => page.evaluate(() => document.querySelector('canvas').style.cursor === 'pointer'),
              { what: 'the pointer cursor over the link' });

  // The javascript: link: nothing opens, nothing runs.
  const pagesBefore = browser.pages().length;
  await page.mouse.click(centre(bad).x, centre(bad).y);
  await page.waitForTimeout(1000);
  assertEq(browser.pages().length, pagesBefore, 'the javascript: link opened no page');
  assertEq(await page.evaluate(() => window.__pwned), undefined, 'the javascript: link ran nothing');
  const afterBad = await page.evaluate(() => window.chatClient.debug.info().links);
  assert(afterBad.refused >= 1, 'the click on it was refused');

  // The http link: a new page at its URL, without an opener.
  const opened = browser.waitForEvent('page', { timeout: 10000 });
  await page.mouse.click(centre(good).x, centre(good).y);
  const popup = await opened;
  await popup.waitForLoadState('domcontentloaded').catch(() => {});
  t.step(`opened ${popup.url()}`);
  assertEq(popup.url(), target, 'the new page is at the link URL');
  assertEq(await popup.evaluate(() => window.opener), null, 'noopener: the new page cannot reach the chat');
  await popup.close();
}
