// Waiting on conditions, never on fixed sleeps where a condition exists: poll until the check
// returns a truthy value, and on timeout say what was awaited and what was last seen.

export async function until(check, { what, timeoutMs = 15000, intervalMs = 100, describe } = {}) {
  const deadline = Date.now() + timeoutMs;
  let last;
  let lastError;
  for (;;) {
    try {
      last = await check();
      lastError = undefined;
      if (last) return last;
    } catch (e) {
      lastError = e;  // e.g. a page navigating: its context is gone for a moment
    }
    if (Date.now() >= deadline) {
      let seen = '';
      try {
        seen = describe ? await describe() : JSON.stringify(last);
      } catch (e) {
        seen = `(could not describe: ${e.message})`;
      }
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}` +
                      (lastError ? `; last error: ${lastError.message}` : '') +
                      `; last seen: ${String(seen).slice(0, 3000)}`);
    }
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

// A measured pause for the few checks that are about time itself (e.g. "does not retry for
// 5 s", "the network stays down for 10 s").
export function pause(ms) {
  return new Promise((r) => setTimeout(r, ms));
}
