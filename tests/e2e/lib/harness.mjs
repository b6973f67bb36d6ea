// What a scenario gets: a TestContext that starts the pieces (gateway, proxy, browser, pages,
// a second-origin host server), remembers every page for the screenshots, and logs steps with
// their time so a slow or stuck step is visible in the CTest output.
import crypto from 'node:crypto';
import path from 'node:path';
import { launchBrowser, PageRecorder } from './browser.mjs';
import { clientDist, gatewayBinary, outputDir } from './env.mjs';
import { startGateway } from './gateway.mjs';
import { startProxy } from './proxy.mjs';

export class TestContext {
  constructor(name) {
    this.name = name;
    this.out = outputDir();
    this.t0 = Date.now();
    this.pages = [];  // {label, page, recorder}
  }

  step(text) {
    console.log(`[${((Date.now() - this.t0) / 1000).toFixed(1)}s] ${text}`);
  }

  // The usual setup: a proxy the test controls in front of a fresh gateway (in-memory db,
  // random token) that serves the built client; the page is loaded through the proxy, so the
  // page's origin, its WebSocket and its HTTP API all go through the proxy.
  async stack({ demoDelayMs = 20, embedOrigins = [], extraArgs = [] } = {}) {
    const dist = clientDist();
    const binary = gatewayBinary();
    const token = crypto.randomBytes(16).toString('hex');
    const proxy = await startProxy();
    const gateway = await startGateway({
      binary, dist, token, demoDelayMs, embedOrigins, extraArgs,
      allowOrigins: [proxy.origin],
      logFile: path.join(this.out, `${this.name}.gateway.log`),
    });
    proxy.setUpstream(gateway.port);
    this.step(`gateway ${gateway.url}, proxy ${proxy.origin}`);
    return { gateway, proxy, token, base: proxy.origin };
  }

  async browser(opts) {
    return launchBrowser(opts);
  }

  // A new tab with console capture; screenshots are taken of every tab at the end.
  async page(context, label = 'main') {
    const page = await context.newPage();
    const recorder = new PageRecorder(label).attach(page);
    this.pages.push({ label, page, recorder });
    return page;
  }

  recorder(page) {
    return this.pages.find((p) => p.page === page)?.recorder;
  }

  screenshotPath(label) {
    return path.join(this.out, label === 'main' ? `${this.name}.png` : `${this.name}-${label}.png`);
  }

  async screenshot(page, label = 'main') {
    return page.screenshot({ path: this.screenshotPath(label), timeout: 10000 });
  }

  // build/e2e/<test>.png for the first tab, <test>-<label>.png for the others.
  async screenshotAll() {
    for (const { label, page } of this.pages) {
      if (page.isClosed()) continue;
      try {
        await this.screenshot(page, label);
        console.log(`screenshot: ${this.screenshotPath(label)}`);
      } catch (e) {
        console.log(`screenshot of ${label} failed: ${e.message}`);
      }
    }
  }
}

export function assert(cond, message) {
  if (!cond) throw new Error(`assertion failed: ${message}`);
}

export function assertEq(actual, expected, message) {
  if (actual !== expected) {
    throw new Error(`assertion failed: ${message}: got ${JSON.stringify(actual)}, expected ${JSON.stringify(expected)}`);
  }
}
