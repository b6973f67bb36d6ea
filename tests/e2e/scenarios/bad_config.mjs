// 9. Bad configuration. A wrong token shows a clear "unauthorized" state and the client stops
// retrying (WebSocket attempts counted at the proxy). Then the sign-in panel fixes it in the
// page: the focus is in its field, a wrong entry typed with real key presses is refused again,
// the right token + Enter makes the chat live (token kept in localStorage, never in the URL) and
// a message typed in the composer gets its reply. A page with no credentials at all gets the
// panel too, and signs in with the gateway's PIN. An unreachable gateway shows "disconnected"
// with a countdown to the next attempt and a growing attempt count.
import { assert, assertEq } from '../lib/harness.mjs';
import { clientUrl, focusComposer, isUnauthorized, newSessionId, statusOf, waitForClient, waitForHealth,
         waitForReplyTo, waitSnap } from '../lib/client.mjs';
import { deadPort } from '../lib/host_server.mjs';
import { pause, until } from '../lib/wait.mjs';

export const description = 'wrong token: unauthorized, no retry loop, sign in from the page (token, PIN); ' +
  'unreachable: countdown';
export const timeoutMs = 150000;

const PIN = '482916';

// The app's account of the sign-in panel (chatClient.debug.info().signIn) and where the focus is.
function signInState(page) {
  return page.evaluate(() => {
    const info = window.chatClient?.debug?.info();
    return info ? { ...info.signIn, focus: document.activeElement?.id ?? '' } : null;
  });
}

async function waitSignIn(page, pred, what, timeoutMs = 20000) {
  let last = null;
  await until(async () => {
    last = await signInState(page);
    return last && pred(last);
  }, { what, timeoutMs, describe: () => JSON.stringify(last) });
  return last;
}

// Types an entry into the focused sign-in field with real key presses and presses Enter.
async function typeAndSubmit(page, text) {
  await page.keyboard.type(text, { delay: 15 });
  const typed = await page.evaluate(() => document.getElementById('chat-signin')?.value);
  assertEq(typed, text, 'what the sign-in field holds after typing');
  await page.keyboard.press('Enter');
}

// Signed in: live, the panel gone, the token kept in storage and nowhere in the address.
async function expectSignedIn(t, page, token) {
  await waitForHealth(page, 'full', 30000);
  await waitSignIn(page, (s) => !s.visible && !s.fieldShown, 'the sign-in panel to go away', 10000);
  const where = await page.evaluate(() => ({ href: location.href, stored: localStorage.getItem('chat.token') }));
  if (token) assertEq(where.stored, token, 'the token kept for reloads (localStorage chat.token)');
  assert(!/token=|pin=/.test(where.href), `no credential in the address: ${where.href}`);
  if (token) assert(!where.href.includes(token), 'the token is not in the address');
  t.step(`signed in: ${where.href}`);
}

async function sendAndGetReply(t, page, text) {
  await focusComposer(page);
  await page.keyboard.type(text, { delay: 10 });
  await page.keyboard.press('Enter');
  const { reply } = await waitForReplyTo(page, text, 30000);
  t.step(`reply: ${JSON.stringify(String(reply.content).slice(0, 60))}`);
}

