// 1. The page loads, renders its first frame on the WebGL canvas, window.chatClient is ready and
// connected, and nothing was written to the console as an error.
import { assert } from '../lib/harness.mjs';
import { canvasInfo, clientUrl, newSessionId, openClient, statusOf, snapshot } from '../lib/client.mjs';
import { decodePng, distinctColours } from '../lib/png.mjs';
import { until } from '../lib/wait.mjs';

export const description = 'page loads, first frame rendered, chatClient ready, no console errors';
export const timeoutMs = 60000;

export async function run(t) {
  const { base, token } = await t.stack();
  const browser = await t.browser();
  const page = await t.page(browser);

  // The 'ready' event: subscribe the moment the page assigns window.chatClient, before it can
  // announce readiness.
  await page.addInitScript(() => {
    window.__e2eEvents = [];
    let client;
    Object.defineProperty(window, 'chatClient', {
      configurable: true,
      get: () => client,
      set: (c) => {
        client = c;
        if (c && typeof c.on === 'function') {
          c.on('ready', () => window.__e2eEvents.push('ready'));
          c.on('status', () => window.__e2eEvents.push('status'));
        }
      },
    });
  });

  const session = newSessionId();
  t.step('opening the client');
  await openClient(page, clientUrl(base, { token, session }));
  const snap = await snapshot(page);
  t.step(`connected: ${JSON.stringify(snap.status)}`);
  assert(statusOf(snap).health === 'full', 'status full');
  assert(snap.sessionId === session, `snapshot().sessionId is the ?session= id (${snap.sessionId})`);
  assert(Array.isArray(snap.messages) && snap.messages.length === 0, 'a new session has no messages');

  // ready and status were announced to on() subscribers.
  await until(() => page.evaluate(() => window.__e2eEvents.includes('ready') &&
                                        window.__e2eEvents.includes('status')),
              { what: 'the chatClient "ready" and "status" events',
                describe: () => page.evaluate(() => JSON.stringify(window.__e2eEvents)), timeoutMs: 5000 });

  // The composer has the focus on load: typing starts a message without a click or a Tab.
  await until(() => page.evaluate(() => document.activeElement && document.activeElement.tagName === 'TEXTAREA'),
              { what: 'the composer focused on load',
                describe: () => page.evaluate(() => document.activeElement && document.activeElement.outerHTML.slice(0, 80)),
                timeoutMs: 5000 });

  // First frame: the canvas has a size and the screenshot of it is not blank.
  const info = await canvasInfo(page);
  assert(info && info.width > 0 && info.height > 0, `canvas has a size (${JSON.stringify(info)})`);
  assert(Math.abs(info.width - Math.round(info.rect.w * info.dpr)) <= 1,
         `canvas backing store matches its CSS size x devicePixelRatio (${JSON.stringify(info)})`);
  await until(async () => {
    const img = decodePng(await page.screenshot());
    const n = distinctColours(img, info.rect);
    return n >= 8 ? n : 0;
  }, { what: 'a rendered (non-blank) canvas', timeoutMs: 10000 });

  const errors = t.recorder(page).consoleErrors;
  assert(errors.length === 0, `no console errors, got: ${JSON.stringify(errors)}`);
}
