// The size arithmetic behind the ingest's memory limits (DuckDB's printed sizes read as bytes, and set
// back without drifting), and what a streaming session sets on a real DuckDB connection and puts back.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DuckDBInstance } from '@duckdb/node-api';
import { bytesOf, ChunkRunner, untruncated } from './chunk-runner.js';
import { SIDE_SWAP_OPTIMIZER } from './duckdb-ingest.js';

const cases: Array<{ printed: string; bytes: number; setBack: string }> = [
  { printed: '488.2 MiB', bytes: 488.2 * 2 ** 20, setBack: '488.25 MiB' },
  { printed: '18.8 GiB', bytes: 18.8 * 2 ** 30, setBack: '18.85 GiB' },
  { printed: '512.0 MiB', bytes: 512 * 2 ** 20, setBack: '512.05 MiB' },
  { printed: '256MB', bytes: 256e6, setBack: '256MB' },
  { printed: '0 bytes', bytes: 0, setBack: '0 bytes' },
];

for (const c of cases) {
  test(`sizes: '${c.printed}'`, () => {
    assert.equal(bytesOf(c.printed), c.bytes);
    assert.equal(untruncated(c.printed), c.setBack);
    // Setting back never lowers the limit below what was printed, nor reaches the next printed step.
    assert.ok(bytesOf(untruncated(c.printed)) >= c.bytes);
  });
}

test('sizes: unreadable text counts as unlimited', () => {
  for (const bad of ['', 'lots', '12 parsecs']) assert.equal(bytesOf(bad), Number.POSITIVE_INFINITY, bad);
});

test('streaming: a lower limit and a flushing allocator while rows stream in; the limit back for the commit, the allocator after it', async () => {
  const instance = await DuckDBInstance.create(':memory:', { memory_limit: '512MB' });
  const conn = await instance.connect();
  const settings = async () =>
    (
      await conn.runAndReadAll("SELECT current_setting('memory_limit') AS m, current_setting('allocator_bulk_deallocation_flush_threshold') AS f")
    ).getRowObjectsJS()[0];
  try {
    const before = await settings();
    const runner = new ChunkRunner(conn);
    // A 1 MB chunk at 3 bytes of limit per byte, at least 64 MB: 64 MB.
    await runner.fitMemoryLimit(1_000_000, 3, 64 * 2 ** 20);
    assert.deepEqual(await settings(), { m: '64.0 MiB', f: '0 bytes' });
    await runner.restoreLimit();
    assert.deepEqual(await settings(), { m: before?.m, f: '0 bytes' }, 'the commit frees as streaming did');
    await runner.restore();
    assert.deepEqual(await settings(), before);
  } finally {
    conn.closeSync();
    instance.closeSync();
  }
});

// The commit's candidate lookup runs with one optimizer off (duckdb-ingest.ts, withCandidatesBuilt). The
// setting is the instance's, so it must come back whatever happens, even after a statement that failed
// inside the transaction, where DuckDB refuses every SET until the ROLLBACK.
test('optimizers: one turned off and back; an unknown one refused; put back after a failed transaction', async () => {
  const instance = await DuckDBInstance.create(':memory:');
  const conn = await instance.connect();
  const setting = async () => String((await conn.runAndReadAll("SELECT current_setting('disabled_optimizers') AS d")).getRowObjectsJS()[0]?.d);
  try {
    await conn.run("SET disabled_optimizers = 'regex_range'");
    const runner = new ChunkRunner(conn);
    assert.equal(await runner.disableOptimizer(SIDE_SWAP_OPTIMIZER), true, 'this DuckDB has the optimizer the lookup turns off');
    assert.equal(await setting(), 'regex_range,build_side_probe_side');
    await runner.restoreOptimizers();
    assert.equal(await setting(), 'regex_range');
    assert.equal(await runner.disableOptimizer('no_such_optimizer'), false);
    assert.equal(await setting(), 'regex_range');

    await conn.run('BEGIN TRANSACTION');
    await runner.disableOptimizer(SIDE_SWAP_OPTIMIZER);
    await assert.rejects(conn.run("SELECT error('the lookup failed')"), /the lookup failed/);
    await assert.rejects(runner.restoreOptimizers(), /aborted/, 'DuckDB refuses the SET in the aborted transaction');
    await conn.run('ROLLBACK');
    await runner.restore();
    assert.equal(await setting(), 'regex_range', 'restore() after the ROLLBACK put it back');
  } finally {
    conn.closeSync();
    instance.closeSync();
  }
});