export async function run(t) {
  const { base, proxy, token } = await t.stack({ extraArgs: ['--pin', PIN] });
  const browser = await t.browser();

  // --- wrong token ---
  const page = await t.page(browser, 'main');
  const apiCalls = [];
  page.on('request', (r) => { if (r.url().includes('/api/') && !r.url().includes('/api/config')) apiCalls.push(Date.now()); });
  t.step('opening with a wrong token');
  await page.goto(clientUrl(base, { token: 'definitely-not-the-token', session: newSessionId() }));
  await waitForClient(page);
  const unauth = await waitSnap(page, (s) => isUnauthorized(statusOf(s)), 'an "unauthorized" status', 20000);
  t.step(`status: ${JSON.stringify(unauth.status)}`);
  assert(statusOf(unauth).health !== 'full', 'not shown as connected');

  // No retry loop: over the next 6 s neither the socket nor the API is tried again and again.
  const since = Date.now();
  const apiBefore = apiCalls.length;
  await pause(6000);
  const wsRetries = proxy.wsAttemptsSince(since);
  const apiRetries = apiCalls.length - apiBefore;
  t.step(`in 6 s after "unauthorized": ${wsRetries} WebSocket attempts, ${apiRetries} API requests`);
  assert(wsRetries <= 1, `the client does not keep retrying the WebSocket (${wsRetries} attempts in 6 s)`);
  assert(apiRetries <= 2, `the client does not keep calling the API (${apiRetries} requests in 6 s)`);
  const still = statusOf(await waitSnap(page, () => true, 'a snapshot'));
  assert(isUnauthorized(still), `still unauthorized: ${JSON.stringify(still)}`);

  // --- signing in from the page ---
  const panel = await waitSignIn(page, (s) => s.visible && s.fieldShown && s.focus === 'chat-signin',
                                 'the sign-in panel with the keyboard focus in its field');
  t.step(`sign-in panel: ${JSON.stringify(panel)}`);
  assert(panel.error && /did not accept/.test(panel.message), `the panel says the token was refused: ${panel.message}`);
  t.step('typing a wrong token into the panel');
  await typeAndSubmit(page, 'still-not-the-token');
  const refused = await waitSignIn(page, (s) => s.visible && !s.busy && s.error && /not accepted/.test(s.message) &&
                                             s.focus === 'chat-signin',
                                   'the wrong entry refused, the error shown and the focus back in the field');
  t.step(`refused again: ${refused.message}`);
  await t.screenshot(page, 'sign-in-refused');
  assert(isUnauthorized(statusOf(await waitSnap(page, () => true, 'a snapshot'))), 'still unauthorized');
  t.step('typing the right token into the panel');
  await typeAndSubmit(page, token);
  await expectSignedIn(t, page, token);
  await sendAndGetReply(t, page, 'hello after signing in');

  // --- no credentials at all: the panel asks, and the PIN signs in ---
  const bare = await t.page(browser, 'no-credentials');
  await bare.addInitScript(() => localStorage.removeItem('chat.token'));  // what the first page kept
  t.step('opening with no token or PIN');
  await bare.goto(clientUrl(base, { session: newSessionId() }));
  await waitForClient(bare);
  const asks = await waitSignIn(bare, (s) => s.visible && s.fieldShown && s.focus === 'chat-signin',
                                'the sign-in panel for a page without credentials');
  assert(!asks.error && /needs a token or PIN/.test(asks.message), `the panel asks, without an error: ${asks.message}`);
  t.step('typing the PIN into the panel');
  await typeAndSubmit(bare, PIN);
  await expectSignedIn(t, bare, null);
  await sendAndGetReply(t, bare, 'hello with a PIN');
  await t.screenshot(bare, 'no-credentials');
  await bare.close();

  // --- unreachable gateway ---
  const dead = await deadPort();
  const page2 = await t.page(browser, 'unreachable');
  t.step(`opening with the gateway at a dead port ${dead}`);
  await page2.goto(clientUrl(base, { token: 'any', session: newSessionId(),
                                     gateway: `ws://127.0.0.1:${dead}/gateway`,
                                     api: `http://127.0.0.1:${dead}/api` }));
  await waitForClient(page2);
  const first = await waitSnap(page2, (s) => {
    const st = statusOf(s);
    return st.health === 'disconnected' && st.attempt >= 1 && st.nextRetryInMs > 0;
  }, 'status disconnected with an attempt count and a countdown', 20000);
  const st1 = statusOf(first);
  t.step(`status: ${JSON.stringify(first.status)}`);
  assert(!isUnauthorized(st1), 'an unreachable gateway is not reported as unauthorized');
  // Whether snapshot() itself counts down within one wait (informational: the pill computes the
  // countdown from the retry time; the contract is a positive countdown and growing attempts).
  const later = await waitSnap(page2, (s) => {
    const st = statusOf(s);
    return st.attempt === st1.attempt && st.nextRetryInMs < st1.nextRetryInMs;
  }, 'the countdown to decrease', 5000).catch(() => null);
  // ...and the attempts go on, each followed by a new countdown.
  const next = await waitSnap(page2, (s) => {
    const st = statusOf(s);
    return st.health === 'disconnected' && st.attempt > st1.attempt && st.nextRetryInMs > 0;
  }, 'the next attempt with a new countdown', 20000);
  t.step(`then: ${JSON.stringify(next.status)}`);
  t.step(later ? `countdown ran down within attempt ${st1.attempt}: ${statusOf(later).nextRetryInMs} ms`
               : 'snapshot() kept one nextRetryInMs per attempt');
}
