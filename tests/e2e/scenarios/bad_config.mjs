// 9. Bad configuration. A wrong token shows a clear "unauthorized" state and the client stops
// retrying (WebSocket attempts counted at the proxy). An unreachable gateway shows
// "disconnected" with a countdown to the next attempt and a growing attempt count.
import { assert } from '../lib/harness.mjs';
import { clientUrl, isUnauthorized, newSessionId, statusOf, waitForClient, waitSnap }
  from '../lib/client.mjs';
import { deadPort } from '../lib/host_server.mjs';
import { pause } from '../lib/wait.mjs';

export const description = 'wrong token: unauthorized, no retry loop; unreachable: countdown';
export const timeoutMs = 90000;

export async function run(t) {
  const { base, proxy } = await t.stack();
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
