// 26. Scale-out (issue 15): two gateway nodes on one private redis-server behind a round-robin
// TCP proxy (no sticky sessions). The page chats through the proxy; the node its WebSocket is
// on is SIGKILLed between turns while the user types; the page reconnects through the proxy
// to the other node and keeps chatting. A fresh node joins and the page's node is killed once
// more, this time in the middle of a streamed reply it runs: the node left closes that turn
// (turn leases: stopReason "error" within twice the lease), the page shows it ended and chats
// on. No message is lost or shown twice: the page's transcript equals the log, every user
// message in it once.
import crypto from 'node:crypto';
import path from 'node:path';
import { assert, assertEq } from '../lib/harness.mjs';
import { clickItem, clientUrl, focusComposer, newSessionId, openClient, statusOf, streamingOf, streamingText,
         userAndAssistant, waitForHealth, waitForReplyTo, waitSnap } from '../lib/client.mjs';
import { clientDist, gatewayBinary } from '../lib/env.mjs';
import { sessionEvents, startGateway } from '../lib/gateway.mjs';
import { startRedis } from '../lib/redis_server.mjs';
import { startRoundRobinProxy } from '../lib/round_robin_proxy.mjs';
import { checkTranscript } from '../lib/transcript.mjs';
import { until } from '../lib/wait.mjs';

export const description = 'two nodes on Redis behind a round-robin proxy: the page\'s node is killed, it chats on';
export const timeoutMs = 150000;

const LEASE_MS = 2000;  // a turn of a dead node is closed within 2 x this

