// Tests of the stack's supervisor (scripts/stack/supervisor.mjs) with small real processes: the
// back-off of a crash loop, what it says, and that stop() ends the restarts.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { test } from 'node:test';
import { freePort, hasExited } from '../stack/processes.mjs';
import { createSupervisor } from '../stack/supervisor.mjs';

/** A process that answers /ready on `port`, then exits with code 3 after `lifeMs`. */
function crashingServer(port, lifeMs) {
  const code = `require('node:http').createServer((q, s) => s.end('ok')).listen(${port}, '127.0.0.1', () => setTimeout(() => process.exit(3), ${lifeMs}));`;
  return spawn(process.execPath, ['-e', code], { stdio: 'ignore' });
}

async function until(fn, ms) {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (fn()) return true;
    await new Promise((r) => setTimeout(r, 20));
  }
  return false;
}

test('when an instance keeps crashing, then each restart waits twice as long up to the cap, says so, and stop() ends it', async () => {
  // Arrange
  const port = await freePort();
  const lines = [];
  const restarts = [];
  const exits = [];
  const children = [];
  const sup = createSupervisor({
    specs: [{ id: 'api-1', port, url: `http://127.0.0.1:${port}` }],
    spawnInstance: () => {
      const c = crashingServer(port, 300);
      children.push(c);
      return c;
    },
    readyTimeoutMs: 10_000,
    backoff: { initialMs: 20, maxMs: 80, stableMs: 60_000 },
    log: (l) => lines.push(l),
  });
  sup.onRestart((e) => restarts.push(e));
  sup.onExit((e) => exits.push(e));
  // Act
  await sup.start();
  const looped = await until(() => exits.length >= 4 && restarts.length >= 3, 20_000);
  await sup.stop();
  const childrenAtStop = children.length;
  await new Promise((r) => setTimeout(r, 100));
  // Assert
  assert.ok(looped, lines.join('\n'));
  const delays = lines.filter((l) => l.includes('restarting it in')).map((l) => /in (\d+\.\d+) s \(attempt (\d+)\)/.exec(l).slice(1));
  assert.deepEqual(delays.slice(0, 4), [['0.02', '1'], ['0.04', '2'], ['0.08', '3'], ['0.08', '4']]);
  assert.match(lines.find((l) => l.includes('exited')), /^api-1 \(pid \d+\) exited \(code 3\); 0 instance\(s\) still serving; restarting it in 0\.02 s/);
  assert.ok(lines.some((l) => /^api-1 is back on port \d+ \(pid \d+, restart 1, down \d+\.\d s\)\.$/.test(l)), lines.join('\n'));
  assert.deepEqual(exits[0], { who: 'api-1', code: 3, signal: null, instancesLeft: 0 });
  assert.deepEqual(restarts.map((r) => r.restarts).slice(0, 3), [1, 2, 3]);
  assert.equal(sup.instances[0].pid, children.at(-1).pid, 'the live view has the newest pid');
  assert.equal(children.length, childrenAtStop, 'no restart after stop()');
  assert.ok(children.every(hasExited));
});
