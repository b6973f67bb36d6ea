// 8. Embedding: a host page on a second origin (allowed with --embed-origin) frames the client
// and talks to it over postMessage: it receives ready, status, message and approval events and
// its send/approve requests work. A page on an origin not in the allowlist cannot frame the
// client (CSP frame-ancestors), and postMessages from anyone but the allowed parent are ignored.
import { assert, assertEq } from '../lib/harness.mjs';
import { clientUrl, newSessionId, waitForClient, waitForHealth, waitForReplyTo } from '../lib/client.mjs';
import { sessionEvents } from '../lib/gateway.mjs';
import { startHostServer } from '../lib/host_server.mjs';
import { checkTranscript } from '../lib/transcript.mjs';
import { pause, until } from '../lib/wait.mjs';

export const description = 'iframe embedding over postMessage; other origins cannot frame or talk';
export const timeoutMs = 90000;

function hostPage(clientSrc, clientOrigin, extra = '') {
  return `<!doctype html><meta charset="utf-8"><title>host</title>
<h1 style="font:16px sans-serif">Host page</h1>
<iframe id="chat" src="${clientSrc}" style="width:460px;height:600px;border:1px solid #888"></iframe>
${extra}
<script>
  const CLIENT_ORIGIN = ${JSON.stringify(clientOrigin)};
  window.received = [];
  window.addEventListener('message', (e) => {
    if (e.origin !== CLIENT_ORIGIN || !e.data || e.data.source !== 'chat-client') return;
    window.received.push(e.data);
  });
  window.hostPost = (msg) =>
    document.getElementById('chat').contentWindow.postMessage(msg, CLIENT_ORIGIN);
</script>`;
}

// Served from the other (not allowed) origin, framed next to the client inside the allowed host:
// it tries to drive the client by posting to its sibling frame.
const SIBLING_PAGE = `<!doctype html><script>
  window.attack = (text) => parent.frames[0].postMessage({source:'chat-host', v:1, type:'send', text}, '*');
</script>`;