export async function run(t) {
  const redis = await startRedis({ logFile: path.join(t.out, `${t.name}.redis.log`) });
  const proxy = await startRoundRobinProxy();
  const token = crypto.randomBytes(16).toString('hex');
  const nodes = new Map();  // port -> gateway, the nodes alive
  // The proxy keeps every node it was given, dead ones too (a balancer without active health
  // checks): a connection to a killed node is refused and goes to the next one.
  const everyPort = [];
  const startNode = async (name) => {
    const node = await startGateway({
      binary: gatewayBinary(), dist: clientDist(), token, demoDelayMs: 20,
      allowOrigins: [proxy.origin],
      extraArgs: ['--redis', redis.url, '--node-id', name, '--lease-ms', String(LEASE_MS)],
      logFile: path.join(t.out, `${t.name}.gateway-${name}.log`),
    });
    nodes.set(node.port, Object.assign(node, { name }));
    everyPort.push(node.port);
    proxy.setUpstreams(everyPort);
    t.step(`node ${name} on port ${node.port}; the proxy rotates over ${proxy.upstreams.join(', ')}`);
    return node;
  };
  await startNode('A');
  await startNode('B');

  const browser = await t.browser();
  const page = await t.page(browser);
  const session = newSessionId();
  await openClient(page, clientUrl(proxy.origin, { token, session }));

  // The node the page's WebSocket is on (the proxy knows which connection went where).
  const pageNode = async () => {
    const port = await until(() => {
      const ports = proxy.webSocketPorts().filter((p) => nodes.has(p));
      return ports.length === 1 ? ports[0] : null;
    }, { what: 'the page to have one WebSocket open through the proxy',
         describe: () => JSON.stringify(proxy.webSocketPorts()) });
    return nodes.get(port);
  };
  const type = async (text) => {
    await focusComposer(page);
    await page.keyboard.type(text, { delay: 10 });
    await page.keyboard.press('Enter');
  };
  const sent = [];
  const chat = async (text) => {
    await type(text);
    sent.push(text);
    await waitForReplyTo(page, text, 30000);
  };

  await chat('hello through the proxy');
  const first = await pageNode();
  t.step(`the page is on node ${first.name}`);
  await chat('a second turn on the same node');

  // Between turns: the page's node dies with its sockets open, and the user types at once.
  t.step(`SIGKILL node ${first.name}`);
  await first.kill('SIGKILL');
  nodes.delete(first.port);
  const typedAfterKill = 'typed just after the node died';
  await type(typedAfterKill);
  sent.push(typedAfterKill);
  await waitSnap(page, (s) => userAndAssistant(s).some((m) => m.content === typedAfterKill),
                 'the message typed after the kill to show at once');
  await t.screenshot(page, 'after-kill');
  await waitForReplyTo(page, typedAfterKill, 45000);
  await waitForHealth(page, 'full', 30000);
  const second = await pageNode();
  assert(second !== first, 'the page reconnected to the other node');
  t.step(`the page reconnected to node ${second.name} (status ${JSON.stringify(statusOf(await waitForHealth(page, 'full')).health)})`);
  await chat('still chatting on the other node');
  await t.screenshot(page, 'on-the-other-node');

  // A fresh node joins; the page's node dies again, in the middle of a reply it streams.
  await startNode('C');
  const ask = '/long 150';
  await type(ask);
  sent.push(ask);
  const mid = await waitSnap(page, (s) => streamingText(s).split(/\s+/).filter(Boolean).length >= 5,
                             'the long reply to be streaming (5 words in)');
  t.step(`streaming: "${streamingText(mid).slice(0, 50)}..."; SIGKILL node ${second.name}`);
  await second.kill('SIGKILL');
  nodes.delete(second.port);
  const killedAt = Date.now();
  await t.screenshot(page, 'mid-turn-kill');
  const closed = await waitSnap(page, (s) => {
    const msgs = userAndAssistant(s);
    const i = msgs.findIndex((m) => m.role === 'user' && m.content === ask);
    const reply = i >= 0 ? msgs.slice(i + 1).find((m) => m.role === 'assistant') : null;
    return reply && reply.stopReason && !streamingOf(s);
  }, 'the reply cut by the kill to be closed on the page', 30000);
  const cut = userAndAssistant(closed).find((m) => m.role === 'assistant' && m.stopReason && m.stopReason !== 'end');
  assert(cut, `the cut reply ended with an error, not "end": ${JSON.stringify(userAndAssistant(closed).slice(-2))}`);
  assertEq(cut.stopReason, 'error', 'the cut reply\'s stopReason');
  t.step(`the turn was closed (stopReason ${cut.stopReason}) and shown ${Date.now() - killedAt} ms after the kill ` +
         `(lease ${LEASE_MS} ms; the page also had to reconnect)`);
  // The guarantee is 2 x lease on the gateway side; the page adds its reconnect (or a poll).
  assert(Date.now() - killedAt < 2 * LEASE_MS + 4000, 'the cut turn closed on the page within 2 x lease + 4 s');
  await t.screenshot(page, 'turn-closed');
  // The user retries the cut reply (the Retry button under it): the node left runs it whole.
  await clickItem(page, 'regenerate');
  const retried = await waitSnap(page, (s) => {
    const msgs = userAndAssistant(s);
    const last = msgs[msgs.length - 1];
    const before = msgs[msgs.length - 2];
    return !streamingOf(s) && last.role === 'assistant' && last.stopReason === 'end' &&
           before.role === 'assistant' && before.id === cut.id && before.stopReason === 'error';
  }, 'the retried reply to complete after the cut one', 30000);
  assertEq(userAndAssistant(retried).slice(-1)[0].content.split(/\s+/).filter(Boolean).length, 150,
           'the retried reply has every word');
  await chat('and on the node that joined later');
  const third = await pageNode();
  assertEq(third.name, 'C', 'the page is on the only node left');

  // Nothing lost, nothing doubled: the page shows the log, read from the node that is left;
  // every message the user typed is in it exactly once.
  const log = await checkTranscript(page, third, session);
  for (const text of sent) {
    assertEq(log.filter((m) => m.role === 'user' && m.content === text).length, 1, `"${text}" in the log once`);
  }
  assertEq(log.length, 2 * sent.length + 1, 'a reply to every message, two to the cut one');
  const events = await sessionEvents(third, session);
  const ends = events.filter((e) => e.type === 'chat.stream.end');
  assertEq(ends.length, sent.length + 1, 'one end per turn (the retry is a turn)');
  assertEq(ends.filter((e) => e.stopReason !== 'end').map((e) => e.stopReason).join(), 'error',
           'only the turn cut by the kill ended otherwise, with "error"');
  t.step(`${sent.length} messages, ${events.length} events; connections per node: ` +
         JSON.stringify(Object.fromEntries(proxy.stats.perPort)) + `, refused and skipped: ${proxy.stats.skipped}`);
  assert(page && !page.isClosed(), 'the page is still open');
}
