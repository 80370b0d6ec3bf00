// The last resort keeps a real process alive through an uncaught exception and an unhandled rejection,
// logs each with its stack and counts it (child process: the handlers are process-wide).
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';

const CHILD = fileURLToPath(new URL('../../test/support/last-resort-child.js', import.meta.url));

test('an escaped exception and rejection are logged with their stacks and counted, and the process lives on', () => {
  // execFileSync throws on a non-zero exit: the child dying of either error fails the test here.
  const out = execFileSync(process.execPath, [CHILD], { encoding: 'utf8', timeout: 30_000 });
  const lines = out.trim().split('\n');
  const alive = lines.find((l) => l.startsWith('alive '));
  assert.ok(alive, `the process went on after both errors: ${out}`);
  assert.deepEqual(JSON.parse(alive.slice('alive '.length)), {
    counts: { uncaughtException: 1, unhandledRejection: 1 },
    noted: ['unhandledRejection', 'uncaughtException'],
  });
  const logs = lines.filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as { level: number; origin: string; err: { message: string; stack: string } });
  assert.deepEqual(
    logs.map((l) => [l.level, l.origin, l.err.message]),
    [
      [50, 'unhandledRejection', 'a rejection nobody handled'],
      [50, 'uncaughtException', 'escaped from a timer'],
    ],
  );
  for (const l of logs) assert.match(l.err.stack, /last-resort-child\.js:\d+/, 'the stack says where');
});
