// 13. A real agent: the page chats through the gateway with an OpenAI-compatible upstream (the
// test suite's fake server, tests/integration/fake_upstream.h): a streamed reply with its
// reasoning in a "Thinking" block (opened, closed); a model picked in the header (used by the
// next turn, kept over a reload); a real
// `shell` call that runs `echo` in a temporary workspace, approved by a click on the canvas,
// with its output shown; then a long reply cancelled with Esc (stopReason cancelled).
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { assert, assertEq } from '../lib/harness.mjs';
import { onCleanup, trackChild } from '../lib/cleanup.mjs';
import { REPO_ROOT } from '../lib/env.mjs';
import { clickItem, clientUrl, focusComposer, newSessionId, openClient, streamingOf,
         streamingText, waitForReplyTo, waitSnap } from '../lib/client.mjs';
import { checkTranscript } from '../lib/transcript.mjs';
import { sessionEvents } from '../lib/gateway.mjs';

export const description = 'chat, an approved real shell call and a cancel through an OpenAI-compatible upstream';
export const timeoutMs = 120000;

async function startFakeUpstream() {
  const bin = process.env.CHAT_FAKE_UPSTREAM ||
              path.join(REPO_ROOT, 'build/native/tests/integration/fake-openai-upstream');
  if (!fs.existsSync(bin)) throw new Error(`${bin} is not built (cmake --build build/native --target fake-openai-upstream)`);
  const child = trackChild(spawn(bin, [], { stdio: ['ignore', 'pipe', 'inherit'] }));
  onCleanup(async () => { child.kill('SIGTERM'); });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the fake upstream did not start')), 10000);
    let buf = '';
    child.stdout.on('data', (chunk) => {
      buf += chunk.toString();
      const m = /listening on (http:\/\/\S+)/.exec(buf);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    });
  });
}

async function type(page, text) {
  await focusComposer(page);
  await page.keyboard.type(text);
  await page.keyboard.press('Enter');
}

export async function run(t) {
  const workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'chat-e2e-ws-'));
  onCleanup(async () => fs.rmSync(workspace, { recursive: true, force: true }));
  const upstream = await startFakeUpstream();
  t.step(`fake upstream ${upstream}, workspace ${workspace}`);
  const { base, token, gateway } = await t.stack({
    extraArgs: ['--upstream', `${upstream}/v1`, '--model', 'fake-model', '--workspace', workspace,
                '--allow-shell'],
  });
  const browser = await t.browser();
  const page = await t.page(browser);
  const session = newSessionId();
  await openClient(page, clientUrl(base, { token, session }));

  // A streamed reply from the model.
  await type(page, 'hello model');
  const { reply } = await waitForReplyTo(page, 'hello model');
  assertEq(reply.content, 'You said: hello model. I have seen 1 messages.', 'the model\'s reply');
  t.step('streamed reply shown');

  // Its reasoning is a "Thinking" block above it: collapsed, opened and closed by clicks.
  assertEq(reply.reasoning, 'The user said something; answer it.', 'the reasoning is kept apart');
  assertEq(reply.reasoningOpen, false, 'the Thinking block starts collapsed');
  await clickItem(page, `thinking:${reply.id}`);
  await waitSnap(page, (s) => s.messages.some((m) => m.id === reply.id && m.reasoningOpen === true),
                 'the Thinking block to open');
  await clickItem(page, `thinking:${reply.id}`);
  await waitSnap(page, (s) => s.messages.some((m) => m.id === reply.id && m.reasoningOpen === false),
                 'the Thinking block to close again');
  t.step('Thinking block opened and closed by clicks');

  // The model picker: the upstream's models, a pick that the next turn uses and a reload keeps.
  await waitSnap(page, (s) => (s.models ?? []).includes('fake-reasoner'), 'the model list');
  await clickItem(page, 'model-picker');
  await clickItem(page, 'model-option:fake-reasoner');
  await waitSnap(page, (s) => s.sessionModel === 'fake-reasoner', 'the picked model');
  await type(page, 'which model');
  await waitForReplyTo(page, 'which model');
  const picked = (await sessionEvents(gateway, session)).filter((e) => e.type === 'chat.stream.start');
  assertEq(picked[picked.length - 1].model, 'fake-reasoner', 'the turn ran with the picked model');
  await page.reload({ waitUntil: 'load' });
  await waitSnap(page, (s) => s.sessionModel === 'fake-reasoner' && (s.messages ?? []).length >= 4,
                 'the pick and the transcript after a reload');
  const reloaded = (await waitForReplyTo(page, 'hello model')).reply;
  assertEq(reloaded.reasoning, 'The user said something; answer it.', 'the reasoning is replayed');
  t.step('model picked, used, and kept over a reload');

  // A real shell call, approved with a click.
  await type(page, 'shell: echo e2e-from-shell > out.txt; cat out.txt');
  const asked = await waitSnap(page, (s) => (s.approvals ?? []).some((a) => /pending/i.test(a.status)),
                               'the shell approval card');
  const card = asked.approvals.find((a) => /pending/i.test(a.status));
  assertEq(card.toolName, 'shell', 'the approval is for shell');
  await clickItem(page, `approve:${card.toolCallId}`);
  t.step('clicked Approve');
  const done = await waitSnap(page, (s) => (s.toolCalls ?? []).some((c) => c.toolCallId === card.toolCallId &&
                                                                           /complete/i.test(c.status)),
                              'the shell call to complete');
  const tool = done.toolCalls.find((c) => c.toolCallId === card.toolCallId);
  assert(String(tool.output).includes('e2e-from-shell'), `the tool's output is shown: ${JSON.stringify(tool)}`);
  assertEq(fs.readFileSync(path.join(workspace, 'out.txt'), 'utf8'), 'e2e-from-shell\n',
           'the command ran in the workspace');
  const shellReply = await waitForReplyTo(page, 'shell: echo e2e-from-shell > out.txt; cat out.txt');
  assert(shellReply.reply.content.includes('e2e-from-shell'), 'the model answered with the result');
  t.step('shell output shown and the model answered');

  // A long reply, cancelled with Esc while it streams.
  await type(page, 'long 3000');
  await waitSnap(page, (s) => streamingOf(s) && streamingText(s).length > 10, 'the long reply to stream');
  await focusComposer(page);
  await page.keyboard.press('Escape');
  t.step('pressed Esc');
  await waitSnap(page, (s) => !streamingOf(s), 'the stream to stop', 10000);
  const events = await sessionEvents(gateway, session);
  const ends = events.filter((e) => e.type === 'chat.stream.end');
  assertEq(ends.length, 4, 'four turns ended');
  assertEq(ends[3].stopReason, 'cancelled', 'the long reply was cancelled');
  const words = events.filter((e) => e.type === 'chat.stream.delta' && e.requestId === ends[3].requestId).length;
  assert(words < 3000, `the cancel stopped the stream early (${words} deltas)`);
  await checkTranscript(page, gateway, session);
}
