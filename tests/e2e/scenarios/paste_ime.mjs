// 11. Paste (the real clipboard, Ctrl+V) and IME composition (Chromium's own IME path through
// the DevTools protocol: compositionstart/update/end with CJK text) into the composer reach the
// sent message unchanged.
import { assertEq } from '../lib/harness.mjs';
import { clientUrl, composerValue, focusComposer, newSessionId, openClient, userAndAssistant,
         waitForReplyTo, snapshot } from '../lib/client.mjs';
import { checkTranscript } from '../lib/transcript.mjs';
import { until } from '../lib/wait.mjs';

export const description = 'clipboard paste and IME composition reach the sent message';
export const timeoutMs = 60000;

export async function run(t) {
  const { base, token, gateway } = await t.stack();
  const browser = await t.browser({ permissions: ['clipboard-read', 'clipboard-write'] });
  const page = await t.page(browser);
  const session = newSessionId();
  await openClient(page, clientUrl(base, { token, session }));

  t.step('paste from the clipboard');
  const pasted = 'pasted: https://example.com/x?y=1 ünïcødé 😀\nsecond line';
  await page.evaluate((x) => navigator.clipboard.writeText(x), pasted);
  await focusComposer(page);
  await page.keyboard.press('Control+V');
  await until(async () => (await composerValue(page)) === pasted,
              { what: 'the pasted text in the composer', describe: () => composerValue(page) });
  await page.keyboard.press('Enter');
  await waitForReplyTo(page, pasted);

  t.step('IME composition (pinyin to Chinese, then Japanese)');
  const cdp = await browser.newCDPSession(page);
  await focusComposer(page);
  await page.keyboard.type('IME: ');
  await cdp.send('Input.imeSetComposition', { text: 'n', selectionStart: 1, selectionEnd: 1 });
  await cdp.send('Input.imeSetComposition', { text: 'ni', selectionStart: 2, selectionEnd: 2 });
  await cdp.send('Input.imeSetComposition', { text: 'nihao', selectionStart: 5, selectionEnd: 5 });
  await cdp.send('Input.imeSetComposition', { text: '你好', selectionStart: 2, selectionEnd: 2 });
  await cdp.send('Input.insertText', { text: '你好' });
  await page.keyboard.type(' / ');
  await cdp.send('Input.imeSetComposition', { text: 'にほんご', selectionStart: 4, selectionEnd: 4 });
  await cdp.send('Input.imeSetComposition', { text: '日本語', selectionStart: 3, selectionEnd: 3 });
  await cdp.send('Input.insertText', { text: '日本語' });
  const composed = 'IME: 你好 / 日本語';
  await until(async () => (await composerValue(page)) === composed,
              { what: 'the composed text in the composer', describe: () => composerValue(page) });
  const before = userAndAssistant(await snapshot(page)).length;
  await page.keyboard.press('Enter');
  await waitForReplyTo(page, composed);
  assertEq(userAndAssistant(await snapshot(page)).length, before + 2, 'one message and one reply');

  await checkTranscript(page, gateway, session);
}
