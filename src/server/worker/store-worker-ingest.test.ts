// The spool's batches through the store worker (serve's path): the worker reads the range itself, and
// what it sets aside (a record the store refuses, one with ill-formed Unicode, a line that is no record)
// crosses back to the edge's thread intact, to be written to the dead letters there.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { makeEvent } from '../../events/make-event.js';
import { Spool } from '../../tracking/spool.js';
import { StoreWorker } from './store-client.js';

const click = (id: string, over: Record<string, unknown> = {}) =>
  `${JSON.stringify({ ...makeEvent({ id, type: 'click', ts: 1_772_000_000_000, message: 'm1', url: 'https://shop.example.com/', method: 'GET' }), ...over })}\n`;

test('[worker] records set aside in the worker come back whole and reach the dead letters; the rest is stored', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'clickrate-worker-ingest-'));
  const worker = await StoreWorker.start({ store: { db: join(dir, 'w.duckdb') } });
  const spool = Spool.open({ dir: join(dir, 'spool') });
  try {
    const lines = [click('a1'), click('lone', { campaign: 'poison\ud800' }), click('far', { ts: 1e20 }), 'not a record\n', click('a2')];
    spool.appendLines(lines.join(''), lines.length);
    const results: Array<{ dead: number; records: number }> = [];
    // As the writer asks after repeated failures: isolate, so the worker searches the batch.
    while (
      (await spool.drainRange(async (r) => {
        const done = await worker.ingest({ ...r, isolate: true });
        results.push({ dead: done.dead.length, records: done.records });
        return done;
      })) > 0
    );
    assert.deepEqual(results, [{ dead: 3, records: 3 }], 'one batch: a1, far and a2 read as records; lone and the line set aside as read');
    assert.equal(spool.stats().bytesPending, 0);
    assert.equal(spool.stats().deadLettered, 3);
    const rows = await worker.store.query({ sql: 'SELECT id FROM events ORDER BY id', params: {} });
    assert.deepEqual(
      rows.map((r) => r.id),
      ['a1', 'a2'],
    );

    const events = readFileSync(join(dir, 'spool', 'dead-letter.jsonl'), 'utf8')
      .trim()
      .split('\n');
    assert.equal(events.length, 1);
    assert.equal((JSON.parse(events[0]!) as { campaign: string }).campaign, 'poison\ud800', 'the lone surrogate crossed the worker as it was');
    const reasons = readFileSync(join(dir, 'spool', 'dead-letter.reasons.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { id: string | null; reason: string });
    assert.deepEqual(
      reasons.map((r) => [r.id, r.reason.slice(0, 30)]),
      [
        ['lone', 'campaign: ill-formed Unicode ('],
        [null, 'not a spool record: unreadable'],
        ['far', 'could not store the batch (sto'],
      ],
    );
  } finally {
    await spool.close();
    await worker.store.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
