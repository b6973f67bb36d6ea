// Guaranteed cleanup: every process, server and browser a test starts registers here, and
// runCleanup() tears them down in reverse order, on success, on failure and on timeouts.
// Child processes are also killed synchronously on process exit, so even an unexpected crash of
// the test runner leaves nothing behind (and the gateway wrapper dies with its stdin pipe).

const tasks = [];
const children = new Set();

// Registers an async teardown step; returns it so a caller may run it earlier itself.
export function onCleanup(fn) {
  tasks.push(fn);
  return fn;
}

// Tracks a spawned child so that it is SIGKILLed if the runner exits without cleaning up.
export function trackChild(child) {
  children.add(child);
  child.once('exit', () => children.delete(child));
  return child;
}

// Runs every teardown step (last registered first), each bounded in time so that one hung step
// cannot keep the others from running.
export async function runCleanup() {
  while (tasks.length) {
    const fn = tasks.pop();
    try {
      await Promise.race([
        Promise.resolve().then(fn),
        new Promise((resolve) => setTimeout(resolve, 10000).unref()),
      ]);
    } catch {
      // A failing teardown must not stop the others.
    }
  }
  killChildrenNow();
}

function killChildrenNow() {
  for (const child of children) {
    try {
      child.kill('SIGKILL');
    } catch {
      // already gone
    }
  }
  children.clear();
}

process.on('exit', killChildrenNow);
