// The transcript check: what the browser shows (snapshot().messages) must equal the gateway's
// event log: every user message and every completed assistant reply exactly once, in order,
// with the reply's text being every delta exactly once.
import { sessionEvents } from './gateway.mjs';
import { snapshot, streamingOf, userAndAssistant } from './client.mjs';

// The transcript the gateway's log describes: user messages (chat.message echoes) and the
// assistant replies that ended (chat.stream.end), each reply the concatenation of its deltas.
export function transcriptFromEvents(events) {
  // A reply's place is where its first delta (or, with no text, its end) was logged: after the
  // turn's tool events and before anything the user typed while it streamed. The client's
  // reducer places it the same way.
  const out = [];
  const replyAt = new Map();  // requestId -> index in out
  let expectSeq = null;
  const reply = (requestId) => {
    if (!replyAt.has(requestId)) {
      replyAt.set(requestId, out.length);
      out.push({ id: requestId, role: 'assistant', content: '', open: true });
    }
    return out[replyAt.get(requestId)];
  };
  for (const e of events) {
    if (expectSeq !== null && e.seq !== expectSeq) {
      throw new Error(`the gateway's log is not contiguous: seq ${e.seq} after ${expectSeq - 1}`);
    }
    expectSeq = e.seq + 1;
    switch (e.type) {
      case 'chat.message':
        out.push({ id: e.messageId, role: e.role || 'user', content: e.content });
        break;
      case 'chat.stream.delta':
        reply(e.requestId).content += e.delta;
        break;
      case 'chat.stream.end': {
        const r = reply(e.requestId);
        r.stopReason = e.stopReason;
        delete r.open;
        break;
      }
      default:
        break;
    }
  }
  return out.filter((m) => !m.open);
}

// Compares the page's transcript with the gateway's; throws with both listings on a mismatch.
// Returns the gateway transcript.
export async function checkTranscript(target, gateway, sessionId, label = 'page') {
  const snap = await snapshot(target);
  if (!snap) throw new Error(`${label}: no window.chatClient`);
  if (snap.sessionId && snap.sessionId !== sessionId) {
    throw new Error(`${label}: shows session ${snap.sessionId}, expected ${sessionId}`);
  }
  if (streamingOf(snap)) throw new Error(`${label}: still streaming during the transcript check`);
  const expected = transcriptFromEvents(await sessionEvents(gateway, sessionId));
  const actual = userAndAssistant(snap);
  const show = (list) => list.map((m, i) => `  ${i}. ${m.role} ${m.id ?? ''} ${JSON.stringify(m.content)}`).join('\n');
  const fail = (why) => {
    throw new Error(`${label}: transcript differs from the gateway's (${why})\n` +
                    `page:\n${show(actual)}\ngateway:\n${show(expected)}`);
  };
  if (actual.length !== expected.length) fail(`${actual.length} messages vs ${expected.length}`);
  for (let i = 0; i < expected.length; i++) {
    const a = actual[i], e = expected[i];
    if (a.role !== e.role) fail(`message ${i}: role ${a.role} vs ${e.role}`);
    if (a.content !== e.content) fail(`message ${i}: content differs`);
    if (e.role === 'user' && a.id !== e.id) fail(`message ${i}: id ${a.id} vs ${e.id}`);
  }
  const ids = actual.filter((m) => m.role === 'user').map((m) => m.id);
  if (new Set(ids).size !== ids.length) fail('a user message id appears twice');
  return expected;
}
