// 13. web/embed.html, the example host page: it loads the chat page of the gateway that serves
// it (not a fixed port), and when the client stays silent because postMessage is off for the
// host's origin (not in --embed-origin), the page says so and how to fix it.
import { assert } from '../lib/harness.mjs';
import { until } from '../lib/wait.mjs';

export const description = 'embed.html: defaults to its own origin, explains a silent client';
export const timeoutMs = 60000;

export async function run(t) {
  const { base, token } = await t.stack();  // no --embed-origin: postMessage is off
  const browser = await t.browser();
  const page = await t.page(browser);

  t.step('opening embed.html without ?src=');
  await page.goto(`${base}/embed.html`);
  const src = await page.inputValue('#src');
  assert(src === `${base}/`, `the chat page defaults to the serving origin (${src})`);

  t.step('loading the client with a token; waiting for the explanation');
  await page.fill('#src', `${base}/#token=${token}`);
  await page.click('#load');
  await until(() => page.evaluate(() => !document.getElementById('why').hidden),
              { what: 'the page explaining why the client is silent', timeoutMs: 20000 });
  const why = await page.textContent('#why');
  t.step(`explanation: ${why}`);
  assert(why.includes('--embed-origin'), 'it names the flag that turns postMessage on');
  assert(why.includes(base), 'it names this page\'s origin');
  const events = await page.evaluate(() => window.chatEvents.length);
  assert(events === 0, 'the client really sent nothing');
}
