// Where things are: the gateway binary, the built wasm client, the screenshot folder, Chromium.
// CTest passes them as environment variables (tests/e2e/CMakeLists.txt); the defaults let a
// person run one scenario by hand from the repository: `node tests/e2e/run.mjs page_load`.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
export const E2E_DIR = path.resolve(here, '..');
export const REPO_ROOT = path.resolve(E2E_DIR, '..', '..');

export const CHROMIUM = process.env.CHAT_CHROMIUM || '/usr/bin/chromium';

export function gatewayBinary() {
  const bin = process.env.CHAT_GATEWAY || path.join(REPO_ROOT, 'build/native/src/gateway/chat-gateway');
  if (!fs.existsSync(bin)) {
    throw new Error(`the gateway binary ${bin} does not exist: build it (./build.sh test) or set CHAT_GATEWAY`);
  }
  return bin;
}

// The wasm client's dist folder must hold the page, its JavaScript and its .wasm file.
export function clientDist() {
  const dist = process.env.CHAT_DIST || path.join(REPO_ROOT, 'build/wasm/dist');
  const missing = () =>
    new Error(`the wasm client is not built: ${dist} has no index.html/.js/.wasm ` +
              '(run ./build.sh web, or set CHAT_DIST / the CMake cache variable CHAT_WASM_DIST)');
  if (!fs.existsSync(dist)) throw missing();
  const files = fs.readdirSync(dist);
  if (!files.includes('index.html') || !files.some((f) => f.endsWith('.wasm')) ||
      !files.some((f) => f.endsWith('.js'))) {
    throw missing();
  }
  return dist;
}

export function outputDir() {
  const out = process.env.CHAT_E2E_OUT || path.join(REPO_ROOT, 'build/e2e');
  fs.mkdirSync(out, { recursive: true });
  return out;
}

export function playwrightPath() {
  const p = path.join(E2E_DIR, 'node_modules/playwright-core/index.mjs');
  if (!fs.existsSync(p)) {
    throw new Error(`playwright-core is not installed in ${E2E_DIR}/node_modules (run ./build.sh deps)`);
  }
  return p;
}
