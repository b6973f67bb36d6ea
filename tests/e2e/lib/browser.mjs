// Debian's Chromium driven by playwright-core (never a downloaded browser), with the flags that
// render WebGL2 headless (DESIGN.md), a fresh profile per browser, console-error capture on
// every page and screenshots for a person to look at.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { onCleanup } from './cleanup.mjs';
import { CHROMIUM, playwrightPath } from './env.mjs';

export const CHROMIUM_FLAGS = [
  '--use-gl=swiftshader', '--enable-unsafe-swiftshader', '--headless', '--no-sandbox',
  '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
  '--disable-component-update', '--disable-sync',
];

let chromium = null;

// One browser = one fresh profile (its own localStorage). Pages opened in it are tabs.
export async function launchBrowser({ viewport = { width: 1100, height: 760 }, deviceScaleFactor = 1,
                                      permissions = [], hasTouch = false, isMobile = false } = {}) {
  if (!chromium) chromium = (await import(playwrightPath())).chromium;
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'chat-e2e-profile-'));
  let context;
  try {
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: CHROMIUM_FLAGS,
      viewport,
      deviceScaleFactor,
      permissions,
      hasTouch,   // touch viewports (a phone): touch events, pointer: coarse
      isMobile,
      timeout: 30000,
    });
  } catch (e) {
    fs.rmSync(profile, { recursive: true, force: true });
    throw e;
  }
  onCleanup(async () => {
    await context.close().catch(() => {});
    fs.rmSync(profile, { recursive: true, force: true });
  });
  // The persistent context opens with one blank tab: close it, tests open their own.
  for (const p of context.pages()) await p.close().catch(() => {});
  return context;
}

// Console errors and uncaught exceptions of every page, kept per page for assertions and
// printed as they happen so a failing run's log shows them.
export class PageRecorder {
  constructor(label) {
    this.label = label;
    this.consoleErrors = [];
    this.consoleAll = [];
  }

  attach(page) {
    page.on('console', (msg) => {
      const line = `[${msg.type()}] ${msg.text()}`;
      this.consoleAll.push(line);
      if (msg.type() === 'error') {
        const where = msg.location()?.url ? ` (${msg.location().url})` : '';
        this.consoleErrors.push(msg.text() + where);
        console.log(`  (${this.label} console error) ${msg.text()}${where}`);
      }
    });
    page.on('pageerror', (err) => {
      this.consoleErrors.push(`uncaught: ${err.message}`);
      console.log(`  (${this.label} page error) ${err.message}`);
    });
    // Name the resource behind a "Failed to load resource" console error.
    page.on('response', (res) => {
      if (res.status() >= 400) console.log(`  (${this.label}) HTTP ${res.status()} for ${res.url()}`);
    });
    return this;
  }
}
