// 18. The theme switch in the sidebar: Auto -> Light -> Dark, applied at once and remembered
// across a reload (a ?theme= in the URL would still win).
import { assert } from '../lib/harness.mjs';
import { clickItem, clientUrl, newSessionId, openClient } from '../lib/client.mjs';
import { until } from '../lib/wait.mjs';

export const description = 'theme switch: auto -> light -> dark, remembered after a reload';
export const timeoutMs = 60000;

const themeOf = (page) => page.evaluate(() => window.chatClient.debug.info().theme);

export async function run(t) {
  const { base, token } = await t.stack();
  const browser = await t.browser();
  const page = await t.page(browser);
  await openClient(page, clientUrl(base, { token, session: newSessionId() }));
  assert((await themeOf(page)) === 'auto', 'auto by default');

  t.step('clicking the theme switch twice');
  await clickItem(page, 'theme');
  await until(async () => (await themeOf(page)) === 'light', { what: 'theme light', timeoutMs: 5000 });
  await clickItem(page, 'theme');
  await until(async () => (await themeOf(page)) === 'dark', { what: 'theme dark', timeoutMs: 5000 });
  const dark = await page.evaluate(() => document.documentElement.dataset.theme || document.body.className);
  t.step(`page marker after dark: ${dark}`);

  t.step('reloading: the choice is remembered');
  await page.reload();
  await until(() => page.evaluate(() => !!window.chatClient), { what: 'the client after reload', timeoutMs: 30000 });
  await until(async () => (await themeOf(page)) === 'dark', { what: 'theme dark after reload', timeoutMs: 10000 });
}
