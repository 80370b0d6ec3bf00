// The promise made to the user's click: a record whose append returned survives kill -9 of the server and
// is replayed exactly once on restart. A real child process is killed mid-stream with SIGKILL.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Spool } from './spool.js';
import { drainRecords } from '../../test/support/spool-drain.js';

const CHILD = fileURLToPath(new URL('../../test/support/spool-crash-child.js', import.meta.url));
const KILL_AFTER = 5000;

/** Runs the child until it has reported KILL_AFTER appends, SIGKILLs it, returns what it reported. */
function appendThenKill(dir: string): Promise<{ reported: number[]; signal: NodeJS.Signals | null }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CHILD, dir], { stdio: ['ignore', 'pipe', 'inherit'] });
    const reported: number[] = [];
    let buffered = '';
    let killed = false;
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      buffered += chunk;
      const lines = buffered.split('\n');
      buffered = lines.pop() ?? ''; // a line cut by the kill is not a report
      for (const line of lines) {
        const m = /^appended (\d+)$/.exec(line);
        if (m?.[1] !== undefined) reported.push(Number(m[1]));
      }
      if (!killed && reported.length >= KILL_AFTER) {
        killed = true;
        child.kill('SIGKILL');
      }
    });
    child.on('error', reject);
    child.on('close', (_code, signal) => resolve({ reported, signal }));
  });
}

test('clicks whose append returned survive kill -9 and are drained exactly once across restarts', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'clickrate-spool-kill-'));
  try {
    const { reported, signal } = await appendThenKill(dir);
    assert.equal(signal, 'SIGKILL', 'the child was killed mid-stream, not finished');
    assert.ok(reported.length >= KILL_AFTER);

    const seen = new Map<string, number>();
    const order: number[] = [];
    const consume = async (batch: { id: string }[]) => {
      for (const e of batch) {
        seen.set(e.id, (seen.get(e.id) ?? 0) + 1);
        order.push(Number(e.id.slice('kill-'.length)));
      }
    };
    // First restart (takes over the dead child's lock): drain part of it, then stop cleanly.
    let spool = Spool.open({ dir, segmentBytes: 16 * 1024 });
    for (let i = 0; i < 3; i++) await drainRecords(spool, consume, 700);
    await spool.close();
    // Second restart: drain the rest.
    spool = Spool.open({ dir, segmentBytes: 16 * 1024 });
    while ((await drainRecords(spool, consume, 700)) > 0);
    assert.equal(spool.stats().bytesPending, 0);
    await spool.close();

    for (const i of reported) assert.equal(seen.get(`kill-${i}`), 1, `kill-${i} was reported appended, so it must come back exactly once`);
    for (const [id, n] of seen) assert.equal(n, 1, `${id} drained ${n} times`);
    // Records appended after the last report (the kill raced the print) may be there too, in order.
    assert.deepEqual(
      order,
      Array.from({ length: order.length }, (_, i) => i),
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