export async function run(t) {
  const allowed = await startHostServer({});
  const other = await startHostServer({});
  const { base, token, gateway } = await t.stack({ demoDelayMs: 20, embedOrigins: [allowed.origin] });
  const session = newSessionId();
  const blockedSession = newSessionId();

  allowed.setPage('/host', hostPage(
      clientUrl(base, { token, session, parentOrigin: allowed.origin }), base,
      `<iframe id="sibling" src="${other.origin}/sibling" style="width:40px;height:40px"></iframe>`));
  other.setPage('/sibling', SIBLING_PAGE);
  other.setPage('/host', hostPage(clientUrl(base, { token, session: blockedSession, parentOrigin: other.origin }), base));

  const browser = await t.browser({ viewport: { width: 1000, height: 720 } });

  // --- allowed origin ---
  const page = await t.page(browser, 'main');
  t.step(`host page on ${allowed.origin}`);
  await page.goto(`${allowed.origin}/host`);
  const frame = await until(() => page.frames().find((f) => f.url().startsWith(base)),
                            { what: 'the client iframe' });
  await waitForClient(frame);
  await waitForHealth(frame, 'full', 30000);
  const received = () => page.evaluate(() => window.received);
  const events = await until(async () => {
    const r = await received();
    return r.some((m) => m.type === 'ready') && r.some((m) => m.type === 'status') ? r : null;
  }, { what: 'ready and status events at the host', describe: received });
  assert(events.every((m) => m.v === 1), 'every event carries v:1');

  t.step('host sends a message over postMessage');
  const text = 'hello from the host page';
  await page.evaluate((x) => window.hostPost({ source: 'chat-host', v: 1, type: 'send', text: x }), text);
  await waitForReplyTo(frame, text);
  const msgs = await until(async () => {
    const r = (await received()).filter((m) => m.type === 'message');
    return r.some((m) => m.role === 'user' && m.content === text) && r.some((m) => m.role === 'assistant') ? r : null;
  }, { what: 'message events for the user message and the reply', describe: received });
  for (const m of msgs) {
    assertEq(m.sessionId, session, 'message events carry the session id');
    assert(typeof m.id === 'string' && m.id.length > 0, 'message events carry the message id');
  }
  assertEq(msgs.filter((m) => m.role === 'user' && m.content === text).length, 1, 'the user message is announced once');
  const reply = msgs.find((m) => m.role === 'assistant');
  assert(reply.content.includes(text), 'the announced reply is the complete reply');

  t.step('host approves a tool over postMessage');
  await page.evaluate(() => window.hostPost({ source: 'chat-host', v: 1, type: 'send', text: '/tool shell ls' }));
  const approvalEvt = await until(async () => (await received()).find((m) => m.type === 'approval' && m.toolCallId),
                                  { what: 'an approval event at the host', describe: received });
  await page.evaluate((id) => window.hostPost({ source: 'chat-host', v: 1, type: 'approve', toolCallId: id,
                                                approved: true, sessionApprove: false }),
                      approvalEvt.toolCallId);
  await waitForReplyTo(frame, '/tool shell ls');
  const resolved = (await sessionEvents(gateway, session)).filter((e) => e.type === 'tool.approval.resolved');
  assert(resolved.length === 1 && resolved[0].approved === true, 'the host\'s approval reached the gateway');

  t.step('messages from a sibling frame of another origin, or malformed, are ignored');
  const sibling = page.frames().find((f) => f.url().startsWith(other.origin));
  assert(sibling, 'the sibling frame loaded');
  await sibling.evaluate(() => window.attack('sent by a foreign frame'));
  await page.evaluate(() => {
    window.hostPost({ source: 'not-chat-host', v: 1, type: 'send', text: 'wrong source field' });
    window.hostPost({ source: 'chat-host', v: 1, type: 'send' });
    window.hostPost('not even an object');
  });
  const marker = 'sent after the ignored ones';
  await page.evaluate((x) => window.hostPost({ source: 'chat-host', v: 1, type: 'send', text: x }), marker);
  await waitForReplyTo(frame, marker);
  const contents = (await sessionEvents(gateway, session)).filter((e) => e.type === 'chat.message').map((e) => e.content);
  assertEq(JSON.stringify(contents), JSON.stringify([text, '/tool shell ls', marker]),
           'only the allowed parent\'s well-formed sends reached the gateway');
  await checkTranscript(frame, gateway, session, 'embedded client');

  // --- origin not in the allowlist ---
  const blocked = await t.page(browser, 'blocked');
  const cspErrors = [];
  blocked.on('console', (m) => { if (/frame-ancestors|refused to frame/i.test(m.text())) cspErrors.push(m.text()); });
  t.step(`host page on ${other.origin} (not allowed)`);
  await blocked.goto(`${other.origin}/host`);
  await until(() => cspErrors.length > 0 ||
                    blocked.frames().some((f) => f !== blocked.mainFrame() && f.url().startsWith('chrome-error:')),
              { what: 'the browser to refuse framing the client (CSP frame-ancestors)', timeoutMs: 15000 });
  const child = blocked.frames().find((f) => f !== blocked.mainFrame());
  const hasClient = child ? await child.evaluate(() => !!window.chatClient).catch(() => false) : false;
  assert(!hasClient, 'the client did not load inside the non-allowed host');
  await blocked.evaluate(() => window.hostPost({ source: 'chat-host', v: 1, type: 'send', text: 'from a blocked host' }));
  await pause(1500);  // give a (wrongly) loaded client the time to act on it
  assertEq((await blocked.evaluate(() => window.received)).length, 0, 'the non-allowed host received no events');
  assertEq((await sessionEvents(gateway, blockedSession)).length, 0, 'nothing reached the gateway from the non-allowed host');
}
