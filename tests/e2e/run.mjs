#!/usr/bin/env node
// Runs one browser scenario: `node tests/e2e/run.mjs <scenario>` (see scenarios/). Exit code 0
// on success. Screenshots go to build/e2e/<scenario>.png (also on failure), the gateway's log
// to build/e2e/<scenario>.gateway.log. Every process the scenario started is stopped before
// exit, also on failure and when the scenario's own time limit strikes.
import fs from 'node:fs';
import path from 'node:path';
import { runCleanup } from './lib/cleanup.mjs';
import { E2E_DIR } from './lib/env.mjs';
import { TestContext } from './lib/harness.mjs';

const name = process.argv[2];
const scenarioDir = path.join(E2E_DIR, 'scenarios');
const known = fs.readdirSync(scenarioDir).filter((f) => f.endsWith('.mjs')).map((f) => f.slice(0, -4));
if (!name || !known.includes(name)) {
  console.error(`usage: node run.mjs <scenario>\nscenarios: ${known.join(' ')}`);
  process.exit(2);
}

let finished = false;
async function finish(code, reason) {
  if (finished) return;
  finished = true;
  if (reason) console.error(reason);
  await runCleanup();
  console.log(code === 0 ? `PASS ${name}` : `FAIL ${name}`);
  process.exit(code);
}
for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(sig, () => finish(1, `interrupted by ${sig}`));
}

const scenario = await import(path.join(scenarioDir, `${name}.mjs`));
const t = new TestContext(name);
const limitMs = scenario.timeoutMs ?? 90000;
console.log(`scenario ${name}: ${scenario.description ?? ''} (limit ${limitMs / 1000} s)`);

const timer = setTimeout(async () => {
  console.error(`scenario ${name} exceeded its ${limitMs / 1000} s limit`);
  await t.screenshotAll();
  await finish(1);
}, limitMs);

try {
  await scenario.run(t);
  clearTimeout(timer);
  await t.screenshotAll();
  await finish(0);
} catch (e) {
  clearTimeout(timer);
  console.error(e && e.stack ? e.stack : String(e));
  await t.screenshotAll();
  await finish(1);
}
